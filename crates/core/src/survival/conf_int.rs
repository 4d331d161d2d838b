//! Confidence-interval transforms for survival and incidence curves, as R's `survfit`.

use crate::math::{exp, ln};
use serde::{Deserialize, Serialize};

/// The scale on which a pointwise confidence interval is symmetric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ConfType {
    /// log(-log S): R's `conf.type = "log-log"`.
    #[serde(rename = "log-log")]
    LogLog,
    /// log S: R's default `conf.type = "log"`.
    #[serde(rename = "log")]
    Log,
    /// S itself, truncated to [0, 1]: R's `conf.type = "plain"`.
    #[serde(rename = "plain")]
    Plain,
}

/// A pointwise confidence interval for a probability `p` whose log has standard error
/// `se_log`, exactly as R's `survival:::survfit_confint` (survival 3.5): `None` where R
/// gives NA (p = 0 on the log scales, p = 1 on log-log, an undefined standard error).
///
/// For a standard error on the probability scale (multi-state curves), pass
/// `se / p` as R does with `logse = FALSE` (0 when `se` is 0).
pub fn pointwise(
    p: f64,
    se_log: Option<f64>,
    conf_type: ConfType,
    z: f64,
) -> (Option<f64>, Option<f64>) {
    let Some(se) = se_log.filter(|s| s.is_finite()) else {
        return (None, None);
    };
    let finite = |x: f64| if x.is_finite() { Some(x) } else { None };
    match conf_type {
        ConfType::Plain => {
            let half = se * p * z;
            (finite((p - half).max(0.0)), finite((p + half).min(1.0)))
        }
        ConfType::Log => {
            if p == 0.0 {
                return (None, None);
            }
            let half = z * se;
            (
                finite(exp(ln(p) - half)),
                finite(exp(ln(p) + half).min(1.0)),
            )
        }
        ConfType::LogLog => {
            if p == 0.0 || p == 1.0 {
                return (None, None);
            }
            let half = z * se / ln(p);
            let centre = ln(-ln(p));
            (
                finite(exp(-exp(centre - half))),
                finite(exp(-exp(centre + half))),
            )
        }
    }
}

/// R's tolerance in `quantile.survfit`: `sqrt(.Machine$double.eps)`.
const QUANTILE_TOLERANCE: f64 = 1.490_116_119_384_765_6e-8;

/// The time at which a curve of cumulative probabilities reaches `p`, exactly as R's
/// `survival:::findq` (survival 3.5): the curve has `n` points, times `x(k)` and values
/// `y(k)` (`None` for NA); a curve that sits exactly at `p` on a flat stretch gives the
/// midpoint of that stretch.
///
/// For a survival curve pass `y = 1 - S`. The first point should be the start
/// (time 0, y = 0), as R's `doquant` prepends it. Allocates nothing: R's
/// `duplicated(y)` only matters for the last distinct value, found by scanning back.
pub fn first_reaching(
    n: usize,
    x: impl Fn(usize) -> f64,
    y: impl Fn(usize) -> Option<f64>,
    p: f64,
) -> Option<f64> {
    let tol = QUANTILE_TOLERANCE;
    if n == 0 {
        return None;
    }
    let xmax = x(n - 1);
    let defined = || (0..n).filter_map(&y);
    if defined().fold(f64::NEG_INFINITY, f64::max) < p {
        return None;
    }
    // approx(y ± tol, 1:n, p, "constant", f = 1) over the values without duplicates:
    // the first index whose value reaches p (never a duplicate, whose first
    // occurrence would reach it earlier), NA when p lies below every value.
    let first_at_least = |shift: f64| -> Option<usize> {
        let lo = defined().map(|v| v + shift).fold(f64::INFINITY, f64::min);
        if p < lo {
            return None;
        }
        (0..n).find(|&k| y(k).is_some_and(|v| v + shift >= p))
    };
    let first = first_at_least(tol)?;
    // The last value of y without duplicates: the value whose first occurrence comes
    // last (for a monotone curve, its final value).
    let last_distinct = (0..n)
        .rev()
        .map(&y)
        .enumerate()
        .find(|&(back, v)| (0..n - 1 - back).all(|k| y(k) != v))
        .and_then(|(_, v)| v);
    if let Some(last) = last_distinct {
        if (p - last).abs() < tol {
            return Some((x(first) + xmax) / 2.0);
        }
    }
    let second = first_at_least(-tol)?;
    Some((x(first) + x(second)) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_stretch_at_one_half_gives_its_midpoint() {
        // Hand computation: S drops to 0.5 at t = 2 and next drops at t = 5.
        let x = [0.0, 2.0, 5.0, 7.0];
        let y = [Some(0.0), Some(0.5), Some(0.75), Some(0.75)];
        let reach = |p| first_reaching(4, |k| x[k], |k| y[k], p);
        assert_eq!(reach(0.5), Some(3.5));
        // Not reached.
        assert_eq!(reach(0.9), None);
        // Reached by a jump past it.
        assert_eq!(reach(0.6), Some(5.0));
        // A curve ending exactly at 1/2: the midpoint of its first time at 1/2 and
        // the last time (R: (2 + 7) / 2).
        let z = [Some(0.0), Some(0.5), Some(0.5), Some(0.5)];
        assert_eq!(first_reaching(4, |k| x[k], |k| z[k], 0.5), Some(4.5));
    }

    #[test]
    fn log_log_is_undefined_at_one_and_zero() {
        assert_eq!(
            pointwise(1.0, Some(0.0), ConfType::LogLog, 1.96),
            (None, None)
        );
        assert_eq!(pointwise(0.0, Some(0.1), ConfType::Log, 1.96), (None, None));
        assert_eq!(
            pointwise(1.0, Some(0.0), ConfType::Log, 1.96),
            (Some(1.0), Some(1.0))
        );
    }
}
