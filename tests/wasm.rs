//! The WebAssembly boundary in headless Chromium (`wasm-pack test --headless --chrome`):
//! requests as JS objects, errors thrown with their code, `null` where the JSON has it.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Object, Reflect};
use sibstat::wasm::analyse;
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

#[wasm_bindgen_test]
fn the_report_request_gives_the_native_reconstruction_in_the_browser() {
    // Same numbers as natively (tests/reconstruction.rs): median 11.5 months, and the
    // success share 171 / 234 of table 3.2.
    let response = analyse(js(r#"{"analysis":"joining_forces"}"#)).unwrap();
    let metrics = Reflect::get(&response, &"metrics".into()).unwrap();
    let get = |k: &str| Reflect::get(&metrics, &k.into()).unwrap().as_f64();
    assert_eq!(get("duration.median_months"), Some(11.5));
    assert!((get("outflow.success_share").unwrap() - 171.0 / 234.0).abs() < 1e-12);
    assert_eq!(
        error_code(analyse(js(r#"{"analysis":"joining_forces","cohort":"3"}"#))),
        "invalid_option"
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
