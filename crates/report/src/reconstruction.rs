//! Reconstruction of figure 3.2: an aggregate life table (months since entry × cohort
//! × cause; events and censorings) consistent with everything the report publishes
//! about the duration to outflow.
//!
//! The report prints figure 3.2 only as a picture, with a few numbers in the text:
//! ≈ 40 % successful one year after entry, ≈ 55 % after two, the median time to any
//! outflow just under one year with ≈ 41 % / 9 % successful / other outflow at that
//! point, 393 participants (450 less 24 outflows of unknown moment and 33 of unknown
//! cause, box 1), and the outflow counts by cohort and cause of table 3.2.
//!
//! # Reading of the counts
//!
//! Table 3.2 counts all 450 participants. The duration analysis leaves out the 24
//! outflows whose moment is unknown and the 33 whose cause is unknown: 450 − 57 = 393.
//! Its events are therefore table 3.2's known-cause outflows less the 24 (234 − 24 =
//! 210), and its censorings are exactly table 3.2's "no outflow" (71 + 112 = 183): the
//! 24 and the 33 all flowed out. Which cohort and cause the 24 belong to is not
//! published; it is an assumption (see `data/reconstruction.json`).
//!
//! # Method
//!
//! Entries are spread evenly over each cohort's 12 entry months, which fixes every
//! participant's potential follow-up until the cut-off (administrative censoring).
//! Monthly hazards, piecewise constant for successful and for other outflow with a
//! ratio for cohort 2, are solved by Newton's method so that the expected outflows per
//! cohort and group equal the counts and the pooled Aalen–Johansen curve passes
//! through the targets. Expected counts are rounded to whole people by largest
//! remainder, keeping every total exact; the rounding error is fed back into the
//! targets for a fixed number of rounds and the round whose worst published point has
//! the largest margin is kept. Everything is deterministic: the same data give the
//! same table, bit for bit.
//!
//! The assumptions are data (`data/reconstruction.json` of the report package) and
//! travel with every reconstruction. Any number of cohorts: the first cohort's hazards
//! and a pair of ratios for each later cohort.

use super::dataset::{Dataset, Source, Unit};
use super::definitions::{Class, DefinitionState, UnknownPolicy};
use super::package::NumberRoles;
use serde::{Deserialize, Serialize};
use sibstat_core::error::{Code, Error, Result};
use sibstat_core::math::{exp, ln};
use sibstat_core::survival::{self, CumulativeIncidenceOptions, KaplanMeierOptions, SurvivalData};
use std::collections::BTreeMap;

fn invalid(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidReconstruction, message)
}

/// One stated assumption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    /// Short id.
    pub id: String,
    /// What is assumed, in words.
    pub text: String,
    /// Where the report supports it, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// A cohort's entry window in months since the programme's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortWindow {
    /// The cohort's id in the package (`cohort1`).
    pub id: String,
    /// First entry month (0 = July 2019).
    pub first_entry_month: u32,
    /// Number of entry months.
    pub entry_months: u32,
}

/// A cause group of the fit (the figure's definition, `success_definition`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// The causes the figure's definition counts as success.
    Success,
    /// Every other known cause.
    Other,
}

/// A point the pooled curve is aimed at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurveTarget {
    /// The published number it stands for.
    pub id: String,
    /// Which cumulative incidence.
    pub group: Group,
    /// Months since entry.
    pub time: f64,
    /// Target value (a fraction).
    pub value: f64,
}

/// Settings of the deterministic solver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverSettings {
    /// Newton iterations per fit.
    pub newton_iterations: u32,
    /// Rounds of target correction after rounding to whole people.
    pub correction_rounds: u32,
    /// Share of the rounding error fed back per round.
    pub damping: f64,
    /// Step of the finite-difference Jacobian (on log hazards).
    pub step: f64,
}

/// The assumptions file (`data/reconstruction.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    /// Schema version (2).
    pub schema_version: u32,
    /// Always `assumption`.
    pub tier: String,
    /// What the file is.
    pub description: String,
    /// Unit of time.
    pub time_unit: String,
    /// The assumptions in words.
    pub assumptions: Vec<Assumption>,
    /// The package's definition whose curve the figure shows (`effect`).
    pub success_definition: String,
    /// Month of the data cut-off (months since the programme's start).
    pub cutoff_month: u32,
    /// Entry windows of the package's cohorts, in the package's order.
    pub cohorts: Vec<CohortWindow>,
    /// Boundaries of the pieces of the success hazard (months).
    pub success_pieces: Vec<u32>,
    /// Boundaries of the pieces of the other-outflow hazard (months).
    pub other_pieces: Vec<u32>,
    /// Points the pooled curve is aimed at.
    pub targets: Vec<CurveTarget>,
    /// Allowed distance to a published point, in percentage points.
    pub tolerance_points: f64,
    /// The published median ("just under one year") as a window [from, to).
    pub median_window: [f64; 2],
    /// Solver settings.
    pub solver: SolverSettings,
}

/// The schema version of `reconstruction.json` this loader reads.
pub const RECONSTRUCTION_SCHEMA_VERSION: u32 = 2;

impl Assumptions {
    /// Parses and validates an assumptions file (JSON text).
    pub fn from_json(text: &str) -> Result<Assumptions> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                Code::InvalidDataFile,
                format!("reconstruction file, (file): not valid JSON: {e}"),
            )
        })?;
        Assumptions::from_value(&value)
    }

    /// Parses and validates an assumptions file given as a JSON value.
    pub fn from_value(value: &serde_json::Value) -> Result<Assumptions> {
        let a = Assumptions::deserialize(value)
            .map_err(|e| Error::new(Code::InvalidDataFile, format!("reconstruction file: {e}")))?;
        a.validate()?;
        Ok(a)
    }

    /// The number of hazard parameters: the first cohort's pieces and two ratios per
    /// later cohort.
    fn parameters(&self) -> usize {
        self.success_pieces.len() - 1 + self.other_pieces.len() - 1
            + 2 * self.cohorts.len().saturating_sub(1)
    }

    fn validate(&self) -> Result<()> {
        if self.schema_version != RECONSTRUCTION_SCHEMA_VERSION {
            return Err(Error::new(
                Code::InvalidDataFile,
                format!(
                    "reconstruction file, schema_version: this loader reads version {RECONSTRUCTION_SCHEMA_VERSION}, the file is version {}",
                    self.schema_version
                ),
            ));
        }
        let k = self.cutoff_month;
        if k == 0 || k > 240 {
            return Err(invalid("cutoff_month must be between 1 and 240"));
        }
        if self.cohorts.is_empty() {
            return Err(invalid("cohorts: give the entry window of every cohort"));
        }
        for c in &self.cohorts {
            if c.entry_months == 0 || c.first_entry_month + c.entry_months > k {
                return Err(invalid(format!(
                    "the entry window of {} must lie before the cut-off",
                    c.id
                )));
            }
        }
        for (name, pieces) in [
            ("success_pieces", &self.success_pieces),
            ("other_pieces", &self.other_pieces),
        ] {
            let ok = pieces.len() >= 2
                && pieces[0] == 0
                && pieces[pieces.len() - 1] == k
                && pieces.windows(2).all(|w| w[0] < w[1]);
            if !ok {
                return Err(invalid(format!(
                    "{name} must rise strictly from 0 to the cut-off month {k}"
                )));
            }
        }
        let params = self.parameters();
        let counts = 2 * self.cohorts.len();
        if params != counts + self.targets.len() {
            return Err(invalid(format!(
                "{params} hazard parameters for {} conditions ({counts} outflow counts and {} curve targets): make them equal",
                counts + self.targets.len(),
                self.targets.len()
            )));
        }
        for t in &self.targets {
            if !(t.value > 0.0 && t.value < 1.0 && t.time > 0.0 && t.time <= f64::from(k)) {
                return Err(invalid(format!(
                    "target {}: the value must lie in (0, 1) and the time in (0, {k}]",
                    t.id
                )));
            }
        }
        let s = &self.solver;
        if s.newton_iterations == 0
            || s.correction_rounds == 0
            || !(s.damping > 0.0 && s.damping <= 1.0)
            || !(s.step > 0.0 && s.step < 0.1)
            || self.tolerance_points.is_nan()
            || self.tolerance_points <= 0.0
            || self.median_window[0].partial_cmp(&self.median_window[1])
                != Some(std::cmp::Ordering::Less)
        {
            return Err(invalid(
                "solver settings, tolerance or median window out of range",
            ));
        }
        Ok(())
    }
}

/// Whole-people largest-remainder rounding of `values` to `total` (ties to the
/// earlier index). Cells with value 0 never receive a person.
pub fn largest_remainder(values: &[f64], total: u64) -> Result<Vec<u64>> {
    let sum: f64 = values.iter().sum();
    if total == 0 {
        return Ok(vec![0; values.len()]);
    }
    if sum.is_nan() || sum <= 0.0 || values.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(invalid(format!(
            "cannot place {total} people on cells with no weight"
        )));
    }
    let scaled: Vec<f64> = values.iter().map(|v| v * total as f64 / sum).collect();
    let mut out: Vec<u64> = scaled.iter().map(|x| x.floor() as u64).collect();
    let placed: u64 = out.iter().sum();
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| values[i] > 0.0).collect();
    sibstat_core::order::indices_by(&mut order, &|a, b| {
        let ra = scaled[a] - scaled[a].floor();
        let rb = scaled[b] - scaled[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let missing = total.saturating_sub(placed) as usize;
    if missing > order.len() {
        return Err(invalid("rounding could not place everyone"));
    }
    for &i in order.iter().take(missing) {
        out[i] += 1;
    }
    Ok(out)
}

/// The fit's groups: the figure's definition with the unknown causes excluded, so
/// that a known cause is in the success or the other group and an unknown one in none.
struct Groups {
    figure: DefinitionState,
    /// The known causes, in the package's order.
    known: Vec<String>,
    /// The unknown causes.
    unknown: Vec<String>,
}

impl Groups {
    fn new(dataset: &Dataset, a: &Assumptions) -> Result<Groups> {
        let package = &dataset.package;
        let figure = DefinitionState::named(package, &a.success_definition, UnknownPolicy::Exclude)
            .map_err(|e| invalid(format!("success_definition: {}", e.message)))?;
        Ok(Groups {
            figure,
            known: package.known_causes().map(|c| c.id.clone()).collect(),
            unknown: package
                .causes
                .iter()
                .filter(|c| c.unknown)
                .map(|c| c.id.clone())
                .collect(),
        })
    }

    fn group_of(&self, cause: &str) -> Option<Group> {
        if self.unknown.iter().any(|c| c == cause) {
            return None;
        }
        match self.figure.classify(cause) {
            Class::Success => Some(Group::Success),
            _ => Some(Group::Other),
        }
    }
}

/// The counts the reconstruction must reproduce, per cohort, in the package's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortCounts {
    /// The cohort's id (`cohort1`).
    pub cohort: String,
    /// Participants (table 3.2).
    pub participants: u64,
    /// Of whom with an unknown moment of outflow (allocated, an assumption).
    pub unknown_moment: u64,
    /// Participants in the table: participants − unknown moment.
    pub in_table: u64,
    /// Of whom in the published duration analysis: less the unknown cause.
    pub in_duration_analysis: u64,
    /// Outflows per cause id in the table (table 3.2 less the unknown moment).
    pub events: BTreeMap<String, u64>,
    /// The unknown-moment outflows allocated per cause id.
    pub unknown_moment_by_cause: BTreeMap<String, u64>,
    /// Still in the SIB at the cut-off (table 3.2, no outflow).
    pub censored: u64,
}

/// Reads the outflow table's counts per cohort and allocates the outflows of unknown
/// moment over cohort × known cause in proportion to the known-cause outflows.
pub fn target_counts(dataset: &Dataset) -> Result<Vec<CohortCounts>> {
    let package = &dataset.package;
    let layout = &package.layout.outflow;
    let unknown_moment = dataset.count(needed(
        &package.layout.numbers.unknown_moment,
        "unknown_moment",
    )?)?;
    let known_ids: Vec<&str> = package.known_causes().map(|c| c.id.as_str()).collect();
    let mut known = Vec::new();
    for cohort in &package.cohorts {
        for cause in &known_ids {
            known.push(dataset.cell_count(&layout.table, &layout.causes, cause, &cohort.id)?);
        }
    }
    let weights: Vec<f64> = known.iter().map(|&c| c as f64).collect();
    let allocated = largest_remainder(&weights, unknown_moment)?;
    let mut out = Vec::new();
    for (ci, cohort) in package.cohorts.iter().enumerate() {
        let col = cohort.id.as_str();
        let participants = dataset.cell_count(&layout.table, &layout.block, "total", col)?;
        let censored = dataset.cell_count(&layout.table, &layout.block, &layout.none, col)?;
        let mut events = BTreeMap::new();
        let mut by_cause = BTreeMap::new();
        for (j, cause) in known_ids.iter().enumerate() {
            let i = ci * known_ids.len() + j;
            events.insert(cause.to_string(), known[i] - allocated[i]);
            by_cause.insert(cause.to_string(), allocated[i]);
        }
        let mut unknown_cause = 0;
        for cause in package.causes.iter().filter(|c| c.unknown) {
            let n = dataset.cell_count(&layout.table, &layout.causes, &cause.id, col)?;
            events.insert(cause.id.clone(), n);
            unknown_cause += n;
        }
        let unknown_moment: u64 = by_cause.values().sum();
        let in_table = participants.checked_sub(unknown_moment).ok_or_else(|| {
            invalid(format!(
                "{col}: more outflows of unknown moment than participants"
            ))
        })?;
        let flowed: u64 = events.values().sum();
        if flowed + censored != in_table {
            return Err(invalid(format!(
                "{col}: {flowed} outflows + {censored} without outflow ≠ {in_table} participants with a known moment"
            )));
        }
        out.push(CohortCounts {
            cohort: col.to_string(),
            participants,
            unknown_moment,
            in_table,
            in_duration_analysis: in_table - unknown_cause,
            events,
            unknown_moment_by_cause: by_cause,
            censored,
        });
    }
    Ok(out)
}

/// Expected (fractional) events and censorings of one cohort by month since entry.
#[derive(Debug, Clone)]
struct Expected {
    success: Vec<f64>,
    other: Vec<f64>,
    /// Indexed by the censoring time in whole months (0..=cutoff).
    censor: Vec<f64>,
}

struct Model<'a> {
    a: &'a Assumptions,
    /// Entrants per entry month, per cohort (duration-analysis population).
    entrants: Vec<Vec<u64>>,
}

/// The hazards of a parameter vector: the first cohort's monthly success and other
/// hazards, and every cohort's (success, other) ratio to them (1 for the first).
struct Hazards {
    success: Vec<f64>,
    other: Vec<f64>,
    ratios: Vec<(f64, f64)>,
}

impl Model<'_> {
    fn hazards(&self, theta: &[f64]) -> Hazards {
        let k = self.a.cutoff_month as usize;
        let ns = self.a.success_pieces.len() - 1;
        let no = self.a.other_pieces.len() - 1;
        let piecewise = |bounds: &[u32], rates: &[f64]| -> Vec<f64> {
            (0..k)
                .map(|m| {
                    let i = bounds
                        .windows(2)
                        .position(|w| (m as u32) >= w[0] && (m as u32) < w[1]);
                    rates[i.unwrap_or(rates.len() - 1)]
                })
                .collect()
        };
        let rs: Vec<f64> = theta[..ns].iter().map(|&x| exp(x)).collect();
        let ro: Vec<f64> = theta[ns..ns + no].iter().map(|&x| exp(x)).collect();
        let ratios = (0..self.a.cohorts.len())
            .map(|ci| match ci {
                0 => (1.0, 1.0),
                _ => {
                    let at = ns + no + 2 * (ci - 1);
                    (exp(theta[at]), exp(theta[at + 1]))
                }
            })
            .collect();
        Hazards {
            success: piecewise(&self.a.success_pieces, &rs),
            other: piecewise(&self.a.other_pieces, &ro),
            ratios,
        }
    }

    fn expected(&self, theta: &[f64]) -> Vec<Expected> {
        let k = self.a.cutoff_month as usize;
        let h = self.hazards(theta);
        let (hs, ho) = (&h.success, &h.other);
        let mut out = Vec::new();
        // One month's (success hazard, other hazard, probability of any outflow) of a
        // cohort: the same for every entry month, so each exp is taken once a month
        // rather than once per entry month and month (the fit calls this thousands of
        // times; the arithmetic per entrant is unchanged, bit for bit).
        let mut month = Vec::with_capacity(k);
        for (ci, window) in self.a.cohorts.iter().enumerate() {
            let (fs, fo) = h.ratios[ci];
            month.clear();
            month.extend((0..k).map(|m| {
                let (a, b) = (hs[m] * fs, ho[m] * fo);
                (a, b, 1.0 - exp(-(a + b)))
            }));
            let mut e = Expected {
                success: vec![0.0; k],
                other: vec![0.0; k],
                censor: vec![0.0; k + 1],
            };
            for (j, &n) in self.entrants[ci].iter().enumerate() {
                let entry = window.first_entry_month as usize + j;
                let follow = k - entry;
                let mut alive = n as f64;
                for (m, &(a, b, p)) in month[..follow].iter().enumerate() {
                    e.success[m] += alive * p * a / (a + b);
                    e.other[m] += alive * p * b / (a + b);
                    alive *= 1.0 - p;
                }
                e.censor[follow] += alive;
            }
            out.push(e);
        }
        out
    }
}

fn empty(k: usize) -> Expected {
    Expected {
        success: vec![0.0; k],
        other: vec![0.0; k],
        censor: vec![0.0; k + 1],
    }
}

/// Pooled Aalen–Johansen of success / other on (possibly fractional) tables: per month
/// m the values just after the events at m + 0.5: (success CIF, other CIF, any outflow).
fn pooled(tables: &[Expected], n: f64) -> Vec<(f64, f64, f64)> {
    let k = tables.first().map_or(0, |t| t.success.len());
    let mut at_risk = n - tables.iter().map(|t| t.censor[0]).sum::<f64>();
    let (mut s, mut cs, mut co) = (1.0, 0.0, 0.0);
    let mut out = Vec::with_capacity(k);
    for m in 0..k {
        let ds: f64 = tables.iter().map(|t| t.success[m]).sum();
        let d_o: f64 = tables.iter().map(|t| t.other[m]).sum();
        if at_risk > 0.0 {
            cs += s * ds / at_risk;
            co += s * d_o / at_risk;
            s *= 1.0 - (ds + d_o) / at_risk;
        }
        at_risk -= ds + d_o + tables.iter().map(|t| t.censor[m + 1]).sum::<f64>();
        out.push((cs, co, 1.0 - s));
    }
    out
}

/// The value of a pooled curve at time t (months): the step value after the last
/// event time m + 0.5 ≤ t.
fn at(curve: &[(f64, f64, f64)], t: f64, group: Group) -> f64 {
    let idx = (0..curve.len()).rev().find(|&m| m as f64 + 0.5 <= t);
    match idx {
        None => 0.0,
        Some(m) => match group {
            Group::Success => curve[m].0,
            Group::Other => curve[m].1,
        },
    }
}

/// Solves the square system by Gaussian elimination with partial pivoting.
fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].is_nan() || a[pivot][col].abs() <= 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            let (upper, lower) = a.split_at_mut(row);
            for (x, y) in lower[0][col..n].iter_mut().zip(&upper[col][col..n]) {
                *x -= f * y;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The fitted hazard parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HazardParameters {
    /// Successful outflow per month on each piece of `success_pieces` (cohort 1).
    pub success: Vec<HazardPiece>,
    /// Other outflow per month on each piece of `other_pieces` (cohort 1).
    pub other: Vec<HazardPiece>,
    /// Each later cohort's hazards relative to the first cohort's.
    pub ratios: Vec<CohortRatio>,
}

/// A later cohort's hazards relative to the first cohort's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortRatio {
    /// The cohort's id.
    pub cohort: String,
    /// Its success hazard relative to the first cohort's.
    pub success: f64,
    /// Its other-outflow hazard relative to the first cohort's.
    pub other: f64,
}

/// A constant monthly hazard on [from, to) months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HazardPiece {
    /// Start (months).
    pub from: u32,
    /// End (months).
    pub to: u32,
    /// Hazard per month.
    pub rate: f64,
}

/// One month of one cohort of the reconstructed life table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifeTableRow {
    /// The cohort's id.
    pub cohort: String,
    /// Month since entry: outflows during (month − 1, month], placed at month − 0.5;
    /// censorings at the end of the month.
    pub month: u32,
    /// In the SIB at the start of the month (all causes, unknown cause included).
    pub at_risk: u64,
    /// Outflows per cause (ids of the package's causes).
    pub events: BTreeMap<String, u64>,
    /// Censored at the end of the month (potential follow-up reached).
    pub censored: u64,
}

/// The fit against one published point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitPoint {
    /// Id of the published number (or of the count checked).
    pub id: String,
    /// What it is.
    pub label: String,
    /// The published value (percent for shares, months, counts).
    pub published: f64,
    /// Unit of `published` and `reconstructed`.
    pub unit: Unit,
    /// Where it is printed.
    pub source: Option<Source>,
    /// Given as approximate in the report.
    pub approx: bool,
    /// For a count of the outflow table: its cohort's id.
    pub cohort: Option<String>,
    /// For a cause's count: the cause's id.
    pub cause: Option<String>,
    /// For a cause's count: the outflows of unknown moment allocated to it, added back
    /// to the table's count.
    pub unknown_moment: Option<u64>,
    /// The value in the reconstruction.
    pub reconstructed: f64,
    /// reconstructed − published.
    pub difference: f64,
    /// Allowed |difference| (0 for counts; for the median, the window's width).
    pub tolerance: f64,
    /// Whether the point is reproduced.
    pub within: bool,
}

/// The reconstructed life table of figure 3.2 with its assumptions, parameters and fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconstruction {
    /// Always `reconstructed`.
    pub tier: &'static str,
    /// The assumptions (tier `assumption`).
    pub assumptions: Assumptions,
    /// The causes' ids, in the package's order (the columns of the CSV).
    pub causes: Vec<String>,
    /// The counts reproduced, per cohort.
    pub counts: Vec<CohortCounts>,
    /// Fitted hazards.
    pub parameters: HazardParameters,
    /// The correction round kept (1-based).
    pub round: u32,
    /// The table: one row per cohort and month.
    pub table: Vec<LifeTableRow>,
    /// The fit against every published point.
    pub fit: Vec<FitPoint>,
    /// Published numbers the reconstruction was not fitted to, set beside it as a check.
    pub checks: Vec<CheckPoint>,
}

/// A published number the reconstruction was not fitted to, with our reading of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckPoint {
    /// Id of the published number.
    pub id: String,
    /// What it is.
    pub label: String,
    /// The published value.
    pub published: f64,
    /// Unit of both values.
    pub unit: Unit,
    /// Where it is printed.
    pub source: Source,
    /// Given as approximate in the report.
    pub approx: bool,
    /// The same quantity in the reconstruction.
    pub reconstructed: f64,
    /// How the published number is read.
    pub reading: String,
}

/// Reconstructs figure 3.2 with the given assumptions.
pub fn reconstruct_with(dataset: &Dataset, assumptions: &Assumptions) -> Result<Reconstruction> {
    let a = assumptions;
    let package = &dataset.package;
    let window_ids: Vec<&str> = a.cohorts.iter().map(|c| c.id.as_str()).collect();
    let cohort_ids: Vec<&str> = package.cohorts.iter().map(|c| c.id.as_str()).collect();
    if window_ids != cohort_ids {
        return Err(invalid(format!(
            "cohorts: give an entry window for each cohort of the package, in its order ({}); the file has {}",
            cohort_ids.join(", "),
            window_ids.join(", ")
        )));
    }
    let groups = Groups::new(dataset, a)?;
    let counts = target_counts(dataset)?;
    let k = a.cutoff_month as usize;
    let mut entrants = Vec::new();
    for (ci, c) in counts.iter().enumerate() {
        let months = a.cohorts[ci].entry_months as usize;
        entrants.push(largest_remainder(
            &vec![1.0; months],
            c.in_duration_analysis,
        )?);
    }
    let model = Model { a, entrants };
    let group_total = |c: &CohortCounts, g: Group| -> u64 {
        groups
            .known
            .iter()
            .filter(|x| groups.group_of(x) == Some(g))
            .map(|x| c.events[x])
            .sum()
    };
    // All cohorts' success counts, then all cohorts' other counts.
    let count_targets: Vec<f64> = [Group::Success, Group::Other]
        .into_iter()
        .flat_map(|g| counts.iter().map(move |c| (c, g)))
        .map(|(c, g)| group_total(c, g) as f64)
        .collect();
    let n_duration = counts.iter().map(|c| c.in_duration_analysis).sum::<u64>() as f64;
    let checks = PublishedPoints::read(dataset, a)?;

    let residual = |theta: &[f64], curve_targets: &[f64]| -> Vec<f64> {
        let e = model.expected(theta);
        let sums: Vec<f64> = e
            .iter()
            .map(|x| x.success.iter().sum::<f64>())
            .chain(e.iter().map(|x| x.other.iter().sum::<f64>()))
            .collect();
        // Counts are scaled to hundreds so that both kinds of condition weigh alike.
        let mut r: Vec<f64> = sums
            .iter()
            .zip(&count_targets)
            .map(|(s, t)| (s - t) / 100.0)
            .collect();
        let curve = pooled(&e, n_duration);
        for (t, target) in a.targets.iter().zip(curve_targets) {
            r.push(at(&curve, t.time, t.group) - target);
        }
        r
    };
    let n_params = a.parameters();
    let newton = |mut theta: Vec<f64>, curve_targets: &[f64]| -> Result<Vec<f64>> {
        let norm = |r: &[f64]| r.iter().map(|x| x.abs()).fold(0.0, f64::max);
        let mut r = residual(&theta, curve_targets);
        for _ in 0..a.solver.newton_iterations {
            if norm(&r) < 1e-12 {
                return Ok(theta);
            }
            let h = a.solver.step;
            let mut jac = vec![vec![0.0; n_params]; n_params];
            for j in 0..n_params {
                let mut up = theta.clone();
                let mut down = theta.clone();
                up[j] += h;
                down[j] -= h;
                let (ru, rd) = (residual(&up, curve_targets), residual(&down, curve_targets));
                for i in 0..n_params {
                    jac[i][j] = (ru[i] - rd[i]) / (2.0 * h);
                }
            }
            let step = solve_linear(jac, r.iter().map(|x| -x).collect())
                .ok_or_else(|| invalid("the hazard fit met a singular Jacobian"))?;
            // Halve the step until the residual shrinks (a damped Newton step).
            let mut scale = 1.0;
            loop {
                let trial: Vec<f64> = theta
                    .iter()
                    .zip(&step)
                    .map(|(t, s)| t + scale * s)
                    .collect();
                let rt = residual(&trial, curve_targets);
                if norm(&rt) < norm(&r) || scale < 1e-6 {
                    theta = trial;
                    r = rt;
                    break;
                }
                scale /= 2.0;
            }
        }
        if norm(&r) < 1e-9 {
            Ok(theta)
        } else {
            Err(invalid(format!(
                "the hazards could not be fitted to the targets (residual {:.3e}): the targets and counts are inconsistent under these assumptions",
                norm(&r)
            )))
        }
    };

    let base_targets: Vec<f64> = a.targets.iter().map(|t| t.value).collect();
    let mut adjusted = base_targets.clone();
    // Every hazard 3 % a month, every later cohort's ratio 1.
    let first_ratio = a.success_pieces.len() - 1 + a.other_pieces.len() - 1;
    let mut theta = vec![ln(0.03); n_params];
    for ratio in theta.iter_mut().skip(first_ratio) {
        *ratio = 0.0;
    }
    let mut best: Option<(f64, u32, Vec<f64>, Vec<LifeTableRow>)> = None;
    for round in 1..=a.solver.correction_rounds {
        theta = newton(theta, &adjusted)?;
        let table = integer_table(&model, &groups, &theta, &counts, k)?;
        let curve = pooled(&as_expected(&groups, &counts, &table, k, true), n_duration);
        let margin = checks.margin(&curve);
        if best.as_ref().is_none_or(|b| margin > b.0) {
            best = Some((margin, round, theta.clone(), table));
        }
        for (i, t) in a.targets.iter().enumerate() {
            adjusted[i] -= a.solver.damping * (at(&curve, t.time, t.group) - base_targets[i]);
        }
    }
    let Some((_, round, theta, table)) = best else {
        return Err(invalid("no correction round was run"));
    };
    let hazards = model.hazards(&theta);
    let pieces = |bounds: &[u32], h: &[f64]| -> Vec<HazardPiece> {
        bounds
            .windows(2)
            .map(|w| HazardPiece {
                from: w[0],
                to: w[1],
                rate: h[w[0] as usize],
            })
            .collect()
    };
    let mut reconstruction = Reconstruction {
        tier: "reconstructed",
        assumptions: a.clone(),
        parameters: HazardParameters {
            success: pieces(&a.success_pieces, &hazards.success),
            other: pieces(&a.other_pieces, &hazards.other),
            ratios: counts
                .iter()
                .zip(&hazards.ratios)
                .skip(1)
                .map(|(c, &(success, other))| CohortRatio {
                    cohort: c.cohort.clone(),
                    success,
                    other,
                })
                .collect(),
        },
        round,
        table,
        causes: package.causes.iter().map(|c| c.id.clone()).collect(),
        fit: Vec::new(),
        checks: Vec::new(),
        counts,
    };
    reconstruction.fit = fit(dataset, &groups, &reconstruction, &checks)?;
    reconstruction.checks = check_points(dataset, &groups, &reconstruction)?;
    Ok(reconstruction)
}

/// Rounds the expected counts of a fit to whole people and checks the risk sets.
fn integer_table(
    model: &Model,
    groups: &Groups,
    theta: &[f64],
    counts: &[CohortCounts],
    k: usize,
) -> Result<Vec<LifeTableRow>> {
    let expected = model.expected(theta);
    let mut rows = Vec::new();
    for (ci, c) in counts.iter().enumerate() {
        let e = &expected[ci];
        let mut per_cause: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for g in [Group::Success, Group::Other] {
            let causes: Vec<&String> = groups
                .known
                .iter()
                .filter(|x| groups.group_of(x) == Some(g))
                .collect();
            let total: u64 = causes.iter().map(|x| c.events[*x]).sum();
            let shape = match g {
                Group::Success => &e.success,
                Group::Other => &e.other,
            };
            for cause in causes {
                let n = c.events[cause];
                let weights: Vec<f64> = shape
                    .iter()
                    .map(|v| v * n as f64 / total.max(1) as f64)
                    .collect();
                per_cause.insert(cause.clone(), largest_remainder(&weights, n)?);
            }
        }
        // Unknown causes: timed like all outflow of the cohort.
        let all: Vec<f64> = e.success.iter().zip(&e.other).map(|(a, b)| a + b).collect();
        for cause in &groups.unknown {
            per_cause.insert(cause.clone(), largest_remainder(&all, c.events[cause])?);
        }
        let censored = largest_remainder(&e.censor, c.censored)?;
        if censored[0] > 0 {
            return Err(invalid("censoring at time 0"));
        }
        let mut at_risk = c.in_table;
        for m in 0..k {
            let events: BTreeMap<String, u64> = sibstat_core::order::map_of(
                per_cause.iter().map(|(cause, v)| (cause.clone(), v[m])),
            );
            let out: u64 = events.values().sum::<u64>() + censored[m + 1];
            if out > at_risk {
                return Err(invalid(format!(
                    "{} month {}: {out} leave but only {at_risk} are at risk",
                    c.cohort,
                    m + 1
                )));
            }
            rows.push(LifeTableRow {
                cohort: c.cohort.clone(),
                month: m as u32 + 1,
                at_risk,
                events,
                censored: censored[m + 1],
            });
            at_risk -= out;
        }
        if at_risk != 0 {
            return Err(invalid(format!(
                "{}: {at_risk} left at the cut-off",
                c.cohort
            )));
        }
    }
    Ok(rows)
}

/// The integer table as expected-count tables of the effect measurement (unknown cause
/// left out when `exclude_unknown`), for the fit loop.
fn as_expected(
    groups: &Groups,
    counts: &[CohortCounts],
    table: &[LifeTableRow],
    k: usize,
    exclude_unknown: bool,
) -> Vec<Expected> {
    let mut out = vec![empty(k); counts.len()];
    for row in table {
        let Some(ci) = counts.iter().position(|c| c.cohort == row.cohort) else {
            continue;
        };
        let m = row.month as usize - 1;
        for (cause, &n) in &row.events {
            match groups.group_of(cause) {
                Some(Group::Success) => out[ci].success[m] += n as f64,
                Some(Group::Other) => out[ci].other[m] += n as f64,
                None if !exclude_unknown => out[ci].other[m] += n as f64,
                None => {}
            }
        }
        out[ci].censor[m + 1] += row.censored as f64;
    }
    out
}

/// The published points of figure 3.2 and how far a curve is from them.
struct PublishedPoints {
    success_1y: f64,
    success_2y: f64,
    success_at_median: f64,
    failure_at_median: f64,
    tolerance: f64,
    window: [f64; 2],
}

/// The number id of a role the reconstruction needs (a printed figure's point, box 1's
/// counts), or `invalid_reconstruction` naming the role the package lacks.
fn needed<'a>(role: &'a Option<String>, name: &str) -> Result<&'a str> {
    NumberRoles::need(role, name, Code::InvalidReconstruction)
}

impl PublishedPoints {
    fn read(dataset: &Dataset, a: &Assumptions) -> Result<PublishedPoints> {
        let roles = &dataset.package.layout.numbers;
        Ok(PublishedPoints {
            success_1y: dataset.role(needed(&roles.success_1y, "success_1y")?)? / 100.0,
            success_2y: dataset.role(needed(&roles.success_2y, "success_2y")?)? / 100.0,
            success_at_median: dataset
                .role(needed(&roles.success_at_median, "success_at_median")?)?
                / 100.0,
            failure_at_median: dataset
                .role(needed(&roles.failure_at_median, "failure_at_median")?)?
                / 100.0,
            tolerance: a.tolerance_points / 100.0,
            window: a.median_window,
        })
    }

    /// The smallest margin (tolerance − distance) over the published points; a
    /// median outside the window counts as −1.
    fn margin(&self, curve: &[(f64, f64, f64)]) -> f64 {
        let Some(m) = curve.iter().position(|p| p.2 >= 0.5) else {
            return -1.0;
        };
        let median = m as f64 + 0.5;
        if !(median >= self.window[0] && median < self.window[1]) {
            return -1.0;
        }
        let k = curve.len() as f64;
        [
            (at(curve, 12.0, Group::Success), self.success_1y),
            (at(curve, k.min(24.0), Group::Success), self.success_2y),
            (curve[m].0, self.success_at_median),
            (curve[m].1, self.failure_at_median),
        ]
        .iter()
        .map(|(got, want)| self.tolerance - (got - want).abs())
        .fold(f64::INFINITY, f64::min)
    }
}

/// Outflows and censorings of a month (or of a pooled step ending in that month).
pub(crate) struct MonthSteps {
    /// The month (since entry) the outflows happened in, or the step's last month.
    pub month: u32,
    /// Successful outflows.
    pub success: u64,
    /// Other outflows.
    pub other: u64,
    /// Censored at the end of the month.
    pub censored: u64,
}

/// Survival rows from months: outflows during month m at m − 0.5 with status 1
/// (success) or 2 (other outflow), censorings at m with status 0 (after the outflows
/// of their month, as a life table reads them); empty counts are left out.
pub(crate) fn month_steps_data(steps: &[MonthSteps]) -> Result<SurvivalData> {
    let (mut time, mut status, mut count) = (Vec::new(), Vec::new(), Vec::new());
    for step in steps {
        let t = f64::from(step.month);
        for (s, n, tt) in [
            (1.0, step.success, t - 0.5),
            (2.0, step.other, t - 0.5),
            (0.0, step.censored, t),
        ] {
            if n > 0 {
                time.push(Some(tt));
                status.push(Some(s));
                count.push(Some(n as f64));
            }
        }
    }
    SurvivalData::new(time, status, Some(count), None)
}

impl Reconstruction {
    /// The table as survival rows for a definition state and cohort: outflows at
    /// month − 0.5 with status 1 (success) or 2 (other outflow), censorings at the
    /// month with status 0. Excluded causes are left out (as the report leaves out the
    /// unknown cause), not censored.
    ///
    /// `cohort` is a cohort's id, or `None` for every cohort.
    pub fn survival_data(
        &self,
        state: &DefinitionState,
        cohort: Option<&str>,
    ) -> Result<SurvivalData> {
        let mut steps = Vec::new();
        for row in self
            .table
            .iter()
            .filter(|r| cohort.is_none_or(|c| r.cohort == c))
        {
            let (mut success, mut other) = (0u64, 0u64);
            for (cause, &n) in &row.events {
                match state.classify(cause) {
                    Class::Success => success += n,
                    Class::Failure => other += n,
                    Class::Excluded => {}
                }
            }
            steps.push(MonthSteps {
                month: row.month,
                success,
                other,
                censored: row.censored,
            });
        }
        month_steps_data(&steps)
    }

    /// Participants of the table under a state and cohort (the excluded causes left out).
    pub fn participants(&self, state: &DefinitionState, cohort: Option<&str>) -> u64 {
        self.counts
            .iter()
            .filter(|c| cohort.is_none_or(|id| c.cohort == id))
            .map(|c| {
                let excluded: u64 = c
                    .events
                    .iter()
                    .filter(|(cause, _)| state.classify(cause) == Class::Excluded)
                    .map(|(_, n)| n)
                    .sum();
                c.in_table - excluded
            })
            .sum()
    }

    /// The table as CSV: `cohort,month,at_risk,<cause ids...>,censored`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("cohort,month,at_risk");
        for cause in &self.causes {
            out.push(',');
            out.push_str(cause);
        }
        out.push_str(",censored\n");
        for row in &self.table {
            out.push_str(&format!("{},{},{}", row.cohort, row.month, row.at_risk));
            for cause in &self.causes {
                out.push_str(&format!(",{}", row.events.get(cause).copied().unwrap_or(0)));
            }
            out.push_str(&format!(",{}\n", row.censored));
        }
        out
    }
}

/// The fit against every published point, computed with the crate's estimators on
/// the table under the report's own definition (effect, unknown excluded, both cohorts).
fn fit(
    dataset: &Dataset,
    groups: &Groups,
    r: &Reconstruction,
    checks: &PublishedPoints,
) -> Result<Vec<FitPoint>> {
    let roles = &dataset.package.layout.numbers;
    let outflow = &dataset.package.layout.outflow;
    let data = r.survival_data(&groups.figure, None)?;
    let cif = survival::cumulative_incidence(&data, &CumulativeIncidenceOptions::default())?;
    let km_data = any_outflow(&data)?;
    let km = survival::kaplan_meier(&km_data, &KaplanMeierOptions::default())?;
    let curve = cif.curves.first().ok_or_else(|| invalid("no curve"))?;
    let median = km.curves.first().and_then(|c| c.median.estimate);
    let at_time = |cause: u32, t: f64| curve.cif_at(cause, t).unwrap_or(0.0) * 100.0;
    let mut points = Vec::new();
    // (point id, cohort, cause, unknown moment) of the cause counts, set after the loop.
    let mut details: Vec<(String, String, String, u64)> = Vec::new();
    let mut point =
        |id: &str, label: &str, value: f64, tolerance: f64, within: Option<bool>| -> Result<()> {
            let entry = dataset.get(id);
            let published = entry.map(|e| e.value).unwrap_or(f64::NAN);
            let difference = value - published;
            points.push(FitPoint {
                id: id.to_string(),
                label: label.to_string(),
                published,
                unit: entry.map(|e| e.unit).unwrap_or(Unit::Count),
                source: entry.map(|e| e.source.clone()),
                approx: entry.is_some_and(|e| e.approx),
                cohort: None,
                cause: None,
                unknown_moment: None,
                reconstructed: value,
                difference,
                tolerance,
                within: within.unwrap_or(difference.abs() <= tolerance + 1e-9),
            });
            if entry.is_none() {
                return Err(Error::new(
                    Code::InvalidDataFile,
                    format!("data file: \"{id}\" is missing"),
                ));
            }
            Ok(())
        };
    let tol = checks.tolerance * 100.0;
    point(
        needed(&roles.success_1y, "success_1y")?,
        "Successful outflow one year after entry (%)",
        at_time(1, 12.0),
        tol,
        None,
    )?;
    point(
        needed(&roles.success_2y, "success_2y")?,
        "Successful outflow two years after entry (%)",
        at_time(1, 24.0),
        tol,
        None,
    )?;
    let m = median.unwrap_or(f64::NAN);
    let window = checks.window;
    point(
        needed(&roles.median_months, "median_months")?,
        "Median months to any outflow ('just under one year')",
        m,
        window[1] - window[0],
        Some(m >= window[0] && m < window[1]),
    )?;
    point(
        needed(&roles.success_at_median, "success_at_median")?,
        "Successful outflow at the median (%)",
        at_time(1, m),
        tol,
        None,
    )?;
    point(
        needed(&roles.failure_at_median, "failure_at_median")?,
        "Other outflow at the median (%)",
        at_time(2, m),
        tol,
        None,
    )?;
    let any = at_time(1, m) + at_time(2, m);
    point(
        needed(&roles.outflow_at_median, "outflow_at_median")?,
        "Any outflow at the median (%; at least 50 by definition)",
        any,
        tol,
        Some(any >= 50.0 && any - 50.0 <= tol),
    )?;
    // Counts: exact.
    let n: u64 = r.counts.iter().map(|c| c.in_duration_analysis).sum();
    point(
        needed(&roles.duration_analysis_n, "duration_analysis_n")?,
        "Participants in the duration analysis",
        n as f64,
        0.0,
        None,
    )?;
    for (ci, c) in r.counts.iter().enumerate() {
        let col = c.cohort.as_str();
        let censored: u64 = r
            .table
            .iter()
            .filter(|row| row.cohort == col)
            .map(|row| row.censored)
            .sum();
        point(
            &format!(
                "{}.{}.{}.{col}.count",
                outflow.table, outflow.block, outflow.none
            ),
            &format!("No outflow, {col} (censored)"),
            censored as f64,
            0.0,
            None,
        )?;
        for cause in &r.causes {
            let got: u64 = r
                .table
                .iter()
                .filter(|row| row.cohort == col)
                .map(|row| row.events.get(cause).copied().unwrap_or(0))
                .sum();
            let moment = r.counts[ci]
                .unknown_moment_by_cause
                .get(cause)
                .copied()
                .unwrap_or(0);
            // The table holds the outflow table's count less the allocated unknown moment.
            let id = format!("{}.{}.{cause}.{col}.count", outflow.table, outflow.causes);
            details.push((id.clone(), col.to_string(), cause.clone(), moment));
            point(
                &id,
                &format!("Outflow {cause}, {col}, plus {moment} of unknown moment"),
                (got + moment) as f64,
                0.0,
                None,
            )?;
        }
    }
    for (id, cohort, cause, moment) in details {
        if let Some(p) = points.iter_mut().find(|p| p.id == id) {
            p.cohort = Some(cohort);
            p.cause = Some(cause);
            p.unknown_moment = Some(moment);
        }
    }
    Ok(points)
}

/// The same rows with every outflow as one event (status 1): 1 − KM of any outflow.
pub fn any_outflow(data: &SurvivalData) -> Result<SurvivalData> {
    SurvivalData::new(
        data.time().iter().map(|&t| Some(t)).collect(),
        data.status()
            .iter()
            .map(|&s| Some(f64::from(u8::from(s > 0))))
            .collect(),
        Some(data.count().iter().map(|&c| Some(c)).collect()),
        None,
    )
}

/// The published mean duration (≈ 33 weeks, section 3.3) beside the reconstruction's.
fn check_points(dataset: &Dataset, groups: &Groups, r: &Reconstruction) -> Result<Vec<CheckPoint>> {
    let id = needed(
        &dataset.package.layout.numbers.mean_duration_weeks,
        "mean_duration_weeks",
    )?;
    let entry = dataset.get(id).ok_or_else(|| {
        Error::new(
            Code::InvalidDataFile,
            format!("data file: \"{id}\" is missing"),
        )
    })?;
    let (mut n, mut total) = (0u64, 0.0);
    for row in &r.table {
        let out: u64 = row
            .events
            .iter()
            .filter(|(c, _)| groups.group_of(c).is_some())
            .map(|(_, n)| n)
            .sum();
        n += out;
        total += out as f64 * (f64::from(row.month) - 0.5);
    }
    let weeks = if n > 0 {
        total / n as f64 * 52.0 / 12.0
    } else {
        0.0
    };
    Ok(vec![CheckPoint {
        id: id.to_string(),
        label: "Mean duration to outflow (weeks)".into(),
        published: entry.value,
        unit: entry.unit,
        source: entry.source.clone(),
        approx: entry.approx,
        reconstructed: weeks,
        reading: "Read as the mean of the observed durations of those who flowed out (the text calls it biased because durations still running are not in it); not a fitted target.".into(),
    }])
}
