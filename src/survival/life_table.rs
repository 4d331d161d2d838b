//! The actuarial life table on given interval breaks. (Being written.)

use super::SurvivalData;
use crate::error::{Result, Warning};
use serde::Serialize;

/// Options of the life table.
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTableOptions {
    /// Interval boundaries, strictly increasing.
    pub breaks: Vec<f64>,
    /// Confidence level in (0, 1).
    pub conf_level: f64,
}

impl LifeTableOptions {
    /// Validates the breaks.
    pub fn new(breaks: Vec<Option<f64>>, conf_level: f64) -> Result<Self> {
        let breaks = super::finite_values("breaks", breaks)?;
        Ok(LifeTableOptions { breaks, conf_level })
    }
}

/// A life table per group.
#[derive(Debug, Clone, Serialize)]
pub struct LifeTable {
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Builds the actuarial life table.
pub fn life_table(_data: &SurvivalData, _options: &LifeTableOptions) -> Result<LifeTable> {
    todo!("life table")
}
