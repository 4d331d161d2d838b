//! The reconstruction of figure 3.2 (issue 5, part 4), the 28-month result measurement
//! (part 6) and the `joining_forces` request of the report page.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::tolerance::{EQUIVALENCE, RECONSTRUCTION_POINTS};
use serde_json::{json, Value};
use sibstat::joining_forces::{
    self, largest_remainder, reconstruct, target_counts, Assumptions, Dataset, DefinitionState,
    RECONSTRUCTION_JSON,
};
use sibstat::survival::{cumulative_incidence, CumulativeIncidenceOptions};
use sibstat::{analyse, Code};

fn data() -> Dataset {
    joining_forces::published().expect("the shipped data file loads")
}

fn effect() -> DefinitionState {
    DefinitionState::report_default(&data().package).expect("the effect measurement")
}

#[test]
fn every_published_point_is_reproduced_within_one_point_and_counts_exactly() {
    let r = reconstruct(&data()).expect("reconstructs");
    assert!(r.fit.len() >= 6 + 1 + 2 * 9);
    for p in &r.fit {
        assert!(
            p.within,
            "{} published {} reconstructed {}",
            p.id, p.published, p.reconstructed
        );
        if p.id.ends_with(".count") || p.id == "box1.duration_analysis_n" {
            assert_eq!(p.reconstructed, p.published, "{}", p.id);
        } else if p.id != "fig3_2.median_months" {
            assert!(p.difference.abs() <= RECONSTRUCTION_POINTS, "{}", p.id);
        }
    }
    let median = r
        .fit
        .iter()
        .find(|p| p.id == "fig3_2.median_months")
        .expect("median");
    // "iets minder dan één jaar": just under twelve months.
    assert!(median.reconstructed < 12.0 && median.reconstructed >= 11.0);
}

#[test]
fn the_same_data_give_the_same_table() {
    let a = reconstruct(&data()).expect("reconstructs");
    let b = reconstruct(&data()).expect("reconstructs");
    assert_eq!(a, b);
    assert_eq!(a.to_csv(), b.to_csv());
    assert_eq!(
        serde_json::to_string(&a).expect("serialises"),
        serde_json::to_string(&b).expect("serialises")
    );
}

#[test]
fn the_duration_analysis_has_393_participants_and_183_censorings() {
    let r = reconstruct(&data()).expect("reconstructs");
    let rows = r.survival_data(&effect(), None).expect("rows");
    assert_eq!(rows.n_individuals(), 393.0);
    let censored: f64 = rows
        .status()
        .iter()
        .zip(rows.count())
        .filter(|(&s, _)| s == 0)
        .map(|(_, &c)| c)
        .sum();
    assert_eq!(censored, 71.0 + 112.0);
    // 450 less the 24 of unknown moment: the table keeps the 33 of unknown cause.
    let in_table: u64 = r.counts.iter().map(|c| c.in_table).sum();
    assert_eq!(in_table, 426);
}

#[test]
fn the_unknown_moment_is_allocated_by_largest_remainder() {
    let counts = target_counts(&data()).expect("counts");
    let allocated: u64 = counts.iter().map(|c| c.unknown_moment).sum();
    assert_eq!(allocated, 24);
    // 24 × 116/234 = 11.90 → 12 of cohort 1's own-job outflows.
    assert_eq!(counts[0].unknown_moment_by_cause["own_job"], 12);
    assert_eq!(counts[0].unknown_moment, 19);
    assert_eq!(counts[1].unknown_moment, 5);
    assert_eq!(
        largest_remainder(&[1.0, 1.0, 1.0], 4).expect("ok"),
        vec![2, 1, 1]
    );
    assert_eq!(largest_remainder(&[0.0, 2.0], 3).expect("ok"), vec![0, 3]);
}

#[test]
fn risk_sets_never_go_negative_and_empty_at_the_cut_off() {
    let r = reconstruct(&data()).expect("reconstructs");
    for c in ["cohort1", "cohort2"] {
        let rows: Vec<_> = r.table.iter().filter(|x| x.cohort == c).collect();
        for w in rows.windows(2) {
            let out: u64 = w[0].events.values().sum::<u64>() + w[0].censored;
            assert_eq!(w[1].at_risk, w[0].at_risk - out);
        }
    }
    // Cohort 2 entered from July 2020: followed for at most 12 months.
    assert!(r
        .table
        .iter()
        .filter(|x| x.cohort == "cohort2" && x.month > 12)
        .all(|x| x.at_risk == 0));
}

#[test]
fn the_crates_estimators_agree_with_the_fit_table() {
    let r = reconstruct(&data()).expect("reconstructs");
    let rows = r.survival_data(&effect(), None).expect("rows");
    let cif = cumulative_incidence(&rows, &CumulativeIncidenceOptions::default()).expect("cif");
    let at12 = cif.curves[0].cif_at(1, 12.0).expect("cause 1");
    let point = r
        .fit
        .iter()
        .find(|p| p.id == "fig3_2.success_1y")
        .expect("point");
    assert!((at12 * 100.0 - point.reconstructed).abs() < EQUIVALENCE);
}

#[test]
fn inconsistent_assumptions_are_a_coded_error() {
    let mut a: Value = serde_json::from_str(RECONSTRUCTION_JSON).expect("json");
    a["other_pieces"] = json!([0, 6, 12, 24]);
    let err = Assumptions::from_json(&a.to_string()).expect_err("more parameters than conditions");
    assert_eq!(err.code, Code::InvalidReconstruction);
    let mut b: Value = serde_json::from_str(RECONSTRUCTION_JSON).expect("json");
    b["colour"] = json!(1);
    assert_eq!(
        Assumptions::from_json(&b.to_string())
            .expect_err("unknown key")
            .code,
        Code::InvalidDataFile
    );
}

fn jf(request: Value) -> Value {
    let mut r = json!({"analysis": "joining_forces"});
    if let (Some(o), Some(extra)) = (r.as_object_mut(), request.as_object()) {
        for (k, v) in extra {
            o.insert(k.clone(), v.clone());
        }
    }
    analyse(r).expect("the request runs")
}

#[test]
fn the_default_view_has_every_section_and_metric() {
    let r = jf(json!({}));
    for key in [
        "state",
        "causes",
        "participants",
        "outflow",
        "sanctions",
        "predictors",
        "duration",
        "wellbeing",
        "reconciliation",
        "metrics",
        "bootstrap_requests",
        "warnings",
    ] {
        assert!(!r[key].is_null(), "{key}");
    }
    let m = &r["metrics"];
    // Table 3.2: 171 successes of 234 known-cause outflows.
    assert!(
        (m["outflow.success_share"].as_f64().expect("share") - 171.0 / 234.0).abs() < EQUIVALENCE
    );
    assert!(m["outflow.success_share.lower"].as_f64().expect("lower") < 171.0 / 234.0);
    assert!((m["sanctions.share"].as_f64().expect("share") - 27.0 / 450.0).abs() < EQUIVALENCE);
    let s12 = m["duration.success_cif_12m"].as_f64().expect("12m");
    let s24 = m["duration.success_cif_24m"].as_f64().expect("24m");
    assert!((s12 - 0.40).abs() <= 0.01 && (s24 - 0.55).abs() <= 0.01);
    assert_eq!(m["duration.median_months"], json!(11.5));
    assert_eq!(r["state"]["definition"], json!("effect"));
    assert_eq!(r["state"]["cohort"], json!("all"));
}

#[test]
fn every_cause_is_labelled_and_classified() {
    let r = jf(json!({"definition": "result", "unknown": "failure"}));
    let causes = r["causes"].as_array().expect("causes");
    assert_eq!(causes.len(), 8);
    let iva = causes.iter().find(|c| c["id"] == "iva").expect("iva");
    assert_eq!(iva["class"], json!("success"));
    let unknown = causes
        .iter()
        .find(|c| c["id"] == "unknown")
        .expect("unknown");
    assert_eq!(unknown["class"], json!("unknown"));
    assert_eq!(unknown["counted_as"], json!("failure"));
    assert_eq!(unknown["tier"], json!("published"));
    assert_eq!(unknown["counts"]["all"], json!(33));
}

#[test]
fn the_unknown_policy_moves_the_duration_curves() {
    let exclude = jf(json!({}));
    let success = jf(json!({"unknown": "success"}));
    let a = exclude["metrics"]["duration.success_cif_12m"]
        .as_f64()
        .expect("a");
    let b = success["metrics"]["duration.success_cif_12m"]
        .as_f64()
        .expect("b");
    assert!(b > a);
    assert_eq!(success["duration"]["participants"], json!(426));
    assert_eq!(exclude["duration"]["participants"], json!(393));
}

#[test]
fn the_28_month_result_is_set_against_the_box_1_targets() {
    let r = jf(json!({}));
    let m = &r["duration"]["result_measurement"];
    assert_eq!(m["tier"], json!("reconstructed"));
    assert_eq!(m["months_after_sickness"], json!(28.0));
    assert_eq!(m["target_2y"], json!(0.355));
    let share = m["success_share"].as_f64().expect("share");
    let upper = m["success_share_upper"].as_f64().expect("upper");
    assert!(share > 0.0 && share <= upper && upper < 1.0);
    let beyond = m["beyond_follow_up"].as_f64().expect("beyond");
    // Entrants after less than 4 months of sickness are measured after 24 months.
    assert!(beyond > 0.0 && beyond < 0.2);
    assert!(r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w["code"] == "beyond_follow_up"));
}

#[test]
fn cohort_2_has_no_two_year_value() {
    let r = jf(json!({"cohort": "2"}));
    assert!(r["metrics"]["duration.success_cif_24m"].is_null());
    assert!(r["metrics"]["duration.success_cif_12m"].is_number());
    let share = r["metrics"]["outflow.success_share"]
        .as_f64()
        .expect("share");
    assert!((share - 41.0 / 55.0).abs() < EQUIVALENCE);
}

#[test]
fn published_numbers_carry_their_source() {
    let r = jf(json!({}));
    let pre = &r["sanctions"]["pre_sib_rate"];
    assert_eq!(pre["tier"], json!("published"));
    assert!(pre["source"]["page"].is_number());
    for p in r["duration"]["published_points"]
        .as_array()
        .expect("points")
    {
        assert!(p["source"]["line"].is_number(), "{p}");
    }
    assert_eq!(r["duration"]["tier"], json!("reconstructed"));
}

#[test]
fn bootstrap_requests_are_ready_made() {
    let r = jf(json!({}));
    let reqs = r["bootstrap_requests"].as_array().expect("requests");
    assert!(reqs.len() >= 3);
    for q in reqs {
        assert_eq!(q["request"]["analysis"], json!("bootstrap"));
        // The wrapped request is itself a valid request of the API.
        analyse(q["request"]["of"].clone()).expect("the wrapped request runs");
    }
    let stats: Vec<&Value> = reqs.iter().map(|q| &q["request"]["statistics"]).collect();
    assert!(stats.contains(&&json!(["cif1@12", "cif1@24"])));
    assert_eq!(r["bootstrap_undefined"], json!([]));
}

/// Issue 12, item 1: every request asks only what the view's follow-up and counts
/// define, and each bootstrap runs; what is left out is listed with its reason and a
/// `statistic_undefined` warning, never an error.
#[test]
fn bootstrap_requests_ask_only_defined_statistics_in_every_state() {
    let mut states = Vec::new();
    for definition in ["effect", "result"] {
        for unknown in ["exclude", "success", "failure"] {
            for cohort in ["all", "1", "2"] {
                states
                    .push(json!({"definition": definition, "unknown": unknown, "cohort": cohort}));
            }
        }
    }
    for cohort in ["all", "1", "2"] {
        states.push(json!({"definition": "custom", "success_causes": [], "cohort": cohort}));
    }
    for state in states {
        let r = jf(state.clone());
        for q in r["bootstrap_requests"].as_array().expect("requests") {
            let mut request = q["request"].clone();
            request["replicates"] = json!(20);
            analyse(request).unwrap_or_else(|e| panic!("{state} {}: {e}", q["id"]));
        }
        let undefined = r["bootstrap_undefined"].as_array().expect("undefined");
        let warned = r["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .filter(|w| w["code"] == "statistic_undefined")
            .count();
        assert_eq!(warned, undefined.len(), "{state}");
    }
    // Cohort 2 entered from July 2020 and is followed 12 months: no value at 24 months.
    let r = jf(json!({"cohort": "2"}));
    assert_eq!(r["bootstrap_undefined"][0]["statistic"], json!("cif1@24"));
    assert_eq!(
        r["bootstrap_undefined"][0]["reason"],
        json!("beyond_follow_up")
    );
    // No cause ticked: no success, so neither the cumulative incidence of success.
    let r = jf(json!({"definition": "custom", "success_causes": []}));
    let reasons: Vec<&Value> = r["bootstrap_undefined"]
        .as_array()
        .expect("undefined")
        .iter()
        .map(|u| &u["reason"])
        .collect();
    assert_eq!(reasons, vec![&json!("no_events"), &json!("no_events")]);
}

#[test]
fn bad_states_are_coded_errors() {
    let code = |v: Value| {
        let mut r = json!({"analysis": "joining_forces"});
        if let (Some(o), Some(extra)) = (r.as_object_mut(), v.as_object()) {
            for (k, x) in extra {
                o.insert(k.clone(), x.clone());
            }
        }
        analyse(r).expect_err("an error").code
    };
    assert_eq!(code(json!({"cohort": "3"})), Code::InvalidOption);
    assert_eq!(code(json!({"definition": "impact"})), Code::InvalidOption);
    assert_eq!(code(json!({"unknown": "maybe"})), Code::InvalidOption);
    assert_eq!(code(json!({"definition": "custom"})), Code::MissingKey);
    assert_eq!(
        code(json!({"definition": "effect", "success_causes": ["iva"]})),
        Code::InvalidDefinition
    );
    assert_eq!(
        code(json!({"definition": "custom", "success_causes": ["unknown"]})),
        Code::InvalidDefinition
    );
    assert_eq!(
        code(json!({"definition": "custom", "success_causes": ["job"]})),
        Code::InvalidDefinition
    );
    assert_eq!(code(json!({"conf_level": 1.5})), Code::InvalidConfLevel);
    assert_eq!(code(json!({"lang": "nl"})), Code::UnknownKey);
}

#[test]
fn a_custom_definition_follows_its_causes() {
    let r = jf(json!({"definition": "custom", "success_causes": ["own_job"], "cohort": 1}));
    assert_eq!(r["state"]["success_causes"], json!(["own_job"]));
    assert_eq!(r["state"]["cohort"], json!("1"));
    // Cohort 1: 116 own job of 179 known-cause outflows.
    let share = r["metrics"]["outflow.success_share"]
        .as_f64()
        .expect("share");
    assert!((share - 116.0 / 179.0).abs() < EQUIVALENCE);
}

#[test]
fn the_reconstruct_command_prints_the_same_table_twice() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sibstat"))
            .args(args)
            .output()
            .expect("the CLI runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let a = run(&["reconstruct"]);
    assert_eq!(a, run(&["reconstruct"]));
    let json: Value = serde_json::from_str(&a).expect("JSON");
    assert_eq!(json["tier"], json!("reconstructed"));
    assert_eq!(json["assumptions"]["tier"], json!("assumption"));
    let csv = run(&["reconstruct", "--csv"]);
    assert_eq!(csv, run(&["reconstruct", "--csv"]));
    assert!(csv.starts_with("cohort,month,at_risk,own_job,"));
    // Header plus 24 months for each cohort.
    assert_eq!(csv.lines().count(), 1 + 2 * 24);
}

/// Published shares sit beside their recomputation. Hand check from table 3.2 (p. 15):
/// own job, both cohorts: 157 of 267 outflows = 58.80 %, printed 59 %; cohort 1:
/// 116 / 210 = 55.24 %, printed 55 %. Table 3.4 (p. 19): 27 sanctions among 450
/// participants = 6 %, printed 6 %.
#[test]
fn printed_shares_of_tables_3_2_and_3_4_come_with_their_recomputation() {
    let response = sibstat::analyse(serde_json::json!({"analysis": "joining_forces"})).unwrap();
    let own_job = response["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "own_job")
        .unwrap();
    assert_eq!(own_job["percent_printed"]["all"], 59.0);
    assert_eq!(own_job["percent_printed"]["cohort1"], 55.0);
    assert_eq!(own_job["share_of_outflow"]["all"], 157.0 / 267.0);
    assert_eq!(own_job["share_of_outflow"]["cohort1"], 116.0 / 210.0);
    let all = response["sanctions"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "all")
        .unwrap();
    assert_eq!(all["printed_percent"], 6.0);
    assert_eq!(all["share"]["estimate"], 27.0 / 450.0);
}
