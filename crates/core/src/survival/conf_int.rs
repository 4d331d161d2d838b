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

/// The time at which a curve of cumulative probabilities `y` (one value per time in
/// `x`, `None` for NA) reaches `p`, exactly as R's `survival:::findq` (survival 3.5):
/// a curve that sits exactly at `p` on a flat stretch gives the midpoint of that stretch.
///
/// For a survival curve pass `y = 1 - S`. The first point should be the start
/// (time 0, y = 0), as R's `doquant` prepends it.
pub fn first_reaching(x: &[f64], y: &[Option<f64>], p: f64) -> Option<f64> {
    let tol = QUANTILE_TOLERANCE;
    let xmax = *x.last()?;
    let max_y = y
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    if max_y < p {
        return None;
    }
    // Drop repeated values of y (R: `duplicated(y)`), keeping the first of each.
    let mut xs = Vec::with_capacity(x.len());
    let mut ys: Vec<Option<f64>> = Vec::with_capacity(y.len());
    for (&xi, &yi) in x.iter().zip(y) {
        if !ys.contains(&yi) {
            xs.push(xi);
            ys.push(yi);
        }
    }
    // approx(y ± tol, 1:n, p, "constant", f = 1): the first index whose value reaches p,
    // NA when p lies outside the range of the non-NA values.
    let first_at_least = |shift: f64| -> Option<usize> {
        let values: Vec<(usize, f64)> = ys
            .iter()
            .enumerate()
            .filter_map(|(k, v)| v.map(|v| (k, v + shift)))
            .collect();
        let lo = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
        if p < lo {
            return None;
        }
        values.iter().find(|v| v.1 >= p).map(|v| v.0)
    };
    let first = first_at_least(tol)?;
    if let Some(last) = ys.last().copied().flatten() {
        if (p - last).abs() < tol {
            return Some((xs[first] + xmax) / 2.0);
        }
    }
    let second = first_at_least(-tol)?;
    Some((xs[first] + xs[second]) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_stretch_at_one_half_gives_its_midpoint() {
        // Hand computation: S drops to 0.5 at t = 2 and next drops at t = 5.
        let x = [0.0, 2.0, 5.0, 7.0];
        let y = [Some(0.0), Some(0.5), Some(0.75), Some(0.75)];
        assert_eq!(first_reaching(&x, &y, 0.5), Some(3.5));
        // Not reached.
        assert_eq!(first_reaching(&x, &y, 0.9), None);
        // Reached by a jump past it.
        assert_eq!(first_reaching(&x, &y, 0.6), Some(5.0));
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
