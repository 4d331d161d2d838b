//! Robustness of everything the page reads: every request it builds, its URL state and
//! the data file go through the engine's validation, so the engine must answer any
//! input with a response or a coded error — never a panic, a hang or an unbounded
//! allocation. Property tests drive `analyse`, `analyse_json`, the definition state
//! and the Joining Forces loader with arbitrary JSON, near-valid requests of every
//! analysis (mutated keys, types, lengths, values), random bytes and mutations of the
//! shipped data file; huge declared sizes (counts, trials, replicates) must be refused
//! or answered quickly.
//!
//! Sizes are bounded (arrays of at most a few dozen entries, nesting of at most four
//! levels), so each case is small; a case slower than [`SLOW`] fails as a hang.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Number, Value};
use sibstat::api::ANALYSES;
use sibstat::joining_forces::{self, Base, Dataset, DefinitionRequest, DefinitionState};
use sibstat::{analyse, analyse_json, Code};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Longest a single case may take before it counts as a hang: cases take
/// milliseconds, but unoptimised nalgebra is some 40 times slower than a release build
/// and CI has two loaded cores.
const SLOW: Duration = Duration::from_secs(if cfg!(debug_assertions) { 10 } else { 1 });

/// Keys the requests use, so that arbitrary objects often hit real fields.
const KEYS: &[&str] = &[
    "analysis",
    "data",
    "time",
    "status",
    "count",
    "group",
    "strata",
    "breaks",
    "conf_level",
    "conf_type",
    "variance",
    "successes",
    "trials",
    "method",
    "null",
    "values",
    "covariates",
    "model",
    "terms",
    "reference",
    "binary",
    "margins",
    "star_convention",
    "total_effects",
    "of",
    "statistics",
    "replicates",
    "seed",
    "definition",
    "unknown",
    "success",
    "excluded",
    "x",
    "",
];

/// Option values and statistic names, valid and not.
const WORDS: &[&str] = &[
    "log-log",
    "log",
    "plain",
    "arcsin",
    "aalen",
    "survfit",
    "wilson",
    "clopper-pearson",
    "wald",
    "average",
    "at_mean",
    "report",
    "conventional",
    "x",
    "x^2",
    "x^0",
    "x^-1",
    "x^99999",
    "g",
    "g=b",
    "intercept",
    "a",
    "b",
    "survival@1",
    "survival@-1",
    "survival@NaN",
    "survival@1e308",
    "median",
    "cif1@2",
    "cif0@2",
    "cif99999@2",
    "coef:x",
    "ame:x",
    "coef:",
    "estimate",
    "mean",
    "effect",
    "result",
    "custom",
    "exclude",
    "own_job",
    "iva",
    "",
    "\u{0}",
    "é\u{1F600}",
];

/// Numbers at the edges: huge declared sizes, tiny, negative, fractional, -0.
const EDGES: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    0.95,
    1e-300,
    5e-324,
    1e6,
    1e9,
    1e12,
    1e12 + 1.0,
    1e15,
    9.007_199_254_740_993e15,
    1e16,
    1e300,
    f64::MAX,
    -1e15,
    4_294_967_296.0,
    65_535.0,
    65_536.0,
];

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (0i64..10).prop_map(Value::from),
        2 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        2 => prop::sample::select(EDGES).prop_map(|x| Number::from_f64(x).map_or(Value::Null, Value::Number)),
        2 => any::<f64>().prop_map(|x| Number::from_f64(x).map_or(Value::Null, Value::Number)),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        4 => number(),
        2 => prop::sample::select(WORDS).prop_map(Value::from),
        1 => ".{0,12}".prop_map(Value::String),
    ]
}

/// Arbitrary JSON: nested arrays and objects (keys mostly the API's), every type.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 96, 12, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..12).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![3 => prop::sample::select(KEYS).prop_map(String::from), 1 => "[a-z_]{0,8}"],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A valid request of each analysis, to be mutated.
fn templates() -> Vec<Value> {
    let km_data = json!({"time": [1, 2, 2, 3, 5, 8], "status": [1, 1, 0, 2, 0, 1],
        "count": [3, 1, 2, 1, 4, 1], "group": ["a", "b", "a", "b", "a", "b"]});
    let proportion = json!({"analysis": "proportion", "successes": 7, "trials": 20});
    let logit = json!({"analysis": "logit",
        "data": {"successes": [1, 3, 2, 5, 0], "trials": [4, 6, 5, 7, 3],
                 "covariates": {"x": [1.5, 2.0, 2.5, 3.0, 0.5], "g": ["a", "b", "a", "b", "a"]}},
        "model": {"terms": ["x", "x^2", "g"], "reference": {"g": "a"}, "binary": []},
        "margins": "average", "total_effects": true});
    vec![
        json!({"analysis": "kaplan_meier", "data": km_data, "conf_type": "log-log", "conf_level": 0.9}),
        json!({"analysis": "cumulative_incidence", "data": km_data, "variance": "aalen"}),
        json!({"analysis": "logrank", "data": km_data, "strata": [1, 1, 2, 2, 1, 2]}),
        json!({"analysis": "life_table", "data": km_data, "breaks": [0, 2, 4, 10]}),
        json!({"analysis": "proportion", "successes": 7, "trials": 20, "method": "wilson", "null": 0.5}),
        logit.clone(),
        json!({"analysis": "summary", "values": [1, 2, 2.5, 9], "count": [1, 4, 2, 1]}),
        json!({"analysis": "bootstrap", "of": {"analysis": "kaplan_meier", "data": km_data},
               "statistics": ["survival@2[a]", "median[b]"], "replicates": 20, "seed": 1, "strata": true}),
        json!({"analysis": "bootstrap", "of": proportion, "statistics": ["estimate"], "replicates": 20, "seed": 3}),
        json!({"analysis": "bootstrap", "of": logit, "statistics": ["coef:x", "ame:x"], "replicates": 10, "seed": 2}),
    ]
}

/// Every path (object keys and array indices) inside a value, the root included.
fn paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Step::Index(i));
                paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// One change to a value; `pick` chooses the path, the rest what happens there.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the value at the path.
    Set(Value),
    /// Remove the key or element at the path.
    Remove,
    /// Duplicate the element at the path (arrays) or the whole array `times` times.
    Duplicate(usize),
    /// Add a key (objects) or push a value (arrays).
    Add(String, Value),
    /// Cut an array to this length.
    Truncate(usize),
    /// Scale a number.
    Scale(f64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => json_value().prop_map(Mutation::Set),
        4 => number().prop_map(Mutation::Set),
        2 => Just(Mutation::Remove),
        1 => (1usize..4).prop_map(Mutation::Duplicate),
        2 => (prop_oneof![3 => prop::sample::select(KEYS).prop_map(String::from), 1 => "[a-z_]{1,6}"], json_value())
            .prop_map(|(k, v)| Mutation::Add(k, v)),
        1 => (0usize..4).prop_map(Mutation::Truncate),
        4 => prop::sample::select(vec![-1.0, 0.0, 0.5, 1.5, 2.0, 3.0, 10.0, 1e6, 1e12, 1e15, 1e300]).prop_map(Mutation::Scale),
    ]
}

fn apply(value: &mut Value, pick: usize, mutation: &Mutation) {
    let mut all = Vec::new();
    paths(value, &mut Vec::new(), &mut all);
    let path = &all[pick % all.len()];
    match mutation {
        Mutation::Set(v) => {
            if let Some(target) = at(value, path) {
                *target = v.clone();
            }
        }
        Mutation::Remove | Mutation::Duplicate(_) => {
            let Some((last, parent_path)) = path.split_last() else {
                return;
            };
            let Some(parent) = at(value, parent_path) else {
                return;
            };
            match (parent, last, mutation) {
                (Value::Object(map), Step::Key(k), Mutation::Remove) => {
                    map.remove(k);
                }
                (Value::Array(items), Step::Index(i), Mutation::Remove) => {
                    items.remove(*i);
                }
                (Value::Array(items), Step::Index(i), Mutation::Duplicate(times)) => {
                    let item = items[*i].clone();
                    for _ in 0..*times {
                        items.insert(*i, item.clone());
                    }
                }
                _ => {}
            }
        }
        Mutation::Add(key, v) => match at(value, path) {
            Some(Value::Object(map)) => {
                map.insert(key.clone(), v.clone());
            }
            Some(Value::Array(items)) => items.push(v.clone()),
            _ => {}
        },
        Mutation::Truncate(len) => {
            if let Some(Value::Array(items)) = at(value, path) {
                items.truncate(*len);
            }
        }
        Mutation::Scale(factor) => {
            if let Some(target) = at(value, path) {
                if let Some(x) = target.as_f64() {
                    *target = Number::from_f64(x * factor).map_or(Value::Null, Value::Number);
                }
            }
        }
    }
}

/// Whether the bootstrap is implemented: until then (its branch is being written), a
/// request that reaches it is skipped rather than run into its placeholder.
fn bootstrap_ready() -> bool {
    analyse(json!({"analysis": "bootstrap",
        "of": {"analysis": "proportion", "successes": 3, "trials": 10},
        "statistics": ["estimate"], "replicates": 10, "seed": 1}))
    .is_ok()
}

fn reaches_bootstrap(request: &Value) -> bool {
    request.get("analysis") == Some(&json!("bootstrap"))
}

/// The time a request may take. A bootstrap's `replicates` is the size of the work the
/// request asks for in so many words (and the engine bounds replicates × rows), so its
/// budget is [`SLOW`] per 2,000 replicates: what stays bounded is the cost of one
/// replicate (a mutation once asked 65,535 replicates of a logit whose resamples often
/// separate: 0.9 s natively, 45 s in a debug build, 0.7 ms per replicate).
fn time_budget(request: &Value) -> Duration {
    let replicates = if reaches_bootstrap(request) {
        request
            .get("replicates")
            .and_then(Value::as_f64)
            .filter(|r| r.is_finite() && *r >= 1.0)
            // The engine refuses more than 1,000,000 (`invalid_replicates`).
            .map_or(2000.0, |r| r.min(1e6))
    } else {
        0.0
    };
    SLOW.mul_f64((replicates / 2000.0).max(1.0))
}

/// Runs a request natively and through JSON text; both must agree, quickly, and never
/// panic (a panic fails the property).
fn check_request(request: &Value) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let direct = analyse(request.clone());
    let text = analyse_json(&request.to_string());
    let elapsed = started.elapsed();
    prop_assert!(
        elapsed < time_budget(request),
        "took {elapsed:?}: {request}"
    );
    match (&direct, &text) {
        (Ok(response), Ok(text)) => {
            prop_assert!(
                response.get("warnings").is_some_and(Value::is_array),
                "no warnings array: {response}"
            );
            prop_assert_eq!(&serde_json::from_str::<Value>(text).unwrap(), response);
        }
        (Err(a), Err(b)) => {
            prop_assert_eq!(a.code, b.code);
            prop_assert!(!a.message.is_empty());
        }
        _ => prop_assert!(
            false,
            "value and text disagree for {request}: {direct:?} vs {text:?}"
        ),
    }
    Ok(())
}

/// `cases` scaled by `SIBSTAT_FUZZ_SCALE` (default 1), for longer runs by hand:
/// `SIBSTAT_FUZZ_SCALE=50 cargo test --release --test fuzz`.
fn runner(cases: u32) -> TestRunner {
    let scale: u32 = std::env::var("SIBSTAT_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    TestRunner::new(Config {
        cases: cases.saturating_mul(scale),
        // A shrunk failing case is printed; no regression file is written beside the tests.
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn arbitrary_json_is_answered_or_refused_with_a_code() {
    let bootstrap = bootstrap_ready();
    let request = prop_oneof![
        1 => json_value(),
        // An object naming a real analysis, with arbitrary other keys.
        3 => (prop::sample::select(ANALYSES), prop::collection::vec(
                (prop::sample::select(KEYS).prop_map(String::from), json_value()), 0..5))
            .prop_map(|(analysis, pairs)| {
                let mut map: Map<String, Value> = pairs.into_iter().collect();
                map.insert("analysis".into(), Value::from(analysis));
                Value::Object(map)
            }),
    ];
    runner(3000)
        .run(&request, |request| {
            if !bootstrap && reaches_bootstrap(&request) {
                return Ok(());
            }
            check_request(&request)
        })
        .unwrap();
}

#[test]
fn near_valid_requests_of_every_analysis_are_answered_or_refused_with_a_code() {
    let bootstrap = bootstrap_ready();
    let templates: Vec<Value> = templates()
        .into_iter()
        .filter(|t| bootstrap || !reaches_bootstrap(t))
        .collect();
    for template in &templates {
        assert!(
            analyse(template.clone()).is_ok(),
            "the template is valid: {template}"
        );
    }
    let mutated = (
        prop::sample::select(templates),
        prop::collection::vec((any::<usize>(), mutation()), 1..3),
    );
    let answered = AtomicUsize::new(0);
    let refused = AtomicUsize::new(0);
    runner(6000)
        .run(&mutated, |(mut request, changes)| {
            for (pick, change) in &changes {
                apply(&mut request, *pick, change);
            }
            if !bootstrap && reaches_bootstrap(&request) {
                return Ok(());
            }
            let tally = if analyse(request.clone()).is_ok() {
                &answered
            } else {
                &refused
            };
            tally.fetch_add(1, Ordering::Relaxed);
            check_request(&request)
        })
        .unwrap();
    // The mutations must leave many requests valid, or the analyses are never reached.
    let (answered, refused) = (answered.into_inner(), refused.into_inner());
    eprintln!("near-valid requests: {answered} answered, {refused} refused with a code");
    assert!(
        answered * 5 > answered + refused,
        "{answered} answered of {}",
        answered + refused
    );
}

#[test]
fn random_bytes_and_mangled_json_text_are_refused_with_a_code() {
    let templates: Vec<String> = templates().iter().map(Value::to_string).collect();
    let text = prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => "[\\[\\]{}\",:0-9eE.+\\-a-z ]{0,80}",
        // A valid request with a few bytes overwritten or cut.
        2 => (prop::sample::select(templates), prop::collection::vec((any::<usize>(), any::<u8>()), 1..4), any::<usize>())
            .prop_map(|(text, edits, cut)| {
                let mut bytes = text.into_bytes();
                for (at, byte) in edits {
                    let i = at % bytes.len();
                    bytes[i] = byte;
                }
                if cut % 3 == 0 {
                    bytes.truncate(cut % (bytes.len() + 1));
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }),
    ];
    let bootstrap = bootstrap_ready();
    runner(3000)
        .run(&text, |text| {
            if !bootstrap && text.contains("bootstrap") {
                return Ok(());
            }
            let started = Instant::now();
            let result = analyse_json(&text);
            prop_assert!(
                started.elapsed() < SLOW,
                "took {:?}: {text:?}",
                started.elapsed()
            );
            if let Err(error) = result {
                prop_assert!(!error.message.is_empty());
            }
            Ok(())
        })
        .unwrap();
}

/// The page's view state (from its URL) becomes a definition request; any JSON for it
/// is a state or a coded error.
#[test]
fn any_definition_state_is_validated() {
    let request = prop_oneof![
        json_value(),
        (
            prop::sample::select(WORDS),
            prop::sample::select(WORDS),
            prop::collection::vec(prop::sample::select(WORDS), 0..4)
        )
            .prop_map(|(d, u, causes)| json!({"definition": d, "unknown": u, "success": causes})),
    ];
    let data = joining_forces::published().unwrap();
    runner(1000)
        .run(&request, |request| {
            let Ok(parsed) = serde_json::from_value::<DefinitionRequest>(request) else {
                return Ok(());
            };
            if let Ok(state) = DefinitionState::from_request(&data.package, parsed) {
                // A valid state gives every number of the report.
                prop_assert!(joining_forces::report_numbers(&data, &state, 0.95).is_ok());
            }
            Ok(())
        })
        .unwrap();
}

/// The shipped data file with entries dropped, duplicated and altered: the loader
/// answers with a dataset or `invalid_data_file`, and a dataset that loads gives the
/// reconciliation and the report's numbers (or a coded error) without a panic.
#[test]
fn mutated_data_files_load_or_are_refused_with_a_code() {
    let shipped: Value = serde_json::from_str(joining_forces::PUBLISHED_JSON).unwrap();
    let package = joining_forces::published().unwrap().package;
    let states: Vec<DefinitionState> = [
        ("effect", "exclude"),
        ("result", "success"),
        ("custom", "failure"),
    ]
    .into_iter()
    .map(|(d, u)| {
        DefinitionState::from_request(
            &package,
            serde_json::from_value(json!({"definition": d, "unknown": u})).unwrap(),
        )
        .unwrap()
    })
    .collect();
    let changes = prop::collection::vec((any::<usize>(), mutation()), 1..5);
    runner(400)
        .run(&changes, |changes| {
            let mut file = shipped.clone();
            for (pick, change) in &changes {
                apply(&mut file, *pick, change);
            }
            let started = Instant::now();
            match Dataset::from_value(&file) {
                Err(error) => prop_assert_eq!(error.code, Code::InvalidDataFile, "{}", error),
                Ok(dataset) => {
                    let _ = joining_forces::reconcile(&dataset);
                    for state in &states {
                        let _ = joining_forces::report_numbers(&dataset, state, 0.95);
                        if let Ok(request) =
                            joining_forces::success_logit_request(&dataset, state, Base::Outflow)
                        {
                            let _ = analyse(request);
                        }
                    }
                }
            }
            prop_assert!(started.elapsed() < SLOW, "took {:?}", started.elapsed());
            Ok(())
        })
        .unwrap();
    // The text path as well: the file cut short.
    let text = joining_forces::PUBLISHED_JSON;
    for cut in (0..text.len())
        .step_by(97)
        .filter(|&c| text.is_char_boundary(c))
    {
        assert_eq!(
            Dataset::from_json(&text[..cut]).unwrap_err().code,
            Code::InvalidDataFile
        );
    }
}

/// Huge declared sizes cost nothing: counts and trials are weights, never expanded,
/// and the bootstrap refuses replicate counts it could not run.
#[test]
fn huge_declared_sizes_are_answered_or_refused_quickly() {
    let quick = |request: Value| {
        let started = Instant::now();
        let result = analyse(request.clone());
        assert!(
            started.elapsed() < SLOW,
            "took {:?}: {request}",
            started.elapsed()
        );
        result
    };
    // 1e15 individuals in three rows: a valid input, computed on the rows.
    let km = quick(json!({"analysis": "kaplan_meier",
        "data": {"time": [1, 2, 3], "status": [1, 0, 1], "count": [1e15, 1e15, 1]}}));
    assert!(km.is_ok(), "{km:?}");
    for analysis in ["cumulative_incidence", "life_table", "logrank"] {
        let mut request = json!({"analysis": analysis,
            "data": {"time": [1, 2, 3], "status": [1, 0, 1], "count": [1e15, 2e15, 1], "group": [1, 2, 1]}});
        if analysis == "life_table" {
            request["breaks"] = json!([0, 1, 2, 4]);
        }
        let result = quick(request);
        assert!(
            result.is_ok() || result.as_ref().unwrap_err().code == Code::TooManyIndividuals,
            "{analysis}: {result:?}"
        );
    }
    // More individuals than a double counts exactly: refused with its code.
    let too_many = quick(json!({"analysis": "kaplan_meier",
        "data": {"time": [1, 2], "status": [1, 0], "count": [9e15, 9e15]}}));
    assert!(too_many.is_err(), "{too_many:?}");
    let summary = quick(json!({"analysis": "summary", "values": [1, 2], "count": [1e15, 3]}));
    assert!(summary.is_ok(), "{summary:?}");
    let proportion = quick(
        json!({"analysis": "proportion", "successes": 4e14, "trials": 1e15, "method": "clopper-pearson"}),
    );
    assert!(proportion.is_ok(), "{proportion:?}");
    let logit = quick(json!({"analysis": "logit",
        "data": {"successes": [4e14, 5e14], "trials": [1e15, 1e15], "covariates": {"x": [0, 1]}},
        "model": {"terms": ["x"]}}));
    assert!(logit.is_ok(), "{logit:?}");
    // A huge power in a term is a number, not a loop.
    let power = quick(json!({"analysis": "logit",
        "data": {"successes": [1, 2, 1], "trials": [3, 3, 3], "covariates": {"x": [1, 2, 3]}},
        "model": {"terms": ["x^4294967295"]}}));
    assert!(power.is_ok() || power.is_err());
    if bootstrap_ready() {
        for replicates in [1e12, 1e300, -1.0, 0.0, 0.5] {
            let result = quick(json!({"analysis": "bootstrap",
                "of": {"analysis": "proportion", "successes": 3, "trials": 10},
                "statistics": ["estimate"], "replicates": replicates, "seed": 1}));
            let error = result.expect_err("an impossible replicate count is refused");
            assert!(
                matches!(error.code, Code::InvalidReplicates | Code::InvalidType),
                "replicates {replicates}: {error}"
            );
        }
    }
}

/// A short request must not be able to ask for a long computation: thousands of
/// one-row groups (log-rank and Gray's test grow with their square), thousands of
/// causes (a curve and a variance each), a categorical covariate with a level per row
/// (a column each) are refused with `too_many_levels`; at the limits, a hundred and
/// fifty rows are still quick.
#[test]
fn many_groups_causes_or_levels_are_refused_or_quick() {
    let n = 2000;
    let time: Vec<usize> = (1..=n).collect();
    let quick = |request: Value| {
        let started = Instant::now();
        let result = analyse(request.clone());
        let elapsed = started.elapsed();
        assert!(elapsed < SLOW, "took {elapsed:?}: {}", request["analysis"]);
        result
    };
    let refused = |request: Value| {
        let what = request["analysis"].clone();
        let error = quick(request).expect_err("refused");
        assert_eq!(error.code, Code::TooManyLevels, "{what}: {error}");
    };
    let one_per_row: Vec<usize> = (0..n).collect();
    for analysis in [
        "kaplan_meier",
        "cumulative_incidence",
        "logrank",
        "life_table",
    ] {
        let mut request = json!({"analysis": analysis,
            "data": {"time": time, "status": vec![1; n], "group": one_per_row}});
        if analysis == "life_table" {
            request["breaks"] = json!([0, 10, 100, 10000]);
        }
        refused(request);
    }
    let causes: Vec<usize> = (1..=n).collect();
    refused(json!({"analysis": "cumulative_incidence", "data": {"time": time, "status": causes}}));
    let levels: Vec<String> = (0..n).map(|i| format!("level {}", i / 2)).collect();
    refused(json!({"analysis": "logit",
        "data": {"successes": (0..n).map(|i| i % 2).collect::<Vec<_>>(), "trials": vec![1; n],
                 "covariates": {"g": levels}},
        "model": {"terms": ["g"]}}));
    let terms: Vec<String> = (0..200).map(|k| format!("x^{k}")).collect();
    refused(json!({"analysis": "logit",
        "data": {"successes": [0, 1, 1], "trials": [2, 2, 2], "covariates": {"x": [1, 2, 3]}},
        "model": {"terms": terms}}));

    // At the limits, 150 rows: answered.
    let n = 150;
    let time: Vec<usize> = (1..=n).collect();
    let causes: Vec<usize> = (0..n).map(|i| i % (sibstat::api::MAX_CAUSES + 1)).collect();
    for analysis in ["kaplan_meier", "cumulative_incidence", "logrank"] {
        let most = if analysis == "cumulative_incidence" {
            sibstat::api::MAX_COMPARED_GROUPS
        } else {
            sibstat::survival::MAX_GROUPS
        };
        let groups: Vec<usize> = (0..n).map(|i| i % most).collect();
        let result = quick(json!({"analysis": analysis,
            "data": {"time": time, "status": causes, "group": groups}}));
        assert!(result.is_ok(), "{analysis}: {result:?}");
        let groups: Vec<usize> = (0..n).map(|i| i % (most + 1)).collect();
        refused(json!({"analysis": analysis,
            "data": {"time": time, "status": causes, "group": groups}}));
    }
    // MAX_COLUMNS levels: the intercept and a column per level but the reference.
    let n = 300;
    let levels: Vec<String> = (0..n)
        .map(|i| format!("level {}", i % sibstat::api::MAX_COLUMNS))
        .collect();
    let successes: Vec<usize> = (0..n).map(|i| (i * 7 / 3) % 2).collect();
    let request = json!({"analysis": "logit",
        "data": {"successes": successes, "trials": vec![1; n], "covariates": {"g": levels}},
        "model": {"terms": ["g"]}});
    let columns = quick(request.clone()).map(|r| r["coefficients"].as_array().map_or(0, Vec::len));
    assert_eq!(columns, Ok(sibstat::api::MAX_COLUMNS));
    // One level more is refused.
    let mut request = request;
    request["data"]["covariates"]["g"][0] = json!("one level more");
    refused(request);
}
