//! The request of the proportion analysis.

use super::{check_conf_level, to_value};
use serde::Deserialize;
use serde_json::Value;
use sibstat_core::binomial::{proportion, ProportionInput, ProportionMethod};
use sibstat_core::error::{Code, Error, Result};

/// `{"analysis": "proportion", "successes", "trials", "conf_level"?, "method"?, "null"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProportionRequest {
    /// Number of successes.
    pub successes: Option<f64>,
    /// Number of trials.
    pub trials: Option<f64>,
    /// Confidence level, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
    /// `"wilson"` (default), `"clopper-pearson"` or `"wald"`.
    #[serde(default)]
    pub method: Option<ProportionMethod>,
    /// Hypothesised proportion to test against.
    #[serde(default)]
    pub null: Option<f64>,
}

impl ProportionRequest {
    /// Validated core input.
    pub fn to_core(&self) -> Result<ProportionInput> {
        let number = |name: &str, value: Option<f64>| {
            value.filter(|v| v.is_finite()).ok_or_else(|| {
                Error::new(
                    Code::NonFiniteValue,
                    format!("{name} is missing, NaN or infinite: give a whole number"),
                )
            })
        };
        ProportionInput::new(
            number("successes", self.successes)?,
            number("trials", self.trials)?,
            check_conf_level(self.conf_level)?,
            self.method.unwrap_or_default(),
            self.null,
        )
    }

    pub(super) fn run(self) -> Result<Value> {
        to_value(&proportion(&self.to_core()?))
    }
}
