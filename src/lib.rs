//! # sibstat
//!
//! The boundaries of sibstat over its crates: the WebAssembly module (this library,
//! built by wasm-pack into `pkg/`) and the CLI (`src/main.rs`). Both are thin: they
//! read a request, hand it to the JSON analysis API (`sibstat-api`) or to a report
//! (`sibstat-report`), and write the response or the coded error.
//!
//! ```
//! use serde_json::json;
//! // Five individuals in three aggregate rows.
//! let response = sibstat::analyse(json!({
//!     "analysis": "kaplan_meier",
//!     "data": {"time": [1, 2, 3], "status": [1, 1, 0], "count": [1, 2, 2]}
//! }))
//! .unwrap();
//! // S(2) = 4/5 * 2/4 = 0.4
//! assert_eq!(response["curves"][0]["survival"][1], json!(0.4));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use sibstat_api as api;
pub use sibstat_core::{binomial, bootstrap, dist, error, math, summary, survival};
pub use sibstat_core::{Code, Error, Warning, WarningCode};
pub use sibstat_report as joining_forces;

use serde_json::Value;

/// Runs a request given as a JSON value: natively, the report's `joining_forces`
/// request goes to the embedded Joining Forces package; every other analysis (and, in
/// WebAssembly, which carries no report, `joining_forces` too) to the API. The page
/// prepares its package with `new Report(data, reconstruction)` instead.
pub fn analyse(request: Value) -> Result<Value, Error> {
    #[cfg(not(target_arch = "wasm32"))]
    if request.get("analysis").and_then(Value::as_str) == Some("joining_forces") {
        return sibstat_report::analyse(request);
    }
    sibstat_api::analyse(request)
}

/// Runs a request given as JSON text and returns the response as JSON text.
pub fn analyse_json(request: &str) -> Result<String, Error> {
    let value: Value = serde_json::from_str(request).map_err(|e| {
        Error::new(
            Code::MalformedJson,
            format!("the request is not valid JSON: {e}"),
        )
    })?;
    Ok(analyse(value)?.to_string())
}
