//! The publication spec: which tables, blocks, duration rows and cross-tables to build
//! from which microdata columns, and the disclosure parameters. A JSON file; the
//! Joining Forces spec ships with the crate ([`Spec::joining_forces`]).

use crate::date::Date;
use serde::Deserialize;
use sibstat_core::error::{Code, Error, Result};
use std::collections::{BTreeMap, BTreeSet};

/// The Joining Forces spec as shipped (`crates/publish/spec/joining_forces.json`).
pub const JOINING_FORCES_SPEC: &str = include_str!("../spec/joining_forces.json");

/// The spec's schema version.
pub const SPEC_VERSION: u32 = 1;

/// A publication spec (see `crates/publish/README.md` for every key).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Always [`SPEC_VERSION`].
    pub spec_version: u32,
    /// Name of the spec (written into the package's source note).
    pub id: String,
    /// Default cut-off date of the follow-up (`--cutoff` overrides it).
    pub cutoff: String,
    /// Threshold: no published count in 1..k−1 (`--k` overrides it).
    pub k: u64,
    /// Required width of a protected cell's feasible range (default: k).
    pub protection: Option<u64>,
    /// Cohort values of the `cohort` column and their column ids.
    pub cohorts: Vec<CohortSpec>,
    /// The column of all cohorts together.
    pub all_column: ColumnSpec,
    /// Known outflow causes (the microdata may also say `unknown`).
    pub causes: Vec<String>,
    /// Allowed values of the categorical columns.
    pub categories: BTreeMap<String, Vec<String>>,
    /// 0/1 columns.
    pub flags: Vec<String>,
    /// Banded versions of numeric variables (`age`, `sickness_months`).
    pub bands: BTreeMap<String, BandSpec>,
    /// Sickness durations at entry above this many months count as unknown (table 3.1 note a).
    pub sickness_max_months: f64,
    /// `sick_at_cutoff` is 1 when the first sick day lies at least this many months before the cut-off.
    pub sick_at_cutoff_months: f64,
    /// The outcome `success_1y` (table 3.3).
    pub success_1y: OutcomeSpec,
    /// The outcome `result_28m` (box 1's result measurement).
    pub result_28m: OutcomeSpec,
    /// Frequency tables.
    pub tables: Vec<TableSpec>,
    /// Duration rows behind figure 3.2.
    pub duration: DurationSpec,
    /// Cross-tables behind the logits.
    pub cross_tables: Vec<CrossTableSpec>,
}

/// A cohort.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortSpec {
    /// Its value in the `cohort` column.
    pub value: String,
    /// Its column id in the tables.
    pub column: String,
    /// Label.
    pub label: String,
}

/// A table column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
}

/// Bands of a numeric variable: `[from, to)` each, plus a row for a missing value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandSpec {
    /// The numeric variable (`age` or `sickness_months`).
    pub from: String,
    /// The bands.
    pub bands: Vec<Band>,
    /// Value for a missing or out-of-band number.
    pub missing: String,
}

/// One band.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Value of the banded variable.
    pub id: String,
    /// Lower bound (inclusive).
    pub from: f64,
    /// Upper bound (exclusive); absent = no upper bound.
    pub to: Option<f64>,
}

/// An outcome measured some months after a start.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeSpec {
    /// Months after the start (entry for `success_1y`, first sick day for `result_28m`).
    pub months: f64,
    /// Causes that count as success.
    pub success_causes: Vec<String>,
}

/// A frequency table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Id (`t3_1`).
    pub id: String,
    /// Number as printed (`3.1`).
    pub table: String,
    /// Title.
    pub title: String,
    /// Extra columns that are a subset of all cohorts (table 3.4's "minimaal 2 jaar ziek").
    #[serde(default)]
    pub subset_columns: Vec<SubsetColumn>,
    /// Blocks.
    pub blocks: Vec<BlockSpec>,
}

/// A column of the participants whose `variable` has one of `values`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsetColumn {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Variable.
    pub variable: String,
    /// Values.
    pub values: Vec<String>,
}

/// A block of a table: a partition of its population by one variable, or flags.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockSpec {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// `partition` (rows add up to the total) or `multiple` (flags).
    pub kind: BlockKind,
    /// The partitioning variable (partition blocks).
    pub variable: Option<String>,
    /// Restricts the block to a row of another block of the table (`outflow.yes`).
    pub within: Option<String>,
    /// Rows.
    pub rows: Vec<RowSpec>,
    /// Whether a total row is printed.
    #[serde(default)]
    pub total: bool,
    /// Zeros in this block reveal something (declared disclosive): suppressed like small counts.
    #[serde(default)]
    pub zeros_disclosive: bool,
    /// The named definition of the report package whose outcome the block counts
    /// directly (rows `success`, `failure`, `unknown` of the outflow), so that its
    /// shares survive when a cause's count is withheld.
    #[serde(default)]
    pub definition: Option<String>,
}

/// Block kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Rows are disjoint and add up.
    Partition,
    /// Rows are flags (a participant may be in several); a `none` row has no flag.
    Multiple,
}

/// A row: the values of the block's variable, or a flag (multiple blocks).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Values of the block's variable (partition blocks).
    #[serde(default)]
    pub values: Vec<String>,
    /// The flag (multiple blocks); absent in the row of those with no flag.
    pub flag: Option<String>,
}

/// The duration rows.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationSpec {
    /// Cause groups published per step (each cause in exactly one group).
    pub groups: Vec<CauseGroup>,
    /// Group that takes a cohort's group whose total lies in 1..k−1.
    pub fallback_group: String,
    /// Causes left out of the duration rows (as the report leaves out the unknown
    /// cause: box 1's 393 participants); their counts are in the tables.
    #[serde(default)]
    pub exclude_causes: Vec<String>,
}

/// A group of causes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseGroup {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Causes.
    pub causes: Vec<String>,
}

/// A cross-table: an outcome's successes and trials by cohort and one variable.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossTableSpec {
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Outcome variable.
    pub outcome: String,
    /// Its value counted as success.
    pub success: String,
    /// Its value counted as failure (other values are outside the population).
    pub failure: String,
    /// The covariate.
    pub by: String,
    /// Its levels in order (merging joins neighbours).
    pub levels: Vec<LevelSpec>,
}

/// A level of a cross-table's covariate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// Id.
    pub id: String,
    /// Values of the covariate.
    pub values: Vec<String>,
}

fn spec_error(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidSpec, message)
}

impl Spec {
    /// The shipped Joining Forces spec.
    pub fn joining_forces() -> Result<Spec> {
        Spec::from_json(JOINING_FORCES_SPEC)
    }

    /// Parses and checks a spec; problems are `invalid_spec` naming the key.
    pub fn from_json(text: &str) -> Result<Spec> {
        let spec: Spec =
            serde_json::from_str(text).map_err(|e| spec_error(format!("spec: {e}")))?;
        spec.check()?;
        Ok(spec)
    }

    /// The cut-off date of the spec.
    pub fn cutoff_date(&self) -> Result<Date> {
        Date::parse(&self.cutoff).ok_or_else(|| {
            spec_error(format!(
                "spec.cutoff is {:?}: give a date as YYYY-MM-DD",
                self.cutoff
            ))
        })
    }

    /// The values each variable can take (the domains of the audit's keys).
    pub fn domains(&self) -> BTreeMap<String, Vec<String>> {
        let mut d = BTreeMap::new();
        d.insert(
            "cohort".to_string(),
            self.cohorts.iter().map(|c| c.column.clone()).collect(),
        );
        let mut causes = vec!["none".to_string()];
        causes.extend(self.causes.iter().cloned());
        causes.push("unknown".to_string());
        d.insert("cause".to_string(), causes);
        for (name, values) in &self.categories {
            d.insert(name.clone(), values.clone());
        }
        for flag in &self.flags {
            d.insert(flag.clone(), vec!["0".to_string(), "1".to_string()]);
        }
        d.insert(
            "sick_at_cutoff".to_string(),
            vec!["0".to_string(), "1".to_string()],
        );
        for (name, b) in &self.bands {
            let mut v: Vec<String> = b.bands.iter().map(|x| x.id.clone()).collect();
            v.push(b.missing.clone());
            d.insert(name.clone(), v);
        }
        d.insert(
            "success_1y".to_string(),
            ["1", "0", "excluded"].map(String::from).to_vec(),
        );
        d.insert(
            "result_28m".to_string(),
            [
                "success",
                "no_success",
                "unknown",
                "not_due",
                "duration_unknown",
            ]
            .map(String::from)
            .to_vec(),
        );
        d
    }

    fn check(&self) -> Result<()> {
        if self.spec_version != SPEC_VERSION {
            return Err(spec_error(format!(
                "spec.spec_version is {}: this sibstat reads version {SPEC_VERSION}",
                self.spec_version
            )));
        }
        self.cutoff_date()?;
        if self.k < 2 {
            return Err(spec_error("spec.k must be at least 2"));
        }
        if self.cohorts.is_empty() {
            return Err(spec_error("spec.cohorts is empty"));
        }
        let causes: BTreeSet<&str> = self.causes.iter().map(String::as_str).collect();
        if causes.len() != self.causes.len()
            || causes.contains("unknown")
            || causes.contains("none")
        {
            return Err(spec_error(
                "spec.causes must be distinct and may not name `unknown` or `none`",
            ));
        }
        let domains = self.domains();
        let known = |v: &str| domains.contains_key(v);
        for (name, b) in &self.bands {
            if b.from != "age" && b.from != "sickness_months" {
                return Err(spec_error(format!(
                    "spec.bands.{name}.from is {:?}: bands are of `age` or `sickness_months`",
                    b.from
                )));
            }
        }
        for outcome in [&self.success_1y, &self.result_28m] {
            for c in &outcome.success_causes {
                if !causes.contains(c.as_str()) {
                    return Err(spec_error(format!(
                        "spec: success cause {c:?} is not in spec.causes"
                    )));
                }
            }
        }
        for t in &self.tables {
            for col in &t.subset_columns {
                if !known(&col.variable) {
                    return Err(spec_error(format!(
                        "spec.tables {:?}: column {:?} uses unknown variable {:?}",
                        t.id, col.id, col.variable
                    )));
                }
            }
            for b in &t.blocks {
                let at = format!("spec.tables {:?} block {:?}", t.id, b.id);
                match b.kind {
                    BlockKind::Partition => {
                        let v = b.variable.as_deref().ok_or_else(|| {
                            spec_error(format!("{at}: a partition block needs `variable`"))
                        })?;
                        let domain = domains
                            .get(v)
                            .ok_or_else(|| spec_error(format!("{at}: unknown variable {v:?}")))?;
                        for r in &b.rows {
                            if r.values.is_empty() || r.values.iter().any(|x| !domain.contains(x)) {
                                return Err(spec_error(format!(
                                    "{at} row {:?}: values must be some of {domain:?}",
                                    r.id
                                )));
                            }
                        }
                    }
                    BlockKind::Multiple => {
                        for r in &b.rows {
                            if let Some(f) = &r.flag {
                                if !self.flags.contains(f) {
                                    return Err(spec_error(format!(
                                        "{at} row {:?}: {f:?} is not in spec.flags",
                                        r.id
                                    )));
                                }
                            }
                        }
                    }
                }
                if let Some(w) = &b.within {
                    let ok = w.split_once('.').is_some_and(|(block, row)| {
                        t.blocks.iter().any(|x| {
                            x.id == block
                                && x.kind == BlockKind::Partition
                                && x.rows.iter().any(|r| r.id == row)
                        })
                    });
                    if !ok {
                        return Err(spec_error(format!(
                            "{at}: within {w:?} names no row of a partition block of the table"
                        )));
                    }
                }
            }
        }
        let mut grouped = BTreeSet::new();
        for g in &self.duration.groups {
            for c in &g.causes {
                if !(causes.contains(c.as_str()) || c == "unknown") || !grouped.insert(c.clone()) {
                    return Err(spec_error(format!(
                        "spec.duration.groups: cause {c:?} is unknown or in two groups"
                    )));
                }
            }
        }
        for c in &self.duration.exclude_causes {
            if !(causes.contains(c.as_str()) || c == "unknown") || !grouped.insert(c.clone()) {
                return Err(spec_error(format!(
                    "spec.duration.exclude_causes: {c:?} is unknown or also in a group"
                )));
            }
        }
        if grouped.len() != self.causes.len() + 1 {
            return Err(spec_error(
                "spec.duration: every cause and `unknown` must be in a group or excluded",
            ));
        }
        if !self
            .duration
            .groups
            .iter()
            .any(|g| g.id == self.duration.fallback_group)
        {
            return Err(spec_error("spec.duration.fallback_group names no group"));
        }
        for x in &self.cross_tables {
            let at = format!("spec.cross_tables {:?}", x.id);
            let od = domains
                .get(&x.outcome)
                .ok_or_else(|| spec_error(format!("{at}: unknown outcome {:?}", x.outcome)))?;
            if !od.contains(&x.success) || !od.contains(&x.failure) || x.success == x.failure {
                return Err(spec_error(format!(
                    "{at}: success and failure must be two values of {od:?}"
                )));
            }
            let bd = domains
                .get(&x.by)
                .ok_or_else(|| spec_error(format!("{at}: unknown variable {:?}", x.by)))?;
            if x.levels.is_empty()
                || x.levels
                    .iter()
                    .flat_map(|l| &l.values)
                    .any(|v| !bd.contains(v))
            {
                return Err(spec_error(format!("{at}: levels must be values of {bd:?}")));
            }
        }
        Ok(())
    }
}
