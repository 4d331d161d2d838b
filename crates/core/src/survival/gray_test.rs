//! Gray's test (Gray 1988, Ann. Statist. 16:1141) comparing the cumulative incidence of
//! one cause between groups, as cmprsk's `cuminc(ftime, fstatus, group)$Tests`
//! (cmprsk 2.2, Fortran `crstm`/`crst`, with `rho = 0`, optionally stratified).
//!
//! The score of group `j` is `Σ_t (d_1j(t) − d_1(t) R_j(t)/Σ_r R_r(t))` with
//! `R_j = n_j (1 − F_1j(t−)) / S_j(t−)`, the group's risk set rescaled to the
//! subdistribution; its variance matrix is cmprsk's. The statistic
//! `s' V⁻¹ s` over the first `g − 1` groups is chi-square with `g − 1` degrees of
//! freedom. Counts enter as the numbers of individuals, so aggregated rows give what
//! the expanded individuals give (cmprsk itself has no weights).

use super::SurvivalData;
use crate::dist::chi_square_sf;
use crate::error::{Code, Error, Result};
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// Gray's test for one cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrayTest {
    /// The cause compared.
    pub cause: u32,
    /// Chi-square statistic; `None` where cmprsk reports -1 (singular variance).
    pub statistic: Option<f64>,
    /// Degrees of freedom: groups with individuals − 1.
    pub df: f64,
    /// Upper-tail chi-square p-value; `None` with the statistic.
    pub p_value: Option<f64>,
}

/// R's `qr()` tolerance, used to decide whether the variance matrix has full rank.
const QR_TOLERANCE: f64 = 1e-7;

/// Gray's test for every cause in `causes` between the groups of `data` that have
/// individuals (groups whose counts are all 0 are dropped, as cmprsk drops empty
/// factor levels). With `strata` (a label per row), the scores and their variances
/// are summed over the strata, as cmprsk's `cuminc(..., strata)`. With fewer than two
/// groups the entries have `df = 0` and no statistic.
///
/// Errors with [`Code::InvalidStrata`] when `strata` does not have one label per row.
pub fn gray_test(
    data: &SurvivalData,
    causes: &[u32],
    strata: Option<&[String]>,
) -> Result<Vec<GrayTest>> {
    if let Some(strata) = strata {
        check_strata(data, strata)?;
    }
    // Rows with individuals, by group in factor-level order, sorted by time.
    let mut rows: Vec<Row> = Vec::new();
    let mut n_groups = 0;
    for (_, members) in data.groups() {
        let members: Vec<usize> = members
            .into_iter()
            .filter(|&i| data.count()[i] > 0.0)
            .collect();
        if members.is_empty() {
            continue;
        }
        for i in members {
            rows.push(Row {
                time: data.time()[i],
                group: n_groups,
                status: data.status()[i],
                count: data.count()[i],
                stratum: strata.map(|s| s[i].as_str()),
            });
        }
        n_groups += 1;
    }
    // By time, stably: the row indices sorted, then the rows taken in that order.
    let times: Vec<f64> = rows.iter().map(|r| r.time).collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    crate::order::rows_by_time(&mut order, &times);
    let rows: Vec<Row> = order.iter().map(|&i| rows[i]).collect();
    let mut labels: Vec<Option<&str>> = rows.iter().map(|r| r.stratum).collect();
    crate::order::sort_by(&mut labels, Ord::cmp);
    labels.dedup();

    Ok(causes
        .iter()
        .map(|&cause| {
            let df = n_groups.saturating_sub(1) as f64;
            let statistic = if n_groups >= 2 {
                let mut score = DVector::<f64>::zeros(n_groups - 1);
                let mut variance = DMatrix::<f64>::zeros(n_groups - 1, n_groups - 1);
                for &label in &labels {
                    let stratum: Vec<&Row> = rows.iter().filter(|r| r.stratum == label).collect();
                    let (s, v) = scores(&stratum, n_groups, cause, 0.0);
                    score += s;
                    variance += v;
                }
                quadratic_form(&score, &variance)
            } else {
                None
            };
            GrayTest {
                cause,
                statistic,
                df,
                p_value: statistic.map(|x| chi_square_sf(x, df)),
            }
        })
        .collect())
}

/// One row with individuals: its group as an index among the non-empty groups.
#[derive(Clone, Copy)]
struct Row<'a> {
    time: f64,
    group: usize,
    status: u32,
    count: f64,
    stratum: Option<&'a str>,
}

/// `s' V⁻¹ s`, or `None` when `V` is rank deficient by R's `qr()` criterion (a
/// column whose norm, after removing the earlier columns, falls below 1e-7 of its own).
fn quadratic_form(score: &DVector<f64>, variance: &DMatrix<f64>) -> Option<f64> {
    let n = score.len();
    let mut basis: Vec<DVector<f64>> = Vec::new();
    for j in 0..n {
        let column = variance.column(j).into_owned();
        let norm = column.norm();
        let mut residual = column.clone();
        for q in &basis {
            let projection = q.dot(&residual);
            residual -= q * projection;
        }
        let rest = residual.norm();
        // A zero or non-finite column is deficient too.
        if !norm.is_finite() || norm == 0.0 || rest < QR_TOLERANCE * norm {
            return None;
        }
        basis.push(residual / rest);
    }
    let solved = variance.clone().lu().solve(score)?;
    let statistic = score.dot(&solved);
    statistic.is_finite().then_some(statistic)
}

/// Scores of the first `ng − 1` groups and their variance matrix for `cause`: a port
/// of cmprsk's `crst`, with the numbers of individuals as real numbers.
/// `rows` are one stratum's rows, sorted by time.
fn scores(rows: &[&Row], ng: usize, cause: u32, rho: f64) -> (DVector<f64>, DMatrix<f64>) {
    let ng1 = ng - 1;
    let mut rs = vec![0.0; ng];
    for row in rows {
        rs[row.group] += row.count;
    }
    let mut s = vec![0.0; ng1];
    let mut v = DMatrix::<f64>::zeros(ng1, ng1);
    let mut f1m = vec![0.0; ng];
    let mut f1 = vec![0.0; ng];
    let mut skmm = vec![1.0; ng];
    let mut skm = vec![1.0; ng];
    let mut v3 = vec![0.0; ng];
    let mut v2 = DMatrix::<f64>::zeros(ng1, ng);
    let mut c = DMatrix::<f64>::zeros(ng, ng);
    let mut a = DMatrix::<f64>::zeros(ng, ng);
    let mut fm = 0.0;
    let mut f = 0.0;

    let mut start = 0;
    while start < rows.len() {
        let t = rows[start].time;
        let mut end = start;
        // d[g] = (censored, failed from the cause, failed from another cause).
        let mut d = vec![[0.0f64; 3]; ng];
        while end < rows.len() && rows[end].time == t {
            let row = rows[end];
            let kind = match row.status {
                0 => 0,
                st if st == cause => 1,
                _ => 2,
            };
            d[row.group][kind] += row.count;
            end += 1;
        }
        let nd1: f64 = d.iter().map(|x| x[1]).sum();
        let nd2: f64 = d.iter().map(|x| x[2]).sum();
        if nd1 > 0.0 || nd2 > 0.0 {
            let mut tr = 0.0;
            let mut tq = 0.0;
            for i in 0..ng {
                if rs[i] <= 0.0 {
                    continue;
                }
                let td = d[i][1] + d[i][2];
                // skmm / f1m: left-continuous KM and CIF of the group; skm / f1 right.
                skm[i] = skmm[i] * (rs[i] - td) / rs[i];
                f1[i] = f1m[i] + (skmm[i] * d[i][1]) / rs[i];
                tr += rs[i] / skmm[i];
                tq += rs[i] * (1.0 - f1m[i]) / skmm[i];
            }
            f = fm + nd1 / tr;
            let fb = crate::math::powf(1.0 - fm, rho);
            a.fill(0.0);
            for i in 0..ng {
                if rs[i] <= 0.0 {
                    continue;
                }
                let t1 = rs[i] / skmm[i];
                a[(i, i)] = fb * t1 * (1.0 - t1 / tr);
                c[(i, i)] += a[(i, i)] * nd1 / (tr * (1.0 - fm));
                for j in i + 1..ng {
                    if rs[j] <= 0.0 {
                        continue;
                    }
                    a[(i, j)] = -fb * t1 * rs[j] / (skmm[j] * tr);
                    c[(i, j)] += a[(i, j)] * nd1 / (tr * (1.0 - fm));
                }
            }
            for i in 1..ng {
                for j in 0..i {
                    a[(i, j)] = a[(j, i)];
                    c[(i, j)] = c[(j, i)];
                }
            }
            for i in 0..ng1 {
                if rs[i] <= 0.0 {
                    continue;
                }
                s[i] += fb * (d[i][1] - nd1 * rs[i] * (1.0 - f1m[i]) / (skmm[i] * tq));
            }
            if nd1 > 0.0 {
                for k in 0..ng {
                    if rs[k] <= 0.0 {
                        continue;
                    }
                    let t4 = if skm[k] > 0.0 {
                        1.0 - (1.0 - f) / skm[k]
                    } else {
                        1.0
                    };
                    let t5 = if nd1 > 1.0 {
                        1.0 - (nd1 - 1.0) / (tr * skmm[k] - 1.0)
                    } else {
                        1.0
                    };
                    let t3 = t5 * skmm[k] * nd1 / (tr * rs[k]);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = a[(i, k)] - t4 * c[(i, k)];
                        v2[(i, k)] += t1 * t4 * t3;
                        for j in 0..=i {
                            let t2 = a[(j, k)] - t4 * c[(j, k)];
                            v[(i, j)] += t1 * t2 * t3;
                        }
                    }
                }
            }
            if nd2 > 0.0 {
                for k in 0..ng {
                    if skm[k] <= 0.0 || d[k][2] <= 0.0 {
                        continue;
                    }
                    let t4 = (1.0 - f) / skm[k];
                    let t5 = if d[k][2] > 1.0 {
                        1.0 - (d[k][2] - 1.0) / (rs[k] - 1.0)
                    } else {
                        1.0
                    };
                    let t3 = t5 * ((skmm[k] * skmm[k]) * d[k][2]) / (rs[k] * rs[k]);
                    v3[k] += t4 * t4 * t3;
                    for i in 0..ng1 {
                        let t1 = t4 * c[(i, k)];
                        v2[(i, k)] -= t1 * t4 * t3;
                        for j in 0..=i {
                            let t2 = t4 * c[(j, k)];
                            v[(i, j)] += t1 * t2 * t3;
                        }
                    }
                }
            }
        }
        for row in &rows[start..end] {
            rs[row.group] -= row.count;
        }
        fm = f;
        f1m.copy_from_slice(&f1);
        skmm.copy_from_slice(&skm);
        start = end;
    }
    for i in 0..ng1 {
        for j in 0..=i {
            for k in 0..ng {
                v[(i, j)] +=
                    c[(i, k)] * c[(j, k)] * v3[k] + c[(i, k)] * v2[(j, k)] + c[(j, k)] * v2[(i, k)];
            }
            v[(j, i)] = v[(i, j)];
        }
    }
    (DVector::from_vec(s), v)
}

/// Errors with [`Code::InvalidStrata`] unless `strata` has one label per row of `data`.
pub(crate) fn check_strata(data: &SurvivalData, strata: &[String]) -> Result<()> {
    if strata.len() == data.n_rows() {
        return Ok(());
    }
    Err(Error::new(
        Code::InvalidStrata,
        format!(
            "strata has {} labels but data.time has {}: give one per row",
            strata.len(),
            data.n_rows()
        ),
    ))
}
