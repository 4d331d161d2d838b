//! # sibstat-core
//!
//! sibstat's statistics core: survival (Kaplan–Meier, Aalen–Johansen, Gray's test,
//! log-rank, life tables, Guyot reconstruction), binomial data (proportions, the logit
//! with marginal effects), the bootstrap, distributions and maths, on **aggregate**
//! rows, with the numbers of R's `survival`, `cmprsk` and `boot`.
//!
//! Plain Rust with validated constructors: no JSON, no WebAssembly, and nothing of the
//! layers built on it; they depend on this crate, never the other way round.
//!
//! ```
//! use sibstat_core::survival::{kaplan_meier, SurvivalData};
//! // Five individuals in three aggregate rows: times 1, 2, 3 with counts 1, 2, 2.
//! let some = |v: &[f64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
//! let data = SurvivalData::new(some(&[1.0, 2.0, 3.0]), some(&[1.0, 1.0, 0.0]), Some(some(&[1.0, 2.0, 2.0])), None)?;
//! let km = kaplan_meier(&data, &Default::default())?;
//! // S(2) = 4/5 × 2/4 = 0.4
//! assert_eq!(km.curves[0].survival[1], 0.4);
//! # Ok::<(), sibstat_core::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod binomial;
pub mod bootstrap;
pub mod dist;
pub mod error;
pub mod math;
pub mod order;
pub mod summary;
pub mod survival;

pub use error::{Code, Error, Result, Warning, WarningCode};
