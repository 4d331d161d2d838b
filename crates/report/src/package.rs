//! The report package: what makes one report of the generic engine, read from the data
//! file's `package` object (`data/README.md`, "The report package"): its cohorts, its
//! outflow causes, its success definitions, where its tables and numbers are, and their
//! labels in Dutch and English. Nothing of it is in the code: a third cohort or a new
//! cause is new data.
//!
//! Every id is checked against the tables when the file loads; a bad one is an
//! `invalid_data_file` error naming its path (`package.causes[3] (id "iva")`).

use crate::dataset::{invalid, FrequencyTable};
use serde::{Deserialize, Serialize};
use sibstat_core::error::{Code, Error, Result};
use std::collections::{BTreeMap, BTreeSet};

/// A text in Dutch and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

/// A cohort: a column of the outflow, participants and sanctions tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CohortSpec {
    /// The column id in the tables (`cohort1`).
    pub id: String,
    /// The key of the view state and the page's URL (`1`); `all` for every cohort.
    pub key: String,
    /// Short label ("Cohort 1").
    pub label: Labels,
    /// Label with its entry period ("cohort 1 (juli 2019 – juli 2020)").
    pub long_label: Labels,
}

/// An outflow cause: a row of the outflow table's causes block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CauseSpec {
    /// The row id in the causes block.
    pub id: String,
    /// Its label.
    pub label: Labels,
    /// True for a cause that is not known (governed by the unknown policy, never by a
    /// definition).
    #[serde(default)]
    pub unknown: bool,
}

/// A named success definition: the known causes that count as success.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionSpec {
    /// Its id in requests and the URL (`effect`); `custom` is reserved.
    pub id: String,
    /// Its name.
    pub label: Labels,
    /// A one-line description.
    pub hint: Labels,
    /// The causes counted as success; the other known causes fail.
    pub success: Vec<String>,
}

/// A labelled column that is not a cohort (table 3.4's "minimaal 2 jaar ziek").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnLabel {
    /// The column id.
    pub id: String,
    /// Its label.
    pub label: Labels,
}

/// Where the outflow is: participants, no outflow, outflow and its causes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutflowLayout {
    /// The table (`t3_2`).
    pub table: String,
    /// The partition block whose total is the participants (`outflow`).
    pub block: String,
    /// Its row of those still in the programme (`none`).
    pub none: String,
    /// Its row of those who flowed out (`yes`).
    pub yes: String,
    /// The block of causes (`cause`); its rows are the package's causes.
    pub causes: String,
    /// Blocks that count a named definition's outcome directly (rows `success`,
    /// `failure`, `unknown`), by definition id. A package published from microdata
    /// prints them so that a definition's shares survive when a cause's count is
    /// withheld; the causes are read first, the block when a cause is withheld.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub definition_blocks: BTreeMap<String, String>,
}

/// The rows of a definition block.
pub const DEFINITION_BLOCK_ROWS: [&str; 3] = ["success", "failure", "unknown"];

/// Where the wage sanctions are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanctionLayout {
    /// The table (`t3_4`).
    pub table: String,
    /// The block (`sanction`).
    pub block: String,
    /// Row of a sanction (`yes`).
    pub yes: String,
    /// Row of no sanction (`none`).
    pub none: String,
    /// The columns shown, in order (cohorts, all, and others such as `min2y`).
    pub columns: Vec<String>,
}

/// A band of sickness duration at entry, in months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The row id.
    pub row: String,
    /// From (months of sickness).
    pub from_months: f64,
    /// To (months).
    pub to_months: f64,
}

/// Where the sickness duration at entry is (for the result measurement).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SicknessLayout {
    /// The table (`t3_1`).
    pub table: String,
    /// The block (`sickness_duration`).
    pub block: String,
    /// The bands with their months.
    pub bands: Vec<Band>,
    /// The row of unknown duration (left out of the weights).
    pub unknown: String,
}

/// The numbers the engine reads by role, as ids of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberRoles {
    /// The sanction rate before the programme (a fraction).
    pub pre_sib_sanction_rate: String,
    /// Payment target after two years (percent).
    pub target_2y: String,
    /// Payment target after four years (percent).
    pub target_4y: String,
    /// Months after the first day of sickness at which the result is measured.
    pub result_measured_months: String,
    /// Outflows of known cause and unknown moment (left out of the duration analysis).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unknown_moment: Option<String>,
    /// Participants in the published duration analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_analysis_n: Option<String>,
    /// Figure: successful outflow one year after entry (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_1y: Option<String>,
    /// Figure: successful outflow two years after entry (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_2y: Option<String>,
    /// Figure: median months to any outflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_months: Option<String>,
    /// Figure: successful outflow at the median (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_at_median: Option<String>,
    /// Figure: other outflow at the median (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_at_median: Option<String>,
    /// Figure: any outflow at the median (percent, 50 by definition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outflow_at_median: Option<String>,
    /// Mean observed duration to outflow (weeks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean_duration_weeks: Option<String>,
    /// Survey: invited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_invited: Option<String>,
    /// Survey: respondents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_respondents: Option<String>,
    /// Survey: response as printed (percent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_response_percent: Option<String>,
}

/// Where everything the engine reads is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// The participants table (`t3_1`).
    pub participants: String,
    /// The outflow table.
    pub outflow: OutflowLayout,
    /// The sanctions table.
    pub sanctions: SanctionLayout,
    /// The sickness duration at entry.
    pub sickness_duration: SicknessLayout,
    /// The published marginal-effects tables, in order.
    pub models: Vec<String>,
    /// Numbers by role.
    pub numbers: NumberRoles,
}

/// The report package (the data file's `package` object).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Package {
    /// Short id of the package (`joining_forces_2022`).
    pub id: String,
    /// The report's title.
    pub title: Labels,
    /// The cohorts, in order.
    pub cohorts: Vec<CohortSpec>,
    /// Every cohort together (the total column).
    pub all: CohortSpec,
    /// The outflow causes, in the order of the causes block.
    pub causes: Vec<CauseSpec>,
    /// The named success definitions.
    pub definitions: Vec<DefinitionSpec>,
    /// The definition of the report's own analysis.
    pub default_definition: String,
    /// The payment definition (the result measurement against the targets).
    pub payment_definition: String,
    /// Labels of other columns.
    #[serde(default)]
    pub columns: Vec<ColumnLabel>,
    /// Where the numbers are.
    pub layout: Layout,
}

fn ids_unique<'a>(ids: impl Iterator<Item = &'a str>, path: &str) -> Result<()> {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !seen.insert(id) {
            return Err(invalid(path, format!("duplicate id \"{id}\"")));
        }
    }
    Ok(())
}

impl NumberRoles {
    /// The number id of an optional role, or an error saying the package lacks it
    /// (`package.layout.numbers.success_1y`), coded `code` for what needs it.
    pub fn need<'a>(role: &'a Option<String>, name: &str, code: Code) -> Result<&'a str> {
        role.as_deref().ok_or_else(|| {
            Error::new(
                code,
                format!("the package gives no number for package.layout.numbers.{name}"),
            )
        })
    }
}

impl Package {
    /// Checks every id against the tables, numbers and models of the file.
    pub(crate) fn validate(
        &self,
        tables: &[FrequencyTable],
        model_ids: &[&str],
        has_number: &dyn Fn(&str) -> bool,
    ) -> Result<()> {
        let table = |id: &str, path: &str| {
            tables
                .iter()
                .find(|t| t.id == id)
                .ok_or_else(|| invalid(path, format!("\"{id}\" names no table of the file")))
        };
        if self.cohorts.is_empty() {
            return Err(invalid("package.cohorts", "give at least one cohort"));
        }
        let cohorts = || self.cohorts.iter().chain(std::iter::once(&self.all));
        ids_unique(cohorts().map(|c| c.id.as_str()), "package.cohorts")?;
        ids_unique(cohorts().map(|c| c.key.as_str()), "package.cohorts (keys)")?;
        if self.all.key != "all" {
            return Err(invalid(
                "package.all",
                "the key of every cohort together is \"all\"",
            ));
        }
        ids_unique(self.causes.iter().map(|c| c.id.as_str()), "package.causes")?;
        ids_unique(
            self.definitions.iter().map(|d| d.id.as_str()),
            "package.definitions",
        )?;
        let known = sibstat_core::order::set_of(
            self.causes
                .iter()
                .filter(|c| !c.unknown)
                .map(|c| c.id.as_str()),
        );
        for (i, d) in self.definitions.iter().enumerate() {
            let path = format!("package.definitions[{i}] (id \"{}\")", d.id);
            if d.id == "custom" {
                return Err(invalid(
                    &path,
                    "the id \"custom\" is reserved for any set of causes",
                ));
            }
            for cause in &d.success {
                if !known.contains(cause.as_str()) {
                    return Err(invalid(
                        &path,
                        format!("\"{cause}\" is not a known cause of package.causes"),
                    ));
                }
            }
        }
        for (key, id) in [
            ("default_definition", &self.default_definition),
            ("payment_definition", &self.payment_definition),
        ] {
            if self.definition(id).is_none() {
                return Err(invalid(
                    &format!("package.{key}"),
                    format!("\"{id}\" names no definition of package.definitions"),
                ));
            }
        }
        let layout = &self.layout;
        // The cohort columns must be in every table the engine reads per cohort.
        let outflow = table(&layout.outflow.table, "package.layout.outflow.table")?;
        let participants = table(&layout.participants, "package.layout.participants")?;
        let sanctions = table(&layout.sanctions.table, "package.layout.sanctions.table")?;
        let sickness = table(
            &layout.sickness_duration.table,
            "package.layout.sickness_duration.table",
        )?;
        for t in [outflow, participants, sanctions, sickness] {
            for c in cohorts() {
                if !t.columns.iter().any(|col| col.id == c.id) {
                    return Err(invalid(
                        "package.cohorts",
                        format!("the cohort \"{}\" is no column of table {}", c.id, t.id),
                    ));
                }
            }
        }
        let rows_of = |t: &FrequencyTable, block: &str, path: &str| {
            t.blocks
                .iter()
                .find(|b| b.id == block)
                .map(|b| b.rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>())
                .ok_or_else(|| {
                    invalid(
                        path,
                        format!("\"{block}\" names no block of table {}", t.id),
                    )
                })
        };
        let needs_row = |rows: &[String], row: &str, path: &str| {
            if rows.iter().any(|r| r == row) {
                Ok(())
            } else {
                Err(invalid(
                    path,
                    format!("\"{row}\" names no row of the block"),
                ))
            }
        };
        let o = &layout.outflow;
        let outflow_rows = rows_of(outflow, &o.block, "package.layout.outflow.block")?;
        needs_row(&outflow_rows, &o.none, "package.layout.outflow.none")?;
        needs_row(&outflow_rows, &o.yes, "package.layout.outflow.yes")?;
        let outflow_block = outflow.blocks.iter().find(|b| b.id == o.block);
        if outflow_block.is_some_and(|b| b.total.is_none()) {
            return Err(invalid(
                "package.layout.outflow.block",
                "the outflow block needs a total row (the participants)",
            ));
        }
        let cause_rows = rows_of(outflow, &o.causes, "package.layout.outflow.causes")?;
        let cause_ids: Vec<String> = self.causes.iter().map(|c| c.id.clone()).collect();
        if cause_rows != cause_ids {
            return Err(invalid(
                "package.causes",
                format!(
                    "the causes must be the rows of block \"{}\" of table {} in its order: {}",
                    o.causes,
                    outflow.id,
                    cause_rows.join(", ")
                ),
            ));
        }
        for (definition, block) in &o.definition_blocks {
            let path = format!("package.layout.outflow.definition_blocks.{definition}");
            if self.definition(definition).is_none() {
                return Err(invalid(
                    &path,
                    format!("\"{definition}\" names no definition of package.definitions"),
                ));
            }
            let rows = rows_of(outflow, block, &path)?;
            for row in DEFINITION_BLOCK_ROWS {
                needs_row(&rows, row, &path)?;
            }
        }
        let s = &layout.sanctions;
        let sanction_rows = rows_of(sanctions, &s.block, "package.layout.sanctions.block")?;
        needs_row(&sanction_rows, &s.yes, "package.layout.sanctions.yes")?;
        needs_row(&sanction_rows, &s.none, "package.layout.sanctions.none")?;
        for (i, col) in s.columns.iter().enumerate() {
            if !sanctions.columns.iter().any(|c| &c.id == col) {
                return Err(invalid(
                    &format!("package.layout.sanctions.columns[{i}]"),
                    format!("\"{col}\" is no column of table {}", sanctions.id),
                ));
            }
        }
        let d = &layout.sickness_duration;
        let band_rows = rows_of(sickness, &d.block, "package.layout.sickness_duration.block")?;
        needs_row(
            &band_rows,
            &d.unknown,
            "package.layout.sickness_duration.unknown",
        )?;
        if d.bands.is_empty() {
            return Err(invalid(
                "package.layout.sickness_duration.bands",
                "give at least one band",
            ));
        }
        for (i, band) in d.bands.iter().enumerate() {
            let path = format!("package.layout.sickness_duration.bands[{i}]");
            needs_row(&band_rows, &band.row, &path)?;
            if !(band.from_months.is_finite()
                && band.to_months.is_finite()
                && 0.0 <= band.from_months
                && band.from_months < band.to_months)
            {
                return Err(invalid(
                    &path,
                    "a band runs from 0 or more to a later month",
                ));
            }
        }
        for (i, model) in layout.models.iter().enumerate() {
            if !model_ids.contains(&model.as_str()) {
                return Err(invalid(
                    &format!("package.layout.models[{i}]"),
                    format!("\"{model}\" names no model table of the file"),
                ));
            }
        }
        let n = &layout.numbers;
        // The roles of a printed figure and survey are optional: a package published
        // from microdata has the duration rows themselves and no survey.
        let optional = [
            ("unknown_moment", &n.unknown_moment),
            ("duration_analysis_n", &n.duration_analysis_n),
            ("success_1y", &n.success_1y),
            ("success_2y", &n.success_2y),
            ("median_months", &n.median_months),
            ("success_at_median", &n.success_at_median),
            ("failure_at_median", &n.failure_at_median),
            ("outflow_at_median", &n.outflow_at_median),
            ("mean_duration_weeks", &n.mean_duration_weeks),
            ("survey_invited", &n.survey_invited),
            ("survey_respondents", &n.survey_respondents),
            ("survey_response_percent", &n.survey_response_percent),
        ];
        let given = optional
            .into_iter()
            .filter_map(|(role, id)| id.as_ref().map(|id| (role, id)));
        for (role, id) in [
            ("pre_sib_sanction_rate", &n.pre_sib_sanction_rate),
            ("target_2y", &n.target_2y),
            ("target_4y", &n.target_4y),
            ("result_measured_months", &n.result_measured_months),
        ]
        .into_iter()
        .chain(given)
        {
            if !has_number(id) {
                return Err(invalid(
                    &format!("package.layout.numbers.{role}"),
                    format!("\"{id}\" names no number of the file"),
                ));
            }
        }
        Ok(())
    }

    /// The named definition with this id.
    pub fn definition(&self, id: &str) -> Option<&DefinitionSpec> {
        self.definitions.iter().find(|d| d.id == id)
    }

    /// The cohort (or every cohort) with this state key (`1`, `all`).
    pub fn cohort_by_key(&self, key: &str) -> Option<&CohortSpec> {
        self.cohorts
            .iter()
            .chain(std::iter::once(&self.all))
            .find(|c| c.key == key)
    }

    /// The cohort (or every cohort) with this column id (`cohort1`, `all`).
    pub fn cohort(&self, id: &str) -> Option<&CohortSpec> {
        self.cohorts
            .iter()
            .chain(std::iter::once(&self.all))
            .find(|c| c.id == id)
    }

    /// The known causes (every cause not marked unknown), in order.
    pub fn known_causes(&self) -> impl Iterator<Item = &CauseSpec> {
        self.causes.iter().filter(|c| !c.unknown)
    }

    /// The label of a column: a cohort's or another column's, else the id.
    pub fn column_label(&self, id: &str) -> Labels {
        self.cohort(id)
            .map(|c| c.label.clone())
            .or_else(|| {
                self.columns
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.label.clone())
            })
            .unwrap_or_else(|| Labels {
                nl: id.to_string(),
                en: id.to_string(),
            })
    }
}
