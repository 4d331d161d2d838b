//! The request of the proportion analysis. (Being written.)

use crate::error::Result;
use serde::Deserialize;
use serde_json::Value;

/// `{"analysis": "proportion", "successes", "trials", "conf_level"?, "method"?, "null"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProportionRequest {
    /// Number of successes.
    pub successes: Option<f64>,
    /// Number of trials.
    pub trials: Option<f64>,
}

impl ProportionRequest {
    pub(super) fn run(self) -> Result<Value> {
        todo!("proportion")
    }
}
