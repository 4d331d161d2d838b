//! The view state of the report page as a request object: `{"definition"?,
//! "success_causes"?, "unknown"?, "cohort"?, "conf_level"?}` (an `"analysis":
//! "joining_forces"` key is allowed), validated against the package.

use crate::{Dataset, DefinitionState, UnknownPolicy, ViewState};
use serde::Deserialize;
use serde_json::Value;
use sibstat_api::{check_conf_level, Label};
use sibstat_core::error::{Code, Error, Result};

/// `{"analysis": "joining_forces", "definition": a definition id of the package or
/// "custom", "success_causes": [cause ids] (custom only), "unknown":
/// "exclude"|"success"|"failure", "cohort": "all" or a cohort's key, "conf_level": 0.95}`;
/// every key optional (defaults: the package's default definition, exclude, all, 0.95).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoiningForcesRequest {
    /// A named definition's id (default: the package's) or `custom`.
    #[serde(default)]
    pub definition: Option<String>,
    /// For `custom`: the causes that count as success.
    #[serde(default)]
    pub success_causes: Option<Vec<String>>,
    /// Outflows of unknown cause: `exclude` (default), `success` or `failure`.
    #[serde(default)]
    pub unknown: Option<UnknownPolicy>,
    /// `all` (default) or a cohort's key (a string or a number).
    #[serde(default)]
    pub cohort: Option<Label>,
    /// Confidence level, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
}

impl JoiningForcesRequest {
    /// The validated view state.
    pub fn to_core(&self, dataset: &Dataset) -> Result<ViewState> {
        let package = &dataset.package;
        let unknown = self.unknown.unwrap_or(UnknownPolicy::Exclude);
        let name = self
            .definition
            .as_deref()
            .unwrap_or(package.default_definition.as_str());
        let definition = match (name, &self.success_causes) {
            ("custom", None) => {
                return Err(Error::new(
                    Code::MissingKey,
                    "the custom definition needs \"success_causes\": a list of cause ids (an empty list makes every known cause a failure)",
                ))
            }
            ("custom", Some(causes)) => {
                let mut success = causes.clone();
                sibstat_core::order::sort_by(&mut success, Ord::cmp);
                success.dedup();
                DefinitionState::custom(package, &success, &[], unknown)?
            }
            (_, Some(_)) => {
                return Err(Error::new(
                    Code::InvalidDefinition,
                    "\"success_causes\" belongs to the custom definition only",
                ))
            }
            (named, None) => DefinitionState::named(package, named, unknown)?,
        };
        let key = self
            .cohort
            .clone()
            .map(Label::into_string)
            .unwrap_or_else(|| package.all.key.clone());
        let cohort = package.cohort_by_key(&key).ok_or_else(|| {
            let keys: Vec<String> = std::iter::once(&package.all)
                .chain(&package.cohorts)
                .map(|c| format!("\"{}\"", c.key))
                .collect();
            Error::new(
                Code::InvalidOption,
                format!("unknown cohort \"{key}\": use {}", keys.join(", ")),
            )
        })?;
        Ok(ViewState {
            definition,
            cohort: cohort.id.clone(),
            conf_level: check_conf_level(self.conf_level)?,
        })
    }
}

/// The view state of a request object (an `"analysis"` key is ignored).
pub(crate) fn view_state(dataset: &Dataset, request: &Value) -> Result<ViewState> {
    let mut request = request.clone();
    if let Some(object) = request.as_object_mut() {
        object.remove("analysis");
    }
    let parsed: JoiningForcesRequest =
        serde_json::from_value(request).map_err(|e| sibstat_api::shape_error(&e.to_string()))?;
    parsed.to_core(dataset)
}

/// Runs a `{"analysis": "joining_forces", ...}` request on the package shipped with the
/// native build, prepared once per process.
#[cfg(feature = "embedded")]
pub fn analyse(request: Value) -> Result<Value> {
    crate::shipped()?.view(&request)
}
