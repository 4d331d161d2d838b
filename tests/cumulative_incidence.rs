//! Cumulative incidence (Aalen–Johansen) and Gray's test: R reference fixtures,
//! equivalences that must hold exactly, bad inputs, and a property test.
// Native tests (fixtures from disk, proptest); the WASM tests are tests/wasm.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{check_fixture, fixtures_in, tolerance};
use proptest::prelude::*;
use serde_json::{json, Value};
use sibstat::survival::{
    cumulative_incidence, gray_test, kaplan_meier, CumulativeIncidenceOptions, KaplanMeierOptions,
    SurvivalData, VarianceMethod,
};
use sibstat::Code;

// ---------------------------------------------------------------- R fixtures

/// Every case in tests/fixtures/cif (written by generate.R from R's survfit and
/// cmprsk's cuminc) agrees with the engine.
#[test]
fn r_fixtures_agree() {
    let paths = fixtures_in("cif");
    assert!(
        paths.len() >= 10,
        "expected the R fixtures in tests/fixtures/cif"
    );
    // Run them all before failing, so that one report names every failing case.
    let failed: Vec<String> = paths
        .iter()
        .filter(|path| std::panic::catch_unwind(|| check_fixture(path)).is_err())
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "fixtures that fail: {failed:#?}");
}

// ---------------------------------------------------------------- helpers

fn data(
    time: &[f64],
    status: &[u32],
    count: Option<&[f64]>,
    group: Option<&[&str]>,
) -> SurvivalData {
    let some = |v: &[f64]| v.iter().map(|&x| Some(x)).collect::<Vec<_>>();
    SurvivalData::new(
        some(time),
        status.iter().map(|&s| Some(f64::from(s))).collect(),
        count.map(some),
        group.map(|g| g.iter().map(|s| s.to_string()).collect()),
    )
    .unwrap()
}

/// Equal up to rounding: within `EQUIVALENCE` absolutely or relatively.
fn equivalent(a: f64, b: f64) -> bool {
    (a - b).abs() <= tolerance::EQUIVALENCE * b.abs().max(1.0)
}

/// Every number of `a` equals the one of `b` up to rounding; everything else exactly.
fn assert_equivalent(a: &Value, b: &Value, label: &str) {
    common::assert_equivalent(a, b, tolerance::EQUIVALENCE, &[], label);
}

/// A small aggregated table with every kind of tie, two groups and a count-0 row.
fn aggregated_table() -> Value {
    json!({
        "time":   [3, 1, 2, 2, 2, 4, 4, 5, 6, 1, 2, 3, 3, 5, 7, 7, 0],
        "status": [0, 1, 1, 2, 0, 2, 0, 1, 2, 2, 1, 0, 1, 2, 1, 3, 0],
        "count":  [2, 2, 1, 3, 1, 1, 1, 0, 2, 1, 2, 1, 3, 2, 1, 1, 1],
        "group":  ["x","x","x","x","x","x","x","x","x","y","y","y","y","y","y","y","x"]
    })
}

/// The table expanded to one row per individual, rows in reverse order.
fn expanded(table: &Value) -> Value {
    let n = table["time"].as_array().unwrap().len();
    let (mut time, mut status, mut group) = (vec![], vec![], vec![]);
    for i in (0..n).rev() {
        for _ in 0..table["count"][i].as_u64().unwrap() {
            time.push(table["time"][i].clone());
            status.push(table["status"][i].clone());
            group.push(table["group"][i].clone());
        }
    }
    json!({"time": time, "status": status, "group": group})
}

fn request(data: Value, options: Value) -> Value {
    let mut request = json!({"analysis": "cumulative_incidence", "data": data});
    for (key, value) in options.as_object().unwrap() {
        request[key] = value.clone();
    }
    request
}

fn analyse(data: Value, options: Value) -> Value {
    sibstat::analyse(request(data, options)).unwrap()
}

const OPTION_SETS: [&str; 4] = [
    r#"{}"#,
    r#"{"variance": "aalen"}"#,
    r#"{"conf_type": "log-log", "conf_level": 0.9}"#,
    r#"{"variance": "aalen", "conf_type": "plain"}"#,
];

// ---------------------------------------------------------------- equivalences

/// With a single cause, CIF = 1 − S (Kaplan–Meier), and the infinitesimal-jackknife
/// standard error equals Greenwood's (the influence of an individual on S is
/// `−S Σ (dN_i − Y_i d/n)/(n − d)`, whose squares sum to `S² Σ d/(n(n − d))`). Where
/// S reaches 0, Greenwood is undefined (R: NA) while the jackknife gives 0, as R's
/// multi-state survfit does.
#[test]
fn one_cause_cif_equals_one_minus_km() {
    let d = data(
        &[1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 1.0, 3.0, 3.0, 8.0],
        &[1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1],
        Some(&[2.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 2.0, 2.0, 1.0]),
        Some(&["a", "a", "a", "a", "a", "a", "a", "a", "b", "b", "b", "b"]),
    );
    let ci = cumulative_incidence(&d, &CumulativeIncidenceOptions::default()).unwrap();
    let km = kaplan_meier(&d, &KaplanMeierOptions::default()).unwrap();
    let mut compared_at_zero = 0;
    for (c, k) in ci.curves.iter().zip(&km.curves) {
        assert_eq!(c.time, k.time);
        assert_eq!(c.n_risk, k.n_risk);
        let cause = &c.causes[0];
        for i in 0..c.time.len() {
            assert!(equivalent(cause.cif[i], 1.0 - k.survival[i]), "cif at {i}");
            match k.std_err[i] {
                Some(se) => assert!(
                    equivalent(cause.std_err[i].unwrap(), se),
                    "std_err at {i}: {:?} vs {se}",
                    cause.std_err[i]
                ),
                None => {
                    assert_eq!(k.survival[i], 0.0);
                    // Zero up to rounding (R's own value here is of order 1e-17 too).
                    assert!(cause.std_err[i].unwrap() <= tolerance::EQUIVALENCE);
                    compared_at_zero += 1;
                }
            }
        }
    }
    assert!(compared_at_zero > 0, "the data should reach S = 0");
}

/// Aggregated rows give exactly what the individuals give (design: "Results on
/// aggregated rows equal the results on the same data expanded").
#[test]
fn aggregated_rows_equal_expanded_individuals() {
    let table = aggregated_table();
    for options in OPTION_SETS {
        let options: Value = serde_json::from_str(options).unwrap();
        let a = analyse(table.clone(), options.clone());
        let b = analyse(expanded(&table), options);
        assert!(a["gray_test"].is_array());
        assert_equivalent(&a, &b, "");
    }
}

/// At every time the CIFs of all causes and the event-free probability S (the
/// Kaplan–Meier of any event) add up to 1.
#[test]
fn cifs_and_survival_sum_to_one() {
    let table = aggregated_table();
    let response = analyse(table.clone(), json!({}));
    let km = sibstat::analyse(json!({"analysis": "kaplan_meier", "data": table})).unwrap();
    for (curve, km_curve) in response["curves"]
        .as_array()
        .unwrap()
        .iter()
        .zip(km["curves"].as_array().unwrap())
    {
        let times = curve["time"].as_array().unwrap();
        assert_eq!(curve["time"], km_curve["time"]);
        for i in 0..times.len() {
            let total: f64 = curve["causes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["cif"][i].as_f64().unwrap())
                .sum();
            let s = km_curve["survival"][i].as_f64().unwrap();
            assert!(equivalent(total + s, 1.0), "time index {i}: {total} + {s}");
        }
    }
}

/// The order of the rows does not matter.
#[test]
fn row_order_does_not_change_the_result() {
    let table = aggregated_table();
    let n = table["time"].as_array().unwrap().len();
    // A fixed permutation: i -> (7 i + 3) mod n (n = 17 is prime).
    let permuted = |key: &str| -> Value {
        Value::Array(
            (0..n)
                .map(|i| table[key][(7 * i + 3) % n].clone())
                .collect(),
        )
    };
    let shuffled = json!({
        "time": permuted("time"), "status": permuted("status"),
        "count": permuted("count"), "group": permuted("group")
    });
    for options in OPTION_SETS {
        let options: Value = serde_json::from_str(options).unwrap();
        assert_eq!(
            analyse(table.clone(), options.clone()),
            analyse(shuffled.clone(), options)
        );
    }
}

/// Every group has a column for every cause of the data, even one it never sees.
#[test]
fn every_group_has_every_cause() {
    let response = analyse(aggregated_table(), json!({}));
    for curve in response["curves"].as_array().unwrap() {
        let causes: Vec<u64> = curve["causes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["cause"].as_u64().unwrap())
            .collect();
        assert_eq!(causes, vec![1, 2, 3]);
    }
    // Group x never has cause 3: its CIF stays 0 with no log-scale limits (R: NA).
    let x3 = &response["curves"][0]["causes"][2];
    assert!(x3["cif"].as_array().unwrap().iter().all(|v| v == 0.0));
    assert!(x3["lower"].as_array().unwrap().iter().all(Value::is_null));
}

/// The defaults: log CIs (R's multi-state survfit), level 0.95, survfit variance.
#[test]
fn defaults_follow_r_survfit_multi_state() {
    let response = analyse(aggregated_table(), json!({}));
    assert_eq!(response["conf_type"], "log");
    assert_eq!(response["conf_level"], 0.95);
    assert_eq!(response["variance"], "survfit");
    assert!(response["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["code"] == "gray_test_singular"));
    assert_eq!(
        CumulativeIncidenceOptions::default().variance,
        VarianceMethod::Survfit
    );
}

/// Without groups there is no Gray's test; a group of count-0 rows only is dropped
/// from it (as cmprsk drops empty factor levels), with a warning for its empty curve.
#[test]
fn gray_test_needs_two_groups_with_individuals() {
    let table = aggregated_table();
    let single = json!({"time": table["time"], "status": table["status"], "count": table["count"]});
    let response = analyse(single, json!({}));
    assert!(response.get("gray_test").is_none());

    let mut with_empty = table.clone();
    with_empty["time"].as_array_mut().unwrap().push(json!(2));
    with_empty["status"].as_array_mut().unwrap().push(json!(1));
    with_empty["count"].as_array_mut().unwrap().push(json!(0));
    with_empty["group"].as_array_mut().unwrap().push(json!("z"));
    let a = analyse(with_empty, json!({}));
    let b = analyse(table, json!({}));
    assert_eq!(a["gray_test"], b["gray_test"]);
    assert_eq!(a["gray_test"][0]["df"], 1.0);
    assert_eq!(a["warnings"][0]["code"], "empty_group");
}

/// A group censored before any event makes cmprsk's variance matrix singular (it
/// reports -1): here the statistic and p-value are null, with a warning.
#[test]
fn singular_gray_test_is_null_with_a_warning() {
    // Cause 3 occurs once, in group y only. R 4.2.2, cmprsk 2.2.11, on the expanded
    // rows: cuminc(t, s, g)$Tests gives stat 0.620826616450545, 2.452015355859932, -1.
    let response = analyse(aggregated_table(), json!({}));
    let tests = &response["gray_test"];
    assert!(common::close(
        tests[0]["statistic"].as_f64().unwrap(),
        0.620826616450545
    ));
    assert!(common::close(
        tests[1]["statistic"].as_f64().unwrap(),
        2.452015355859932
    ));
    assert!(tests[2]["statistic"].is_null() && tests[2]["p_value"].is_null());
    assert_eq!(response["warnings"][0]["code"], "gray_test_singular");

    let response = analyse(
        json!({
            "time": [0.5, 0.5, 1, 2, 3, 4, 1, 2, 5],
            "status": [0, 0, 1, 2, 1, 0, 2, 1, 1],
            "group": ["a", "a", "b", "b", "b", "b", "c", "c", "c"]
        }),
        json!({}),
    );
    let tests = response["gray_test"].as_array().unwrap();
    assert!(tests
        .iter()
        .all(|t| t["statistic"].is_null() && t["p_value"].is_null()));
    assert_eq!(response["warnings"][0]["code"], "gray_test_singular");
}

/// A degenerate table (all of group c fails at one time) where cmprsk's variance is
/// not positive definite: R 4.2.2, cmprsk 2.2.11, on the expanded rows,
/// `cuminc(c(3, 0, 1, 1, 1, 1), c(0, 3, 3, 3, 3, 3), c("b", "b", "c", "c", "c", "c"))$Tests`
/// gives stat -0.35294117647058759, pv 1: kept, with a warning.
#[test]
// The reference is quoted with the 17 digits R prints.
#[allow(clippy::excessive_precision)]
fn negative_gray_statistic_is_rs_value_with_a_warning() {
    let response = analyse(
        json!({"time": [3, 0, 1], "status": [0, 3, 3], "count": [1, 1, 4], "group": ["b", "b", "c"]}),
        json!({}),
    );
    let test = &response["gray_test"][0];
    assert!(common::close(
        test["statistic"].as_f64().unwrap(),
        -0.35294117647058759
    ));
    assert_eq!(test["p_value"], 1.0);
    assert_eq!(response["warnings"][0]["code"], "gray_test_negative");
}

/// The stratified Gray's test (core only) against cmprsk's `cuminc(..., strata)` on
/// its example data (tests/fixtures/cif/strata, written by generate.R).
#[test]
fn stratified_gray_test_agrees_with_cmprsk() {
    let fixture = common::read_json(&common::fixture_path("cif/strata/cmprsk_sim_strata.json"));
    let column = |key: &str| -> Vec<Option<f64>> {
        fixture["data"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_f64)
            .collect()
    };
    let labels = |key: &str| -> Vec<String> {
        fixture["data"][key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let d = SurvivalData::new(
        column("time"),
        column("status"),
        None,
        Some(labels("group")),
    )
    .unwrap();
    let strata = labels("strata");
    let tests = gray_test(&d, &d.causes(), Some(&strata)).unwrap();
    let expected = fixture["expected"].as_array().unwrap();
    assert_eq!(tests.len(), expected.len());
    for (t, e) in tests.iter().zip(expected) {
        assert_eq!(f64::from(t.cause), e["cause"].as_f64().unwrap());
        assert_eq!(t.df, e["df"].as_f64().unwrap());
        assert!(common::close(
            t.statistic.unwrap(),
            e["statistic"].as_f64().unwrap()
        ));
        assert!(common::close(
            t.p_value.unwrap(),
            e["p_value"].as_f64().unwrap()
        ));
    }
    // One stratum label for every row is the unstratified test.
    let one = vec!["s".to_string(); d.n_rows()];
    assert_eq!(
        gray_test(&d, &d.causes(), Some(&one)).unwrap(),
        gray_test(&d, &d.causes(), None).unwrap()
    );
    assert_eq!(
        gray_test(&d, &d.causes(), Some(&one[1..]))
            .unwrap_err()
            .code,
        Code::InvalidStrata
    );
}

// ---------------------------------------------------------------- bad inputs

fn code_of(request: Value) -> Code {
    sibstat::analyse(request).unwrap_err().code
}

#[test]
fn bad_inputs_have_their_codes() {
    let ok = || json!({"time": [1, 2, 3], "status": [1, 2, 0]});
    let with = |key: &str, value: Value| {
        let mut d = ok();
        d[key] = value;
        request(d, json!({}))
    };
    let cases = [
        (
            request(json!({"time": [], "status": []}), json!({})),
            Code::EmptyData,
        ),
        (with("status", json!([1, 2])), Code::LengthMismatch),
        (with("count", json!([1, 2])), Code::LengthMismatch),
        (with("group", json!(["a"])), Code::LengthMismatch),
        (with("time", json!([1, -2, 3])), Code::NegativeTime),
        (with("time", json!([1, null, 3])), Code::NonFiniteValue),
        (with("status", json!([1, 0.5, 0])), Code::InvalidStatus),
        (with("status", json!([1, -1, 0])), Code::InvalidStatus),
        (with("count", json!([1, -1, 1])), Code::NegativeCount),
        (with("count", json!([1, 1.5, 1])), Code::FractionalCount),
        (with("count", json!([0, 0, 0])), Code::EmptyData),
        (with("time", json!(["1", 2, 3])), Code::InvalidType),
        (with("weights", json!([1, 1, 1])), Code::UnknownKey),
        (
            request(ok(), json!({"conf_level": 1.0})),
            Code::InvalidConfLevel,
        ),
        (
            request(ok(), json!({"conf_level": 0})),
            Code::InvalidConfLevel,
        ),
        (
            request(ok(), json!({"conf_type": "logit"})),
            Code::InvalidOption,
        ),
        (
            request(ok(), json!({"variance": "greenwood"})),
            Code::InvalidOption,
        ),
        (request(ok(), json!({"gray": true})), Code::UnknownKey),
        (
            json!({"analysis": "cumulative_incidence"}),
            Code::MissingKey,
        ),
    ];
    for (request, code) in cases {
        assert_eq!(code_of(request.clone()), code, "{request}");
    }
}

// ---------------------------------------------------------------- property test

/// A number of a data column: valid (0..6, many ties) or, when `malformed`, sometimes
/// negative, fractional or null.
fn arbitrary_number(malformed: bool) -> BoxedStrategy<Value> {
    let valid = (0u32..6).prop_map(|x| json!(x));
    if malformed {
        prop_oneof![
            40 => valid,
            1 => Just(json!(-1)),
            1 => Just(json!(0.5)),
            1 => Just(Value::Null),
        ]
        .boxed()
    } else {
        valid.boxed()
    }
}

/// A cumulative-incidence request; when `malformed`, with an occasional bad value,
/// length mismatch or bad option.
fn arbitrary_request(malformed: bool) -> impl Strategy<Value = Value> {
    let bad = u32::from(malformed);
    (1usize..25).prop_flat_map(move |n| {
        (
            prop::collection::vec(arbitrary_number(malformed), n),
            prop::collection::vec(arbitrary_number(malformed), n..=n + bad as usize),
            prop::option::of(prop::collection::vec(arbitrary_number(malformed), n)),
            prop::option::of(prop::collection::vec(
                prop_oneof![Just("a"), Just("b"), Just("c")],
                n,
            )),
            prop_oneof![
                10 => Just("log"), 10 => Just("log-log"), 10 => Just("plain"),
                bad => Just("arcsin")
            ],
            prop_oneof![Just("survfit"), Just("aalen")],
            prop_oneof![10 => Just(0.95), 10 => Just(0.5), bad => Just(1.5)],
        )
            .prop_map(|(time, status, count, group, conf_type, variance, level)| {
                let mut data = json!({"time": time, "status": status});
                if let Some(count) = count {
                    data["count"] = json!(count);
                }
                if let Some(group) = group {
                    data["group"] = json!(group);
                }
                json!({
                    "analysis": "cumulative_incidence", "data": data,
                    "conf_type": conf_type, "variance": variance, "conf_level": level
                })
            })
    })
}

/// The properties every response must have: CIFs non-decreasing in [0, 1], standard
/// errors finite and >= 0, limits in [0, 1] around the CIF, p-values in [0, 1].
fn check_response(response: &Value) -> Result<(), TestCaseError> {
    let eps = 1e-12;
    for curve in response["curves"].as_array().unwrap() {
        for cause in curve["causes"].as_array().unwrap() {
            let cif = common::f64s(&cause["cif"]);
            for (i, &p) in cif.iter().enumerate() {
                prop_assert!((-eps..=1.0 + eps).contains(&p), "cif {p}");
                if i > 0 {
                    prop_assert!(p >= cif[i - 1] - eps, "cif decreases at {i}");
                }
                if let Some(se) = cause["std_err"][i].as_f64() {
                    prop_assert!(se >= 0.0 && se.is_finite());
                }
                if let (Some(lo), Some(hi)) =
                    (cause["lower"][i].as_f64(), cause["upper"][i].as_f64())
                {
                    prop_assert!(lo <= p + eps && p <= hi + eps);
                    prop_assert!(lo >= -eps && hi <= 1.0 + eps);
                }
            }
        }
    }
    if let Some(tests) = response.get("gray_test") {
        for t in tests.as_array().unwrap() {
            if let Some(p) = t["p_value"].as_f64() {
                prop_assert!((0.0..=1.0).contains(&p));
                // A negative statistic (cmprsk gives it too) comes with its warning.
                if t["statistic"].as_f64().unwrap() < 0.0 {
                    let codes: Vec<&Value> = response["warnings"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|w| &w["code"])
                        .collect();
                    prop_assert!(codes.contains(&&json!("gray_test_negative")));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any request, partly malformed, gives a response or a coded error, never a panic.
    #[test]
    fn random_requests_give_a_response_or_a_coded_error(request in arbitrary_request(true)) {
        match sibstat::analyse(request) {
            Ok(response) => check_response(&response)?,
            Err(e) => prop_assert!(!e.code.as_str().is_empty() && !e.message.is_empty()),
        }
    }

    /// Valid requests (all counts 0 aside) succeed, with CIFs non-decreasing in [0, 1].
    #[test]
    fn valid_requests_give_non_decreasing_cifs_in_unit_interval(request in arbitrary_request(false)) {
        match sibstat::analyse(request) {
            Ok(response) => check_response(&response)?,
            Err(e) => prop_assert_eq!(e.code, Code::EmptyData),
        }
    }
}

/// The stratified Gray's test through the API (`strata`, one label per row) on
/// aggregate rows against cmprsk's `cuminc(time, status, group, strata)` on the same
/// data expanded to one row per individual (tests/fixtures/cif/strata/generate_aggregated.R:
/// survival's pbc by edema within sex, and cmprsk's example within three strata).
#[test]
fn stratified_gray_test_through_the_api_agrees_with_cmprsk_on_aggregate_rows() {
    let paths: Vec<_> = common::fixtures_in("cif/strata")
        .into_iter()
        .filter(|p| common::read_json(p).get("request").is_some())
        .collect();
    assert_eq!(paths.len(), 2, "the two aggregated strata fixtures");
    for path in &paths {
        common::check_fixture(path);
        // Aggregated: fewer rows than individuals, so the counts are exercised.
        let fixture = common::read_json(path);
        let rows = fixture["request"]["data"]["time"].as_array().unwrap().len();
        assert!((rows as f64) < fixture["n_individuals"].as_f64().unwrap());
    }
}

/// One stratum for every row is the unstratified test; strata that do not fit are
/// refused with `invalid_strata`.
#[test]
fn one_stratum_is_the_unstratified_gray_test_and_bad_strata_are_refused() {
    let data = json!({
        "time": [1, 2, 2, 3, 4, 5, 6, 7],
        "status": [1, 2, 0, 1, 1, 2, 0, 1],
        "count": [3, 2, 4, 1, 2, 5, 1, 2],
        "group": ["a", "b", "a", "b", "a", "b", "a", "b"]
    });
    let plain =
        sibstat::analyse(json!({"analysis": "cumulative_incidence", "data": data})).unwrap();
    let one = sibstat::analyse(json!({
        "analysis": "cumulative_incidence", "data": data, "strata": vec!["s"; 8]
    }))
    .unwrap();
    assert_eq!(plain["gray_test"], one["gray_test"]);
    assert!(plain["gray_test"].as_array().is_some_and(|t| !t.is_empty()));
    let short = sibstat::analyse(json!({
        "analysis": "cumulative_incidence", "data": data, "strata": vec!["s"; 7]
    }))
    .unwrap_err();
    assert_eq!(short.code, Code::InvalidStrata);
    let ungrouped = sibstat::analyse(json!({
        "analysis": "cumulative_incidence",
        "data": {"time": [1, 2], "status": [1, 0]},
        "strata": ["x", "y"]
    }))
    .unwrap_err();
    assert_eq!(ungrouped.code, Code::InvalidStrata);
}
