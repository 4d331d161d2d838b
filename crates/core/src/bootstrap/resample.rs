//! Resampling individuals from aggregate rows: a multinomial draw over the rows'
//! counts, made as a sequence of conditional binomial draws, so that the cost of a
//! replicate grows with the number of rows, not with the number of individuals.
//!
//! Drawing `n` individuals with replacement from `n` individuals spread over rows with
//! counts `c_1, …, c_m` gives row `i` a count `N_i` with
//! `(N_1, …, N_m) ~ Multinomial(n; c_1/n, …, c_m/n)`. Sequentially,
//! `N_i | N_1..N_{i-1} ~ Binomial(n − Σ_{j<i} N_j, c_i / Σ_{j≥i} c_j)`.
//!
//! The binomial sampler is exact (up to floating-point rounding): inversion of the
//! distribution function for `n·min(p, 1−p) ≤ 30`, and otherwise the BTPE
//! acceptance–rejection algorithm of Kachitvichyanukul and Schmeiser ("Binomial random
//! variate generation", Communications of the ACM 31(2), 1988), in the form NumPy uses
//! (`random_binomial_inversion`, `random_binomial_btpe`). Both use only IEEE basic
//! operations and `libm`'s `log`/`exp`, compiled from the same Rust source on every
//! target, so a seed gives the same draws natively and in WebAssembly.

use super::rng::Xoshiro256StarStar;

/// Binomial(n, p) draw. `n` is a whole number of individuals (at most 2^53), `p` in
/// [0, 1]; the result is a whole number in [0, n].
pub fn binomial(rng: &mut Xoshiro256StarStar, n: f64, p: f64) -> f64 {
    if n <= 0.0 || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return n;
    }
    if p <= 0.5 {
        draw(rng, n, p)
    } else {
        n - draw(rng, n, 1.0 - p)
    }
}

/// A draw for p in (0, 0.5].
fn draw(rng: &mut Xoshiro256StarStar, n: f64, p: f64) -> f64 {
    if n * p <= 30.0 {
        inversion(rng, n, p)
    } else {
        btpe(rng, n, p)
    }
}

/// Inversion: walk up the distribution function from 0, with the probabilities by
/// the recursion f(x) = f(x−1)·(n−x+1)p / (x q). The walk stops at
/// `np + 10·sqrt(npq + 1)` and restarts (the tail beyond has probability below 1e-20).
fn inversion(rng: &mut Xoshiro256StarStar, n: f64, p: f64) -> f64 {
    let q = 1.0 - p;
    let qn = libm::exp(n * libm::log(q));
    let np = n * p;
    let bound = n.min((np + 10.0 * (np * q + 1.0).sqrt()).floor());
    let mut x = 0.0;
    let mut px = qn;
    let mut u = rng.next_f64();
    while u > px {
        x += 1.0;
        if x > bound {
            x = 0.0;
            px = qn;
            u = rng.next_f64();
        } else {
            u -= px;
            px = ((n - x + 1.0) * p * px) / (x * q);
        }
    }
    x
}

/// BTPE for n·p > 30, p ≤ 0.5 (Kachitvichyanukul and Schmeiser 1988, steps 1–6).
fn btpe(rng: &mut Xoshiro256StarStar, n: f64, p: f64) -> f64 {
    let r = p;
    let q = 1.0 - r;
    let fm = n * r + r;
    let m = fm.floor();
    let p1 = (2.195 * (n * r * q).sqrt() - 4.6 * q).floor() + 0.5;
    let xm = m + 0.5;
    let xl = xm - p1;
    let xr = xm + p1;
    let c = 0.134 + 20.5 / (15.3 + m);
    let a = (fm - xl) / (fm - xl * r);
    let laml = a * (1.0 + a / 2.0);
    let a = (xr - fm) / (xr * q);
    let lamr = a * (1.0 + a / 2.0);
    let p2 = p1 * (1.0 + 2.0 * c);
    let p3 = p2 + c / laml;
    let p4 = p3 + c / lamr;
    let nrq = n * r * q;
    loop {
        // Step 1: the triangular region, accepted at once.
        let u = rng.next_f64() * p4;
        let mut v = rng.next_f64();
        if u <= p1 {
            return (xm - p1 * v + u).floor();
        }
        let y;
        if u <= p2 {
            // Step 2: the parallelograms.
            let x = xl + (u - p1) / c;
            v = v * c + 1.0 - (m - x + 0.5).abs() / p1;
            if v > 1.0 {
                continue;
            }
            y = x.floor();
        } else if u <= p3 {
            // Step 3: the left exponential tail.
            y = (xl + libm::log(v) / laml).floor();
            if y < 0.0 || v == 0.0 {
                continue;
            }
            v *= (u - p2) * laml;
        } else {
            // Step 4: the right exponential tail.
            y = (xr - libm::log(v) / lamr).floor();
            if y > n || v == 0.0 {
                continue;
            }
            v *= (u - p3) * lamr;
        }
        // Step 5: acceptance test.
        let k = (y - m).abs();
        if !(k > 20.0 && k < nrq / 2.0 - 1.0) {
            // Step 5.1: explicit evaluation of f(y) / f(m).
            let s = r / q;
            let a = s * (n + 1.0);
            let mut f = 1.0;
            if m < y {
                let mut i = m + 1.0;
                while i <= y {
                    f *= a / i - s;
                    i += 1.0;
                }
            } else if m > y {
                let mut i = y + 1.0;
                while i <= m {
                    f /= a / i - s;
                    i += 1.0;
                }
            }
            if v > f {
                continue;
            }
            return y;
        }
        // Step 5.2: squeezing with the normal approximation.
        let rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.166_666_666_666_666_66) / nrq + 0.5);
        let t = -k * k / (2.0 * nrq);
        let big_a = libm::log(v);
        if big_a < t - rho {
            return y;
        }
        if big_a > t + rho {
            continue;
        }
        // Step 5.3: the final comparison with Stirling's formula.
        let x1 = y + 1.0;
        let f1 = m + 1.0;
        let z = n + 1.0 - m;
        let w = n - y + 1.0;
        let (x2, f2, z2, w2) = (x1 * x1, f1 * f1, z * z, w * w);
        let stirling = |v: f64, v2: f64| {
            (13680.0 - (462.0 - (132.0 - (99.0 - 140.0 / v2) / v2) / v2) / v2) / v / 166_320.0
        };
        let bound = xm * libm::log(f1 / x1)
            + (n - m + 0.5) * libm::log(z / w)
            + (y - m) * libm::log(w * r / (x1 * q))
            + stirling(f1, f2)
            + stirling(z, z2)
            + stirling(x1, x2)
            + stirling(w, w2);
        if big_a > bound {
            continue;
        }
        return y;
    }
}

/// The resampling units of an analysis: a count per unit (a row of survival data or
/// of a summary, a success or failure cell of a logit row or of a proportion) and the
/// strata within which individuals are drawn (one stratum holding every unit when the
/// bootstrap is not stratified).
#[derive(Debug, Clone, PartialEq)]
pub struct Units {
    /// Individuals per unit.
    pub counts: Vec<f64>,
    /// Unit indices of each stratum; every unit is in exactly one.
    pub strata: Vec<Vec<usize>>,
}

impl Units {
    /// Units in one stratum.
    pub fn unstratified(counts: Vec<f64>) -> Self {
        let strata = vec![(0..counts.len()).collect()];
        Units { counts, strata }
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True without units.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Draws a resample: as many individuals as each stratum has, with replacement,
    /// written as counts per unit into `out` (of length [`Units::len`]).
    pub fn resample(&self, rng: &mut Xoshiro256StarStar, out: &mut [f64]) {
        for stratum in &self.strata {
            let total: f64 = stratum.iter().map(|&i| self.counts[i]).sum();
            multinomial(rng, total, stratum, &self.counts, out);
        }
    }
}

/// Multinomial(n; c_i / Σc) over the units `rows`, by conditional binomials; units
/// with count 0 get 0 and take no random numbers.
fn multinomial(
    rng: &mut Xoshiro256StarStar,
    n: f64,
    rows: &[usize],
    counts: &[f64],
    out: &mut [f64],
) {
    let mut left_n = n;
    let mut left_c: f64 = rows.iter().map(|&i| counts[i]).sum();
    let last = rows.iter().rposition(|&i| counts[i] > 0.0);
    for (k, &i) in rows.iter().enumerate() {
        let c = counts[i];
        out[i] = if c <= 0.0 || left_n <= 0.0 {
            0.0
        } else if Some(k) == last {
            left_n
        } else {
            binomial(rng, left_n, c / left_c)
        };
        left_n -= out[i];
        left_c -= c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(n: f64, p: f64, draws: usize, seed: u64) -> (f64, f64) {
        let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
        let xs: Vec<f64> = (0..draws).map(|_| binomial(&mut rng, n, p)).collect();
        let mean = xs.iter().sum::<f64>() / draws as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (draws as f64 - 1.0);
        (mean, var)
    }

    #[test]
    fn binomial_draws_have_the_binomial_mean_and_variance_in_both_algorithms() {
        // Inversion (np = 3), BTPE (np = 400), and p > 1/2 by symmetry.
        for (n, p) in [(10.0, 0.3), (1000.0, 0.4), (1000.0, 0.9), (1e9, 0.25)] {
            let draws = 40_000;
            let (mean, var) = moments(n, p, draws, 11);
            let (m, v) = (n * p, n * p * (1.0 - p));
            // Five standard errors of the sample mean, and 5 % of the variance.
            assert!(
                (mean - m).abs() < 5.0 * (v / draws as f64).sqrt(),
                "{n} {p}: {mean}"
            );
            assert!((var / v - 1.0).abs() < 0.05, "{n} {p}: {var} vs {v}");
        }
    }

    #[test]
    fn binomial_draws_are_whole_numbers_within_range() {
        let mut rng = Xoshiro256StarStar::seed_from_u64(3);
        for &(n, p) in &[
            (1.0, 0.5),
            (50.0, 0.01),
            (80.0, 0.5),
            (1e6, 1e-3),
            (7.0, 1.0),
        ] {
            for _ in 0..2000 {
                let x = binomial(&mut rng, n, p);
                assert!(x >= 0.0 && x <= n && x.fract() == 0.0);
            }
        }
    }

    #[test]
    fn small_binomial_matches_its_probabilities() {
        // Binomial(4, 0.25): P = 81, 108, 54, 12, 1 over 256 (hand computation).
        let mut rng = Xoshiro256StarStar::seed_from_u64(5);
        let draws = 256_000;
        let mut freq = [0usize; 5];
        for _ in 0..draws {
            freq[binomial(&mut rng, 4.0, 0.25) as usize] += 1;
        }
        for (k, &expected) in [81.0, 108.0, 54.0, 12.0, 1.0].iter().enumerate() {
            let e = expected * 1000.0;
            assert!(
                (freq[k] as f64 - e).abs() < 5.0 * e.sqrt() + 1.0,
                "{k}: {}",
                freq[k]
            );
        }
    }

    #[test]
    fn resamples_keep_each_stratum_total() {
        let units = Units {
            counts: vec![3.0, 0.0, 5.0, 2.0, 10.0],
            strata: vec![vec![0, 1, 2], vec![3, 4]],
        };
        let mut rng = Xoshiro256StarStar::seed_from_u64(9);
        let mut out = vec![0.0; 5];
        for _ in 0..1000 {
            units.resample(&mut rng, &mut out);
            assert_eq!(out[0] + out[1] + out[2], 8.0);
            assert_eq!(out[3] + out[4], 12.0);
            assert_eq!(out[1], 0.0);
        }
    }
}
