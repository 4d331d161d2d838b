//! A binomial proportion with its confidence interval and, against a null value, its
//! test: Wilson (score), Clopper–Pearson (exact) and Wald.

use crate::dist::{chi_square_sf, two_sided_p, z_for_conf_level};
use crate::error::{Code, Error, Result, Warning, WarningCode};
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, Discrete, DiscreteCDF};
use statrs::function::beta::beta_reg;

/// The interval (and test) of a proportion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProportionMethod {
    /// Wilson score interval without continuity correction; score test
    /// (R: `prop.test(x, n, p, correct = FALSE)`).
    #[default]
    Wilson,
    /// Exact interval from beta quantiles; exact binomial test (R: `binom.test`).
    ClopperPearson,
    /// p̂ ± z·sqrt(p̂(1 − p̂)/n), clipped to [0, 1]; Wald z test.
    Wald,
}

/// Validated input of a proportion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionInput {
    /// Number of successes, a whole number in [0, trials].
    pub successes: f64,
    /// Number of trials, a positive whole number.
    pub trials: f64,
    /// Confidence level in (0, 1).
    pub conf_level: f64,
    /// Interval and test.
    pub method: ProportionMethod,
    /// Hypothesised proportion for the test, in (0, 1).
    pub null: Option<f64>,
}

impl ProportionInput {
    /// Validates counts and the null value; `conf_level` must already be valid.
    pub fn new(
        successes: f64,
        trials: f64,
        conf_level: f64,
        method: ProportionMethod,
        null: Option<f64>,
    ) -> Result<Self> {
        for (name, value) in [("successes", successes), ("trials", trials)] {
            crate::survival::validate_counts(name, vec![Some(value)]).map_err(|e| {
                Error::new(e.code, e.message.replacen(&format!("{name}[0]"), name, 1))
            })?;
        }
        if trials == 0.0 {
            return Err(Error::new(
                Code::EmptyData,
                "trials is 0: a proportion needs at least one trial",
            ));
        }
        if successes > trials {
            return Err(Error::new(
                Code::SuccessesExceedTrials,
                format!("successes ({successes}) exceed trials ({trials})"),
            ));
        }
        if let Some(p0) = null {
            if !(p0 > 0.0 && p0 < 1.0) {
                return Err(Error::new(
                    Code::InvalidNull,
                    format!(
                        "null is {p0}: give a hypothesised proportion strictly between 0 and 1"
                    ),
                ));
            }
        }
        Ok(ProportionInput {
            successes,
            trials,
            conf_level,
            method,
            null,
        })
    }
}

/// A proportion, its interval, and the test against `null` when one was given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proportion {
    /// Successes.
    pub successes: f64,
    /// Trials.
    pub trials: f64,
    /// successes / trials.
    pub estimate: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
    /// Confidence level used.
    pub conf_level: f64,
    /// Method used.
    pub method: ProportionMethod,
    /// Two-sided p-value against `null`, if given.
    pub p_value: Option<f64>,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Estimates a proportion with its interval and test.
pub fn proportion(input: &ProportionInput) -> Proportion {
    let (x, n) = (input.successes, input.trials);
    let estimate = x / n;
    let z = z_for_conf_level(input.conf_level);
    let mut warnings = Vec::new();
    let (lower, upper) = match input.method {
        ProportionMethod::Wilson => wilson(x, n, z),
        ProportionMethod::ClopperPearson => clopper_pearson(x, n, input.conf_level),
        ProportionMethod::Wald => {
            let half = z * (estimate * (1.0 - estimate) / n).sqrt();
            let (lo, hi) = (estimate - half, estimate + half);
            if lo < 0.0 || hi > 1.0 {
                warnings.push(Warning::new(
                    WarningCode::IntervalClipped,
                    "the Wald interval reaches beyond [0, 1] and was clipped; prefer Wilson or Clopper–Pearson",
                ));
            }
            (lo.max(0.0), hi.min(1.0))
        }
    };
    let p_value = input.null.map(|p0| match input.method {
        // prop.test(correct = FALSE): the score statistic, chi-square with 1 df.
        ProportionMethod::Wilson => {
            let score = (estimate - p0) / (p0 * (1.0 - p0) / n).sqrt();
            chi_square_sf(score * score, 1.0)
        }
        ProportionMethod::ClopperPearson => binomial_test(x, n, p0),
        ProportionMethod::Wald => {
            let se = (estimate * (1.0 - estimate) / n).sqrt();
            if se == 0.0 {
                if estimate == p0 {
                    1.0
                } else {
                    0.0
                }
            } else {
                two_sided_p((estimate - p0) / se)
            }
        }
    });
    Proportion {
        successes: x,
        trials: n,
        estimate,
        lower,
        upper,
        conf_level: input.conf_level,
        method: input.method,
        p_value,
        warnings,
    }
}

/// Wilson score interval, as `prop.test(x, n, correct = FALSE)$conf.int`.
fn wilson(x: f64, n: f64, z: f64) -> (f64, f64) {
    let p = x / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + z2 / n;
    (
        ((centre - half) / denominator).max(0.0),
        ((centre + half) / denominator).min(1.0),
    )
}

/// Clopper–Pearson interval, as `binom.test(x, n)$conf.int`:
/// `qbeta(α/2, x, n − x + 1)` and `qbeta(1 − α/2, x + 1, n − x)`.
fn clopper_pearson(x: f64, n: f64, conf_level: f64) -> (f64, f64) {
    let alpha = 1.0 - conf_level;
    let lower = if x == 0.0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, x, n - x + 1.0)
    };
    let upper = if x == n {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x)
    };
    (lower, upper)
}

/// The beta quantile by bisection on the regularised incomplete beta function: slow
/// but exact to the last bits of `beta_reg`, which is what the interval needs.
fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_reg(a, b, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Two-sided exact binomial test, as R's `binom.test`: the probability of outcomes no
/// more likely than the observed one (with R's relative tolerance 1 + 1e-7).
fn binomial_test(x: f64, n: f64, p0: f64) -> f64 {
    let trials = n as u64;
    let observed = x as u64;
    let Ok(dist) = Binomial::new(p0, trials) else {
        return f64::NAN;
    };
    let d = dist.pmf(observed) * (1.0 + 1e-7);
    let mode = n * p0;
    let p = if x == mode {
        1.0
    } else if x < mode {
        let y = (mode.ceil() as u64..=trials)
            .filter(|&i| dist.pmf(i) <= d)
            .count() as u64;
        dist.cdf(observed) + upper_tail(&dist, trials - y)
    } else {
        let y = (0..=mode.floor() as u64)
            .filter(|&i| dist.pmf(i) <= d)
            .count() as u64;
        let below = if y == 0 { 0.0 } else { dist.cdf(y - 1) };
        below + upper_tail(&dist, observed - 1)
    };
    p.min(1.0)
}

/// P(X > k).
fn upper_tail(dist: &Binomial, k: u64) -> f64 {
    dist.sf(k)
}

#[cfg(test)]
// References are quoted with all 17 digits R prints.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    fn run(x: f64, n: f64, method: ProportionMethod, null: Option<f64>) -> Proportion {
        proportion(&ProportionInput::new(x, n, 0.95, method, null).unwrap())
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 + 1e-9 * b.abs()
    }

    // R 4.2.2: prop.test(41, 100, p = 0.5, correct = FALSE) and binom.test(41, 100, 0.5),
    // printed with options(digits = 17).
    #[test]
    fn wilson_and_exact_agree_with_r() {
        let w = run(41.0, 100.0, ProportionMethod::Wilson, Some(0.5));
        assert!(close(w.lower, 0.31867313021136517), "{}", w.lower);
        assert!(close(w.upper, 0.50798569946589200), "{}", w.upper);
        assert!(close(w.p_value.unwrap(), 0.071860638225851869));
        let cp = run(41.0, 100.0, ProportionMethod::ClopperPearson, Some(0.5));
        assert!(close(cp.lower, 0.31261997656757085), "{}", cp.lower);
        assert!(close(cp.upper, 0.51285579623322919), "{}", cp.upper);
        assert!(
            close(cp.p_value.unwrap(), 0.088626080114067682),
            "{}",
            cp.p_value.unwrap()
        );
    }

    #[test]
    fn bad_counts_have_their_codes() {
        let code = |x, n, null| {
            ProportionInput::new(x, n, 0.95, ProportionMethod::Wilson, null)
                .unwrap_err()
                .code
        };
        assert_eq!(code(5.0, 4.0, None), Code::SuccessesExceedTrials);
        assert_eq!(code(-1.0, 4.0, None), Code::NegativeCount);
        assert_eq!(code(1.5, 4.0, None), Code::FractionalCount);
        assert_eq!(code(0.0, 0.0, None), Code::EmptyData);
        assert_eq!(code(1.0, 4.0, Some(1.0)), Code::InvalidNull);
    }
}
