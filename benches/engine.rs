//! Native benchmarks of the engine (`./build.sh bench`) on the shared workloads W1–W5
//! (benches/data, copied from ../shared/bench): sibstat through its JSON API, and the
//! bootstrap's tight-loop floor (benches/floor/src/w5.rs) in the same run. Reports,
//! never assertions: one `BENCH {json}` line per figure for scripts/bench-table.mjs,
//! plus plain lines for a reader.

use serde_json::{json, Value};
use sibstat::bootstrap::{Method, Units, Xoshiro256StarStar};
use std::time::Instant;

#[path = "floor/src/w5.rs"]
mod floor;

/// Median wall time in milliseconds of `runs` runs after one warm-up run.
fn median_ms(runs: usize, mut run: impl FnMut()) -> f64 {
    run();
    median((0..runs).map(|_| elapsed_ms(&mut run)).collect())
}

/// Median wall times in milliseconds of `a` and `b`, run in turns (a, b, a, b, ...)
/// after one warm-up each: a load that comes and goes on a shared machine falls on
/// both, so their ratio holds where two medians taken one after the other drift apart.
fn median_pair_ms(runs: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    a();
    b();
    let (mut first, mut second) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        first.push(elapsed_ms(&mut a));
        second.push(elapsed_ms(&mut b));
    }
    (median(first), median(second))
}

fn elapsed_ms(run: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    run();
    start.elapsed().as_secs_f64() * 1e3
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len();
    if n % 2 == 1 {
        samples[n / 2]
    } else {
        (samples[n / 2 - 1] + samples[n / 2]) / 2.0
    }
}

fn emit(table: &str, row: &str, col: &str, value: f64, unit: &str, runs: usize, note: &str) {
    println!(
        "BENCH {}",
        json!({"table": table, "row": row, "col": col, "value": value, "unit": unit, "runs": runs, "note": note})
    );
}

fn read(name: &str) -> Value {
    let path = format!("{}/benches/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect(&path)
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn bootstrap(of: Value, replicates: u32) -> Value {
    json!({"analysis": "bootstrap", "of": of, "statistics": ["survival@365", "survival@730"],
           "replicates": replicates, "seed": 1})
}

/// The 450 individuals aggregated to their distinct (time, event-or-not) rows, each
/// count multiplied by `scale`: the same curve with 450 × `scale` individuals.
fn aggregated(time: &[f64], status: &[f64], scale: f64) -> Value {
    let mut rows = std::collections::BTreeMap::new();
    for (&t, &s) in time.iter().zip(status) {
        *rows.entry((t as u64, u8::from(s != 0.0))).or_insert(0.0) += scale;
    }
    let (mut t, mut s, mut c) = (vec![], vec![], vec![]);
    for ((time, event), count) in rows {
        t.push(time);
        s.push(event);
        c.push(count);
    }
    json!({"analysis": "kaplan_meier", "data": {"time": t, "status": s, "count": c}})
}

/// The sections to run: those named on the command line (`cargo bench --bench engine
/// -- W5 floor scaling`: workloads W1–W5 or all `workloads`, `floor`, `scaling`,
/// `sampler`, `report`), every section without names.
fn wanted(section: &str) -> bool {
    let names: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    names.is_empty() || names.iter().any(|n| n == section)
}

fn main() {
    let surv = read("surv450.json");
    let (time, status) = (f64s(&surv["time"]), f64s(&surv["status"]));
    let logit = read("logit264.json");
    let covariates = [
        "age", "score", "sex", "armB", "armC", "stage2", "stage3", "stage4",
    ];
    let w1 = json!({"analysis": "kaplan_meier", "data": surv, "conf_type": "log-log"});
    let w2 = json!({"analysis": "cumulative_incidence", "data": surv});
    let w3 = json!({"analysis": "logit",
        "data": {"successes": logit["y"], "trials": vec![1; f64s(&logit["y"]).len()],
                 "covariates": covariates.iter().map(|&c| (c.to_string(), logit[c].clone())).collect::<serde_json::Map<_, _>>()},
        "model": {"terms": covariates}});
    let w4 = bootstrap(w1.clone(), 2000);
    let w5 = bootstrap(w1.clone(), 10000);
    for (row, request, runs) in [("W1", &w1, 201), ("W2", &w2, 201), ("W3", &w3, 51)] {
        if !wanted("workloads") && !wanted(row) {
            continue;
        }
        sibstat::analyse(request.clone()).expect(row);
        let ms = median_ms(runs, || {
            sibstat::analyse(request.clone()).unwrap();
        });
        emit("workloads", row, "sibstat native", ms, "ms", runs, "");
        println!("{row} sibstat native (JSON in and out): median {ms:.3} ms over {runs} runs");
    }

    // W4 and W5 in turns with the floor, the tight loop, in this same run.
    let event: Vec<u8> = status.iter().map(|&s| u8::from(s != 0.0)).collect();
    for (row, request, replicates, runs) in [("W4", &w4, 2000, 21), ("W5", &w5, 10000, 11)] {
        if !wanted("workloads") && !wanted("floor") && !wanted(row) {
            continue;
        }
        sibstat::analyse(request.clone()).expect(row);
        let (ms, floor_ms) = median_pair_ms(
            runs,
            || {
                sibstat::analyse(request.clone()).unwrap();
            },
            || {
                std::hint::black_box(floor::bootstrap_km(
                    &time, &event, 365.0, 730.0, replicates, 1,
                ));
            },
        );
        let (ours, floor_note) = ("in turns with the floor", "in turns with sibstat");
        emit("workloads", row, "sibstat native", ms, "ms", runs, ours);
        emit(
            "workloads",
            row,
            "floor native",
            floor_ms,
            "ms",
            runs,
            floor_note,
        );
        println!(
            "{row} sibstat native (JSON in and out): median {ms:.3} ms; floor native (tight loop): median {floor_ms:.3} ms; {runs} runs each, in turns"
        );
    }
    if wanted("floor") {
        // The same law, another stream: the floor's and sibstat's percentile intervals
        // agree within Monte Carlo error.
        let limits = floor::bootstrap_km(&time, &event, 365.0, 730.0, 10000, 1);
        let ours = sibstat::analyse(w5.clone()).unwrap();
        println!(
        "W5 percentile intervals: floor S(365) [{:.4}, {:.4}], S(730) [{:.4}, {:.4}]; sibstat S(365) {}, S(730) {}",
        limits[0],
        limits[1],
        limits[2],
        limits[3],
        ours["statistics"][0]["percentile"],
        ours["statistics"][1]["percentile"]
    );
    }

    if wanted("scaling") {
        // Scaling: the same rows with 100 and 10,000 times the individuals.
        for (scale, row) in [(1.0, "450"), (100.0, "45,000"), (10000.0, "4,500,000")] {
            let request = bootstrap(aggregated(&time, &status, scale), 10000);
            let method = match sibstat::api::Request::from_value(request.clone()).unwrap() {
                sibstat::api::Request::Bootstrap(r) => {
                    format!("{:?}", r.start().unwrap().core().sampler().methods()[0])
                }
                _ => unreachable!(),
            };
            let ms = median_ms(5, || {
                sibstat::analyse(request.clone()).unwrap();
            });
            emit(
                "scaling",
                row,
                "sibstat native",
                ms,
                "ms",
                5,
                &method.to_lowercase(),
            );
            println!(
                "W5 on 338 rows with {row} individuals: median {ms:.1} ms over 5 runs ({method})"
            );
        }
    }

    if wanted("sampler") {
        // The sampler's cost model (resample.rs BINOMIAL_COST): nanoseconds per
        // individual drawn one by one and per conditional binomial, on the W5 rows at
        // 100 individuals per row on average.
        let rows = aggregated(&time, &status, 100.0);
        let counts = f64s(&rows["data"]["count"]);
        let units = Units::unstratified(counts.clone());
        let individuals: f64 = counts.iter().sum();
        let mut out = vec![0.0; counts.len()];
        let mut per = |method: Method, per_replicate: f64| {
            let sampler = units.sampler_forced(method);
            let mut rng = Xoshiro256StarStar::seed_from_u64(1);
            let reps = 200;
            let ms = median_ms(5, || {
                for _ in 0..reps {
                    sampler.resample(&mut rng, &mut out);
                }
            });
            ms * 1e6 / (reps as f64 * per_replicate)
        };
        let draw = per(Method::Individuals, individuals);
        let binomial = per(Method::Binomials, counts.len() as f64);
        emit(
            "sampler",
            "individual draw",
            "sibstat native",
            draw,
            "ns",
            5,
            "",
        );
        emit(
            "sampler",
            "binomial draw",
            "sibstat native",
            binomial,
            "ns",
            5,
            "",
        );
        println!(
        "sampler: {draw:.2} ns per individual drawn, {binomial:.1} ns per conditional binomial ({:.1} individual draws)",
        binomial / draw
    );
    }

    if wanted("report") {
        // The Joining Forces report's bootstrap: every request it offers, 20,000
        // replicates each, one after another.
        let report = sibstat::analyse(json!({"analysis": "joining_forces"})).unwrap();
        let requests: Vec<Value> = report["bootstrap_requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut request = r["request"].clone();
                request["replicates"] = json!(20000);
                request
            })
            .collect();
        let total = 20000.0 * requests.len() as f64;
        let ms = median_ms(3, || {
            for request in &requests {
                sibstat::analyse(request.clone()).unwrap();
            }
        });
        emit(
            "report",
            "Joining Forces bootstrap (all requests, 20,000 replicates each)",
            "sibstat native",
            total / (ms / 1e3),
            "replicates/s",
            3,
            &format!("{} requests in {ms:.0} ms", requests.len()),
        );
        println!(
        "Joining Forces bootstrap, {} requests × 20,000 replicates: {:.0} replicates/s natively ({ms:.0} ms)",
        requests.len(),
        total / (ms / 1e3)
    );
    }
}
