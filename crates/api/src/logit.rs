//! The request of the logit: grouped binomial rows, the model's terms, marginal effects.
//!
//! Response keys (docs/API.md, "Binomial data"): `n_obs` (individuals), `n_rows` (rows
//! given, zero-trial rows included), `converged`, `iterations`, `log_likelihood`,
//! `log_likelihood_null`, `lr_chi_square`, `lr_df`, `lr_p_value` (null without
//! covariates), `pseudo_r2` (McFadden; null when the null log-likelihood is 0), `aic`,
//! `bic`, `bic_n` (= `n_obs`: BIC uses the number of individuals), `conf_level`,
//! `margins`, `star_convention`, `references` (the reference level of every
//! categorical covariate), `separation` (null, or `{kind, terms}`), `coefficients`,
//! `marginal_effects`, `total_effects` (only when requested) and `warnings`
//! (`complete_separation`, `quasi_complete_separation`, `not_converged`,
//! `singular_information`). Effects are fractions: ×100 gives percentage points.

use super::{check_conf_level, to_value};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sibstat_core::binomial::{
    marginal_effects, total_effects, BinomialData, CovariateValues, LogitFit, LogitModel,
    MarginalEffect, MarginsAt, ModelSpec, SeparationKind, Variable,
};
use sibstat_core::dist::{chi_square_sf, two_sided_p, z_for_conf_level};
use sibstat_core::error::{Code, Error, Result, Warning, WarningCode};
use std::collections::BTreeMap;

/// `{"analysis": "logit", "data", "model", "margins"?, "conf_level"?,
/// "star_convention"?, "total_effects"?}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogitRequest {
    /// The rows.
    pub data: LogitDataInput,
    /// Terms, reference levels, binary covariates.
    pub model: LogitModelInput,
    /// `"average"` (default) or `"at_mean"`.
    #[serde(default)]
    pub margins: Option<MarginsOption>,
    /// Confidence level of every interval, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
    /// `"report"` (default: `*` p < .10, `**` p < .05, `***` p < .01, as the report's
    /// tables) or `"conventional"` (.05 / .01 / .001).
    #[serde(default)]
    pub star_convention: Option<StarConvention>,
    /// Also give the total effect of each numeric variable entered with a power.
    #[serde(default)]
    pub total_effects: Option<bool>,
}

/// `{"successes": [..], "trials": [..], "covariates": {name: [numbers or strings]}}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogitDataInput {
    /// Successes per row.
    pub successes: Vec<Option<f64>>,
    /// Trials (individuals) per row; 1 for individual data.
    pub trials: Vec<Option<f64>>,
    /// Covariates: numbers (numeric) or strings (categorical), one per row.
    #[serde(default)]
    pub covariates: BTreeMap<String, Vec<Value>>,
}

/// `{"terms": [..], "reference"?: {name: level}, "binary"?: [..]}`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogitModelInput {
    /// Terms: `age`, `age^2`, `branch`.
    pub terms: Vec<String>,
    /// Reference level per categorical covariate.
    #[serde(default)]
    pub reference: BTreeMap<String, String>,
    /// Numeric 0/1 covariates with a discrete-change marginal effect.
    #[serde(default)]
    pub binary: Vec<String>,
}

/// Where marginal effects are evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarginsOption {
    /// Averaged over individuals.
    Average,
    /// At the mean design row.
    AtMean,
}

/// Significance stars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StarConvention {
    /// `*` p < .10, `**` p < .05, `***` p < .01 (the report's tables).
    Report,
    /// `*` p < .05, `**` p < .01, `***` p < .001.
    Conventional,
}

impl StarConvention {
    /// Stars for a p-value (empty when not significant or unknown).
    pub fn stars(self, p: Option<f64>) -> &'static str {
        let [one, two, three] = match self {
            StarConvention::Report => [0.10, 0.05, 0.01],
            StarConvention::Conventional => [0.05, 0.01, 0.001],
        };
        match p {
            Some(p) if p < three => "***",
            Some(p) if p < two => "**",
            Some(p) if p < one => "*",
            _ => "",
        }
    }
}

impl LogitDataInput {
    /// Validates the rows; covariates of numbers are numeric, of strings categorical.
    pub fn validate(self) -> Result<BinomialData> {
        let mut covariates = BTreeMap::new();
        for (name, values) in self.covariates {
            covariates.insert(name.clone(), covariate(&name, values)?);
        }
        BinomialData::new(self.successes, self.trials, covariates)
    }
}

/// Most columns (coefficients, the intercept included) of a logit's design. A fit costs
/// rows × columns² per iteration and the marginal effects as much again, so a
/// categorical covariate with a level per row would otherwise run for minutes.
pub const MAX_COLUMNS: usize = 100;

/// Refuses a model with more columns than [`MAX_COLUMNS`] before anything is built:
/// one per numeric term, one per level but the reference for a categorical one.
fn check_columns(terms: &[String], covariates: &BTreeMap<String, Vec<Value>>) -> Result<()> {
    if terms.len() >= MAX_COLUMNS {
        return Err(Error::new(
            Code::TooManyLevels,
            format!(
                "model.terms has {} terms: a logit takes at most {} columns",
                terms.len(),
                MAX_COLUMNS
            ),
        ));
    }
    let mut columns = 1;
    for term in terms {
        let name = term.trim().split('^').next().unwrap_or_default();
        columns += match covariates.get(name) {
            Some(values) if values.iter().all(Value::is_string) => {
                let levels = sibstat_core::order::set_of(values.iter().filter_map(Value::as_str));
                levels.len().saturating_sub(1)
            }
            _ => 1,
        };
        if columns > MAX_COLUMNS {
            return Err(Error::new(
                Code::TooManyLevels,
                format!(
                    "the model has more than {MAX_COLUMNS} columns (term {term:?} adds one per level but the reference): merge levels or drop terms"
                ),
            ));
        }
    }
    Ok(())
}

fn covariate(name: &str, values: Vec<Value>) -> Result<CovariateValues> {
    let bad = |i: usize, what: &str| {
        Error::new(
            Code::InvalidCovariate,
            format!(
                "data.covariates.{name}[{i}] is {what}: give a finite number (numeric covariate) or a string (categorical) in every row"
            ),
        )
    };
    let numeric = matches!(values.first(), Some(Value::Number(_)));
    let mut numbers = Vec::new();
    let mut labels = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        match value {
            Value::Number(x) if numeric => match x.as_f64() {
                Some(x) if x.is_finite() => numbers.push(x),
                _ => return Err(bad(i, "not a finite number")),
            },
            Value::String(s) if !numeric => labels.push(s),
            Value::Null => return Err(bad(i, "missing (null: NaN or infinite)")),
            Value::Number(_) | Value::String(_) => {
                return Err(bad(
                    i,
                    "of another type than row 0 (numbers and strings mixed)",
                ))
            }
            _ => return Err(bad(i, "neither a number nor a string")),
        }
    }
    Ok(if numeric {
        CovariateValues::Numeric(numbers)
    } else {
        CovariateValues::Categorical(labels)
    })
}

/// One coefficient of the response.
#[derive(Debug, Clone, Serialize)]
struct CoefficientOut {
    term: String,
    estimate: f64,
    std_err: Option<f64>,
    z: Option<f64>,
    p_value: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
}

/// One marginal effect of the response.
#[derive(Debug, Clone, Serialize)]
struct EffectOut {
    term: String,
    dydx: f64,
    std_err: Option<f64>,
    z: Option<f64>,
    p_value: Option<f64>,
    lower: Option<f64>,
    upper: Option<f64>,
    stars: &'static str,
    kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
struct SeparationOut {
    kind: &'static str,
    terms: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
struct LogitResponse {
    n_obs: u64,
    n_rows: usize,
    converged: bool,
    iterations: usize,
    log_likelihood: f64,
    log_likelihood_null: f64,
    lr_chi_square: f64,
    lr_df: usize,
    lr_p_value: Option<f64>,
    pseudo_r2: Option<f64>,
    aic: f64,
    bic: f64,
    /// The n of the BIC: the number of individuals (not of rows).
    bic_n: u64,
    conf_level: f64,
    margins: MarginsOption,
    star_convention: StarConvention,
    references: BTreeMap<String, String>,
    /// `{"kind": "complete"|"quasi_complete", "terms"}` when detected, else null.
    separation: Option<SeparationOut>,
    coefficients: Vec<CoefficientOut>,
    marginal_effects: Vec<EffectOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_effects: Option<Vec<EffectOut>>,
    warnings: Vec<Warning>,
}

impl LogitRequest {
    /// Validated core inputs: the model (data and spec) and the margins setting.
    pub fn to_core(&self) -> Result<(LogitModel, MarginsAt)> {
        check_columns(&self.model.terms, &self.data.covariates)?;
        let data = self.data.clone().validate()?;
        let spec = ModelSpec {
            terms: self.model.terms.clone(),
            reference: self.model.reference.clone(),
            binary: self.model.binary.clone(),
        };
        let at = match self.margins.unwrap_or(MarginsOption::Average) {
            MarginsOption::Average => MarginsAt::Average,
            MarginsOption::AtMean => MarginsAt::AtMean,
        };
        Ok((LogitModel::new(&data, &spec)?, at))
    }

    pub(super) fn run(self) -> Result<Value> {
        let conf_level = check_conf_level(self.conf_level)?;
        let (model, at) = self.to_core()?;
        let fit = model.fit()?;
        let stars = self.star_convention.unwrap_or(StarConvention::Report);
        let effects = marginal_effects(&model, &fit, at);
        let totals = self
            .total_effects
            .unwrap_or(false)
            .then(|| total_effects(&model, &fit, at));
        let response = LogitResponse {
            n_obs: fit.n_individuals as u64,
            n_rows: model.design().n_rows(),
            converged: fit.converged,
            iterations: fit.iterations,
            log_likelihood: fit.log_likelihood,
            log_likelihood_null: fit.log_likelihood_null,
            lr_chi_square: 2.0 * (fit.log_likelihood - fit.log_likelihood_null),
            lr_df: fit.n_params() - 1,
            lr_p_value: (fit.n_params() > 1).then(|| {
                chi_square_sf(
                    2.0 * (fit.log_likelihood - fit.log_likelihood_null),
                    (fit.n_params() - 1) as f64,
                )
            }),
            pseudo_r2: (fit.log_likelihood_null < 0.0)
                .then(|| 1.0 - fit.log_likelihood / fit.log_likelihood_null),
            aic: fit.aic(),
            bic: fit.bic(),
            bic_n: fit.n_individuals as u64,
            conf_level,
            margins: self.margins.unwrap_or(MarginsOption::Average),
            star_convention: stars,
            references: references(&model),
            separation: fit.separation.as_ref().map(|s| SeparationOut {
                kind: match s.kind {
                    SeparationKind::Complete => "complete",
                    SeparationKind::QuasiComplete => "quasi_complete",
                },
                terms: s.terms.clone(),
            }),
            coefficients: coefficients(&model, &fit, conf_level),
            marginal_effects: effects
                .iter()
                .map(|e| effect_out(e, conf_level, stars))
                .collect(),
            total_effects: totals
                .map(|t| t.iter().map(|e| effect_out(e, conf_level, stars)).collect()),
            warnings: warnings(&fit),
        };
        to_value(&response)
    }
}

fn references(model: &LogitModel) -> BTreeMap<String, String> {
    sibstat_core::order::map_of(model.design().variables().iter().filter_map(|v| match v {
        Variable::Categorical {
            name,
            levels,
            reference,
            ..
        } => Some((name.clone(), levels[*reference].clone())),
        Variable::Numeric { .. } => None,
    }))
}

fn coefficients(model: &LogitModel, fit: &LogitFit, conf_level: f64) -> Vec<CoefficientOut> {
    let z_crit = z_for_conf_level(conf_level);
    model
        .terms()
        .iter()
        .enumerate()
        .map(|(j, term)| {
            let estimate = fit.coefficients[j];
            let std_err = fit.std_err(j);
            let z = std_err.filter(|s| *s > 0.0).map(|s| estimate / s);
            CoefficientOut {
                term: term.to_string(),
                estimate,
                std_err,
                z,
                p_value: z.map(two_sided_p),
                lower: std_err.map(|s| estimate - z_crit * s),
                upper: std_err.map(|s| estimate + z_crit * s),
            }
        })
        .collect()
}

fn effect_out(e: &MarginalEffect, conf_level: f64, stars: StarConvention) -> EffectOut {
    let interval = e.interval(conf_level);
    EffectOut {
        term: e.term.clone(),
        dydx: e.dydx,
        std_err: e.std_err,
        z: e.z(),
        p_value: e.p_value(),
        lower: interval.map(|i| i.0),
        upper: interval.map(|i| i.1),
        stars: stars.stars(e.p_value()),
        kind: e.kind.as_str(),
    }
}

fn warnings(fit: &LogitFit) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(separation) = &fit.separation {
        out.push(Warning::new(separation.code(), separation.message()));
    }
    if !fit.converged {
        out.push(Warning::new(
            WarningCode::NotConverged,
            format!(
                "the fit did not converge in {} iterations: the estimates are not maximum-likelihood estimates",
                fit.iterations
            ),
        ));
    }
    if fit.covariance.is_none() {
        out.push(Warning::new(
            WarningCode::SingularInformation,
            "the information matrix at the estimate is numerically singular: standard errors, tests and intervals are not available",
        ));
    }
    out
}
