//! Everything the report page shows for one view state, as one JSON response, from a
//! [`PreparedReport`]: the package is parsed and validated, figure 3.2 reconstructed
//! and the printed numbers reconciled once; [`PreparedReport::view`] then answers each
//! view state (a toggle) without parsing or fitting again.
//!
//! Every number carries its `tier`: `published` (printed in the report, with its
//! `source`), `derived` (computed from published counts) or `reconstructed` (from the
//! reconstructed life table of figure 3.2, see [`super::reconstruction`]). The response:
//!
//! ```text
//! { state: {definition, success_causes, unknown, cohort, conf_level},
//!   package: {id, title, cohorts: [{id, key, label, long_label}], all, causes: [{id, label, unknown}],
//!             definitions: [{id, label, hint, success}], default_definition, payment_definition, columns},
//!   causes: [{id, label_nl, label_en, class, counted_as, counts: {column: n}, tier, source}],
//!   participants: {tier, source, columns, blocks: [{id, label, kind, rows: [{id, label,
//!                  cells: {col: {count, percent_printed, share}}}], base}]},
//!   outflow: {cohorts: [{cohort, participants, no_outflow, outflow, successes, failures,
//!             excluded, success_share, success_share_of_participants}], current,
//!             cohort_difference: [{base, first, second, cohort1, cohort2, test}], tier},
//!   sanctions: {pre_sib_rate, columns: [{column, share, against_pre_sib}], current,
//!               cohort_difference (the first pair), cohort_differences (every pair)},
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
//!   bootstrap_requests: [{id, label, request}] (only statistics defined for the view),
//!   bootstrap_undefined: [{id, statistic, reason, message}] (the ones left out, and why),
//!   warnings: [{code, message}] }
//! ```
//!
//! A share is a `proportion` response (`estimate`, `lower`, `upper`, ...) with `tier`.
//!
//! The parts that are the same for every view state ([`FIXED_PARTS`]: the package, the
//! participants table, the reconciliation, the targets, the published models, the
//! reconstruction and its fit) are built once; [`PreparedReport::view_only`] leaves
//! them out, for a page that receives them once ([`PreparedReport::fixed_parts`]), and
//! [`with_fixed_parts`] puts them back.

use super::dataset::{BlockKind, Dataset};
use super::definitions::DefinitionState;
use super::outcomes::{cohort_outcomes, pre_sib_rate, report_numbers, unless_withheld};
use super::package::NumberRoles;
use super::published_duration::PublishedDuration;
use super::reconciliation::reconcile;
use super::reconstruction::{any_outflow, reconstruct_with, Assumptions, Reconstruction};
use super::result_measurement::result_measurement;
use serde_json::{Map, Value};
use sibstat_core::binomial::Binomial;
use sibstat_core::binomial::{proportion, ProportionInput, ProportionMethod};
use sibstat_core::error::{Code, Error, Result, Warning, WarningCode};
use sibstat_core::survival::{self, CumulativeIncidenceOptions, KaplanMeierOptions, SurvivalData};

/// The view state of the report page (`def`, `causes`, `unknown`, `cohort` and the
/// options in its URL), validated against the package.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    /// Definition and unknown policy.
    pub definition: DefinitionState,
    /// The cohort shown: a cohort's column id, or the package's `all` id.
    pub cohort: String,
    /// Confidence level of every interval.
    pub conf_level: f64,
}

impl ViewState {
    /// The report's own view: its default definition, unknown excluded, every cohort, 95 %.
    pub fn report_default(dataset: &Dataset) -> Result<ViewState> {
        Ok(ViewState {
            definition: DefinitionState::report_default(&dataset.package)?,
            cohort: dataset.package.all.id.clone(),
            conf_level: 0.95,
        })
    }

    /// The state as a JSON object, normalised (success causes listed in the package's
    /// order for every definition; the cohort by its key).
    pub fn to_json(&self, dataset: &Dataset) -> Value {
        let key = dataset
            .package
            .cohort(&self.cohort)
            .map_or(self.cohort.as_str(), |c| c.key.as_str());
        json!({
            "definition": self.definition.definition,
            "success_causes": self.definition.success,
            "unknown": self.definition.unknown,
            "cohort": key,
            "conf_level": self.conf_level,
        })
    }

    /// The cohort as the reconstruction filters it: `None` for every cohort.
    fn cohort_filter<'a>(&'a self, dataset: &Dataset) -> Option<&'a str> {
        (self.cohort != dataset.package.all.id).then_some(self.cohort.as_str())
    }
}

/// A report package prepared once: the validated data, the reconstruction of figure
/// 3.2 and the reconciliation. [`PreparedReport::view`] answers a view state from it.
#[derive(Debug, Clone)]
pub struct PreparedReport {
    dataset: Dataset,
    /// Where the duration rows come from.
    duration: DurationSource,
    /// What never changes with the view, serialised once.
    fixed: Fixed,
}

/// Where a package's duration rows come from.
#[derive(Debug, Clone)]
enum DurationSource {
    /// Reconstructed from a printed figure (or why that failed: reported in every view).
    Reconstructed(Box<std::result::Result<Reconstruction, Error>>),
    /// Published as rows by the evaluator (`sibstat publish`).
    Published(PublishedDuration),
}

/// The places in the response of the parts that are the same for every view state
/// (see [`PreparedReport::fixed_parts`]): a key, or a section's key and the key in it.
pub const FIXED_PARTS: [&str; 8] = [
    "package",
    "participants",
    "reconciliation",
    "targets",
    "predictors.published",
    "duration.reconstruction",
    "duration.published_points",
    "duration.published_checks",
];

/// The parts of the response that do not depend on the view state.
#[derive(Debug, Clone)]
struct Fixed {
    /// The response's parts that are the same for every view, by their place
    /// ([`FIXED_PARTS`]).
    parts: Map<String, Value>,
    sanction_logit: (Value, Option<Warning>),
    /// The survey's invited, respondents and response as printed (none in a package
    /// published from microdata).
    wellbeing: Option<(Value, Value, Value)>,
}

impl PreparedReport {
    /// Prepares a package from its two files as JSON text (`joining_forces.json` and
    /// `reconstruction.json`).
    pub fn from_json(data: &str, reconstruction: &str) -> Result<PreparedReport> {
        let dataset = Dataset::from_json(data)?;
        let second: Value = serde_json::from_str(reconstruction).map_err(|e| {
            Error::new(
                Code::InvalidDataFile,
                format!("reconstruction file, (file): not valid JSON: {e}"),
            )
        })?;
        PreparedReport::with_second_file(dataset, &second)
    }

    /// Prepares a package from its data file and its second file: the reconstruction
    /// assumptions of a printed report, or the duration rows of a package published
    /// from microdata (`"kind": "duration_rows"`).
    pub fn with_second_file(dataset: Dataset, second: &Value) -> Result<PreparedReport> {
        if PublishedDuration::is_duration_rows(second) {
            let rows = PublishedDuration::from_value(second, &dataset)?;
            PreparedReport::prepare(dataset, DurationSource::Published(rows))
        } else {
            PreparedReport::new(dataset, Assumptions::from_value(second)?)
        }
    }

    /// Prepares a package: validates it, reconstructs figure 3.2 and reconciles the
    /// printed numbers. A reconstruction that fails is not an error here: every view
    /// then reports `duration_unavailable` and shows the rest.
    pub fn new(dataset: Dataset, assumptions: Assumptions) -> Result<PreparedReport> {
        let reconstruction = reconstruct_with(&dataset, &assumptions);
        PreparedReport::prepare(
            dataset,
            DurationSource::Reconstructed(Box::new(reconstruction)),
        )
    }

    fn prepare(dataset: Dataset, duration: DurationSource) -> Result<PreparedReport> {
        let models: Vec<Value> = dataset
            .package
            .layout
            .models
            .iter()
            .filter_map(|id| dataset.model(id))
            .map(|m| {
                json!({"tier": "published", "source": {"table": m.table, "page": m.page, "line": m.line},
                       "table": m})
            })
            .collect();
        let roles = &dataset.package.layout.numbers;
        let (reconstruction, published_points, published_checks) = match &duration {
            DurationSource::Reconstructed(r) => match r.as_ref() {
                Ok(r) => (
                    sibstat_api::to_value(r)?,
                    sibstat_api::to_value(&r.fit)?,
                    sibstat_api::to_value(&r.checks)?,
                ),
                // Every view then reports duration_unavailable, with no duration section.
                Err(_) => (Value::Null, json!([]), json!([])),
            },
            DurationSource::Published(rows) => (sibstat_api::to_value(rows)?, json!([]), json!([])),
        };
        let parts: Vec<Value> = vec![
            sibstat_api::to_value(&dataset.package)?,
            participants(&dataset)?,
            sibstat_api::to_value(&reconcile(&dataset))?,
            json!({
                "two_years": published(&dataset, &roles.target_2y)?,
                "four_years": published(&dataset, &roles.target_4y)?,
            }),
            Value::Array(models),
            reconstruction,
            published_points,
            published_checks,
        ];
        let fixed = Fixed {
            parts: {
                // Inserted one by one: `collect` into a map sorts first (a copy of the sort).
                let mut map = Map::new();
                for (place, part) in FIXED_PARTS.iter().zip(parts) {
                    map.insert(place.to_string(), part);
                }
                map
            },
            sanction_logit: match unless_withheld(super::outcomes::sanction_logit_request(
                &dataset,
            ))? {
                Ok(request) => fit_logit(&request, "Wage sanction on cohort"),
                Err(e) => (
                    Value::Null,
                    Some(withheld_warning("Wage sanction on cohort", &e)),
                ),
            },
            wellbeing: {
                let roles = &dataset.package.layout.numbers;
                match (
                    &roles.survey_invited,
                    &roles.survey_respondents,
                    &roles.survey_response_percent,
                ) {
                    (Some(invited), Some(respondents), Some(percent)) => Some((
                        published(&dataset, invited)?,
                        published(&dataset, respondents)?,
                        published(&dataset, percent)?,
                    )),
                    _ => None,
                }
            },
        };
        Ok(PreparedReport {
            dataset,
            duration,
            fixed,
        })
    }

    /// The validated data.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The reconstruction of figure 3.2, or the coded error that prevented it.
    pub fn reconstruction(&self) -> Result<&Reconstruction> {
        match &self.duration {
            DurationSource::Reconstructed(r) => r.as_ref().as_ref().map_err(Clone::clone),
            DurationSource::Published(_) => Err(Error::new(
                Code::InvalidReconstruction,
                "this package publishes its duration rows (a package from sibstat publish): there is no reconstruction",
            )),
        }
    }

    /// The published duration rows, in a package published from microdata.
    pub fn published_duration(&self) -> Option<&PublishedDuration> {
        match &self.duration {
            DurationSource::Published(rows) => Some(rows),
            DurationSource::Reconstructed(_) => None,
        }
    }

    /// The package's cohorts, causes, definitions and labels, for a page to build its
    /// controls from.
    pub fn package(&self) -> &Value {
        &self.fixed.parts["package"]
    }

    /// The parts of every view's response that are the same for every view state (the
    /// package, the participants table, the reconciliation, the targets, the published
    /// models, the reconstruction and its fit), keyed by their place in the response
    /// ([`FIXED_PARTS`]: `"duration.reconstruction"` is the key `reconstruction` of
    /// the response's `duration`). With [`Self::view_only`] a page receives them once
    /// instead of with every view.
    pub fn fixed_parts(&self) -> &Map<String, Value> {
        &self.fixed.parts
    }

    /// The view state of a request object: `{"definition"?, "success_causes"?,
    /// "unknown"?, "cohort"?, "conf_level"?}` (an `"analysis"` key is ignored).
    pub fn state(&self, request: &Value) -> Result<ViewState> {
        crate::request::view_state(&self.dataset, request)
    }

    /// The response for a view state given as a request object (see [`Self::state`]).
    pub fn view(&self, request: &Value) -> Result<Value> {
        let state = self.state(request)?;
        self.respond(&state)
    }

    /// The response for a validated view state.
    pub fn respond(&self, view: &ViewState) -> Result<Value> {
        let mut response = report_response(self, view)?;
        with_fixed_parts(&mut response, &self.fixed.parts);
        Ok(response)
    }

    /// The response for a view state without its fixed parts ([`Self::fixed_parts`]):
    /// [`with_fixed_parts`] makes it the whole response of [`Self::view`].
    pub fn view_only(&self, request: &Value) -> Result<Value> {
        let state = self.state(request)?;
        report_response(self, &state)
    }
}

/// Puts the fixed parts ([`PreparedReport::fixed_parts`]) into a response without them
/// ([`PreparedReport::view_only`]), each at its place: a part of a section goes in only
/// where the response has that section (no duration section, no reconstruction).
pub fn with_fixed_parts(response: &mut Value, parts: &Map<String, Value>) {
    for (place, value) in parts {
        let (section, key) = match place.split_once('.') {
            Some((section, key)) => (response.get_mut(section), key),
            None => (Some(&mut *response), place.as_str()),
        };
        if let Some(Value::Object(object)) = section {
            object.insert(key.to_string(), value.clone());
        }
    }
}

/// Fits a logit request of the report; a cross-table with an empty cell cannot be
/// fitted, which is a warning, not an error.
fn fit_logit(request: &Value, label: &str) -> (Value, Option<Warning>) {
    match sibstat_api::analyse_logit(request.clone()) {
        Ok(v) => (v, None),
        Err(e) => (
            Value::Null,
            Some(Warning::new(
                WarningCode::LogitNotFitted,
                format!("{label}: {}", e.message),
            )),
        ),
    }
}

/// The warning for a number not computed because a cell it needs is withheld.
fn withheld_warning(what: &str, error: &Error) -> Warning {
    Warning::new(
        WarningCode::WithheldCells,
        format!("{what}: not computed, {}", error.message),
    )
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
    let package = &dataset.package;
    let layout = &package.layout.outflow;
    let table = dataset.table(&layout.table).ok_or_else(|| {
        Error::new(
            Code::InvalidDataFile,
            "data file: the outflow table is missing",
        )
    })?;
    let block = table
        .blocks
        .iter()
        .find(|b| b.id == layout.causes)
        .ok_or_else(|| {
            Error::new(
                Code::InvalidDataFile,
                "data file: the causes block is missing",
            )
        })?;
    let columns: Vec<&str> = package
        .cohorts
        .iter()
        .chain(std::iter::once(&package.all))
        .map(|c| c.id.as_str())
        .collect();
    package
        .causes
        .iter()
        .map(|cause| {
            // Rows and causes are the same list (checked on loading).
            let row = block
                .rows
                .iter()
                .find(|r| r.id == cause.id)
                .ok_or_else(|| {
                    Error::new(
                        Code::InvalidDataFile,
                        format!("data file: the causes block lacks the cause {}", cause.id),
                    )
                })?;
            let mut counts = Map::new();
            let mut percent_printed = Map::new();
            let mut share_of_outflow = Map::new();
            let mut withheld = Map::new();
            for &col in &columns {
                let cause_count = unless_withheld(dataset.cell_count(
                    &layout.table,
                    &layout.causes,
                    &cause.id,
                    col,
                ))?
                .ok();
                counts.insert(col.into(), json!(cause_count));
                if let Some(rule) = row.cells.get(col).and_then(|c| c.withheld.as_ref()) {
                    withheld.insert(col.into(), json!(rule));
                }
                // As printed, beside its recomputation: the cause's count over the
                // column's outflow (the table's base for the cause shares).
                percent_printed.insert(col.into(), json!(row.cells.get(col).map(|c| c.percent)));
                let outflow = unless_withheld(dataset.cell_count(
                    &layout.table,
                    &layout.block,
                    &layout.yes,
                    col,
                ))?
                .ok();
                let share = match (cause_count, outflow) {
                    (Some(n), Some(outflow)) if outflow > 0 => Some(n as f64 / outflow as f64),
                    _ => None,
                };
                share_of_outflow.insert(col.into(), json!(share));
            }
            let counted_as = state.classify(&cause.id).as_str();
            let class = if cause.unknown { "unknown" } else { counted_as };
            Ok(json!({
                "id": cause.id,
                "label_nl": cause.label.nl,
                "label_en": cause.label.en,
                "unknown": cause.unknown,
                "class": class,
                "counted_as": counted_as,
                "counts": counts,
                "withheld": withheld,
                "percent_printed": percent_printed,
                "share_of_outflow": share_of_outflow,
                "share_tier": "derived",
                "tier": "published",
                "source": {"table": table.table, "page": table.page, "line": row.line},
            }))
        })
        .collect()
}

fn participants(dataset: &Dataset) -> Result<Value> {
    let id = &dataset.package.layout.participants;
    let table = dataset.table(id).ok_or_else(|| {
        Error::new(
            Code::InvalidDataFile,
            format!("data file: the participants table {id} is missing"),
        )
    })?;
    let mut blocks = Vec::new();
    for block in &table.blocks {
        let base_block = block.base.as_deref().unwrap_or(block.id.as_str());
        let mut rows = Vec::new();
        for row in &block.rows {
            let mut cells = Map::new();
            for (col, cell) in &row.cells {
                // A withheld base (or count) leaves the share out, not the table.
                let base = match dataset.cell_count(&table.id, base_block, "total", col) {
                    Ok(base) => Some(base),
                    Err(e) if e.code == Code::WithheldCell => None,
                    Err(e) => return Err(e),
                };
                let share = match (cell.count, base) {
                    (Some(count), Some(base)) if base > 0 => Some(count / base as f64),
                    _ => None,
                };
                cells.insert(
                    col.clone(),
                    json!({
                        "count": cell.count,
                        "percent_printed": cell.percent,
                        "share": share,
                        "base": base,
                        "withheld": cell.withheld,
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
        "source": {"table": table.table, "page": table.page, "line": table.line},
        "title": table.title,
        "columns": table.columns,
        "blocks": blocks,
    }))
}

/// A statistic the bootstrap is not asked for because it is undefined for the view.
fn undefined(id: &str, statistic: &str, reason: &str, message: String) -> (Value, Warning) {
    (
        json!({"id": id, "statistic": statistic, "reason": reason, "message": message}),
        Warning::new(WarningCode::StatisticUndefined, message),
    )
}

/// Builds the whole response for a view state from a prepared report.
fn report_response(prepared: &PreparedReport, view: &ViewState) -> Result<Value> {
    let dataset = &prepared.dataset;
    let package = &dataset.package;
    let fixed = &prepared.fixed;
    let state = &view.definition;
    let conf_level = view.conf_level;
    let numbers = report_numbers(dataset, state, conf_level)?;
    let mut warnings: Vec<Warning> = Vec::new();
    let mut metrics = Map::new();
    let key_of = |column: &str| {
        package
            .cohort(column)
            .map_or(column.to_string(), |c| c.key.clone())
    };
    let outflow_table = dataset.table(&package.layout.outflow.table);
    let outflow_source =
        outflow_table.map(|t| json!({"table": t.table, "page": t.page, "line": t.line}));

    // Outflow.
    let mut cohorts = Vec::new();
    for o in &numbers.outcomes {
        cohorts.push(json!({
            "cohort": key_of(&o.cohort),
            "column": o.cohort,
            "participants": o.participants,
            "no_outflow": o.no_outflow,
            "outflow": o.outflow,
            "successes": o.successes,
            "failures": o.failures,
            "excluded": o.excluded,
            "counts_tier": "published",
            "source": outflow_source,
            "success_share": share(o.among_outflow, conf_level, None)?,
            "success_share_of_participants": share(o.among_participants, conf_level, None)?,
        }));
    }
    for w in numbers.withheld.iter().filter(|w| w.part == "outflow") {
        // The outflow block may be printed even when a cause is withheld.
        let layout = &package.layout.outflow;
        let printed = |row: &str| {
            unless_withheld(dataset.cell_count(&layout.table, &layout.block, row, &w.column))
                .map(|r| r.ok())
        };
        cohorts.push(json!({
            "cohort": key_of(&w.column),
            "column": w.column,
            "participants": printed("total")?,
            "no_outflow": printed(&layout.none)?,
            "outflow": printed(&layout.yes)?,
            "withheld": w.message,
            "source": outflow_source,
        }));
    }
    // The current cohort's outcomes, unless a cell they need is withheld.
    let current = match unless_withheld(cohort_outcomes(dataset, state, &view.cohort))? {
        Ok(current) => Some(current),
        Err(e) => {
            warnings.push(withheld_warning("The success share of this view", &e));
            None
        }
    };
    let current_share = match &current {
        Some(c) => share(c.among_outflow, conf_level, None)?,
        None => json!({"estimate": null, "lower": null, "upper": null}),
    };
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
        json!(current.as_ref().and_then(|c| c.among_participants.share())),
    );
    if current
        .as_ref()
        .is_some_and(|c| c.among_outflow.trials == 0)
    {
        warnings.push(Warning::new(
            WarningCode::EmptyBase,
            "no outflow counts under this definition: the success share has no base",
        ));
    }
    let differences: Vec<Value> = numbers
        .cohort_difference
        .iter()
        .map(|d| {
            json!({"base": d.base, "first": key_of(&d.first), "second": key_of(&d.second),
                   "cohort1": d.cohort1, "cohort2": d.cohort2, "test": d.test, "tier": "derived"})
        })
        .collect();
    let outflow = json!({
        "cohorts": cohorts,
        "current": key_of(&view.cohort),
        "current_withheld": current.is_none(),
        "cohort_difference": differences,
        "base_note": "success share = successes / (successes + failures) among the outflow of the cohort (the outflow table's base); outflows of unknown cause follow the unknown policy",
    });

    // Sanctions.
    let sanction_layout = &package.layout.sanctions;
    let sanction_table = dataset.table(&sanction_layout.table);
    let sanction_row = sanction_table
        .and_then(|t| t.blocks.iter().find(|b| b.id == sanction_layout.block))
        .and_then(|b| b.rows.iter().find(|r| r.id == sanction_layout.yes));
    let sanction_source =
        sanction_table.map(|t| json!({"table": t.table, "page": t.page, "line": t.line}));
    let reference = pre_sib_rate(dataset)?;
    let mut columns = Vec::new();
    // The share as printed, beside which the page shows its recomputation.
    let printed = |column: &str| {
        sanction_row
            .and_then(|row| row.cells.get(column))
            .and_then(|cell| cell.percent)
    };
    for s in &numbers.sanctions {
        columns.push(json!({
            "column": s.column,
            "label": package.column_label(&s.column),
            "printed_percent": printed(&s.column),
            "counts_tier": "published",
            "source": sanction_source,
            "share": share(s.sanctions, conf_level, Some(reference))?,
            "against_pre_sib": s.against_pre_sib,
        }));
    }
    for w in numbers.withheld.iter().filter(|w| w.part == "sanctions") {
        columns.push(json!({
            "column": w.column,
            "label": package.column_label(&w.column),
            "printed_percent": printed(&w.column),
            "source": sanction_source,
            "withheld": w.message,
        }));
        if w.column == view.cohort {
            let code = if w.empty {
                WarningCode::EmptyBase
            } else {
                WarningCode::WithheldCells
            };
            warnings.push(Warning::new(
                code,
                format!(
                    "The sanction share of this view: not computed, {}",
                    w.message
                ),
            ));
        }
    }
    if let Some(b) = numbers
        .sanctions
        .iter()
        .find(|s| s.column == view.cohort)
        .map(|s| s.sanctions)
    {
        metrics.insert("sanctions.share".into(), json!(b.share()));
    }
    let sanction_differences: Vec<Value> = numbers
        .sanction_cohort_difference
        .iter()
        .map(|d| {
            json!({"first": key_of(&d.first), "second": key_of(&d.second),
                   "test": d.test, "tier": "derived"})
        })
        .collect();
    let sanctions = json!({
        "pre_sib_rate": published(dataset, &package.layout.numbers.pre_sib_sanction_rate)?,
        "columns": columns,
        "current": view.cohort,
        "cohort_difference": sanction_differences.first(),
        "cohort_differences": sanction_differences,
    });

    // Predictors: the published tables and the logits the cross-tables support.
    let mut logits = Vec::new();
    for ((id, label), request) in [
        (
            "success_on_cohort_outflow",
            "Success on cohort, among the outflow",
        ),
        (
            "success_on_cohort_participants",
            "Success on cohort, among the participants",
        ),
    ]
    .iter()
    .zip(&numbers.logit_requests)
    {
        let (response, warning) = if request.is_null() {
            (
                Value::Null,
                Some(Warning::new(
                    WarningCode::WithheldCells,
                    format!("{label}: not fitted, a count of its cross-table is withheld"),
                )),
            )
        } else {
            fit_logit(request, label)
        };
        warnings.extend(warning);
        logits.push(json!({"id": id, "label": label, "tier": "derived",
                           "request": request, "response": response}));
    }
    let (sanction_response, sanction_warning) = &fixed.sanction_logit;
    warnings.extend(sanction_warning.clone());
    logits.push(
        json!({"id": "sanction_on_cohort", "label": "Wage sanction on cohort", "tier": "derived",
                       "request": numbers.logit_requests.get(2), "response": sanction_response}),
    );
    let predictors = json!({"logits": logits});

    // Well-being: the survey's response.
    let wellbeing = match &fixed.wellbeing {
        Some((invited, respondents, percent)) => {
            // Present only when the package names both counts (checked on preparing).
            let roles = &package.layout.numbers;
            let count = |role: &Option<String>, name: &str| {
                dataset.count(NumberRoles::need(role, name, Code::InvalidDataFile)?)
            };
            let binomial = Binomial::new(
                count(&roles.survey_respondents, "survey_respondents")?,
                count(&roles.survey_invited, "survey_invited")?,
            )?;
            json!({
                "invited": invited,
                "respondents": respondents,
                "response_percent": percent,
                "response_share": share(binomial, conf_level, None)?,
            })
        }
        None => Value::Null,
    };

    // Bootstrap requests: only statistics defined for this view.
    let mut bootstrap_requests = Vec::new();
    let mut bootstrap_undefined = Vec::new();
    let unavailable = match &current {
        None => Some((
            "withheld",
            "the success share needs cells the publisher withheld: it is not bootstrapped",
        )),
        Some(c) if c.among_outflow.trials == 0 => Some((
            "empty_base",
            "the success share has no base under this definition: it is not bootstrapped",
        )),
        Some(_) => None,
    };
    match (unavailable, &current) {
        (Some((reason, message)), _) => {
            let (entry, warning) =
                undefined("outflow.success_share", "estimate", reason, message.into());
            bootstrap_undefined.push(entry);
            warnings.push(warning);
        }
        (None, Some(current)) => {
            let success_share_request = json!({
                "analysis": "proportion",
                "successes": current.among_outflow.successes,
                "trials": current.among_outflow.trials,
                "conf_level": conf_level,
            });
            bootstrap_requests.push(json!({
                "id": "outflow.success_share",
                "label": "Success share among the outflow (current cohort)",
                "request": {"analysis": "bootstrap", "of": success_share_request,
                            "statistics": ["estimate"], "replicates": 2000, "seed": 1,
                            "conf_level": conf_level},
            }));
        }
        (None, None) => {}
    }

    let duration = match duration_section(prepared, view) {
        Ok(d) => {
            metrics.extend(d.metrics);
            bootstrap_requests.extend(d.bootstrap_requests);
            bootstrap_undefined.extend(d.bootstrap_undefined);
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

    Ok(json!({
        "analysis": "joining_forces",
        "state": view.to_json(dataset),
        "causes": causes(dataset, state)?,
        "outflow": outflow,
        "sanctions": sanctions,
        "predictors": predictors,
        "duration": duration,
        "wellbeing": wellbeing,
        // A package published from microdata (`sibstat publish`): who aggregated it,
        // with which threshold; null for a printed report.
        "publication": prepared.published_duration().map(|p| json!({
            "kind": "microdata", "source": p.source, "k": p.k, "cutoff": p.cutoff,
        })),
        "metrics": metrics,
        "bootstrap_requests": bootstrap_requests,
        "bootstrap_undefined": bootstrap_undefined,
        "warnings": warnings,
    }))
}

/// The duration section with its metrics, bootstrap requests and warnings.
struct Duration {
    section: Value,
    metrics: Map<String, Value>,
    bootstrap_requests: Vec<Value>,
    bootstrap_undefined: Vec<Value>,
    warnings: Vec<Warning>,
}

/// The step value of a curve's column at time t (index of the last time ≤ t).
fn index_at(times: &[f64], t: f64) -> Option<usize> {
    times.iter().rposition(|&x| x <= t)
}

fn rows_json(data: &SurvivalData) -> Value {
    json!({"time": data.time(), "status": data.status(), "count": data.count()})
}

/// The duration rows of a prepared package, reconstructed or published.
enum Rows<'a> {
    Reconstructed(&'a Reconstruction),
    Published(&'a PublishedDuration),
}

impl Rows<'_> {
    fn survival_data(&self, state: &DefinitionState, cohort: Option<&str>) -> Result<SurvivalData> {
        match self {
            Rows::Reconstructed(r) => r.survival_data(state, cohort),
            Rows::Published(p) => p.survival_data(state, cohort),
        }
    }

    fn follow_up_months(&self) -> u32 {
        match self {
            Rows::Reconstructed(r) => r.assumptions.cutoff_month,
            Rows::Published(p) => p.follow_up_months(),
        }
    }

    /// The tier of every number computed from the rows.
    fn tier(&self) -> &'static str {
        match self {
            Rows::Reconstructed(_) => "reconstructed",
            Rows::Published(_) => "derived",
        }
    }

    fn note(&self) -> &'static str {
        match self {
            Rows::Reconstructed(_) => "Figure 3.2 is published only as a picture and a few numbers; every number here comes from the reconstructed life table, whose assumptions are listed.",
            Rows::Published(_) => "The evaluator published the duration rows, pooled over months so that every step has at least k individuals leaving the risk set; each step is read as one jump at its end, so the curve is known at the ends of the steps only.",
        }
    }
}

fn duration_section(prepared: &PreparedReport, view: &ViewState) -> Result<Duration> {
    let rows = match &prepared.duration {
        DurationSource::Reconstructed(r) => {
            Rows::Reconstructed(r.as_ref().as_ref().map_err(Clone::clone)?)
        }
        DurationSource::Published(p) => Rows::Published(p),
    };
    let tier = rows.tier();
    let dataset = &prepared.dataset;
    let state = &view.definition;
    let cohort = view.cohort_filter(dataset);
    let data = rows.survival_data(state, cohort)?;
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
                          "beyond_follow_up": true, "tier": tier});
        }
        let Some(col) = curve.causes.iter().find(|c| c.cause == cause) else {
            return json!({"time": t, "estimate": 0.0, "lower": null, "upper": null, "tier": tier});
        };
        match index_at(&curve.time, t) {
            None => {
                json!({"time": t, "estimate": 0.0, "lower": null, "upper": null, "tier": tier})
            }
            Some(i) => json!({"time": t, "estimate": col.cif[i], "lower": col.lower[i],
                              "upper": col.upper[i], "std_err": col.std_err[i], "tier": tier}),
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
    let grid: Vec<f64> = (0..=rows.follow_up_months() / 3)
        .map(|i| f64::from(i) * 3.0)
        .collect();
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
    let column = view.cohort.as_str();
    let result_state = DefinitionState::named(
        &dataset.package,
        &dataset.package.payment_definition,
        state.unknown,
    )?;
    // Published rows may group causes the payment definition counts apart, and the
    // sickness bands may be withheld: then the measurement is left out, with a warning.
    let payment = || -> Result<_> {
        let result_data = rows.survival_data(&result_state, cohort)?;
        let result_cif = survival::cumulative_incidence(&result_data, &options)?;
        let result_curve = result_cif
            .curves
            .first()
            .ok_or_else(|| Error::new(Code::InvalidReconstruction, "no result curve"))?;
        result_measurement(dataset, result_curve, column)
    };
    let result = match unless_withheld(payment())? {
        Ok(r) => Some(r),
        Err(e) => {
            warnings.push(withheld_warning("The result measurement", &e));
            None
        }
    };
    let current_result = unless_withheld(result_measurement(dataset, curve, column))?.ok();
    metrics.insert(
        "duration.result_28m".into(),
        json!(result.as_ref().map(|r| r.success_share)),
    );
    metrics.insert(
        "duration.result_28m_upper".into(),
        json!(result.as_ref().map(|r| r.success_share_upper)),
    );
    if let Some(result) = result.as_ref().filter(|r| r.beyond_follow_up > 0.0) {
        warnings.push(Warning::new(
            WarningCode::BeyondFollowUp,
            format!(
                "{:.0}% of the participants are measured {} months after their first day of sickness at a time beyond the observed follow-up ({} months): their part is extrapolated (held flat, or all still in the programme counted as success for the upper bound)",
                100.0 * result.beyond_follow_up,
                result.months_after_sickness,
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
    // Ask the bootstrap only what the rows define: a cumulative incidence needs events
    // of its cause and a time within the follow-up, a median a curve that reaches 1/2.
    let mut bootstrap_requests = Vec::new();
    let mut bootstrap_undefined = Vec::new();
    let success_events = curve
        .causes
        .iter()
        .find(|c| c.cause == 1)
        .is_some_and(|c| c.n_event.iter().any(|&n| n > 0.0));
    let mut cif_statistics = Vec::new();
    for t in [12.0, 24.0] {
        let name = format!("cif1@{t}");
        let reason = if !success_events {
            Some((
                "no_events",
                format!("{name}: no outflow counts as success in this view, so its cumulative incidence is not bootstrapped"),
            ))
        } else if t > last_time {
            Some((
                "beyond_follow_up",
                format!("{name}: month {t} lies beyond this view's follow-up ({last_time} months), so it is not bootstrapped"),
            ))
        } else {
            None
        };
        match reason {
            Some((reason, message)) => {
                let (entry, warning) = undefined("duration.success_cif", &name, reason, message);
                bootstrap_undefined.push(entry);
                warnings.push(warning);
            }
            None => cif_statistics.push(name),
        }
    }
    if !cif_statistics.is_empty() {
        bootstrap_requests.push(json!({"id": "duration.success_cif",
            "label": format!("Successful outflow (cumulative incidence) at 12 and 24 months, {} rows", if tier == "reconstructed" { "reconstructed" } else { "published" }),
            "request": {"analysis": "bootstrap", "of": cif_request, "statistics": cif_statistics,
                        "replicates": 2000, "seed": 1, "conf_level": view.conf_level}}));
    }
    if median.and_then(|m| m.estimate).is_some() {
        bootstrap_requests.push(json!({"id": "duration.median_months",
            "label": format!("Median months to any outflow, {} rows", if tier == "reconstructed" { "reconstructed" } else { "published" }),
            "request": {"analysis": "bootstrap", "of": km_request, "statistics": ["median"],
                        "replicates": 2000, "seed": 1, "conf_level": view.conf_level}}));
    } else {
        let (entry, warning) = undefined(
            "duration.median_months",
            "median",
            "median_not_reached",
            "median: fewer than half flowed out within the follow-up, so the median is not bootstrapped".into(),
        );
        bootstrap_undefined.push(entry);
        warnings.push(warning);
    }
    let section = json!({
        "tier": tier,
        "source": if tier == "reconstructed" { "reconstruction" } else { "published_rows" },
        "note": rows.note(),
        "rows": rows_json(&data),
        "participants": match &rows {
            Rows::Reconstructed(r) => r.participants(state, cohort),
            Rows::Published(_) => data.count().iter().sum::<f64>() as u64,
        },
        "cumulative_incidence": {"tier": tier, "causes": {"1": "success", "2": "other outflow"}, "result": cif},
        "naive_one_minus_km": {"tier": tier, "note": "1 − Kaplan–Meier of successful outflow with other outflow treated as censored: overstates the success share", "curve": naive},
        "any_outflow": {"tier": tier, "result": km_any},
        "at_risk": {"time": grid, "n": at_risk, "tier": tier},
        "current": current_values,
        "result_measurement": result,
        "result_measurement_current_definition": current_result,
    });
    Ok(Duration {
        section,
        metrics,
        bootstrap_requests,
        bootstrap_undefined,
        warnings,
    })
}
