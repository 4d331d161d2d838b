//! Aalen–Johansen cumulative incidence with competing causes, with the standard errors
//! of R's multi-state `survfit` (survival 3.5) or of cmprsk's `cuminc` (2.2), and
//! Gray's test between groups.
//!
//! With one initial state ("event-free") and one absorbing state per cause, the
//! Aalen–Johansen estimator is
//!
//! ```text
//! S(t)    = Π_{s ≤ t} (1 − d(s)/n(s))
//! CIF_k(t) = Σ_{s ≤ t} S(s−) d_k(s)/n(s)
//! ```
//!
//! where `n(s)` is the number at risk just before `s`, `d_k(s)` the events of cause `k`
//! at `s` and `d(s)` the events of any cause. Ties are exact: all events at `s` share
//! one step, and censorings at `s` are still at risk for them.

use super::conf_int::pointwise;
use super::gray_test::{check_strata, gray_test, GrayTest};
use super::{ConfType, EventTable, SurvivalData};
use crate::dist::z_for_conf_level;
use crate::error::{Code, Error, Result, Warning, WarningCode};
use serde::{Deserialize, Serialize};

/// How the standard errors of the cumulative incidence are computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VarianceMethod {
    /// As R's `survfit` on a multi-state status (infinitesimal jackknife), computed
    /// as if every row were expanded to its individuals.
    #[default]
    Survfit,
    /// As cmprsk's `cuminc` (its `var` component, Aalen-type delta method): a step
    /// function that changes only at the events of the cause itself.
    Aalen,
}

/// Options of the cumulative incidence.
#[derive(Debug, Clone, PartialEq)]
pub struct CumulativeIncidenceOptions {
    /// Confidence level in (0, 1).
    pub conf_level: f64,
    /// CI transform.
    pub conf_type: ConfType,
    /// Variance method.
    pub variance: VarianceMethod,
}

impl CumulativeIncidenceOptions {
    /// The CI transform used when the request names none: `"log"`, as R's
    /// `survfitCI` (the multi-state `survfit`) whose `conf.type` defaults to `"log"`,
    /// applied with `logse = FALSE` (se of log p = se / p).
    pub const DEFAULT_CONF_TYPE: ConfType = ConfType::Log;
}

impl Default for CumulativeIncidenceOptions {
    fn default() -> Self {
        CumulativeIncidenceOptions {
            conf_level: 0.95,
            conf_type: Self::DEFAULT_CONF_TYPE,
            variance: VarianceMethod::Survfit,
        }
    }
}

/// The cumulative incidence of one cause in one group, one entry per distinct time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseIncidence {
    /// The cause (the status code).
    pub cause: u32,
    /// Events of this cause at each time.
    pub n_event: Vec<f64>,
    /// Cumulative incidence just after each time.
    pub cif: Vec<f64>,
    /// Standard error of the cumulative incidence; `None` where it is undefined.
    pub std_err: Vec<Option<f64>>,
    /// Lower confidence limit; `None` where R gives NA (e.g. CIF = 0 on the log scale).
    pub lower: Vec<Option<f64>>,
    /// Upper confidence limit.
    pub upper: Vec<Option<f64>>,
}

/// The cumulative incidence curves of one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidenceCurve {
    /// Group label, `None` without groups.
    pub group: Option<String>,
    /// Distinct times of events (any cause) or censorings.
    pub time: Vec<f64>,
    /// Number at risk just before each time.
    pub n_risk: Vec<f64>,
    /// Censorings at each time.
    pub n_censor: Vec<f64>,
    /// One entry per cause of the whole data set, ascending.
    pub causes: Vec<CauseIncidence>,
}

impl IncidenceCurve {
    /// The event-free probability S(t) = 1 − Σ_k CIF_k(t) at each time.
    pub fn event_free(&self) -> Vec<f64> {
        (0..self.time.len())
            .map(|i| 1.0 - self.causes.iter().map(|c| c.cif[i]).sum::<f64>())
            .collect()
    }

    /// CIF of `cause` (a status code) at any time `t`: 0 before the first time, the
    /// step value after; `None` for a cause the data do not have.
    pub fn cif_at(&self, cause: u32, t: f64) -> Option<f64> {
        let column = self.causes.iter().find(|c| c.cause == cause)?;
        Some(match self.time.iter().rposition(|&ti| ti <= t) {
            Some(i) => column.cif[i],
            None => 0.0,
        })
    }
}

/// Cumulative incidence curves per group, with Gray's test when there are two or more
/// groups with individuals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CumulativeIncidence {
    /// Confidence level used.
    pub conf_level: f64,
    /// CI transform used.
    pub conf_type: ConfType,
    /// Variance method used.
    pub variance: VarianceMethod,
    /// One entry per group, groups in factor-level order.
    pub curves: Vec<IncidenceCurve>,
    /// Gray's test per cause, as cmprsk's `cuminc(...)$Tests` (rho = 0, no strata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gray_test: Option<Vec<GrayTest>>,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Estimates the cumulative incidence of each cause per group.
pub fn cumulative_incidence(
    data: &SurvivalData,
    options: &CumulativeIncidenceOptions,
) -> Result<CumulativeIncidence> {
    cumulative_incidence_stratified(data, options, None)
}

/// As [`cumulative_incidence`], with Gray's test stratified by `strata` (one label per
/// row), as cmprsk's `cuminc(..., strata)`: the curves are those of the groups, the
/// test compares the groups within strata. Errors with [`Code::InvalidStrata`] when
/// `strata` does not have one label per row or the data have no groups to compare.
pub fn cumulative_incidence_stratified(
    data: &SurvivalData,
    options: &CumulativeIncidenceOptions,
    strata: Option<&[String]>,
) -> Result<CumulativeIncidence> {
    if let Some(strata) = strata {
        if data.group().is_none() {
            return Err(Error::new(
                Code::InvalidStrata,
                "strata stratify Gray's test, which compares groups: give data.group too, or drop strata",
            ));
        }
        // Checked here, not only in Gray's test, which runs only with two groups.
        check_strata(data, strata)?;
    }
    let z = z_for_conf_level(options.conf_level);
    let causes = data.causes();
    let mut warnings = Vec::new();
    if causes.is_empty() {
        warnings.push(Warning::new(
            WarningCode::NoEvents,
            "the data have no event of any cause: every curve has no causes",
        ));
    }
    let groups = data.groups();
    let curves: Vec<IncidenceCurve> = groups
        .iter()
        .map(|(group, rows)| {
            let table = EventTable::new(data.time(), data.status(), data.count(), rows, &causes);
            if table.is_empty() {
                warnings.push(Warning::new(
                    WarningCode::EmptyGroup,
                    format!(
                        "group {} has no individuals (all its counts are 0); its curve is empty",
                        group.as_deref().unwrap_or("")
                    ),
                ));
            }
            curve(group.clone(), &table, options, z)
        })
        .collect();

    let gray_test = if data.group().is_some() {
        let nonempty = curves.iter().filter(|c| !c.time.is_empty()).count();
        if nonempty >= 2 {
            let tests = gray_test(data, &causes, strata)?;
            if tests.iter().any(|t| t.statistic.is_none()) {
                warnings.push(Warning::new(
                    WarningCode::GrayTestSingular,
                    "the variance matrix of Gray's test is singular for some cause (cmprsk \
                     reports -1 there); its statistic and p-value are null",
                ));
            }
            if tests.iter().any(|t| t.statistic.is_some_and(|x| x < 0.0)) {
                // cmprsk gives the same negative number (and p = 1): kept as R's value.
                warnings.push(Warning::new(
                    WarningCode::GrayTestNegative,
                    "the variance estimate of Gray's test is not positive definite for some \
                     cause (too few distinct event times), so its statistic is negative, as \
                     in cmprsk; do not read it as a chi-square",
                ));
            }
            Some(tests)
        } else {
            warnings.push(Warning::new(
                WarningCode::GrayTestOneGroup,
                "only one group has individuals: Gray's test needs two or more",
            ));
            None
        }
    } else {
        None
    };

    Ok(CumulativeIncidence {
        conf_level: options.conf_level,
        conf_type: options.conf_type,
        variance: options.variance,
        curves,
        gray_test,
        warnings,
    })
}

fn curve(
    group: Option<String>,
    table: &EventTable,
    options: &CumulativeIncidenceOptions,
    z: f64,
) -> IncidenceCurve {
    let cif = aalen_johansen(table);
    let variance: Vec<Vec<f64>> = match options.variance {
        VarianceMethod::Survfit => aalen_johansen_ij(table),
        VarianceMethod::Aalen => (0..table.causes.len())
            .map(|k| cuminc_variance(table, k))
            .collect(),
    };
    let causes = table
        .causes
        .iter()
        .enumerate()
        .map(|(k, &cause)| {
            let std_err: Vec<Option<f64>> = variance[k]
                .iter()
                .map(|&v| if v.is_finite() { Some(v.sqrt()) } else { None })
                .collect();
            let (lower, upper) = cif[k]
                .iter()
                .zip(&std_err)
                .map(|(&p, &se)| {
                    // R's survfit_confint(logse = FALSE): se(log p) = se / p, 0 when se = 0.
                    let se_log = se.map(|se| if se == 0.0 { 0.0 } else { se / p });
                    pointwise(p, se_log, options.conf_type, z)
                })
                .unzip();
            CauseIncidence {
                cause,
                n_event: table.n_event[k].clone(),
                cif: cif[k].clone(),
                std_err,
                lower,
                upper,
            }
        })
        .collect();
    IncidenceCurve {
        group,
        time: table.time.clone(),
        n_risk: table.n_risk.clone(),
        n_censor: table.n_censor.clone(),
        causes,
    }
}

/// The Aalen–Johansen CIFs and their infinitesimal-jackknife variances, as R's
/// `survfitCI` (C routine `survfitci`, survival 3.5) computes them for data expanded
/// to one row per individual: `var_k(t) = Σ_i U_ik(t)²` over individuals, where
/// `U_i(t) = U_i(t−) H(t) + p(t−) ∂H(t)/∂w_i` is the influence of individual `i` on the
/// state probabilities `p = (S, CIF_1, ..., CIF_K)` and `H(t)` the transition matrix.
/// (R with case weights instead sums `w_i² U_i²`, which is not what expanded
/// individuals give; the design asks for the expanded individuals.)
///
/// Individuals who share a history share their influence, so the sum runs over
/// classes with a count: everyone still at risk (one class, `at_risk`), and the
/// individuals who left at the same time to the same state (censored or cause `m`).
/// The cost is O(classes × event times × causes), not O(individuals × times).
///
/// The sum is kept as a sum of squares of the classes' influences, as R does, rather
/// than through an algebraic shortcut: a CIF whose variance is exactly 0 (all of a
/// group ends in one cause) would otherwise come out as rounding noise of order
/// 1e-9 after the square root.
///
/// Returns `variance[k][i]` for cause position `k` at time index `i`.
fn aalen_johansen_ij(table: &EventTable) -> Vec<Vec<f64>> {
    let n_causes = table.causes.len();
    let width = n_causes + 1;
    let mut variance = vec![Vec::with_capacity(table.len()); n_causes];

    // S(t−), with the same arithmetic as `aalen_johansen`.
    let mut s = 1.0;
    // Influence of one individual still at risk: [event-free, cause 1, ..., cause K].
    let mut at_risk = vec![0.0; width];
    // Classes of individuals who have left the risk set: their counts, and their
    // influences stored flat, `width` numbers per class.
    let mut counts: Vec<f64> = Vec::new();
    let mut departed: Vec<f64> = Vec::new();
    let mut h = vec![0.0; n_causes];
    let mut sum = vec![0.0; n_causes];

    for i in 0..table.len() {
        let n = table.n_risk[i];
        let d = table.n_event_any(i);
        let censored = table.n_censor[i];
        let stay_prob = 1.0 - d / n;
        for (hk, events) in h.iter_mut().zip(&table.n_event) {
            *hk = events[i] / n;
        }
        // U %*% H: the event-free part moves on to the causes (only at event times).
        let step = |u: &mut [f64]| {
            let u0 = u[0];
            u[0] = u0 * stay_prob;
            for k in 0..n_causes {
                u[k + 1] += u0 * h[k];
            }
        };
        sum.fill(0.0);
        // One pass over the departed: move them on, and add up their squares.
        for (&count, u) in counts.iter().zip(departed.chunks_exact_mut(width)) {
            if d > 0.0 {
                step(u);
            }
            for k in 0..n_causes {
                sum[k] += count * u[k + 1] * u[k + 1];
            }
        }
        let first_new = counts.len();
        if d > 0.0 {
            step(&mut at_risk);
            // The dH term of an individual at risk: −H[0, ·] p0/n, plus p0/n at the
            // state it is in just after t (as R's survfitci, in the same order).
            let w = s / n;
            at_risk[0] -= stay_prob * w;
            for k in 0..n_causes {
                at_risk[k + 1] -= h[k] * w;
            }
            for m in 0..n_causes {
                let dm = table.n_event[m][i];
                if dm > 0.0 {
                    counts.push(dm);
                    departed.extend_from_slice(&at_risk);
                    let last = departed.len() - width;
                    departed[last + m + 1] += w;
                }
            }
            at_risk[0] += w;
            s *= stay_prob;
        }
        if censored > 0.0 {
            counts.push(censored);
            departed.extend_from_slice(&at_risk);
        }
        let new = counts[first_new..]
            .iter()
            .zip(departed[first_new * width..].chunks_exact(width));
        for (&count, u) in new {
            for k in 0..n_causes {
                sum[k] += count * u[k + 1] * u[k + 1];
            }
        }
        let remaining = n - d - censored;
        for k in 0..n_causes {
            variance[k].push(sum[k] + remaining * at_risk[k + 1] * at_risk[k + 1]);
        }
    }
    variance
}

/// The Aalen–Johansen cumulative incidence of each cause at each time of `table`:
/// `cif[k][i]` for cause `table.causes[k]` just after `table.time[i]`. The point
/// estimates alone, in O(times × causes), from the product-limit pass
/// ([`EventTable::product_limit`]) that [`cumulative_incidence`] and the bootstrap use.
pub fn aalen_johansen(table: &EventTable) -> Vec<Vec<f64>> {
    let mut survival = Vec::with_capacity(table.len());
    let mut cif = Vec::new();
    table.product_limit(&mut survival, Some(&mut cif));
    cif
}

/// cmprsk's variance of the CIF of the cause at position `k` (Fortran `cinc`,
/// cmprsk 2.2): accumulated at every event time, reported only at the events of the
/// cause itself (a step function, as `timepoints()` reads it), with cmprsk's tie
/// correction `1 − (d − 1)/(n − 1)`.
fn cuminc_variance(table: &EventTable, k: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(table.len());
    let (mut fk, mut f) = (1.0, 0.0);
    let (mut v1, mut v2, mut v3) = (0.0, 0.0, 0.0);
    let mut current = 0.0;
    for i in 0..table.len() {
        let rs = table.n_risk[i];
        let nd1 = table.n_event[k][i];
        let nd = table.n_event_any(i);
        let nd2 = nd - nd1;
        if nd > 0.0 {
            let fkn = fk * (rs - nd) / rs;
            if nd1 > 0.0 {
                f += fk * nd1 / rs;
            }
            let tie = |d: f64| {
                if d > 1.0 {
                    1.0 - (d - 1.0) / (rs - 1.0)
                } else {
                    1.0
                }
            };
            if nd2 > 0.0 && fkn > 0.0 {
                let t6 = fk * fk * tie(nd2) * nd2 / (rs * rs);
                let t3 = 1.0 / fkn;
                let t4 = f / fkn;
                v1 += t4 * t4 * t6;
                v2 += t3 * t4 * t6;
                v3 += t3 * t3 * t6;
            }
            if nd1 > 0.0 {
                let t6 = fk * fk * tie(nd1) * nd1 / (rs * rs);
                let t3 = if fkn > 0.0 { 1.0 / fkn } else { 0.0 };
                let t4 = 1.0 + t3 * f;
                v1 += t4 * t4 * t6;
                v2 += t3 * t4 * t6;
                v3 += t3 * t3 * t6;
                current = v1 + f * f * v3 - 2.0 * f * v2;
            }
            fk = fkn;
        }
        // R's sqrt of a (rounding-)negative variance is NaN: reported as null.
        out.push(if current >= 0.0 { current } else { f64::NAN });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(time: &[f64], status: &[f64], count: &[f64]) -> SurvivalData {
        let some = |v: &[f64]| v.iter().map(|&x| Some(x)).collect();
        SurvivalData::new(some(time), some(status), Some(some(count)), None).unwrap()
    }

    // Hand computation: 5 individuals; t=1 one cause-1 event; t=2 one cause-1, one
    // cause-2 event and one censoring; t=3 one cause-2 event (the last at risk).
    // S: 4/5, 4/5 * 2/4 = 0.4, 0. CIF1: 1/5, 1/5 + 4/5 * 1/4 = 0.4, 0.4.
    // CIF2: 0, 0.2, 0.2 + 0.4 * 1/1 = 0.6.
    #[test]
    fn hand_computed_steps_with_tied_causes_and_censoring() {
        let ci = cumulative_incidence(
            &data(
                &[1.0, 2.0, 2.0, 2.0, 3.0],
                &[1.0, 1.0, 2.0, 0.0, 2.0],
                &[1.0, 1.0, 1.0, 1.0, 1.0],
            ),
            &CumulativeIncidenceOptions::default(),
        )
        .unwrap();
        let c = &ci.curves[0];
        assert_eq!(c.n_risk, vec![5.0, 4.0, 1.0]);
        assert_eq!(c.n_censor, vec![0.0, 1.0, 0.0]);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-15;
        assert!(close(c.causes[0].cif[1], 0.4) && close(c.causes[0].cif[2], 0.4));
        assert!(close(c.causes[1].cif[1], 0.2) && close(c.causes[1].cif[2], 0.6));
        // At t=1 the influence is that of a binomial proportion: var = p(1-p)/n.
        let p: f64 = 0.2;
        assert!(close(
            c.causes[0].std_err[0].unwrap(),
            (p * (1.0 - p) / 5.0).sqrt()
        ));
        // No cause-2 event yet: CIF 0, se 0, no log-scale limits (R gives NA).
        assert_eq!(c.causes[1].std_err[0], Some(0.0));
        assert_eq!(c.causes[1].lower[0], None);
        // Step values between and before the times; S = 1 - CIF1 - CIF2.
        assert_eq!(c.cif_at(2, 2.5), Some(c.causes[1].cif[1]));
        assert_eq!(c.cif_at(1, 0.5), Some(0.0));
        assert_eq!(c.cif_at(3, 2.0), None);
        assert!(close(c.event_free()[1], 0.4));
    }
}
