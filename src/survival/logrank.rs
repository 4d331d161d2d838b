//! The log-rank test, optionally stratified, as R's `survdiff`. (Being written.)

use super::SurvivalData;
use crate::error::{Result, Warning};
use serde::Serialize;

/// Result of the log-rank test.
#[derive(Debug, Clone, Serialize)]
pub struct Logrank {
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Compares the survival of the groups of `data`, within `strata` when given.
pub fn logrank(_data: &SurvivalData, _strata: Option<&[String]>) -> Result<Logrank> {
    todo!("log-rank test")
}
