//! Validated survival data: one row per individual or per group of identical individuals.

use crate::error::{Code, Error, Result};
use std::cmp::Ordering;
use std::collections::HashSet;

/// Most distinct groups the survival analyses take. The log-rank test's variance
/// matrix and Gray's test grow with the square of the number of groups (and the
/// matrix inversion with its cube); a request with thousands of one-row groups would
/// otherwise run for minutes. Far above any comparison of published tables.
pub const MAX_GROUPS: usize = 50;

/// Survival data after validation: times are finite and non-negative, statuses are
/// non-negative integers (0 = censored, k >= 1 = event of cause k), counts are
/// non-negative whole numbers, and all arrays have the same length.
///
/// A row with count `c` stands for `c` identical individuals, so aggregate tables are
/// native input and give the same results as the expanded individuals.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalData {
    time: Vec<f64>,
    status: Vec<u32>,
    count: Vec<f64>,
    group: Option<Vec<String>>,
}

impl SurvivalData {
    /// Validates and builds survival data.
    ///
    /// `time` entries of `None` stand for NaN or infinite values (JSON has no NaN).
    /// Counts adding up to more than [`MAX_INDIVIDUALS`] are refused: every survival
    /// analysis sums them.
    pub fn new(
        time: Vec<Option<f64>>,
        status: Vec<Option<f64>>,
        count: Option<Vec<Option<f64>>>,
        group: Option<Vec<String>>,
    ) -> Result<Self> {
        let n = time.len();
        if n == 0 {
            return Err(Error::new(
                Code::EmptyData,
                "data.time is empty: give at least one row",
            ));
        }
        check_len("data.status", status.len(), n)?;
        if let Some(c) = &count {
            check_len("data.count", c.len(), n)?;
        }
        if let Some(g) = &group {
            check_len("data.group", g.len(), n)?;
            let distinct = g.iter().map(String::as_str).collect::<HashSet<_>>().len();
            if distinct > MAX_GROUPS {
                return Err(Error::new(
                    Code::TooManyLevels,
                    format!(
                        "data.group has {distinct} distinct groups: at most {MAX_GROUPS} can be analysed; merge groups or analyse a subset"
                    ),
                ));
            }
        }
        let time = finite_values("data.time", time)?;
        if let Some(i) = time.iter().position(|&t| t < 0.0) {
            return Err(Error::new(
                Code::NegativeTime,
                format!(
                    "data.time[{i}] is {}: times must be zero or positive",
                    time[i]
                ),
            ));
        }
        let status = finite_values("data.status", status)?;
        let status = status
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                if s >= 0.0 && s.fract() == 0.0 && s <= f64::from(u16::MAX) {
                    Ok(s as u32)
                } else {
                    Err(Error::new(
                        Code::InvalidStatus,
                        format!(
                            "data.status[{i}] is {s}: use 0 for censored and 1, 2, ... for the cause of the event"
                        ),
                    ))
                }
            })
            .collect::<Result<Vec<u32>>>()?;
        let count = match count {
            Some(c) => validate_counts("data.count", c)?,
            None => vec![1.0; n],
        };
        check_total_individuals(&count)?;
        if count.iter().all(|&c| c == 0.0) {
            return Err(Error::new(
                Code::EmptyData,
                "every row has count 0: the data describe no individual",
            ));
        }
        Ok(SurvivalData {
            time,
            status,
            count,
            group,
        })
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.time.len()
    }

    /// Times of the rows.
    pub fn time(&self) -> &[f64] {
        &self.time
    }

    /// Statuses of the rows (0 = censored, k = event of cause k).
    pub fn status(&self) -> &[u32] {
        &self.status
    }

    /// Counts of the rows.
    pub fn count(&self) -> &[f64] {
        &self.count
    }

    /// Group labels of the rows, if given.
    pub fn group(&self) -> Option<&[String]> {
        self.group.as_deref()
    }

    /// The same rows with other counts (the bootstrap's resampled weights).
    /// `count` must have one non-negative whole number per row.
    pub fn with_counts(&self, count: Vec<f64>) -> Self {
        debug_assert_eq!(count.len(), self.time.len());
        SurvivalData {
            count,
            ..self.clone()
        }
    }

    /// Total number of individuals.
    pub fn n_individuals(&self) -> f64 {
        self.count.iter().sum()
    }

    /// The distinct causes (status >= 1) among rows with a positive count, ascending.
    pub fn causes(&self) -> Vec<u32> {
        let mut causes: Vec<u32> = self
            .status
            .iter()
            .zip(&self.count)
            .filter(|&(&s, &c)| s > 0 && c > 0.0)
            .map(|(&s, _)| s)
            .collect();
        crate::order::sort_by(&mut causes, Ord::cmp);
        causes.dedup();
        causes
    }

    /// Row indices per group, groups in natural order (numeric labels numerically,
    /// others as text), like the levels of a factor in R. Without groups, one group
    /// labelled `None` holding every row.
    pub fn groups(&self) -> Vec<(Option<String>, Vec<usize>)> {
        match &self.group {
            None => vec![(None, (0..self.time.len()).collect())],
            Some(labels) => {
                let mut distinct: Vec<&str> = labels.iter().map(String::as_str).collect();
                crate::order::labels_naturally(&mut distinct);
                distinct.dedup();
                distinct
                    .into_iter()
                    .map(|label| {
                        let rows = (0..labels.len()).filter(|&i| labels[i] == label).collect();
                        (Some(label.to_string()), rows)
                    })
                    .collect()
            }
        }
    }
}

/// The largest number of individuals whose sums (numbers at risk, events) a double
/// holds exactly: 2^53.
pub const MAX_INDIVIDUALS: f64 = 9_007_199_254_740_992.0;

/// Errors with [`Code::TooManyIndividuals`] when the counts add up to more than
/// [`MAX_INDIVIDUALS`]: beyond it the numbers at risk are rounded, and a risk set could
/// end below its events (a negative survival) without anyone noticing.
fn check_total_individuals(count: &[f64]) -> Result<()> {
    let total: f64 = count.iter().sum();
    if total <= MAX_INDIVIDUALS {
        Ok(())
    } else {
        Err(Error::new(
            Code::TooManyIndividuals,
            format!(
                "data.count adds up to {total:e} individuals: at most 2^53 = 9007199254740992 can be counted exactly"
            ),
        ))
    }
}

/// Orders labels as R orders factor levels made from them: numbers numerically when
/// every label is a number, otherwise as text.
pub fn natural_order(a: &str, b: &str) -> Ordering {
    // Only finite numbers sort as numbers: "NaN" and "inf" parse as floats but would
    // break the total order that sorting and de-duplicating rely on.
    let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite());
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y).then(a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Errors with [`Code::LengthMismatch`] unless `len == expected`.
pub fn check_len(name: &str, len: usize, expected: usize) -> Result<()> {
    if len == expected {
        Ok(())
    } else {
        Err(Error::new(
            Code::LengthMismatch,
            format!("{name} has {len} entries but data.time has {expected}: give one per row"),
        ))
    }
}

/// Unwraps values that must be finite numbers; `None` stands for NaN or infinity.
pub fn finite_values(name: &str, values: Vec<Option<f64>>) -> Result<Vec<f64>> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| match v {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(Error::new(
                Code::NonFiniteValue,
                format!("{name}[{i}] is missing, NaN or infinite: give a finite number"),
            )),
        })
        .collect()
}

/// Validates counts: finite, non-negative whole numbers.
pub fn validate_counts(name: &str, values: Vec<Option<f64>>) -> Result<Vec<f64>> {
    let values = finite_values(name, values)?;
    for (i, &c) in values.iter().enumerate() {
        if c < 0.0 {
            return Err(Error::new(
                Code::NegativeCount,
                format!("{name}[{i}] is {c}: a count is a number of individuals, zero or more"),
            ));
        }
        if c.fract() != 0.0 || c > 9.0e15 {
            return Err(Error::new(
                Code::FractionalCount,
                format!("{name}[{i}] is {c}: a count must be a whole number of individuals"),
            ));
        }
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(v: &[f64]) -> Vec<Option<f64>> {
        v.iter().map(|&x| Some(x)).collect()
    }

    #[test]
    fn rejects_each_kind_of_bad_row_with_its_code() {
        let ok_t = some(&[1.0, 2.0]);
        let ok_s = some(&[1.0, 0.0]);
        let code = |r: Result<SurvivalData>| r.unwrap_err().code;
        assert_eq!(
            code(SurvivalData::new(vec![], vec![], None, None)),
            Code::EmptyData
        );
        assert_eq!(
            code(SurvivalData::new(ok_t.clone(), some(&[1.0]), None, None)),
            Code::LengthMismatch
        );
        assert_eq!(
            code(SurvivalData::new(
                some(&[-1.0, 2.0]),
                ok_s.clone(),
                None,
                None
            )),
            Code::NegativeTime
        );
        assert_eq!(
            code(SurvivalData::new(
                vec![Some(f64::NAN), Some(1.0)],
                ok_s.clone(),
                None,
                None
            )),
            Code::NonFiniteValue
        );
        assert_eq!(
            code(SurvivalData::new(
                ok_t.clone(),
                some(&[0.5, 1.0]),
                None,
                None
            )),
            Code::InvalidStatus
        );
        assert_eq!(
            code(SurvivalData::new(
                ok_t.clone(),
                ok_s.clone(),
                Some(some(&[-1.0, 1.0])),
                None
            )),
            Code::NegativeCount
        );
        assert_eq!(
            code(SurvivalData::new(
                ok_t.clone(),
                ok_s.clone(),
                Some(some(&[1.5, 1.0])),
                None
            )),
            Code::FractionalCount
        );
        assert_eq!(
            code(SurvivalData::new(ok_t, ok_s, Some(some(&[0.0, 0.0])), None)),
            Code::EmptyData
        );
    }

    #[test]
    fn label_order_is_total_even_for_nan_and_infinity_labels() {
        let mut labels = vec!["NaN", "2", "inf", "-NaN", "10", "a", "+5", "NaN"];
        labels.sort_by(|a, b| natural_order(a, b));
        labels.dedup();
        assert_eq!(labels, vec!["2", "+5", "10", "-NaN", "NaN", "a", "inf"]);
    }

    #[test]
    fn groups_follow_factor_level_order() {
        let data = SurvivalData::new(
            some(&[1.0, 2.0, 3.0]),
            some(&[1.0, 1.0, 0.0]),
            None,
            Some(vec!["10".into(), "2".into(), "10".into()]),
        )
        .unwrap();
        let groups = data.groups();
        assert_eq!(groups[0], (Some("2".to_string()), vec![1]));
        assert_eq!(groups[1], (Some("10".to_string()), vec![0, 2]));
    }
}
