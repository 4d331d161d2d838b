//! Comparing two binomial proportions (e.g. two cohorts) and one proportion
//! against a reference value (e.g. an earlier rate).
//!
//! The two-sample tests are those of R: `prop.test(x, n, correct = FALSE)` (Pearson
//! chi-square without continuity correction, equal to the pooled two-proportion z
//! test squared) and `fisher.test` (two-sided, summing the tables no more likely than
//! the observed one, with R's relative tolerance 1e-7). Every p-value and quantile
//! comes from [`crate::dist`].

use crate::dist;
use crate::error::{Code, Error, Result};
use serde::Serialize;

/// Successes out of trials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Binomial {
    /// Number of successes.
    pub successes: u64,
    /// Number of trials.
    pub trials: u64,
}

impl Binomial {
    /// A validated pair: successes no greater than trials.
    pub fn new(successes: u64, trials: u64) -> Result<Binomial> {
        if successes > trials {
            return Err(Error::new(
                Code::SuccessesExceedTrials,
                format!("{successes} successes out of {trials} trials"),
            ));
        }
        Ok(Binomial { successes, trials })
    }

    /// The share successes / trials, `None` without trials.
    pub fn share(&self) -> Option<f64> {
        (self.trials > 0).then(|| self.successes as f64 / self.trials as f64)
    }
}

/// Two proportions compared: the difference with its Wald interval and the tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TwoProportionTest {
    /// Share in the first group.
    pub first: f64,
    /// Share in the second group.
    pub second: f64,
    /// first − second.
    pub difference: f64,
    /// Unpooled (Wald) standard error of the difference.
    pub std_err: f64,
    /// Lower Wald limit of the difference.
    pub lower: f64,
    /// Upper Wald limit of the difference.
    pub upper: f64,
    /// Pooled z statistic; `None` when the pooled share is 0 or 1.
    pub z: Option<f64>,
    /// Pearson chi-square (1 df, no continuity correction), z².
    pub chi_square: Option<f64>,
    /// Two-sided p-value of the chi-square (= of the pooled z).
    pub p_value: Option<f64>,
    /// Two-sided p-value of Fisher's exact test.
    pub fisher_p_value: f64,
}

fn check_group(group: &Binomial, which: &str) -> Result<()> {
    if group.trials == 0 {
        return Err(Error::new(
            Code::EmptyData,
            format!("the {which} group has no trials"),
        ));
    }
    if group.successes > group.trials {
        return Err(Error::new(
            Code::SuccessesExceedTrials,
            format!(
                "the {which} group has {} successes out of {} trials",
                group.successes, group.trials
            ),
        ));
    }
    Ok(())
}

/// Compares two proportions (see the module documentation for the tests).
pub fn compare_proportions(
    first: Binomial,
    second: Binomial,
    conf_level: f64,
) -> Result<TwoProportionTest> {
    check_group(&first, "first")?;
    check_group(&second, "second")?;
    if !(conf_level > 0.0 && conf_level < 1.0) {
        return Err(Error::new(
            Code::InvalidConfLevel,
            format!("conf_level is {conf_level}: give a level strictly between 0 and 1"),
        ));
    }
    let (n1, n2) = (first.trials as f64, second.trials as f64);
    let (p1, p2) = (first.successes as f64 / n1, second.successes as f64 / n2);
    let difference = p1 - p2;
    let std_err = (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt();
    let zc = dist::z_for_conf_level(conf_level);
    let pooled = (first.successes + second.successes) as f64 / (n1 + n2);
    let pooled_var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2);
    let z = (pooled_var > 0.0).then(|| difference / pooled_var.sqrt());
    Ok(TwoProportionTest {
        first: p1,
        second: p2,
        difference,
        std_err,
        lower: difference - zc * std_err,
        upper: difference + zc * std_err,
        z,
        chi_square: z.map(|z| z * z),
        p_value: z.map(|z| dist::chi_square_sf(z * z, 1.0)),
        fisher_p_value: fisher_two_sided(first, second),
    })
}

fn ln_choose(n: u64, k: u64) -> f64 {
    libm::lgamma(n as f64 + 1.0) - libm::lgamma(k as f64 + 1.0) - libm::lgamma((n - k) as f64 + 1.0)
}

/// Two-sided Fisher exact p-value of the 2×2 table (successes, failures) × (first,
/// second), as R's `fisher.test`.
///
/// NaN when a group has more successes than trials.
pub fn fisher_two_sided(first: Binomial, second: Binomial) -> f64 {
    if first.successes > first.trials || second.successes > second.trials {
        return f64::NAN;
    }
    let m = first.successes + second.successes; // column of successes
    let n = (first.trials - first.successes) + (second.trials - second.successes);
    let k = first.trials; // row total of the first group
    let lo = k.saturating_sub(n);
    let hi = k.min(m);
    let ln_total = ln_choose(m + n, k);
    let ln_d = |x: u64| ln_choose(m, x) + ln_choose(n, k - x) - ln_total;
    let observed = ln_d(first.successes);
    let threshold = observed + crate::math::ln(1.0 + 1e-7);
    let p: f64 = (lo..=hi)
        .map(ln_d)
        .filter(|&d| d <= threshold)
        .map(crate::math::exp)
        .sum();
    p.min(1.0)
}

/// One proportion against a reference value: the score z test (as R's
/// `prop.test(x, n, p, correct = FALSE)`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneProportionTest {
    /// Observed share.
    pub estimate: f64,
    /// Reference share.
    pub reference: f64,
    /// estimate − reference.
    pub difference: f64,
    /// Score statistic (estimate − reference) / sqrt(reference (1 − reference) / n).
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Tests one proportion against a reference share strictly between 0 and 1.
pub fn test_against(observed: Binomial, reference: f64) -> Result<OneProportionTest> {
    check_group(&observed, "observed")?;
    if !(reference > 0.0 && reference < 1.0) {
        return Err(Error::new(
            Code::InvalidNull,
            format!("the reference share is {reference}: give one strictly between 0 and 1"),
        ));
    }
    let n = observed.trials as f64;
    let estimate = observed.successes as f64 / n;
    let z = (estimate - reference) / (reference * (1.0 - reference) / n).sqrt();
    Ok(OneProportionTest {
        estimate,
        reference,
        difference: estimate - reference,
        z,
        p_value: dist::two_sided_p(z),
    })
}
