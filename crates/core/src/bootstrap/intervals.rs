//! Bootstrap confidence intervals exactly as R's `boot.ci` (boot 1.3): `norm`,
//! `basic`, `perc` and `bca`, with the endpoints of the last three read from the
//! ordered replicates by `boot:::norm.inter` (interpolation on the normal quantile
//! scale between order statistics).
//!
//! With `t0` the estimate, `t*` the finite replicates (R drops the others) and
//! `α = (1 − conf)/2`:
//!
//! - normal: `t0 − bias ∓ sd(t*)·qnorm((1 + conf)/2)`, `bias = mean(t*) − t0`,
//!   sd with denominator R − 1 (`norm.ci`);
//! - basic: `[2 t0 − t*_(1−α), 2 t0 − t*_(α)]` (`basic.ci`);
//! - percentile: `[t*_(α), t*_(1−α)]` (`perc.ci`);
//! - BCa: `t*_(α̃)` with `α̃ = pnorm(w + (w + z_α)/(1 − a (w + z_α)))`,
//!   `w = qnorm(#{t* < t0}/R)` and the acceleration `a = ΣL³ / (6 (ΣL²)^{3/2})` from
//!   the empirical influence values L (`bca.ci`; see [`super::jackknife`]).
//!
//! where `t*_(p)` is `norm.inter(t*, p)`.

use crate::dist::{normal_cdf, normal_quantile};
use serde::Serialize;

/// `boot:::norm.inter(t, alpha)` for ascending finite replicates `sorted`: the order
/// statistic `k = (R + 1)·alpha` when whole, the extremes when `k` falls outside
/// `1..R`, otherwise interpolation between `t_(k)` and `t_(k+1)` on the normal
/// quantile scale. `sorted` must not be empty; `alpha` lies in (0, 1).
pub fn norm_inter(sorted: &[f64], alpha: f64) -> f64 {
    let r = sorted.len();
    let rf = r as f64;
    let rk = (rf + 1.0) * alpha;
    let k = rk.trunc();
    if k == rk && k >= 1.0 && k <= rf {
        return sorted[k as usize - 1];
    }
    if k <= 0.0 {
        return sorted[0];
    }
    if k >= rf {
        return sorted[r - 1];
    }
    let ku = k as usize;
    let (tk, tk1) = (sorted[ku - 1], sorted[ku]);
    let temp1 = normal_quantile(alpha);
    let temp2 = normal_quantile(k / (rf + 1.0));
    let temp3 = normal_quantile((k + 1.0) / (rf + 1.0));
    tk + (temp1 - temp2) / (temp3 - temp2) * (tk1 - tk)
}

/// The BCa acceleration `ΣL³ / (6 (ΣL²)^{3/2})` from influence values given once per
/// unit with the number of individuals sharing it (`weights`); `None` when every
/// influence value is 0 (R stops: "estimated adjustment 'a' is NA").
pub fn acceleration(influence: &[f64], weights: &[f64]) -> Option<f64> {
    let (mut s2, mut s3) = (0.0, 0.0);
    for (&l, &w) in influence.iter().zip(weights) {
        s2 += w * l * l;
        s3 += w * l * l * l;
    }
    let a = s3 / (6.0 * crate::math::powf(s2, 1.5));
    a.is_finite().then_some(a)
}

/// The summary and intervals of one statistic's replicates. `None` where R gives no
/// number (too few finite replicates, all replicates on one side of the estimate for
/// BCa, no acceleration): never NaN.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intervals {
    /// The estimate on the data, `t0`.
    pub estimate: f64,
    /// `mean(t*) − t0`.
    pub bias: Option<f64>,
    /// Standard deviation of the replicates (denominator R − 1).
    pub std_err: Option<f64>,
    /// Percentile interval.
    pub percentile: Option<[f64; 2]>,
    /// Basic (reverse percentile) interval.
    pub basic: Option<[f64; 2]>,
    /// Normal approximation with bootstrap bias and standard error.
    pub normal: Option<[f64; 2]>,
    /// Bias-corrected and accelerated interval.
    pub bca: Option<[f64; 2]>,
}

impl Intervals {
    /// The intervals of `t0` from its replicates (non-finite ones are dropped, as R
    /// does) at `conf` in (0, 1), with the BCa acceleration `a` if known.
    pub fn new(t0: f64, replicates: &[f64], conf: f64, a: Option<f64>) -> Self {
        let mut t: Vec<f64> = replicates
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect();
        let r = t.len();
        let mut out = Intervals {
            estimate: t0,
            bias: None,
            std_err: None,
            percentile: None,
            basic: None,
            normal: None,
            bca: None,
        };
        if r == 0 {
            return out;
        }
        let mean = t.iter().sum::<f64>() / r as f64;
        out.bias = Some(mean - t0);
        if r >= 2 {
            let var = t.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (r as f64 - 1.0);
            let sd = var.sqrt();
            out.std_err = Some(sd);
            let merr = sd * normal_quantile((1.0 + conf) / 2.0);
            let bias = mean - t0;
            out.normal = Some([t0 - bias - merr, t0 - bias + merr]);
        }
        // The replicates below t0 before sorting: sorting does not change the count.
        let below = t.iter().filter(|&&x| x < t0).count();
        crate::order::sort_by(&mut t, f64::total_cmp);
        let lo_alpha = (1.0 - conf) / 2.0;
        let hi_alpha = (1.0 + conf) / 2.0;
        let (q_lo, q_hi) = (norm_inter(&t, lo_alpha), norm_inter(&t, hi_alpha));
        out.percentile = Some([q_lo, q_hi]);
        out.basic = Some([2.0 * t0 - q_hi, 2.0 * t0 - q_lo]);
        if let Some(a) = a {
            let w = normal_quantile(below as f64 / r as f64);
            if w.is_finite() && below > 0 && below < r {
                let adjust = |alpha: f64| {
                    let z = normal_quantile(alpha);
                    normal_cdf(w + (w + z) / (1.0 - a * (w + z)))
                };
                let (a1, a2) = (adjust(lo_alpha), adjust(hi_alpha));
                if a1 > 0.0 && a1 < 1.0 && a2 > 0.0 && a2 < 1.0 {
                    out.bca = Some([norm_inter(&t, a1), norm_inter(&t, a2)]);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_order_statistics_are_taken_as_they_are() {
        // R = 39, alpha = 0.025: (R + 1)·alpha = 1, the smallest value.
        let t: Vec<f64> = (1..=39).map(f64::from).collect();
        assert_eq!(norm_inter(&t, 0.025), 1.0);
        assert_eq!(norm_inter(&t, 0.975), 39.0);
        // Below the first order statistic: the smallest value (R warns).
        assert_eq!(norm_inter(&t[..9], 0.025), 1.0);
    }

    #[test]
    fn intervals_never_hold_nan() {
        let i = Intervals::new(1.0, &[f64::NAN, 2.0], 0.95, Some(0.0));
        assert_eq!(i.std_err, None);
        assert_eq!(i.normal, None);
        assert_eq!(i.percentile, Some([2.0, 2.0]));
        // All replicates above t0: w = qnorm(0) is infinite, no BCa.
        assert_eq!(i.bca, None);
        let empty = Intervals::new(1.0, &[f64::NAN], 0.95, None);
        assert_eq!(empty.percentile, None);
    }
}
