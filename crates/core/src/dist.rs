//! The few distribution functions the estimators need, through statrs.
//!
//! Kept in one place so that every p-value and quantile of the crate comes from the
//! same implementation (and so the same digits natively and in WebAssembly).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// Standard normal quantile: `qnorm(p)` in R. `p` must lie in (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    standard_normal().inverse_cdf(p)
}

/// The two-sided critical value for a confidence level: `qnorm(1 - (1 - level) / 2)`.
pub fn z_for_conf_level(conf_level: f64) -> f64 {
    normal_quantile(1.0 - (1.0 - conf_level) / 2.0)
}

/// Standard normal distribution function: `pnorm(z)` in R.
///
/// Through `libm::erfc` rather than statrs' normal CDF, which is off by about 4e-11
/// relative at z = -1.5 (see the test below).
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// Two-sided p-value of a z statistic: `2 * pnorm(-|z|)`.
pub fn two_sided_p(z: f64) -> f64 {
    2.0 * normal_cdf(-z.abs())
}

/// Upper tail of the chi-square distribution: `pchisq(x, df, lower.tail = FALSE)`.
///
/// `df` must be positive; a statistic at or below zero gives 1.
pub fn chi_square_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    match ChiSquared::new(df) {
        Ok(dist) => dist.sf(x),
        Err(_) => f64::NAN,
    }
}

fn standard_normal() -> Normal {
    Normal::standard()
}

#[cfg(test)]
// References are quoted with all 17 digits R prints.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    // Reference values from R 4.2.2 (Debian 12), printed with options(digits = 17):
    // qnorm(0.975), pnorm(-1.5), pchisq(3.84, 1, lower.tail = FALSE),
    // pchisq(10, 3, lower.tail = FALSE).
    #[test]
    fn agrees_with_r() {
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-13 * b.abs();
        assert!(close(normal_quantile(0.975), 1.959_963_984_540_053_6));
        assert!(close(normal_cdf(-1.5), 0.066_807_201_268_858_071));
        assert!(close(chi_square_sf(3.84, 1.0), 0.050_043_521_248_705_224));
        assert!(close(chi_square_sf(10.0, 3.0), 0.018_566_135_463_043_233));
    }
}
