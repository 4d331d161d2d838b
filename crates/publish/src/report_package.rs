//! The published numbers as a report package the report page renders
//! (`data/README.md`): `joining_forces.json` (the tables, every count tier `published`,
//! withheld cells null with their rule) and `reconstruction.json` holding the published
//! duration rows (`"kind": "duration_rows"`) in place of reconstruction assumptions.
//!
//! What the microdata cannot say comes from a template package (default: the Joining
//! Forces package the report ships, `data/`): its cohorts, causes and definitions with
//! their Dutch and English labels, and the programme's numbers (the pre-programme
//! sanction rate, the payment targets and the month of the result measurement), each
//! with its source. The figure's printed points and the survey are not carried over:
//! the published rows replace the figure, and the microdata have no survey.
//!
//! The package is loaded and prepared by the report engine before anything is written,
//! so a spec and template that do not fit together fail with `invalid_spec`.

use crate::spec::Spec;
use serde_json::{json, Map, Value};
use sibstat_core::error::{Code, Error, Result};
use sibstat_report::{PreparedReport, DURATION_ROWS_KIND};

/// The programme's numbers taken from the template, by role.
const PROGRAMME_ROLES: [&str; 4] = [
    "pre_sib_sanction_rate",
    "target_2y",
    "target_4y",
    "result_measured_months",
];

fn spec_error(message: impl std::fmt::Display) -> Error {
    Error::new(
        Code::InvalidSpec,
        format!("the report package built from the spec and its template: {message}"),
    )
}

/// A cell of the report schema from a published cell: `suppressed` becomes `withheld`.
fn cell(published: &Value) -> Value {
    let mut out = Map::new();
    out.insert("count".into(), published["count"].clone());
    out.insert("percent".into(), published["percent"].clone());
    if let Some(rule) = published.get("suppressed") {
        out.insert("withheld".into(), rule.clone());
    }
    Value::Object(out)
}

fn cells(published: &Value) -> Value {
    let mut out = Map::new();
    if let Some(cells) = published.as_object() {
        for (column, c) in cells {
            out.insert(column.clone(), cell(c));
        }
    }
    Value::Object(out)
}

/// The tables in the report schema: blocks without a printed total take the first
/// block of their table that prints one as their base; `within` becomes `total_equals`.
fn tables(published: &Value, spec: &Spec) -> Result<Vec<Value>> {
    let cohort_columns: Vec<&str> = spec.cohorts.iter().map(|c| c.column.as_str()).collect();
    let mut out = Vec::new();
    for t in published["tables"].as_array().into_iter().flatten() {
        let id = t["id"].as_str().unwrap_or_default();
        let table_spec = spec
            .tables
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| spec_error(format!("table {id} is not in the spec")))?;
        let blocks = t["blocks"].as_array().cloned().unwrap_or_default();
        let base = blocks
            .iter()
            .find(|b| b.get("total").is_some())
            .and_then(|b| b["id"].as_str())
            .map(str::to_string);
        let mut out_blocks = Vec::new();
        for b in &blocks {
            let block_id = b["id"].as_str().unwrap_or_default();
            let mut block = json!({
                "id": block_id,
                "label": b["label"],
                "kind": b["kind"],
                "rows": b["rows"].as_array().into_iter().flatten().map(|r| json!({
                    "id": r["id"], "label": r["label"], "cells": cells(&r["cells"]),
                })).collect::<Vec<_>>(),
            });
            match b.get("total") {
                Some(total) => {
                    block["total"] =
                        json!({"label": total["label"], "cells": cells(&total["cells"])});
                }
                None => {
                    let base = base.clone().ok_or_else(|| {
                        spec_error(format!(
                            "table {id}, block {block_id}: no block of the table prints a total to be its base"
                        ))
                    })?;
                    block["base"] = json!(base);
                }
            }
            if let Some(within) = table_spec
                .blocks
                .iter()
                .find(|s| s.id == block_id)
                .and_then(|s| s.within.as_ref())
            {
                block["total_equals"] = json!(within);
            }
            out_blocks.push(block);
        }
        let columns = t["columns"].clone();
        let has = |c: &str| {
            columns
                .as_array()
                .is_some_and(|cols| cols.iter().any(|x| x["id"] == c))
        };
        let mut table = json!({
            "id": id, "table": t["table"], "title": t["title"],
            "columns": columns, "blocks": out_blocks,
        });
        if has(&spec.all_column.id) && cohort_columns.iter().all(|c| has(c)) {
            table["column_sum"] = json!({"parts": cohort_columns, "total": spec.all_column.id});
        }
        out.push(table);
    }
    Ok(out)
}

/// The report package's two files, `(joining_forces.json, reconstruction.json)` as
/// values, from the published numbers, the spec and the template's data file.
pub fn report_package(published: &Value, spec: &Spec, template: &Value) -> Result<(Value, Value)> {
    let mut package = template
        .get("package")
        .cloned()
        .ok_or_else(|| spec_error("the template has no \"package\" object"))?;
    let roles = package["layout"]["numbers"].clone();
    let mut numbers = Vec::new();
    let mut kept_roles = Map::new();
    for role in PROGRAMME_ROLES {
        let id = roles[role]
            .as_str()
            .ok_or_else(|| spec_error(format!("the template names no number for {role}")))?;
        let number = template["numbers"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["id"] == id)
            .ok_or_else(|| spec_error(format!("the template lacks the number {id}")))?;
        numbers.push(number.clone());
        kept_roles.insert(role.into(), json!(id));
    }
    package["layout"]["numbers"] = Value::Object(kept_roles);
    // The printed marginal-effects tables are the report's, not the microdata's.
    package["layout"]["models"] = json!([]);
    // The sickness bands as the spec cuts them.
    if let Some(bands) = spec.bands.get("sickness_band") {
        package["layout"]["sickness_duration"]["bands"] = bands
            .bands
            .iter()
            .map(|b| {
                json!({"row": b.id, "from_months": b.from,
                       "to_months": b.to.unwrap_or(spec.sickness_max_months)})
            })
            .collect();
    }
    let source = published["source"].clone();
    let title = template["report"]["title"].as_str().unwrap_or("report");
    let data = json!({
        "schema_version": 2,
        "report": {
            "title": format!("{title} — tabellen uit de microdata, peildatum {}", published["cutoff"].as_str().unwrap_or("")),
            "authors": [],
            "publisher": source,
            "commissioned_by": template["report"]["commissioned_by"],
            "date": published["cutoff"],
            "text": "published.json",
            "pages": "None: a package published as data; a table number is cited by table, row and column, the programme's numbers by the template's source.",
        },
        "package": package,
        "tables": tables(published, spec)?,
        "models": [],
        "numbers": numbers,
        "relations": [],
    });
    let duration = json!({
        "schema_version": 1,
        "kind": DURATION_ROWS_KIND,
        "tier": "published",
        "source": source,
        "time_unit": published["duration"]["time_unit"],
        "k": published["k"],
        "cutoff": published["cutoff"],
        "cohorts": published["duration"]["cohorts"],
    });
    // The engine must read what is written: prepared once here, nothing written on error.
    let text = |v: &Value| serde_json::to_string(v).expect("a JSON value serialises");
    PreparedReport::from_json(&text(&data), &text(&duration))
        .map_err(|e| spec_error(format!("{} ({})", e.message, e.code.as_str())))?;
    Ok((data, duration))
}
