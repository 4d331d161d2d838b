//! The bootstrap on aggregate data.
//!
//! Individuals are resampled as a multinomial draw over the counts of the rows
//! ([`resample`]), within groups when stratified; a logit's rows are split into their
//! success and failure cells, a proportion into its two cells. The cost of a replicate
//! grows with the rows, not with the individuals. Random numbers come from a seeded
//! xoshiro256** ([`rng`]), so a seed gives bit-identical replicates natively and in
//! WebAssembly. Intervals are those of R's `boot.ci` ([`intervals`]); the BCa
//! acceleration is the jackknife over individuals, computed once per row
//! ([`jackknife`]). A [`Run`] draws the replicates in chunks and gives a typed
//! [`BootstrapResult`]; the layers above only parse requests and write it.
//!
//! Every survival statistic is evaluated by the estimators' own code: the event
//! table refilled from the resampled counts ([`crate::survival::EventTable::fill`]),
//! the product-limit pass ([`crate::survival::EventTable::product_limit`]) and R's
//! median rule ([`crate::survival::median_time`]), allocation-free in the loop.

pub mod intervals;
pub mod jackknife;
pub mod resample;
pub mod rng;
mod run;
mod statistics;

pub use intervals::{acceleration, norm_inter, Intervals};
pub use resample::{binomial, Method, Sampler, Units};
pub use rng::{SplitMix64, Xoshiro256StarStar};
pub use run::{
    BandLimits, BandResult, BootstrapResult, Options, PairedResult, Progress, Run, SetResult,
    StatisticResult, MAX_REPLICATES, MAX_REPLICATE_UNITS, MAX_STORED_VALUES, PRNG,
};
pub use statistics::{check_statistic_names, Evaluator, Requested, Workspace, Wrapped};
