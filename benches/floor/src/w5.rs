//! The floor of workload W5 (`../../shared/bench/README.md`): a nonparametric bootstrap
//! of Kaplan–Meier S(365) and S(730), written as tightly as the work allows and with
//! nothing general: xoshiro256**, draw n indices, tally them into the rows (distinct
//! time × event-or-not, in time order), one product-limit pass, then the 95 %
//! percentile intervals of the sorted replicates. Benchmarks measure sibstat against
//! it: natively (benches/engine.rs includes this file) and in WebAssembly
//! (scripts/bench-browser.mjs loads the wasm32 build raw, without wasm-bindgen).

/// xoshiro256** seeded by SplitMix64, as sibstat's generator.
struct Xoshiro([u64; 4]);

impl Xoshiro {
    fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Xoshiro([next(), next(), next(), next()])
    }

    #[inline(always)]
    fn next(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }
}

/// The bootstrap of S(`t1`) and S(`t2`) over `time`/`event` individuals (event 1, censored
/// 0), `replicates` resamples from `seed`. Returns the two percentile intervals as
/// `[lo1, hi1, lo2, hi2]`.
pub fn bootstrap_km(
    time: &[f64],
    event: &[u8],
    t1: f64,
    t2: f64,
    replicates: usize,
    seed: u64,
) -> [f64; 4] {
    let n = time.len();
    // Rows: distinct (time, event), in time order with events first at a tie (the
    // order does not matter within a time: one step per time).
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| time[a].total_cmp(&time[b]).then(event[b].cmp(&event[a])));
    let mut row_time = Vec::new();
    let mut row_event = Vec::new();
    let mut row_of = vec![0u32; n];
    for &i in &order {
        if row_time.last() != Some(&time[i]) || row_event.last() != Some(&event[i]) {
            row_time.push(time[i]);
            row_event.push(event[i]);
        }
        row_of[i] = (row_time.len() - 1) as u32;
    }
    let rows = row_time.len();
    let mut counts = vec![0u32; rows];
    let mut s1 = vec![0.0; replicates];
    let mut s2 = vec![0.0; replicates];
    let mut rng = Xoshiro::new(seed);
    for r in 0..replicates {
        counts.fill(0);
        for _ in 0..n {
            let k = (((rng.next() >> 32) * n as u64) >> 32) as usize;
            counts[row_of[k] as usize] += 1;
        }
        let mut at_risk = n as f64;
        let mut s = 1.0;
        let (mut a, mut b) = (1.0, 1.0);
        let mut k = 0;
        while k < rows {
            let t = row_time[k];
            let (mut d, mut leaving) = (0u32, 0u32);
            while k < rows && row_time[k] == t {
                leaving += counts[k];
                if row_event[k] != 0 {
                    d += counts[k];
                }
                k += 1;
            }
            if d > 0 {
                s *= 1.0 - d as f64 / at_risk;
            }
            at_risk -= leaving as f64;
            if t <= t1 {
                a = s;
            }
            if t <= t2 {
                b = s;
            }
        }
        s1[r] = a;
        s2[r] = b;
    }
    let percentile = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let at = |p: f64| v[(((v.len() + 1) as f64 * p) as usize).clamp(1, v.len()) - 1];
        (at(0.025), at(0.975))
    };
    let (lo1, hi1) = percentile(&mut s1);
    let (lo2, hi2) = percentile(&mut s2);
    [lo1, hi1, lo2, hi2]
}
