//! The duration rows of a package published from microdata (`sibstat publish`): months
//! since entry pooled into steps, per cohort, with the outflows per group of causes and
//! the censorings of each step. In such a package they take the place of the
//! reconstruction of figure 3.2: the package's second file (`reconstruction.json`)
//! holds these rows (`"kind": "duration_rows"`) instead of reconstruction assumptions.
//!
//! A step covers whole months `from_month..=to_month`: an outflow during month m lies in
//! [m − 1, m) months after entry, a censoring at the end of its month. The publisher
//! pooled months until each step has at least k individuals leaving the risk set, so
//! nothing finer than a step is known: the engine reads a step as one jump, its
//! outflows in the middle of its last month and its censorings at its end (events
//! before censorings, as a life table does). A count the publisher withheld is null;
//! a view that needs it is answered with `withheld_cell`.

use super::dataset::Dataset;
use super::definitions::{Class, DefinitionState};
use super::reconstruction::{month_steps_data, MonthSteps};
use serde::{Deserialize, Serialize};
use sibstat_core::error::{Code, Error, Result};
use sibstat_core::survival::SurvivalData;
use std::collections::{BTreeMap, BTreeSet};

/// The value of `kind` that marks a file of published duration rows.
pub const DURATION_ROWS_KIND: &str = "duration_rows";

/// One published step of a cohort's duration rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// First month (since entry) of the step.
    pub from_month: u32,
    /// Last month of the step.
    pub to_month: u32,
    /// Outflows per group (null: withheld by the publisher).
    pub events: BTreeMap<String, Option<u64>>,
    /// Censored at the cut-off within the step (null: withheld).
    pub censored: Option<u64>,
}

/// A cohort's published duration rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationCohort {
    /// The cohort's column id (`cohort1`).
    pub cohort: String,
    /// The groups of causes whose outflows are counted together: group id → cause ids.
    pub groups: BTreeMap<String, Vec<String>>,
    /// The steps, in order, covering months 0 to the last.
    pub steps: Vec<Step>,
}

/// The published duration rows of a package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedDuration {
    /// Schema version (1).
    pub schema_version: u32,
    /// Always `duration_rows`.
    pub kind: String,
    /// Always `published`.
    pub tier: String,
    /// Who aggregated the rows, with what.
    pub source: String,
    /// Unit of time and how a month is read.
    pub time_unit: String,
    /// The threshold: every step has at least this many individuals leaving the risk set.
    pub k: u64,
    /// The data cut-off (ISO date).
    pub cutoff: String,
    /// Per cohort of the package, in its order.
    pub cohorts: Vec<DurationCohort>,
}

fn invalid(path: &str, message: impl std::fmt::Display) -> Error {
    Error::new(
        Code::InvalidDataFile,
        format!("duration rows, {path}: {message}"),
    )
}

impl PublishedDuration {
    /// Whether a package's second file holds published duration rows.
    pub fn is_duration_rows(value: &serde_json::Value) -> bool {
        value.get("kind").and_then(|k| k.as_str()) == Some(DURATION_ROWS_KIND)
    }

    /// Parses and validates the rows against the package's cohorts and causes.
    pub fn from_value(value: &serde_json::Value, dataset: &Dataset) -> Result<PublishedDuration> {
        let rows = PublishedDuration::deserialize(value).map_err(|e| invalid("(file)", e))?;
        if rows.schema_version != 1 {
            return Err(invalid(
                "schema_version",
                format!("this loader reads version 1, got {}", rows.schema_version),
            ));
        }
        if rows.tier != "published" {
            return Err(invalid(
                "tier",
                "published duration rows have tier \"published\"",
            ));
        }
        let package = &dataset.package;
        let ids: Vec<&str> = rows.cohorts.iter().map(|c| c.cohort.as_str()).collect();
        let expected: Vec<&str> = package.cohorts.iter().map(|c| c.id.as_str()).collect();
        if ids != expected {
            return Err(invalid(
                "cohorts",
                format!(
                    "give the package's cohorts in order: {}",
                    expected.join(", ")
                ),
            ));
        }
        let known = sibstat_core::order::set_of(package.known_causes().map(|c| c.id.as_str()));
        for (ci, cohort) in rows.cohorts.iter().enumerate() {
            let path = format!("cohorts[{ci}] (cohort \"{}\")", cohort.cohort);
            let mut seen = BTreeSet::new();
            for (group, causes) in &cohort.groups {
                for cause in causes {
                    if !known.contains(cause.as_str()) {
                        return Err(invalid(
                            &format!("{path}.groups.{group}"),
                            format!("\"{cause}\" is not a known cause of the package"),
                        ));
                    }
                    if !seen.insert(cause.as_str()) {
                        return Err(invalid(
                            &format!("{path}.groups.{group}"),
                            format!("the cause \"{cause}\" is in two groups"),
                        ));
                    }
                }
            }
            let mut next = 0;
            for (si, step) in cohort.steps.iter().enumerate() {
                let spath = format!("{path}.steps[{si}]");
                if step.from_month != next || step.to_month < step.from_month {
                    return Err(invalid(
                        &spath,
                        format!(
                            "steps run on from month {next} without gaps (got {}–{})",
                            step.from_month, step.to_month
                        ),
                    ));
                }
                next = step.to_month + 1;
                if let Some(group) = step.events.keys().find(|g| !cohort.groups.contains_key(*g)) {
                    return Err(invalid(
                        &spath,
                        format!("\"{group}\" is not a group of the cohort"),
                    ));
                }
                if let Some(group) = cohort.groups.keys().find(|g| !step.events.contains_key(*g)) {
                    return Err(invalid(
                        &spath,
                        format!("no count for the group \"{group}\""),
                    ));
                }
            }
        }
        Ok(rows)
    }

    /// The last month of follow-up over the cohorts.
    pub fn follow_up_months(&self) -> u32 {
        self.cohorts
            .iter()
            .filter_map(|c| c.steps.last().map(|s| s.to_month))
            .max()
            .unwrap_or(0)
    }

    /// The class of a group under a state, or `grouped_duration` when the state counts
    /// its causes apart.
    fn group_class(
        state: &DefinitionState,
        cohort: &str,
        group: &str,
        causes: &[String],
    ) -> Result<Class> {
        let mut classes = causes.iter().map(|c| (c, state.classify(c)));
        let Some((first_cause, first)) = classes.next() else {
            return Ok(Class::Excluded);
        };
        match classes.find(|(_, class)| *class != first) {
            None => Ok(first),
            Some((cause, class)) => Err(Error::new(
                Code::GroupedDuration,
                format!(
                    "the published duration rows of {cohort} count the causes {} together as group \"{group}\", but this definition counts {first_cause} as {} and {cause} as {}",
                    causes.join(", "),
                    first.as_str(),
                    class.as_str()
                ),
            )),
        }
    }

    /// The rows as survival data for a state and cohort (`None`: every cohort): per
    /// step, successes (status 1) and other outflows (status 2) in the middle of its last
    /// month, censorings (status 0) at its end. Excluded groups are left out.
    pub fn survival_data(
        &self,
        state: &DefinitionState,
        cohort: Option<&str>,
    ) -> Result<SurvivalData> {
        let mut steps = Vec::new();
        for c in self
            .cohorts
            .iter()
            .filter(|c| cohort.is_none_or(|id| c.cohort == id))
        {
            let mut classes = BTreeMap::new();
            for (group, causes) in &c.groups {
                classes.insert(group, Self::group_class(state, &c.cohort, group, causes)?);
            }
            for step in &c.steps {
                let withheld = |what: &str| {
                    Error::new(
                        Code::WithheldCell,
                        format!(
                            "the duration rows of {}, months {}–{}: {what} is withheld by the publisher",
                            c.cohort, step.from_month, step.to_month
                        ),
                    )
                };
                let (mut success, mut other) = (0u64, 0u64);
                for (group, n) in &step.events {
                    let class = classes.get(group).copied().unwrap_or(Class::Excluded);
                    if class == Class::Excluded {
                        continue;
                    }
                    let n =
                        n.ok_or_else(|| withheld(&format!("the outflow of group \"{group}\"")))?;
                    match class {
                        Class::Success => success += n,
                        _ => other += n,
                    }
                }
                let censored = step
                    .censored
                    .ok_or_else(|| withheld("the censored count"))?;
                steps.push(MonthSteps {
                    month: step.to_month,
                    success,
                    other,
                    censored,
                });
            }
        }
        month_steps_data(&steps)
    }
}
