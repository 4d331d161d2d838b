//! Aalen–Johansen cumulative incidence with competing causes. (Being written.)

use super::{ConfType, SurvivalData};
use crate::error::{Result, Warning};
use serde::{Deserialize, Serialize};

/// How the standard errors of the cumulative incidence are computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VarianceMethod {
    /// As R's `survfit` on a multi-state status (infinitesimal jackknife).
    #[default]
    Survfit,
    /// As cmprsk's `cuminc` (Aalen-type delta method).
    Aalen,
}

/// Options of the cumulative incidence.
#[derive(Debug, Clone, PartialEq)]
pub struct CumulativeIncidenceOptions {
    /// Confidence level in (0, 1).
    pub conf_level: f64,
    /// CI transform.
    pub conf_type: ConfType,
    /// Variance method.
    pub variance: VarianceMethod,
}

impl CumulativeIncidenceOptions {
    /// The CI transform used when the request names none.
    pub const DEFAULT_CONF_TYPE: ConfType = ConfType::Log;
}

/// Cumulative incidence curves per group.
#[derive(Debug, Clone, Serialize)]
pub struct CumulativeIncidence {
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Estimates the cumulative incidence of each cause per group.
pub fn cumulative_incidence(
    _data: &SurvivalData,
    _options: &CumulativeIncidenceOptions,
) -> Result<CumulativeIncidence> {
    todo!("Aalen–Johansen estimator")
}
