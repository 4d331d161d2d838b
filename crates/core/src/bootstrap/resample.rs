//! Resampling individuals from aggregate rows: a multinomial draw over the rows'
//! counts, made in one of two exact ways, whichever is cheaper for the stratum
//! ([`Units::sampler`]):
//!
//! - **individuals**: one uniform draw per individual (Lemire's unbiased
//!   multiply-and-reject on 32 bits) from a table listing each individual's unit,
//!   then a tally. A replicate costs O(individuals), a few nanoseconds each: the best
//!   when there are few individuals per row.
//! - **conditional binomials** (below): a replicate costs O(rows), whatever the
//!   number of individuals, but each draw costs tens of individual draws.
//!
//! So the cost of a replicate is at most about [`BINOMIAL_COST`] × rows draws and never
//! grows with the number of individuals.
//!
//! Drawing `n` individuals with replacement from `n` individuals spread over rows with
//! counts `c_1, …, c_m` gives row `i` a count `N_i` with
//! `(N_1, …, N_m) ~ Multinomial(n; c_1/n, …, c_m/n)`. Sequentially,
//! `N_i | N_1..N_{i-1} ~ Binomial(n − Σ_{j<i} N_j, c_i / Σ_{j≥i} c_j)`.
//!
//! The binomial sampler is exact (up to floating-point rounding): inversion of the
//! distribution function for `n·min(p, 1−p) < 10` (as NumPy's
//! `random_binomial_inversion`), and otherwise Hörmann's BTRS, transformed rejection
//! with a squeeze ("The generation of binomial random variates", Journal of
//! Statistical Computation and Simulation 46, 1993; the algorithm TensorFlow and
//! PyTorch use): most draws take two uniforms and no `log`, about 1.5× faster than the
//! BTPE it replaced (57.7 against 88 ns natively, 2026-11-29). Both use only IEEE
//! basic operations and `libm`'s `log`/`exp`, compiled from the same Rust source on
//! every target, so a seed gives the same draws natively and in WebAssembly.

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
    if n * p < 10.0 {
        inversion(rng, n, p)
    } else {
        btrs(rng, n, p)
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

/// Hörmann's BTRS for n·p ≥ 10, p ≤ 0.5: transformed rejection with a squeeze. About
/// 86 % of draws take two uniforms and a few multiplications (no `log`); the rest are
/// accepted or rejected against the exact log ratio of the binomial probabilities,
/// with log-factorials from Stirling's series ([`stirling_tail`]).
fn btrs(rng: &mut Xoshiro256StarStar, n: f64, p: f64) -> f64 {
    let q = 1.0 - p;
    let spq = (n * p * q).sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = n * p + 0.5;
    let v_r = 0.92 - 4.2 / b;
    let r = p / q;
    let alpha = (2.83 + 5.1 / b) * spq;
    let m = ((n + 1.0) * p).floor();
    loop {
        let u = rng.next_f64() - 0.5;
        let v = rng.next_f64();
        let us = 0.5 - u.abs();
        let k = ((2.0 * a / us + b) * u + c).floor();
        if k < 0.0 || k > n {
            continue;
        }
        // The squeeze: inside it, every point is accepted.
        if us >= 0.07 && v <= v_r {
            return k;
        }
        // log f(k)/f(m) against the hat: log(v·alpha / (a/us² + b)).
        let v = libm::log(v * alpha / (a / (us * us) + b));
        if v <= log_ratio_to_mode(n, r, m, k) {
            return k;
        }
    }
}

/// log(f(k) / f(m)) for the Binomial(n, p) probabilities f, with r = p / (1 − p) and
/// the log-factorials by Stirling's formula with its error term ([`stirling_tail`]).
fn log_ratio_to_mode(n: f64, r: f64, m: f64, k: f64) -> f64 {
    (m + 0.5) * libm::log((m + 1.0) / (r * (n - m + 1.0)))
        + (n + 1.0) * libm::log((n - m + 1.0) / (n - k + 1.0))
        + (k + 0.5) * libm::log(r * (n - k + 1.0) / (k + 1.0))
        + stirling_tail(m)
        + stirling_tail(n - m)
        - stirling_tail(k)
        - stirling_tail(n - k)
}

/// `log(k!) − ((k + ½)·log(k + 1) − (k + 1) + ½·log(2π))` for a whole k ≥ 0, the error
/// of Stirling's formula for (k + 1)! (Loader's `stirlerr(k + 1)`, as R's `dbinom` uses
/// it): a table for k < 15 (computed with mpmath at 40 digits,
/// tests/fixtures/bootstrap/stirling_tail.py), and above it the series
/// 1/12n − 1/360n³ + 1/1260n⁵ − 1/1680n⁷ + 1/1188n⁹ with n = k + 1, whose next term
/// is below 1e-16.
fn stirling_tail(k: f64) -> f64 {
    const TABLE: [f64; 15] = [
        0.08106146679532726,
        0.0413406959554093,
        0.02767792568499834,
        0.020790672103765093,
        0.016644691189821193,
        0.013876128823070748,
        0.01189670994589177,
        0.010411265261972096,
        0.009255462182712733,
        0.00833056343336287,
        0.007573675487951841,
        0.00694284010720953,
        0.006408994188004207,
        0.0059513701127588475,
        0.005554733551962801,
    ];
    if k < 15.0 {
        return TABLE[k as usize];
    }
    let n = k + 1.0;
    let nn = n * n;
    (1.0 / 12.0
        - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / 1188.0 / nn) / nn) / nn) / nn)
        / n
}

/// The cost of one conditional binomial draw in individual draws, measured with
/// `cargo bench --bench engine -- sampler` on the W5 rows at 100 individuals per row:
/// 57.5–57.9 ns per BTRS/inversion draw and 1.16–1.20 ns per 32-bit Lemire draw and
/// tally natively (48–50; 2026-11-29, two runs). A stratum is drawn individual by
/// individual when it has at most this many individuals per row with individuals.
pub const BINOMIAL_COST: f64 = 50.0;

/// The largest stratum drawn individual by individual: its table takes 4 bytes per
/// individual (16 MiB here).
pub const MAX_TABLE_INDIVIDUALS: f64 = (1u64 << 22) as f64;

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

    /// The sampler of these units, each stratum drawn the cheaper way: individual by
    /// individual when it has at most [`BINOMIAL_COST`] individuals per row with
    /// individuals (and at most [`MAX_TABLE_INDIVIDUALS`]), by conditional binomials
    /// otherwise.
    pub fn sampler(&self) -> Sampler {
        self.sampler_with(None)
    }

    /// The sampler with every stratum drawn by `method` (where the individuals'
    /// table is possible: at most [`MAX_TABLE_INDIVIDUALS`]); for tests and
    /// benchmarks, which compare the two.
    pub fn sampler_forced(&self, method: Method) -> Sampler {
        self.sampler_with(Some(method))
    }

    fn sampler_with(&self, forced: Option<Method>) -> Sampler {
        let strata = self
            .strata
            .iter()
            .map(|units| {
                let total: f64 = units.iter().map(|&i| self.counts[i]).sum();
                let rows = units.iter().filter(|&&i| self.counts[i] > 0.0).count();
                let table_possible = total <= MAX_TABLE_INDIVIDUALS;
                let cheaper = total <= BINOMIAL_COST * rows as f64;
                let method = match forced {
                    Some(Method::Individuals) if table_possible => Method::Individuals,
                    Some(_) => Method::Binomials,
                    None if table_possible && cheaper => Method::Individuals,
                    None => Method::Binomials,
                };
                let unit_of = match method {
                    Method::Individuals => units
                        .iter()
                        .flat_map(|&i| std::iter::repeat_n(i as u32, self.counts[i] as usize))
                        .collect(),
                    Method::Binomials => Vec::new(),
                };
                Stratum {
                    units: units.clone(),
                    total,
                    method,
                    unit_of,
                }
            })
            .collect();
        Sampler {
            counts: self.counts.clone(),
            strata,
        }
    }
}

/// How the individuals of a stratum are drawn; both are exact multinomial draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// One uniform draw per individual, then a tally.
    Individuals,
    /// One conditional binomial draw per unit.
    Binomials,
}

#[derive(Debug, Clone)]
struct Stratum {
    units: Vec<usize>,
    total: f64,
    method: Method,
    /// For [`Method::Individuals`]: the unit of each individual.
    unit_of: Vec<u32>,
}

/// Draws resamples of [`Units`]; built once per run by [`Units::sampler`].
#[derive(Debug, Clone)]
pub struct Sampler {
    counts: Vec<f64>,
    strata: Vec<Stratum>,
}

impl Sampler {
    /// Draws a resample: as many individuals as each stratum has, with replacement,
    /// written as counts per unit into `out` (of the units' length).
    pub fn resample(&self, rng: &mut Xoshiro256StarStar, out: &mut [f64]) {
        for stratum in &self.strata {
            match stratum.method {
                Method::Individuals => individuals(rng, &stratum.unit_of, &stratum.units, out),
                Method::Binomials => {
                    multinomial(rng, stratum.total, &stratum.units, &self.counts, out)
                }
            }
        }
    }

    /// The method of each stratum.
    pub fn methods(&self) -> Vec<Method> {
        self.strata.iter().map(|s| s.method).collect()
    }
}

/// Draws `unit_of.len()` individuals uniformly with replacement and tallies their
/// units into `out`. Each individual is a 32-bit half of one xoshiro256** output,
/// mapped to `0..n` by Lemire's multiply-and-reject ("Fast random integer generation
/// in an interval", ACM TOMACS 29(1), 2019): exact, and a rejection has probability
/// below n / 2^32. Integer arithmetic only: the same draws on every target.
fn individuals(rng: &mut Xoshiro256StarStar, unit_of: &[u32], units: &[usize], out: &mut [f64]) {
    for &u in units {
        out[u] = 0.0;
    }
    let n = unit_of.len();
    if n == 0 {
        return;
    }
    let n32 = n as u32;
    // 2^32 mod n: the low words below it would make some indices more likely.
    let threshold = n32.wrapping_neg() % n32;
    let mut left = n;
    // The high half of each output first, then the low half.
    while left > 0 {
        let x = rng.next_u64();
        left -= tally((x >> 32) as u32, n32, threshold, unit_of, out);
        if left > 0 {
            left -= tally(x as u32, n32, threshold, unit_of, out);
        }
    }
}

/// One 32-bit draw of [`individuals`]: 1 when it is accepted (and its individual's
/// unit tallied), 0 when Lemire's test rejects it. Inlined: the module is built for
/// size, which would otherwise call it once per individual.
#[inline(always)]
fn tally(half: u32, n32: u32, threshold: u32, unit_of: &[u32], out: &mut [f64]) -> usize {
    let m = u64::from(half) * u64::from(n32);
    if (m as u32) < threshold {
        return 0;
    }
    out[unit_of[(m >> 32) as usize] as usize] += 1.0;
    1
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
        // Inversion (np = 3), BTRS (np = 400), and p > 1/2 by symmetry.
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

    /// Pearson's chi-square of `draws` Binomial(n, p) draws against the exact
    /// probabilities (from log-gammas), over the values expected at least 5 times with
    /// the two tails pooled; returns its p-value.
    fn goodness_of_fit(n: f64, p: f64, draws: usize, seed: u64) -> f64 {
        let mut rng = Xoshiro256StarStar::seed_from_u64(seed);
        let mut freq = vec![0.0; n as usize + 1];
        for _ in 0..draws {
            freq[binomial(&mut rng, n, p) as usize] += 1.0;
        }
        let expected = |k: f64| {
            let log_pmf = libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
                + k * libm::log(p)
                + (n - k) * libm::log(1.0 - p);
            draws as f64 * libm::exp(log_pmf)
        };
        let (mut chi2, mut cells) = (0.0, 0.0);
        let (mut tail_observed, mut tail_expected) = (0.0, 0.0);
        for (k, &observed) in freq.iter().enumerate() {
            let e = expected(k as f64);
            if e >= 5.0 {
                chi2 += (observed - e) * (observed - e) / e;
                cells += 1.0;
            } else {
                tail_observed += observed;
                tail_expected += e;
            }
        }
        chi2 += (tail_observed - tail_expected) * (tail_observed - tail_expected) / tail_expected;
        crate::dist::chi_square_sf(chi2, cells)
    }

    #[test]
    fn btrs_and_inversion_draws_follow_the_binomial_probabilities() {
        // Inversion (np = 6), BTRS near its threshold (np = 15), BTRS with a wide hat
        // (np = 400), and p > 1/2 by symmetry: a correct sampler fails one of these at
        // the 1e-4 level once in 10,000 seeds; a wrong squeeze or bound fails them all.
        for (n, p) in [(20.0, 0.3), (60.0, 0.25), (1000.0, 0.4), (200.0, 0.8)] {
            let p_value = goodness_of_fit(n, p, 400_000, 17);
            assert!(
                p_value > 1e-4,
                "Binomial({n}, {p}): chi-square p = {p_value}"
            );
        }
    }

    #[test]
    fn btrs_accepts_against_the_exact_log_probability_ratio() {
        // log(f(k)/f(m)) from libm's lgamma, for modes and values across the support.
        let log_pmf = |n: f64, p: f64, k: f64| {
            libm::lgamma(n + 1.0) - libm::lgamma(k + 1.0) - libm::lgamma(n - k + 1.0)
                + k * libm::log(p)
                + (n - k) * libm::log(1.0 - p)
        };
        for (n, p) in [
            (40.0_f64, 0.3_f64),
            (60.0, 0.25),
            (1000.0, 0.4),
            (45_000.0, 0.003),
        ] {
            let m = ((n + 1.0) * p).floor();
            let r = p / (1.0 - p);
            for k in [0.0, 1.0, 7.0, m - 3.0, m, m + 1.0, m + 20.0, n - 1.0, n] {
                let exact = log_pmf(n, p, k) - log_pmf(n, p, m);
                let ratio = log_ratio_to_mode(n, r, m, k);
                assert!(
                    (ratio - exact).abs() <= 1e-9 * exact.abs().max(1.0),
                    "Binomial({n}, {p}) at {k}: {ratio} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn stirling_tail_is_the_error_of_stirlings_formula() {
        // log(k!) from libm's lgamma: the table below 15, the series above.
        for k in 0..200 {
            let k = k as f64;
            let exact = libm::lgamma(k + 1.0)
                - ((k + 0.5) * libm::log(k + 1.0) - (k + 1.0)
                    + 0.5 * libm::log(2.0 * std::f64::consts::PI));
            assert!((stirling_tail(k) - exact).abs() < 1e-12, "{k}");
        }
    }

    #[test]
    fn resamples_keep_each_stratum_total_with_either_method() {
        let units = Units {
            counts: vec![3.0, 0.0, 5.0, 2.0, 10.0],
            strata: vec![vec![0, 1, 2], vec![3, 4]],
        };
        for method in [Method::Individuals, Method::Binomials] {
            let sampler = units.sampler_forced(method);
            assert_eq!(sampler.methods(), vec![method; 2]);
            let mut rng = Xoshiro256StarStar::seed_from_u64(9);
            let mut out = vec![7.0; 5];
            for _ in 0..1000 {
                sampler.resample(&mut rng, &mut out);
                assert_eq!(out[0] + out[1] + out[2], 8.0);
                assert_eq!(out[3] + out[4], 12.0);
                assert_eq!(out[1], 0.0);
                assert!(out.iter().all(|c| c.fract() == 0.0));
            }
        }
    }

    #[test]
    fn the_cheaper_method_is_chosen_per_stratum() {
        // 2 individuals per row: one by one; 1000 per row: binomials.
        let units = Units {
            counts: vec![2.0, 2.0, 1000.0, 1000.0],
            strata: vec![vec![0, 1], vec![2, 3]],
        };
        assert_eq!(
            units.sampler().methods(),
            vec![Method::Individuals, Method::Binomials]
        );
        // Too many individuals for a table, whatever is asked.
        let huge = Units::unstratified(vec![1e7, 1e7]);
        assert_eq!(
            huge.sampler_forced(Method::Individuals).methods(),
            vec![Method::Binomials]
        );
    }
}
