//! Everything the report page shows for one view state, as one JSON response (the
//! `joining_forces` analysis of the API).
//!
//! Every number carries its `tier`: `published` (printed in the report, with its
//! `source`), `derived` (computed from published counts) or `reconstructed` (from the
//! reconstructed life table of figure 3.2, see [`super::reconstruction`]). The response:
//!
//! ```text
//! { state: {definition, success_causes, unknown, cohort, conf_level},
//!   causes: [{id, label_nl, label_en, class, counted_as, counts: {cohort1, cohort2, all}, tier, source}],
//!   participants: {tier, source, columns, blocks: [{id, label, kind, rows: [{id, label,
//!                  cells: {col: {count, percent_printed, share}}}], base}]},
//!   outflow: {cohorts: [{cohort, participants, no_outflow, outflow, successes, failures,
//!             excluded, success_share, success_share_of_participants}], current,
//!             cohort_difference: [{base, ...test}], tier},
//!   sanctions: {pre_sib_rate, columns: [{column, share, against_pre_sib}], current,
//!               cohort_difference},
//!   predictors: {published: [table 3.3, table 3.5], logits: [{id, label, request, response}]},
//!   duration: {tier, note, reconstruction: {tier, assumptions, counts, parameters, round,
//!              table: [{cohort, month, at_risk, events: {cause: n}, censored}], fit, checks},
//!              rows: {time, status, count} (the table under the state: 1 success, 2 other),
//!              participants, cumulative_incidence: {causes, result}, naive_one_minus_km,
//!              any_outflow: {result} (KM of any outflow, median with CI),
//!              at_risk: {time, n} (every 3 months), published_points (= fit),
//!              published_checks, current: {success_cif_12m, success_cif_24m, other_cif_12m,
//!              other_cif_24m, median_months, success_at_median, other_at_median},
//!              result_measurement (payment definition), result_measurement_current_definition},
//!   targets: {two_years, four_years},
//!   wellbeing: {invited, respondents, response_percent, response_share},
//!   reconciliation: {checks, findings},
//!   metrics: {name: number},
//!   bootstrap_requests: [{id, label, request}],
//!   warnings: [{code, message}] }
//! ```
//!
//! A share is a `proportion` response (`estimate`, `lower`, `upper`, ...) with `tier`.

use super::dataset::{BlockKind, Dataset};
use super::definitions::{Cause, Class, Definition, DefinitionState, UnknownPolicy};
use super::outcomes::{cohort_outcomes, pre_sib_rate, report_numbers, Cohort};
use super::reconciliation::reconcile;
use super::reconstruction::{any_outflow, reconstruct};
use super::result_measurement::result_measurement;
use serde_json::{json, Map, Value};
use sibstat_core::binomial::Binomial;
use sibstat_core::binomial::{proportion, ProportionInput, ProportionMethod};
use sibstat_core::error::{Code, Error, Result, Warning, WarningCode};
use sibstat_core::survival::{self, CumulativeIncidenceOptions, KaplanMeierOptions, SurvivalData};

/// The view state of the report page (`def`, `unknown`, `cohort` and the options in
/// its URL), validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    /// Definition and unknown policy.
    pub definition: DefinitionState,
    /// The cohort shown (cohort 1, cohort 2 or both).
    pub cohort: Cohort,
    /// Confidence level of every interval.
    pub conf_level: f64,
}

impl ViewState {
    /// The report's own view: effect measurement, unknown excluded, both cohorts, 95 %.
    pub fn default_view() -> ViewState {
        ViewState {
            definition: DefinitionState::effect(),
            cohort: Cohort::All,
            conf_level: 0.95,
        }
    }

    /// The state as a JSON object, normalised (custom's success causes listed in the
    /// order of table 3.2; effect and result list theirs too).
    pub fn to_json(&self) -> Value {
        let (name, success) = match &self.definition.definition {
            Definition::Effect => ("effect", success_causes(&self.definition)),
            Definition::Result => ("result", success_causes(&self.definition)),
            Definition::Custom { .. } => ("custom", success_causes(&self.definition)),
        };
        json!({
            "definition": name,
            "success_causes": success,
            "unknown": self.definition.unknown,
            "cohort": cohort_key(self.cohort),
            "conf_level": self.conf_level,
        })
    }
}

/// The known causes that count as success under the state, in table order.
fn success_causes(state: &DefinitionState) -> Vec<&'static str> {
    Cause::ALL
        .into_iter()
        .filter(|&c| c != Cause::Unknown && state.classify(c) == Class::Success)
        .map(Cause::row_id)
        .collect()
}

/// The state's cohort as the page writes it: `all`, `1`, `2`.
pub fn cohort_key(cohort: Cohort) -> &'static str {
    match cohort {
        Cohort::Cohort1 => "1",
        Cohort::Cohort2 => "2",
        Cohort::All => "all",
    }
}

/// English labels of the causes of table 3.2 (the Dutch ones come from the data file).
pub fn cause_label_en(cause: Cause) -> &'static str {
    match cause {
        Cause::OwnJob => "Return to own job",
        Cause::ElsewhereDefence => "Job elsewhere in Defence",
        Cause::OutsideDefence => "Job outside Defence",
        Cause::SicknessBenefit => "Sickness benefit (ZW) at the end of the contract",
        Cause::OwnRequest => "Discharge at own request",
        Cause::Iva => "Transfer to the IVA disability benefit",
        Cause::Other => "Other (age discharge, death, disciplinary discharge)",
        Cause::Unknown => "Unknown",
    }
}

fn class_str(class: Class) -> &'static str {
    match class {
        Class::Success => "success",
        Class::Failure => "failure",
        Class::Excluded => "excluded",
    }
}

/// A published number of the data file with its provenance.
pub(crate) fn published(dataset: &Dataset, id: &str) -> Result<Value> {
    let entry = dataset.get(id).ok_or_else(|| {
        Error::new(
            Code::InvalidDataFile,
            format!("data file: the number \"{id}\" is missing"),
        )
    })?;
    Ok(json!({
        "id": entry.id,
        "value": entry.value,
        "unit": entry.unit,
        "tier": entry.tier,
        "source": entry.source,
        "approx": entry.approx,
    }))
}

/// A derived share with its Wilson interval, through `binomial::proportion`.
pub(crate) fn share(binomial: Binomial, conf_level: f64, null: Option<f64>) -> Result<Value> {
    if binomial.trials == 0 {
        return Ok(json!({"tier": "derived", "successes": 0, "trials": 0,
            "estimate": null, "lower": null, "upper": null}));
    }
    let input = ProportionInput::new(
        binomial.successes as f64,
        binomial.trials as f64,
        conf_level,
        ProportionMethod::Wilson,
        null,
    )?;
    let mut value = sibstat_api::to_value(&proportion(&input))?;
    if let Some(object) = value.as_object_mut() {
        object.insert("tier".into(), json!("derived"));
    }
    Ok(value)
}

fn causes(dataset: &Dataset, state: &DefinitionState) -> Result<Vec<Value>> {
    let table = dataset
        .table("t3_2")
        .ok_or_else(|| Error::new(Code::InvalidDataFile, "data file: table 3.2 is missing"))?;
    let block = table
        .blocks
        .iter()
        .find(|b| b.id == "cause")
        .ok_or_else(|| Error::new(Code::InvalidDataFile, "data file: table 3.2 has no causes"))?;
    Cause::ALL
        .into_iter()
        .map(|cause| {
            let row = block
                .rows
                .iter()
                .find(|r| r.id == cause.row_id())
                .ok_or_else(|| {
                    Error::new(
                        Code::InvalidDataFile,
                        format!("data file: table 3.2 lacks the cause {}", cause.row_id()),
                    )
                })?;
            let mut counts = Map::new();
            let mut percent_printed = Map::new();
            let mut share_of_outflow = Map::new();
            for col in ["cohort1", "cohort2", "all"] {
                counts.insert(
                    col.into(),
                    json!(dataset.count(&format!("t3_2.cause.{}.{col}.count", cause.row_id()))?),
                );
                // As printed in table 3.2, beside its recomputation: the cause's count over
                // the column's outflow (table 3.2's base for the cause shares).
                percent_printed.insert(col.into(), json!(row.cells.get(col).map(|c| c.percent)));
                let cause_count =
                    dataset.count(&format!("t3_2.cause.{}.{col}.count", cause.row_id()))?;
                let outflow = dataset.count(&format!("t3_2.outflow.yes.{col}.count"))?;
                share_of_outflow.insert(
                    col.into(),
                    json!((outflow > 0).then(|| cause_count as f64 / outflow as f64)),
                );
            }
            let counted_as = class_str(state.classify(cause));
            let class = if cause == Cause::Unknown {
                "unknown"
            } else {
                counted_as
            };
            Ok(json!({
                "id": cause.row_id(),
                "label_nl": row.label,
                "label_en": cause_label_en(cause),
                "class": class,
                "counted_as": counted_as,
                "counts": counts,
                "percent_printed": percent_printed,
                "share_of_outflow": share_of_outflow,
                "share_tier": "derived",
                "tier": "published",
                "source": {"table": "3.2", "page": table.page, "line": row.line},
            }))
        })
        .collect()
}

fn participants(dataset: &Dataset) -> Result<Value> {
    let table = dataset
        .table("t3_1")
        .ok_or_else(|| Error::new(Code::InvalidDataFile, "data file: table 3.1 is missing"))?;
    let mut blocks = Vec::new();
    for block in &table.blocks {
        let base_block = block.base.as_deref().unwrap_or(block.id.as_str());
        let mut rows = Vec::new();
        for row in &block.rows {
            let mut cells = Map::new();
            for (col, cell) in &row.cells {
                let base = dataset.count(&format!("t3_1.{base_block}.total.{col}.count"))?;
                cells.insert(
                    col.clone(),
                    json!({
                        "count": cell.count,
                        "percent_printed": cell.percent,
                        "share": (base > 0).then(|| cell.count / base as f64),
                        "base": base,
                    }),
                );
            }
            rows.push(json!({"id": row.id, "label": row.label, "line": row.line, "cells": cells}));
        }
        blocks.push(json!({
            "id": block.id,
            "label": block.label,
            "kind": match block.kind { BlockKind::Partition => "partition", BlockKind::Multiple => "multiple" },
            "base": base_block,
            "note": block.note,
            "rows": rows,
        }));
    }
    Ok(json!({
        "tier": "published",
        "share_tier": "derived",
        "source": {"table": "3.1", "page": table.page, "line": table.line},
        "title": table.title,
        "columns": table.columns,
        "blocks": blocks,
    }))
}

/// Builds the whole response for a view state, without the duration section's
/// reconstruction (added by the caller when available).
pub fn report_response(dataset: &Dataset, view: &ViewState) -> Result<Value> {
    let state = &view.definition;
    let conf_level = view.conf_level;
    let numbers = report_numbers(dataset, state, conf_level)?;
    let mut warnings: Vec<Warning> = Vec::new();
    let mut metrics = Map::new();

    // Outflow (table 3.2).
    let mut cohorts = Vec::new();
    for o in &numbers.outcomes {
        cohorts.push(json!({
            "cohort": cohort_key(o.cohort),
            "participants": o.participants,
            "no_outflow": o.no_outflow,
            "outflow": o.outflow,
            "successes": o.successes,
            "failures": o.failures,
            "excluded": o.excluded,
            "counts_tier": "published",
            "source": {"table": "3.2", "page": 15, "line": 1054},
            "success_share": share(o.among_outflow, conf_level, None)?,
            "success_share_of_participants": share(o.among_participants, conf_level, None)?,
        }));
    }
    let current = cohort_outcomes(dataset, state, view.cohort)?;
    let current_share = share(current.among_outflow, conf_level, None)?;
    for key in ["estimate", "lower", "upper"] {
        let name = if key == "estimate" {
            "outflow.success_share".to_string()
        } else {
            format!("outflow.success_share.{key}")
        };
        metrics.insert(name, current_share[key].clone());
    }
    metrics.insert(
        "outflow.success_share_of_participants".into(),
        json!(current.among_participants.share()),
    );
    if current.among_outflow.trials == 0 {
        warnings.push(Warning::new(
            WarningCode::EmptyBase,
            "no outflow counts under this definition: the success share has no base",
        ));
    }
    let differences: Vec<Value> = numbers
        .cohort_difference
        .iter()
        .map(|d| {
            json!({"base": d.base, "cohort1": d.cohort1, "cohort2": d.cohort2,
                   "test": d.test, "tier": "derived"})
        })
        .collect();
    let outflow = json!({
        "cohorts": cohorts,
        "current": cohort_key(view.cohort),
        "cohort_difference": differences,
        "base_note": "success share = successes / (successes + failures) among the outflow of the cohort (table 3.2's base); outflows of unknown cause follow the unknown policy",
    });

    // Sanctions (table 3.4).
    let reference = pre_sib_rate(dataset)?;
    let sanction_rows = dataset
        .table("t3_4")
        .and_then(|t| t.blocks.iter().find(|b| b.id == "sanction"))
        .and_then(|b| b.rows.iter().find(|r| r.id == "yes"));
    let mut columns = Vec::new();
    for s in &numbers.sanctions {
        // The share as printed in table 3.4, beside which the page shows its recomputation.
        let printed = sanction_rows
            .and_then(|row| row.cells.get(&s.column))
            .map(|cell| cell.percent);
        columns.push(json!({
            "column": s.column,
            "printed_percent": printed,
            "counts_tier": "published",
            "source": {"table": "3.4", "page": 19, "line": 1392},
            "share": share(s.sanctions, conf_level, Some(reference))?,
            "against_pre_sib": s.against_pre_sib,
        }));
    }
    let current_sanctions = numbers
        .sanctions
        .iter()
        .find(|s| s.column == view.cohort.column())
        .map(|s| s.sanctions);
    if let Some(b) = current_sanctions {
        metrics.insert("sanctions.share".into(), json!(b.share()));
    }
    let sanctions = json!({
        "pre_sib_rate": published(dataset, "sec3_4.pre_sib_sanction_rate")?,
        "columns": columns,
        "current": view.cohort.column(),
        "cohort_difference": {"test": numbers.sanction_cohort_difference, "tier": "derived"},
    });

    // Predictors: the published tables and the logits the cross-tables support.
    let labels = [
        (
            "success_on_cohort_outflow",
            "Success on cohort, among the outflow (table 3.2)",
        ),
        (
            "success_on_cohort_participants",
            "Success on cohort, among the participants (table 3.2)",
        ),
        ("sanction_on_cohort", "Wage sanction on cohort (table 3.4)"),
    ];
    let mut logits = Vec::new();
    for ((id, label), request) in labels.iter().zip(&numbers.logit_requests) {
        // A cross-table with an empty cell cannot be fitted; say so instead of failing.
        let response = match sibstat_api::analyse(request.clone()) {
            Ok(v) => v,
            Err(e) => {
                warnings.push(Warning::new(
                    WarningCode::LogitNotFitted,
                    format!("{label}: {}", e.message),
                ));
                Value::Null
            }
        };
        logits.push(json!({"id": id, "label": label, "tier": "derived",
                           "request": request, "response": response}));
    }
    let models: Vec<Value> = ["t3_3", "t3_5"]
        .iter()
        .filter_map(|id| dataset.model(id))
        .map(|m| {
            json!({"tier": "published", "source": {"table": m.table, "page": m.page, "line": m.line},
                   "table": m})
        })
        .collect();
    let predictors = json!({"published": models, "logits": logits});

    // Well-being: the survey's response.
    let invited = dataset.count("survey.invited")?;
    let respondents = dataset.count("survey.respondents")?;
    let wellbeing = json!({
        "invited": published(dataset, "survey.invited")?,
        "respondents": published(dataset, "survey.respondents")?,
        "response_percent": published(dataset, "survey.response_percent")?,
        "response_share": share(Binomial::new(respondents, invited)?, conf_level, None)?,
    });

    let success_share_request = json!({
        "analysis": "proportion",
        "successes": current.among_outflow.successes,
        "trials": current.among_outflow.trials,
        "conf_level": conf_level,
    });
    let mut bootstrap_requests_all = vec![json!({
        "id": "outflow.success_share",
        "label": "Success share among the outflow (current cohort)",
        "request": {"analysis": "bootstrap", "of": success_share_request,
                    "statistics": ["estimate"], "replicates": 2000, "seed": 1,
                    "conf_level": conf_level},
    })];

    let duration = match duration_section(dataset, view) {
        Ok(d) => {
            for (k, v) in d.metrics {
                metrics.insert(k, v);
            }
            bootstrap_requests_all.extend(d.bootstrap_requests);
            warnings.extend(d.warnings);
            d.section
        }
        Err(e) => {
            warnings.push(Warning::new(
                WarningCode::DurationUnavailable,
                format!("the duration section could not be built: {}", e.message),
            ));
            Value::Null
        }
    };
    let bootstrap_requests = bootstrap_requests_all;

    Ok(json!({
        "analysis": "joining_forces",
        "state": view.to_json(),
        "causes": causes(dataset, state)?,
        "participants": participants(dataset)?,
        "outflow": outflow,
        "sanctions": sanctions,
        "predictors": predictors,
        "duration": duration,
        "targets": {
            "two_years": published(dataset, "box1.target_2y")?,
            "four_years": published(dataset, "box1.target_4y")?,
        },
        "wellbeing": wellbeing,
        "reconciliation": reconcile(dataset),
        "metrics": metrics,
        "bootstrap_requests": bootstrap_requests,
        "warnings": warnings,
    }))
}

/// The unknown policy as the page writes it.
pub fn unknown_key(policy: UnknownPolicy) -> &'static str {
    match policy {
        UnknownPolicy::Exclude => "exclude",
        UnknownPolicy::Success => "success",
        UnknownPolicy::Failure => "failure",
    }
}

/// The duration section with its metrics, bootstrap requests and warnings.
struct Duration {
    section: Value,
    metrics: Map<String, Value>,
    bootstrap_requests: Vec<Value>,
    warnings: Vec<Warning>,
}

/// The step value of a curve's column at time t (index of the last time ≤ t).
fn index_at(times: &[f64], t: f64) -> Option<usize> {
    times.iter().rposition(|&x| x <= t)
}

fn rows_json(data: &SurvivalData) -> Value {
    json!({"time": data.time(), "status": data.status(), "count": data.count()})
}

fn duration_section(dataset: &Dataset, view: &ViewState) -> Result<Duration> {
    let state = &view.definition;
    let reconstruction = reconstruct(dataset)?;
    let data = reconstruction.survival_data(state, view.cohort)?;
    let mut warnings = Vec::new();
    let mut metrics = Map::new();
    let options = CumulativeIncidenceOptions {
        conf_level: view.conf_level,
        ..CumulativeIncidenceOptions::default()
    };
    let cif = survival::cumulative_incidence(&data, &options)?;
    let curve = cif
        .curves
        .first()
        .ok_or_else(|| Error::new(Code::InvalidReconstruction, "no cumulative incidence curve"))?;
    let km_options = KaplanMeierOptions {
        conf_level: view.conf_level,
        ..KaplanMeierOptions::default()
    };
    let any = any_outflow(&data)?;
    let km_any = survival::kaplan_meier(&any, &km_options)?;
    // Naive 1 − KM of success, other outflow treated as censored (the bias the
    // cumulative incidence avoids).
    let naive_data = SurvivalData::new(
        data.time().iter().map(|&t| Some(t)).collect(),
        data.status()
            .iter()
            .map(|&s| Some(f64::from(u8::from(s == 1))))
            .collect(),
        Some(data.count().iter().map(|&c| Some(c)).collect()),
        None,
    )?;
    let km_naive = survival::kaplan_meier(&naive_data, &km_options)?;
    let naive = km_naive.curves.first().map(|c| {
        json!({
            "time": c.time,
            "n_risk": c.n_risk,
            "incidence": c.survival.iter().map(|s| 1.0 - s).collect::<Vec<f64>>(),
            "lower": c.upper.iter().map(|u| u.map(|u| 1.0 - u)).collect::<Vec<_>>(),
            "upper": c.lower.iter().map(|l| l.map(|l| 1.0 - l)).collect::<Vec<_>>(),
        })
    });
    let last_time = curve.time.last().copied().unwrap_or(0.0);
    let cause_at = |cause: u32, t: f64| -> Value {
        // Beyond the last observed time the curve says nothing: no number, a flag.
        if t > last_time {
            return json!({"time": t, "estimate": null, "lower": null, "upper": null,
                          "beyond_follow_up": true, "tier": "reconstructed"});
        }
        let Some(col) = curve.causes.iter().find(|c| c.cause == cause) else {
            return json!({"time": t, "estimate": 0.0, "lower": null, "upper": null, "tier": "reconstructed"});
        };
        match index_at(&curve.time, t) {
            None => {
                json!({"time": t, "estimate": 0.0, "lower": null, "upper": null, "tier": "reconstructed"})
            }
            Some(i) => json!({"time": t, "estimate": col.cif[i], "lower": col.lower[i],
                              "upper": col.upper[i], "std_err": col.std_err[i], "tier": "reconstructed"}),
        }
    };
    let s12 = cause_at(1, 12.0);
    let s24 = cause_at(1, 24.0);
    metrics.insert("duration.success_cif_12m".into(), s12["estimate"].clone());
    metrics.insert("duration.success_cif_24m".into(), s24["estimate"].clone());
    let median = km_any.curves.first().map(|c| c.median);
    metrics.insert(
        "duration.median_months".into(),
        json!(median.and_then(|m| m.estimate)),
    );
    if median.and_then(|m| m.estimate).is_none() {
        warnings.push(Warning::new(
            WarningCode::MedianNotReached,
            "fewer than half flowed out within the follow-up: the median is not reached",
        ));
    }
    // Numbers at risk every three months (those with a time at or after the grid point).
    let grid: Vec<f64> = (0..=8).map(|i| f64::from(i) * 3.0).collect();
    let at_risk: Vec<f64> = grid
        .iter()
        .map(|&g| {
            data.time()
                .iter()
                .zip(data.count())
                .filter(|(&t, _)| t >= g)
                .fold(0.0, |acc, (_, &c)| acc + c)
        })
        .collect();
    // The result measurement, under the payment definition and under the current one.
    let column = view.cohort.column();
    let result_state = DefinitionState::new(Definition::Result, state.unknown)?;
    let result_data = reconstruction.survival_data(&result_state, view.cohort)?;
    let result_cif = survival::cumulative_incidence(&result_data, &options)?;
    let result_curve = result_cif
        .curves
        .first()
        .ok_or_else(|| Error::new(Code::InvalidReconstruction, "no result curve"))?;
    let result = result_measurement(dataset, result_curve, column)?;
    let current_result = result_measurement(dataset, curve, column)?;
    metrics.insert("duration.result_28m".into(), json!(result.success_share));
    metrics.insert(
        "duration.result_28m_upper".into(),
        json!(result.success_share_upper),
    );
    if result.beyond_follow_up > 0.0 {
        warnings.push(Warning::new(
            WarningCode::BeyondFollowUp,
            format!(
                "{:.0}% of the participants are measured 28 months after their first day of sickness at a time beyond the observed follow-up ({} months): their part is extrapolated (held flat, or all still in the SIB counted as success for the upper bound)",
                100.0 * result.beyond_follow_up,
                result.follow_up_months
            ),
        ));
    }
    let current_values = json!({
        "success_cif_12m": s12,
        "success_cif_24m": s24,
        "other_cif_12m": cause_at(2, 12.0),
        "other_cif_24m": cause_at(2, 24.0),
        "median_months": median,
        "success_at_median": median.and_then(|m| m.estimate).map(|m| cause_at(1, m)),
        "other_at_median": median.and_then(|m| m.estimate).map(|m| cause_at(2, m)),
    });
    let cif_request = json!({"analysis": "cumulative_incidence", "data": rows_json(&data),
                             "conf_level": view.conf_level});
    let km_request = json!({"analysis": "kaplan_meier", "data": rows_json(&any),
                            "conf_level": view.conf_level});
    let bootstrap_requests = vec![
        json!({"id": "duration.success_cif", "label": "Successful outflow (cumulative incidence) at 12 and 24 months, reconstructed rows",
               "request": {"analysis": "bootstrap", "of": cif_request, "statistics": ["cif1@12", "cif1@24"],
                           "replicates": 2000, "seed": 1, "conf_level": view.conf_level}}),
        json!({"id": "duration.median_months", "label": "Median months to any outflow, reconstructed rows",
               "request": {"analysis": "bootstrap", "of": km_request, "statistics": ["median"],
                           "replicates": 2000, "seed": 1, "conf_level": view.conf_level}}),
    ];
    let section = json!({
        "tier": "reconstructed",
        "note": "Figure 3.2 is published only as a picture and a few numbers; every number here comes from the reconstructed life table, whose assumptions are listed.",
        "reconstruction": reconstruction,
        "rows": rows_json(&data),
        "participants": reconstruction.participants(state, view.cohort),
        "cumulative_incidence": {"tier": "reconstructed", "causes": {"1": "success", "2": "other outflow"}, "result": cif},
        "naive_one_minus_km": {"tier": "reconstructed", "note": "1 − Kaplan–Meier of successful outflow with other outflow treated as censored: overstates the success share", "curve": naive},
        "any_outflow": {"tier": "reconstructed", "result": km_any},
        "at_risk": {"time": grid, "n": at_risk, "tier": "reconstructed"},
        "published_points": reconstruction.fit,
        "published_checks": reconstruction.checks,
        "current": current_values,
        "result_measurement": result,
        "result_measurement_current_definition": current_result,
    });
    Ok(Duration {
        section,
        metrics,
        bootstrap_requests,
        warnings,
    })
}
