//! Reconciliation: every printed percentage recomputed from its count and base, every
//! total from its parts, every column total from the cohorts, and every relation of
//! the data file (text figures against tables, exclusion flows, monotonicity,
//! significance stars) checked. Mismatches are listed with their location and size.
//!
//! A printed percentage agrees when it is within half a point of `100 · count / base`
//! (whole percentages as printed); counts and sums must agree exactly.

use super::dataset::{BlockKind, Dataset, Entry, RelationKind, Source, Unit};
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
    /// The printed numbers `computed` is made of, in order, so that a reader sees the
    /// arithmetic (527 − 74 − 8 = 445, printed 450) rather than the name of a check.
    pub operands: Vec<Operand>,
    /// Where the printed number stands in the report (structured, for any language).
    pub source: Source,
}

/// How an operand enters `computed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Added in a sum.
    Plus,
    /// Subtracted in a sum.
    Minus,
    /// The count of a share (`100 · count / base`).
    Count,
    /// The base of a share.
    Base,
    /// The printed number compared with (equality, at most).
    Compared,
}

/// One printed number of a check's computation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operand {
    /// Dotted id of the number in the data file.
    pub id: String,
    /// Its value.
    pub value: f64,
    /// How it enters the computation.
    pub role: Role,
}

/// The operands with the given ids and role, their values from the data file.
fn operands(dataset: &Dataset, ids: &[String], role: Role) -> Vec<Operand> {
    ids.iter()
        .filter_map(|id| {
            dataset.value(id).map(|value| Operand {
                id: id.clone(),
                value,
                role,
            })
        })
        .collect()
}

/// The source of the printed number with the given id (default when it has none).
fn source_of(dataset: &Dataset, id: &str) -> Source {
    dataset
        .get(id)
        .map(|e| e.source.clone())
        .unwrap_or_default()
}

/// The result of a reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// How many comparisons were made.
    pub checks: usize,
    /// Comparisons left out because a number they need is withheld by the publisher
    /// (a package published from microdata).
    pub not_checkable: usize,
    /// The mismatches, tables first (in file order), then relations.
    pub findings: Vec<Finding>,
}

struct Collector {
    checks: usize,
    not_checkable: usize,
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
        explain: impl FnOnce() -> (Vec<Operand>, Source),
    ) {
        self.checks += 1;
        if (printed - computed).abs() > allowance {
            let (operands, source) = explain();
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
                operands,
                source,
            });
        }
    }
}

/// Reconciles the data file: see the module documentation.
pub fn reconcile(dataset: &Dataset) -> Reconciliation {
    let mut out = Collector {
        checks: 0,
        not_checkable: 0,
        findings: Vec::new(),
    };
    check_tables(dataset, &mut out);
    check_relations(dataset, &mut out);
    Reconciliation {
        checks: out.checks,
        not_checkable: out.not_checkable,
        findings: out.findings,
    }
}

fn check_tables(dataset: &Dataset, out: &mut Collector) {
    for table in &dataset.tables {
        let place = |block: &str, row: &str, column: &str, line: Option<u32>| {
            let printed = match (table.page, line) {
                (Some(page), Some(line)) => format!(" (p. {page}, line {line})"),
                _ => String::new(),
            };
            format!(
                "table {}, {block}: {row}, column \"{column}\"{printed}",
                table.table
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
                let Some(base_count) = base_cell.count else {
                    // A withheld base: none of the block's checks in this column.
                    out.not_checkable += block.rows.len() + 1;
                    continue;
                };
                // The block whose total row is the base (its own, or its `base` block's).
                let total_block = if block.total.is_some() {
                    block.id.clone()
                } else {
                    block.base.clone().unwrap_or_default()
                };
                let base_id = format!("{}.{total_block}.total.{}.count", table.id, column.id);
                // Shares of the base.
                for row in &block.rows {
                    let Some(cell) = row.cells.get(&column.id) else {
                        continue;
                    };
                    let (Some(count), Some(percent)) = (cell.count, cell.percent) else {
                        out.not_checkable += 1;
                        continue;
                    };
                    if base_count > 0.0 {
                        out.compare(
                            format!("{}.{}.{}.{}.percent", table.id, block.id, row.id, column.id),
                            Check::PercentOfBase,
                            || place(&block.label, &row.label, &column.label, row.line),
                            percent,
                            100.0 * count / base_count,
                            ROUNDING,
                            Unit::Percent,
                            false,
                            Some(format!(
                                "{} / {} = {:.2}%",
                                count,
                                base_count,
                                100.0 * count / base_count
                            )),
                            || {
                                let id =
                                    format!("{}.{}.{}.{}", table.id, block.id, row.id, column.id);
                                let mut ops =
                                    operands(dataset, &[format!("{id}.count")], Role::Count);
                                ops.extend(operands(
                                    dataset,
                                    std::slice::from_ref(&base_id),
                                    Role::Base,
                                ));
                                (ops, source_of(dataset, &format!("{id}.percent")))
                            },
                        );
                    }
                }
                if let Some(total) = &block.total {
                    if let Some(percent) = total.cells.get(&column.id).and_then(|c| c.percent) {
                        out.compare(
                            format!("{}.{}.total.{}.percent", table.id, block.id, column.id),
                            Check::TotalPercent,
                            || place(&block.label, &total.label, &column.label, total.line),
                            percent,
                            100.0,
                            EXACT,
                            Unit::Percent,
                            false,
                            None,
                            || {
                                let id = format!(
                                    "{}.{}.total.{}.percent",
                                    table.id, block.id, column.id
                                );
                                (Vec::new(), source_of(dataset, &id))
                            },
                        );
                    }
                }
                // Rows against the total.
                if block.kind == BlockKind::Partition {
                    let sum: Option<f64> = block
                        .rows
                        .iter()
                        .filter_map(|r| r.cells.get(&column.id))
                        .map(|c| c.count)
                        .sum();
                    let Some(sum) = sum else {
                        out.not_checkable += 1;
                        continue;
                    };
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
                        || {
                            let ids: Vec<String> = block
                                .rows
                                .iter()
                                .filter(|r| r.cells.contains_key(&column.id))
                                .map(|r| format!("{}.{}.{}.{}.count", table.id, block.id, r.id, column.id))
                                .collect();
                            (operands(dataset, &ids, Role::Plus), source_of(dataset, &base_id))
                        },
                    );
                }
            }
            // Total against a row of another block.
            if let (Some(target), Some(total)) = (&block.total_equals, &block.total) {
                if let Some((b, r)) = target.split_once('.') {
                    for column in &table.columns {
                        let other =
                            dataset.value(&format!("{}.{b}.{r}.{}.count", table.id, column.id));
                        let count = total.cells.get(&column.id).and_then(|c| c.count);
                        let (Some(other), Some(count)) = (other, count) else {
                            out.not_checkable += 1;
                            continue;
                        };
                        {
                            out.compare(
                                format!("{}.{}.total.{}.count", table.id, block.id, column.id),
                                Check::TotalEqualsRow,
                                || place(&block.label, &total.label, &column.label, total.line),
                                count,
                                other,
                                EXACT,
                                Unit::Count,
                                false,
                                Some(format!("the total should equal row {target}")),
                                || {
                                    let other_id =
                                        format!("{}.{b}.{r}.{}.count", table.id, column.id);
                                    let id = format!(
                                        "{}.{}.total.{}.count",
                                        table.id, block.id, column.id
                                    );
                                    (
                                        operands(dataset, &[other_id], Role::Compared),
                                        source_of(dataset, &id),
                                    )
                                },
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
                        .map(|p| cells.get(p).and_then(|c| c.count))
                        .sum();
                    let total = cells.get(&sum.total).and_then(|c| c.count);
                    if parts.is_none() || total.is_none() {
                        out.not_checkable += 1;
                    }
                    if let (Some(parts), Some(total)) = (parts, total) {
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
                            total,
                            parts,
                            EXACT,
                            Unit::Count,
                            false,
                            Some(format!(
                                "columns {} add up to {parts}",
                                sum.parts.join(" + ")
                            )),
                            || {
                                let id = |column: &str| {
                                    format!("{}.{}.{row_id}.{column}.count", table.id, block.id)
                                };
                                let ids: Vec<String> = sum.parts.iter().map(|p| id(p)).collect();
                                (
                                    operands(dataset, &ids, Role::Plus),
                                    source_of(dataset, &id(&sum.total)),
                                )
                            },
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
                    || {
                        let mut ops = operands(dataset, parts, Role::Plus);
                        ops.extend(operands(dataset, minus, Role::Minus));
                        (ops, source_of(dataset, equals))
                    },
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
                || {
                    let ops = operands(dataset, std::slice::from_ref(right), Role::Compared);
                    (ops, source_of(dataset, left))
                },
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
                        operands: operands(dataset, std::slice::from_ref(right), Role::Compared),
                        source: source_of(dataset, left),
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
                    || (Vec::new(), source_of(dataset, left)),
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
                        || {
                            let mut ops =
                                operands(dataset, std::slice::from_ref(count), Role::Count);
                            ops.extend(operands(dataset, std::slice::from_ref(base), Role::Base));
                            (ops, source_of(dataset, percent))
                        },
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped data file (read here, so the test needs no `embedded` feature).
    fn shipped() -> Dataset {
        Dataset::from_json(include_str!("../../../data/joining_forces.json"))
            .expect("the shipped data file loads")
    }

    fn finding(id: &str) -> Finding {
        let data = shipped();
        reconcile(&data)
            .findings
            .into_iter()
            .find(|f| f.id == id)
            .unwrap_or_else(|| panic!("no finding {id}"))
    }

    /// Footnote 10 (p. 12, lines 917–922): 527 registered − 74 without intake − 8
    /// registration errors = 445, printed as 450 analysed (p. 13, line 922).
    #[test]
    fn a_sum_finding_carries_its_operands_and_the_printed_numbers_source() {
        let f = finding("fn10.flow");
        let terms: Vec<(f64, Role)> = f.operands.iter().map(|o| (o.value, o.role)).collect();
        assert_eq!(
            terms,
            vec![(527.0, Role::Plus), (74.0, Role::Minus), (8.0, Role::Minus)]
        );
        assert_eq!((f.computed, f.printed), (445.0, 450.0));
        assert_eq!((f.source.page, f.source.line), (Some(13), Some(922)));
    }

    /// Table 3.2, column "all" (p. 15, line 1067): 183 without outflow of 450
    /// participants is 40.67 %, printed 47 %.
    #[test]
    fn a_share_finding_carries_its_count_and_base() {
        let f = finding("t3_2.outflow.none.all.percent");
        let terms: Vec<(f64, Role)> = f.operands.iter().map(|o| (o.value, o.role)).collect();
        assert_eq!(terms, vec![(183.0, Role::Count), (450.0, Role::Base)]);
        assert_eq!(f.source.table.as_deref(), Some("3.2"));
        assert_eq!((f.source.page, f.source.line), (Some(15), Some(1067)));
    }

    /// Every operand of every finding is a number of the data file, with its value.
    #[test]
    fn every_operand_names_a_number_of_the_file() {
        let data = shipped();
        for f in reconcile(&data).findings {
            for o in &f.operands {
                assert_eq!(data.value(&o.id), Some(o.value), "{}: {}", f.id, o.id);
            }
        }
    }
}
