//! The log-rank test, optionally stratified, as R's `survdiff` with `rho = 0`
//! (survival 3.5, `survdiff.R` and `survdiff2.c`).
//!
//! At each distinct event time `t` of a stratum, with `r_j` of group `j` at risk out of
//! `r` and `d` events, group `j` expects `d r_j / r` events, and the variance matrix
//! gains `d (r - d) / (r (r - 1)) · r_j (δ_jk − r_k / r)`. Observed, expected and the
//! variance are summed over strata. The statistic is `(O − E)' V⁻ (O − E)` on the groups
//! with a positive expectation, leaving out the first of them, as `survdiff` does.
//!
//! Rows with a count weigh as that many identical individuals, which is exactly what
//! `survdiff` computes on the expanded data (it has no weights of its own).

use super::data::check_len;
use super::SurvivalData;
use crate::dist::chi_square_sf;
use crate::error::{Code, Error, Result, Warning, WarningCode};
use serde::Serialize;

/// Observed and expected events of one group, summed over strata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogrankGroup {
    /// Group label.
    pub group: String,
    /// Individuals in the group (R: `table(groups)`).
    pub n: f64,
    /// Observed events (any cause).
    pub observed: f64,
    /// Expected events under equal hazards.
    pub expected: f64,
}

/// Individuals per stratum of a stratified test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogrankStratum {
    /// Stratum label.
    pub stratum: String,
    /// Individuals in the stratum.
    pub n: f64,
}

/// Result of the log-rank test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Logrank {
    /// The chi-square statistic (R: `chisq`).
    pub chi_square: f64,
    /// Degrees of freedom: the rank of the variance matrix of the compared groups,
    /// which is R's `(number of groups with expected > 0) − 1` whenever R can invert it.
    pub df: usize,
    /// Upper-tail chi-square probability; `None` when there is nothing to test
    /// (`df` = 0), where R prints a meaningless p-value.
    pub p_value: Option<f64>,
    /// One entry per group with individuals, in factor-level order.
    pub groups: Vec<LogrankGroup>,
    /// The variance matrix of `observed − expected` (R: `var`), groups in the order of
    /// `groups`.
    pub variance: Vec<Vec<f64>>,
    /// Individuals per stratum (R: `strata`), `None` for an unstratified test.
    pub strata: Option<Vec<LogrankStratum>>,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Compares the survival of the groups of `data`, within `strata` when given (one
/// label per row).
///
/// Errors: [`Code::MissingKey`] when the data have no groups, [`Code::TooFewGroups`]
/// when fewer than two groups have individuals, [`Code::LengthMismatch`] when `strata`
/// does not have one label per row.
pub fn logrank(data: &SurvivalData, strata: Option<&[String]>) -> Result<Logrank> {
    if data.group().is_none() {
        let what = if strata.is_some() {
            "strata were given but data.group is missing"
        } else {
            "data.group is missing"
        };
        return Err(Error::new(
            Code::MissingKey,
            format!("{what}: the log-rank test compares groups, give a group label per row"),
        ));
    }
    if let Some(s) = strata {
        check_len("strata", s.len(), data.n_rows())?;
    }
    let count = data.count();
    let mut warnings = Vec::new();

    // Groups with individuals; a group whose counts are all 0 does not exist in the
    // expanded data, so it is left out (with a warning).
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (label, rows) in data.groups() {
        let label = label.unwrap_or_default();
        if rows.iter().any(|&i| count[i] > 0.0) {
            groups.push((label, rows));
        } else {
            warnings.push(Warning::new(
                WarningCode::EmptyGroup,
                format!("group {label} has no individuals (all its counts are 0); it is left out of the test"),
            ));
        }
    }
    if groups.len() < 2 {
        return Err(Error::new(
            Code::TooFewGroups,
            format!(
                "the log-rank test needs at least two groups with individuals, the data have {}",
                groups.len()
            ),
        ));
    }
    let n_groups = groups.len();
    let mut group_of = vec![usize::MAX; data.n_rows()];
    for (g, (_, rows)) in groups.iter().enumerate() {
        for &i in rows {
            group_of[i] = g;
        }
    }

    // Strata in factor-level order; without strata, one stratum of every row.
    let (stratum_rows, strata_out): (Vec<Vec<usize>>, Option<Vec<LogrankStratum>>) = match strata {
        None => (vec![(0..data.n_rows()).collect()], None),
        Some(labels) => {
            // Distinct labels first (a set, so exotic labels such as "-NaN" that the
            // natural order cannot rank consistently are still never repeated).
            let mut distinct: Vec<&str> = crate::order::set_of(labels.iter().map(String::as_str))
                .into_iter()
                .collect();
            crate::order::labels_naturally(&mut distinct);
            let mut rows_of = Vec::new();
            let mut out = Vec::new();
            for label in distinct {
                let rows: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == label).collect();
                let n: f64 = rows.iter().map(|&i| count[i]).sum();
                // A stratum of zero-count rows does not exist in the expanded data.
                if n > 0.0 {
                    out.push(LogrankStratum {
                        stratum: label.to_string(),
                        n,
                    });
                    rows_of.push(rows);
                }
            }
            (rows_of, Some(out))
        }
    };

    let mut observed = vec![0.0; n_groups];
    let mut expected = vec![0.0; n_groups];
    let mut variance = vec![vec![0.0; n_groups]; n_groups];
    for rows in &stratum_rows {
        accumulate(
            data,
            &group_of,
            rows,
            &mut observed,
            &mut expected,
            &mut variance,
        );
    }

    let (chi_square, df) = statistic(&observed, &expected, &variance, &mut warnings);
    let p_value = if df > 0 {
        Some(chi_square_sf(chi_square, df as f64)).filter(|p| p.is_finite())
    } else {
        None
    };
    let groups = groups
        .into_iter()
        .enumerate()
        .map(|(g, (group, rows))| LogrankGroup {
            group,
            n: rows.iter().map(|&i| count[i]).sum(),
            observed: observed[g],
            expected: expected[g],
        })
        .collect();
    Ok(Logrank {
        chi_square,
        df,
        p_value,
        groups,
        variance,
        strata: strata_out,
        warnings,
    })
}

/// Adds one stratum's observed and expected events and variance, as `survdiff2.c`:
/// risk sets are built from the last time backwards.
fn accumulate(
    data: &SurvivalData,
    group_of: &[usize],
    rows: &[usize],
    observed: &mut [f64],
    expected: &mut [f64],
    variance: &mut [Vec<f64>],
) {
    let (time, status, count) = (data.time(), data.status(), data.count());
    let mut order: Vec<usize> = rows.iter().copied().filter(|&i| count[i] > 0.0).collect();
    crate::order::rows_by_time(&mut order, time);
    let n_groups = observed.len();
    let mut risk = vec![0.0; n_groups];
    let mut n_risk = 0.0;
    let mut end = order.len();
    while end > 0 {
        let t = time[order[end - 1]];
        let mut deaths = 0.0;
        let mut start = end;
        while start > 0 && time[order[start - 1]] == t {
            let i = order[start - 1];
            let g = group_of[i];
            risk[g] += count[i];
            n_risk += count[i];
            if status[i] > 0 {
                deaths += count[i];
                observed[g] += count[i];
            }
            start -= 1;
        }
        end = start;
        if deaths > 0.0 {
            for g in 0..n_groups {
                expected[g] += deaths * risk[g] / n_risk;
            }
            if n_risk > 1.0 {
                let kt = deaths * (n_risk - deaths) / (n_risk * (n_risk - 1.0));
                for j in 0..n_groups {
                    let tmp = kt * risk[j];
                    variance[j][j] += tmp;
                    for k in 0..n_groups {
                        variance[j][k] -= tmp * risk[k] / n_risk;
                    }
                }
            }
        }
    }
}

/// The chi-square statistic and its degrees of freedom, as `survdiff.R`: groups with
/// no expected events are left out, and so is the first remaining group. Where R calls
/// `solve`, a generalised inverse is used (a Cholesky decomposition that skips
/// singular pivots, as survival's `cholesky2`/`chsolve2`), so a singular matrix gives
/// a test on its rank instead of an error; that case comes with a warning.
fn statistic(
    observed: &[f64],
    expected: &[f64],
    variance: &[Vec<f64>],
    warnings: &mut Vec<Warning>,
) -> (f64, usize) {
    let kept: Vec<usize> = (0..observed.len()).filter(|&g| expected[g] > 0.0).collect();
    if kept.len() < 2 {
        warnings.push(Warning::new(
            WarningCode::NoTest,
            "fewer than two groups have individuals at risk at an event time (or there are no events): there is nothing to test, chi_square is 0 and p_value is null",
        ));
        return (0.0, 0);
    }
    let used = &kept[1..];
    let diff: Vec<f64> = used.iter().map(|&g| observed[g] - expected[g]).collect();
    let matrix: Vec<Vec<f64>> = used
        .iter()
        .map(|&j| used.iter().map(|&k| variance[j][k]).collect())
        .collect();
    let (solution, rank) = generalised_solve(matrix, &diff);
    if rank < used.len() {
        warnings.push(Warning::new(
            WarningCode::SingularVariance,
            format!(
                "the variance matrix of the {} compared groups has rank {rank} (groups never at risk together within a stratum): the test uses a generalised inverse with {rank} degrees of freedom, where R's survdiff stops with an error",
                used.len() + 1
            ),
        ));
    }
    let chi: f64 = solution.iter().zip(&diff).map(|(x, d)| x * d).sum();
    // Rounding can leave a tiny negative value on a (near-)singular matrix.
    (chi.max(0.0), rank)
}

/// Solves `A x = b` for a symmetric non-negative definite `A` by an LDLᵀ decomposition
/// that zeroes pivots below `toler · max diag` (survival's `cholesky2` with coxph's
/// `toler.chol = .Machine$double.eps^0.75`), returning the solution and the rank.
// Index loops mirror cholesky2/chsolve2 and keep the triangle's indices readable.
#[allow(clippy::needless_range_loop)]
fn generalised_solve(mut a: Vec<Vec<f64>>, b: &[f64]) -> (Vec<f64>, usize) {
    let n = b.len();
    let toler = crate::math::powf(f64::EPSILON, 0.75);
    let max_diag = (0..n).map(|i| a[i][i].abs()).fold(0.0, f64::max);
    let eps = if max_diag > 0.0 {
        toler * max_diag
    } else {
        toler
    };
    let mut rank = 0;
    for i in 0..n {
        let pivot = a[i][i];
        if !pivot.is_finite() || pivot < eps {
            a[i][i] = 0.0;
            for row in a.iter_mut().skip(i + 1) {
                row[i] = 0.0;
            }
            continue;
        }
        rank += 1;
        for j in (i + 1)..n {
            let temp = a[j][i] / pivot;
            a[j][i] = temp;
            a[j][j] -= temp * temp * pivot;
            for k in (j + 1)..n {
                a[k][j] -= temp * a[k][i];
            }
        }
    }
    // Forward substitution with the unit lower triangle.
    let mut x = b.to_vec();
    for i in 0..n {
        for j in 0..i {
            x[i] -= a[i][j] * x[j];
        }
    }
    // Divide by D, zero where the pivot was singular.
    for i in 0..n {
        x[i] = if a[i][i] == 0.0 { 0.0 } else { x[i] / a[i][i] };
    }
    // Back substitution with the transposed triangle.
    for i in (0..n).rev() {
        for j in (i + 1)..n {
            x[i] -= a[j][i] * x[j];
        }
    }
    (x, rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generalised_solve_agrees_with_a_plain_solve_and_skips_singular_pivots() {
        // [[4, 2], [2, 3]] x = [2, 1]: x = [0.5, 0].
        let (x, rank) = generalised_solve(vec![vec![4.0, 2.0], vec![2.0, 3.0]], &[2.0, 1.0]);
        assert_eq!(rank, 2);
        assert!((x[0] - 0.5).abs() < 1e-15 && x[1].abs() < 1e-15);
        // Singular: [[1, 1], [1, 1]] has rank 1.
        let (x, rank) = generalised_solve(vec![vec![1.0, 1.0], vec![1.0, 1.0]], &[1.0, 1.0]);
        assert_eq!(rank, 1);
        assert_eq!(x, vec![1.0, 0.0]);
    }
}
