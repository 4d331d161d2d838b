//! The logit on grouped rows: reference fixtures (Stata, R glm, statsmodels), grouped
//! rows against expanded individuals, separation, singular designs and bad input.
// Native tests (fixtures from disk, proptest); the WASM tests are tests/wasm.rs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::tolerance;
use proptest::prelude::*;
use serde_json::{json, Value};
use sibstat::binomial::{
    average_marginal_effect, BinomialData, CovariateValues, LogitModel, ModelSpec,
};
use sibstat::{analyse, Code};
use std::collections::BTreeMap;

fn logit_fixtures() -> Vec<std::path::PathBuf> {
    common::fixtures_in("logit")
}

#[test]
fn every_logit_fixture_matches_its_reference() {
    let paths = logit_fixtures();
    assert!(
        paths.len() >= 9,
        "expected the logit fixtures, found {paths:?}"
    );
    for path in paths {
        common::check_fixture(&path);
    }
}

/// Stata and statsmodels print marginal-effect standard errors to about 7 digits (and
/// statsmodels differentiates numerically), so they are held to `MARGINS_SE_REL`.
#[test]
fn marginal_effect_standard_errors_match_their_references() {
    for path in logit_fixtures() {
        let fixture = common::read_json(&path);
        let Some(expected) = fixture.get("expected_margins_se") else {
            continue;
        };
        let response = analyse(fixture["request"].clone()).unwrap();
        for (key, ses) in expected.as_object().unwrap() {
            let ses = ses.as_array().unwrap();
            let actual = response[key].as_array().unwrap();
            assert_eq!(actual.len(), ses.len(), "{}: {key}", path.display());
            for (a, e) in actual.iter().zip(ses) {
                let (a, e) = (a["std_err"].as_f64().unwrap(), e.as_f64().unwrap());
                assert!(
                    (a - e).abs() <= tolerance::MARGINS_SE_REL * e.abs(),
                    "{}: {key} std_err {a:e}, expected {e:e}",
                    path.display()
                );
            }
        }
    }
}

/// Expands a grouped logit request to one row per individual (trials = 1).
fn expand(request: &Value) -> Value {
    let data = &request["data"];
    let y = data["successes"].as_array().unwrap();
    let n = data["trials"].as_array().unwrap();
    let covariates = data["covariates"].as_object().unwrap();
    let mut successes = Vec::new();
    let mut expanded: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for i in 0..n.len() {
        let (yi, ni) = (
            y[i].as_f64().unwrap() as usize,
            n[i].as_f64().unwrap() as usize,
        );
        for k in 0..ni {
            successes.push(json!(if k < yi { 1 } else { 0 }));
            for (name, values) in covariates {
                expanded
                    .entry(name.clone())
                    .or_default()
                    .push(values.as_array().unwrap()[i].clone());
            }
        }
    }
    let mut out = request.clone();
    out["data"] = json!({
        "successes": successes,
        "trials": vec![1; successes.len()],
        "covariates": expanded,
    });
    out
}

/// Grouped and expanded responses agree; row and iteration counts legitimately differ.
fn assert_equivalent(a: &Value, b: &Value, label: &str) {
    let ignored = ["n_rows", "iterations"];
    common::assert_equivalent(a, b, tolerance::GROUPED_EQUIVALENCE, &ignored, label);
}

#[test]
fn grouped_rows_equal_expanded_individuals() {
    for name in [
        "esoph_grouped",
        "ucb_admissions_grouped",
        "ucb_admissions_grouped_at_mean",
    ] {
        let fixture = common::read_json(&common::fixture_path(&format!("logit/{name}.json")));
        let mut grouped = fixture["request"].clone();
        grouped["total_effects"] = json!(true);
        let expanded = expand(&grouped);
        let a = analyse(grouped).unwrap();
        let b = analyse(expanded.clone()).unwrap();
        assert!(b["n_rows"].as_u64().unwrap() > a["n_rows"].as_u64().unwrap());
        assert_equivalent(&a, &b, name);
    }
}

#[test]
fn grouped_power_terms_and_binary_covariates_equal_expanded_individuals() {
    // Hand-made grouped rows with a numeric covariate, its square and a 0/1 covariate.
    let request = json!({
        "analysis": "logit",
        "data": {
            "successes": [1, 3, 2, 6, 4, 8, 0, 5],
            "trials": [4, 6, 7, 9, 5, 10, 2, 9],
            "covariates": {
                "age": [20, 25, 30, 35, 40, 45, 50, 55],
                "psi": [0, 1, 0, 1, 0, 1, 0, 1]
            }
        },
        "model": {"terms": ["age", "age^2", "psi"], "binary": ["psi"]},
        "total_effects": true
    });
    for margins in ["average", "at_mean"] {
        let mut grouped = request.clone();
        grouped["margins"] = json!(margins);
        let a = analyse(grouped.clone()).unwrap();
        let b = analyse(expand(&grouped)).unwrap();
        assert_eq!(a["marginal_effects"][2]["kind"], "discrete_change");
        assert_eq!(a["total_effects"][0]["kind"], "total_derivative");
        assert_equivalent(&a, &b, margins);
    }
}

fn warning_codes(response: &Value) -> Vec<String> {
    response["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn complete_separation_is_a_warning_naming_the_term() {
    // x < 3.5 fails, x > 3.5 succeeds: x separates the outcome completely.
    let response = analyse(json!({
        "analysis": "logit",
        "data": {
            "successes": [0, 0, 0, 1, 2, 1],
            "trials": [1, 2, 1, 1, 2, 1],
            "covariates": {"x": [1, 2, 3, 4, 5, 6], "z": [0.3, 0.1, 0.4, 0.2, 0.9, 0.5]}
        },
        "model": {"terms": ["x"]}
    }))
    .unwrap();
    assert_eq!(warning_codes(&response), vec!["complete_separation"]);
    let message = response["warnings"][0]["message"].as_str().unwrap();
    assert!(message.contains("by x;"), "{message}");
    assert_eq!(
        response["separation"],
        json!({"kind": "complete", "terms": ["x"]})
    );
}

#[test]
fn quasi_complete_separation_is_a_warning_naming_the_category() {
    // Nobody in branch "Marine" succeeds; the other branches overlap.
    let response = analyse(json!({
        "analysis": "logit",
        "data": {
            "successes": [5, 7, 0, 3, 4, 0],
            "trials": [12, 11, 6, 10, 9, 4],
            "covariates": {
                "branch": ["Staf", "Land", "Marine", "Staf", "Land", "Marine"],
                "age": [30, 32, 31, 45, 47, 44]
            }
        },
        "model": {"terms": ["branch", "age"], "reference": {"branch": "Staf"}}
    }))
    .unwrap();
    assert_eq!(warning_codes(&response), vec!["quasi_complete_separation"]);
    let message = response["warnings"][0]["message"].as_str().unwrap();
    assert!(message.contains("by branch=Marine;"), "{message}");
}

#[test]
fn quasi_complete_separation_by_a_numeric_covariate_names_it_and_not_the_bystander() {
    // x < 3 fails, x > 3 succeeds, x = 3 has both: quasi-complete in x; z plays no part.
    let response = analyse(json!({
        "analysis": "logit",
        "data": {
            "successes": [0, 0, 1, 3, 2],
            "trials": [2, 3, 4, 3, 2],
            "covariates": {"x": [1, 2, 3, 4, 5], "z": [0.5, 0.1, 0.7, 0.2, 0.9]}
        },
        "model": {"terms": ["x", "z"]}
    }))
    .unwrap();
    // Whether the diverging fit stops where the information is still invertible hinges
    // on the last bits of exp(); both outcomes are reported truthfully.
    let codes = warning_codes(&response);
    assert_eq!(codes[0], "quasi_complete_separation");
    assert!(
        codes[1..].iter().all(|c| *c == "singular_information"),
        "{codes:?}"
    );
    assert_eq!(
        response["separation"],
        json!({"kind": "quasi_complete", "terms": ["x"]})
    );
}

#[test]
fn an_outcome_that_never_occurs_is_complete_separation_of_the_intercept() {
    let response = analyse(json!({
        "analysis": "logit",
        "data": {"successes": [0, 0, 0], "trials": [2, 3, 4], "covariates": {"x": [1, 2, 3]}},
        "model": {"terms": ["x"]}
    }))
    .unwrap();
    assert_eq!(warning_codes(&response), vec!["complete_separation"]);
    assert_eq!(response["separation"]["terms"], json!(["intercept"]));
    assert_eq!(response["pseudo_r2"], Value::Null); // null log-likelihood is 0
}

#[test]
fn quasi_complete_separation_by_a_binary_covariate_names_it() {
    // Everyone with psi = 1 succeeds; psi = 0 has both outcomes.
    let response = analyse(json!({
        "analysis": "logit",
        "data": {
            "successes": [2, 1, 3, 4, 5],
            "trials": [5, 4, 6, 4, 5],
            "covariates": {"psi": [0, 0, 0, 1, 1], "gpa": [2.1, 2.8, 3.3, 2.5, 3.1]}
        },
        "model": {"terms": ["gpa", "psi"], "binary": ["psi"]}
    }))
    .unwrap();
    assert_eq!(warning_codes(&response), vec!["quasi_complete_separation"]);
    let message = response["warnings"][0]["message"].as_str().unwrap();
    assert!(message.contains("by psi;"), "{message}");
}

#[test]
fn well_behaved_fits_carry_no_warning() {
    for path in logit_fixtures() {
        let fixture = common::read_json(&path);
        let response = analyse(fixture["request"].clone()).unwrap();
        assert_eq!(
            warning_codes(&response),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
    }
}

fn error_of(request: Value) -> sibstat::Error {
    analyse(request).unwrap_err()
}

fn small(covariates: Value, terms: Value) -> Value {
    json!({
        "analysis": "logit",
        "data": {"successes": [1, 2, 1, 3], "trials": [3, 4, 3, 5], "covariates": covariates},
        "model": {"terms": terms}
    })
}

#[test]
fn collinear_columns_are_a_singular_design_naming_the_terms() {
    let e = error_of(small(
        json!({"x": [1, 2, 3, 4], "w": [2, 4, 6, 8]}),
        json!(["x", "w"]),
    ));
    assert_eq!(e.code, Code::SingularDesign);
    assert!(
        e.message.contains("term w is a linear combination of x"),
        "{}",
        e.message
    );
    // Three columns: c = a + b (with the intercept involved).
    let e = error_of(small(
        json!({"a": [1, 0, 2, 5], "b": [0, 3, 1, 1], "c": [2, 4, 4, 7]}),
        json!(["a", "b", "c"]),
    ));
    assert_eq!(e.code, Code::SingularDesign);
    assert!(
        e.message
            .contains("term c is a linear combination of intercept, a, b"),
        "{}",
        e.message
    );
}

#[test]
fn a_category_without_individuals_is_a_singular_design_naming_it() {
    let request = json!({
        "analysis": "logit",
        "data": {
            "successes": [1, 2, 0, 3],
            "trials": [3, 4, 0, 5],
            "covariates": {"branch": ["Staf", "Land", "Marine", "Staf"]}
        },
        "model": {"terms": ["branch"], "reference": {"branch": "Staf"}}
    });
    let e = error_of(request);
    assert_eq!(e.code, Code::SingularDesign);
    assert!(e.message.contains("branch=Marine"), "{}", e.message);
}

#[test]
fn a_constant_column_is_a_singular_design_naming_it() {
    let e = error_of(small(
        json!({"x": [1, 2, 3, 4], "k": [7, 7, 7, 7]}),
        json!(["x", "k"]),
    ));
    assert_eq!(e.code, Code::SingularDesign);
    assert!(e.message.contains("term k is constant"), "{}", e.message);
    // A categorical covariate with one level only.
    let e = error_of(small(
        json!({"x": [1, 2, 3, 4], "g": ["a", "a", "a", "a"]}),
        json!(["x", "g"]),
    ));
    assert_eq!(e.code, Code::SingularDesign);
    assert!(
        e.message.contains("term g has a single level"),
        "{}",
        e.message
    );
    // A category whose individuals are all in zero-trial rows elsewhere: the
    // reference level itself without individuals.
    let request = json!({
        "analysis": "logit",
        "data": {
            "successes": [0, 2, 1, 3],
            "trials": [0, 4, 3, 5],
            "covariates": {"branch": ["Staf", "Land", "Marine", "Land"]}
        },
        "model": {"terms": ["branch"], "reference": {"branch": "Staf"}}
    });
    let e = error_of(request);
    assert_eq!(e.code, Code::SingularDesign);
    assert!(
        e.message.contains("reference level \"Staf\" of branch"),
        "{}",
        e.message
    );
}

#[test]
fn each_bad_input_has_its_own_code() {
    let base = || {
        json!({
            "analysis": "logit",
            "data": {
                "successes": [1, 2, 1],
                "trials": [3, 4, 3],
                "covariates": {"x": [1, 2, 3], "g": ["a", "b", "a"]}
            },
            "model": {"terms": ["x", "g"]}
        })
    };
    let with = |pointer: &str, value: Value| {
        let mut r = base();
        *r.pointer_mut(pointer).unwrap() = value;
        error_of(r).code
    };
    assert_eq!(
        with("/data/successes/0", json!(4)),
        Code::SuccessesExceedTrials
    );
    assert_eq!(with("/data/trials/1", json!(-1)), Code::NegativeCount);
    assert_eq!(with("/data/trials/1", json!(4.5)), Code::FractionalCount);
    assert_eq!(with("/data/successes/1", json!(1.5)), Code::FractionalCount);
    assert_eq!(with("/data/successes/1", json!(null)), Code::NonFiniteValue);
    assert_eq!(
        with("/data/covariates/x/1", json!(null)),
        Code::InvalidCovariate
    );
    assert_eq!(
        with("/data/covariates/x/1", json!("two")),
        Code::InvalidCovariate
    );
    assert_eq!(
        with("/data/covariates/x", json!([1, 2])),
        Code::LengthMismatch
    );
    assert_eq!(with("/data/successes", json!([1, 2])), Code::LengthMismatch);
    assert_eq!(with("/model/terms", json!(["x", "y"])), Code::UnknownTerm);
    assert_eq!(with("/model/terms", json!(["x", "g^2"])), Code::UnknownTerm);
    assert_eq!(with("/model/terms", json!(["x^"])), Code::UnknownTerm);
    assert_eq!(with("/model/terms", json!(["x^0"])), Code::UnknownTerm);
    assert_eq!(with("/model/terms", json!([""])), Code::UnknownTerm);
    assert_eq!(
        with("/model", json!({"terms": ["x"], "binary": ["zz"]})),
        Code::UnknownTerm
    );
    assert_eq!(
        with("/model", json!({"terms": ["x"], "reference": {"g": "a"}})),
        Code::UnknownTerm
    );
    assert_eq!(
        with(
            "/model",
            json!({"terms": ["x", "g"], "reference": {"x": "1"}})
        ),
        Code::InvalidCovariate
    );
    assert_eq!(
        with("/model", json!({"terms": ["g"], "binary": ["g"]})),
        Code::InvalidCovariate
    );
    assert_eq!(
        with("/data/covariates/x/1", json!(true)),
        Code::InvalidCovariate
    );
    assert_eq!(
        with("/data/covariates/x/1", json!(1e300)),
        Code::InvalidCovariate
    );
    // x^2 would overflow.
    let mut r = base();
    r["model"]["terms"] = json!(["x^2"]);
    r["data"]["covariates"]["x"] = json!([1, 1e60, 3]);
    assert_eq!(error_of(r).code, Code::InvalidCovariate);
    assert_eq!(
        with(
            "/model",
            json!({"terms": ["x", "g"], "reference": {"g": "c"}})
        ),
        Code::UnknownReferenceLevel
    );
    assert_eq!(
        with("/model", json!({"terms": ["x", "g"], "binary": ["x"]})),
        Code::InvalidCovariate
    );
    assert_eq!(
        with(
            "/data",
            json!({"successes": [], "trials": [], "covariates": {}})
        ),
        Code::EmptyData
    );
    assert_eq!(
        with("/data/trials", json!([0, 0, 0])),
        Code::SuccessesExceedTrials
    );
    assert_eq!(
        with(
            "/data",
            json!({"successes": [0, 0], "trials": [0, 0], "covariates": {}})
        ),
        Code::EmptyData
    );
    let mut r = base();
    r["margins"] = json!("median");
    assert_eq!(error_of(r).code, Code::InvalidOption);
    let mut r = base();
    r["conf_level"] = json!(1.5);
    assert_eq!(error_of(r).code, Code::InvalidConfLevel);
    let mut unknown = base();
    unknown["model"]["weights"] = json!([1, 1, 1]);
    assert_eq!(error_of(unknown).code, Code::UnknownKey);
}

#[test]
fn intercept_only_model_estimates_the_overall_log_odds() {
    let response = analyse(json!({
        "analysis": "logit",
        "data": {"successes": [3, 4], "trials": [10, 10], "covariates": {}},
        "model": {"terms": []}
    }))
    .unwrap();
    // 7 of 20: log(7/13); its SE is sqrt(1/7 + 1/13).
    let b = &response["coefficients"][0];
    assert!((b["estimate"].as_f64().unwrap() - sibstat::math::ln(7.0 / 13.0)).abs() < 1e-12);
    assert!((b["std_err"].as_f64().unwrap() - (1.0 / 7.0 + 1.0 / 13.0f64).sqrt()).abs() < 1e-12);
    assert_eq!(response["lr_df"], 0);
    assert_eq!(response["lr_p_value"], Value::Null);
    assert_eq!(response["marginal_effects"], json!([]));
    assert!(response["lr_chi_square"].as_f64().unwrap().abs() < 1e-12);
}

#[test]
fn reference_level_is_the_named_one_and_defaults_to_the_first() {
    let fixture = common::read_json(&common::fixture_path("logit/ucb_admissions_grouped.json"));
    let response = analyse(fixture["request"].clone()).unwrap();
    assert_eq!(
        response["references"],
        json!({"gender": "Male", "dept": "A"})
    );
    assert_eq!(response["coefficients"][1]["term"], "gender=Female");
}

/// The bootstrap-facing core: refitting on the observed counts reproduces the fit, and
/// a warm start from the full-sample estimate gives the same estimate.
#[test]
fn refit_on_counts_reproduces_the_fit_and_reads_terms_by_name() {
    let mut covariates = BTreeMap::new();
    covariates.insert(
        "branch".to_string(),
        CovariateValues::Categorical(
            ["Staf", "Land", "Lucht", "Staf", "Land", "Lucht"]
                .map(String::from)
                .to_vec(),
        ),
    );
    covariates.insert(
        "age".to_string(),
        CovariateValues::Numeric(vec![30.0, 34.0, 29.0, 45.0, 48.0, 41.0]),
    );
    let y = [5.0, 7.0, 2.0, 3.0, 4.0, 6.0];
    let n = [12.0, 11.0, 6.0, 10.0, 9.0, 13.0];
    let data = BinomialData::new(
        y.iter().map(|&v| Some(v)).collect(),
        n.iter().map(|&v| Some(v)).collect(),
        covariates,
    )
    .unwrap();
    let mut reference = BTreeMap::new();
    reference.insert("branch".to_string(), "Staf".to_string());
    let spec = ModelSpec {
        terms: vec!["branch".into(), "age".into()],
        reference,
        binary: vec![],
    };
    let model = LogitModel::new(&data, &spec).unwrap();
    let fit = model.fit().unwrap();
    let failures: Vec<f64> = y.iter().zip(&n).map(|(a, b)| b - a).collect();
    let refit = model.fit_with_weights(&y, &failures).unwrap();
    let warm = model
        .fit_with_weights_from(&y, &failures, Some(&fit.coefficients))
        .unwrap();
    for j in 0..fit.coefficients.len() {
        assert!((fit.coefficients[j] - refit.coefficients[j]).abs() < 1e-12);
        assert!((fit.coefficients[j] - warm.coefficients[j]).abs() < 1e-10);
    }
    assert!(warm.iterations <= 1);
    let b = model.coefficient(&fit, "branch=Land").unwrap();
    assert_eq!(b, fit.coefficients[1]);
    let ame = average_marginal_effect(&model, &fit, "branch=Land").unwrap();
    assert!(ame.is_finite());
    assert!(average_marginal_effect(&model, &fit, "branch=Marine").is_none());
    // A resample that leaves a category empty is a coded error, not a panic.
    let empty_lucht = [5.0, 7.0, 0.0, 3.0, 4.0, 0.0];
    let e = model
        .fit_with_weights(&empty_lucht, &[1.0, 1.0, 0.0, 1.0, 1.0, 0.0])
        .unwrap_err();
    assert_eq!(e.code, Code::SingularDesign);
}

fn cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => (0u32..6).prop_map(|v| json!(v)),
        1 => Just(json!(-1)),
        1 => Just(json!(1.5)),
        1 => Just(json!(null)),
    ]
}

fn covariate_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        6 => (-3.0f64..3.0).prop_map(|v| json!(v)),
        3 => prop::sample::select(vec!["a", "b", "c"]).prop_map(|v| json!(v)),
        1 => Just(json!(null)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random, partly malformed logit requests give a response or a coded error,
    /// never a panic, and every number in a response is finite or null.
    #[test]
    fn random_logit_requests_never_panic(
        successes in prop::collection::vec(cell(), 0..8),
        trials in prop::collection::vec(cell(), 0..8),
        x in prop::collection::vec(covariate_value(), 0..8),
        g in prop::collection::vec(covariate_value(), 0..8),
        terms in prop::sample::subsequence(vec!["x", "g", "x^2", "x^3", "h", "intercept"], 0..4),
        margins in prop::sample::select(vec!["average", "at_mean"]),
        binary in any::<bool>(),
    ) {
        let mut model = json!({"terms": terms});
        if binary {
            model["binary"] = json!(["x"]);
        }
        let request = json!({
            "analysis": "logit",
            "data": {"successes": successes, "trials": trials, "covariates": {"x": x, "g": g}},
            "model": model,
            "margins": margins,
            "total_effects": true
        });
        match analyse(request) {
            Ok(response) => {
                // serde_json turns a NaN into null: the fit statistics must be numbers.
                prop_assert!(response["log_likelihood"].is_number());
                prop_assert!(response["aic"].is_number());
                prop_assert!(response["warnings"].is_array());
            }
            Err(e) => prop_assert!(!e.message.is_empty()),
        }
    }
}
