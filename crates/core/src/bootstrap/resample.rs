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

/// The cost of one conditional binomial draw in individual draws, measured with
/// `benches/engine.rs` on the W5 rows at 100 individuals per row (265 ns per BTPE
/// draw with its `exp`/`log`, 5.2 ns per 32-bit Lemire draw and tally: 51): a
/// stratum is drawn individual by individual when it has at most this many
/// individuals per row with individuals.
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
