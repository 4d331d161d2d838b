//! Binomial analyses: proportions and the logit. (Being written.)
