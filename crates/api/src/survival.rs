//! Requests of the survival analyses.

use super::{check_conf_level, labels, to_value, Label};
use serde::Deserialize;
use serde_json::Value;
use sibstat_core::error::{Code, Error, Result};
use sibstat_core::survival::{
    self, ConfType, CumulativeIncidenceOptions, KaplanMeierOptions, LifeTableOptions, SurvivalData,
    VarianceMethod,
};

/// Survival rows: `time`, `status` (0 = censored, k = cause k), optional `count`
/// (individuals per row, default 1) and `group` (a label per row).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurvivalDataInput {
    /// Time of event or censoring, zero or more.
    pub time: Vec<Option<f64>>,
    /// 0 = censored, k >= 1 = event of cause k.
    pub status: Vec<Option<f64>>,
    /// Individuals per row; default 1 each.
    #[serde(default)]
    pub count: Option<Vec<Option<f64>>>,
    /// Group label per row.
    #[serde(default)]
    pub group: Option<Vec<Label>>,
}

impl SurvivalDataInput {
    /// Validates the rows.
    pub fn validate(self) -> Result<SurvivalData> {
        SurvivalData::new(self.time, self.status, self.count, labels(self.group))
    }
}

/// `{"analysis": "kaplan_meier", "data", "conf_level"?, "conf_type"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KaplanMeierRequest {
    /// The rows.
    pub data: SurvivalDataInput,
    /// Confidence level, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
    /// CI transform, default log-log.
    #[serde(default)]
    pub conf_type: Option<ConfType>,
}

impl KaplanMeierRequest {
    /// Validated core inputs.
    pub fn to_core(&self) -> Result<(SurvivalData, KaplanMeierOptions)> {
        let options = KaplanMeierOptions {
            conf_level: check_conf_level(self.conf_level)?,
            conf_type: self.conf_type.unwrap_or(ConfType::LogLog),
        };
        Ok((self.data.clone().validate()?, options))
    }

    pub(super) fn run(self) -> Result<Value> {
        let (data, options) = self.to_core()?;
        to_value(&survival::kaplan_meier(&data, &options)?)
    }
}

/// Most distinct causes (statuses above 0) of a cumulative incidence. Every cause has
/// its own curve and variance over all rows and times, so the cost grows with causes ×
/// rows × times; the report has nine causes.
pub const MAX_CAUSES: usize = 20;

/// Most groups a cumulative incidence compares. Gray's test costs groups² × times per
/// cause (cmprsk's algorithm), so it takes fewer groups than the other analyses.
pub const MAX_COMPARED_GROUPS: usize = 20;

/// `{"analysis": "cumulative_incidence", "data", "strata"?, "conf_level"?, "conf_type"?,
/// "variance"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CumulativeIncidenceRequest {
    /// The rows; status k >= 1 is the cause.
    pub data: SurvivalDataInput,
    /// A stratum label per row: Gray's test compares the groups within strata, as
    /// cmprsk's `cuminc(..., strata)`.
    #[serde(default)]
    pub strata: Option<Vec<Label>>,
    /// Confidence level, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
    /// CI transform (default as R's survfit for multi-state data).
    #[serde(default)]
    pub conf_type: Option<ConfType>,
    /// `"survfit"` (default, infinitesimal jackknife) or `"aalen"` (cmprsk's cuminc).
    #[serde(default)]
    pub variance: Option<VarianceMethod>,
}

impl CumulativeIncidenceRequest {
    /// Validated core inputs.
    pub fn to_core(&self) -> Result<(SurvivalData, CumulativeIncidenceOptions)> {
        let options = CumulativeIncidenceOptions {
            conf_level: check_conf_level(self.conf_level)?,
            conf_type: self
                .conf_type
                .unwrap_or(CumulativeIncidenceOptions::DEFAULT_CONF_TYPE),
            variance: self.variance.unwrap_or_default(),
        };
        let data = self.data.clone().validate()?;
        let causes = data.causes().len();
        if causes > MAX_CAUSES {
            return Err(Error::new(
                Code::TooManyLevels,
                format!(
                    "data.status has {causes} distinct causes: a cumulative incidence takes at most {MAX_CAUSES}; merge causes"
                ),
            ));
        }
        let groups = data.group().map_or(0, |_| data.groups().len());
        if groups > MAX_COMPARED_GROUPS {
            return Err(Error::new(
                Code::TooManyLevels,
                format!(
                    "data.group has {groups} distinct groups: a cumulative incidence compares at most {MAX_COMPARED_GROUPS}; merge groups"
                ),
            ));
        }
        Ok((data, options))
    }

    pub(super) fn run(self) -> Result<Value> {
        let (data, options) = self.to_core()?;
        let strata = labels(self.strata);
        to_value(&survival::cumulative_incidence_stratified(
            &data,
            &options,
            strata.as_deref(),
        )?)
    }
}

/// `{"analysis": "logrank", "data" (with groups), "strata"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogrankRequest {
    /// The rows, with `group`.
    pub data: SurvivalDataInput,
    /// A stratum label per row, for the stratified test.
    #[serde(default)]
    pub strata: Option<Vec<Label>>,
}

impl LogrankRequest {
    pub(super) fn run(self) -> Result<Value> {
        let data = self.data.validate()?;
        let strata = labels(self.strata);
        to_value(&survival::logrank(&data, strata.as_deref())?)
    }
}

/// `{"analysis": "life_table", "data", "breaks", "conf_level"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifeTableRequest {
    /// The rows.
    pub data: SurvivalDataInput,
    /// Interval boundaries, strictly increasing.
    pub breaks: Vec<Option<f64>>,
    /// Confidence level, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
}

impl LifeTableRequest {
    pub(super) fn run(self) -> Result<Value> {
        let options = LifeTableOptions::new(self.breaks, check_conf_level(self.conf_level)?)?;
        let data = self.data.validate()?;
        to_value(&survival::life_table(&data, &options)?)
    }
}
