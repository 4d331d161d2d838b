//! The actuarial life table on given interval breaks, as `KMsurv::lifetab` (KMsurv
//! 0.1-5; Klein & Moeschberger, *Survival Analysis*, section 5.4).
//!
//! The breaks `b_0 = 0 < b_1 < … < b_k` make the intervals `[b_0, b_1), …,
//! [b_{k-1}, b_k)` and one open last interval `[b_k, ∞)`, which is what `lifetab`
//! computes when given `tis = c(breaks, NA)`: a time exactly on a break belongs to the
//! interval that starts there, and no individual falls outside the table. Every
//! status k ≥ 1 counts as an event; status 0 is a loss (censoring).
//!
//! Per interval `j` with `N_j` entering, `W_j` lost, `D_j` events and width `h_j`:
//! effective number at risk `Y_j = N_j − W_j/2`, `q_j = D_j / Y_j`, survival at the
//! start `S_j = Π_{i<j} (1 − q_i)`, pdf `(S_j − S_{j+1}) / h_j`, hazard
//! `D_j / h_j / (Y_j − D_j/2)`, and `lifetab`'s standard errors (Greenwood for `S_j`).
//! Where `lifetab` gives NA or NaN (the open interval's pdf and hazard, an interval
//! nobody enters, a standard error of a pdf or hazard without events), the table has
//! `None`, never a made-up number.

use super::SurvivalData;
use crate::dist::z_for_conf_level;
use crate::error::{Code, Error, Result, Warning, WarningCode};
use serde::Serialize;

/// Options of the life table.
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTableOptions {
    /// Interval boundaries: at least two, finite, strictly increasing, the first 0.
    pub breaks: Vec<f64>,
    /// Confidence level in (0, 1).
    pub conf_level: f64,
}

impl LifeTableOptions {
    /// Validates the breaks (`None` stands for NaN or infinity): at least two, finite,
    /// strictly increasing, and starting at 0 where every survival time starts (a
    /// later first break would leave early times outside the table, an earlier one
    /// would widen the first interval and so change its pdf and hazard).
    /// Every problem is [`Code::InvalidBreaks`]. `conf_level` is checked by the caller.
    pub fn new(breaks: Vec<Option<f64>>, conf_level: f64) -> Result<Self> {
        let invalid = |message: String| Err(Error::new(Code::InvalidBreaks, message));
        if breaks.len() < 2 {
            return invalid(format!(
                "breaks has {} entries: give at least two, such as [0, 12, 24], the first 0",
                breaks.len()
            ));
        }
        let mut values = Vec::with_capacity(breaks.len());
        for (i, b) in breaks.into_iter().enumerate() {
            match b {
                Some(x) if x.is_finite() => values.push(x),
                _ => {
                    return invalid(format!(
                        "breaks[{i}] is missing, NaN or infinite: give finite numbers (the last interval is open-ended by itself)"
                    ))
                }
            }
        }
        if values[0] != 0.0 {
            return invalid(format!(
                "breaks[0] is {}: the first break must be 0, where every survival time starts",
                values[0]
            ));
        }
        if let Some(i) = (1..values.len()).find(|&i| values[i] <= values[i - 1]) {
            return invalid(format!(
                "breaks[{i}] is {} after {}: breaks must be strictly increasing",
                values[i],
                values[i - 1]
            ));
        }
        Ok(LifeTableOptions {
            breaks: values,
            conf_level,
        })
    }
}

/// The life table of one group: one entry per interval in every array.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifeTableGroup {
    /// Group label, `None` without groups.
    pub group: Option<String>,
    /// Start of each interval (the breaks).
    pub start: Vec<f64>,
    /// End of each interval; `None` for the open last interval.
    pub end: Vec<Option<f64>>,
    /// Individuals entering the interval (lifetab: `nsubs`).
    pub n_subjects: Vec<f64>,
    /// Individuals lost (censored) in the interval (`nlost`).
    pub n_lost: Vec<f64>,
    /// Effective number at risk, entering minus half the lost (`nrisk`).
    pub n_risk: Vec<f64>,
    /// Events in the interval (`nevent`).
    pub n_event: Vec<f64>,
    /// Survival at the start of the interval (`surv`).
    pub survival: Vec<Option<f64>>,
    /// Probability density at the interval's midpoint (`pdf`).
    pub pdf: Vec<Option<f64>>,
    /// Hazard at the interval's midpoint (`hazard`).
    pub hazard: Vec<Option<f64>>,
    /// Greenwood standard error of the survival (`se.surv`).
    pub se_survival: Vec<Option<f64>>,
    /// Standard error of the pdf (`se.pdf`).
    pub se_pdf: Vec<Option<f64>>,
    /// Standard error of the hazard (`se.hazard`).
    pub se_hazard: Vec<Option<f64>>,
    /// Lower confidence limit of the survival: `S − z·se`, at least 0 (the "plain"
    /// transform, as R's `conf.type = "plain"`).
    pub lower: Vec<Option<f64>>,
    /// Upper confidence limit of the survival: `S + z·se`, at most 1.
    pub upper: Vec<Option<f64>>,
}

/// Life tables, one per group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LifeTable {
    /// Confidence level of `lower`/`upper`.
    pub conf_level: f64,
    /// One table per group, groups in factor-level order.
    pub tables: Vec<LifeTableGroup>,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Builds the actuarial life table of each group.
pub fn life_table(data: &SurvivalData, options: &LifeTableOptions) -> Result<LifeTable> {
    let z = z_for_conf_level(options.conf_level);
    let mut warnings = Vec::new();
    let tables = data
        .groups()
        .into_iter()
        .map(|(group, rows)| {
            let (lost, events) = tabulate(data, &rows, &options.breaks);
            let total: f64 = rows.iter().map(|&i| data.count()[i]).sum();
            if total == 0.0 {
                warnings.push(Warning::new(
                    WarningCode::EmptyGroup,
                    format!(
                        "group {} has no individuals (all its counts are 0); its table has no estimates",
                        group.as_deref().unwrap_or("")
                    ),
                ));
            }
            table(group, &options.breaks, total, &lost, &events, z)
        })
        .collect();
    Ok(LifeTable {
        conf_level: options.conf_level,
        tables,
        warnings,
    })
}

/// Losses and events per interval; the last interval is open.
fn tabulate(data: &SurvivalData, rows: &[usize], breaks: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let mut lost = vec![0.0; breaks.len()];
    let mut events = vec![0.0; breaks.len()];
    for &i in rows {
        let t = data.time()[i];
        // Times are >= 0 = breaks[0], so some break is at or below t.
        let j = breaks.iter().rposition(|&b| b <= t).unwrap_or(0);
        if data.status()[i] == 0 {
            lost[j] += data.count()[i];
        } else {
            events[j] += data.count()[i];
        }
    }
    (lost, events)
}

/// `lifetab`'s arithmetic, step by step in the same IEEE operations, so that a NaN or
/// infinity arises exactly where R's does; non-finite results become `None`.
fn table(
    group: Option<String>,
    breaks: &[f64],
    total: f64,
    lost: &[f64],
    events: &[f64],
    z: f64,
) -> LifeTableGroup {
    let n = breaks.len();
    let finite = |x: f64| if x.is_finite() { Some(x) } else { None };
    // Widths; the open last interval has none (R: diff(c(breaks, NA)) ends in NA).
    let width: Vec<f64> = (0..n)
        .map(|j| {
            if j + 1 < n {
                breaks[j + 1] - breaks[j]
            } else {
                f64::NAN
            }
        })
        .collect();
    let mut entering = Vec::with_capacity(n);
    let mut left = 0.0;
    for j in 0..n {
        entering.push(total - left);
        left += lost[j] + events[j];
    }
    let risk: Vec<f64> = (0..n).map(|j| entering[j] - lost[j] / 2.0).collect();
    let q: Vec<f64> = (0..n).map(|j| events[j] / risk[j]).collect();
    let p: Vec<f64> = q.iter().map(|q| 1.0 - q).collect();
    let mut surv = Vec::with_capacity(n);
    let mut s = 1.0;
    for &pj in &p {
        surv.push(s);
        s *= pj;
    }
    let pdf: Vec<f64> = (0..n)
        .map(|j| {
            if j + 1 < n {
                (surv[j] - surv[j + 1]) / width[j]
            } else {
                f64::NAN
            }
        })
        .collect();
    let hazard: Vec<f64> = (0..n)
        .map(|j| {
            if j + 1 < n {
                events[j] / width[j] / (risk[j] - events[j] / 2.0)
            } else {
                f64::NAN
            }
        })
        .collect();
    // Greenwood: S_j^2 Σ_{i<j} D_i / (Y_i (Y_i − D_i)); 0 for the first interval.
    let mut se_surv = Vec::with_capacity(n);
    let mut greenwood: f64 = 0.0;
    for j in 0..n {
        se_surv.push(if j == 0 {
            0.0
        } else {
            surv[j] * greenwood.sqrt()
        });
        greenwood += events[j] / risk[j] / (risk[j] - events[j]);
    }
    let mut se_pdf = Vec::with_capacity(n);
    let mut sum_q: f64 = 0.0;
    for j in 0..n {
        se_pdf.push(if j + 1 < n {
            surv[j] * q[j] / width[j] * (sum_q + p[j] / risk[j] / q[j]).sqrt()
        } else {
            f64::NAN
        });
        sum_q += q[j] / risk[j] / p[j];
    }
    let se_hazard: Vec<f64> = (0..n)
        .map(|j| {
            if j + 1 < n {
                let h = hazard[j];
                (1.0 - (h * width[j] / 2.0).powi(2)).sqrt() * (h * h / risk[j] / q[j]).sqrt()
            } else {
                f64::NAN
            }
        })
        .collect();
    let (lower, upper) = (0..n)
        .map(|j| match (finite(surv[j]), finite(se_surv[j])) {
            (Some(s), Some(se)) => (Some((s - z * se).max(0.0)), Some((s + z * se).min(1.0))),
            _ => (None, None),
        })
        .unzip();
    let opt = |v: Vec<f64>| v.into_iter().map(finite).collect();
    LifeTableGroup {
        group,
        start: breaks.to_vec(),
        end: (0..n).map(|j| breaks.get(j + 1).copied()).collect(),
        n_subjects: entering,
        n_lost: lost.to_vec(),
        n_risk: risk,
        n_event: events.to_vec(),
        survival: opt(surv),
        pdf: opt(pdf),
        hazard: opt(hazard),
        se_survival: opt(se_surv),
        se_pdf: opt(se_pdf),
        se_hazard: opt(se_hazard),
        lower,
        upper,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(breaks: &[Option<f64>]) -> Option<Code> {
        LifeTableOptions::new(breaks.to_vec(), 0.95)
            .err()
            .map(|e| e.code)
    }

    #[test]
    fn breaks_are_validated() {
        assert_eq!(code(&[Some(0.0), Some(1.0)]), None);
        assert_eq!(code(&[Some(0.0)]), Some(Code::InvalidBreaks));
        assert_eq!(code(&[Some(0.0), None]), Some(Code::InvalidBreaks));
        assert_eq!(code(&[Some(1.0), Some(2.0)]), Some(Code::InvalidBreaks));
        assert_eq!(
            code(&[Some(0.0), Some(2.0), Some(2.0)]),
            Some(Code::InvalidBreaks)
        );
    }
}
