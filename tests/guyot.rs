//! Guyot et al. (2012) reconstruction: round trips on public datasets (R `survival`:
//! lung, veteran, ovarian, aml; fixtures from tests/fixtures/guyot/generate.R) and
//! the coded errors of its input.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::tolerance::{GUYOT_CURVE, GUYOT_EVENTS_REL};
use serde_json::{json, Value};
use sibstat::survival::{kaplan_meier, KaplanMeierOptions, SurvivalData};
use sibstat::{analyse, Code};

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

/// The step function (times, values) at t: 1 before the first time.
fn step(times: &[f64], values: &[f64], t: f64) -> f64 {
    match times.iter().rposition(|&x| x <= t) {
        Some(i) => values[i],
        None => 1.0,
    }
}

/// Runs the fixture's request and returns (largest curve distance, relative event error).
fn round_trip(name: &str) -> (f64, f64) {
    round_trip_with(name, |_| {})
}

#[test]
fn lung_round_trip_stays_within_002_of_the_curve_and_2_percent_of_events() {
    let (d, e) = round_trip("lung");
    assert!(d <= GUYOT_CURVE, "lung: curve distance {d}");
    assert!(e <= GUYOT_EVENTS_REL, "lung: event error {e}");
}

#[test]
fn veteran_round_trip_stays_within_002_of_the_curve_and_2_percent_of_events() {
    let (d, e) = round_trip("veteran");
    assert!(d <= GUYOT_CURVE, "veteran: curve distance {d}");
    assert!(e <= GUYOT_EVENTS_REL, "veteran: event error {e}");
}

#[test]
fn ovarian_round_trip_stays_within_002_of_the_curve_and_2_percent_of_events() {
    let (d, e) = round_trip("ovarian");
    assert!(d <= GUYOT_CURVE, "ovarian: curve distance {d}");
    assert!(e <= GUYOT_EVENTS_REL, "ovarian: event error {e}");
}

#[test]
fn aml_round_trip_stays_within_002_of_the_curve_and_2_percent_of_events() {
    let (d, e) = round_trip("aml");
    assert!(d <= GUYOT_CURVE, "aml: curve distance {d}");
    assert!(e <= GUYOT_EVENTS_REL, "aml: event error {e}");
}

#[test]
fn printed_numbers_at_risk_are_reproduced() {
    for name in ["lung", "veteran", "ovarian", "aml"] {
        let fixture = common::read_json(&common::fixture_path(&format!("guyot/{name}.json")));
        let response = analyse(fixture["request"].clone()).expect("runs");
        for row in response["fit"]["at_risk"].as_array().expect("rows") {
            assert_eq!(
                row["given"].as_f64(),
                row["reconstructed"].as_f64(),
                "{name}: {row}"
            );
        }
    }
}

#[test]
fn the_same_request_gives_the_same_rows() {
    let fixture = common::read_json(&common::fixture_path("guyot/lung.json"));
    let a = analyse(fixture["request"].clone()).expect("runs");
    let b = analyse(fixture["request"].clone()).expect("runs");
    assert_eq!(a, b);
}

#[test]
fn a_curve_without_censoring_gives_back_its_events() {
    // Ten individuals, one event at each of 1..10: S drops by 0.1 per step.
    let time: Vec<f64> = (0..=10).map(f64::from).collect();
    let survival: Vec<f64> = (0..=10).map(|i| 1.0 - f64::from(i) / 10.0).collect();
    let response = analyse(json!({
        "analysis": "guyot",
        "curve": {"time": time, "survival": survival},
        "at_risk": {"time": [0, 5], "n": [10, 6]},
        "total_events": 10
    }))
    .expect("runs");
    assert_eq!(response["events"], json!(10));
    assert_eq!(response["censored"], json!(0));
    assert_eq!(response["data"]["count"], json!(vec![1; 10]));
}

fn code_of(request: Value) -> Code {
    analyse(request).expect_err("an error").code
}

#[test]
fn bad_inputs_have_coded_errors() {
    let ok_curve = json!({"time": [0, 1, 2], "survival": [1, 0.8, 0.5]});
    let ok_risk = json!({"time": [0, 1], "n": [10, 8]});
    let req =
        |curve: Value, risk: Value| json!({"analysis": "guyot", "curve": curve, "at_risk": risk});
    assert!(analyse(req(ok_curve.clone(), ok_risk.clone())).is_ok());
    assert_eq!(
        code_of(req(
            json!({"time": [0, 2, 1], "survival": [1, 0.8, 0.5]}),
            ok_risk.clone()
        )),
        Code::InvalidCurve
    );
    assert_eq!(
        code_of(req(
            json!({"time": [0, 1, 2], "survival": [1, 80, 50]}),
            ok_risk.clone()
        )),
        Code::InvalidCurve
    );
    assert_eq!(
        code_of(req(
            json!({"time": [0, 1], "survival": [1, 0.8, 0.5]}),
            ok_risk.clone()
        )),
        Code::LengthMismatch
    );
    assert_eq!(
        code_of(req(json!({"time": [], "survival": []}), ok_risk.clone())),
        Code::EmptyData
    );
    assert_eq!(
        code_of(req(ok_curve.clone(), json!({"time": [1, 2], "n": [10, 8]}))),
        Code::InvalidAtRisk
    );
    assert_eq!(
        code_of(req(
            ok_curve.clone(),
            json!({"time": [0, 1], "n": [10, 12]})
        )),
        Code::InvalidAtRisk
    );
    assert_eq!(
        code_of(req(ok_curve.clone(), json!({"time": [0, 5], "n": [10, 2]}))),
        Code::InvalidAtRisk
    );
    assert_eq!(
        code_of(req(
            ok_curve.clone(),
            json!({"time": [0, 1], "n": [10, 7.5]})
        )),
        Code::FractionalCount
    );
    assert_eq!(
        code_of(req(
            json!({"time": [0, null], "survival": [1, 0.5]}),
            ok_risk.clone()
        )),
        Code::NonFiniteValue
    );
    assert_eq!(
        code_of(
            json!({"analysis": "guyot", "curve": ok_curve, "at_risk": ok_risk, "total_events": 11})
        ),
        Code::InvalidAtRisk
    );
    assert_eq!(
        code_of(
            json!({"analysis": "guyot", "curve": {"time": [0], "survival": [1]}, "at_risk": {"time": [0], "n": [1]}, "colour": 1})
        ),
        Code::UnknownKey
    );
}

#[test]
fn a_rising_digitised_curve_is_lowered_with_a_warning() {
    let response = analyse(json!({
        "analysis": "guyot",
        "curve": {"time": [0, 1, 2, 3], "survival": [1, 0.8, 0.81, 0.5]},
        "at_risk": {"time": [0], "n": [10]}
    }))
    .expect("runs");
    let codes: Vec<&str> = response["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert!(codes.contains(&"curve_not_monotone"), "{codes:?}");
}

/// Round trip of the fixture's request after `edit` (no total events, coarser
/// digitisation): (largest distance between the curves, relative event error).
fn round_trip_with(name: &str, edit: impl Fn(&mut Value)) -> (f64, f64) {
    let fixture = common::read_json(&common::fixture_path(&format!("guyot/{name}.json")));
    let mut request = fixture["request"].clone();
    edit(&mut request);
    let response = analyse(request).expect("the reconstruction runs");
    let rows = &response["data"];
    let data = SurvivalData::new(
        numbers(&rows["time"]).into_iter().map(Some).collect(),
        numbers(&rows["status"]).into_iter().map(Some).collect(),
        Some(numbers(&rows["count"]).into_iter().map(Some).collect()),
        None,
    )
    .expect("valid rows");
    let km = kaplan_meier(&data, &KaplanMeierOptions::default()).expect("KM");
    let original = &fixture["original"];
    let (ot, os) = (numbers(&original["time"]), numbers(&original["survival"]));
    let mut times: Vec<f64> = ot.iter().chain(&km.curves[0].time).copied().collect();
    times.push(0.0);
    let distance = times
        .iter()
        .map(|&t| (km.curves[0].survival_at(t) - step(&ot, &os, t)).abs())
        .fold(0.0, f64::max);
    let events = original["events"].as_f64().expect("events");
    let got = response["events"].as_f64().expect("events");
    assert_eq!(
        response["n"].as_f64(),
        original["n"].as_f64(),
        "{name}: everyone at risk at 0 is reconstructed"
    );
    (distance, (got - events).abs() / events)
}

#[test]
fn without_the_total_events_the_round_trips_still_hold() {
    for name in ["lung", "veteran", "ovarian", "aml"] {
        let (d, e) = round_trip_with(name, |r| {
            if let Some(o) = r.as_object_mut() {
                o.remove("total_events");
            }
        });
        assert!(d <= GUYOT_CURVE && e <= GUYOT_EVENTS_REL, "{name}: {d} {e}");
    }
}

#[test]
fn a_coarse_digitisation_of_lung_still_round_trips() {
    // Survival read to 0.005 and time to 1 day, as from a printed figure.
    let (d, e) = round_trip_with("lung", |r| {
        let coarse = |v: &Value, step: f64| -> Value {
            Value::Array(
                v.as_array()
                    .expect("array")
                    .iter()
                    .map(|x| json!((x.as_f64().expect("number") / step).round() * step))
                    .collect(),
            )
        };
        let s = coarse(&r["curve"]["survival"], 0.005);
        let t = coarse(&r["curve"]["time"], 1.0);
        r["curve"]["survival"] = s;
        r["curve"]["time"] = t;
    });
    assert!(d <= GUYOT_CURVE, "lung coarse: {d}");
    assert!(e <= GUYOT_EVENTS_REL, "lung coarse: {e}");
}
