//! The bootstrap on aggregate data.
//!
//! Individuals are resampled as a multinomial draw over the counts of the rows
//! ([`resample`]), within groups when stratified; a logit's rows are split into their
//! success and failure cells, a proportion into its two cells. The cost of a replicate
//! grows with the rows, not with the individuals. Random numbers come from a seeded
//! xoshiro256** ([`rng`]), so a seed gives bit-identical replicates natively and in
//! WebAssembly. Intervals are those of R's `boot.ci` ([`intervals`]); the BCa
//! acceleration is the jackknife over individuals, computed once per row
//! ([`jackknife`]).
//!

pub mod intervals;
pub mod jackknife;
pub mod resample;
pub mod rng;
mod statistics;

pub use intervals::{acceleration, norm_inter, Intervals};
pub use resample::{binomial, Units};
pub use rng::{SplitMix64, Xoshiro256StarStar};
pub use statistics::{check_statistic_names, Evaluator, Requested, Wrapped};
