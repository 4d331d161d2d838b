//! The request of the Guyot reconstruction: a digitised Kaplan–Meier curve and its
//! numbers at risk → individual (time, status, count) rows.

use super::to_value;
use serde::Deserialize;
use serde_json::Value;
use sibstat_core::error::Result;
use sibstat_core::survival::{guyot, GuyotInput};

/// The digitised curve: `{"time": [...], "survival": [...]}` (survival as a fraction).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurveInput {
    /// Times of the digitised points.
    pub time: Vec<Option<f64>>,
    /// Survival at those points, between 0 and 1.
    pub survival: Vec<Option<f64>>,
}

/// The printed numbers at risk: `{"time": [...], "n": [...]}`, the first at time 0.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AtRiskInput {
    /// Times of the numbers at risk.
    pub time: Vec<Option<f64>>,
    /// Numbers at risk.
    pub n: Vec<Option<f64>>,
}

/// `{"analysis": "guyot", "curve": {time, survival}, "at_risk": {time, n},
/// "total_events"?: n}` → `{data: {time, status, count}, n, events, censored, fit:
/// {max_abs_survival_error, mean_abs_survival_error, at_risk: [{time, given,
/// reconstructed}], total_events_given, total_events_reconstructed}, warnings}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuyotRequest {
    /// The digitised curve.
    pub curve: CurveInput,
    /// The numbers at risk.
    pub at_risk: AtRiskInput,
    /// Total number of events, if published.
    #[serde(default)]
    pub total_events: Option<Option<f64>>,
}

impl GuyotRequest {
    /// Validated core input.
    pub fn to_core(&self) -> Result<GuyotInput> {
        GuyotInput::new(
            self.curve.time.clone(),
            self.curve.survival.clone(),
            self.at_risk.time.clone(),
            self.at_risk.n.clone(),
            self.total_events,
        )
    }

    pub(super) fn run(self) -> Result<Value> {
        to_value(&guyot(&self.to_core()?)?)
    }
}
