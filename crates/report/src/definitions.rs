//! Success definitions: each outflow cause of table 3.2 is a success, a failure or
//! excluded, by definition and by the policy for the unknown cause.
//!
//! - **Effect measurement** (the evaluator's, section 3.2 and box 1): success = own job,
//!   another job inside Defence, a job outside Defence.
//! - **Result measurement** (the payment definition, box 1): additionally the transfer
//!   to the IVA disability benefit.
//! - **Custom**: any set of the known causes is a success, any other set excluded, the
//!   rest a failure.
//!
//! The 33 outflows of unknown cause are governed by the [`UnknownPolicy`] whatever the
//! definition: left out (as the report does), counted as success or as failure.

use serde::{Deserialize, Serialize};
use sibstat_core::error::{Code, Error, Result};

/// An outflow cause of table 3.2 (block "Indien uitstroom: oorzaak").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Plaatsing/terugkeer eigen werk.
    OwnJob,
    /// Plaatsing elders binnen Defensie (first track).
    ElsewhereDefence,
    /// Plaatsing buiten Defensie (second track).
    OutsideDefence,
    /// Instroom ZW door afloop contract (sickness benefit at the end of a contract).
    SicknessBenefit,
    /// Ontslag op eigen verzoek (leaving the programme at one's own request).
    OwnRequest,
    /// Doorstroom naar IVA-uitkering (full, lasting disability benefit).
    Iva,
    /// Overig: leeftijdsontslag, overlijden, strafontslag.
    Other,
    /// Onbekend: moment of outflow known, cause not registered.
    Unknown,
}

impl Cause {
    /// Every cause, in the order of table 3.2.
    pub const ALL: [Cause; 8] = [
        Cause::OwnJob,
        Cause::ElsewhereDefence,
        Cause::OutsideDefence,
        Cause::SicknessBenefit,
        Cause::OwnRequest,
        Cause::Iva,
        Cause::Other,
        Cause::Unknown,
    ];

    /// Every cause but the unknown one (whose place the unknown-cause policy decides):
    /// [`Cause::ALL`] without its last entry.
    pub const KNOWN: [Cause; 7] = {
        let mut known = [Cause::Unknown; 7];
        let mut i = 0;
        while i < known.len() {
            known[i] = Cause::ALL[i];
            i += 1;
        }
        known
    };

    /// The row id of the cause in table 3.2 of the data file.
    pub fn row_id(self) -> &'static str {
        match self {
            Cause::OwnJob => "own_job",
            Cause::ElsewhereDefence => "elsewhere_defence",
            Cause::OutsideDefence => "outside_defence",
            Cause::SicknessBenefit => "sickness_benefit",
            Cause::OwnRequest => "own_request",
            Cause::Iva => "iva",
            Cause::Other => "other",
            Cause::Unknown => "unknown",
        }
    }

    /// The cause with the given row id.
    pub fn from_id(id: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.row_id() == id)
    }
}

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

/// A success definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "definition", rename_all = "snake_case")]
pub enum Definition {
    /// Effect measurement: own job, elsewhere in Defence, outside Defence.
    Effect,
    /// Result measurement: the effect measurement plus the IVA benefit.
    Result,
    /// Custom: the `success` causes succeed, the `excluded` ones are left out, the
    /// other known causes fail.
    Custom {
        /// Causes counted as success.
        success: Vec<Cause>,
        /// Causes left out.
        excluded: Vec<Cause>,
    },
}

/// A definition together with the unknown policy: the state that every number of the
/// report follows (`def` and `unknown` in the report's URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefinitionState {
    /// The definition.
    pub definition: Definition,
    /// The unknown policy.
    pub unknown: UnknownPolicy,
}

/// The state as it arrives from the page: `{"definition": "effect"|"result"|"custom",
/// "unknown": "exclude"|"success"|"failure", "success"?: [causes], "excluded"?: [causes]}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionRequest {
    /// `effect`, `result` or `custom`.
    pub definition: String,
    /// The unknown policy (default `exclude`).
    #[serde(default)]
    pub unknown: Option<UnknownPolicy>,
    /// For `custom`: the causes that count as success.
    #[serde(default)]
    pub success: Option<Vec<Cause>>,
    /// For `custom`: the causes left out.
    #[serde(default)]
    pub excluded: Option<Vec<Cause>>,
}

fn invalid_definition(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidDefinition, message)
}

impl DefinitionState {
    /// The effect measurement, unknown causes excluded (the report's own analysis).
    pub fn effect() -> DefinitionState {
        DefinitionState {
            definition: Definition::Effect,
            unknown: UnknownPolicy::Exclude,
        }
    }

    /// A validated state. A custom definition may not name the unknown cause (it is
    /// governed by the policy), nor name a cause both as success and as excluded.
    pub fn new(definition: Definition, unknown: UnknownPolicy) -> Result<DefinitionState> {
        if let Definition::Custom { success, excluded } = &definition {
            if success.contains(&Cause::Unknown) || excluded.contains(&Cause::Unknown) {
                return Err(invalid_definition(
                    "a custom definition cannot place the cause \"unknown\": use the unknown policy (exclude, success, failure)",
                ));
            }
            if let Some(both) = success.iter().find(|c| excluded.contains(c)) {
                return Err(invalid_definition(format!(
                    "the cause \"{}\" is both a success and excluded",
                    both.row_id()
                )));
            }
        }
        Ok(DefinitionState {
            definition,
            unknown,
        })
    }

    /// Parses a state as sent by the page (see [`DefinitionRequest`]).
    pub fn from_request(request: DefinitionRequest) -> Result<DefinitionState> {
        let unknown = request.unknown.unwrap_or(UnknownPolicy::Exclude);
        let custom_keys = request.success.is_some() || request.excluded.is_some();
        let definition = match request.definition.as_str() {
            "effect" | "result" if custom_keys => {
                return Err(invalid_definition(
                    "\"success\" and \"excluded\" belong to the custom definition only",
                ))
            }
            "effect" => Definition::Effect,
            "result" => Definition::Result,
            "custom" => Definition::Custom {
                success: request.success.unwrap_or_default(),
                excluded: request.excluded.unwrap_or_default(),
            },
            other => {
                return Err(Error::new(
                    Code::InvalidOption,
                    format!("unknown definition \"{other}\": use effect, result or custom"),
                ))
            }
        };
        DefinitionState::new(definition, unknown)
    }

    /// What this state makes of a cause.
    pub fn classify(&self, cause: Cause) -> Class {
        if cause == Cause::Unknown {
            return match self.unknown {
                UnknownPolicy::Exclude => Class::Excluded,
                UnknownPolicy::Success => Class::Success,
                UnknownPolicy::Failure => Class::Failure,
            };
        }
        match &self.definition {
            Definition::Effect => match cause {
                Cause::OwnJob | Cause::ElsewhereDefence | Cause::OutsideDefence => Class::Success,
                _ => Class::Failure,
            },
            Definition::Result => match cause {
                Cause::OwnJob | Cause::ElsewhereDefence | Cause::OutsideDefence | Cause::Iva => {
                    Class::Success
                }
                _ => Class::Failure,
            },
            Definition::Custom { success, excluded } => {
                if success.contains(&cause) {
                    Class::Success
                } else if excluded.contains(&cause) {
                    Class::Excluded
                } else {
                    Class::Failure
                }
            }
        }
    }
}
