//! The package written to `DIR`: `published.json` (every printed number, tier
//! `published`, with its source), `disclosure.json` and `disclosure.md` (every cell
//! withheld, pooled or merged, by which rule, and the audit). No output carries a
//! timestamp or a withheld value: the same input gives the same bytes.

use crate::aggregate::{Outputs, RowOut};
use crate::audit::{Key, Model, Status};
use crate::disclosure::Disclosure;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The version written into the source note.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The package's files: name → text.
pub type Files = BTreeMap<String, String>;

fn describe(key: &Key) -> String {
    if key.is_empty() {
        return "everyone".into();
    }
    key.iter()
        .map(|(v, set)| {
            format!(
                "{v} ∈ {{{}}}",
                set.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(" ∧ ")
}

/// A printed count: the number, or `null` when withheld.
fn count(model: &Model, cell: usize) -> Value {
    match model.cells[cell].status {
        Status::Published => json!(model.cells[cell].value),
        _ => Value::Null,
    }
}

fn rule(model: &Model, cell: usize) -> Option<&str> {
    match &model.cells[cell].status {
        Status::Suppressed(r) => Some(r.as_str()),
        _ => None,
    }
}

/// Percent as printed (whole, half away from zero) when count and base are printed.
fn percent(model: &Model, cell: usize, base: Option<usize>) -> Value {
    let (Some(b), Status::Published) = (base, &model.cells[cell].status) else {
        return Value::Null;
    };
    if model.cells[b].status != Status::Published || model.cells[b].value == 0 {
        return Value::Null;
    }
    json!((100.0 * model.cells[cell].value as f64 / model.cells[b].value as f64).round())
}

fn cells_json(model: &Model, row: &RowOut, total: &RowOut) -> Value {
    let mut cells = Map::new();
    for (col, &c) in &row.cells {
        let mut cell = Map::new();
        cell.insert("count".into(), count(model, c));
        cell.insert(
            "percent".into(),
            percent(model, c, total.cells.get(col).copied()),
        );
        if let Some(r) = rule(model, c) {
            cell.insert("suppressed".into(), json!(r));
        }
        cells.insert(col.clone(), Value::Object(cells_sorted(cell)));
    }
    Value::Object(cells)
}

fn cells_sorted(m: Map<String, Value>) -> Map<String, Value> {
    // serde_json's Map is ordered by key without preserve_order: deterministic.
    m
}

/// Builds the package's files.
pub fn files(
    spec_id: &str,
    cutoff: &str,
    k: u64,
    protection: u64,
    model: &Model,
    outputs: &Outputs,
    disclosure: &Disclosure,
) -> Files {
    let source =
        format!("aggregated from microdata by sibstat publish {VERSION} with spec {spec_id}");
    let tables: Vec<Value> = outputs
        .tables
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "table": t.table, "title": t.title,
                "columns": t.columns.iter().map(|(id, label)| json!({"id": id, "label": label})).collect::<Vec<_>>(),
                "blocks": t.blocks.iter().map(|b| {
                    let mut block = json!({
                        "id": b.id, "label": b.label,
                        "kind": match b.kind { crate::spec::BlockKind::Partition => "partition", crate::spec::BlockKind::Multiple => "multiple" },
                        "rows": b.rows.iter().map(|r| json!({"id": r.id, "label": r.label, "cells": cells_json(model, r, &b.total)})).collect::<Vec<_>>(),
                    });
                    if b.total_printed {
                        block["total"] = json!({"label": b.total.label, "cells": cells_json(model, &b.total, &b.total)});
                    }
                    block
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let duration: Vec<Value> = outputs
        .duration
        .iter()
        .map(|d| {
            json!({
                "cohort": d.cohort,
                "groups": d.groups,
                "steps": d.steps.iter().map(|s| json!({
                    "from_month": s.from, "to_month": s.to,
                    "events": s.events.iter().map(|(g, &c)| (g.clone(), count(model, c))).collect::<Map<_, _>>(),
                    "censored": count(model, s.censored),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let cross: Vec<Value> = outputs
        .cross_tables
        .iter()
        .map(|x| {
            let publish_model = model_published(model, x);
            json!({
                "id": x.id, "cohort": x.cohort, "label": x.label, "by": x.by,
                "levels": x.levels.iter().map(|l| json!({
                    "id": l.id, "values": l.values,
                    "cells": l.cells.iter().map(|(c, &(s, n))| (c.clone(), json!({"successes": count(model, s), "trials": count(model, n)}))).collect::<Map<_, _>>(),
                })).collect::<Vec<_>>(),
                "model": if publish_model { json!({"terms": [x.by], "residual_df": x.residual_df}) } else { Value::Null },
            })
        })
        .collect();
    let published = json!({
        "package_version": 1,
        "tier": "published",
        "source": source,
        "spec": spec_id,
        "cutoff": cutoff,
        "k": k,
        "tables": tables,
        "duration": {
            "time_unit": "months since entry; outflows during month m lie in [m − 1, m), censorings at the end of a whole month",
            "cohorts": duration,
        },
        "cross_tables": cross,
    });

    // --- disclosure report ---
    let loc = |c: usize| outputs.locations.get(&c).cloned().unwrap_or_default();
    let audit: BTreeMap<usize, &crate::disclosure::AuditEntry> =
        disclosure.audit.iter().map(|a| (a.cell, a)).collect();
    let range_json = |c: usize| {
        audit.get(&c).map(|a| {
            json!({"lower": round6(a.range.lower), "upper": if a.range.upper.is_finite() { json!(round6(a.range.upper)) } else { Value::Null }, "protected": a.protected})
        })
    };
    let mut suppressed = Vec::new();
    for &c in &disclosure.primary {
        suppressed.push(json!({"cells": loc(c), "population": describe(&model.cells[c].key), "rule": "threshold", "feasible_range": range_json(c)}));
    }
    for &(c, target) in &disclosure.secondary {
        suppressed.push(json!({"cells": loc(c), "population": describe(&model.cells[c].key), "rule": "secondary", "protects": describe(&model.cells[target].key), "feasible_range": range_json(c)}));
    }
    let hidden: Vec<Value> = disclosure
        .audit
        .iter()
        .filter(|a| !model.cells[a.cell].is_output)
        .map(|a| json!({"population": describe(&model.cells[a.cell].key), "feasible_range": range_json(a.cell)}))
        .collect();
    let pooled: Vec<Value> = outputs
        .duration
        .iter()
        .flat_map(|d| {
            d.steps
                .iter()
                .filter(|s| s.to > s.from)
                .map(move |s| json!({"cohort": d.cohort, "from_month": s.from, "to_month": s.to}))
        })
        .collect();
    let mut merged: Vec<Value> = outputs
        .duration
        .iter()
        .flat_map(|d| d.merged_groups.iter().map(move |g| json!({"where": "duration", "cohort": d.cohort, "group": g, "into": "fallback group", "rule": "cohort total of the group in 1..k−1"})))
        .collect();
    for x in &outputs.cross_tables {
        for m in &x.merges {
            merged.push(json!({"where": x.id, "cohort": x.cohort, "levels": m, "rule": "a cell with fewer than k trials, or successes or failures in 1..k−1"}));
        }
    }
    let models: Vec<Value> = outputs
        .cross_tables
        .iter()
        .map(|x| json!({"cross_table": x.id, "cohort": x.cohort, "residual_df": x.residual_df, "levels": x.levels.len(), "published": model_published(model, x)}))
        .collect();
    let all_protected = disclosure.audit.iter().all(|a| a.protected);
    let disclosure_json = json!({
        "source": published["source"],
        "k": k,
        "protection": protection,
        "rules": {
            "threshold": format!("no printed count in 1..{}; zeros printed unless the spec declares them disclosive", k - 1),
            "secondary": format!("every withheld or derivable count in 1..{} has a feasible range (linear programming over everything printed) at least {protection} wide", k - 1),
            "duration": format!("months pooled until each step has at least {k} leaving the risk set and no cause group or censoring count in 1..{}", k - 1),
            "cross_tables": format!("levels merged until every cell has at least {k} trials and no successes or failures in 1..{}", k - 1),
            "models": format!("a model is published only with at least {MIN_RESIDUAL_DF} residual degrees of freedom"),
        },
        "suppressed": suppressed,
        "derived_small_counts": hidden,
        "pooled": pooled,
        "merged": merged,
        "models": models,
        "audit": {
            "cells": model.cells.len(),
            "relations": model.relations.len(),
            "checked": disclosure.audit.len(),
            "all_protected": all_protected,
        },
    });

    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Disclosure report\n\n{}.\n",
        published["source"].as_str().unwrap_or("")
    );
    let _ = writeln!(
        md,
        "Threshold k = {k}; protection width {protection}; cut-off {cutoff}.\n"
    );
    let _ = writeln!(
        md,
        "## Withheld cells ({})\n",
        disclosure.primary.len() + disclosure.secondary.len()
    );
    let _ = writeln!(
        md,
        "| cells | rule | feasible range | protected |\n| --- | --- | --- | --- |"
    );
    for s in disclosure
        .primary
        .iter()
        .map(|&c| (c, "threshold".to_string()))
        .chain(disclosure.secondary.iter().map(|&(c, t)| {
            (
                c,
                format!("secondary (protects {})", describe(&model.cells[t].key)),
            )
        }))
    {
        let (c, r) = s;
        let (range, prot) = match audit.get(&c) {
            Some(a) => (
                fmt_range(a.range),
                if a.protected { "yes" } else { "**no**" },
            ),
            None => ("—".into(), "—"),
        };
        let _ = writeln!(md, "| {} | {r} | {range} | {prot} |", loc(c).join(", "));
    }
    let _ = writeln!(
        md,
        "\n## Derived counts that needed protection ({})\n",
        hidden.len()
    );
    let _ = writeln!(
        md,
        "| population | feasible range | protected |\n| --- | --- | --- |"
    );
    for a in disclosure
        .audit
        .iter()
        .filter(|a| !model.cells[a.cell].is_output)
    {
        let _ = writeln!(
            md,
            "| {} | {} | {} |",
            describe(&model.cells[a.cell].key),
            fmt_range(a.range),
            if a.protected { "yes" } else { "**no**" }
        );
    }
    let _ = writeln!(md, "\n## Duration rows: pooled steps\n");
    for d in &outputs.duration {
        let steps: Vec<String> = d
            .steps
            .iter()
            .map(|s| {
                if s.from == s.to {
                    format!("{}", s.from)
                } else {
                    format!("{}–{}", s.from, s.to)
                }
            })
            .collect();
        let _ = writeln!(
            md,
            "- {}: months {}{}",
            d.cohort,
            steps.join(", "),
            if d.merged_groups.is_empty() {
                String::new()
            } else {
                format!(
                    "; groups merged into the fallback: {}",
                    d.merged_groups.join(", ")
                )
            }
        );
    }
    let _ = writeln!(md, "\n## Cross-tables\n");
    for x in &outputs.cross_tables {
        let _ = writeln!(
            md,
            "- {} ({}): levels {}; {} individuals; residual df {}; model {}",
            x.id,
            x.cohort,
            x.levels
                .iter()
                .map(|l| l.id.clone())
                .collect::<Vec<_>>()
                .join(", "),
            x.n,
            x.residual_df,
            if model_published(model, x) {
                "published"
            } else {
                "not published"
            }
        );
    }
    let _ = writeln!(
        md,
        "\n## Audit\n\n{} cells, {} relations; {} cells needed protection; all protected: {}.",
        model.cells.len(),
        model.relations.len(),
        disclosure.audit.len(),
        if all_protected { "yes" } else { "**no**" }
    );

    let mut out = Files::new();
    out.insert("published.json".into(), pretty(&published));
    out.insert("disclosure.json".into(), pretty(&disclosure_json));
    out.insert("disclosure.md".into(), md);
    out
}

/// A model needs at least this many residual degrees of freedom to be published.
pub const MIN_RESIDUAL_DF: i64 = 10;

/// A cross-table's logit is published when it has at least [`MIN_RESIDUAL_DF`]
/// residual degrees of freedom, two levels or more, and every cell printed (a model
/// fitted on withheld cells would reveal them).
pub fn model_published(model: &Model, x: &crate::aggregate::CrossTableOut) -> bool {
    x.residual_df >= MIN_RESIDUAL_DF
        && x.levels.len() > 1
        && x.levels
            .iter()
            .flat_map(|l| l.cells.values())
            .all(|&(s, n)| {
                model.cells[s].status == Status::Published
                    && model.cells[n].status == Status::Published
            })
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn fmt_range(r: crate::audit::Range) -> String {
    if r.upper.is_finite() {
        format!("[{}, {}]", round6(r.lower), round6(r.upper))
    } else {
        format!("[{}, ∞)", round6(r.lower))
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).expect("a JSON value serialises") + "\n"
}
