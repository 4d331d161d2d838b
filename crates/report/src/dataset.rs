//! The data file: its serde types, the loader and the validation.
//!
//! The file (`data/joining_forces.json`, documented in `data/README.md`) holds the
//! report's frequency tables (rows × columns of printed share and count), its
//! marginal-effect tables (printed cells such as `-4%**`), the numbers quoted in the
//! text with their source, and the relations between numbers that the report implies
//! (checked by the reconciliation). The loader validates everything up front and
//! answers a malformed file with [`Code::InvalidDataFile`] and a message that names
//! the path of the bad entry (`tables[1].blocks[0].rows[3]`, with its id).
//!
//! After loading, every number has one dotted id and can be looked up with
//! [`Dataset::get`]: a table cell is `<table>.<block>.<row>.<column>.<count|percent>`
//! (the printed total row has row id `total`), a model cell is
//! `<model>.<row>.<column>` (the number of observations is row `n_obs`), and a text
//! number keeps the id it has in the file.

use crate::package::Package;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sibstat_core::error::{Code, Error, Result};
use std::collections::{BTreeMap, BTreeSet};

/// The schema version this loader reads.
pub const SCHEMA_VERSION: u32 = 2;

/// How a number came to be: printed in the report, computed from printed numbers, or
/// reconstructed from a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Printed in the report.
    Published,
    /// Computed from published numbers.
    Derived,
    /// Reconstructed from a figure (never shown without its label).
    Reconstructed,
}

/// The unit of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of people (a non-negative whole number).
    Count,
    /// A percentage as printed (41 for "41%"), between 0 and 100.
    Percent,
    /// A share between 0 and 1.
    Fraction,
    /// A difference of percentages (a marginal effect), any sign.
    PercentagePoints,
    /// Weeks.
    Weeks,
    /// Months.
    Months,
    /// Years.
    Years,
}

/// Where a number is printed. At least one of `table`, `figure`, `box`, `footnote` and
/// `section` must be given; `page` and `line` are given for a printed report and absent
/// for a package published as data (`sibstat publish`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Table number, e.g. "3.2".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Figure number, e.g. "3.2".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    /// Box number ("kader"), e.g. "1".
    #[serde(default, rename = "box", skip_serializing_if = "Option::is_none")]
    pub box_: Option<String>,
    /// Footnote mark, e.g. "10" or "a".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footnote: Option<String>,
    /// Section number, e.g. "3.4".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Row label as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<String>,
    /// Column label as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Printed page number of the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Line in the report's text file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// A number quoted in the text (or derived from such numbers), with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Number {
    /// Dotted id, unique in the file.
    pub id: String,
    /// The value, in `unit`.
    pub value: f64,
    /// The unit of `value`.
    pub unit: Unit,
    /// Published, derived or reconstructed.
    pub tier: Tier,
    /// Where it is printed.
    pub source: Source,
    /// True when the report gives the number as approximate ("ongeveer", "bijna").
    #[serde(default)]
    pub approx: bool,
    /// Reading notes and ambiguities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Short id, e.g. `cohort1`.
    pub id: String,
    /// The heading as printed.
    pub label: String,
}

/// Columns whose counts add up to another column (the cohorts to the total).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSum {
    /// The columns that add up.
    pub parts: Vec<String>,
    /// The column they add up to.
    pub total: String,
}

/// One printed cell of a frequency table: the share and the count, or the rule that
/// withheld them (a package published from microdata, `sibstat publish`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cell {
    /// Printed share, in percent ("33%" is 33); null when withheld, or when its base is.
    pub percent: Option<f64>,
    /// Printed count; null exactly when the cell is withheld.
    pub count: Option<f64>,
    /// The disclosure rule that withheld the cell (`threshold`, `secondary`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
}

/// A row of a frequency table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Short id, unique in its block (`total` is reserved).
    pub id: String,
    /// The label as printed.
    pub label: String,
    /// Line of the row's numbers in the text file (absent in a published package).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The cells by column id.
    pub cells: BTreeMap<String, Cell>,
    /// Reading notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The printed total row of a block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotalRow {
    /// The label as printed ("Totaal").
    pub label: String,
    /// Line in the text file (absent in a published package).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The cells by column id.
    pub cells: BTreeMap<String, Cell>,
}

/// Whether a block's rows exclude each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Each individual is in exactly one row: the rows add up to the base.
    Partition,
    /// An individual can be in several rows (participation in interventions).
    Multiple,
}

/// A block of rows of a table that share a base (a "thema" of the report's tables).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Short id, unique in its table.
    pub id: String,
    /// The theme as printed.
    pub label: String,
    /// Partition or multiple response.
    pub kind: BlockKind,
    /// For a block without a printed total: the block (of the same table) whose total
    /// row is the base of the shares.
    pub base: Option<String>,
    /// A row (`block.row`) of the same table that the total must equal (the causes'
    /// total equals the outflow).
    pub total_equals: Option<String>,
    /// The rows.
    pub rows: Vec<Row>,
    /// The printed total row, if any.
    pub total: Option<TotalRow>,
    /// Reading notes.
    pub note: Option<String>,
}

/// A frequency table: blocks of rows, each row a share and a count per column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrequencyTable {
    /// Short id, e.g. `t3_2`.
    pub id: String,
    /// Table number as printed, e.g. "3.2".
    pub table: String,
    /// Title as printed.
    pub title: String,
    /// Printed page (absent in a published package).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Line of the caption in the text file (absent in a published package).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Columns.
    pub columns: Vec<Column>,
    /// Columns that add up to another column.
    pub column_sum: Option<ColumnSum>,
    /// Blocks of rows.
    pub blocks: Vec<Block>,
}

/// A marginal effect as printed, e.g. `-4%**`, and its parsed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    /// The cell as printed.
    pub printed: String,
    /// The effect in percentage points; `None` for a cell printed as `-` (not estimated).
    pub percentage_points: Option<f64>,
    /// Number of stars (0–3).
    pub stars: u8,
}

impl Effect {
    /// Parses a printed cell: `-` or `[-]digits%` followed by up to three stars.
    pub fn parse(printed: &str) -> Option<Effect> {
        let text = printed.trim();
        if text == "-" {
            return Some(Effect {
                printed: printed.to_string(),
                percentage_points: None,
                stars: 0,
            });
        }
        let without_stars = text.trim_end_matches('*');
        let stars = text.len() - without_stars.len();
        let number = without_stars.strip_suffix('%')?;
        let digits = number.strip_prefix('-').unwrap_or(number);
        if stars > 3 || digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let value: f64 = number.parse().ok()?;
        Some(Effect {
            printed: printed.to_string(),
            percentage_points: Some(value),
            stars: stars as u8,
        })
    }
}

/// A row of a marginal-effects table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectRow {
    /// Short id, unique in its table.
    pub id: String,
    /// The theme as printed (with its reference category).
    pub theme: String,
    /// The label as printed.
    pub label: String,
    /// Line in the text file.
    pub line: u32,
    /// The effects by column id.
    pub cells: BTreeMap<String, Effect>,
}

/// The observations row of a marginal-effects table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationsRow {
    /// The label as printed.
    pub label: String,
    /// Line in the text file.
    pub line: u32,
    /// Number of observations by column id.
    pub cells: BTreeMap<String, f64>,
}

/// A table of logit marginal effects (tables 3.3 and 3.5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelTable {
    /// Short id, e.g. `t3_3`.
    pub id: String,
    /// Table number as printed.
    pub table: String,
    /// Title as printed.
    pub title: String,
    /// Printed page.
    pub page: u32,
    /// Line of the caption.
    pub line: u32,
    /// Columns (one model each).
    pub columns: Vec<Column>,
    /// The effects.
    pub rows: Vec<EffectRow>,
    /// Number of observations per model.
    pub n_obs: ObservationsRow,
    /// Reading notes.
    pub note: Option<String>,
}

/// A relation between numbers that the report implies, checked by the reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    /// Short id, unique among the relations.
    pub id: String,
    /// Where in the report the relation lives, in words.
    pub location: String,
    /// What the relation means.
    pub note: Option<String>,
    /// The relation itself.
    pub kind: RelationKind,
}

/// The kinds of relation; every operand is the id of a number (see [`Dataset::get`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RelationKind {
    /// `sum(parts) - sum(minus) == equals`, exactly.
    Sum {
        /// Numbers added.
        parts: Vec<String>,
        /// Numbers subtracted.
        #[serde(default)]
        minus: Vec<String>,
        /// The total.
        equals: String,
    },
    /// `left == right`, exactly (as printed).
    Equal {
        /// One number.
        left: String,
        /// The other.
        right: String,
    },
    /// `left <= right`.
    AtMost {
        /// The smaller one.
        left: String,
        /// The larger one.
        right: String,
    },
    /// The confidence level in `left` (90, 95 or 99 percent) matches the stars of the
    /// marginal effect `right` (*, **, ***).
    Stars {
        /// A confidence level in percent.
        left: String,
        /// A model cell.
        right: String,
    },
    /// The printed `percent` is `100 * count / base` rounded to a whole percent.
    Share {
        /// The count.
        count: String,
        /// The base.
        base: String,
        /// The printed percentage.
        percent: String,
    },
}

impl RelationKind {
    /// The ids of the numbers the relation uses.
    pub fn operands(&self) -> Vec<&str> {
        match self {
            RelationKind::Sum {
                parts,
                minus,
                equals,
            } => parts
                .iter()
                .chain(minus)
                .chain(std::iter::once(equals))
                .map(String::as_str)
                .collect(),
            RelationKind::Equal { left, right }
            | RelationKind::AtMost { left, right }
            | RelationKind::Stars { left, right } => vec![left, right],
            RelationKind::Share {
                count,
                base,
                percent,
            } => vec![count, base, percent],
        }
    }
}

/// Bibliographic data of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Title.
    pub title: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Publisher.
    pub publisher: String,
    /// Client.
    pub commissioned_by: String,
    /// Publication date (ISO 8601).
    pub date: String,
    /// The text file the line numbers refer to.
    pub text: String,
    /// How page numbers were established.
    pub pages: String,
}

/// One number of the data file, wherever it is stored, with its full provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Dotted id.
    pub id: String,
    /// The value (a share in percent as printed, a count, an effect in points, ...).
    pub value: f64,
    /// Unit.
    pub unit: Unit,
    /// Tier.
    pub tier: Tier,
    /// Source.
    pub source: Source,
    /// Given as approximate in the report.
    pub approx: bool,
    /// Stars of a marginal effect (0 otherwise).
    pub stars: u8,
}

/// The loaded, validated data file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dataset {
    /// Schema version (2).
    pub schema_version: u32,
    /// The report.
    pub report: Report,
    /// The report package: cohorts, causes, definitions, layout and labels.
    pub package: Package,
    /// Frequency tables (3.1, 3.2, 3.4).
    pub tables: Vec<FrequencyTable>,
    /// Marginal-effect tables (3.3, 3.5).
    pub models: Vec<ModelTable>,
    /// Numbers from the text, box 1, footnotes and figures.
    pub numbers: Vec<Number>,
    /// Relations checked by the reconciliation.
    pub relations: Vec<Relation>,
    #[serde(skip)]
    index: BTreeMap<String, Entry>,
    /// Ids of the withheld table numbers with the rule that withheld each and where
    /// the number is.
    #[serde(skip)]
    withheld: BTreeMap<String, (String, String)>,
}

pub(crate) fn invalid(path: &str, message: impl std::fmt::Display) -> Error {
    Error::new(
        Code::InvalidDataFile,
        format!("data file, {path}: {message}"),
    )
}

fn parse<T: DeserializeOwned>(value: &Value, path: &str) -> Result<T> {
    T::deserialize(value).map_err(|e| invalid(path, e))
}

/// The path of an array element, with its id when it has one.
fn element_path(parent: &str, index: usize, value: &Value) -> String {
    match value.get("id").and_then(Value::as_str) {
        Some(id) => format!("{parent}[{index}] (id \"{id}\")"),
        None => format!("{parent}[{index}]"),
    }
}

fn array<'a>(object: &'a Map<String, Value>, key: &str, path: &str) -> Result<&'a Vec<Value>> {
    match object.get(key) {
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(invalid(path, format!("\"{key}\" must be an array"))),
        None => Err(invalid(path, format!("the key \"{key}\" is missing"))),
    }
}

fn object<'a>(value: &'a Value, path: &str) -> Result<&'a Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| invalid(path, "must be a JSON object"))
}

/// Checks that an object has only the given keys.
fn only_keys(map: &Map<String, Value>, allowed: &[&str], path: &str) -> Result<()> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(invalid(
            path,
            format!("unknown key \"{key}\" (allowed: {})", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

/// A copy of the object without the given keys (those parsed by hand).
fn without(map: &Map<String, Value>, keys: &[&str]) -> Value {
    // Inserted one by one: `collect` into a map sorts first (a copy of the sort).
    let mut rest = Map::new();
    for (k, v) in map.iter().filter(|(k, _)| !keys.contains(&k.as_str())) {
        rest.insert(k.clone(), v.clone());
    }
    Value::Object(rest)
}

fn check_id(id: &str, dotted: bool, path: &str) -> Result<()> {
    let segment_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    let ok = if dotted {
        id.split('.').all(segment_ok)
    } else {
        segment_ok(id)
    };
    if ok {
        Ok(())
    } else if dotted {
        Err(invalid(
            path,
            format!("id \"{id}\" must be dot-separated segments of a-z, 0-9 and _"),
        ))
    } else {
        Err(invalid(
            path,
            format!("id \"{id}\" must use only a-z, 0-9 and _ (no dots)"),
        ))
    }
}

/// The largest count the loader accepts: far above any population, far below where
/// sums of counts could overflow.
pub const MAX_COUNT: f64 = 1e12;

fn check_count(value: f64, path: &str) -> Result<()> {
    if value.is_finite() && (0.0..=MAX_COUNT).contains(&value) && value.fract() == 0.0 {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!("a count must be a non-negative whole number up to 1e12, got {value}"),
        ))
    }
}

fn check_value(value: f64, unit: Unit, path: &str) -> Result<()> {
    if !value.is_finite() {
        return Err(invalid(path, "the value must be a finite number"));
    }
    match unit {
        Unit::Count => check_count(value, path),
        Unit::Percent if !(0.0..=100.0).contains(&value) => Err(invalid(
            path,
            format!("a percentage must lie in [0, 100], got {value}"),
        )),
        Unit::Fraction if !(0.0..=1.0).contains(&value) => Err(invalid(
            path,
            format!("a fraction must lie in [0, 1], got {value}"),
        )),
        Unit::Weeks | Unit::Months | Unit::Years if value < 0.0 => Err(invalid(
            path,
            format!("a duration or age cannot be negative, got {value}"),
        )),
        _ => Ok(()),
    }
}

fn check_source(source: &Source, path: &str) -> Result<()> {
    if source.page == Some(0) || source.line == Some(0) {
        return Err(invalid(path, "source page and line start at 1"));
    }
    let located = [
        &source.table,
        &source.figure,
        &source.box_,
        &source.footnote,
        &source.section,
    ]
    .iter()
    .any(|s| s.as_deref().is_some_and(|s| !s.trim().is_empty()));
    if located {
        Ok(())
    } else {
        Err(invalid(
            path,
            "the source must name a table, figure, box, footnote or section",
        ))
    }
}

fn check_columns(columns: &[Column], path: &str) -> Result<BTreeSet<String>> {
    if columns.is_empty() {
        return Err(invalid(path, "a table needs at least one column"));
    }
    let mut ids = BTreeSet::new();
    for (i, column) in columns.iter().enumerate() {
        let p = format!("{path}.columns[{i}]");
        check_id(&column.id, false, &p)?;
        if !ids.insert(column.id.clone()) {
            return Err(invalid(
                &p,
                format!("duplicate column id \"{}\"", column.id),
            ));
        }
    }
    Ok(ids)
}

fn check_cells<T>(
    cells: &BTreeMap<String, T>,
    columns: &BTreeSet<String>,
    path: &str,
) -> Result<()> {
    if let Some(extra) = cells.keys().find(|k| !columns.contains(*k)) {
        return Err(invalid(
            path,
            format!("cell for unknown column \"{extra}\""),
        ));
    }
    if let Some(missing) = columns.iter().find(|c| !cells.contains_key(*c)) {
        return Err(invalid(path, format!("no cell for column \"{missing}\"")));
    }
    Ok(())
}

fn check_cell(cell: &Cell, path: &str) -> Result<()> {
    match (&cell.withheld, cell.count) {
        (None, Some(count)) => check_count(count, &format!("{path}.count"))?,
        (None, None) => {
            return Err(invalid(
                path,
                "a cell without a count needs \"withheld\" (the rule that withheld it)",
            ))
        }
        (Some(rule), None) if !rule.trim().is_empty() && cell.percent.is_none() => {}
        (Some(_), _) => {
            return Err(invalid(
                path,
                "a withheld cell has count and percent null and names its rule",
            ))
        }
    }
    match cell.percent {
        Some(percent) => check_value(percent, Unit::Percent, &format!("{path}.percent")),
        None => Ok(()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableHead {
    id: String,
    table: String,
    title: String,
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    line: Option<u32>,
    columns: Vec<Column>,
    #[serde(default)]
    column_sum: Option<ColumnSum>,
    blocks: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockHead {
    id: String,
    label: String,
    kind: BlockKind,
    #[serde(default)]
    base: Option<String>,
    #[serde(default)]
    total_equals: Option<String>,
    #[serde(default)]
    note: Option<String>,
    rows: Value,
    #[serde(default)]
    total: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelHead {
    id: String,
    table: String,
    title: String,
    page: u32,
    line: u32,
    #[serde(default)]
    note: Option<String>,
    columns: Vec<Column>,
    rows: Vec<RawEffectRow>,
    n_obs: ObservationsRow,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEffectRow {
    id: String,
    theme: String,
    label: String,
    line: u32,
    cells: BTreeMap<String, String>,
}

fn parse_table(value: &Value, path: &str) -> Result<FrequencyTable> {
    let head: TableHead = parse(value, path)?;
    check_id(&head.id, false, path)?;
    if head.page == Some(0) || head.line == Some(0) {
        return Err(invalid(path, "page and line start at 1"));
    }
    let columns = check_columns(&head.columns, path)?;
    if let Some(sum) = &head.column_sum {
        for c in sum.parts.iter().chain(std::iter::once(&sum.total)) {
            if !columns.contains(c) {
                return Err(invalid(
                    &format!("{path}.column_sum"),
                    format!("unknown column \"{c}\""),
                ));
            }
        }
    }
    let Value::Array(raw_blocks) = &head.blocks else {
        return Err(invalid(path, "\"blocks\" must be an array"));
    };
    let mut blocks: Vec<Block> = Vec::new();
    for (b, raw) in raw_blocks.iter().enumerate() {
        let bpath = element_path(&format!("{path}.blocks"), b, raw);
        let head: BlockHead = parse(raw, &bpath)?;
        check_id(&head.id, false, &bpath)?;
        if blocks.iter().any(|x| x.id == head.id) {
            return Err(invalid(
                &bpath,
                format!("duplicate block id \"{}\"", head.id),
            ));
        }
        let Value::Array(raw_rows) = &head.rows else {
            return Err(invalid(&bpath, "\"rows\" must be an array"));
        };
        if raw_rows.is_empty() {
            return Err(invalid(&bpath, "a block needs at least one row"));
        }
        let mut rows: Vec<Row> = Vec::new();
        for (r, raw) in raw_rows.iter().enumerate() {
            let rpath = element_path(&format!("{bpath}.rows"), r, raw);
            let row: Row = parse(raw, &rpath)?;
            check_id(&row.id, false, &rpath)?;
            if row.id == "total" {
                return Err(invalid(
                    &rpath,
                    "the row id \"total\" is reserved for the total row",
                ));
            }
            if rows.iter().any(|x| x.id == row.id) {
                return Err(invalid(&rpath, format!("duplicate row id \"{}\"", row.id)));
            }
            if row.line == Some(0) {
                return Err(invalid(&rpath, "line starts at 1"));
            }
            check_cells(&row.cells, &columns, &rpath)?;
            for (c, cell) in &row.cells {
                check_cell(cell, &format!("{rpath}.cells.{c}"))?;
            }
            rows.push(row);
        }
        let total = match &head.total {
            None => None,
            Some(raw) => {
                let tpath = format!("{bpath}.total");
                let total: TotalRow = parse(raw, &tpath)?;
                check_cells(&total.cells, &columns, &tpath)?;
                for (c, cell) in &total.cells {
                    check_cell(cell, &format!("{tpath}.cells.{c}"))?;
                }
                Some(total)
            }
        };
        if total.is_none() && head.base.is_none() {
            return Err(invalid(
                &bpath,
                "a block without a total row needs a \"base\" (the block whose total is its base)",
            ));
        }
        blocks.push(Block {
            id: head.id,
            label: head.label,
            kind: head.kind,
            base: head.base,
            total_equals: head.total_equals,
            rows,
            total,
            note: head.note,
        });
    }
    // References between blocks, once all are known.
    for (b, block) in blocks.iter().enumerate() {
        let bpath = format!("{path}.blocks[{b}] (id \"{}\")", block.id);
        if let Some(base) = &block.base {
            match blocks.iter().find(|x| &x.id == base) {
                Some(x) if x.total.is_some() => {}
                Some(_) => {
                    return Err(invalid(
                        &bpath,
                        format!("the base block \"{base}\" has no total row"),
                    ))
                }
                None => return Err(invalid(&bpath, format!("unknown base block \"{base}\""))),
            }
        }
        if let Some(target) = &block.total_equals {
            let found = target.split_once('.').is_some_and(|(b, r)| {
                blocks
                    .iter()
                    .any(|x| x.id == b && x.rows.iter().any(|row| row.id == r))
            });
            if !found || block.total.is_none() {
                return Err(invalid(
                    &bpath,
                    format!("total_equals \"{target}\" must name a row \"block.row\" of this table, and the block needs a total row"),
                ));
            }
        }
    }
    Ok(FrequencyTable {
        id: head.id,
        table: head.table,
        title: head.title,
        page: head.page,
        line: head.line,
        columns: head.columns,
        column_sum: head.column_sum,
        blocks,
    })
}

fn parse_model(value: &Value, path: &str) -> Result<ModelTable> {
    let head: ModelHead = parse(value, path)?;
    check_id(&head.id, false, path)?;
    if head.page == 0 || head.line == 0 {
        return Err(invalid(path, "page and line start at 1"));
    }
    let columns = check_columns(&head.columns, path)?;
    let mut rows: Vec<EffectRow> = Vec::new();
    for (r, raw) in head.rows.into_iter().enumerate() {
        let rpath = format!("{path}.rows[{r}] (id \"{}\")", raw.id);
        check_id(&raw.id, false, &rpath)?;
        if raw.id == "n_obs" {
            return Err(invalid(&rpath, "the row id \"n_obs\" is reserved"));
        }
        if rows.iter().any(|x| x.id == raw.id) {
            return Err(invalid(&rpath, format!("duplicate row id \"{}\"", raw.id)));
        }
        check_cells(&raw.cells, &columns, &rpath)?;
        let mut cells = BTreeMap::new();
        for (c, printed) in raw.cells {
            let effect = Effect::parse(&printed).ok_or_else(|| {
                invalid(
                    &format!("{rpath}.cells.{c}"),
                    format!(
                        "\"{printed}\" is not a printed marginal effect such as \"-4%**\" or \"-\""
                    ),
                )
            })?;
            cells.insert(c, effect);
        }
        rows.push(EffectRow {
            id: raw.id,
            theme: raw.theme,
            label: raw.label,
            line: raw.line,
            cells,
        });
    }
    let npath = format!("{path}.n_obs");
    check_cells(&head.n_obs.cells, &columns, &npath)?;
    for (c, n) in &head.n_obs.cells {
        check_count(*n, &format!("{npath}.cells.{c}"))?;
    }
    Ok(ModelTable {
        id: head.id,
        table: head.table,
        title: head.title,
        page: head.page,
        line: head.line,
        columns: head.columns,
        rows,
        n_obs: head.n_obs,
        note: head.note,
    })
}

fn parse_relation(value: &Value, path: &str) -> Result<Relation> {
    let map = object(value, path)?;
    let text = |key: &str| -> Result<Option<String>> {
        match map.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(path, format!("\"{key}\" must be a string"))),
        }
    };
    let id = text("id")?.ok_or_else(|| invalid(path, "the key \"id\" is missing"))?;
    check_id(&id, true, path)?;
    let location =
        text("location")?.ok_or_else(|| invalid(path, "the key \"location\" is missing"))?;
    let note = text("note")?;
    let kind: RelationKind = parse(&without(map, &["id", "location", "note"]), path)?;
    Ok(Relation {
        id,
        location,
        note,
        kind,
    })
}

impl Dataset {
    /// Parses and validates a data file.
    ///
    /// Every problem is an [`Code::InvalidDataFile`] error whose message names the path
    /// of the bad entry: malformed JSON, an unknown or missing key, a wrong tier or
    /// unit, a missing source, a non-numeric or out-of-range value, a duplicate id, a
    /// relation naming no number.
    pub fn from_json(text: &str) -> Result<Dataset> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| invalid("(file)", format!("not valid JSON: {e}")))?;
        Dataset::from_value(&value)
    }

    /// Parses and validates a data file given as a JSON value (see [`Dataset::from_json`]).
    pub fn from_value(value: &Value) -> Result<Dataset> {
        let root = object(value, "(root)")?;
        only_keys(
            root,
            &[
                "schema_version",
                "report",
                "package",
                "tables",
                "models",
                "numbers",
                "relations",
            ],
            "(root)",
        )?;
        let schema_version: u32 = parse(
            root.get("schema_version")
                .ok_or_else(|| invalid("(root)", "the key \"schema_version\" is missing"))?,
            "schema_version",
        )?;
        if schema_version != SCHEMA_VERSION {
            return Err(invalid(
                "schema_version",
                format!("this loader reads version {SCHEMA_VERSION}, the file is version {schema_version}"),
            ));
        }
        let report: Report = parse(
            root.get("report")
                .ok_or_else(|| invalid("(root)", "the key \"report\" is missing"))?,
            "report",
        )?;
        let package: Package = parse(
            root.get("package")
                .ok_or_else(|| invalid("(root)", "the key \"package\" is missing"))?,
            "package",
        )?;
        let mut tables = Vec::new();
        for (i, raw) in array(root, "tables", "(root)")?.iter().enumerate() {
            tables.push(parse_table(raw, &element_path("tables", i, raw))?);
        }
        let mut models = Vec::new();
        for (i, raw) in array(root, "models", "(root)")?.iter().enumerate() {
            models.push(parse_model(raw, &element_path("models", i, raw))?);
        }
        let mut numbers: Vec<Number> = Vec::new();
        for (i, raw) in array(root, "numbers", "(root)")?.iter().enumerate() {
            let path = element_path("numbers", i, raw);
            let number: Number = parse(raw, &path)?;
            check_id(&number.id, true, &path)?;
            check_value(number.value, number.unit, &path)?;
            check_source(&number.source, &format!("{path}.source"))?;
            numbers.push(number);
        }
        let mut relations: Vec<Relation> = Vec::new();
        for (i, raw) in array(root, "relations", "(root)")?.iter().enumerate() {
            let path = element_path("relations", i, raw);
            let relation = parse_relation(raw, &path)?;
            if relations.iter().any(|r| r.id == relation.id) {
                return Err(invalid(
                    &path,
                    format!("duplicate relation id \"{}\"", relation.id),
                ));
            }
            relations.push(relation);
        }
        let mut dataset = Dataset {
            schema_version,
            report,
            package,
            tables,
            models,
            numbers,
            relations,
            index: BTreeMap::new(),
            withheld: BTreeMap::new(),
        };
        dataset.build_index()?;
        for (i, relation) in dataset.relations.iter().enumerate() {
            for operand in relation.kind.operands() {
                if !dataset.index.contains_key(operand) {
                    return Err(invalid(
                        &format!("relations[{i}] (id \"{}\")", relation.id),
                        format!("\"{operand}\" names no number of the file"),
                    ));
                }
            }
        }
        let model_ids: Vec<&str> = dataset.models.iter().map(|m| m.id.as_str()).collect();
        dataset
            .package
            .validate(&dataset.tables, &model_ids, &|id: &str| {
                dataset.index.contains_key(id)
            })?;
        Ok(dataset)
    }

    fn build_index(&mut self) -> Result<()> {
        let mut index: BTreeMap<String, Entry> = BTreeMap::new();
        let mut withheld: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut insert = |entry: Entry, path: String| -> Result<()> {
            if index.contains_key(&entry.id) {
                return Err(invalid(&path, format!("duplicate id \"{}\"", entry.id)));
            }
            index.insert(entry.id.clone(), entry);
            Ok(())
        };
        for (t, table) in self.tables.iter().enumerate() {
            for (b, block) in table.blocks.iter().enumerate() {
                for (row_id, label, line, cells) in block.rows_with_total() {
                    for column in &table.columns {
                        // Every column has a cell (checked on parsing).
                        let Some(cell) = cells.get(&column.id) else {
                            continue;
                        };
                        for (what, value, unit) in [
                            ("count", cell.count, Unit::Count),
                            ("percent", cell.percent, Unit::Percent),
                        ] {
                            let id =
                                format!("{}.{}.{row_id}.{}.{what}", table.id, block.id, column.id);
                            let Some(value) = value else {
                                // Withheld (or a share of a withheld base): no number,
                                // but the id is known, with the rule that withheld it.
                                let rule = cell
                                    .withheld
                                    .clone()
                                    .unwrap_or_else(|| "base withheld".into());
                                let place = format!(
                                    "table {}, {}: {label}, column \"{}\" ({what})",
                                    table.table, block.label, column.label
                                );
                                withheld.insert(id, (rule, place));
                                continue;
                            };
                            insert(
                                Entry {
                                    id: format!(
                                        "{}.{}.{row_id}.{}.{what}",
                                        table.id, block.id, column.id
                                    ),
                                    value,
                                    unit,
                                    tier: Tier::Published,
                                    source: Source {
                                        table: Some(table.table.clone()),
                                        row: Some(format!("{}: {label}", block.label)),
                                        column: Some(column.label.clone()),
                                        page: table.page,
                                        line,
                                        ..Source::default()
                                    },
                                    approx: false,
                                    stars: 0,
                                },
                                format!("tables[{t}].blocks[{b}]"),
                            )?;
                        }
                    }
                }
            }
        }
        for (m, model) in self.models.iter().enumerate() {
            for row in &model.rows {
                for column in &model.columns {
                    let Some(effect) = row.cells.get(&column.id) else {
                        continue;
                    };
                    let Some(value) = effect.percentage_points else {
                        continue;
                    };
                    insert(
                        Entry {
                            id: format!("{}.{}.{}", model.id, row.id, column.id),
                            value,
                            unit: Unit::PercentagePoints,
                            tier: Tier::Published,
                            source: Source {
                                table: Some(model.table.clone()),
                                row: Some(format!("{}: {}", row.theme, row.label)),
                                column: Some(column.label.clone()),
                                page: Some(model.page),
                                line: Some(row.line),
                                ..Source::default()
                            },
                            approx: false,
                            stars: effect.stars,
                        },
                        format!("models[{m}].rows"),
                    )?;
                }
            }
            for column in &model.columns {
                let Some(&n) = model.n_obs.cells.get(&column.id) else {
                    continue;
                };
                insert(
                    Entry {
                        id: format!("{}.n_obs.{}", model.id, column.id),
                        value: n,
                        unit: Unit::Count,
                        tier: Tier::Published,
                        source: Source {
                            table: Some(model.table.clone()),
                            row: Some(model.n_obs.label.clone()),
                            column: Some(column.label.clone()),
                            page: Some(model.page),
                            line: Some(model.n_obs.line),
                            ..Source::default()
                        },
                        approx: false,
                        stars: 0,
                    },
                    format!("models[{m}].n_obs"),
                )?;
            }
        }
        for (i, number) in self.numbers.iter().enumerate() {
            insert(
                Entry {
                    id: number.id.clone(),
                    value: number.value,
                    unit: number.unit,
                    tier: number.tier,
                    source: number.source.clone(),
                    approx: number.approx,
                    stars: 0,
                },
                format!("numbers[{i}]"),
            )?;
        }
        self.index = index;
        self.withheld = withheld;
        Ok(())
    }

    /// The number with the given dotted id, with its provenance.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.index.get(id)
    }

    /// The value of the number with the given id.
    pub fn value(&self, id: &str) -> Option<f64> {
        self.index.get(id).map(|e| e.value)
    }

    /// Every number of the file, sorted by id.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.index.values()
    }

    /// The frequency table with the given id (`t3_1`, `t3_2`, `t3_4`).
    pub fn table(&self, id: &str) -> Option<&FrequencyTable> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The marginal-effects table with the given id (`t3_3`, `t3_5`).
    pub fn model(&self, id: &str) -> Option<&ModelTable> {
        self.models.iter().find(|t| t.id == id)
    }

    /// The count of a table cell: `<table>.<block>.<row>.<column>.count`.
    pub fn cell_count(&self, table: &str, block: &str, row: &str, column: &str) -> Result<u64> {
        self.count(&format!("{table}.{block}.{row}.{column}.count"))
    }

    /// The value of a number the package names by role, or an error naming it.
    pub fn role(&self, id: &str) -> Result<f64> {
        self.value(id)
            .ok_or_else(|| invalid(id, "no such number in the data file"))
    }

    /// The rule that withheld a table number (`threshold`, `secondary`, or `base
    /// withheld` for a share whose base is withheld), if it is withheld.
    pub fn withheld(&self, id: &str) -> Option<&str> {
        self.withheld.get(id).map(|(rule, _)| rule.as_str())
    }

    /// Whether any number of the file is withheld (a package published from microdata).
    pub fn has_withheld(&self) -> bool {
        !self.withheld.is_empty()
    }

    /// A printed count as a whole number; `withheld_cell` for a withheld one, else an
    /// error naming the missing id.
    pub fn count(&self, id: &str) -> Result<u64> {
        if let Some((rule, place)) = self.withheld.get(id) {
            return Err(Error::new(
                Code::WithheldCell,
                format!("{place} is withheld by the publisher ({rule} rule)"),
            ));
        }
        match self.get(id) {
            // Counts are validated as non-negative whole numbers on loading.
            Some(entry) if entry.unit == Unit::Count => Ok(entry.value as u64),
            Some(_) => Err(invalid(id, "is not a count")),
            None => Err(invalid(id, "no such number in the data file")),
        }
    }
}

impl Block {
    /// The block's rows and then its total row (id `"total"`), as
    /// `(row id, label, seed line, cells)`.
    pub fn rows_with_total(
        &self,
    ) -> impl Iterator<Item = (&str, &str, Option<u32>, &BTreeMap<String, Cell>)> {
        self.rows
            .iter()
            .map(|r| (r.id.as_str(), r.label.as_str(), r.line, &r.cells))
            .chain(
                self.total
                    .iter()
                    .map(|t| ("total", t.label.as_str(), t.line, &t.cells)),
            )
    }

    /// The base of this block's shares in a column: its own total row, else the total
    /// of its `base` block.
    pub fn base_total<'a>(&'a self, table: &'a FrequencyTable) -> Option<&'a TotalRow> {
        match (&self.total, &self.base) {
            (Some(total), _) => Some(total),
            (None, Some(base)) => table
                .blocks
                .iter()
                .find(|b| &b.id == base)
                .and_then(|b| b.total.as_ref()),
            (None, None) => None,
        }
    }
}
