//! Native benchmarks of the engine (`./build.sh bench`). Timings go to stdout and to
//! bench-results/; they are reports, never assertions.

use serde_json::{json, Value};
use std::time::Instant;

/// A seeded linear congruential generator: benchmark data only, not statistics.
struct Lcg(u64);

impl Lcg {
    fn next_f64(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 400 individuals in two groups, exponential times rounded to whole months (so many
/// ties, as in aggregate data), about 30 % censored.
pub fn km_request_400() -> Value {
    let mut rng = Lcg(20220101);
    let (mut time, mut status, mut group) = (vec![], vec![], vec![]);
    for i in 0..400 {
        let t = (-(1.0 - rng.next_f64()).ln() * 14.0).ceil();
        time.push(t);
        status.push(if rng.next_f64() < 0.7 { 1 } else { 0 });
        group.push(if i % 2 == 0 { "cohort 1" } else { "cohort 2" });
    }
    json!({"analysis": "kaplan_meier", "data": {"time": time, "status": status, "group": group}})
}

fn time_it(name: &str, repeats: usize, mut run: impl FnMut()) {
    run();
    let mut samples = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let start = Instant::now();
        run();
        samples.push(start.elapsed().as_secs_f64());
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[repeats / 2];
    if median >= 0.01 {
        println!("{name}: median {:.1} ms over {repeats} runs", median * 1e3);
    } else {
        println!("{name}: median {:.1} µs over {repeats} runs", median * 1e6);
    }
}

/// The bootstrap of the 400-individual request: 10,000 replicates of S(12) and the
/// median of both cohorts (one resample gives all four).
pub fn bootstrap_request_400() -> Value {
    json!({
        "analysis": "bootstrap",
        "of": km_request_400(),
        "statistics": ["survival@12[cohort 1]", "median[cohort 1]", "survival@12[cohort 2]", "median[cohort 2]"],
        "replicates": 10000,
        "seed": 1
    })
}

fn main() {
    let km = km_request_400();
    let boot = bootstrap_request_400();
    time_it(
        "bootstrap, 10,000 replicates of survival@12 and median, 400-individual KM (2 groups)",
        5,
        || {
            sibstat::analyse(boot.clone()).unwrap();
        },
    );
    time_it(
        "kaplan_meier, 400 individuals, 2 groups (JSON in and out)",
        2000,
        || {
            sibstat::analyse(km.clone()).unwrap();
        },
    );
}
