//! Binomial analyses: proportions, and the logit on grouped rows with marginal effects.

mod comparison;
mod proportion;

pub use comparison::{
    compare_proportions, fisher_two_sided, test_against, Binomial, OneProportionTest,
    TwoProportionTest,
};
pub use proportion::{proportion, Proportion, ProportionInput, ProportionMethod};

// --- The logit on grouped rows (issue: logit with marginal effects) ---
mod design;
mod logit;
mod margins;
mod separation;

pub use design::{
    BinomialData, Column, ColumnKind, CovariateValues, Design, ModelSpec, Setting, Variable,
    MAX_DESIGN_VALUE,
};
pub use logit::{
    expit, logistic_density, LogitFit, LogitModel, DECREMENT_TOL, MAX_HALVINGS, MAX_ITERATIONS,
};
pub use margins::{
    average_marginal_effect, average_total_effect, marginal_effects, total_effects, MarginKind,
    MarginalEffect, MarginsAt,
};
pub use separation::{Separation, SeparationKind, EXTREME_LOGIT};
