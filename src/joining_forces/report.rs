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
//!   duration: {...} (see super::reconstruction and super::result_measurement),
//!   wellbeing: {invited, respondents, response_percent, response_share},
//!   reconciliation: {checks, findings},
//!   metrics: {name: number},
//!   bootstrap_requests: [{id, label, request}],
//!   warnings: [{code, message}] }
//! ```
//!
//! A share is a `proportion` response (`estimate`, `lower`, `upper`, ...) with `tier`.

use super::comparison::Binomial;
use super::dataset::{BlockKind, Dataset};
use super::definitions::{Cause, Class, Definition, DefinitionState, UnknownPolicy};
use super::outcomes::{cohort_outcomes, pre_sib_rate, report_numbers, Cohort};
use super::reconciliation::reconcile;
use crate::binomial::{proportion, ProportionInput, ProportionMethod};
use crate::error::{Code, Error, Result, Warning};
use serde_json::{json, Map, Value};

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
    let mut value = crate::api::to_value(&proportion(&input))?;
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
            for col in ["cohort1", "cohort2", "all"] {
                counts.insert(
                    col.into(),
                    json!(dataset.count(&format!("t3_2.cause.{}.{col}.count", cause.row_id()))?),
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
            "empty_base",
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
    let mut columns = Vec::new();
    for s in &numbers.sanctions {
        columns.push(json!({
            "column": s.column,
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
        let response = match crate::api::analyse(request.clone()) {
            Ok(v) => v,
            Err(e) => {
                warnings.push(Warning::new(
                    "logit_not_fitted",
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
    let bootstrap_requests = vec![json!({
        "id": "outflow.success_share",
        "label": "Success share among the outflow (current cohort)",
        "request": {"analysis": "bootstrap", "of": success_share_request,
                    "statistics": ["estimate"], "replicates": 2000, "seed": 1,
                    "conf_level": conf_level},
    })];

    Ok(json!({
        "analysis": "joining_forces",
        "state": view.to_json(),
        "causes": causes(dataset, state)?,
        "participants": participants(dataset)?,
        "outflow": outflow,
        "sanctions": sanctions,
        "predictors": predictors,
        "duration": Value::Null,
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
