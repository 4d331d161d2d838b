//! The Kaplan–Meier estimator with Greenwood standard errors, pointwise confidence
//! intervals and the median with its interval, as R's `survfit` (survival 3.5).

use super::conf_int::{first_reaching, pointwise};
use super::{ConfType, EventTable, SurvivalData};
use crate::dist::z_for_conf_level;
use crate::error::{Result, Warning, WarningCode};
use serde::Serialize;

/// Options of the Kaplan–Meier estimator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KaplanMeierOptions {
    /// Confidence level in (0, 1).
    pub conf_level: f64,
    /// CI transform.
    pub conf_type: ConfType,
}

impl Default for KaplanMeierOptions {
    fn default() -> Self {
        KaplanMeierOptions {
            conf_level: 0.95,
            conf_type: ConfType::LogLog,
        }
    }
}

/// A quantile of the survival time with its confidence interval; `None` where the
/// curve (or its confidence limit) never reaches the quantile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantile {
    /// The estimate.
    pub estimate: Option<f64>,
    /// Lower limit (from the lower confidence curve).
    pub lower: Option<f64>,
    /// Upper limit (from the upper confidence curve).
    pub upper: Option<f64>,
}

/// The Kaplan–Meier curve of one group: one entry per distinct time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurvivalCurve {
    /// Group label, `None` without groups.
    pub group: Option<String>,
    /// Distinct times of events or censorings.
    pub time: Vec<f64>,
    /// Number at risk just before each time.
    pub n_risk: Vec<f64>,
    /// Events (of any cause) at each time.
    pub n_event: Vec<f64>,
    /// Censorings at each time.
    pub n_censor: Vec<f64>,
    /// S(t) just after each time.
    pub survival: Vec<f64>,
    /// Greenwood standard error of S(t); `None` once S(t) = 0.
    pub std_err: Vec<Option<f64>>,
    /// Lower confidence limit.
    pub lower: Vec<Option<f64>>,
    /// Upper confidence limit.
    pub upper: Vec<Option<f64>>,
    /// The median survival time with its confidence interval.
    pub median: Quantile,
}

impl SurvivalCurve {
    /// S(t) at any time `t`: 1 before the first time, the step value after.
    pub fn survival_at(&self, t: f64) -> f64 {
        match self.time.iter().rposition(|&ti| ti <= t) {
            Some(i) => self.survival[i],
            None => 1.0,
        }
    }
}

/// Kaplan–Meier curves, one per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KaplanMeier {
    /// Confidence level used.
    pub conf_level: f64,
    /// CI transform used.
    pub conf_type: ConfType,
    /// One curve per group, groups in factor-level order.
    pub curves: Vec<SurvivalCurve>,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Estimates S(t) per group. Any status k >= 1 counts as an event.
pub fn kaplan_meier(data: &SurvivalData, options: &KaplanMeierOptions) -> Result<KaplanMeier> {
    let z = z_for_conf_level(options.conf_level);
    let causes = data.causes();
    let mut warnings = Vec::new();
    let curves = data
        .groups()
        .into_iter()
        .map(|(group, rows)| {
            let table = EventTable::new(data.time(), data.status(), data.count(), &rows, &causes);
            if table.is_empty() {
                warnings.push(Warning::new(
                    WarningCode::EmptyGroup,
                    format!(
                        "group {} has no individuals (all its counts are 0); its curve is empty",
                        group.as_deref().unwrap_or("")
                    ),
                ));
            }
            curve(group, &table, options.conf_type, z)
        })
        .collect();
    Ok(KaplanMeier {
        conf_level: options.conf_level,
        conf_type: options.conf_type,
        curves,
        warnings,
    })
}

fn curve(group: Option<String>, table: &EventTable, conf_type: ConfType, z: f64) -> SurvivalCurve {
    let n = table.len();
    let mut survival = Vec::with_capacity(n);
    table.product_limit(&mut survival, None);
    let mut std_err = Vec::with_capacity(n);
    let mut lower = Vec::with_capacity(n);
    let mut upper = Vec::with_capacity(n);
    let mut n_event = Vec::with_capacity(n);
    // Greenwood's sum: the variance of log S(t).
    let mut greenwood = 0.0;
    for (i, &s) in survival.iter().enumerate() {
        let d = table.n_event_any(i);
        let r = table.n_risk[i];
        if d > 0.0 {
            greenwood += if r > d {
                d / (r * (r - d))
            } else {
                f64::INFINITY
            };
        }
        let se_log = greenwood.sqrt();
        let (lo, hi) = pointwise(s, Some(se_log), conf_type, z);
        // R: std.err of S = S * se(log S), NaN (here None) once S = 0.
        std_err.push(if s > 0.0 { Some(s * se_log) } else { None });
        lower.push(lo);
        upper.push(hi);
        n_event.push(d);
    }
    let median = Quantile {
        estimate: median_time(&table.time, |i| Some(survival[i])),
        lower: median_time(&table.time, |i| lower[i]),
        upper: median_time(&table.time, |i| upper[i]),
    };
    SurvivalCurve {
        group,
        time: table.time.clone(),
        n_risk: table.n_risk.clone(),
        n_event,
        n_censor: table.n_censor.clone(),
        survival,
        std_err,
        lower,
        upper,
        median,
    }
}

/// The median survival time as R's `quantile.survfit(fit, 0.5)` of the curve
/// `survival(i)` at `time[i]` (`None` where the curve is NA): the first time 1 − S
/// reaches 1/2, by R's `findq` on the curve with its start (time 0, S = 1) prepended.
/// The estimate, its limits (from the confidence curves) and every bootstrap
/// replicate of a median come from here. Allocates nothing.
pub fn median_time(time: &[f64], survival: impl Fn(usize) -> Option<f64>) -> Option<f64> {
    first_reaching(
        time.len() + 1,
        |k| if k == 0 { 0.0 } else { time[k - 1] },
        |k| {
            if k == 0 {
                Some(0.0)
            } else {
                survival(k - 1).map(|s| 1.0 - s)
            }
        },
        0.5,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(time: &[f64], status: &[f64], count: &[f64]) -> SurvivalData {
        let some = |v: &[f64]| v.iter().map(|&x| Some(x)).collect();
        SurvivalData::new(some(time), some(status), Some(some(count)), None).unwrap()
    }

    // Hand computation: 5 individuals, deaths at 1 (one), 2 (two), censoring at 3, death at 4.
    // S = 4/5, 4/5*2/4 = 0.4, 0.4, 0. Greenwood sum after t=2: 1/(5*4) + 2/(4*2) = 0.3.
    #[test]
    fn hand_computed_steps_and_greenwood() {
        let km = kaplan_meier(
            &data(
                &[1.0, 2.0, 3.0, 4.0],
                &[1.0, 1.0, 0.0, 1.0],
                &[1.0, 2.0, 1.0, 1.0],
            ),
            &KaplanMeierOptions::default(),
        )
        .unwrap();
        let c = &km.curves[0];
        assert_eq!(c.n_risk, vec![5.0, 4.0, 2.0, 1.0]);
        assert_eq!(c.survival, vec![0.8, 0.4, 0.4, 0.0]);
        assert!((c.std_err[1].unwrap() - 0.4 * 0.3f64.sqrt()).abs() < 1e-15);
        assert_eq!(c.std_err[3], None);
        assert_eq!(c.lower[3], None);
        // S = 0.4 < 0.5 first at t = 2.
        assert_eq!(c.median.estimate, Some(2.0));
    }
}
