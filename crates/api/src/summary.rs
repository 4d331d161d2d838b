//! The request of the summary analysis.

use super::to_value;
use serde::Deserialize;
use serde_json::Value;
use sibstat_core::error::{Code, Error, Result};
use sibstat_core::summary::{summarise, WeightedValues};

/// `{"analysis": "summary", "values", "count"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryRequest {
    /// The values.
    pub values: Vec<Option<f64>>,
    /// Individuals per value, default 1 each.
    #[serde(default)]
    pub count: Option<Vec<Option<f64>>>,
}

impl SummaryRequest {
    /// Validated core input.
    pub fn to_core(&self) -> Result<WeightedValues> {
        WeightedValues::new(self.values.clone(), self.count.clone())
    }

    pub(super) fn run(self) -> Result<Value> {
        let summary = summarise(&self.to_core()?)
            .ok_or_else(|| Error::new(Code::EmptyData, "no individuals to summarise"))?;
        to_value(&summary)
    }
}
