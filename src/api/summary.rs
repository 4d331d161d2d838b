//! The request of the summary analysis. (Being written.)

use crate::error::Result;
use serde::Deserialize;
use serde_json::Value;

/// `{"analysis": "summary", "values", "count"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryRequest {
    /// Number of successes.
    pub successes: Option<f64>,
    /// Number of trials.
    pub trials: Option<f64>,
}

impl SummaryRequest {
    pub(super) fn run(self) -> Result<Value> {
        todo!("summary")
    }
}
