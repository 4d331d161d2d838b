//! The request of the bootstrap. (Being written.)

use crate::error::Result;
use serde::Deserialize;
use serde_json::Value;

/// `{"analysis": "proportion", "successes", "trials", "conf_level"?, "method"?, "null"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapRequest {
    /// Number of successes.
    pub successes: Option<f64>,
    /// Number of trials.
    pub trials: Option<f64>,
}

impl BootstrapRequest {
    pub(super) fn run(self) -> Result<Value> {
        todo!("bootstrap")
    }
}
