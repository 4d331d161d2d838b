//! Kaplan–Meier, log-rank and life table: agreement with R (the fixtures of
//! `tests/fixtures/survival/`, made by its `generate.R`), hand computations, the
//! invariants the API promises, a coded error for every bad input, and a property test
//! that no request makes the engine panic.
// Native tests (fixtures from disk, proptest); the WASM tests are tests/wasm.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{f64s, tolerance};
use proptest::prelude::*;
use serde_json::{json, Value};
use sibstat::{analyse, Code};

// ---------------------------------------------------------------------------
// Agreement with R

#[test]
fn every_survival_fixture_agrees_with_r() {
    let fixtures = common::fixtures_in("survival");
    assert!(
        fixtures.len() >= 20,
        "expected the R fixtures in tests/fixtures/survival (run generate.R)"
    );
    // Check them all before failing, so one report lists every disagreement.
    let mut failures = Vec::new();
    for path in &fixtures {
        if let Err(e) = std::panic::catch_unwind(|| common::check_fixture(path)) {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| format!("{}: failed", path.display()));
            failures.push(message);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn fixtures_cover_every_survival_analysis() {
    let analyses: Vec<String> = common::fixtures_in("survival")
        .iter()
        .map(|p| common::read_json(p)["request"]["analysis"].to_string())
        .collect();
    for name in ["kaplan_meier", "logrank", "life_table"] {
        assert!(
            analyses.iter().any(|a| a == &format!("\"{name}\"")),
            "no fixture for {name}"
        );
    }
}

// ---------------------------------------------------------------------------
// Helpers

/// Whole responses equal up to `tol` (see `common::assert_equivalent`).
fn assert_equivalent(actual: &Value, expected: &Value, tol: f64) {
    common::assert_equivalent(actual, expected, tol, &[], "");
}

fn code_of(request: Value) -> Code {
    match analyse(request.clone()) {
        Ok(_) => panic!("request was accepted: {request}"),
        Err(e) => {
            assert!(!e.message.is_empty(), "{:?} has no message", e.code);
            e.code
        }
    }
}

fn opt_f64s(value: &Value) -> Vec<Option<f64>> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_f64)
        .collect()
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!(
        common::close(actual, expected),
        "{what}: {actual:e}, hand computation {expected:e}"
    );
}

// An aggregated data set: three groups (numeric labels), ties of events and
// censorings, a second cause (status 2 counts as an event in all three analyses), a
// zero-count row, and two strata.
const AGG_TIME: [f64; 16] = [
    1.0, 1.0, 2.0, 3.0, 3.0, 3.0, 5.0, 8.0, 2.0, 2.0, 4.0, 4.0, 6.0, 7.0, 7.0, 9.0,
];
const AGG_STATUS: [f64; 16] = [
    1.0, 0.0, 2.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 2.0, 0.0, 1.0, 1.0, 0.0,
];
const AGG_COUNT: [f64; 16] = [
    2.0, 1.0, 3.0, 1.0, 2.0, 4.0, 1.0, 2.0, 3.0, 0.0, 2.0, 1.0, 5.0, 1.0, 2.0, 2.0,
];
const AGG_GROUP: [u32; 16] = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 10];
const AGG_STRATUM: [&str; 16] = [
    "x", "y", "x", "y", "x", "y", "x", "y", "x", "y", "x", "y", "x", "y", "x", "y",
];

/// The aggregated rows, or the same individuals one row each (zero-count rows vanish).
fn agg_data(expanded: bool) -> (Value, Value) {
    let mut time = Vec::new();
    let mut status = Vec::new();
    let mut count = Vec::new();
    let mut group = Vec::new();
    let mut stratum = Vec::new();
    for i in 0..AGG_TIME.len() {
        let copies = if expanded { AGG_COUNT[i] as usize } else { 1 };
        for _ in 0..copies {
            time.push(AGG_TIME[i]);
            status.push(AGG_STATUS[i]);
            count.push(AGG_COUNT[i]);
            group.push(AGG_GROUP[i]);
            stratum.push(AGG_STRATUM[i]);
        }
    }
    let data = if expanded {
        json!({"time": time, "status": status, "group": group})
    } else {
        json!({"time": time, "status": status, "count": count, "group": group})
    };
    (data, json!(stratum))
}

fn requests(data: Value, strata: Value) -> Vec<Value> {
    vec![
        json!({"analysis": "kaplan_meier", "data": data.clone(), "conf_type": "log-log"}),
        json!({"analysis": "kaplan_meier", "data": data.clone(), "conf_type": "plain", "conf_level": 0.8}),
        json!({"analysis": "logrank", "data": data.clone()}),
        json!({"analysis": "logrank", "data": data.clone(), "strata": strata}),
        json!({"analysis": "life_table", "data": data, "breaks": [0, 2, 4, 6], "conf_level": 0.9}),
    ]
}

// ---------------------------------------------------------------------------
// Invariants

#[test]
fn aggregated_rows_equal_expanded_individuals() {
    let (agg, agg_strata) = agg_data(false);
    let (ind, ind_strata) = agg_data(true);
    for (a, i) in requests(agg, agg_strata)
        .into_iter()
        .zip(requests(ind, ind_strata))
    {
        let from_rows = analyse(a.clone()).unwrap();
        let from_individuals = analyse(i).unwrap();
        assert_equivalent(&from_rows, &from_individuals, tolerance::EQUIVALENCE);
        assert_eq!(from_rows["warnings"], json!([]), "{a}");
    }
}

#[test]
fn row_order_does_not_change_any_result() {
    let (data, strata) = agg_data(false);
    // Reverse every array of the rows, and the strata with them.
    let reverse = |v: &Value| {
        let mut a = v.as_array().unwrap().clone();
        a.reverse();
        Value::Array(a)
    };
    let mut reversed = data.clone();
    for key in ["time", "status", "count", "group"] {
        reversed[key] = reverse(&data[key]);
    }
    for (a, b) in requests(data, strata.clone())
        .into_iter()
        .zip(requests(reversed, reverse(&strata)))
    {
        assert_equivalent(
            &analyse(a).unwrap(),
            &analyse(b).unwrap(),
            tolerance::EQUIVALENCE,
        );
    }
}

#[test]
fn group_labels_as_numbers_or_text_give_the_same_test() {
    let (data, _) = agg_data(false);
    let mut text = data.clone();
    text["group"] = json!(AGG_GROUP.iter().map(|g| g.to_string()).collect::<Vec<_>>());
    let a = analyse(json!({"analysis": "logrank", "data": data})).unwrap();
    let b = analyse(json!({"analysis": "logrank", "data": text})).unwrap();
    assert_equivalent(&a, &b, 0.0);
    // Numeric labels in numeric order, as the levels of a factor in R: 10 is last.
    assert_eq!(a["groups"][3]["group"], json!("10"));
}

// ---------------------------------------------------------------------------
// Hand computations

/// Six individuals: an event at 1; at 2 two tied events and a censoring; a censoring
/// at 3; an event at 4.
fn tiny() -> Value {
    json!({"time": [2, 1, 2, 4, 3, 2], "status": [1, 1, 0, 1, 0, 1]})
}

// Kaplan–Meier by hand:
//   t = 1: 6 at risk, 1 event           S = 5/6
//   t = 2: 5 at risk, 2 events, 1 cens. S = 5/6 · 3/5 = 1/2
//   t = 3: 2 at risk, 1 censoring       S = 1/2
//   t = 4: 1 at risk, 1 event           S = 0
// Greenwood Σ d/(r(r−d)): 1/30, then + 2/15 = 1/6 (kept at t = 3), then ∞.
// se(S) = S·sqrt(Σ): sqrt(1/30)·5/6, sqrt(1/6)/2, sqrt(1/6)/2, null (R: NaN).
// Median: S sits at exactly 1/2 from t = 2 to t = 4, so it is the midpoint, 3.
#[test]
fn kaplan_meier_by_hand_with_ties_and_censoring_at_an_event_time() {
    let r =
        analyse(json!({"analysis": "kaplan_meier", "data": tiny(), "conf_type": "log"})).unwrap();
    let c = &r["curves"][0];
    assert_eq!(c["group"], Value::Null);
    assert_eq!(f64s(&c["time"]), vec![1.0, 2.0, 3.0, 4.0]);
    assert_eq!(f64s(&c["n_risk"]), vec![6.0, 5.0, 2.0, 1.0]);
    assert_eq!(f64s(&c["n_event"]), vec![1.0, 2.0, 0.0, 1.0]);
    assert_eq!(f64s(&c["n_censor"]), vec![0.0, 1.0, 1.0, 0.0]);
    let s = f64s(&c["survival"]);
    for (got, want) in s.iter().zip([5.0 / 6.0, 0.5, 0.5, 0.0]) {
        assert_close(*got, want, "survival");
    }
    let se = opt_f64s(&c["std_err"]);
    assert_close(
        se[0].unwrap(),
        5.0 / 6.0 * (1.0f64 / 30.0).sqrt(),
        "se at 1",
    );
    assert_close(se[1].unwrap(), 0.5 * (1.0f64 / 6.0).sqrt(), "se at 2");
    assert_close(se[2].unwrap(), 0.5 * (1.0f64 / 6.0).sqrt(), "se at 3");
    assert_eq!(se[3], None);
    // Log transform: S·exp(±z·se(log S)), upper capped at 1; none once S = 0.
    let z = 1.959_963_984_540_054;
    let lower = opt_f64s(&c["lower"]);
    assert_close(
        lower[1].unwrap(),
        0.5 * sibstat::math::exp(-z * (1.0f64 / 6.0).sqrt()),
        "lower at 2",
    );
    assert_eq!(lower[3], None);
    assert_eq!(c["median"]["estimate"], json!(3.0));
}

#[test]
fn kaplan_meier_events_only_and_censorings_only() {
    // Events only, 3 individuals: S = 2/3, 1/3, 0; the median is the time S first
    // drops below 1/2: 2.
    let r = analyse(json!({"analysis": "kaplan_meier",
        "data": {"time": [1, 2, 3], "status": [1, 1, 1]}}))
    .unwrap();
    let c = &r["curves"][0];
    let s = f64s(&c["survival"]);
    assert_close(s[0], 2.0 / 3.0, "S(1)");
    assert_close(s[1], 1.0 / 3.0, "S(2)");
    assert_eq!(s[2], 0.0);
    assert_eq!(c["median"]["estimate"], json!(2.0));
    // Censorings only: S stays 1 with standard error 0; log-log limits are undefined
    // at S = 1 (R: NA), and the median is never reached.
    let r = analyse(json!({"analysis": "kaplan_meier",
        "data": {"time": [1, 2], "status": [0, 0], "count": [3, 1]}}))
    .unwrap();
    let c = &r["curves"][0];
    assert_eq!(f64s(&c["survival"]), vec![1.0, 1.0]);
    assert_eq!(f64s(&c["n_risk"]), vec![4.0, 1.0]);
    assert_eq!(f64s(&c["std_err"]), vec![0.0, 0.0]);
    assert_eq!(c["lower"], json!([null, null]));
    assert_eq!(c["upper"], json!([null, null]));
    assert_eq!(
        c["median"],
        json!({"estimate": null, "lower": null, "upper": null})
    );
}

// Log-rank by hand. A: event 1, event 2, censored 3. B: event 2, censored 2, event 4.
//   t = 1: at risk A 3, B 3 (r = 6), d = 1: E_A += 3/6 = 0.5;
//          V_AA += d(r−d)/(r(r−1)) · r_A(1 − r_A/r) = (5/30)·3·(1/2) = 0.25
//   t = 2: at risk A 2, B 3 (r = 5), d = 2 (one each): E_A += 2·2/5 = 0.8;
//          V_AA += (2·3/(5·4))·2·(3/5) = 0.36
//   t = 4: at risk B 1 only: E_B += 1, no variance (r = 1)
// O_A = 2, E_A = 1.3; O_B = 2, E_B = 2.7; V = [[0.61, −0.61], [−0.61, 0.61]];
// chi² = 0.7²/0.61 = 0.49/0.61, df 1.
#[test]
fn logrank_by_hand() {
    let r = analyse(json!({"analysis": "logrank", "data": {
        "time": [1, 2, 3, 2, 2, 4], "status": [1, 1, 0, 1, 0, 1],
        "group": ["A", "A", "A", "B", "B", "B"]}}))
    .unwrap();
    assert_eq!(r["df"], json!(1));
    assert_close(r["chi_square"].as_f64().unwrap(), 0.49 / 0.61, "chi²");
    let g = &r["groups"];
    assert_eq!(g[0]["group"], json!("A"));
    assert_eq!(g[0]["n"].as_f64(), Some(3.0));
    assert_eq!(g[0]["observed"].as_f64(), Some(2.0));
    assert_close(g[0]["expected"].as_f64().unwrap(), 1.3, "E_A");
    assert_close(g[1]["expected"].as_f64().unwrap(), 2.7, "E_B");
    assert_close(r["variance"][0][0].as_f64().unwrap(), 0.61, "V_AA");
    assert_close(r["variance"][0][1].as_f64().unwrap(), -0.61, "V_AB");
    let p = r["p_value"].as_f64().unwrap();
    assert!(p > 0.3 && p < 0.4, "p = {p}");
}

// Stratified by hand: stratum s1 holds the data of `logrank_by_hand`, stratum s2 a
// copy. Risk sets stay within a stratum, so observed, expected and variance double,
// and so does chi² = (2·0.7)²/(2·0.61).
#[test]
fn logrank_strata_sum_observed_expected_and_variance() {
    let time = [1, 2, 3, 2, 2, 4, 1, 2, 3, 2, 2, 4];
    let status = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 0, 1];
    let group = ["A", "A", "A", "B", "B", "B", "A", "A", "A", "B", "B", "B"];
    let strata = [
        "s1", "s1", "s1", "s1", "s1", "s1", "s2", "s2", "s2", "s2", "s2", "s2",
    ];
    let r = analyse(json!({"analysis": "logrank",
        "data": {"time": time, "status": status, "group": group}, "strata": strata}))
    .unwrap();
    assert_close(r["chi_square"].as_f64().unwrap(), 2.0 * 0.49 / 0.61, "chi²");
    assert_close(r["variance"][0][0].as_f64().unwrap(), 1.22, "V_AA");
    assert_eq!(
        r["strata"],
        json!([{"stratum": "s1", "n": 6.0}, {"stratum": "s2", "n": 6.0}])
    );
    // Unstratified, the pooled risk sets differ: a different statistic.
    let pooled = analyse(json!({"analysis": "logrank",
        "data": {"time": time, "status": status, "group": group}}))
    .unwrap();
    assert_eq!(pooled["strata"], Value::Null);
}

#[test]
fn logrank_without_a_test_says_so() {
    // Group B is censored before the first event: it expects no events, so only one
    // group is compared: chi² 0, df 0 and no p-value (R prints a p of 0 on −1 or 0 df).
    let r = analyse(json!({"analysis": "logrank", "data": {
        "time": [1, 5, 6], "status": [0, 1, 1], "group": ["B", "A", "A"]}}))
    .unwrap();
    assert_eq!(r["chi_square"], json!(0.0));
    assert_eq!(r["df"], json!(0));
    assert_eq!(r["p_value"], Value::Null);
    assert_eq!(r["warnings"][0]["code"], json!("no_test"));
}

#[test]
fn logrank_on_groups_never_at_risk_together_uses_the_rank() {
    // A sits alone in stratum s, B alone in stratum t: each expects exactly its own
    // events and the variance is 0, of rank 0. R's survdiff stops ("system is exactly
    // singular"); here the test has 0 degrees of freedom, no p-value and a warning.
    let r = analyse(json!({"analysis": "logrank",
        "data": {"time": [1, 2, 3, 4], "status": [1, 1, 1, 1], "group": ["A", "A", "B", "B"]},
        "strata": ["s", "s", "t", "t"]}))
    .unwrap();
    assert_eq!(r["df"], json!(0));
    assert_eq!(r["p_value"], Value::Null);
    assert_eq!(r["warnings"][0]["code"], json!("singular_variance"));
}

// Life table by hand, the six individuals of `tiny`, breaks [0, 2, 4]:
//   [0, 2): N 6, lost 0, events 1 (t = 1)          Y = 6,  q = 1/6
//   [2, 4): N 5, lost 2 (t = 2, 3), events 2       Y = 4,  q = 1/2
//   [4, ∞): N 1, lost 0, events 1                  Y = 1,  q = 1
// S at the starts: 1, 5/6, 5/12. pdf: (1 − 5/6)/2 = 1/12, (5/6 − 5/12)/2 = 5/24, none.
// hazard: D/h/(Y − D/2): 1/2/5.5 = 1/11, 2/2/3 = 1/3, none.
// se(S): 0, (5/6)·sqrt(1/30), (5/12)·sqrt(1/30 + 2/(4·2)).
// se(pdf) first interval: S q / h · sqrt(p/(Y q)) = (1/12)·sqrt(5/6).
// se(hazard) first interval: sqrt(1 − (h·w/2)²)·sqrt(h²/(Y q)) = sqrt(120/121)/11.
#[test]
fn life_table_by_hand() {
    let r =
        analyse(json!({"analysis": "life_table", "data": tiny(), "breaks": [0, 2, 4]})).unwrap();
    let t = &r["tables"][0];
    assert_eq!(f64s(&t["start"]), vec![0.0, 2.0, 4.0]);
    assert_eq!(t["end"], json!([2.0, 4.0, null]));
    assert_eq!(f64s(&t["n_subjects"]), vec![6.0, 5.0, 1.0]);
    assert_eq!(f64s(&t["n_lost"]), vec![0.0, 2.0, 0.0]);
    assert_eq!(f64s(&t["n_risk"]), vec![6.0, 4.0, 1.0]);
    assert_eq!(f64s(&t["n_event"]), vec![1.0, 2.0, 1.0]);
    let s = f64s(&t["survival"]);
    for (got, want) in s.iter().zip([1.0, 5.0 / 6.0, 5.0 / 12.0]) {
        assert_close(*got, want, "survival");
    }
    let pdf = opt_f64s(&t["pdf"]);
    assert_close(pdf[0].unwrap(), 1.0 / 12.0, "pdf 0");
    assert_close(pdf[1].unwrap(), 5.0 / 24.0, "pdf 1");
    assert_eq!(pdf[2], None);
    let hazard = opt_f64s(&t["hazard"]);
    assert_close(hazard[0].unwrap(), 1.0 / 11.0, "hazard 0");
    assert_close(hazard[1].unwrap(), 1.0 / 3.0, "hazard 1");
    assert_eq!(hazard[2], None);
    let se = f64s(&t["se_survival"]);
    assert_eq!(se[0], 0.0);
    assert_close(se[1], 5.0 / 6.0 * (1.0f64 / 30.0).sqrt(), "se 1");
    assert_close(se[2], 5.0 / 12.0 * (1.0f64 / 30.0 + 0.25).sqrt(), "se 2");
    assert_close(
        t["se_pdf"][0].as_f64().unwrap(),
        (5.0f64 / 6.0).sqrt() / 12.0,
        "se pdf 0",
    );
    assert_close(
        t["se_hazard"][0].as_f64().unwrap(),
        (120.0f64 / 121.0).sqrt() / 11.0,
        "se hazard 0",
    );
    // Plain limits: S ± z·se within [0, 1]; the first interval is certain, and the
    // last one's lower limit 5/12 − 1.96·0.2218 < 0 is cut at 0.
    assert_eq!(t["lower"][0], json!(1.0));
    assert_eq!(t["upper"][0], json!(1.0));
    let z = 1.959_963_984_540_054;
    assert_eq!(t["lower"][2], json!(0.0));
    assert_close(t["upper"][2].as_f64().unwrap(), s[2] + z * se[2], "upper 2");
    assert_close(t["lower"][1].as_f64().unwrap(), s[1] - z * se[1], "lower 1");
}

// Censorings only (4 lost in [0, 2), 2 in [2, ∞)): q = 0 everywhere, so S = 1, the
// pdf and hazard are 0, and lifetab's se of pdf and hazard are 0·∞ = NaN (null).
// Events only (3 in [0, 2), 1 in [2, ∞)): Y = 4, q = 3/4, S(2) = 1/4;
// se(S(2)) = (1/4)·sqrt(3/(4·1)); pdf (1 − 1/4)/2 = 3/8; hazard 3/2/(4 − 3/2) = 3/5.
#[test]
fn life_table_censorings_only_and_events_only() {
    let r = analyse(json!({"analysis": "life_table",
        "data": {"time": [1, 3], "status": [0, 0], "count": [4, 2]}, "breaks": [0, 2]}))
    .unwrap();
    let t = &r["tables"][0];
    assert_eq!(f64s(&t["n_risk"]), vec![4.0, 1.0]);
    assert_eq!(f64s(&t["survival"]), vec![1.0, 1.0]);
    assert_eq!(t["pdf"], json!([0.0, null]));
    assert_eq!(t["hazard"], json!([0.0, null]));
    assert_eq!(t["se_pdf"], json!([null, null]));
    assert_eq!(t["se_hazard"], json!([null, null]));
    assert_eq!(f64s(&t["se_survival"]), vec![0.0, 0.0]);

    let r = analyse(json!({"analysis": "life_table",
        "data": {"time": [0.5, 1, 2], "status": [1, 2, 1], "count": [2, 1, 1]}, "breaks": [0, 2]}))
    .unwrap();
    let t = &r["tables"][0];
    assert_eq!(f64s(&t["n_subjects"]), vec![4.0, 1.0]);
    assert_eq!(f64s(&t["n_event"]), vec![3.0, 1.0]);
    assert_close(t["survival"][1].as_f64().unwrap(), 0.25, "S(2)");
    assert_close(
        t["se_survival"][1].as_f64().unwrap(),
        0.25 * 0.75f64.sqrt(),
        "se S(2)",
    );
    assert_close(t["pdf"][0].as_f64().unwrap(), 3.0 / 8.0, "pdf");
    assert_close(t["hazard"][0].as_f64().unwrap(), 0.6, "hazard");
}

#[test]
fn life_table_time_on_a_break_opens_the_next_interval() {
    // Events at 0, 2 and 5 with breaks [0, 2, 4]: one event per interval, the last open.
    let r = analyse(json!({"analysis": "life_table",
        "data": {"time": [0, 2, 5], "status": [1, 1, 1]}, "breaks": [0, 2, 4]}))
    .unwrap();
    assert_eq!(f64s(&r["tables"][0]["n_event"]), vec![1.0, 1.0, 1.0]);
}

// ---------------------------------------------------------------------------
// A coded error for every bad input

fn ok_data() -> Value {
    json!({"time": [1, 2, 3, 4], "status": [1, 0, 1, 1], "group": ["a", "a", "b", "b"]})
}

fn with_data(analysis: &str, data: Value) -> Value {
    match analysis {
        "life_table" => json!({"analysis": analysis, "data": data, "breaks": [0, 2, 4]}),
        _ => json!({"analysis": analysis, "data": data}),
    }
}

#[test]
fn bad_data_gets_its_own_code_in_every_analysis() {
    let cases: Vec<(Value, Code)> = vec![
        (
            json!({"time": [], "status": [], "group": []}),
            Code::EmptyData,
        ),
        (
            json!({"time": [1, 2], "status": [1, 1], "count": [0, 0], "group": ["a", "b"]}),
            Code::EmptyData,
        ),
        (
            json!({"time": [1, 2], "status": [1], "group": ["a", "b"]}),
            Code::LengthMismatch,
        ),
        (
            json!({"time": [1, 2], "status": [1, 1], "group": ["a"]}),
            Code::LengthMismatch,
        ),
        (
            json!({"time": [1, 2], "status": [1, 1], "count": [1], "group": ["a", "b"]}),
            Code::LengthMismatch,
        ),
        (
            json!({"time": [-1, 2], "status": [1, 1], "group": ["a", "b"]}),
            Code::NegativeTime,
        ),
        (
            json!({"time": [null, 2], "status": [1, 1], "group": ["a", "b"]}),
            Code::NonFiniteValue,
        ),
        (
            json!({"time": [1, 2], "status": [1, -1], "group": ["a", "b"]}),
            Code::InvalidStatus,
        ),
        (
            json!({"time": [1, 2], "status": [1, 0.5], "group": ["a", "b"]}),
            Code::InvalidStatus,
        ),
        (
            json!({"time": [1, 2], "status": [1, 1], "count": [-1, 1], "group": ["a", "b"]}),
            Code::NegativeCount,
        ),
        (
            json!({"time": [1, 2], "status": [1, 1], "count": [1.5, 1], "group": ["a", "b"]}),
            Code::FractionalCount,
        ),
        (
            json!({"time": [1, 2], "status": [1, 1], "count": [9e15, 9e15], "group": ["a", "b"]}),
            Code::TooManyIndividuals,
        ),
        (
            json!({"time": [1, 2], "status": [1, 1], "weights": [1, 1], "group": ["a", "b"]}),
            Code::UnknownKey,
        ),
        (
            json!({"time": ["1", 2], "status": [1, 1], "group": ["a", "b"]}),
            Code::InvalidType,
        ),
        (
            json!({"status": [1, 1], "group": ["a", "b"]}),
            Code::MissingKey,
        ),
    ];
    for analysis in ["kaplan_meier", "logrank", "life_table"] {
        for (data, code) in &cases {
            assert_eq!(
                code_of(with_data(analysis, data.clone())),
                *code,
                "{analysis} with {data}"
            );
        }
    }
}

#[test]
fn bad_options_get_their_own_codes() {
    for analysis in ["kaplan_meier", "logrank", "life_table"] {
        let mut request = with_data(analysis, ok_data());
        request["colour"] = json!("red");
        assert_eq!(code_of(request), Code::UnknownKey, "{analysis}");
    }
    for level in [json!(0.0), json!(1.0), json!(-0.5), json!(95)] {
        for analysis in ["kaplan_meier", "life_table"] {
            let mut request = with_data(analysis, ok_data());
            request["conf_level"] = level.clone();
            assert_eq!(
                code_of(request),
                Code::InvalidConfLevel,
                "{analysis} {level}"
            );
        }
    }
    let km = |conf_type: Value| json!({"analysis": "kaplan_meier", "data": ok_data(), "conf_type": conf_type});
    assert_eq!(code_of(km(json!("arcsine"))), Code::InvalidOption);
    assert_eq!(code_of(km(json!(1))), Code::InvalidType);

    let lt = |breaks: Value| json!({"analysis": "life_table", "data": ok_data(), "breaks": breaks});
    for breaks in [
        json!([0, 2, 2]),
        json!([0, 3, 1]),
        json!([0]),
        json!([]),
        json!([1, 2]),
        json!([-1, 2]),
        json!([0, null]),
    ] {
        assert_eq!(code_of(lt(breaks.clone())), Code::InvalidBreaks, "{breaks}");
    }
    assert_eq!(
        code_of(json!({"analysis": "life_table", "data": ok_data()})),
        Code::MissingKey
    );
    assert_eq!(code_of(lt(json!(["0", 1]))), Code::InvalidType);
}

#[test]
fn logrank_group_and_strata_problems_get_their_own_codes() {
    let lr = |data: Value| json!({"analysis": "logrank", "data": data});
    // One group.
    assert_eq!(
        code_of(lr(
            json!({"time": [1, 2], "status": [1, 1], "group": ["a", "a"]})
        )),
        Code::TooFewGroups
    );
    // Two labels, but one of them has no individuals.
    assert_eq!(
        code_of(lr(
            json!({"time": [1, 2], "status": [1, 1], "count": [2, 0], "group": ["a", "b"]})
        )),
        Code::TooFewGroups
    );
    // No groups at all, with or without strata.
    assert_eq!(
        code_of(lr(json!({"time": [1, 2], "status": [1, 1]}))),
        Code::MissingKey
    );
    assert_eq!(
        code_of(
            json!({"analysis": "logrank", "data": {"time": [1, 2], "status": [1, 1]},
            "strata": [1, 2]})
        ),
        Code::MissingKey
    );
    // Strata of the wrong length, or of the wrong type.
    assert_eq!(
        code_of(json!({"analysis": "logrank", "data": ok_data(), "strata": [1, 2]})),
        Code::LengthMismatch
    );
    assert_eq!(
        code_of(json!({"analysis": "logrank", "data": ok_data(), "strata": [1, 2, null, 1]})),
        Code::InvalidType
    );
}

// ---------------------------------------------------------------------------
// Property test: no request panics; valid data give coherent curves.

/// Numbers that are mostly valid but sometimes negative, fractional, huge or NaN
/// (which JSON carries as null).
fn wild_number() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![
        100 => (0u32..12).prop_map(|x| json!(x)),
        2 => (-3.0f64..3.0).prop_map(|x| json!(x)),
        1 => Just(Value::Null),
        1 => Just(json!(1e300)),
        1 => Just(json!(9.0e15)),
        1 => Just(json!("7")),
    ]
}

fn wild_label() -> impl Strategy<Value = Value> + Clone {
    prop_oneof![
        50 => (0u8..3).prop_map(|x| json!(format!("g{x}"))),
        50 => (0u8..3).prop_map(|x| json!(x)),
        1 => Just(Value::Null),
        1 => Just(json!([1])),
    ]
}

/// An array of `n` entries, or now and then of another length.
fn wild_array<S: Strategy<Value = Value> + Clone + 'static>(
    entry: S,
    n: usize,
) -> impl Strategy<Value = Value> {
    prop_oneof![
        12 => prop::collection::vec(entry.clone(), n..=n),
        1 => prop::collection::vec(entry, 0..8),
    ]
    .prop_map(Value::Array)
}

fn wild_breaks() -> impl Strategy<Value = Value> {
    prop_oneof![
        // Valid: 0 and increasing steps.
        6 => prop::collection::vec(1u32..5, 1..5).prop_map(|steps| {
            let mut b = vec![0u32];
            for s in steps {
                b.push(b.last().unwrap() + s);
            }
            json!(b)
        }),
        1 => prop::collection::vec(wild_number(), 0..5).prop_map(Value::Array),
        1 => Just(json!("0, 5")),
    ]
}

fn wild_request() -> impl Strategy<Value = Value> {
    (0usize..8).prop_flat_map(|n| {
        (
            prop_oneof![Just("kaplan_meier"), Just("logrank"), Just("life_table")],
            wild_array(wild_number(), n),
            wild_array(wild_number(), n),
            prop::option::of(wild_array(wild_number(), n)),
            prop::option::of(wild_array(wild_label(), n)),
            prop::option::weighted(0.3, wild_array(wild_label(), n)),
            wild_breaks(),
            prop::option::weighted(
                0.3,
                prop_oneof![(-0.5f64..1.5).prop_map(|x| json!(x)), Just(Value::Null)],
            ),
            prop::option::weighted(
                0.3,
                prop_oneof![
                    Just(json!("log")),
                    Just(json!("log-log")),
                    Just(json!("plain")),
                    Just(json!("logit"))
                ],
            ),
            prop::bool::weighted(0.1),
        )
            .prop_map(
                |(
                    analysis,
                    time,
                    status,
                    count,
                    group,
                    strata,
                    breaks,
                    level,
                    conf_type,
                    stray,
                )| {
                    let mut data = json!({"time": time, "status": status});
                    if let Some(c) = count {
                        data["count"] = c;
                    }
                    if let Some(g) = group {
                        data["group"] = g;
                    }
                    let mut request = json!({"analysis": analysis, "data": data});
                    // Options go where they belong, and now and then (`stray`) where
                    // they do not.
                    if analysis == "logrank" || stray {
                        if let Some(s) = strata {
                            request["strata"] = s;
                        }
                    }
                    if analysis == "life_table" || stray {
                        request["breaks"] = breaks;
                    }
                    if analysis != "logrank" || stray {
                        if let Some(l) = level {
                            request["conf_level"] = l;
                        }
                    }
                    if analysis == "kaplan_meier" || stray {
                        if let Some(t) = conf_type {
                            request["conf_type"] = t;
                        }
                    }
                    request
                },
            )
    })
}

/// Valid rows: integer times with many ties, statuses 0–2, counts 0–20 (at least one
/// positive), two or three groups.
fn valid_data() -> impl Strategy<Value = Value> {
    prop::collection::vec((0u32..15, 0u32..3, 0u32..20, 0u32..3), 1..30)
        .prop_filter("some individual", |rows| rows.iter().any(|r| r.2 > 0))
        .prop_map(|rows| {
            let time: Vec<u32> = rows.iter().map(|r| r.0).collect();
            let status: Vec<u32> = rows.iter().map(|r| r.1).collect();
            let count: Vec<u32> = rows.iter().map(|r| r.2).collect();
            let group: Vec<String> = rows.iter().map(|r| format!("g{}", r.3)).collect();
            json!({"time": time, "status": status, "count": count, "group": group})
        })
}

fn check_band(survival: &[Option<f64>], lower: &Value, upper: &Value) {
    let mut previous = 1.0;
    for (i, s) in survival.iter().enumerate() {
        let Some(s) = *s else { continue };
        assert!((0.0..=1.0).contains(&s), "S = {s} outside [0, 1]");
        assert!(s <= previous, "S rises from {previous} to {s}");
        previous = s;
        if let Some(lo) = lower[i].as_f64() {
            assert!(lo <= s && lo >= 0.0, "lower {lo} above S = {s}");
        }
        if let Some(hi) = upper[i].as_f64() {
            assert!(hi >= s && hi <= 1.0, "upper {hi} below S = {s}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_request_is_answered_or_refused_with_a_code(request in wild_request()) {
        // A panic fails the test; an error must carry a message, and an answer must
        // hold no NaN or infinity (serde_json would have written them as null, so
        // look for finite numbers only where the response has numbers).
        match analyse(request) {
            Ok(response) => {
                prop_assert!(response["warnings"].is_array());
                let text = response.to_string();
                prop_assert!(!text.contains("NaN") && !text.contains("inf"));
            }
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }

    #[test]
    fn valid_data_give_coherent_curves_tests_and_tables(
        data in valid_data(),
        conf_type in prop_oneof![Just("log"), Just("log-log"), Just("plain")],
        level in 0.5f64..0.999,
    ) {
        let km = analyse(json!({"analysis": "kaplan_meier", "data": data.clone(),
            "conf_type": conf_type, "conf_level": level})).unwrap();
        for c in km["curves"].as_array().unwrap() {
            let s: Vec<Option<f64>> = opt_f64s(&c["survival"]);
            prop_assert!(s.iter().all(Option::is_some));
            check_band(&s, &c["lower"], &c["upper"]);
        }

        let lt = analyse(json!({"analysis": "life_table", "data": data.clone(),
            "breaks": [0, 3, 7, 10], "conf_level": level})).unwrap();
        for t in lt["tables"].as_array().unwrap() {
            check_band(&opt_f64s(&t["survival"]), &t["lower"], &t["upper"]);
        }

        match analyse(json!({"analysis": "logrank", "data": data})) {
            Ok(lr) => {
                let chi = lr["chi_square"].as_f64().unwrap();
                prop_assert!(chi >= 0.0 && chi.is_finite());
                if let Some(p) = lr["p_value"].as_f64() {
                    prop_assert!((0.0..=1.0).contains(&p));
                }
                // Every event is expected somewhere: Σ observed = Σ expected.
                let groups = lr["groups"].as_array().unwrap();
                let o: f64 = groups.iter().map(|g| g["observed"].as_f64().unwrap()).sum();
                let e: f64 = groups.iter().map(|g| g["expected"].as_f64().unwrap()).sum();
                prop_assert!((o - e).abs() <= 1e-9 * o.max(1.0));
            }
            Err(e) => prop_assert_eq!(e.code, Code::TooFewGroups),
        }
    }
}
