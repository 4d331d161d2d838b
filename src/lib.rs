//! # sibstat
//!
//! Survival, logit and bootstrap statistics on aggregate data, natively and in
//! WebAssembly, with the numbers of R's `survival`, `cmprsk` and `boot`.
//!
//! Every analysis is a JSON request through one entry point, [`api::analyse`]; the
//! same request gives the same numbers from the CLI (`sibstat analyse`) and from the
//! WebAssembly module in a browser.
//!
//! ```
//! use serde_json::json;
//! // Five individuals in three aggregate rows.
//! let response = sibstat::api::analyse(json!({
//!     "analysis": "kaplan_meier",
//!     "data": {"time": [1, 2, 3], "status": [1, 1, 0], "count": [1, 2, 2]}
//! }))
//! .unwrap();
//! // S(2) = 4/5 * 2/4 = 0.4
//! assert_eq!(response["curves"][0]["survival"][1], json!(0.4));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
pub mod binomial;
pub mod bootstrap;
pub mod dist;
pub mod error;
pub mod joining_forces;
pub mod math;
pub mod summary;
pub mod survival;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use api::{analyse, analyse_json, Request};
pub use error::{Code, Error, Warning};
