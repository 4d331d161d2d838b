//! `sibstat publish` on the synthetic microdata of tests/fixtures/publish/ (made by
//! make_microdata.py, seeded): the tables equal counts computed here from the rows,
//! no printed count lies in 1..k−1, every withheld count is protected, Guyot cannot
//! place an exit more finely than its pooled step, the output is byte-identical run
//! to run, bad input gives its code with nothing written, and the report package it
//! writes answers every view state of the report page.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use proptest::prelude::*;
use serde_json::Value;
use sibstat::survival::{guyot, GuyotInput};
use sibstat_publish::{publish, write_atomically, Options, Spec};
use sibstat_report::PreparedReport;
use std::collections::BTreeMap;
use std::path::PathBuf;

const K: u64 = 10;

fn fixture() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/publish/synthetic_microdata.csv");
    std::fs::read_to_string(path).unwrap()
}

fn published(csv: &str, k: Option<u64>) -> (Value, Value) {
    let spec = Spec::joining_forces().unwrap();
    let p = publish(
        csv,
        &spec,
        &Options {
            cutoff: None,
            k,
            ..Options::default()
        },
    )
    .unwrap();
    (
        serde_json::from_str(&p.files["published.json"]).unwrap(),
        serde_json::from_str(&p.files["disclosure.json"]).unwrap(),
    )
}

/// The rows as maps column → text (the fixture has no quoted fields).
fn rows(csv: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split(',').map(String::from))
                .collect()
        })
        .collect()
}

/// Every printed count in the package, with its path.
fn counts(v: &Value, path: &str, out: &mut Vec<(String, u64)>) {
    match v {
        Value::Object(m) => {
            for (key, x) in m {
                let p = format!("{path}.{key}");
                let is_count =
                    matches!(key.as_str(), "count" | "successes" | "trials" | "censored")
                        || path.ends_with(".events");
                match x {
                    Value::Number(n) if is_count => out.push((p, n.as_u64().unwrap())),
                    _ => counts(x, &p, out),
                }
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                counts(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// The response's warning with code `code`.
fn warning<'a>(response: &'a Value, code: &str) -> &'a Value {
    response["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == code)
        .unwrap_or_else(|| panic!("no warning {code}"))
}

/// The element of a JSON array whose `id` is `id`.
fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("no element with id {id}"))
}

fn cell(p: &Value, table: &str, block: &str, row: &str, col: &str) -> Option<u64> {
    let t = by_id(&p["tables"], table);
    let b = by_id(&t["blocks"], block);
    by_id(&b["rows"], row)["cells"][col]["count"].as_u64()
}

#[test]
fn synthetic_tables_equal_counts_from_the_rows() {
    let csv = fixture();
    let rows = rows(&csv);
    assert_eq!(rows.len(), 450);
    let (p, _) = published(&csv, None);
    let cohort_col = |r: &BTreeMap<String, String>| format!("cohort{}", r["cohort"]);
    let mut checked = 0;
    let mut check =
        |table: &str, block: &str, row: &str, pred: &dyn Fn(&BTreeMap<String, String>) -> bool| {
            for col in ["cohort1", "cohort2", "all"] {
                let expected = rows
                    .iter()
                    .filter(|r| (col == "all" || cohort_col(r) == col) && pred(r))
                    .count() as u64;
                if let Some(got) = cell(&p, table, block, row, col) {
                    assert_eq!(got, expected, "{table}.{block}.{row}.{col}");
                    checked += 1;
                }
            }
        };
    // Table 3.2: no exit by the cut-off 2021-07-01 (the fixture has no later exits).
    for cause in [
        "own_job",
        "elsewhere_defence",
        "outside_defence",
        "sickness_benefit",
        "own_request",
        "iva",
        "other",
        "unknown",
    ] {
        check("t3_2", "cause", cause, &|r| r["cause"] == cause);
    }
    check("t3_2", "outflow", "none", &|r| r["cause"].is_empty());
    check("t3_2", "outflow", "yes", &|r| !r["cause"].is_empty());
    for branch in ["staff", "marechaussee", "landmacht", "luchtmacht", "marine"] {
        check("t3_1", "branch", branch, &|r| r["branch"] == branch);
    }
    for (row, lo, hi) in [
        ("18_24", 18, 25),
        ("25_34", 25, 35),
        ("35_44", 35, 45),
        ("45_54", 45, 55),
        ("55_plus", 55, 200),
    ] {
        check("t3_1", "age", row, &|r| {
            r["age"].parse::<u32>().is_ok_and(|a| a >= lo && a < hi)
        });
    }
    check("t3_1", "age", "unknown", &|r| r["age"].is_empty());
    for flag in ["life_goals", "jump_movement", "reveal", "place_train"] {
        check("t3_1", "interventions", flag, &|r| r[flag] == "1");
    }
    check("t3_4", "sanction", "yes", &|r| r["sanction"] == "1");
    check("t3_4", "sanction", "none", &|r| r["sanction"] == "0");
    for (row, value) in [("low", "low"), ("medium", "middle"), ("high", "high")] {
        check("t3_4", "risk", row, &|r| r["sanction_risk"] == value);
    }
    // The 281 / 169 split of the report, printed.
    assert_eq!(
        cell(&p, "t3_2", "outflow", "none", "cohort1").map(|_| ()),
        Some(())
    );
    assert!(checked >= 45, "only {checked} printed cells compared");
}

#[test]
fn no_printed_count_lies_between_1_and_k_minus_1() {
    let (p, _) = published(&fixture(), None);
    let mut all = Vec::new();
    counts(&p, "", &mut all);
    assert!(all.len() > 90, "{} counts", all.len());
    for (path, n) in &all {
        assert!(*n == 0 || *n >= K, "{path} = {n}");
    }
}

#[test]
fn a_logit_is_published_only_on_printed_cells_with_10_residual_df() {
    let (p, _) = published(&fixture(), None);
    let mut published_models = 0;
    for x in p["cross_tables"].as_array().unwrap() {
        if x["model"].is_null() {
            continue;
        }
        published_models += 1;
        assert!(x["model"]["residual_df"].as_i64().unwrap() >= 10, "{x}");
        let levels = x["levels"].as_array().unwrap();
        assert!(levels.len() >= 2, "{x}");
        for l in levels {
            for c in l["cells"].as_object().unwrap().values() {
                assert!(c["successes"].is_u64() && c["trials"].is_u64(), "{x}");
            }
        }
    }
    // Synthetic file: success within a year by sanction risk and by age in cohort 1.
    assert_eq!(published_models, 2);
}

#[test]
fn the_audit_finds_every_withheld_count_protected() {
    let (_, d) = published(&fixture(), None);
    assert_eq!(d["audit"]["all_protected"], true);
    let suppressed = d["suppressed"].as_array().unwrap();
    assert!(!suppressed.is_empty());
    for s in suppressed.iter().filter(|s| s["rule"] == "threshold") {
        let r = &s["feasible_range"];
        assert_eq!(r["protected"], true, "{s}");
        let width = r["upper"].as_f64().unwrap_or(f64::INFINITY) - r["lower"].as_f64().unwrap();
        assert!(width >= K as f64 - 1e-6, "{s}");
    }
}

/// The attack: the any-outflow Kaplan–Meier curve and numbers at risk of the published
/// steps, given to Guyot's reconstruction. Every exit it places lies at the end of a
/// published step: nothing finer than the pooling.
#[test]
fn guyot_cannot_place_an_exit_inside_a_pooled_step() {
    let (p, _) = published(&fixture(), None);
    for cohort in p["duration"]["cohorts"].as_array().unwrap() {
        let steps = cohort["steps"].as_array().unwrap();
        let leaving: Vec<(f64, u64, u64)> = steps
            .iter()
            .map(|s| {
                let events: u64 = s["events"]
                    .as_object()
                    .unwrap()
                    .values()
                    .map(|v| v.as_u64().unwrap_or(0))
                    .sum();
                (
                    s["to_month"].as_f64().unwrap() + 1.0,
                    events,
                    s["censored"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        for &(_, e, c) in &leaving {
            assert!(e + c >= K, "a step with {e} + {c} leaving");
        }
        let mut n: u64 = leaving.iter().map(|&(_, e, c)| e + c).sum();
        let (mut time, mut surv, mut risk_t, mut risk_n) = (
            vec![Some(0.0)],
            vec![Some(1.0)],
            vec![Some(0.0)],
            vec![Some(n as f64)],
        );
        let mut s = 1.0;
        for &(t, e, c) in &leaving {
            if n == 0 {
                break;
            }
            s *= 1.0 - e as f64 / n as f64;
            time.push(Some(t));
            surv.push(Some(s));
            n -= e + c;
            if n > 0 {
                risk_t.push(Some(t));
                risk_n.push(Some(n as f64));
            }
        }
        let input = GuyotInput::new(time, surv, risk_t, risk_n, None).unwrap();
        let g = guyot(&input).unwrap();
        let ends: Vec<f64> = leaving.iter().map(|l| l.0).collect();
        for (t, &status) in g.data.time.iter().zip(&g.data.status) {
            if status == 1 {
                assert!(
                    ends.contains(t),
                    "Guyot placed an exit at {t}, inside a step (ends {ends:?})"
                );
            }
        }
    }
}

#[test]
fn the_same_input_gives_byte_identical_packages() {
    let csv = fixture();
    let spec = Spec::joining_forces().unwrap();
    let dir = std::env::temp_dir().join(format!("sibstat-publish-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("a"), dir.join("b"));
    write_atomically(
        &a,
        &publish(&csv, &spec, &Options::default()).unwrap().files,
    )
    .unwrap();
    write_atomically(
        &b,
        &publish(&csv, &spec, &Options::default()).unwrap().files,
    )
    .unwrap();
    for f in ["published.json", "disclosure.json", "disclosure.md"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f}"
        );
    }
    // An existing folder is never overwritten.
    let err = write_atomically(
        &a,
        &publish(&csv, &spec, &Options::default()).unwrap().files,
    )
    .unwrap_err();
    assert_eq!(err.code.as_str(), "output_not_writable");
    std::fs::remove_dir_all(&dir).unwrap();
}

const HEADER: &str = "id,cohort,entry,first_sick_day,exit,cause,age,branch,life_goals,jump_movement,reveal,place_train,sanction,sanction_risk";

fn code_of(csv: &str) -> (String, String) {
    let spec = Spec::joining_forces().unwrap();
    let e = publish(csv, &spec, &Options::default()).unwrap_err();
    (e.code.as_str().to_string(), e.message)
}

#[test]
fn bad_inputs_give_their_codes_naming_row_and_column() {
    let good = "P1,1,2019-07-01,2019-01-01,2020-01-01,own_job,30,marine,1,0,1,0,0,low";
    let cases = [
        (
            HEADER.replace(",age", ""),
            good.replace(",30,", ","),
            "missing_column",
            "age",
        ),
        (
            HEADER.into(),
            good.replace("2019-07-01", "2019-07-32"),
            "invalid_date",
            "row 2, column entry",
        ),
        (
            HEADER.into(),
            good.replace("2020-01-01", "2019-06-01"),
            "exit_before_entry",
            "row 2, column exit",
        ),
        (
            HEADER.into(),
            good.replace("own_job", "promoted"),
            "unknown_cause",
            "row 2, column cause",
        ),
        (
            HEADER.into(),
            format!("{good}\n{good}"),
            "duplicate_id",
            "row 3, column id",
        ),
        (
            HEADER.into(),
            good.replace(",1,2019-07-01", ",3,2019-07-01"),
            "invalid_microdata_value",
            "row 2, column cohort",
        ),
        (
            HEADER.into(),
            format!("{good},extra"),
            "malformed_csv",
            "row 2",
        ),
    ];
    for (header, row, code, naming) in cases {
        let (got, message) = code_of(&format!("{header}\n{row}\n"));
        assert_eq!(got, code, "{message}");
        assert!(
            message.contains(naming),
            "{message:?} does not name {naming:?}"
        );
    }
}

#[test]
fn many_bad_rows_list_the_first_ten_and_the_count() {
    let mut csv = format!("{HEADER}\n");
    for i in 0..25 {
        csv.push_str(&format!(
            "P{i},1,2019-07-01,,2020-01-01,promoted,30,marine,1,0,1,0,0,low\n"
        ));
    }
    let (code, message) = code_of(&csv);
    assert_eq!(code, "unknown_cause");
    assert!(message.contains("25 problems, the first 10"), "{message}");
    assert!(
        message.contains("row 11,") && !message.contains("row 12,"),
        "{message}"
    );
}

#[test]
fn the_cli_writes_nothing_on_error_and_the_package_on_success() {
    let dir = std::env::temp_dir().join(format!("sibstat-publish-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!("{HEADER}\nP1,1,2019-07-01,,2019-01-01,own_job,30,marine,1,0,1,0,0,low\n"),
    )
    .unwrap();
    let out = dir.join("package");
    let run = |input: &PathBuf| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sibstat"))
            .args([
                "publish",
                input.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let r = run(&bad);
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("\"exit_before_entry\""));
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "a temporary folder was left behind"
    );
    let good = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/publish/synthetic_microdata.csv");
    let r = run(&good);
    assert_eq!(
        r.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&r.stderr)
    );
    for f in ["published.json", "disclosure.json", "disclosure.md"] {
        assert!(out.join(f).exists(), "{f}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn random_row(i: usize, v: &[u8]) -> String {
    let pick = |j: usize, options: &[&str]| options[v[j] as usize % options.len()].to_string();
    let day = |j: usize| format!("2019-{:02}-{:02}", 1 + v[j] % 12, 1 + v[j + 1] % 28);
    let later = |j: usize| format!("2020-{:02}-{:02}", 1 + v[j] % 12, 1 + v[j + 1] % 28);
    let exit = if v[6].is_multiple_of(3) {
        String::new()
    } else {
        later(7)
    };
    let cause = if exit.is_empty() && v[9].is_multiple_of(2) {
        String::new()
    } else {
        pick(
            10,
            &[
                "own_job",
                "own_job",
                "own_request",
                "iva",
                "unknown",
                "other",
            ],
        )
    };
    format!(
        "P{i},{},{},{},{exit},{cause},{},{},{},{},{},{},{},{}",
        pick(0, &["1", "2"]),
        day(1),
        if v[3].is_multiple_of(5) {
            String::new()
        } else {
            format!("2018-{:02}-{:02}", 1 + v[4] % 12, 1 + v[5] % 28)
        },
        pick(11, &["", "19", "27", "33", "41", "50", "58"]),
        pick(
            12,
            &["staff", "marechaussee", "landmacht", "luchtmacht", "marine"]
        ),
        pick(13, &["0", "1"]),
        pick(14, &["0", "1"]),
        pick(15, &["0", "1"]),
        pick(16, &["0", "1"]),
        pick(17, &["0", "0", "0", "1"]),
        pick(18, &["none", "low", "middle", "high", "unknown"]),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random microdata never panics, and a package it gives prints no count in 1..k−1
    /// and leaves no withheld count unprotected.
    #[test]
    fn random_microdata_never_publishes_a_small_cell(
        rows in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 19), 1..40),
        k in 3u64..12,
    ) {
        let mut csv = format!("{HEADER}\n");
        for (i, v) in rows.iter().enumerate() {
            csv.push_str(&random_row(i, v));
            csv.push('\n');
        }
        let spec = Spec::joining_forces().unwrap();
        if let Ok(p) = publish(&csv, &spec, &Options { cutoff: None, k: Some(k), ..Options::default() }) {
            // The report package loads and answers the report's own view (publish
            // prepared it already; a view must not fail either).
            let report = PreparedReport::from_json(
                &p.files["joining_forces.json"],
                &p.files["reconstruction.json"],
            );
            prop_assert!(report.is_ok(), "{:?}", report.err());
            let view = report.unwrap().view(&serde_json::json!({}));
            prop_assert!(view.is_ok(), "{:?}", view.err());
            let v: Value = serde_json::from_str(&p.files["published.json"]).unwrap();
            let mut all = Vec::new();
            counts(&v, "", &mut all);
            for (path, n) in &all {
                prop_assert!(*n == 0 || *n >= k, "{} = {} with k = {}", path, n, k);
            }
            prop_assert!(p.disclosure.audit.iter().all(|a| a.protected));
        }
    }
}

/// The package's report files for the synthetic microdata, prepared by the engine.
fn report_package() -> (PreparedReport, Value) {
    let spec = Spec::joining_forces().unwrap();
    let p = publish(&fixture(), &spec, &Options::default()).unwrap();
    let report = PreparedReport::from_json(
        &p.files["joining_forces.json"],
        &p.files["reconstruction.json"],
    )
    .unwrap();
    (
        report,
        serde_json::from_str(&p.files["published.json"]).unwrap(),
    )
}

/// Every view state the page offers: each named definition and custom sets, each unknown
/// policy, each cohort.
fn states(report: &PreparedReport) -> Vec<Value> {
    let package = report.package();
    let mut definitions: Vec<Value> = package["definitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| serde_json::json!({"definition": d["id"]}))
        .collect();
    definitions.push(serde_json::json!({"definition": "custom", "success_causes": []}));
    definitions.push(serde_json::json!({"definition": "custom", "success_causes": ["own_job"]}));
    let mut out = Vec::new();
    for d in &definitions {
        for unknown in ["exclude", "success", "failure"] {
            for cohort in ["1", "2", "all"] {
                let mut s = d.clone();
                s["unknown"] = serde_json::json!(unknown);
                s["cohort"] = serde_json::json!(cohort);
                out.push(s);
            }
        }
    }
    out
}

#[test]
fn the_report_package_answers_every_view_with_withheld_cells_as_null() {
    let (report, published) = report_package();
    let all = states(&report);
    assert_eq!(
        all.len(),
        (report.package()["definitions"].as_array().unwrap().len() + 2) * 9
    );
    for state in &all {
        let r = report
            .view(state)
            .unwrap_or_else(|e| panic!("{state}: {e:?}"));
        // Table 3.2's causes as published: withheld counts are null with their rule,
        // printed ones equal the published numbers.
        for cause in r["causes"].as_array().unwrap() {
            let id = cause["id"].as_str().unwrap();
            for col in ["cohort1", "cohort2", "all"] {
                let printed = cell(&published, "t3_2", "cause", id, col);
                assert_eq!(cause["counts"][col].as_u64(), printed, "{id} {col}");
                assert_eq!(
                    cause["withheld"].get(col).is_some(),
                    printed.is_none(),
                    "{id} {col}"
                );
            }
        }
        // A number not computed says why (typed), never a NaN or a silent zero.
        let codes: Vec<&str> = r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap())
            .collect();
        if r["metrics"]["outflow.success_share"].is_null() {
            assert!(
                codes.contains(&"withheld_cells") || codes.contains(&"empty_base"),
                "{state}"
            );
        }
        if r["duration"].is_null() {
            assert!(codes.contains(&"duration_unavailable"), "{state}");
        }
    }
}

/// The default spec with table 3.2's block of the effect measurement (success, failure,
/// unknown cause), which the report reads when a cause's count is withheld.
fn spec_with_effect_block() -> Spec {
    let mut spec: Value = serde_json::from_str(sibstat_publish::spec::JOINING_FORCES_SPEC).unwrap();
    let t3_2 = spec["tables"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["id"] == "t3_2")
        .unwrap();
    t3_2["blocks"].as_array_mut().unwrap().push(serde_json::json!({
        "id": "effect", "label": "Indien uitstroom: effectmeting", "kind": "partition",
        "variable": "cause", "within": "outflow.yes", "total": true, "definition": "effect",
        "rows": [
            {"id": "success", "label": "Succesvol", "values": ["own_job", "elsewhere_defence", "outside_defence"]},
            {"id": "failure", "label": "Niet succesvol", "values": ["sickness_benefit", "own_request", "iva", "other"]},
            {"id": "unknown", "label": "Oorzaak onbekend", "values": ["unknown"]}
        ]
    }));
    Spec::from_json(&spec.to_string()).unwrap()
}

#[test]
fn the_effect_block_keeps_the_success_share_where_causes_are_withheld() {
    let p = publish(&fixture(), &spec_with_effect_block(), &Options::default()).unwrap();
    let report = PreparedReport::from_json(
        &p.files["joining_forces.json"],
        &p.files["reconstruction.json"],
    )
    .unwrap();
    let published: Value = serde_json::from_str(&p.files["published.json"]).unwrap();
    // The block is counted from the rows like every table (and audited like them).
    let rows_all = rows(&fixture());
    for (row, causes) in [
        (
            "success",
            &["own_job", "elsewhere_defence", "outside_defence"][..],
        ),
        (
            "failure",
            &["sickness_benefit", "own_request", "iva", "other"][..],
        ),
        ("unknown", &["unknown"][..]),
    ] {
        for col in ["cohort1", "cohort2", "all"] {
            let expected = rows_all
                .iter()
                .filter(|r| col == "all" || format!("cohort{}", r["cohort"]) == col)
                .filter(|r| causes.contains(&r["cause"].as_str()))
                .count() as u64;
            if let Some(got) = cell(&published, "t3_2", "effect", row, col) {
                assert_eq!(got, expected, "effect.{row}.{col}");
            }
        }
    }
    assert!(p.disclosure.audit.iter().all(|a| a.protected));
    // Cohort 1 from the rows: successes and failures among the known-cause outflow.
    let rows = rows(&fixture());
    let cohort1 = |causes: &[&str]| {
        rows.iter()
            .filter(|r| r["cohort"] == "1" && causes.contains(&r["cause"].as_str()))
            .count() as f64
    };
    let successes = cohort1(&["own_job", "elsewhere_defence", "outside_defence"]);
    let failures = cohort1(&["sickness_benefit", "own_request", "iva", "other"]);
    let r = report.view(&serde_json::json!({"cohort": "1"})).unwrap();
    assert_eq!(
        r["metrics"]["outflow.success_share"].as_f64().unwrap(),
        successes / (successes + failures)
    );
    // Its causes are withheld in part: the share came from the block.
    let causes = r["causes"].as_array().unwrap();
    assert!(causes.iter().any(|c| c["counts"]["cohort1"].is_null()));
    // The price: with the block's failures printed, the 2 failures of unknown moment
    // of cohort 1 would follow from the duration rows, so a duration count is withheld
    // and cohort 1's curve is not drawn (the default spec keeps the curve instead).
    assert!(r["duration"].is_null());
    // Without a duration section the view gets none of its fixed parts back; with one
    // (every cohort) it does: the view without its fixed parts, put back, is the view.
    for state in [serde_json::json!({"cohort": "1"}), serde_json::json!({})] {
        let mut only = report.view_only(&state).unwrap();
        sibstat_report::with_fixed_parts(&mut only, report.fixed_parts());
        assert_eq!(only, report.view(&state).unwrap(), "{state}");
    }
    // The same causes ticked by hand are the same definition: the same share.
    let custom = serde_json::json!({"cohort": "1", "definition": "custom",
        "success_causes": ["own_job", "elsewhere_defence", "outside_defence"]});
    let r = report.view(&custom).unwrap();
    assert_eq!(
        r["metrics"]["outflow.success_share"].as_f64().unwrap(),
        successes / (successes + failures)
    );
}

#[test]
fn published_duration_rows_are_the_survival_data_of_the_duration_section() {
    let (report, published) = report_package();
    // Cohort 1 under the report's own definition: the groups are the definition's.
    let r = report.view(&serde_json::json!({"cohort": "1"})).unwrap();
    let d = &r["duration"];
    assert_eq!(d["tier"], "derived");
    assert_eq!(d["source"], "published_rows");
    let steps = published["duration"]["cohorts"][0]["steps"]
        .as_array()
        .unwrap();
    // Expanded from the steps here: events at the middle of the step's last month,
    // censorings at its end.
    let (mut time, mut status, mut count) = (Vec::new(), Vec::<u8>::new(), Vec::new());
    for s in steps {
        let end = s["to_month"].as_f64().unwrap();
        for (st, n, t) in [
            (1, s["events"]["success"].as_f64().unwrap(), end - 0.5),
            (2, s["events"]["other"].as_f64().unwrap(), end - 0.5),
            (0, s["censored"].as_f64().unwrap(), end),
        ] {
            if n > 0.0 {
                time.push(t);
                status.push(st);
                count.push(n);
            }
        }
    }
    assert_eq!(d["rows"]["time"], serde_json::json!(time));
    assert_eq!(d["rows"]["status"], serde_json::json!(status));
    assert_eq!(d["rows"]["count"], serde_json::json!(count));
    assert_eq!(
        d["participants"].as_f64().unwrap(),
        count.iter().sum::<f64>()
    );
    // The success curve jumps only at the ends of the pooled steps: nothing finer.
    let curve = &d["cumulative_incidence"]["result"]["curves"][0];
    let jumps = common::f64s(&curve["time"]);
    for t in jumps.iter().filter(|&&t| t > 0.0) {
        assert!(
            time.contains(t),
            "a jump at {t} months is not the end of a published step"
        );
    }
    // A definition that counts causes of one group apart cannot use the rows: said so.
    let r = report
        .view(&serde_json::json!({"cohort": "1", "definition": "result"}))
        .unwrap();
    assert!(r["duration"].is_null());
    let w = warning(&r, "duration_unavailable");
    assert!(
        w["message"].as_str().unwrap().contains("together as group"),
        "{w}"
    );
    // Cohort 2 has a withheld group count: its curve is not drawn, and the view says why.
    let r = report.view(&serde_json::json!({"cohort": "2"})).unwrap();
    assert!(r["duration"].is_null());
    let w = warning(&r, "duration_unavailable");
    assert!(
        w["message"]
            .as_str()
            .unwrap()
            .contains("withheld by the publisher"),
        "{w}"
    );
}

/// The package in tests/fixtures/publish/package/ (served by the browser tests of the
/// report page) is exactly what `sibstat publish` writes for the synthetic microdata.
/// Regenerate it with `sibstat publish tests/fixtures/publish/synthetic_microdata.csv
/// --out tests/fixtures/publish/package` (after removing the folder).
#[test]
fn the_fixture_package_is_what_publish_writes() {
    let spec = Spec::joining_forces().unwrap();
    let p = publish(&fixture(), &spec, &Options::default()).unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/publish/package");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, p.files.keys().cloned().collect::<Vec<_>>());
    for (name, text) in &p.files {
        let stored = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(
            stored == *text,
            "{name} differs from what sibstat publish writes: regenerate the fixture"
        );
    }
}
