//! # sibstat-api
//!
//! The analysis API: one entry point, JSON in and JSON out, shared by the CLI and the
//! WebAssembly boundary (the contract is in `docs/API.md`). It turns requests into the
//! core's validated inputs, enforces the limits, and writes responses; it computes no
//! statistic itself.
//!
//! A request is an object whose `analysis` key names the analysis; its other keys are
//! that analysis' inputs, and unknown keys are an error. Every response carries a
//! `warnings` array. Errors carry a stable [`Code`].

mod binomial;
mod bootstrap;
mod bootstrap_run;
mod guyot;
mod logit;
mod summary;
mod survival;

pub use binomial::ProportionRequest;
pub use bootstrap::{BootstrapRequest, DEFAULT_REPLICATES, DEFAULT_SEED, MAX_SEED};
pub use bootstrap_run::{
    wrapped, BootstrapOptions, BootstrapRun, Progress, MAX_REPLICATES, MAX_REPLICATE_UNITS,
    MAX_STORED_VALUES,
};
pub use guyot::{AtRiskInput, CurveInput, GuyotRequest};
pub use logit::{LogitRequest, MAX_COLUMNS};
pub use summary::SummaryRequest;
pub use survival::{
    CumulativeIncidenceRequest, KaplanMeierRequest, LifeTableRequest, LogrankRequest,
    SurvivalDataInput, MAX_CAUSES, MAX_COMPARED_GROUPS,
};

use serde::Deserialize;
use serde_json::Value;
pub use sibstat_core::error::{Code, Error, Result, Warning, WarningCode};

/// The analyses the API knows, as named in the `analysis` key.
pub const ANALYSES: &[&str] = &[
    "kaplan_meier",
    "cumulative_incidence",
    "logrank",
    "life_table",
    "proportion",
    "logit",
    "summary",
    "bootstrap",
    "guyot",
];

/// A parsed request: which analysis (its `analysis` key, in snake_case), with its
/// validated-shape inputs.
#[derive(Debug, Clone)]
pub enum Request {
    /// Kaplan–Meier survival curves.
    KaplanMeier(KaplanMeierRequest),
    /// Aalen–Johansen cumulative incidence with competing causes.
    CumulativeIncidence(CumulativeIncidenceRequest),
    /// Log-rank test, optionally stratified.
    Logrank(LogrankRequest),
    /// Actuarial life table on given interval breaks.
    LifeTable(LifeTableRequest),
    /// A binomial proportion with its confidence interval.
    Proportion(ProportionRequest),
    /// Logistic regression on grouped binomial rows, with marginal effects.
    Logit(LogitRequest),
    /// Descriptive summary of (weighted) values.
    Summary(SummaryRequest),
    /// Bootstrap of statistics of another analysis.
    Bootstrap(BootstrapRequest),
    /// Individual data reconstructed from a digitised Kaplan–Meier curve.
    Guyot(GuyotRequest),
}

impl Request {
    /// Parses a request from a JSON value, mapping every problem to a coded error.
    pub fn from_value(mut value: Value) -> Result<Request> {
        let Some(object) = value.as_object_mut() else {
            return Err(Error::new(
                Code::InvalidType,
                "the request must be a JSON object with an \"analysis\" key",
            ));
        };
        let name = match object.remove("analysis") {
            None => {
                return Err(Error::new(
                    Code::MissingKey,
                    format!(
                        "the request has no \"analysis\" key: name one of {}",
                        ANALYSES.join(", ")
                    ),
                ))
            }
            Some(Value::String(name)) => name,
            Some(other) => return Err(unknown_analysis(&other)),
        };
        // Each request type deserialised from the value itself: serde's internally
        // tagged enum would first buffer the request into an intermediate form, a
        // second deserialiser per type in the WebAssembly module.
        Ok(match name.as_str() {
            "kaplan_meier" => Request::KaplanMeier(parse(value)?),
            "cumulative_incidence" => Request::CumulativeIncidence(parse(value)?),
            "logrank" => Request::Logrank(parse(value)?),
            "life_table" => Request::LifeTable(parse(value)?),
            "proportion" => Request::Proportion(parse(value)?),
            "logit" => Request::Logit(parse(value)?),
            "summary" => Request::Summary(parse(value)?),
            "bootstrap" => Request::Bootstrap(parse(value)?),
            "guyot" => Request::Guyot(parse(value)?),
            _ => return Err(unknown_analysis(&Value::String(name))),
        })
    }

    /// Runs the analysis.
    pub fn run(self) -> Result<Value> {
        match self {
            Request::KaplanMeier(r) => r.run(),
            Request::CumulativeIncidence(r) => r.run(),
            Request::Logrank(r) => r.run(),
            Request::LifeTable(r) => r.run(),
            Request::Proportion(r) => r.run(),
            Request::Logit(r) => r.run(),
            Request::Summary(r) => r.run(),
            Request::Bootstrap(r) => r.run(),
            Request::Guyot(r) => r.run(),
        }
    }
}

fn unknown_analysis(name: &Value) -> Error {
    Error::new(
        Code::UnknownAnalysis,
        format!(
            "unknown analysis {name}: use one of {}",
            ANALYSES.join(", ")
        ),
    )
}

/// A request's keys (without `"analysis"`) as the request type `T`. Read from a
/// borrowed value, as the report reads its files, so both share one deserialiser per
/// type they have in common (lists of numbers, labels) in the WebAssembly module.
fn parse<T: serde::de::DeserializeOwned>(value: Value) -> Result<T> {
    T::deserialize(&value).map_err(|e| shape_error(&e.to_string()))
}

/// The limits a page's inputs must respect, as the engine enforces them:
/// `{max_replicates, max_replicate_units, max_seed, default_replicates, default_seed,
/// max_groups, max_compared_groups, max_causes, max_logit_columns}`.
pub fn limits() -> Value {
    serde_json::json!({
        "max_replicates": MAX_REPLICATES,
        "max_replicate_units": MAX_REPLICATE_UNITS,
        // As a double: 2^53 is exact in f64, and serde_wasm_bindgen refuses u64 above 2^53 − 1.
        "max_seed": MAX_SEED as f64,
        "default_replicates": DEFAULT_REPLICATES,
        "default_seed": DEFAULT_SEED,
        "max_groups": sibstat_core::survival::MAX_GROUPS,
        "max_compared_groups": MAX_COMPARED_GROUPS,
        "max_causes": MAX_CAUSES,
        "max_logit_columns": MAX_COLUMNS,
    })
}

/// Every error and warning code the engine can emit: `{errors: [..], warnings: [..]}`,
/// so a page can check that it translates each.
pub fn codes() -> Value {
    serde_json::json!({
        "errors": Code::ALL,
        "warnings": WarningCode::ALL,
    })
}

/// The API's JSON envelope of an error: `{"error": {"code", "message"}}`.
pub fn error_envelope(error: &Error) -> Value {
    serde_json::json!({ "error": { "code": error.code, "message": error.message } })
}

/// Runs a `{"analysis": "logit", ...}` request alone, without the other analyses'
/// code (the report fits its logit models through this; a module without the generic
/// `analyse` then carries no other analysis' response code).
pub fn analyse_logit(mut request: Value) -> Result<Value> {
    if let Some(object) = request.as_object_mut() {
        object.remove("analysis");
    }
    parse::<LogitRequest>(request)?.run()
}

/// Runs a request given as a JSON value and returns the response as a JSON value.
pub fn analyse(request: Value) -> Result<Value> {
    Request::from_value(request)?.run()
}

/// Runs a request given as JSON text and returns the response as JSON text.
pub fn analyse_json(request: &str) -> Result<String> {
    let value: Value = serde_json::from_str(request).map_err(|e| {
        Error::new(
            Code::MalformedJson,
            format!("the request is not valid JSON: {e}"),
        )
    })?;
    let response = analyse(value)?;
    Ok(response.to_string())
}

/// Maps a serde error about the request's shape to a coded error. serde's messages
/// name the key and the expectation, so they are kept as the explanation.
pub fn shape_error(message: &str) -> Error {
    let code = if message.starts_with("unknown field") {
        Code::UnknownKey
    } else if message.starts_with("missing field") {
        Code::MissingKey
    } else if message.starts_with("unknown variant") {
        Code::InvalidOption
    } else {
        Code::InvalidType
    };
    let hint = match code {
        Code::UnknownKey => " (keys are snake_case; see docs/API.md for each analysis' keys)",
        Code::InvalidType => " (NaN and Infinity arrive as null in JSON)",
        _ => "",
    };
    Error::new(code, format!("{message}{hint}"))
}

/// Serialises a response, which always succeeds for the crate's response types.
pub fn to_value<T: serde::Serialize>(response: &T) -> Result<Value> {
    serde_json::to_value(response).map_err(|e| {
        Error::new(
            Code::InvalidType,
            format!("the response could not be serialised: {e}"),
        )
    })
}

/// Validates a confidence level: strictly between 0 and 1.
pub fn check_conf_level(conf_level: Option<f64>) -> Result<f64> {
    match conf_level {
        None => Ok(0.95),
        Some(level) if level > 0.0 && level < 1.0 => Ok(level),
        Some(level) => Err(Error::new(
            Code::InvalidConfLevel,
            format!("conf_level is {level}: give a level strictly between 0 and 1, such as 0.95"),
        )),
    }
}

/// A label given as a string or a number (group and strata labels).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Label {
    /// A text label.
    Text(String),
    /// A numeric label, kept as written.
    Number(serde_json::Number),
}

impl Label {
    /// The label as text.
    pub fn into_string(self) -> String {
        match self {
            Label::Text(s) => s,
            Label::Number(n) => n.to_string(),
        }
    }
}

/// Converts a list of labels to text.
pub fn labels(values: Option<Vec<Label>>) -> Option<Vec<String>> {
    values.map(|v| v.into_iter().map(Label::into_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_code_is_documented_in_the_api_reference() {
        let reference = include_str!("../../../docs/API.md");
        for code in Code::ALL
            .iter()
            .map(|c| c.as_str())
            .chain(WarningCode::ALL.iter().map(|c| c.as_str()))
        {
            assert!(
                reference.contains(&format!("| `{code}` |")),
                "docs/API.md has no row for the code {code}"
            );
        }
    }

    #[test]
    fn codes_serialise_as_their_str() {
        for &code in Code::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
        }
        for &code in WarningCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
        }
    }

    fn code_of(request: Value) -> Code {
        analyse(request).unwrap_err().code
    }

    #[test]
    fn request_level_problems_have_their_own_codes() {
        assert_eq!(
            analyse_json("{\"analysis\": ").unwrap_err().code,
            Code::MalformedJson
        );
        assert_eq!(code_of(json!([1, 2])), Code::InvalidType);
        assert_eq!(code_of(json!({"data": {}})), Code::MissingKey);
        assert_eq!(
            code_of(json!({"analysis": "kaplan_meyer"})),
            Code::UnknownAnalysis
        );
        assert_eq!(
            code_of(
                json!({"analysis": "kaplan_meier", "data": {"time": [1], "status": [1]}, "colour": 1})
            ),
            Code::UnknownKey
        );
        assert_eq!(
            code_of(
                json!({"analysis": "kaplan_meier", "data": {"time": [1], "status": [1], "weights": [1]}})
            ),
            Code::UnknownKey
        );
        assert_eq!(
            code_of(json!({"analysis": "kaplan_meier", "data": {"time": [1]}})),
            Code::MissingKey
        );
        assert_eq!(
            code_of(json!({"analysis": "kaplan_meier", "data": {"time": ["a"], "status": [1]}})),
            Code::InvalidType
        );
        assert_eq!(
            code_of(
                json!({"analysis": "kaplan_meier", "data": {"time": [1], "status": [1]}, "conf_type": "arcsin"})
            ),
            Code::InvalidOption
        );
        assert_eq!(
            code_of(
                json!({"analysis": "kaplan_meier", "data": {"time": [1], "status": [1]}, "conf_level": 1.0})
            ),
            Code::InvalidConfLevel
        );
        assert_eq!(
            code_of(json!({"analysis": "kaplan_meier", "data": {"time": [null], "status": [1]}})),
            Code::NonFiniteValue
        );
    }
}
