//! The result measurement of box 1: the share successful 28 months after the first
//! day of sickness, from the reconstructed curve (time since entry) and the sickness
//! duration at entry (table 3.1), against the payment targets (35.5 % after two
//! years, 60 % after four).
//!
//! A participant who entered after D months of sickness is measured 28 − D months
//! after entry. Within each band of table 3.1 ("0–0.5 year", ...) D is taken as
//! uniform (an assumption); the unknown band is left out (its 7 participants are
//! assumed to be like the others). Where 28 − D lies beyond the last month the curve
//! observes, the curve is held at its last value (a lower bound: nobody still in the
//! SIB succeeds later) and, for the upper bound, everyone still in the SIB is counted
//! as a success. The share of participants in that extrapolated part is reported.

use super::dataset::Dataset;
use serde::Serialize;
use sibstat_core::error::{Code, Error, Result};
use sibstat_core::survival::IncidenceCurve;

/// Points per band of the midpoint rule that averages the curve over a band (the
/// curve is a step function; 1200 points per six months put every step within 0.005
/// month).
const GRID: usize = 1200;

/// One band's contribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandResult {
    /// Row id of table 3.1.
    pub band: String,
    /// Participants in the band (table 3.1, published).
    pub participants: u64,
    /// Weight of the band among the known bands.
    pub weight: f64,
    /// Months since entry at which the band is measured: [28 − to, 28 − from].
    pub measured_at: [f64; 2],
    /// Average successful share in the band, curve held flat beyond follow-up.
    pub success_lower: f64,
    /// Same, with everyone still in the SIB beyond follow-up counted as success.
    pub success_upper: f64,
    /// Share of the band measured beyond the curve's last observed month.
    pub beyond_follow_up: f64,
}

/// The 28-month result measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResultMeasurement {
    /// Always `reconstructed`.
    pub tier: &'static str,
    /// Months after the first day of sickness (box 1: 28).
    pub months_after_sickness: f64,
    /// Last month the curve observes (the largest time in the rows).
    pub follow_up_months: f64,
    /// The share successful: curve held flat beyond follow-up (lower bound).
    pub success_share: f64,
    /// Upper bound: everyone still in the SIB beyond follow-up succeeds.
    pub success_share_upper: f64,
    /// Share of participants measured beyond the observed follow-up (flagged).
    pub beyond_follow_up: f64,
    /// Per band.
    pub bands: Vec<BandResult>,
    /// Participants of unknown sickness duration left out of the weights.
    pub unknown_duration: u64,
    /// Target after two years (fraction, box 1).
    pub target_2y: f64,
    /// Target after four years (fraction, box 1).
    pub target_4y: f64,
    /// success_share − target_2y.
    pub gap_2y: f64,
    /// success_share − target_4y.
    pub gap_4y: f64,
}

/// Computes the result measurement for a curve (causes 1 = success, 2 = other) and
/// the sickness-duration column (`cohort1`, `cohort2` or `all`) of table 3.1.
pub fn result_measurement(
    dataset: &Dataset,
    curve: &IncidenceCurve,
    column: &str,
) -> Result<ResultMeasurement> {
    let roles = &dataset.package.layout.numbers;
    let layout = &dataset.package.layout.sickness_duration;
    let months = dataset.role(&roles.result_measured_months)?;
    let follow_up = curve
        .time
        .last()
        .copied()
        .ok_or_else(|| Error::new(Code::EmptyData, "the reconstructed curve has no times"))?;
    let success_at = |t: f64| curve.cif_at(1, t).unwrap_or(0.0);
    let other_at = |t: f64| curve.cif_at(2, t).unwrap_or(0.0);
    let still_in = 1.0 - success_at(follow_up) - other_at(follow_up);
    let mut counts = Vec::new();
    for band in &layout.bands {
        counts.push(dataset.cell_count(&layout.table, &layout.block, &band.row, column)?);
    }
    let known: u64 = counts.iter().sum();
    if known == 0 {
        return Err(Error::new(
            Code::EmptyData,
            format!(
                "table {} has no participants of known sickness duration in {column}",
                layout.table
            ),
        ));
    }
    let unknown = dataset.cell_count(&layout.table, &layout.block, &layout.unknown, column)?;
    let mut bands = Vec::new();
    let (mut lower, mut upper, mut beyond) = (0.0, 0.0, 0.0);
    for (spec, &n) in layout.bands.iter().zip(&counts) {
        let (from, to) = (spec.from_months, spec.to_months);
        let weight = n as f64 / known as f64;
        let (mut lo, mut hi, mut out) = (0.0, 0.0, 0.0);
        for i in 0..GRID {
            let d = from + (to - from) * (i as f64 + 0.5) / GRID as f64;
            let t = months - d;
            let s = success_at(t.min(follow_up));
            lo += s;
            if t > follow_up {
                hi += s + still_in;
                out += 1.0;
            } else {
                hi += s;
            }
        }
        let g = GRID as f64;
        let band = BandResult {
            band: spec.row.clone(),
            participants: n,
            weight,
            measured_at: [months - to, months - from],
            success_lower: lo / g,
            success_upper: hi / g,
            beyond_follow_up: out / g,
        };
        lower += weight * band.success_lower;
        upper += weight * band.success_upper;
        beyond += weight * band.beyond_follow_up;
        bands.push(band);
    }
    let target_2y = dataset.role(&roles.target_2y)? / 100.0;
    let target_4y = dataset.role(&roles.target_4y)? / 100.0;
    Ok(ResultMeasurement {
        tier: "reconstructed",
        months_after_sickness: months,
        follow_up_months: follow_up,
        success_share: lower,
        success_share_upper: upper,
        beyond_follow_up: beyond,
        bands,
        unknown_duration: unknown,
        target_2y,
        target_4y,
        gap_2y: lower - target_2y,
        gap_4y: lower - target_4y,
    })
}
