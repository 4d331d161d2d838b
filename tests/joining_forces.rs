//! The Joining Forces data file: the loader, the success definitions and the
//! reconciliation, checked against the report (SEO, 19 January 2022, chapter 3) and
//! against hand computations shown in the comments.
// Native tests (fixtures from disk, proptest); the WASM tests are tests/wasm.rs.
#![cfg(not(target_arch = "wasm32"))]
// References are quoted with all 17 digits R prints.
#![allow(clippy::excessive_precision)]

mod common;

use serde_json::{json, Value};
use sibstat::joining_forces::{
    self, compare_proportions, reconcile, test_against, Base, Binomial, Check, Dataset,
    DefinitionRequest, DefinitionState, Tier, UnknownPolicy,
};
use sibstat::Code;

fn data() -> Dataset {
    joining_forces::published().expect("the shipped data file loads")
}

fn raw() -> Value {
    serde_json::from_str(joining_forces::PUBLISHED_JSON).unwrap()
}

/// Loads a modified copy of the shipped file and returns the error.
fn rejected(modify: impl FnOnce(&mut Value)) -> sibstat::Error {
    let mut value = raw();
    modify(&mut value);
    Dataset::from_json(&value.to_string()).expect_err("the modified file must be rejected")
}

fn assert_invalid(error: &sibstat::Error, fragments: &[&str]) {
    assert_eq!(error.code, Code::InvalidDataFile, "{error}");
    for fragment in fragments {
        assert!(
            error.message.contains(fragment),
            "the message {:?} should contain {fragment:?}",
            error.message
        );
    }
}

// ---------------------------------------------------------------------------------
// The loader
// ---------------------------------------------------------------------------------

#[test]
fn shipped_file_loads_with_every_number_sourced() {
    let d = data();
    assert_eq!(d.tables.len(), 3); // 3.1, 3.2, 3.4
    assert_eq!(d.models.len(), 2); // 3.3, 3.5
                                   // Table cells: 3.1: (6+1+5+5+5) rows x 3 columns x 2 = 132; 3.2: (2+1+8+1) x 3 x 2 = 72;
                                   // 3.4: (2+1+5+1) x 4 x 2 = 72. Model cells: 3.3: 14 + 1 n_obs = 15; 3.5: 9 x 4 = 36
                                   // less 6 cells printed "-" = 30, + 4 n_obs = 34. Text numbers: 46.
    assert_eq!(d.entries().count(), 132 + 72 + 72 + 15 + 34 + 46);
    for entry in d.entries() {
        assert!(
            entry.source.page >= Some(1) && entry.source.line >= Some(1),
            "{}",
            entry.id
        );
        assert!(entry.value.is_finite(), "{}", entry.id);
    }
    // Only the exclusions of the duration analysis (24 + 33) are derived.
    let derived: Vec<&str> = d
        .entries()
        .filter(|e| e.tier != Tier::Published)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(derived, ["box1.duration_excluded"]);
}

#[test]
fn cells_carry_table_row_column_page_and_line() {
    let d = data();
    let e = d.get("t3_2.cause.own_job.cohort1.count").unwrap();
    assert_eq!(e.value, 116.0);
    assert_eq!(e.source.table.as_deref(), Some("3.2"));
    assert_eq!(e.source.page, Some(15));
    assert_eq!(e.source.line, Some(1077));
    assert!(e.source.row.as_deref().unwrap().contains("eigen werk"));
    assert!(e
        .source
        .column
        .as_deref()
        .unwrap()
        .contains("Cohort jaar 1"));
    let age = d.get("t3_3.age.success_1y").unwrap();
    assert_eq!((age.value, age.stars), (-4.0, 2));
    // A cell printed "-" is not a number.
    assert!(d.get("t3_5.branch_marine.cohort2").is_none());
    assert_eq!(d.value("t3_5.n_obs.cohort2"), Some(80.0));
    assert_eq!(d.value("box1.duration_analysis_n"), Some(393.0));
}

#[test]
fn loader_rejects_a_wrong_tier() {
    let e = rejected(|v| v["numbers"][0]["tier"] = json!("guessed"));
    assert_invalid(
        &e,
        &[
            "numbers[0] (id \"fn10.registered\")",
            "unknown variant `guessed`",
        ],
    );
}

#[test]
fn loader_rejects_a_missing_source() {
    let e = rejected(|v| {
        v["numbers"][2].as_object_mut().unwrap().remove("source");
    });
    assert_invalid(
        &e,
        &["numbers[2] (id \"fn10.discharge_before_start\")", "source"],
    );
}

#[test]
fn loader_rejects_a_source_that_names_no_table_section_box_figure_or_footnote() {
    let e = rejected(|v| v["numbers"][0]["source"] = json!({"page": 12, "line": 917}));
    assert_invalid(&e, &["numbers[0]", "must name a table"]);
}

#[test]
fn loader_rejects_a_non_numeric_value() {
    let e = rejected(|v| v["numbers"][0]["value"] = json!("527"));
    assert_invalid(&e, &["numbers[0] (id \"fn10.registered\")", "invalid type"]);
    let e = rejected(|v| v["numbers"][0]["value"] = Value::Null);
    assert_invalid(&e, &["numbers[0]"]);
}

#[test]
fn loader_rejects_a_non_numeric_table_cell_naming_its_path() {
    let e = rejected(|v| {
        v["tables"][1]["blocks"][1]["rows"][0]["cells"]["cohort1"]["count"] = json!("116")
    });
    assert_invalid(
        &e,
        &[
            "tables[1] (id \"t3_2\").blocks[1] (id \"cause\").rows[0] (id \"own_job\")",
            "invalid type",
        ],
    );
}

#[test]
fn loader_rejects_a_fractional_count_and_a_percentage_over_100() {
    let e = rejected(|v| {
        v["tables"][0]["blocks"][0]["rows"][0]["cells"]["all"]["count"] = json!(159.5)
    });
    assert_invalid(
        &e,
        &["rows[0] (id \"18_24\").cells.all.count", "whole number"],
    );
    let e = rejected(|v| {
        v["tables"][0]["blocks"][0]["rows"][0]["cells"]["all"]["percent"] = json!(135)
    });
    assert_invalid(&e, &["cells.all.percent", "[0, 100]"]);
    let e = rejected(|v| v["numbers"][0]["value"] = json!(-1));
    assert_invalid(&e, &["numbers[0]", "non-negative"]);
}

#[test]
fn loader_rejects_a_count_too_large_to_add_safely() {
    let e = rejected(|v| {
        v["tables"][1]["blocks"][1]["rows"][0]["cells"]["cohort1"]["count"] = json!(1e20)
    });
    assert_invalid(
        &e,
        &["rows[0] (id \"own_job\").cells.cohort1.count", "up to 1e12"],
    );
}

#[test]
fn loader_rejects_a_missing_cell() {
    let e = rejected(|v| {
        v["tables"][2]["blocks"][0]["rows"][1]["cells"]
            .as_object_mut()
            .unwrap()
            .remove("min2y");
    });
    assert_invalid(
        &e,
        &[
            "tables[2] (id \"t3_4\")",
            "rows[1] (id \"yes\")",
            "no cell for column \"min2y\"",
        ],
    );
}

#[test]
fn loader_rejects_duplicate_ids() {
    let e = rejected(|v| v["numbers"][1]["id"] = json!("fn10.registered"));
    assert_invalid(&e, &["numbers[1]", "duplicate id \"fn10.registered\""]);
    // A text number may not take the id of a table cell either.
    let e = rejected(|v| v["numbers"][1]["id"] = json!("t3_2.cause.own_job.cohort1.count"));
    assert_invalid(&e, &["duplicate id \"t3_2.cause.own_job.cohort1.count\""]);
    let e = rejected(|v| v["tables"][1]["blocks"][1]["rows"][1]["id"] = json!("own_job"));
    assert_invalid(&e, &["rows[1]", "duplicate row id \"own_job\""]);
}

#[test]
fn loader_rejects_a_malformed_marginal_effect() {
    let e = rejected(|v| v["models"][0]["rows"][0]["cells"]["success_1y"] = json!("-4%****"));
    assert_invalid(
        &e,
        &[
            "models[0] (id \"t3_3\").rows[0] (id \"age\").cells.success_1y",
            "-4%****",
        ],
    );
    let e = rejected(|v| v["models"][0]["rows"][0]["cells"]["success_1y"] = json!("four"));
    assert_invalid(&e, &["models[0]"]);
}

#[test]
fn loader_rejects_a_relation_that_names_no_number() {
    let e = rejected(|v| v["relations"][0]["equals"] = json!("fn10.nothing"));
    assert_invalid(
        &e,
        &[
            "relations[0] (id \"fn10.flow\")",
            "\"fn10.nothing\" names no number",
        ],
    );
    let e = rejected(|v| v["relations"][0]["kind"] = json!("product"));
    assert_invalid(&e, &["relations[0]", "unknown variant `product`"]);
}

#[test]
fn loader_rejects_unknown_keys_bad_versions_and_non_json() {
    let e = rejected(|v| v["numbers"][0]["valeu"] = json!(1));
    assert_invalid(&e, &["numbers[0]", "unknown field `valeu`"]);
    let e = rejected(|v| v["extra"] = json!(1));
    assert_invalid(&e, &["(root)", "unknown key \"extra\""]);
    let e = rejected(|v| v["schema_version"] = json!(1));
    assert_invalid(&e, &["schema_version", "version 2"]);
    let e = Dataset::from_json("{\"schema_version\": 1,").unwrap_err();
    assert_invalid(&e, &["not valid JSON"]);
    let e = Dataset::from_json("[1, 2]").unwrap_err();
    assert_invalid(&e, &["(root)", "object"]);
}

/// The package's ids are checked against the tables when the file loads, each error
/// naming the path of the bad entry.
#[test]
fn loader_rejects_a_package_that_does_not_match_its_tables() {
    let e = rejected(|v| v["package"]["definitions"][0]["success"][0] = json!("own_jobs"));
    assert_invalid(
        &e,
        &["package.definitions[0] (id \"effect\")", "\"own_jobs\""],
    );
    let e = rejected(|v| v["package"]["definitions"][1]["success"][0] = json!("unknown"));
    assert_invalid(
        &e,
        &[
            "package.definitions[1] (id \"result\")",
            "not a known cause",
        ],
    );
    let e = rejected(|v| v["package"]["cohorts"][1]["id"] = json!("cohort3"));
    assert_invalid(
        &e,
        &["package.cohorts", "\"cohort3\" is no column of table t3_2"],
    );
    let e = rejected(|v| v["package"]["cohorts"][1]["key"] = json!("1"));
    assert_invalid(&e, &["package.cohorts (keys)", "duplicate id \"1\""]);
    let e = rejected(|v| {
        v["package"]["causes"].as_array_mut().unwrap().swap(0, 1);
    });
    assert_invalid(
        &e,
        &["package.causes", "in its order: own_job, elsewhere_defence"],
    );
    let e = rejected(|v| v["package"]["payment_definition"] = json!("payment"));
    assert_invalid(&e, &["package.payment_definition", "\"payment\""]);
    let e = rejected(|v| v["package"]["layout"]["numbers"]["target_2y"] = json!("box1.target"));
    assert_invalid(&e, &["package.layout.numbers.target_2y", "\"box1.target\""]);
    let e = rejected(|v| v["package"]["layout"]["sanctions"]["columns"][3] = json!("min3y"));
    assert_invalid(&e, &["package.layout.sanctions.columns[3]", "\"min3y\""]);
    let e = rejected(|v| {
        v["package"]["layout"]["sickness_duration"]["bands"][0]["to_months"] = json!(-1)
    });
    assert_invalid(&e, &["package.layout.sickness_duration.bands[0]"]);
    let e = rejected(|v| v["package"]["definitions"][0]["id"] = json!("custom"));
    assert_invalid(&e, &["package.definitions[0]", "reserved"]);
}

#[test]
fn loader_never_panics_on_truncated_or_mangled_files() {
    let text = joining_forces::PUBLISHED_JSON;
    for cut in (0..text.len()).step_by(211) {
        if text.is_char_boundary(cut) {
            assert!(Dataset::from_json(&text[..cut]).is_err());
        }
    }
    // Every scalar replaced by a string, one at a time, in the first table.
    let value = raw();
    let row = &value["tables"][0]["blocks"][0]["rows"][0];
    for key in ["id", "label", "line", "cells"] {
        let mut v = value.clone();
        v["tables"][0]["blocks"][0]["rows"][0][key] = json!(["?"]);
        assert!(Dataset::from_value(&v).is_err(), "{key}: {row}");
    }
}

// ---------------------------------------------------------------------------------
// The reconciliation
// ---------------------------------------------------------------------------------

/// Every mismatch of the report that the reconciliation finds, with its size. Hand
/// checks:
/// - Table 3.2, column "all": 183/450 = 40.67% printed 47%; 267/450 = 59.33% printed 53%.
/// - Table 3.4, "minimaal 2 jaar ziek": 225 + 25 = 250, printed total 253; 225/253 =
///   88.93% printed 90% (25/253 = 9.88% printed 10% is within rounding).
/// - Footnote 10: 527 − 74 − 8 = 445, but 450 analysed.
/// - Table 3.1, note a: 3 + 2 = 5 explained, 7 unknown in the table.
/// - Section 3.2: "59 procent" and "3 procent" for cohort 1's outflow; table 3.2
///   cohort 1 prints 55% and 4% (the text took the 'all' column; its 14% is cohort 1).
/// - Section 3.2: the age effect "bij 90 procent zekerheid", table 3.3 prints ** (95%).
/// - Figure 3.2: 41% successful at the median (just under one year) exceeds the
///   ≈40% at one year, though a cumulative incidence cannot decrease (both approximate).
#[test]
fn reconciliation_lists_exactly_the_known_inconsistencies() {
    let r = reconcile(&data());
    let found: Vec<(&str, Check, f64, f64)> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.id.as_str(),
                f.check,
                f.printed,
                (f.computed * 100.0).round() / 100.0,
            )
        })
        .collect();
    let expected = vec![
        (
            "t3_2.outflow.none.all.percent",
            Check::PercentOfBase,
            47.0,
            40.67,
        ),
        (
            "t3_2.outflow.yes.all.percent",
            Check::PercentOfBase,
            53.0,
            59.33,
        ),
        (
            "t3_4.sanction.none.min2y.percent",
            Check::PercentOfBase,
            90.0,
            88.93,
        ),
        (
            "t3_4.sanction.total.min2y.count",
            Check::RowsSumToTotal,
            253.0,
            250.0,
        ),
        ("fn10.flow", Check::Sum, 450.0, 445.0),
        ("t3_1.note_a", Check::Sum, 7.0, 5.0),
        ("sec3_2.own_job", Check::Equal, 59.0, 55.0),
        ("sec3_2.elsewhere_defence", Check::Equal, 3.0, 4.0),
        ("sec3_2.age_stars", Check::Stars, 90.0, 95.0),
        ("fig3_2.monotone_success", Check::AtMost, 41.0, 40.0),
    ];
    assert_eq!(found, expected);
    // Sizes (printed − computed) and locations.
    let size = |id: &str| r.findings.iter().find(|f| f.id == id).unwrap();
    assert!((size("t3_2.outflow.none.all.percent").difference - 19.0 / 3.0).abs() < 1e-9);
    assert!(
        (size("t3_4.sanction.none.min2y.percent").difference - (90.0 - 22500.0 / 253.0)).abs()
            < 1e-9
    );
    assert_eq!(size("t3_4.sanction.total.min2y.count").difference, 3.0);
    assert_eq!(size("fn10.flow").difference, 5.0);
    assert!(size("t3_2.outflow.none.all.percent")
        .location
        .contains("p. 15, line 1067"));
    assert!(size("fig3_2.monotone_success").approx);
    assert!(!size("fn10.flow").approx);
}

#[test]
fn each_table_adds_up_except_for_the_listed_mismatches() {
    let d = data();
    let r = reconcile(&d);
    // Every percentage, total and column sum of tables 3.1, 3.2 and 3.4 was checked:
    // shares (3.1: 21 rows x 3; 3.2: 10 x 3; 3.4: 7 x 4) = 121, total rows' 100% (3.1: 1
    // total x 3, 3.2: 2 x 3, 3.4: 2 x 4) = 17, row sums (3.1: 3 partition blocks x 3;
    // 3.2: 2 x 3; 3.4: 2 x 4) = 23, causes' total = outflow (3), cohort columns (3.1:
    // 21 rows + 1 total, 3.2: 10 + 2, 3.4: 7 + 2) = 43; and 35 relations.
    assert_eq!(r.checks, 121 + 17 + 23 + 3 + 43 + 35);
    let table_findings: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.id.starts_with("t3_") && f.id.matches('.').count() == 4)
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(
        table_findings,
        [
            "t3_2.outflow.none.all.percent",
            "t3_2.outflow.yes.all.percent",
            "t3_4.sanction.none.min2y.percent",
            "t3_4.sanction.total.min2y.count",
        ]
    );
    // Hand sums of the tables that do add up. Table 3.2, causes, cohort 1:
    // 116 + 9 + 5 + 7 + 30 + 2 + 10 + 31 = 210 = the outflow row.
    let causes: u64 = d
        .package
        .causes
        .iter()
        .map(|c| {
            d.count(&format!("t3_2.cause.{}.cohort1.count", c.id))
                .unwrap()
        })
        .sum();
    assert_eq!(causes, 210);
    assert_eq!(d.count("t3_2.outflow.yes.cohort1.count").unwrap(), 210);
    // Table 3.4, risk, min2y (with the row 'Geen' read as no risk): 2 + 40 + 91 + 116 + 4 = 253.
    let risk: u64 = ["none", "low", "medium", "high", "unknown"]
        .iter()
        .map(|r| d.count(&format!("t3_4.risk.{r}.min2y.count")).unwrap())
        .sum();
    assert_eq!(risk, 253);
}

#[test]
fn reconciliation_catches_a_changed_count() {
    let mut v = raw();
    // Cohort 2, own job: 41 -> 42 breaks the row sum, the column sum and the share.
    v["tables"][1]["blocks"][1]["rows"][0]["cells"]["cohort2"]["count"] = json!(42);
    let r = reconcile(&Dataset::from_value(&v).unwrap());
    let ids: Vec<(&str, Check)> = r
        .findings
        .iter()
        .filter(|f| f.id.contains("cause"))
        .map(|f| (f.id.as_str(), f.check))
        .collect();
    assert!(ids.contains(&("t3_2.cause.total.cohort2.count", Check::RowsSumToTotal)));
    assert!(ids.contains(&("t3_2.cause.own_job.all.count", Check::ColumnsSumToTotal)));
}

// ---------------------------------------------------------------------------------
// Definitions: hand-computed counts per definition x unknown policy x cohort
// ---------------------------------------------------------------------------------
//
// Table 3.2 (cohort 1 / cohort 2 / all):
//   own job 116 / 41 / 157, elsewhere in Defence 9 / 0 / 9, outside Defence 5 / 0 / 5,
//   ZW 7 / 2 / 9, own request 30 / 10 / 40, IVA 2 / 0 / 2, other 10 / 2 / 12,
//   unknown 31 / 2 / 33; outflow 210 / 57 / 267; participants 281 / 169 / 450.
// Effect successes: 116+9+5 = 130, 41+0+0 = 41, 157+9+5 = 171.
// Effect known failures: 7+30+2+10 = 49, 2+10+0+2 = 14, 9+40+2+12 = 63.
// Result successes (+ IVA): 132, 41, 173; result known failures: 47, 14, 61.

/// (cohort, successes, outflow trials, participant trials)
type Expected = [(&'static str, u64, u64, u64); 3];

fn state(definition: &str, unknown: &str) -> DefinitionState {
    let request: DefinitionRequest =
        serde_json::from_value(json!({"definition": definition, "unknown": unknown})).unwrap();
    DefinitionState::from_request(&data().package, request).unwrap()
}

fn from_request(request: Value) -> Result<DefinitionState, sibstat::Error> {
    let request: DefinitionRequest = serde_json::from_value(request).unwrap();
    DefinitionState::from_request(&data().package, request)
}

fn assert_outcomes(s: &DefinitionState, expected: Expected) {
    let d = data();
    let got = joining_forces::outcomes(&d, s).unwrap();
    for (o, (cohort, successes, outflow_trials, participant_trials)) in got.iter().zip(expected) {
        assert_eq!(o.cohort, cohort);
        assert_eq!(
            (o.among_outflow.successes, o.among_outflow.trials),
            (successes, outflow_trials),
            "{cohort:?} among the outflow"
        );
        assert_eq!(
            (o.among_participants.successes, o.among_participants.trials),
            (successes, participant_trials),
            "{cohort:?} among the participants"
        );
        let share = o.among_outflow.share().unwrap();
        assert!((share - successes as f64 / outflow_trials as f64).abs() < 1e-15);
    }
}

#[test]
fn effect_measurement_unknown_excluded() {
    // Unknown left out: outflow base 130+49 = 179, 41+14 = 55, 171+63 = 234;
    // participant base 281−31 = 250, 169−2 = 167, 450−33 = 417.
    // Shares: 130/179 = 72.6%, 41/55 = 74.5%, 171/234 = 73.1%; 52.0%, 24.6%, 41.0%.
    assert_outcomes(
        &state("effect", "exclude"),
        [
            ("cohort1", 130, 179, 250),
            ("cohort2", 41, 55, 167),
            ("all", 171, 234, 417),
        ],
    );
}

#[test]
fn effect_measurement_unknown_as_success() {
    // Successes 130+31 = 161, 41+2 = 43, 171+33 = 204 of 210 / 57 / 267 outflows and
    // 281 / 169 / 450 participants: 76.7%, 75.4%, 76.4%; 57.3%, 25.4%, 45.3%.
    assert_outcomes(
        &state("effect", "success"),
        [
            ("cohort1", 161, 210, 281),
            ("cohort2", 43, 57, 169),
            ("all", 204, 267, 450),
        ],
    );
}

#[test]
fn effect_measurement_unknown_as_failure() {
    // 130/210 = 61.9%, 41/57 = 71.9%, 171/267 = 64.0%; 130/281 = 46.3%, 41/169 = 24.3%, 171/450 = 38.0%.
    assert_outcomes(
        &state("effect", "failure"),
        [
            ("cohort1", 130, 210, 281),
            ("cohort2", 41, 57, 169),
            ("all", 171, 267, 450),
        ],
    );
}

#[test]
fn result_measurement_unknown_excluded() {
    // IVA (2 / 0 / 2) moves to success: 132/179 = 73.7%, 41/55 = 74.5%, 173/234 = 73.9%;
    // 132/250 = 52.8%, 41/167 = 24.6%, 173/417 = 41.5%.
    assert_outcomes(
        &state("result", "exclude"),
        [
            ("cohort1", 132, 179, 250),
            ("cohort2", 41, 55, 167),
            ("all", 173, 234, 417),
        ],
    );
}

#[test]
fn result_measurement_unknown_as_success() {
    // 132+31 = 163, 41+2 = 43, 173+33 = 206.
    assert_outcomes(
        &state("result", "success"),
        [
            ("cohort1", 163, 210, 281),
            ("cohort2", 43, 57, 169),
            ("all", 206, 267, 450),
        ],
    );
}

#[test]
fn result_measurement_unknown_as_failure() {
    assert_outcomes(
        &state("result", "failure"),
        [
            ("cohort1", 132, 210, 281),
            ("cohort2", 41, 57, 169),
            ("all", 173, 267, 450),
        ],
    );
}

fn custom(success: Vec<&str>, excluded: Vec<&str>, unknown: UnknownPolicy) -> DefinitionState {
    let ids = |v: Vec<&str>| v.into_iter().map(String::from).collect::<Vec<_>>();
    DefinitionState::custom(&data().package, &ids(success), &ids(excluded), unknown).unwrap()
}

#[test]
fn custom_own_job_only_with_each_unknown_policy() {
    // Success = own job only: 116 / 41 / 157. Known failures = the other known causes:
    // 210−116−31 = 63, 57−41−2 = 14, 267−157−33 = 77.
    let own_job = || vec!["own_job"];
    // Exclude: outflow base 116+63 = 179, 41+14 = 55, 157+77 = 234; participants 250 / 167 / 417.
    assert_outcomes(
        &custom(own_job(), vec![], UnknownPolicy::Exclude),
        [
            ("cohort1", 116, 179, 250),
            ("cohort2", 41, 55, 167),
            ("all", 157, 234, 417),
        ],
    );
    // As success: 116+31 = 147, 41+2 = 43, 157+33 = 190.
    assert_outcomes(
        &custom(own_job(), vec![], UnknownPolicy::Success),
        [
            ("cohort1", 147, 210, 281),
            ("cohort2", 43, 57, 169),
            ("all", 190, 267, 450),
        ],
    );
    // As failure.
    assert_outcomes(
        &custom(own_job(), vec![], UnknownPolicy::Failure),
        [
            ("cohort1", 116, 210, 281),
            ("cohort2", 41, 57, 169),
            ("all", 157, 267, 450),
        ],
    );
}

#[test]
fn custom_with_excluded_causes_with_each_unknown_policy() {
    // Result measurement, but those who left at their own request (30 / 10 / 40) and
    // "other" (10 / 2 / 12: age, death, dismissal) left out.
    // Successes 132 / 41 / 173; known failures: ZW only, 7 / 2 / 9.
    let s = || vec!["own_job", "elsewhere_defence", "outside_defence", "iva"];
    let x = || vec!["own_request", "other"];
    // Exclude: outflow base 132+7 = 139, 41+2 = 43, 173+9 = 182;
    // participants 281−40−31 = 210, 169−12−2 = 155, 450−52−33 = 365.
    assert_outcomes(
        &custom(s(), x(), UnknownPolicy::Exclude),
        [
            ("cohort1", 132, 139, 210),
            ("cohort2", 41, 43, 155),
            ("all", 173, 182, 365),
        ],
    );
    // Unknown as success: 163 of 139+31 = 170, 43 of 45, 206 of 215; participants 281−40 = 241, 157, 398.
    assert_outcomes(
        &custom(s(), x(), UnknownPolicy::Success),
        [
            ("cohort1", 163, 170, 241),
            ("cohort2", 43, 45, 157),
            ("all", 206, 215, 398),
        ],
    );
    // Unknown as failure: 132 of 170, 41 of 45, 173 of 215.
    assert_outcomes(
        &custom(s(), x(), UnknownPolicy::Failure),
        [
            ("cohort1", 132, 170, 241),
            ("cohort2", 41, 45, 157),
            ("all", 173, 215, 398),
        ],
    );
}

#[test]
fn custom_set_equal_to_a_named_definition_gives_its_numbers() {
    let d = data();
    for unknown in [
        UnknownPolicy::Exclude,
        UnknownPolicy::Success,
        UnknownPolicy::Failure,
    ] {
        let result = DefinitionState::named(&d.package, "result", unknown).unwrap();
        let same = custom(
            vec!["own_job", "elsewhere_defence", "outside_defence", "iva"],
            vec![],
            unknown,
        );
        let a = joining_forces::outcomes(&d, &result).unwrap();
        let b = joining_forces::outcomes(&d, &same).unwrap();
        assert_eq!(a, b);
    }
}

#[test]
fn all_column_equals_the_sum_of_the_cohorts_under_every_definition() {
    let d = data();
    for def in ["effect", "result"] {
        for unknown in ["exclude", "success", "failure"] {
            let o = joining_forces::outcomes(&d, &state(def, unknown)).unwrap();
            for base in [Base::Outflow, Base::Participants] {
                let (c1, c2, all) = (
                    o[0].binomial(base),
                    o[1].binomial(base),
                    o[2].binomial(base),
                );
                assert_eq!(c1.successes + c2.successes, all.successes);
                assert_eq!(c1.trials + c2.trials, all.trials);
            }
        }
    }
}

#[test]
fn custom_definition_may_not_place_the_unknown_cause() {
    let e = from_request(json!({"definition": "custom", "success": ["unknown"]})).unwrap_err();
    assert_eq!(e.code, Code::InvalidDefinition);
    let e = from_request(json!({"definition": "custom", "success": ["iva"], "excluded": ["iva"]}))
        .unwrap_err();
    assert_eq!(e.code, Code::InvalidDefinition);
    let e = from_request(json!({"definition": "effect", "success": ["iva"]})).unwrap_err();
    assert_eq!(e.code, Code::InvalidDefinition);
    let e = from_request(json!({"definition": "payment"})).unwrap_err();
    assert_eq!(e.code, Code::InvalidOption);
    // A cause the package does not have names the causes it has.
    let e = from_request(json!({"definition": "custom", "success": ["job"]})).unwrap_err();
    assert_eq!(e.code, Code::InvalidDefinition);
    assert!(
        e.message.contains("\"job\"") && e.message.contains("own_job"),
        "{}",
        e.message
    );
}

// ---------------------------------------------------------------------------------
// Tests and comparisons: reference values from R 4.2.2, options(digits = 17)
// ---------------------------------------------------------------------------------

#[test]
fn cohort_difference_agrees_with_r_prop_test_and_fisher_test() {
    // prop.test(c(130, 41), c(179, 55), correct = FALSE): X-squared = 0.078811044879847927,
    // p = 0.7789151581269611; fisher.test(matrix(c(130, 49, 41, 14), 2)): p = 0.86293633338842224.
    let t = compare_proportions(
        Binomial::new(130, 179).unwrap(),
        Binomial::new(41, 55).unwrap(),
        0.95,
    )
    .unwrap();
    assert!(common::close(
        t.chi_square.unwrap(),
        0.078_811_044_879_847_927
    ));
    assert!(common::close(t.p_value.unwrap(), 0.778_915_158_126_961_1));
    assert!(common::close(t.fisher_p_value, 0.862_936_333_388_422_24));
    // Participants base: prop.test(c(130, 41), c(250, 167)): X-squared = 31.182978330886357,
    // p = 2.3481605730349409e-08; Fisher p = 1.9070320342379367e-08.
    let t = compare_proportions(
        Binomial::new(130, 250).unwrap(),
        Binomial::new(41, 167).unwrap(),
        0.95,
    )
    .unwrap();
    assert!(common::close(t.chi_square.unwrap(), 31.182_978_330_886_357));
    assert!(common::close(
        t.p_value.unwrap(),
        2.348_160_573_034_940_9e-8
    ));
    assert!(common::close(t.fisher_p_value, 1.907_032_034_237_936_7e-8));
    // Result, excluded: fisher.test(matrix(c(132, 47, 41, 14), 2)) gives p = 1.
    let t = compare_proportions(
        Binomial::new(132, 179).unwrap(),
        Binomial::new(41, 55).unwrap(),
        0.95,
    )
    .unwrap();
    assert!(common::close(
        t.chi_square.unwrap(),
        0.014_056_538_336_059_476
    ));
    assert_eq!(t.fisher_p_value, 1.0);
    // The difference: 130/179 − 41/55.
    assert!((t.difference - (132.0 / 179.0 - 41.0 / 55.0)).abs() < 1e-15);
}

#[test]
fn sanctions_against_the_pre_sib_third_agree_with_r() {
    let d = data();
    let s = joining_forces::sanctions(&d).unwrap();
    let cols: Vec<(&str, u64, u64)> = s
        .iter()
        .map(|x| (x.column.as_str(), x.sanctions.successes, x.sanctions.trials))
        .collect();
    // Table 3.4: 23/281, 4/169, 27/450; min2y 25 of 225 + 25 = 250 (printed total 253).
    assert_eq!(
        cols,
        [
            ("cohort1", 23, 281),
            ("cohort2", 4, 169),
            ("all", 27, 450),
            ("min2y", 25, 250)
        ]
    );
    // prop.test(23, 281, p = 1/3, correct = FALSE): X-squared = 79.971530249110302,
    // p = 3.7984352940728797e-19.
    let c1 = &s[0].against_pre_sib;
    assert!(common::close(c1.z * c1.z, 79.971_530_249_110_302));
    assert!(common::close(c1.p_value, 3.798_435_294_072_879_7e-19));
    // prop.test(25, 250, p = 1/3): X-squared = 61.249999999999979, p = 5.0268561537411e-15.
    let m = &s[3].against_pre_sib;
    assert!(common::close(m.z * m.z, 61.25));
    assert!(common::close(m.p_value, 5.026_856_153_741_1e-15));
    // Sanctions cohort 1 vs 2: prop.test(c(23, 4), c(281, 169)): 6.33398641477108,
    // p = 0.011844578651007957; Fisher p = 0.012869410726352897.
    let effect = DefinitionState::report_default(&d.package).unwrap();
    let n = joining_forces::report_numbers(&d, &effect, 0.95).unwrap();
    let sanction_difference = &n.sanction_cohort_difference[0].test;
    assert!(common::close(
        sanction_difference.chi_square.unwrap(),
        6.333_986_414_771_08
    ));
    assert!(common::close(
        sanction_difference.p_value.unwrap(),
        0.011_844_578_651_007_957
    ));
    assert!(common::close(
        sanction_difference.fisher_p_value,
        0.012_869_410_726_352_897
    ));
    assert!(test_against(Binomial::new(1, 2).unwrap(), 1.0).is_err());
}

#[test]
fn report_numbers_follow_the_definition_state() {
    let d = data();
    let n = joining_forces::report_numbers(&d, &state("result", "failure"), 0.95).unwrap();
    assert_eq!(n.outcomes.len(), 3);
    assert_eq!(n.cohort_difference.len(), 2);
    // Participants base, result measurement, unknown as failure: 132/281 vs 41/169.
    let p = &n.cohort_difference[1];
    assert_eq!(
        (
            p.cohort1.successes,
            p.cohort1.trials,
            p.cohort2.successes,
            p.cohort2.trials
        ),
        (132, 281, 41, 169)
    );
    assert!((n.targets.two_years - 0.355).abs() < 1e-15);
    assert!((n.targets.four_years - 0.60).abs() < 1e-15);
    // The logit requests carry the same cross-tables.
    assert_eq!(
        n.logit_requests[1]["data"],
        json!({"successes": [132, 41], "trials": [281, 169], "covariates": {"cohort": ["cohort 1", "cohort 2"]}})
    );
    assert_eq!(n.logit_requests[2]["data"]["successes"], json!([23, 4]));
    assert_eq!(n.logit_requests[0]["analysis"], json!("logit"));
    // The whole response serialises.
    let v = serde_json::to_value(&n).unwrap();
    assert_eq!(v["state"]["unknown"], json!("failure"));
}

#[test]
fn compare_proportions_rejects_empty_groups_and_bad_levels() {
    let ok = Binomial::new(1, 2).unwrap();
    let empty = Binomial {
        successes: 0,
        trials: 0,
    };
    assert_eq!(
        compare_proportions(ok, empty, 0.95).unwrap_err().code,
        Code::EmptyData
    );
    assert_eq!(
        compare_proportions(ok, ok, 1.0).unwrap_err().code,
        Code::InvalidConfLevel
    );
    assert_eq!(
        Binomial::new(3, 2).unwrap_err().code,
        Code::SuccessesExceedTrials
    );
    // All successes in both groups: no pooled z, never a made-up number.
    let all = Binomial::new(5, 5).unwrap();
    let t = compare_proportions(all, all, 0.95).unwrap();
    assert_eq!((t.z, t.p_value), (None, None));
    assert_eq!(t.fisher_p_value, 1.0);
}

// ---------------------------------------------------------------------------------
// Robustness: a changed count never makes the engine panic
// ---------------------------------------------------------------------------------

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn count_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            (0u64..600).prop_map(|n| json!(n)),
            Just(json!(0)),
            Just(json!(1e12)),
            Just(json!(-1)),
            Just(json!(2.5)),
            Just(json!(1e300)),
            Just(Value::Null),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever one count becomes, loading, reconciling and every definition state
        /// answer with a value or a coded error, never a panic.
        #[test]
        fn engine_never_panics_on_a_changed_count(
            table in 0usize..3,
            block in 0usize..4,
            row in 0usize..8,
            column in prop::sample::select(vec!["cohort1", "cohort2", "all", "min2y"]),
            value in count_value(),
        ) {
            let mut v = raw();
            let path = format!("/tables/{table}/blocks/{block}/rows/{row}/cells/{column}/count");
            if let Some(target) = v.pointer_mut(&path) {
                *target = value;
            }
            if let Ok(d) = Dataset::from_value(&v) {
                let _ = reconcile(&d);
                for def in ["effect", "result"] {
                    for unknown in ["exclude", "success", "failure"] {
                        let s = state(def, unknown);
                        let _ = joining_forces::outcomes(&d, &s);
                        let _ = joining_forces::report_numbers(&d, &s, 0.95);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// A second report package: the same report one year later (made-up numbers,
// tests/fixtures/report-2023/generate.py), with a third cohort and an extra cause,
// through the CLI with no code change.
// ---------------------------------------------------------------------------------

const PACKAGE_2023: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/report-2023");

/// `sibstat report --data tests/fixtures/report-2023 -` with the state on stdin.
fn report_2023(state: Value) -> Value {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sibstat"))
        .args(["report", "--data", PACKAGE_2023, "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(state.to_string().as_bytes())
        .expect("writes the state");
    let out = child.wait_with_output().expect("the CLI ends");
    assert!(
        out.status.success(),
        "{state}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn share_of(response: &Value, cohort: &str) -> (u64, u64) {
    let c = response["outflow"]["cohorts"]
        .as_array()
        .expect("cohorts")
        .iter()
        .find(|c| c["cohort"] == cohort)
        .unwrap_or_else(|| panic!("cohort {cohort}"));
    let share = &c["success_share"];
    // The proportion response gives its counts as numbers (whole here).
    let whole = |key: &str| share[key].as_f64().expect(key) as u64;
    (whole("successes"), whole("trials"))
}

/// Hand computations from the package's table 3.2 (generate.py, OUTFLOW):
/// effect = own job + elsewhere + outside + own business, over the known-cause outflow
/// (outflow less unknown cause):
///   cohort 1: 130 + 10 + 6 + 3 = 149 of 241 − 33 = 208
///   cohort 2:  70 +  3 + 2 + 2 =  77 of 109 −  7 = 102
///   cohort 3:  30 +  1 + 1 + 1 =  33 of  50 −  5 =  45
///   all:      149 + 77 + 33    = 259 of 208 + 102 + 45 = 355
/// result = effect + IVA (4, 1, 0): 153/208, 78/102, 33/45, 264/355.
#[test]
fn a_second_package_with_a_third_cohort_and_a_new_cause_runs_without_code_change() {
    let effect = report_2023(json!({}));
    for (cohort, expected) in [
        ("1", (149, 208)),
        ("2", (77, 102)),
        ("3", (33, 45)),
        ("all", (259, 355)),
    ] {
        assert_eq!(
            share_of(&effect, cohort),
            expected,
            "effect, cohort {cohort}"
        );
    }
    let m = effect["metrics"]["outflow.success_share"]
        .as_f64()
        .expect("share");
    assert!(common::close(m, 259.0 / 355.0));
    let result = report_2023(json!({"definition": "result"}));
    for (cohort, expected) in [
        ("1", (153, 208)),
        ("2", (78, 102)),
        ("3", (33, 45)),
        ("all", (264, 355)),
    ] {
        assert_eq!(
            share_of(&result, cohort),
            expected,
            "result, cohort {cohort}"
        );
    }
    // The new cause alone, cohort 3: 1 of 45; unknown counted as success, every
    // cohort: 259 + 45 = 304 of 400 outflows.
    let own_business = report_2023(
        json!({"definition": "custom", "success_causes": ["own_business"], "cohort": "3"}),
    );
    assert!(common::close(
        own_business["metrics"]["outflow.success_share"]
            .as_f64()
            .expect("share"),
        1.0 / 45.0
    ));
    let upper = report_2023(json!({"unknown": "success"}));
    assert_eq!(share_of(&upper, "all"), (304, 400));
    // Sanctions of cohort 3: 3 of 150 (table 3.4); every cohort 23 + 4 + 3 = 30 of 600.
    let cohort3 = report_2023(json!({"cohort": "3"}));
    assert!(common::close(
        cohort3["metrics"]["sanctions.share"]
            .as_f64()
            .expect("share"),
        3.0 / 150.0
    ));
    assert!(common::close(
        effect["metrics"]["sanctions.share"]
            .as_f64()
            .expect("share"),
        30.0 / 600.0
    ));
    // Every pair of the three cohorts is compared, on both bases.
    assert_eq!(
        effect["outflow"]["cohort_difference"]
            .as_array()
            .expect("pairs")
            .len(),
        2 * 3
    );
    // The package's controls: three cohorts, nine causes, the new one a success.
    assert_eq!(
        effect["package"]["cohorts"]
            .as_array()
            .expect("cohorts")
            .len(),
        3
    );
    let causes = effect["causes"].as_array().expect("causes");
    assert_eq!(causes.len(), 9);
    let new = causes
        .iter()
        .find(|c| c["id"] == "own_business")
        .expect("own_business");
    assert_eq!(new["label_en"], json!("Started own business"));
    assert_eq!(new["counted_as"], json!("success"));
    // A consistent package: the reconciliation finds nothing, and the reconstruction
    // reproduces every made-up point of figure 3.2 (600 − 30 − 45 = 525 in the duration
    // analysis).
    assert_eq!(effect["reconciliation"]["findings"], json!([]));
    assert!(effect["reconciliation"]["checks"].as_u64().expect("checks") > 100);
    for point in effect["duration"]["published_points"]
        .as_array()
        .expect("points")
    {
        assert_eq!(point["within"], json!(true), "{point}");
    }
    assert_eq!(effect["duration"]["participants"], json!(525));
    // Cohort 3 is followed at most 12 months: the 24-month value is not asked of the
    // bootstrap, and says why.
    assert_eq!(
        cohort3["bootstrap_undefined"],
        json!([{"id": "duration.success_cif", "statistic": "cif1@24", "reason": "beyond_follow_up",
                "message": "cif1@24: month 24 lies beyond this view's follow-up (12 months), so it is not bootstrapped"}])
    );
}

#[test]
fn the_second_package_refuses_a_cohort_it_does_not_have_and_reconstructs_36_months() {
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_sibstat"))
            .args(args)
            .output()
            .expect("the CLI runs")
    };
    let dir = std::env::temp_dir().join("sibstat-report-2023-state");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let state = dir.join("state.json");
    std::fs::write(&state, r#"{"cohort": "4"}"#).expect("writes");
    let refused = run(&[
        "report",
        "--data",
        PACKAGE_2023,
        state.to_str().expect("utf-8"),
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&refused.stderr).expect("JSON error");
    assert_eq!(error["error"]["code"], json!("invalid_option"));
    assert!(error["error"]["message"]
        .as_str()
        .expect("message")
        .contains("\"3\""));
    let csv = run(&["reconstruct", "--data", PACKAGE_2023, "--csv"]);
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).expect("utf-8");
    assert!(csv.starts_with(
        "cohort,month,at_risk,own_job,elsewhere_defence,outside_defence,own_business,"
    ));
    // Header plus 36 months for each of the three cohorts.
    assert_eq!(csv.lines().count(), 1 + 3 * 36);
    // A directory that is no package: a coded error naming the file.
    let missing = run(&["report", "--data", dir.to_str().expect("utf-8")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("joining_forces.json"));
}

#[test]
fn a_view_without_its_fixed_parts_put_back_is_the_whole_view() {
    let report = joining_forces::shipped().expect("the shipped package prepares");
    let parts = report.fixed_parts();
    assert_eq!(parts.keys().map(String::as_str).collect::<Vec<_>>(), {
        let mut places = joining_forces::FIXED_PARTS.to_vec();
        places.sort_unstable();
        places
    });
    for state in [
        json!({}),
        json!({"cohort": "2"}),
        json!({"definition": "result", "unknown": "success", "conf_level": 0.9}),
        json!({"definition": "custom", "success_causes": ["own_job"], "unknown": "failure"}),
    ] {
        let whole = report.view(&state).expect("a view");
        let mut only = report
            .view_only(&state)
            .expect("a view without its fixed parts");
        // None of the fixed parts is in it, and each is the same in every view.
        for (place, value) in parts {
            let (section, key) = place
                .split_once('.')
                .map_or((None, place.as_str()), |(s, k)| (Some(s), k));
            let holder = section.map_or(&only, |s| &only[s]);
            assert!(holder.get(key).is_none(), "{place} in the view of {state}");
            let whole_holder = section.map_or(&whole, |s| &whole[s]);
            assert_eq!(&whole_holder[key], value, "{place} of {state}");
        }
        joining_forces::with_fixed_parts(&mut only, parts);
        assert_eq!(only, whole, "{state}");
    }
}
