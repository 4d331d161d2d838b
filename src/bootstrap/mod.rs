//! The bootstrap on aggregate data (DESIGN.md, "Bootstrap").
//!
//! Individuals are resampled as a multinomial draw over the counts of the rows
//! ([`resample`]), within groups when stratified; a logit's rows are split into their
//! success and failure cells, a proportion into its two cells. The cost of a replicate
//! grows with the rows, not with the individuals. Random numbers come from a seeded
//! xoshiro256** ([`rng`]), so a seed gives bit-identical replicates natively and in
//! WebAssembly. Intervals are those of R's `boot.ci` ([`intervals`]); the BCa
//! acceleration is the jackknife over individuals, computed once per row
//! ([`jackknife`]). [`BootstrapRun`] runs in chunks for a Web Worker.
//!
//! ```
//! use serde_json::json;
//! let response = sibstat::analyse(json!({
//!     "analysis": "bootstrap",
//!     "of": {"analysis": "proportion", "successes": 40, "trials": 100},
//!     "statistics": ["estimate"], "replicates": 500, "seed": 1
//! }))
//! .unwrap();
//! let estimate = &response["statistics"][0];
//! assert_eq!(estimate["estimate"], json!(0.4));
//! let [lo, hi] = [estimate["percentile"][0].as_f64().unwrap(), estimate["percentile"][1].as_f64().unwrap()];
//! assert!(lo < 0.4 && 0.4 < hi);
//! ```

mod handle;
pub mod intervals;
pub mod jackknife;
pub mod resample;
pub mod rng;
mod statistics;

pub use handle::{
    BootstrapOptions, BootstrapRun, Progress, MAX_REPLICATES, MAX_REPLICATE_UNITS,
    MAX_STORED_VALUES,
};
pub use intervals::{acceleration, norm_inter, Intervals};
pub use resample::{binomial, Units};
pub use rng::{SplitMix64, Xoshiro256StarStar};
pub use statistics::{Evaluator, Requested};
