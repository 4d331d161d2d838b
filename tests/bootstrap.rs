//! The bootstrap: R `boot` parity (interval formulas exactly, given the same replicate
//! values; whole runs within Monte Carlo error at 10,000 replicates), reproducibility
//! by seed and by chunks, equivalences with the wrapped analyses, paired contrasts,
//! bands, coded errors, and a seeded coverage simulation.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{close, f64s, fixtures_in, read_json, tolerance};
use serde_json::{json, Value};
use sibstat::api::{wrapped, BootstrapRun, Request};
use sibstat::bootstrap::{
    acceleration, jackknife::influence, Evaluator, Intervals, Method, Units, Xoshiro256StarStar,
};
use sibstat::Code;

fn code_of(request: Value) -> Code {
    sibstat::analyse(request).unwrap_err().code
}

fn km_data() -> Value {
    json!({"time": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
           "status": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1],
           "count": [3, 2, 4, 1, 5, 2, 3, 2, 1, 2]})
}

fn km_boot(extra: Value) -> Value {
    let mut request = json!({
        "analysis": "bootstrap",
        "of": {"analysis": "kaplan_meier", "data": km_data()},
        "statistics": ["survival@5", "median"],
        "replicates": 500, "seed": 7
    });
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    request
}

// --- R parity -----------------------------------------------------------------

#[test]
fn interval_formulas_equal_boot_ci_given_the_same_replicates() {
    let paths = fixtures_in("bootstrap/intervals");
    assert!(paths.len() >= 4);
    for path in paths {
        let fixture = read_json(&path);
        assert!(
            fixture["source"].is_string(),
            "{} has no source",
            path.display()
        );
        let input = &fixture["input"];
        let t = f64s(&input["t"]);
        let l = f64s(&input["L"]);
        let a = acceleration(&l, &vec![1.0; l.len()]);
        let got = Intervals::new(
            input["t0"].as_f64().unwrap(),
            &t,
            input["conf"].as_f64().unwrap(),
            a,
        );
        let expected = &fixture["expected"];
        for (key, interval) in [
            ("normal", got.normal),
            ("basic", got.basic),
            ("percentile", got.percentile),
            ("bca", got.bca),
        ] {
            let e = f64s(&expected[key]);
            let g = interval.unwrap_or_else(|| panic!("{}: no {key}", path.display()));
            for k in 0..2 {
                assert!(
                    close(g[k], e[k]),
                    "{} {key}[{k}]: {} vs R {}",
                    path.display(),
                    g[k],
                    e[k]
                );
            }
        }
    }
}

#[test]
fn agrees_with_r_boot_within_monte_carlo_error_at_10000_replicates() {
    let paths = fixtures_in("bootstrap");
    assert!(paths.len() >= 5);
    for path in paths {
        let fixture = read_json(&path);
        assert!(
            fixture["source"].is_string(),
            "{} has no source",
            path.display()
        );
        let response = sibstat::analyse(fixture["request"].clone()).unwrap();
        let b = fixture["request"]["replicates"].as_f64().unwrap();
        assert_eq!(b, 10_000.0);
        for (e, g) in fixture["expected"]["statistics"]
            .as_array()
            .unwrap()
            .iter()
            .zip(response["statistics"].as_array().unwrap())
        {
            let name = e["name"].as_str().unwrap();
            assert_eq!(g["name"], e["name"]);
            let where_ = format!("{} {name}", path.display());
            // The estimate is not random: R's digits.
            assert!(
                close(
                    g["estimate"].as_f64().unwrap(),
                    e["estimate"].as_f64().unwrap()
                ),
                "{where_} estimate"
            );
            let se = e["std_err"].as_f64().unwrap();
            let g_se = g["std_err"].as_f64().unwrap();
            assert!(
                (g_se / se - 1.0).abs() <= tolerance::BOOTSTRAP_MC_STD_ERR_REL,
                "{where_} std_err {g_se} vs R {se}"
            );
            let allowed = tolerance::BOOTSTRAP_MC_ENDPOINT * se + e["resolution"].as_f64().unwrap();
            let bias = (g["bias"].as_f64().unwrap() - e["bias"].as_f64().unwrap()).abs();
            assert!(
                bias <= tolerance::BOOTSTRAP_MC_ENDPOINT * se,
                "{where_} bias"
            );
            // A BCa endpoint is an order statistic far in a tail (the adjusted level of
            // a skewed statistic), with its own Monte Carlo tolerance; a statistic with
            // atoms (S(12) of 11 individuals: steps of 1/11) puts R's realisation and
            // ours each up to one atom from the usual value (24 seeded runs of
            // mc_kaplan_meier_aml_strata, with the conditional-binomial sampler and
            // with individual draws alike, give 0.364, 0.455 and 0.545 for R's 0.545).
            let bca_allowed =
                tolerance::BOOTSTRAP_MC_BCA_ENDPOINT * se + 2.0 * e["resolution"].as_f64().unwrap();
            for key in ["normal", "basic", "percentile", "bca"] {
                let (ge, ee) = (f64s(&g[key]), f64s(&e[key]));
                let allowed = if key == "bca" { bca_allowed } else { allowed };
                for k in 0..2 {
                    assert!(
                        (ge[k] - ee[k]).abs() <= allowed,
                        "{where_} {key}[{k}]: {} vs R {} (allowed {allowed})",
                        ge[k],
                        ee[k]
                    );
                }
            }
            // Failed replicates (logits not converged or separated, medians not
            // reached): the same share within four Monte Carlo standard errors.
            let (fr, fg) = (
                e["failed"].as_f64().unwrap() / b,
                g["failed"].as_f64().unwrap() / b,
            );
            let sd = (2.0 * fr.max(1.0 / b) * (1.0 - fr) / b).sqrt();
            assert!(
                (fr - fg).abs() <= 4.0 * sd + 1.0 / b,
                "{where_} failed {fg} vs R {fr}"
            );
        }
    }
}

// --- Reproducibility --------------------------------------------------------------

#[test]
fn same_seed_gives_identical_replicates() {
    let a = sibstat::analyse(km_boot(json!({}))).unwrap();
    let b = sibstat::analyse(km_boot(json!({}))).unwrap();
    assert_eq!(a, b);
    let c = sibstat::analyse(km_boot(json!({"seed": 8}))).unwrap();
    assert_ne!(a["statistics"], c["statistics"]);
    assert_eq!(a["seed"], json!(7));
    assert_eq!(a["replicates"], json!(500));
}

fn start(request: Value) -> BootstrapRun {
    match Request::from_value(request).unwrap() {
        Request::Bootstrap(r) => r.start().unwrap(),
        _ => unreachable!(),
    }
}

#[test]
fn chunked_run_gives_the_same_numbers_as_one_run() {
    let whole = sibstat::analyse(km_boot(json!({}))).unwrap();
    let mut run = start(km_boot(json!({})));
    let mut last = 0;
    for chunk in [1, 7, 100, 1000] {
        let progress = run.run(chunk).unwrap();
        assert!(progress.done > last && progress.total == 500);
        last = progress.done;
    }
    assert!(run.is_finished());
    assert_eq!(run.result().unwrap(), whole);
}

#[test]
fn handle_misuse_is_an_invalid_bootstrap_state() {
    let mut run = start(km_boot(json!({"replicates": 3})));
    assert_eq!(run.run(0).unwrap_err().code, Code::InvalidBootstrapState);
    assert_eq!(run.result().unwrap_err().code, Code::InvalidBootstrapState);
    run.run(3).unwrap();
    assert_eq!(run.run(1).unwrap_err().code, Code::InvalidBootstrapState);
    assert!(run.result().is_ok());
}

// --- Equivalences -------------------------------------------------------------------

/// The 400-individual, two-group request of benches/engine.rs (same generator).
fn bench_km() -> Value {
    let mut state: u64 = 20220101;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut time, mut status, mut group) = (vec![], vec![], vec![]);
    for i in 0..400 {
        time.push((-sibstat::math::ln(1.0 - next()) * 14.0).ceil());
        status.push(if next() < 0.7 { 1 } else { 0 });
        group.push(if i % 2 == 0 { "cohort 1" } else { "cohort 2" });
    }
    json!({"time": time, "status": status, "group": group})
}

#[test]
fn estimates_equal_the_wrapped_analysis_bit_for_bit() {
    let data = bench_km();
    let km = sibstat::analyse(json!({"analysis": "kaplan_meier", "data": data})).unwrap();
    for (g, label) in ["cohort 1", "cohort 2"].iter().enumerate() {
        let curve = &km["curves"][g];
        let boot = sibstat::analyse(json!({
            "analysis": "bootstrap", "of": {"analysis": "kaplan_meier", "data": data},
            "statistics": [format!("survival@12[{label}]"), format!("median[{label}]")],
            "replicates": 2, "seed": 1
        }))
        .unwrap();
        let times = f64s(&curve["time"]);
        let at = times.iter().rposition(|&t| t <= 12.0).unwrap();
        assert_eq!(boot["statistics"][0]["estimate"], curve["survival"][at]);
        assert_eq!(
            boot["statistics"][1]["estimate"],
            curve["median"]["estimate"]
        );
    }
    // Competing causes: cause 2 for a third of the events.
    let mut cif_data = data.clone();
    let status: Vec<u32> = f64s(&data["status"])
        .iter()
        .enumerate()
        .map(|(i, &s)| if s > 0.0 && i % 3 == 0 { 2 } else { s as u32 })
        .collect();
    cif_data["status"] = json!(status);
    let ci =
        sibstat::analyse(json!({"analysis": "cumulative_incidence", "data": cif_data})).unwrap();
    let boot = sibstat::analyse(json!({
        "analysis": "bootstrap", "of": {"analysis": "cumulative_incidence", "data": cif_data},
        "statistics": ["cif1@12[cohort 2]", "cif2@30[cohort 2]"], "replicates": 2
    }))
    .unwrap();
    let curve = &ci["curves"][1];
    let times = f64s(&curve["time"]);
    for (k, (cause, t)) in [(0, 12.0), (1, 30.0)].iter().enumerate() {
        let at = times.iter().rposition(|&x| x <= *t).unwrap();
        assert_eq!(
            boot["statistics"][k]["estimate"],
            curve["causes"][*cause]["cif"][at]
        );
    }
}

fn evaluator(request: Value, names: &[&str]) -> Evaluator {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let request = Request::from_value(request).unwrap();
    Evaluator::new(wrapped(&request, &names).unwrap(), &names, None, false).unwrap()
}

fn estimate_and_acceleration(e: &Evaluator) -> Vec<(f64, f64)> {
    let mut t0 = vec![0.0; e.n_scalars()];
    e.evaluate(&e.units().counts, &mut t0);
    let l = influence(e.units(), &t0, |c, out| e.evaluate(c, out));
    t0.iter()
        .zip(&l)
        .map(|(&t, l)| {
            (
                t,
                acceleration(l.as_ref().unwrap(), &e.units().counts).unwrap(),
            )
        })
        .collect()
}

#[test]
fn aggregated_rows_equal_expanded_individuals() {
    // Survival: the rows of km_data() and the same individuals one per row.
    let data = km_data();
    let (mut time, mut status) = (vec![], vec![]);
    for ((t, s), c) in f64s(&data["time"])
        .iter()
        .zip(f64s(&data["status"]))
        .zip(f64s(&data["count"]))
    {
        for _ in 0..c as usize {
            time.push(*t);
            status.push(s);
        }
    }
    let names = ["survival@5", "survival@8", "median"];
    let aggregated = evaluator(json!({"analysis": "kaplan_meier", "data": data}), &names);
    let expanded = evaluator(
        json!({"analysis": "kaplan_meier", "data": {"time": time, "status": status}}),
        &names,
    );
    // The estimate and the jackknife acceleration (per row, weighted by the count)
    // equal those over the individuals.
    for (a, e) in estimate_and_acceleration(&aggregated)
        .iter()
        .zip(estimate_and_acceleration(&expanded))
    {
        assert!((a.0 - e.0).abs() <= tolerance::EQUIVALENCE);
        assert!(
            (a.1 - e.1).abs() <= tolerance::EQUIVALENCE,
            "{} vs {}",
            a.1,
            e.1
        );
    }
    // The bootstrap distributions (other draws from the same law): means and standard
    // errors within Monte Carlo error (four standard errors) at 20,000 replicates.
    let run = |of: Value| {
        sibstat::analyse(json!({"analysis": "bootstrap", "of": of, "statistics": ["survival@5"], "replicates": 20000, "seed": 3}))
            .unwrap()["statistics"][0]
            .clone()
    };
    let a = run(json!({"analysis": "kaplan_meier", "data": km_data()}));
    let e = run(json!({"analysis": "kaplan_meier", "data": {"time": time, "status": status}}));
    let se = e["std_err"].as_f64().unwrap();
    let mc = se / (20000f64).sqrt();
    assert!(
        (a["bias"].as_f64().unwrap() - e["bias"].as_f64().unwrap()).abs() < 4.0 * 2f64.sqrt() * mc
    );
    assert!((a["std_err"].as_f64().unwrap() / se - 1.0).abs() < 0.03);

    // Summary and logit: weighted rows and expanded individuals.
    let summary = |values: Value, count: Value| {
        evaluator(
            json!({"analysis": "summary", "values": values, "count": count}),
            &["mean", "median"],
        )
    };
    let s1 = estimate_and_acceleration(&summary(json!([1, 2, 7, 9]), json!([2, 3, 1, 4])));
    let s2 =
        estimate_and_acceleration(&summary(json!([1, 1, 2, 2, 2, 7, 9, 9, 9, 9]), json!(null)));
    for (a, e) in s1.iter().zip(&s2) {
        assert!(
            (a.0 - e.0).abs() <= tolerance::EQUIVALENCE
                && (a.1 - e.1).abs() <= tolerance::EQUIVALENCE
        );
    }
    let logit = |successes: Value, trials: Value, x: Value| {
        evaluator(
            json!({"analysis": "logit", "data": {"successes": successes, "trials": trials, "covariates": {"x": x}}, "model": {"terms": ["x"]}}),
            &["coef:x", "ame:x"],
        )
    };
    let grouped =
        estimate_and_acceleration(&logit(json!([2, 3, 5]), json!([5, 6, 7]), json!([0, 1, 2])));
    let (mut s, mut t, mut x) = (vec![], vec![], vec![]);
    for (succ, (n, xv)) in [2, 3, 5].iter().zip([(5, 0), (6, 1), (7, 2)]) {
        for k in 0..n {
            s.push(if k < *succ { 1 } else { 0 });
            t.push(1);
            x.push(xv);
        }
    }
    let individual = estimate_and_acceleration(&logit(json!(s), json!(t), json!(x)));
    for (a, e) in grouped.iter().zip(&individual) {
        assert!((a.0 - e.0).abs() <= tolerance::GROUPED_EQUIVALENCE * a.0.abs().max(1.0));
        assert!((a.1 - e.1).abs() <= 1e-8, "{} vs {}", a.1, e.1);
    }
}

#[test]
fn row_counts_follow_the_multinomial_of_individuals_with_either_method() {
    // E N_i = c_i, Var N_i = n p_i (1 − p_i) and Cov(N_i, N_j) = −n p_i p_j, p_i = c_i / n:
    // drawing individuals one by one and by conditional binomials.
    let units = Units::unstratified(vec![1.0, 5.0, 0.0, 30.0, 64.0]);
    for method in [Method::Individuals, Method::Binomials] {
        let sampler = units.sampler_forced(method);
        assert_eq!(sampler.methods(), vec![method]);
        let mut rng = Xoshiro256StarStar::seed_from_u64(42);
        let draws = 20_000;
        let mut sum = [0.0; 5];
        let mut sq = [0.0; 5];
        let mut cross = 0.0;
        let mut out = vec![0.0; 5];
        for _ in 0..draws {
            sampler.resample(&mut rng, &mut out);
            assert_eq!(out.iter().sum::<f64>(), 100.0);
            for i in 0..5 {
                sum[i] += out[i];
                sq[i] += out[i] * out[i];
            }
            cross += out[3] * out[4];
        }
        let d = draws as f64;
        for (i, &c) in units.counts.iter().enumerate() {
            let p = c / 100.0;
            let (m, v) = (100.0 * p, 100.0 * p * (1.0 - p));
            let mean = sum[i] / d;
            let var = sq[i] / d - mean * mean;
            assert!(
                (mean - m).abs() <= 5.0 * (v / d).sqrt() + 1e-12,
                "{method:?} {i}: {mean}"
            );
            assert!(
                (var - v).abs() <= 0.06 * v + 1e-12,
                "{method:?} {i}: {var} vs {v}"
            );
        }
        // Cov(N_3, N_4) = −100 · 0.30 · 0.64 = −19.2; its sampling sd at 20,000 draws is
        // below 0.3 (the product's sd is below 40): 5 % of 19.2 is about 3 sd.
        let cov = cross / d - (sum[3] / d) * (sum[4] / d);
        assert!((cov + 19.2).abs() <= 0.05 * 19.2, "{method:?}: cov {cov}");
    }
}

// --- Bands, paired contrasts, failed replicates -------------------------------------------

#[test]
fn bands_equal_the_pointwise_statistics_on_the_same_resamples() {
    let band = sibstat::analyse(km_boot(
        json!({"statistics": ["survival@grid"], "grid": [2, 5, 8]}),
    ))
    .unwrap();
    let points = sibstat::analyse(km_boot(
        json!({"statistics": ["survival@2", "survival@5", "survival@8"]}),
    ))
    .unwrap();
    let b = &band["bands"][0];
    assert_eq!(b["name"], json!("survival@grid"));
    assert_eq!(b["time"], json!([2.0, 5.0, 8.0]));
    for k in 0..3 {
        let p = &points["statistics"][k];
        assert_eq!(b["estimate"][k], p["estimate"]);
        assert_eq!(b["std_err"][k], p["std_err"]);
        assert_eq!(b["percentile"]["lower"][k], p["percentile"][0]);
        assert_eq!(b["bca"]["upper"][k], p["bca"][1]);
    }
}

#[test]
fn incidence_bands_equal_the_pointwise_cif_with_groups_and_strata() {
    let mut data = bench_km();
    let status: Vec<u32> = f64s(&data["status"])
        .iter()
        .enumerate()
        .map(|(i, &s)| if s > 0.0 && i % 3 == 0 { 2 } else { s as u32 })
        .collect();
    data["status"] = json!(status);
    let request = |statistics: Value, grid: Option<Value>| {
        let mut r = json!({"analysis": "bootstrap",
            "of": {"analysis": "cumulative_incidence", "data": data},
            "statistics": statistics, "replicates": 300, "seed": 11, "strata": true});
        if let Some(g) = grid {
            r["grid"] = g;
        }
        sibstat::analyse(r).unwrap()
    };
    let band = request(json!(["cif2@grid[cohort 2]"]), Some(json!([6, 12, 24])));
    let points = request(
        json!(["cif2@6[cohort 2]", "cif2@12[cohort 2]", "cif2@24[cohort 2]"]),
        None,
    );
    let b = &band["bands"][0];
    for k in 0..3 {
        let p = &points["statistics"][k];
        assert_eq!(b["estimate"][k], p["estimate"]);
        assert_eq!(b["percentile"]["upper"][k], p["percentile"][1]);
        assert_eq!(b["normal"]["lower"][k], p["normal"][0]);
    }
}

#[test]
fn paired_contrast_uses_the_same_resamples_for_both_requests() {
    // Two event definitions on the same rows: the second also counts row 3's censored
    // individuals as events.
    let mut other = km_data();
    other["status"][2] = json!(1);
    let paired = sibstat::analyse(km_boot(json!({
        "statistics": ["survival@5"],
        "paired": {"analysis": "kaplan_meier", "data": other}
    })))
    .unwrap();
    let alone = sibstat::analyse(km_boot(json!({"statistics": ["survival@5"]}))).unwrap();
    assert_eq!(paired["statistics"], alone["statistics"]);
    let a = paired["statistics"][0]["estimate"].as_f64().unwrap();
    let b = paired["paired"]["statistics"][0]["estimate"]
        .as_f64()
        .unwrap();
    let c = &paired["contrast"]["statistics"][0];
    assert_eq!(c["estimate"].as_f64().unwrap(), a - b);
    // Positively correlated resamples: the difference varies less than the sum of
    // the two variances would say.
    let (sa, sb) = (
        paired["statistics"][0]["std_err"].as_f64().unwrap(),
        paired["paired"]["statistics"][0]["std_err"]
            .as_f64()
            .unwrap(),
    );
    assert!(c["std_err"].as_f64().unwrap() < (sa * sa + sb * sb).sqrt());

    // A request paired with itself: a contrast of exactly 0.
    let same = sibstat::analyse(km_boot(
        json!({"paired": {"analysis": "kaplan_meier", "data": km_data()}}),
    ))
    .unwrap();
    for s in same["contrast"]["statistics"].as_array().unwrap() {
        assert_eq!(s["estimate"], json!(0.0));
        assert_eq!(s["percentile"], json!([0.0, 0.0]));
    }
}

#[test]
fn undefined_replicates_are_counted_warned_and_left_out() {
    // Median at 5 of 10 individuals with late censoring: some resamples never reach it.
    let request = json!({
        "analysis": "bootstrap",
        "of": {"analysis": "kaplan_meier", "data": {"time": [1, 2, 3, 4, 5], "status": [1, 1, 0, 1, 0], "count": [2, 2, 1, 1, 4]}},
        "statistics": ["median"], "replicates": 2000, "seed": 5
    });
    let response = sibstat::analyse(request).unwrap();
    let s = &response["statistics"][0];
    let failed = s["failed"].as_u64().unwrap();
    assert!(failed > 0 && failed < 2000, "{failed}");
    assert!(response["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "failed_replicates"));
    for key in ["percentile", "basic", "normal"] {
        assert!(f64s(&s[key]).iter().all(|x| x.is_finite()));
    }
}

// --- Bad input ------------------------------------------------------------------

#[test]
fn bad_requests_have_their_codes() {
    for replicates in [json!(0), json!(-5), json!(2.5), json!(2_000_000)] {
        assert_eq!(
            code_of(km_boot(json!({"replicates": replicates}))),
            Code::InvalidReplicates
        );
    }
    // Absurd work: a million replicates of 2,000 rows.
    let rows: Vec<u32> = (0..2000).collect();
    let big = json!({"analysis": "bootstrap",
        "of": {"analysis": "summary", "values": rows},
        "statistics": ["mean"], "replicates": 1_000_000});
    assert_eq!(code_of(big), Code::InvalidReplicates);
    for seed in [json!(-1), json!(1.5), json!(1e17)] {
        assert_eq!(code_of(km_boot(json!({"seed": seed}))), Code::InvalidSeed);
    }
    for name in [
        "survival",
        "surv@5",
        "cif@5",
        "coef:",
        "p-value",
        "survival@",
    ] {
        assert_eq!(
            code_of(km_boot(json!({"statistics": [name]}))),
            Code::UnknownStatistic,
            "{name}"
        );
    }
    assert_eq!(
        code_of(km_boot(json!({"statistics": []}))),
        Code::UnknownStatistic
    );
    // Statistics the wrapped analysis cannot give.
    for name in [
        "coef:x",
        "cif1@5",
        "mean",
        "estimate",
        "survival@5[cohort 1]",
    ] {
        assert_eq!(
            code_of(km_boot(json!({"statistics": [name]}))),
            Code::StatisticNotAvailable,
            "{name}"
        );
    }
    let grouped = json!({"analysis": "bootstrap",
        "of": {"analysis": "kaplan_meier", "data": bench_km()}, "statistics": ["survival@5"]});
    assert_eq!(code_of(grouped.clone()), Code::StatisticNotAvailable);
    let mut other_group = grouped.clone();
    other_group["statistics"] = json!(["median[cohort 3]"]);
    assert_eq!(code_of(other_group), Code::StatisticNotAvailable);
    let summary = json!({"analysis": "bootstrap", "of": {"analysis": "summary", "values": [1, 2]}, "statistics": ["survival@1"]});
    assert_eq!(code_of(summary), Code::StatisticNotAvailable);
    let logit = json!({"analysis": "bootstrap",
        "of": {"analysis": "logit", "data": {"successes": [1, 2], "trials": [3, 4], "covariates": {"x": [0, 1]}}, "model": {"terms": ["x"]}},
        "statistics": ["coef:y"]});
    assert_eq!(code_of(logit), Code::StatisticNotAvailable);
    let logrank = json!({"analysis": "bootstrap",
        "of": {"analysis": "logrank", "data": bench_km()}, "statistics": ["median"]});
    assert_eq!(code_of(logrank), Code::StatisticNotAvailable);
    // Strata without groups.
    assert_eq!(
        code_of(km_boot(json!({"strata": true}))),
        Code::StrataWithoutGroups
    );
    let proportion = json!({"analysis": "bootstrap", "of": {"analysis": "proportion", "successes": 3, "trials": 9},
        "statistics": ["estimate"], "strata": true});
    assert_eq!(code_of(proportion), Code::StrataWithoutGroups);
    // Times, grids, undefined estimates, mismatched pairs, the wrapped request's own errors.
    assert_eq!(
        code_of(km_boot(json!({"statistics": ["survival@11"]}))),
        Code::InvalidTimePoint
    );
    assert_eq!(
        code_of(km_boot(json!({"statistics": ["survival@grid"]}))),
        Code::MissingKey
    );
    assert_eq!(
        code_of(km_boot(json!({"grid": [1, 2]}))),
        Code::InvalidOption
    );
    assert_eq!(
        code_of(km_boot(
            json!({"statistics": ["survival@grid"], "grid": [1, null]})
        )),
        Code::NonFiniteValue
    );
    let no_median = json!({"analysis": "bootstrap",
        "of": {"analysis": "kaplan_meier", "data": {"time": [1, 2], "status": [1, 0], "count": [1, 5]}}, "statistics": ["median"]});
    assert_eq!(code_of(no_median), Code::UndefinedEstimate);
    assert_eq!(
        code_of(km_boot(
            json!({"paired": {"analysis": "kaplan_meier", "data": {"time": [1, 10], "status": [1, 0]}}})
        )),
        Code::PairedMismatch
    );
    assert_eq!(
        code_of(km_boot(
            json!({"of": {"analysis": "kaplan_meier", "data": {"time": [1, 2], "status": [1]}}})
        )),
        Code::LengthMismatch
    );
    assert_eq!(
        code_of(km_boot(json!({"conf_level": 1.5}))),
        Code::InvalidConfLevel
    );
    assert_eq!(code_of(km_boot(json!({"colour": 1}))), Code::UnknownKey);
}

// --- Coverage ------------------------------------------------------------------

/// Share of `sims` seeded data sets whose nominal 95 % interval of each type covers
/// `truth`: [percentile, basic, normal, bca].
fn coverage(
    sims: u64,
    truth: f64,
    mut request: impl FnMut(&mut Xoshiro256StarStar, u64) -> Value,
) -> [f64; 4] {
    let mut rng = Xoshiro256StarStar::seed_from_u64(2026);
    let mut covered = [0u32; 4];
    for sim in 0..sims {
        let response = sibstat::analyse(request(&mut rng, sim)).unwrap();
        let s = &response["statistics"][0];
        for (k, key) in ["percentile", "basic", "normal", "bca"].iter().enumerate() {
            if s[*key].is_array() {
                let i = f64s(&s[*key]);
                covered[k] += u32::from(i[0] <= truth && truth <= i[1]);
            }
        }
    }
    covered.map(|c| f64::from(c) / sims as f64)
}

#[test]
fn nominal_95_percent_intervals_cover_the_truth_93_to_97_percent_of_the_time() {
    // 1,000 data sets (Monte Carlo sd of a coverage of 95 %: 0.7 points), 999
    // replicates each, all seeded.
    let sims = 1000;
    // A proportion: 120 trials, true p = 0.3.
    let p = coverage(sims, 0.3, |rng, sim| {
        let successes = (0..120).filter(|_| rng.next_f64() < 0.3).count();
        json!({"analysis": "bootstrap",
               "of": {"analysis": "proportion", "successes": successes, "trials": 120},
               "statistics": ["estimate"], "replicates": 999, "seed": sim})
    });
    // Kaplan–Meier S(12): 150 individuals, exponential times (rate 0.05 a month) and
    // uniform censoring on (0, 48) months, both rounded up to whole months and
    // aggregated to rows. Truth P(ceil(T) > 12) = P(T > 12) = exp(−0.6).
    let km = coverage(sims, sibstat::math::exp(-0.6), |rng, sim| {
        let mut rows = std::collections::BTreeMap::new();
        for _ in 0..150 {
            let t = (-sibstat::math::ln(1.0 - rng.next_f64()) / 0.05).ceil();
            let c = (rng.next_f64() * 48.0).ceil().max(1.0);
            let key = if t <= c { (t as u32, 1) } else { (c as u32, 0) };
            *rows.entry(key).or_insert(0u32) += 1;
        }
        let (time, status, count): (Vec<u32>, Vec<u32>, Vec<u32>) = rows
            .iter()
            .map(|(&(t, s), &n)| (t, s, n))
            .fold((vec![], vec![], vec![]), |mut acc, (t, s, n)| {
                acc.0.push(t);
                acc.1.push(s);
                acc.2.push(n);
                acc
            });
        json!({"analysis": "bootstrap",
               "of": {"analysis": "kaplan_meier", "data": {"time": time, "status": status, "count": count}},
               "statistics": ["survival@12"], "replicates": 999, "seed": sim})
    });
    println!("coverage [percentile, basic, normal, bca]: proportion {p:?}, KM S(12) {km:?}");
    for (what, c) in [("proportion", p), ("KM S(12)", km)] {
        for (k, key) in ["percentile", "basic", "normal", "bca"].iter().enumerate() {
            assert!(
                (0.93..=0.97).contains(&c[k]),
                "{what} {key}: coverage {}",
                c[k]
            );
        }
    }
}
