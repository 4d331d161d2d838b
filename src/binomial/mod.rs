//! Binomial analyses: proportions and the logit. (Being written.)

mod proportion;

pub use proportion::{proportion, Proportion, ProportionInput, ProportionMethod};
