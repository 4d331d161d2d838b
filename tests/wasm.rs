//! The WebAssembly boundary in headless Chromium (`wasm-pack test --headless --chrome`):
//! requests as JS objects, errors thrown with their code, `null` where the JSON has it.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect};
use sibstat::wasm::{analyse, Report};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn error_code(result: Result<JsValue, JsValue>) -> String {
    let error = result.expect_err("the request should fail");
    assert!(error.is_instance_of::<js_sys::Error>());
    Reflect::get(&error, &"code".into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn kaplan_meier_from_a_js_object_matches_the_hand_computation() {
    // Hand computation: S(2) = 4/5 · 2/4 = 0.4; S = 0 after t = 4 so std_err is null.
    let response = analyse(js(
        r#"{"analysis":"kaplan_meier","data":{"time":[1,2,3,4],"status":[1,1,0,1],"count":[1,2,1,1]}}"#,
    ))
    .unwrap();
    let curve = Reflect::get(
        &Reflect::get(&response, &"curves".into()).unwrap(),
        &0.into(),
    )
    .unwrap();
    let survival = Reflect::get(&curve, &"survival".into()).unwrap();
    assert_eq!(
        Reflect::get(&survival, &1.into()).unwrap().as_f64(),
        Some(0.4)
    );
    let std_err = Reflect::get(&curve, &"std_err".into()).unwrap();
    assert!(Reflect::get(&std_err, &3.into()).unwrap().is_null());
    let warnings = Reflect::get(&response, &"warnings".into()).unwrap();
    assert!(Array::is_array(&warnings));
}

#[wasm_bindgen_test]
fn errors_are_thrown_as_js_errors_with_their_code() {
    assert_eq!(
        error_code(analyse(js(r#"{"analysis":"nope"}"#))),
        "unknown_analysis"
    );
    assert_eq!(
        error_code(analyse(js(
            r#"{"analysis":"kaplan_meier","data":{"time":[1,2],"status":[1]}}"#
        ))),
        "length_mismatch"
    );
    assert_eq!(error_code(analyse("{not json".into())), "malformed_json");
}

#[wasm_bindgen_test]
fn json_text_requests_answer_as_their_objects_do() {
    // Text is parsed by the browser's JSON.parse: the same response as the object,
    // doubles exact (0.1 + 0.2's neighbour 0.30000000000000004 stays itself).
    let text = r#"{"analysis":"kaplan_meier","data":{"time":[0.1,0.30000000000000004,3],"status":[1,1,0],"count":[1,2,2]}}"#;
    let from_text = analyse(text.into()).unwrap();
    let from_object = analyse(js(text)).unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&from_text).unwrap(),
        js_sys::JSON::stringify(&from_object).unwrap()
    );
    let curve = Reflect::get(&get(&from_text, &["curves"]), &0.into()).unwrap();
    let time = get(&curve, &["time"]);
    assert_eq!(
        Reflect::get(&time, &1.into()).unwrap().as_f64(),
        Some(0.30000000000000004)
    );
    // Text nested deeper than the engine reads is refused with a code, not a crash.
    let deep = format!(
        r#"{{"analysis":"summary","values":{}1{}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    );
    assert_eq!(error_code(analyse(deep.into())), "invalid_type");
    let after = analyse(js(text)).unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&after).unwrap(),
        js_sys::JSON::stringify(&from_object).unwrap()
    );
}

#[wasm_bindgen_test]
fn nan_and_infinite_times_are_refused_with_a_code() {
    for bad in [f64::NAN, f64::INFINITY] {
        let time = Array::of2(&JsValue::from_f64(1.0), &JsValue::from_f64(bad));
        let status = Array::of2(&JsValue::from_f64(1.0), &JsValue::from_f64(1.0));
        let data = Object::new();
        Reflect::set(&data, &"time".into(), &time).unwrap();
        Reflect::set(&data, &"status".into(), &status).unwrap();
        let request = Object::new();
        Reflect::set(&request, &"analysis".into(), &"kaplan_meier".into()).unwrap();
        Reflect::set(&request, &"data".into(), &data).unwrap();
        assert_eq!(error_code(analyse(request.into())), "non_finite_value");
    }
}

/// The report package as the page hands it to the engine (the module itself carries
/// no report: the test binary includes the files, the shipped .wasm does not).
const PACKAGE_DATA: &str = include_str!("../data/joining_forces.json");
const PACKAGE_RECONSTRUCTION: &str = include_str!("../data/reconstruction.json");

#[wasm_bindgen_test]
fn the_prepared_report_gives_the_native_reconstruction_in_the_browser() {
    // Same numbers as natively (tests/reconstruction.rs): median 11.5 months, and the
    // success share 171 / 234 of table 3.2; cohort 2: 41 / 55.
    let report = Report::new(js(PACKAGE_DATA), PACKAGE_RECONSTRUCTION.into()).unwrap();
    let metric = |response: &JsValue, k: &str| {
        let metrics = Reflect::get(response, &"metrics".into()).unwrap();
        Reflect::get(&metrics, &k.into()).unwrap().as_f64()
    };
    let response = report.view(js("{}")).unwrap();
    assert_eq!(metric(&response, "duration.median_months"), Some(11.5));
    assert!((metric(&response, "outflow.success_share").unwrap() - 171.0 / 234.0).abs() < 1e-12);
    let cohort2 = report.view(js(r#"{"cohort":"2"}"#)).unwrap();
    assert!((metric(&cohort2, "outflow.success_share").unwrap() - 41.0 / 55.0).abs() < 1e-12);
    assert_eq!(
        error_code(report.view(js(r#"{"cohort":"3"}"#))),
        "invalid_option"
    );
    // The module has no report of its own.
    assert_eq!(
        error_code(analyse(js(r#"{"analysis":"joining_forces"}"#))),
        "unknown_analysis"
    );
    // A bad package is refused with the path of the bad entry.
    let error = Report::new(js(r#"{"schema_version":2}"#), PACKAGE_RECONSTRUCTION.into())
        .err()
        .expect("refused");
    assert_eq!(
        Reflect::get(&error, &"code".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "invalid_data_file"
    );
}

#[wasm_bindgen_test]
fn guyot_runs_in_the_browser() {
    let response = analyse(js(
        r#"{"analysis":"guyot","curve":{"time":[0,1,2,3,4],"survival":[1,0.75,0.5,0.25,0]},"at_risk":{"time":[0],"n":[4]}}"#,
    ))
    .unwrap();
    assert_eq!(
        Reflect::get(&response, &"events".into()).unwrap().as_f64(),
        Some(4.0)
    );
    assert_eq!(
        error_code(analyse(js(
            r#"{"analysis":"guyot","curve":{"time":[0,1],"survival":[1,2]},"at_risk":{"time":[0],"n":[4]}}"#
        ))),
        "invalid_curve"
    );
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        let key: JsValue = match key.parse::<u32>() {
            Ok(i) => i.into(),
            Err(_) => (*key).into(),
        };
        Reflect::get(&v, &key).unwrap()
    })
}

const BOOTSTRAP_KM: &str = r#"{"analysis":"bootstrap","of":{"analysis":"kaplan_meier","data":{"time":[1,2,3,4,5,6,7,8,9,10],"status":[1,1,0,1,1,0,1,1,0,1],"count":[3,2,4,1,5,2,3,2,1,2]}},"statistics":["survival@5","median"],"replicates":500,"seed":7}"#;

#[wasm_bindgen_test]
fn bootstrap_same_seed_gives_the_native_numbers_in_chunks() {
    use sibstat::wasm::BootstrapRun;
    let mut run = BootstrapRun::new(js(BOOTSTRAP_KM)).unwrap();
    assert_eq!(run.total(), 500.0);
    let mut done = 0.0;
    while run.done() < run.total() {
        let progress = run.run(64.0).unwrap();
        let now = get(&progress, &["done"]).as_f64().unwrap();
        assert!(now > done);
        done = now;
    }
    let response = run.result().unwrap();
    let number = |path: &[&str]| get(&response, path).as_f64().unwrap();
    // Exact values printed by the native run of the same request
    // (`sibstat analyse`, x86_64 Linux; 25 individuals in 10 rows, so drawn one by
    // one): bit-identical in WASM.
    assert_eq!(number(&["statistics", "0", "estimate"]), 0.5);
    assert_eq!(number(&["statistics", "0", "std_err"]), 0.11371693001154469);
    assert_eq!(
        number(&["statistics", "0", "percentile", "0"]),
        0.26526315789473687
    );
    assert_eq!(
        number(&["statistics", "0", "percentile", "1"]),
        0.7388069229215309
    );
    assert_eq!(
        number(&["statistics", "0", "bca", "0"]),
        0.25160926299224734
    );
    assert_eq!(number(&["statistics", "0", "bca", "1"]), 0.7231530935053632);
    assert_eq!(
        number(&["statistics", "0", "normal", "0"]),
        0.2711208391817347
    );
    assert_eq!(
        number(&["statistics", "0", "normal", "1"]),
        0.7168830136919139
    );
    assert_eq!(number(&["statistics", "1", "estimate"]), 6.0);
    assert_eq!(number(&["statistics", "1", "std_err"]), 1.1174418788936697);
    assert_eq!(number(&["statistics", "1", "percentile", "0"]), 5.0);
    assert_eq!(number(&["statistics", "1", "percentile", "1"]), 8.0);
    assert_eq!(
        number(&["statistics", "1", "normal", "0"]),
        3.698854162551639
    );
    assert_eq!(
        number(&["statistics", "1", "normal", "1"]),
        8.079145837448362
    );
    // One analyse() call gives the same response as the chunks.
    let whole = analyse(js(BOOTSTRAP_KM)).unwrap();
    assert_eq!(
        js_sys::JSON::stringify(&whole).unwrap(),
        js_sys::JSON::stringify(&response).unwrap()
    );
}

/// BOOTSTRAP_KM with every count × 1000: 25,000 individuals in 10 rows, drawn by
/// conditional binomials (BTRS and inversion with libm's exp and log).
const BOOTSTRAP_KM_MANY: &str = r#"{"analysis":"bootstrap","of":{"analysis":"kaplan_meier","data":{"time":[1,2,3,4,5,6,7,8,9,10],"status":[1,1,0,1,1,0,1,1,0,1],"count":[3000,2000,4000,1000,5000,2000,3000,2000,1000,2000]}},"statistics":["survival@5","median"],"replicates":500,"seed":7}"#;

#[wasm_bindgen_test]
fn bootstrap_by_conditional_binomials_gives_the_native_numbers() {
    let response = analyse(js(BOOTSTRAP_KM_MANY)).unwrap();
    let number = |path: &[&str]| get(&response, path).as_f64().unwrap();
    // Exact values printed by the native run of the same request (`sibstat analyse`,
    // x86_64 Linux): bit-identical in WASM.
    assert_eq!(
        number(&["statistics", "0", "std_err"]),
        0.003614577443129995
    );
    assert_eq!(
        number(&["statistics", "0", "percentile", "0"]),
        0.4929806463828727
    );
    assert_eq!(
        number(&["statistics", "0", "percentile", "1"]),
        0.5069482868074674
    );
    assert_eq!(number(&["statistics", "0", "bca", "0"]), 0.4933946640422239);
    assert_eq!(number(&["statistics", "0", "bca", "1"]), 0.5072791858032855);
    assert_eq!(
        number(&["statistics", "0", "normal", "0"]),
        0.4931139805657097
    );
    assert_eq!(number(&["statistics", "1", "std_err"]), 1.0004888584646128);
    assert_eq!(
        number(&["statistics", "1", "normal", "1"]),
        7.992922129524232
    );
}

#[wasm_bindgen_test]
fn bootstrap_handle_errors_are_coded() {
    use sibstat::wasm::BootstrapRun;
    let code = |error: JsValue| {
        Reflect::get(&error, &"code".into())
            .unwrap()
            .as_string()
            .unwrap()
    };
    let mut run = BootstrapRun::new(js(BOOTSTRAP_KM)).unwrap();
    assert_eq!(code(run.run(0.0).unwrap_err()), "invalid_bootstrap_state");
    assert_eq!(code(run.run(1.5).unwrap_err()), "invalid_bootstrap_state");
    assert_eq!(code(run.result().unwrap_err()), "invalid_bootstrap_state");
    run.run(1000.0).unwrap();
    assert_eq!(code(run.run(1.0).unwrap_err()), "invalid_bootstrap_state");
    let bad = BootstrapRun::new(js(
        r#"{"analysis":"bootstrap","of":{"analysis":"summary","values":[1,2]},"statistics":["mean"],"replicates":0}"#,
    ));
    assert_eq!(code(bad.err().unwrap()), "invalid_replicates");
}
