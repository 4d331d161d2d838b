//! Reconciliation: every printed percentage recomputed from its count and base, every
//! total from its parts, every column total from the cohorts, and every relation of
//! the data file (text figures against tables, exclusion flows, monotonicity,
//! significance stars) checked. Mismatches are listed with their location and size.
//!
//! A printed percentage agrees when it is within half a point of `100 · count / base`
//! (whole percentages as printed); counts and sums must agree exactly.

use super::dataset::{BlockKind, Dataset, Entry, RelationKind, Unit};
use serde::Serialize;

/// Half a percentage point plus a hair for floating point: the rounding allowance of a
/// percentage printed as a whole number.
pub const ROUNDING: f64 = 0.5 + 1e-9;

/// Allowance for exact comparisons of printed numbers (counts, equal figures).
const EXACT: f64 = 1e-9;

/// What a check compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A printed percentage against `100 · count / base`.
    PercentOfBase,
    /// A total row's printed percentage against 100.
    TotalPercent,
    /// A block's rows against its total (or its base block's total).
    RowsSumToTotal,
    /// The cohort columns against the total column.
    ColumnsSumToTotal,
    /// A block's total against a row of another block (causes against outflow).
    TotalEqualsRow,
    /// A relation `sum` of the data file.
    Sum,
    /// A relation `equal`.
    Equal,
    /// A relation `at_most`.
    AtMost,
    /// A relation `stars`: a confidence level in the text against a table's stars.
    Stars,
    /// A relation `share`: a printed percentage of a count and a base.
    Share,
}

/// One mismatch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Stable id: the id of the printed number for table checks, the relation id for
    /// relations.
    pub id: String,
    /// The check that failed.
    pub check: Check,
    /// Where, in words (table, row, column, page, line).
    pub location: String,
    /// The printed number.
    pub printed: f64,
    /// What it should be, computed from the other printed numbers.
    pub computed: f64,
    /// printed − computed.
    pub difference: f64,
    /// Unit of printed and computed.
    pub unit: Unit,
    /// True when a number involved is given as approximate in the report.
    pub approx: bool,
    /// Explanation.
    pub note: Option<String>,
}

/// The result of a reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// How many comparisons were made.
    pub checks: usize,
    /// The mismatches, tables first (in file order), then relations.
    pub findings: Vec<Finding>,
}

struct Collector {
    checks: usize,
    findings: Vec<Finding>,
}

impl Collector {
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        id: String,
        check: Check,
        location: impl FnOnce() -> String,
        printed: f64,
        computed: f64,
        allowance: f64,
        unit: Unit,
        approx: bool,
        note: Option<String>,
    ) {
        self.checks += 1;
        if (printed - computed).abs() > allowance {
            self.findings.push(Finding {
                id,
                check,
                location: location(),
                printed,
                computed,
                difference: printed - computed,
                unit,
                approx,
                note,
            });
        }
    }
}

/// Reconciles the data file: see the module documentation.
pub fn reconcile(dataset: &Dataset) -> Reconciliation {
    let mut out = Collector {
        checks: 0,
        findings: Vec::new(),
    };
    check_tables(dataset, &mut out);
    check_relations(dataset, &mut out);
    Reconciliation {
        checks: out.checks,
        findings: out.findings,
    }
}

fn check_tables(dataset: &Dataset, out: &mut Collector) {
    for table in &dataset.tables {
        let place = |block: &str, row: &str, column: &str, line: u32| {
            format!(
                "table {}, {block}: {row}, column \"{column}\" (p. {}, line {line})",
                table.table, table.page
            )
        };
        for block in &table.blocks {
            let Some(base) = block.base_total(table) else {
                continue;
            };
            for column in &table.columns {
                let Some(base_cell) = base.cells.get(&column.id) else {
                    continue;
                };
                let base_count = base_cell.count;
                // Shares of the base.
                for row in &block.rows {
                    let Some(cell) = row.cells.get(&column.id) else {
                        continue;
                    };
                    if base_count > 0.0 {
                        out.compare(
                            format!("{}.{}.{}.{}.percent", table.id, block.id, row.id, column.id),
                            Check::PercentOfBase,
                            || place(&block.label, &row.label, &column.label, row.line),
                            cell.percent,
                            100.0 * cell.count / base_count,
                            ROUNDING,
                            Unit::Percent,
                            false,
                            Some(format!(
                                "{} / {} = {:.2}%",
                                cell.count,
                                base_count,
                                100.0 * cell.count / base_count
                            )),
                        );
                    }
                }
                if let Some(total) = &block.total {
                    if let Some(cell) = total.cells.get(&column.id) {
                        out.compare(
                            format!("{}.{}.total.{}.percent", table.id, block.id, column.id),
                            Check::TotalPercent,
                            || place(&block.label, &total.label, &column.label, total.line),
                            cell.percent,
                            100.0,
                            EXACT,
                            Unit::Percent,
                            false,
                            None,
                        );
                    }
                }
                // Rows against the total.
                if block.kind == BlockKind::Partition {
                    let sum: f64 = block
                        .rows
                        .iter()
                        .filter_map(|r| r.cells.get(&column.id))
                        .map(|c| c.count)
                        .sum();
                    let (total_label, total_line) = match &block.total {
                        Some(t) => (t.label.clone(), t.line),
                        None => (
                            format!(
                                "(base: total of block {})",
                                block.base.clone().unwrap_or_default()
                            ),
                            base.line,
                        ),
                    };
                    let total_block = if block.total.is_some() {
                        block.id.clone()
                    } else {
                        block.base.clone().unwrap_or_default()
                    };
                    out.compare(
                        format!("{}.{}.total.{}.count", table.id, total_block, column.id),
                        Check::RowsSumToTotal,
                        || place(&block.label, &total_label, &column.label, total_line),
                        base_count,
                        sum,
                        EXACT,
                        Unit::Count,
                        false,
                        Some(format!("the rows of block \"{}\" add up to {sum}, the printed total is {base_count}", block.label)),
                    );
                }
            }
            // Total against a row of another block.
            if let (Some(target), Some(total)) = (&block.total_equals, &block.total) {
                if let Some((b, r)) = target.split_once('.') {
                    for column in &table.columns {
                        let other =
                            dataset.value(&format!("{}.{b}.{r}.{}.count", table.id, column.id));
                        if let (Some(other), Some(cell)) = (other, total.cells.get(&column.id)) {
                            out.compare(
                                format!("{}.{}.total.{}.count", table.id, block.id, column.id),
                                Check::TotalEqualsRow,
                                || place(&block.label, &total.label, &column.label, total.line),
                                cell.count,
                                other,
                                EXACT,
                                Unit::Count,
                                false,
                                Some(format!("the total should equal row {target}")),
                            );
                        }
                    }
                }
            }
            // Cohort columns against the total column.
            if let Some(sum) = &table.column_sum {
                for (row_id, label, line, cells) in block.rows_with_total() {
                    let parts: Option<f64> = sum
                        .parts
                        .iter()
                        .map(|p| cells.get(p).map(|c| c.count))
                        .sum();
                    if let (Some(parts), Some(total)) = (parts, cells.get(&sum.total)) {
                        let total_label = table
                            .columns
                            .iter()
                            .find(|c| c.id == sum.total)
                            .map(|c| c.label.clone())
                            .unwrap_or_default();
                        out.compare(
                            format!("{}.{}.{row_id}.{}.count", table.id, block.id, sum.total),
                            Check::ColumnsSumToTotal,
                            || place(&block.label, label, &total_label, line),
                            total.count,
                            parts,
                            EXACT,
                            Unit::Count,
                            false,
                            Some(format!(
                                "columns {} add up to {parts}",
                                sum.parts.join(" + ")
                            )),
                        );
                    }
                }
            }
        }
    }
}

fn stars_level(stars: u8) -> f64 {
    match stars {
        1 => 90.0,
        2 => 95.0,
        3 => 99.0,
        _ => 0.0,
    }
}

fn check_relations(dataset: &Dataset, out: &mut Collector) {
    for relation in &dataset.relations {
        // Operands were checked on loading; a missing one skips the relation.
        let entries: Option<Vec<&Entry>> = relation
            .kind
            .operands()
            .into_iter()
            .map(|id| dataset.get(id))
            .collect();
        let Some(entries) = entries else {
            continue;
        };
        let approx = entries.iter().any(|e| e.approx);
        let value = |id: &str| dataset.value(id).unwrap_or(f64::NAN);
        let unit_of = |id: &str| dataset.get(id).map(|e| e.unit).unwrap_or(Unit::Count);
        let location = || relation.location.clone();
        let note = relation.note.clone();
        match &relation.kind {
            RelationKind::Sum {
                parts,
                minus,
                equals,
            } => {
                let computed: f64 = parts.iter().map(|p| value(p)).sum::<f64>()
                    - minus.iter().map(|m| value(m)).sum::<f64>();
                out.compare(
                    relation.id.clone(),
                    Check::Sum,
                    location,
                    value(equals),
                    computed,
                    EXACT,
                    unit_of(equals),
                    approx,
                    note,
                );
            }
            RelationKind::Equal { left, right } => out.compare(
                relation.id.clone(),
                Check::Equal,
                location,
                value(left),
                value(right),
                EXACT,
                unit_of(left),
                approx,
                note,
            ),
            RelationKind::AtMost { left, right } => {
                out.checks += 1;
                let (l, r) = (value(left), value(right));
                if l > r + EXACT {
                    out.findings.push(Finding {
                        id: relation.id.clone(),
                        check: Check::AtMost,
                        location: location(),
                        printed: l,
                        computed: r,
                        difference: l - r,
                        unit: unit_of(left),
                        approx,
                        note,
                    });
                }
            }
            RelationKind::Stars { left, right } => {
                let stars = dataset.get(right).map(|e| e.stars).unwrap_or(0);
                out.compare(
                    relation.id.clone(),
                    Check::Stars,
                    location,
                    value(left),
                    stars_level(stars),
                    EXACT,
                    Unit::Percent,
                    approx,
                    note,
                );
            }
            RelationKind::Share {
                count,
                base,
                percent,
            } => {
                let b = value(base);
                if b > 0.0 {
                    out.compare(
                        relation.id.clone(),
                        Check::Share,
                        location,
                        value(percent),
                        100.0 * value(count) / b,
                        ROUNDING,
                        Unit::Percent,
                        approx,
                        note,
                    );
                }
            }
        }
    }
}
