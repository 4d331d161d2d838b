//! Success definitions: each outflow cause of the package is a success, a failure or
//! excluded, by definition and by the policy for the unknown causes.
//!
//! The named definitions come from the package (Joining Forces: the effect measurement
//! counts own job, another job inside Defence and a job outside Defence; the result
//! measurement adds the IVA benefit). A custom definition is any set of the known
//! causes as success, any other set excluded, the rest failure. The causes marked
//! `unknown` follow the [`UnknownPolicy`] whatever the definition: left out (as the
//! report does), counted as success or as failure.

use crate::package::Package;
use serde::{Deserialize, Serialize};
use sibstat_core::error::{Code, Error, Result};

/// What a definition makes of a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Counts as a success.
    Success,
    /// Counts as a failure.
    Failure,
    /// Left out of the base.
    Excluded,
}

impl Class {
    /// The class as the responses write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Success => "success",
            Class::Failure => "failure",
            Class::Excluded => "excluded",
        }
    }
}

/// What to do with the outflows of unknown cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownPolicy {
    /// Leave them out of every base (the report's choice).
    Exclude,
    /// Count them as successes (upper bound).
    Success,
    /// Count them as failures (lower bound).
    Failure,
}

impl UnknownPolicy {
    /// The policy as the page writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            UnknownPolicy::Exclude => "exclude",
            UnknownPolicy::Success => "success",
            UnknownPolicy::Failure => "failure",
        }
    }
}

/// A definition together with the unknown policy, resolved against a package: the
/// state that every number of the report follows (`def`, `causes` and `unknown` in the
/// report's URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefinitionState {
    /// A named definition's id, or `custom`.
    pub definition: String,
    /// The known causes counted as success, in the package's order.
    pub success: Vec<String>,
    /// The known causes left out (custom only), in the package's order.
    pub excluded: Vec<String>,
    /// The unknown policy.
    pub unknown: UnknownPolicy,
    /// Every cause of the package with its class, in the package's order.
    #[serde(skip)]
    classes: Vec<(String, Class)>,
}

/// The state as it arrives from the page: `{"definition": a definition id or "custom",
/// "unknown": "exclude"|"success"|"failure", "success"?: [causes], "excluded"?: [causes]}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionRequest {
    /// A named definition's id or `custom`.
    pub definition: String,
    /// The unknown policy (default `exclude`).
    #[serde(default)]
    pub unknown: Option<UnknownPolicy>,
    /// For `custom`: the causes that count as success.
    #[serde(default)]
    pub success: Option<Vec<String>>,
    /// For `custom`: the causes left out.
    #[serde(default)]
    pub excluded: Option<Vec<String>>,
}

fn invalid_definition(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidDefinition, message)
}

impl DefinitionState {
    /// The named definition `id` of the package with an unknown policy.
    pub fn named(package: &Package, id: &str, unknown: UnknownPolicy) -> Result<DefinitionState> {
        let spec = package.definition(id).ok_or_else(|| {
            let names: Vec<&str> = package.definitions.iter().map(|d| d.id.as_str()).collect();
            Error::new(
                Code::InvalidOption,
                format!(
                    "unknown definition \"{id}\": use {} or custom",
                    names.join(", ")
                ),
            )
        })?;
        DefinitionState::resolve(package, id, &spec.success, &[], unknown)
    }

    /// The package's own definition (the report's analysis), unknown causes excluded.
    pub fn report_default(package: &Package) -> Result<DefinitionState> {
        DefinitionState::named(package, &package.default_definition, UnknownPolicy::Exclude)
    }

    /// A custom definition: `success` and `excluded` are ids of known causes.
    pub fn custom(
        package: &Package,
        success: &[String],
        excluded: &[String],
        unknown: UnknownPolicy,
    ) -> Result<DefinitionState> {
        DefinitionState::resolve(package, "custom", success, excluded, unknown)
    }

    /// A validated state. A definition may not name an unknown cause (it is governed
    /// by the policy) or a cause the package does not have, nor name a cause both as
    /// success and as excluded.
    fn resolve(
        package: &Package,
        definition: &str,
        success: &[String],
        excluded: &[String],
        unknown: UnknownPolicy,
    ) -> Result<DefinitionState> {
        for cause in success.iter().chain(excluded) {
            match package.causes.iter().find(|c| &c.id == cause) {
                None => {
                    let known: Vec<&str> =
                        package.known_causes().map(|c| c.id.as_str()).collect();
                    return Err(invalid_definition(format!(
                        "unknown cause \"{cause}\": use one of {}",
                        known.join(", ")
                    )));
                }
                Some(c) if c.unknown => {
                    return Err(invalid_definition(format!(
                        "a definition cannot place the cause \"{cause}\": use the unknown policy (exclude, success, failure)"
                    )))
                }
                Some(_) => {}
            }
        }
        if let Some(both) = success.iter().find(|c| excluded.contains(c)) {
            return Err(invalid_definition(format!(
                "the cause \"{both}\" is both a success and excluded"
            )));
        }
        let classes: Vec<(String, Class)> = package
            .causes
            .iter()
            .map(|c| {
                let class = if c.unknown {
                    match unknown {
                        UnknownPolicy::Exclude => Class::Excluded,
                        UnknownPolicy::Success => Class::Success,
                        UnknownPolicy::Failure => Class::Failure,
                    }
                } else if success.contains(&c.id) {
                    Class::Success
                } else if excluded.contains(&c.id) {
                    Class::Excluded
                } else {
                    Class::Failure
                };
                (c.id.clone(), class)
            })
            .collect();
        let listed = |set: &[String]| -> Vec<String> {
            package
                .known_causes()
                .filter(|c| set.contains(&c.id))
                .map(|c| c.id.clone())
                .collect()
        };
        Ok(DefinitionState {
            definition: definition.to_string(),
            success: listed(success),
            excluded: listed(excluded),
            unknown,
            classes,
        })
    }

    /// Parses a state as sent by the page (see [`DefinitionRequest`]).
    pub fn from_request(package: &Package, request: DefinitionRequest) -> Result<DefinitionState> {
        let unknown = request.unknown.unwrap_or(UnknownPolicy::Exclude);
        let custom_keys = request.success.is_some() || request.excluded.is_some();
        if request.definition == "custom" {
            return DefinitionState::custom(
                package,
                &request.success.unwrap_or_default(),
                &request.excluded.unwrap_or_default(),
                unknown,
            );
        }
        if custom_keys {
            return Err(invalid_definition(
                "\"success\" and \"excluded\" belong to the custom definition only",
            ));
        }
        DefinitionState::named(package, &request.definition, unknown)
    }

    /// The same definition under another unknown policy.
    pub fn with_unknown(&self, package: &Package, unknown: UnknownPolicy) -> Result<Self> {
        DefinitionState::resolve(
            package,
            &self.definition,
            &self.success,
            &self.excluded,
            unknown,
        )
    }

    /// What this state makes of a cause (by id); a cause the package lacks is excluded.
    pub fn classify(&self, cause: &str) -> Class {
        self.classes
            .iter()
            .find(|(id, _)| id == cause)
            .map_or(Class::Excluded, |(_, class)| *class)
    }

    /// Every cause of the package with its class, in the package's order.
    pub fn classes(&self) -> &[(String, Class)] {
        &self.classes
    }
}
