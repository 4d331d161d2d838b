//! Statistic names and their evaluation on resampled counts.
//!
//! | analysis wrapped | statistic names |
//! | --- | --- |
//! | `kaplan_meier` | `survival@T`, `median`, `survival@grid` (a band) |
//! | `cumulative_incidence` | `cif<k>@T` (cause k), `cif<k>@grid` (a band) |
//! | `logit` | `coef:<term>`, `ame:<term>` (term names as in the logit's response) |
//! | `proportion` | `estimate` |
//! | `summary` | `mean`, `median` |
//!
//! With groups in survival data every survival statistic names its group in square
//! brackets, as the group label is written: `survival@12[cohort 1]`, `median[2]`,
//! `cif1@24[cohort 2]`; without groups no brackets. `T` is a time (a number, at least 0
//! and at most the last time in the data). A `@grid` name stands for the same statistic
//! at every time of the request's `grid`, reported as a pointwise band.
//!
//! A statistic that is undefined on a resample (a median the curve does not reach, a
//! logit that does not converge or is separated) evaluates to NaN internally and is
//! counted as a failed replicate; NaN never reaches a response.

use super::resample::Units;
use crate::binomial::{average_marginal_effect, LogitFit, LogitModel, ProportionInput};
use crate::error::{Code, Error, Result};
use crate::summary::{summarise, WeightedValues};
use crate::survival::{median_time, EventTable, SurvivalData, TableLayout};

/// The analysis a bootstrap wraps, as the core's validated inputs.
#[derive(Debug, Clone)]
pub enum Wrapped {
    /// Kaplan–Meier on survival rows.
    KaplanMeier(SurvivalData),
    /// Aalen–Johansen cumulative incidence on survival rows.
    CumulativeIncidence(SurvivalData),
    /// A logit on grouped binomial rows.
    Logit(LogitModel),
    /// One binomial proportion.
    Proportion(ProportionInput),
    /// A (weighted) summary.
    Summary(WeightedValues),
}

/// Checks statistic names for their documented forms only: what a request that the
/// bootstrap cannot wrap is checked for before it is refused.
pub fn check_statistic_names(names: &[String]) -> Result<()> {
    if names.is_empty() {
        return Err(empty_statistics());
    }
    names.iter().try_for_each(|name| check_form(name))
}

fn empty_statistics() -> Error {
    Error::new(
        Code::UnknownStatistic,
        "statistics is empty: name at least one statistic, such as \"survival@12\"",
    )
}

/// One requested statistic after parsing: its display name and, for a band, the
/// grid times it expands to.
#[derive(Debug, Clone, PartialEq)]
pub struct Requested {
    /// The name as requested (`survival@grid[cohort 1]` for a band).
    pub name: String,
    /// Positions of its values among the evaluator's scalar statistics: one for a
    /// scalar statistic, one per grid time for a band.
    pub indices: Vec<usize>,
    /// The grid times of a band; `None` for a scalar statistic.
    pub band_times: Option<Vec<f64>>,
}

/// A scalar statistic of survival data.
#[derive(Debug, Clone, Copy, PartialEq)]
enum SurvivalStatistic {
    SurvivalAt {
        group: usize,
        time: f64,
    },
    Median {
        group: usize,
    },
    CifAt {
        group: usize,
        cause: usize,
        time: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum LogitStatistic {
    Coefficient(usize),
    Ame(usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum SummaryStatistic {
    Mean,
    Median,
}

/// Survival rows prepared for re-evaluation: per group, the rows arranged once for
/// the estimators' own event table and product-limit pass.
#[derive(Debug, Clone)]
struct SurvivalPlan {
    /// Per group: its rows in time order.
    groups: Vec<TableLayout>,
    /// True for cumulative incidence (the pass also gives the CIFs).
    incidence: bool,
    statistics: Vec<SurvivalStatistic>,
}

/// Reusable buffers of an evaluation, so that evaluating a resample allocates
/// nothing once they have grown (survival statistics; the logit and the summary
/// still allocate inside their own fits).
#[derive(Debug, Clone)]
pub struct Workspace {
    table: EventTable,
    survival: Vec<f64>,
    cif: Vec<Vec<f64>>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            table: EventTable::empty(&[]),
            survival: Vec::new(),
            cif: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Survival(SurvivalPlan),
    Logit {
        model: Box<LogitModel>,
        start: Vec<f64>,
        /// Per unit: (row, true for the success cell).
        cells: Vec<(usize, bool)>,
        statistics: Vec<LogitStatistic>,
        terms: Vec<String>,
    },
    Proportion {
        trials: f64,
        /// Per unit: true for the success cell.
        cells: Vec<bool>,
    },
    Summary {
        data: WeightedValues,
        statistics: Vec<SummaryStatistic>,
    },
}

/// The statistics of one wrapped analysis, ready to be evaluated on resampled unit
/// counts.
#[derive(Debug, Clone)]
pub struct Evaluator {
    analysis: &'static str,
    kind: Kind,
    units: Units,
    requested: Vec<Requested>,
    n_scalars: usize,
}

impl Evaluator {
    /// Parses the statistic names against the wrapped request. `grid` gives the times
    /// of `@grid` statistics; `strata` asks for resampling within the groups.
    pub fn new(
        wrapped: Wrapped,
        names: &[String],
        grid: Option<&[f64]>,
        strata: bool,
    ) -> Result<Self> {
        if names.is_empty() {
            return Err(empty_statistics());
        }
        match wrapped {
            Wrapped::KaplanMeier(data) => survival(data, names, grid, strata, false),
            Wrapped::CumulativeIncidence(data) => survival(data, names, grid, strata, true),
            Wrapped::Logit(model) => {
                no_strata(strata, "logit")?;
                no_grid(grid)?;
                logit(model, names)
            }
            Wrapped::Proportion(input) => {
                no_strata(strata, "proportion")?;
                no_grid(grid)?;
                let mut requested = Vec::new();
                for name in names {
                    check_form(name)?;
                    if name != "estimate" {
                        return Err(not_available(name, "proportion", "estimate"));
                    }
                    requested.push(scalar(name, requested.len()));
                }
                let (s, f) = (input.successes, input.trials - input.successes);
                let mut cells = Vec::new();
                let mut counts = Vec::new();
                for (is_success, c) in [(true, s), (false, f)] {
                    if c > 0.0 {
                        cells.push(is_success);
                        counts.push(c);
                    }
                }
                Ok(Evaluator {
                    analysis: "proportion",
                    kind: Kind::Proportion {
                        trials: input.trials,
                        cells,
                    },
                    units: Units::unstratified(counts),
                    n_scalars: requested.len(),
                    requested,
                })
            }
            Wrapped::Summary(data) => {
                no_strata(strata, "summary")?;
                no_grid(grid)?;
                let mut statistics = Vec::new();
                let mut requested = Vec::new();
                for name in names {
                    check_form(name)?;
                    statistics.push(match name.as_str() {
                        "mean" => SummaryStatistic::Mean,
                        "median" => SummaryStatistic::Median,
                        _ => return Err(not_available(name, "summary", "mean, median")),
                    });
                    requested.push(scalar(name, requested.len()));
                }
                Ok(Evaluator {
                    analysis: "summary",
                    units: Units::unstratified(data.counts().to_vec()),
                    kind: Kind::Summary { data, statistics },
                    n_scalars: requested.len(),
                    requested,
                })
            }
        }
    }

    /// The wrapped analysis' name.
    pub fn analysis(&self) -> &'static str {
        self.analysis
    }

    /// The resampling units and strata.
    pub fn units(&self) -> &Units {
        &self.units
    }

    /// The requested statistics, in request order.
    pub fn requested(&self) -> &[Requested] {
        &self.requested
    }

    /// Number of scalar values one evaluation writes (band times expanded).
    pub fn n_scalars(&self) -> usize {
        self.n_scalars
    }

    /// Evaluates every scalar statistic on unit counts `counts`, writing NaN where a
    /// statistic is undefined.
    pub fn evaluate(&self, counts: &[f64], out: &mut [f64]) {
        self.evaluate_with(counts, out, &mut Workspace::default());
    }

    /// [`Evaluator::evaluate`] with reusable buffers: the bootstrap's loop.
    pub fn evaluate_with(&self, counts: &[f64], out: &mut [f64], workspace: &mut Workspace) {
        match &self.kind {
            Kind::Survival(plan) => plan.evaluate(counts, out, workspace),
            Kind::Logit {
                model,
                start,
                cells,
                statistics,
                terms,
            } => {
                let rows = model.design().n_rows();
                let (mut s, mut f) = (vec![0.0; rows], vec![0.0; rows]);
                for (&(row, success), &c) in cells.iter().zip(counts) {
                    if success {
                        s[row] += c;
                    } else {
                        f[row] += c;
                    }
                }
                let fit = model
                    .fit_with_weights_from(&s, &f, Some(start))
                    .ok()
                    .filter(usable_fit);
                for (k, statistic) in statistics.iter().enumerate() {
                    out[k] = fit
                        .as_ref()
                        .and_then(|fit| match *statistic {
                            LogitStatistic::Coefficient(j) => Some(fit.coefficients[j]),
                            LogitStatistic::Ame(j) => {
                                average_marginal_effect(model, fit, &terms[j])
                            }
                        })
                        .filter(|v| v.is_finite())
                        .unwrap_or(f64::NAN);
                }
            }
            Kind::Proportion { trials, cells } => {
                let successes: f64 = cells
                    .iter()
                    .zip(counts)
                    .filter(|(s, _)| **s)
                    .map(|(_, c)| c)
                    .sum();
                out.fill(successes / trials);
            }
            Kind::Summary { data, statistics } => {
                let summary = summarise(&data.with_counts(counts.to_vec()));
                for (k, statistic) in statistics.iter().enumerate() {
                    out[k] = match (&summary, statistic) {
                        (Some(s), SummaryStatistic::Mean) => s.mean,
                        (Some(s), SummaryStatistic::Median) => s.median,
                        (None, _) => f64::NAN,
                    };
                }
            }
        }
    }
}

/// A fit whose estimates are maximum-likelihood estimates: converged, not separated.
fn usable_fit(fit: &LogitFit) -> bool {
    fit.converged && fit.separation.is_none()
}

fn scalar(name: &str, index: usize) -> Requested {
    Requested {
        name: name.to_string(),
        indices: vec![index],
        band_times: None,
    }
}

fn no_strata(strata: bool, analysis: &str) -> Result<()> {
    if strata {
        Err(Error::new(
            Code::StrataWithoutGroups,
            format!(
                "strata is true but a {analysis} request has no groups: stratified resampling needs survival data with data.group"
            ),
        ))
    } else {
        Ok(())
    }
}

fn no_grid(grid: Option<&[f64]>) -> Result<()> {
    match grid {
        Some(_) => Err(Error::new(
            Code::InvalidOption,
            "grid is for bands of survival and incidence curves (survival@grid, cif1@grid): drop it",
        )),
        None => Ok(()),
    }
}

fn not_available(name: &str, analysis: &str, available: &str) -> Error {
    Error::new(
        Code::StatisticNotAvailable,
        format!("a {analysis} request cannot give statistic \"{name}\": it gives {available}"),
    )
}

/// Errors with [`Code::UnknownStatistic`] unless `name` has one of the documented forms.
fn check_form(name: &str) -> Result<()> {
    let base = split_group(name).0;
    let known = match base {
        "median" | "mean" | "estimate" => true,
        _ => {
            if let Some(rest) = base.strip_prefix("survival@") {
                !rest.is_empty()
            } else if let Some(rest) = base.strip_prefix("cif") {
                match rest.split_once('@') {
                    Some((k, t)) => {
                        !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) && !t.is_empty()
                    }
                    None => false,
                }
            } else if let Some(term) = base
                .strip_prefix("coef:")
                .or_else(|| base.strip_prefix("ame:"))
            {
                !term.is_empty()
            } else {
                false
            }
        }
    };
    if known {
        Ok(())
    } else {
        Err(Error::new(
            Code::UnknownStatistic,
            format!(
                "unknown statistic \"{name}\": use survival@T, median, cif<k>@T, survival@grid, cif<k>@grid (with [group] for grouped survival data), coef:<term>, ame:<term>, estimate or mean"
            ),
        ))
    }
}

/// `base[group]` → (`base`, Some(`group`)).
fn split_group(name: &str) -> (&str, Option<&str>) {
    if let (Some(open), true) = (name.find('['), name.ends_with(']')) {
        (&name[..open], Some(&name[open + 1..name.len() - 1]))
    } else {
        (name, None)
    }
}

/// A time point of a name: a finite number in [0, last time].
fn time_point(name: &str, text: &str, last: f64) -> Result<f64> {
    let t: f64 = text.trim().parse().map_err(|_| {
        Error::new(
            Code::UnknownStatistic,
            format!("statistic \"{name}\": \"{text}\" is not a time; write e.g. survival@12"),
        )
    })?;
    check_time(name, t, last)
}

fn check_time(name: &str, t: f64, last: f64) -> Result<f64> {
    if t.is_finite() && t >= 0.0 && t <= last {
        Ok(t)
    } else {
        Err(Error::new(
            Code::InvalidTimePoint,
            format!(
                "statistic \"{name}\" at time {t}: give a time between 0 and the last time in the data ({last})"
            ),
        ))
    }
}

fn survival(
    data: SurvivalData,
    names: &[String],
    grid: Option<&[f64]>,
    strata: bool,
    incidence: bool,
) -> Result<Evaluator> {
    let analysis = if incidence {
        "cumulative_incidence"
    } else {
        "kaplan_meier"
    };
    if strata && data.group().is_none() {
        return Err(Error::new(
            Code::StrataWithoutGroups,
            "strata is true but the data have no data.group: give groups, or set strata to false",
        ));
    }
    let groups = data.groups();
    let labels: Vec<Option<String>> = groups.iter().map(|(g, _)| g.clone()).collect();
    let causes = data.causes();
    let last = data
        .time()
        .iter()
        .zip(data.count())
        .filter(|(_, &c)| c > 0.0)
        .map(|(&t, _)| t)
        .fold(0.0, f64::max);
    let mut statistics = Vec::new();
    let mut requested = Vec::new();
    let mut band_used = false;
    for name in names {
        check_form(name)?;
        let (base, group_label) = split_group(name);
        let available = if incidence {
            "cif<k>@T and cif<k>@grid"
        } else {
            "survival@T, median and survival@grid"
        };
        let group = match (group_label, data.group()) {
            (None, None) => 0,
            (Some(label), Some(_)) => labels
                .iter()
                .position(|l| l.as_deref() == Some(label))
                .ok_or_else(|| {
                    Error::new(
                        Code::StatisticNotAvailable,
                        format!(
                            "statistic \"{name}\": the data have no group \"{label}\"; groups are {}",
                            labels.iter().flatten().cloned().collect::<Vec<_>>().join(", ")
                        ),
                    )
                })?,
            (None, Some(_)) => {
                return Err(Error::new(
                    Code::StatisticNotAvailable,
                    format!(
                        "statistic \"{name}\": the data have groups, so name one in brackets, e.g. \"{name}[{}]\"",
                        labels.iter().flatten().next().cloned().unwrap_or_default()
                    ),
                ))
            }
            (Some(_), None) => {
                return Err(Error::new(
                    Code::StatisticNotAvailable,
                    format!("statistic \"{name}\" names a group but the data have no data.group"),
                ))
            }
        };
        // The scalar statistic at time t, or the median.
        let make = |t: f64| -> Result<SurvivalStatistic> {
            if let (false, Some(_)) = (incidence, base.strip_prefix("survival@")) {
                return Ok(SurvivalStatistic::SurvivalAt { group, time: t });
            }
            if let (true, Some(rest)) = (incidence, base.strip_prefix("cif")) {
                let k: u32 = rest.split('@').next().unwrap_or("").parse().unwrap_or(0);
                let cause = causes.iter().position(|&c| c == k).ok_or_else(|| {
                    Error::new(
                        Code::StatisticNotAvailable,
                        format!(
                            "statistic \"{name}\": the data have no events of cause {k}; causes are {causes:?}"
                        ),
                    )
                })?;
                return Ok(SurvivalStatistic::CifAt {
                    group,
                    cause,
                    time: t,
                });
            }
            Err(not_available(name, analysis, available))
        };
        if base == "median" {
            if incidence {
                return Err(not_available(name, analysis, available));
            }
            statistics.push(SurvivalStatistic::Median { group });
            requested.push(scalar(name, statistics.len() - 1));
        } else if base.ends_with("@grid") {
            let times = grid.ok_or_else(|| {
                Error::new(
                    Code::MissingKey,
                    format!("statistic \"{name}\" is a band: give its times in \"grid\""),
                )
            })?;
            band_used = true;
            let mut indices = Vec::new();
            for &t in times {
                statistics.push(make(check_time(name, t, last)?)?);
                indices.push(statistics.len() - 1);
            }
            requested.push(Requested {
                name: name.clone(),
                indices,
                band_times: Some(times.to_vec()),
            });
        } else if let Some((_, t)) = base.split_once('@') {
            // Check what the analysis gives before the time, so that cif1@12 on a
            // kaplan_meier request is "not available" rather than a time problem.
            make(0.0)?;
            statistics.push(make(time_point(name, t, last)?)?);
            requested.push(scalar(name, statistics.len() - 1));
        } else {
            return Err(not_available(name, analysis, available));
        }
    }
    if grid.is_some() && !band_used {
        return Err(Error::new(
            Code::InvalidOption,
            "grid is given but no statistic is a band: add e.g. \"survival@grid\" or drop grid",
        ));
    }
    let layouts = groups
        .iter()
        .map(|(_, rows)| TableLayout::new(data.time(), data.status(), rows, &causes))
        .collect();
    let counts = data.count().to_vec();
    let units = if strata {
        Units {
            counts,
            strata: groups.iter().map(|(_, rows)| rows.clone()).collect(),
        }
    } else {
        Units::unstratified(counts)
    };
    Ok(Evaluator {
        analysis,
        kind: Kind::Survival(SurvivalPlan {
            groups: layouts,
            incidence,
            statistics,
        }),
        units,
        n_scalars: requested.iter().map(|r| r.indices.len()).sum(),
        requested,
    })
}

impl SurvivalPlan {
    /// Each statistic from its group's curve on `counts`: the event table and the
    /// product-limit pass of `kaplan_meier` and `aalen_johansen` (so the estimate on
    /// the data equals theirs bit for bit), refilled in `workspace`.
    fn evaluate(&self, counts: &[f64], out: &mut [f64], workspace: &mut Workspace) {
        let mut current = usize::MAX;
        let Workspace {
            table,
            survival,
            cif,
        } = workspace;
        for (k, statistic) in self.statistics.iter().enumerate() {
            let g = match *statistic {
                SurvivalStatistic::SurvivalAt { group, .. }
                | SurvivalStatistic::Median { group }
                | SurvivalStatistic::CifAt { group, .. } => group,
            };
            if g != current {
                table.fill(&self.groups[g], counts);
                table.product_limit(survival, self.incidence.then_some(&mut *cif));
                current = g;
            }
            if table.is_empty() {
                out[k] = f64::NAN;
                continue;
            }
            let at = |t: f64| table.time.partition_point(|&x| x <= t).checked_sub(1);
            out[k] = match *statistic {
                SurvivalStatistic::SurvivalAt { time, .. } => at(time).map_or(1.0, |i| survival[i]),
                SurvivalStatistic::CifAt { cause, time, .. } => {
                    at(time).map_or(0.0, |i| cif[cause][i])
                }
                SurvivalStatistic::Median { .. } => {
                    median_time(&table.time, |i| Some(survival[i])).unwrap_or(f64::NAN)
                }
            };
        }
    }
}

fn logit(model: LogitModel, names: &[String]) -> Result<Evaluator> {
    let terms: Vec<String> = model.terms().iter().map(|t| t.to_string()).collect();
    let mut statistics = Vec::new();
    let mut requested = Vec::new();
    for name in names {
        check_form(name)?;
        let (kind, term) = if let Some(term) = name.strip_prefix("coef:") {
            ("coef", term)
        } else if let Some(term) = name.strip_prefix("ame:") {
            ("ame", term)
        } else {
            return Err(not_available(name, "logit", "coef:<term> and ame:<term>"));
        };
        let j = model.design().column_index(term).ok_or_else(|| {
            Error::new(
                Code::StatisticNotAvailable,
                format!(
                    "statistic \"{name}\": the model has no term \"{term}\"; its terms are {}",
                    terms.join(", ")
                ),
            )
        })?;
        statistics.push(if kind == "coef" {
            LogitStatistic::Coefficient(j)
        } else {
            if j == 0 {
                return Err(Error::new(
                    Code::StatisticNotAvailable,
                    format!("statistic \"{name}\": the intercept has no marginal effect"),
                ));
            }
            LogitStatistic::Ame(j)
        });
        requested.push(scalar(name, requested.len()));
    }
    let fit = model.fit()?;
    let start = fit.coefficients.clone();
    let mut cells = Vec::new();
    let mut counts = Vec::new();
    for (row, (&s, &t)) in model.successes().iter().zip(model.trials()).enumerate() {
        for (success, c) in [(true, s), (false, t - s)] {
            if c > 0.0 {
                cells.push((row, success));
                counts.push(c);
            }
        }
    }
    Ok(Evaluator {
        analysis: "logit",
        kind: Kind::Logit {
            model: Box::new(model),
            start,
            cells,
            statistics,
            terms,
        },
        units: Units::unstratified(counts),
        n_scalars: requested.len(),
        requested,
    })
}
