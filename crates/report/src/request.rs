//! The request of the report page: `{"analysis": "joining_forces", "definition"?,
//! "success_causes"?, "unknown"?, "cohort"?, "conf_level"?}` → everything the page
//! shows for that state (see [`crate::report`] for the response).

use crate::{Cause, Cohort, Definition, DefinitionState, UnknownPolicy, ViewState};
use serde::Deserialize;
use serde_json::Value;
use sibstat_api::{check_conf_level, Label};
use sibstat_core::error::{Code, Error, Result};

/// `{"analysis": "joining_forces", "definition": "effect"|"result"|"custom",
/// "success_causes": [cause ids] (custom only), "unknown": "exclude"|"success"|"failure",
/// "cohort": "all"|"1"|"2", "conf_level": 0.95}`; every key optional (defaults: effect,
/// exclude, all, 0.95).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoiningForcesRequest {
    /// `effect` (default), `result` or `custom`.
    #[serde(default)]
    pub definition: Option<String>,
    /// For `custom`: the causes (ids of table 3.2) that count as success.
    #[serde(default)]
    pub success_causes: Option<Vec<Cause>>,
    /// Outflows of unknown cause: `exclude` (default), `success` or `failure`.
    #[serde(default)]
    pub unknown: Option<UnknownPolicy>,
    /// `all` (default), `1` or `2` (a string or a number).
    #[serde(default)]
    pub cohort: Option<Label>,
    /// Confidence level, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
}

impl JoiningForcesRequest {
    /// The validated view state.
    pub fn to_core(&self) -> Result<ViewState> {
        let unknown = self.unknown.unwrap_or(UnknownPolicy::Exclude);
        let name = self.definition.as_deref().unwrap_or("effect");
        let definition = match (name, &self.success_causes) {
            ("effect" | "result", Some(_)) => {
                return Err(Error::new(
                    Code::InvalidDefinition,
                    "\"success_causes\" belongs to the custom definition only",
                ))
            }
            ("effect", None) => Definition::Effect,
            ("result", None) => Definition::Result,
            ("custom", None) => {
                return Err(Error::new(
                    Code::MissingKey,
                    "the custom definition needs \"success_causes\": a list of cause ids of table 3.2 (an empty list makes every known cause a failure)",
                ))
            }
            ("custom", Some(causes)) => {
                let mut success = causes.clone();
                success.sort();
                success.dedup();
                Definition::Custom {
                    success,
                    excluded: Vec::new(),
                }
            }
            (other, _) => {
                return Err(Error::new(
                    Code::InvalidOption,
                    format!("unknown definition \"{other}\": use effect, result or custom"),
                ))
            }
        };
        let cohort = match self.cohort.clone().map(Label::into_string).as_deref() {
            None | Some("all") => Cohort::All,
            Some("1") => Cohort::Cohort1,
            Some("2") => Cohort::Cohort2,
            Some(other) => {
                return Err(Error::new(
                    Code::InvalidOption,
                    format!("unknown cohort \"{other}\": use \"all\", \"1\" or \"2\""),
                ))
            }
        };
        Ok(ViewState {
            definition: DefinitionState::new(definition, unknown)?,
            cohort,
            conf_level: check_conf_level(self.conf_level)?,
        })
    }

    /// The report's response for this view state.
    pub fn run(self) -> Result<Value> {
        let view = self.to_core()?;
        let dataset = crate::published()?;
        crate::report_response(&dataset, &view)
    }
}

/// Runs a `{"analysis": "joining_forces", ...}` request given as a JSON value.
pub fn analyse(mut request: Value) -> Result<Value> {
    if let Some(object) = request.as_object_mut() {
        object.remove("analysis");
    }
    let parsed: JoiningForcesRequest =
        serde_json::from_value(request).map_err(|e| sibstat_api::shape_error(&e.to_string()))?;
    parsed.run()
}
