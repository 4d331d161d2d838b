//! Descriptive summary of values with counts: the same numbers as on the values
//! expanded to one entry per individual (R: `mean`, `sd`, `median`, `range`).

use crate::error::{Code, Error, Result, Warning};
use crate::survival::{check_len, finite_values, validate_counts};
use serde::Serialize;

/// Summary statistics of weighted values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Number of individuals (sum of counts).
    pub n: f64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation with denominator n − 1; `None` for a single individual.
    pub sd: Option<f64>,
    /// Median (the mean of the two middle values for an even n), as R's `median`.
    pub median: f64,
    /// Smallest value with a positive count.
    pub min: f64,
    /// Largest value with a positive count.
    pub max: f64,
    /// Non-fatal problems.
    pub warnings: Vec<Warning>,
}

/// Validated values with their counts.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedValues {
    /// Values with a positive count, ascending.
    values: Vec<f64>,
    /// Their counts.
    counts: Vec<f64>,
}

impl WeightedValues {
    /// Validates values (finite) and counts (non-negative whole numbers, default 1).
    pub fn new(values: Vec<Option<f64>>, count: Option<Vec<Option<f64>>>) -> Result<Self> {
        let n = values.len();
        if let Some(c) = &count {
            check_len("count", c.len(), n)?;
        }
        let values = finite_values("values", values)?;
        let counts = match count {
            Some(c) => validate_counts("count", c)?,
            None => vec![1.0; n],
        };
        let mut rows: Vec<usize> = (0..n).filter(|&i| counts[i] > 0.0).collect();
        if rows.is_empty() {
            return Err(Error::new(
                Code::EmptyData,
                "values is empty or every count is 0: give at least one value",
            ));
        }
        crate::order::rows_by_time(&mut rows, &values);
        Ok(WeightedValues {
            values: rows.iter().map(|&i| values[i]).collect(),
            counts: rows.iter().map(|&i| counts[i]).collect(),
        })
    }

    /// The same values with other counts (bootstrap resamples), in the same order.
    pub fn with_counts(&self, counts: Vec<f64>) -> Self {
        WeightedValues {
            values: self.values.clone(),
            counts,
        }
    }

    /// The values, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Their counts.
    pub fn counts(&self) -> &[f64] {
        &self.counts
    }
}

/// Summarises the values; `None` where the summary is undefined (no individuals).
pub fn summarise(data: &WeightedValues) -> Option<Summary> {
    let n: f64 = data.counts.iter().sum();
    if n == 0.0 {
        return None;
    }
    let mean = data
        .values
        .iter()
        .zip(&data.counts)
        .map(|(v, c)| v * c)
        .sum::<f64>()
        / n;
    // Two-pass variance: numerically stable for values far from zero.
    let squares: f64 = data
        .values
        .iter()
        .zip(&data.counts)
        .map(|(v, c)| c * (v - mean) * (v - mean))
        .sum();
    let sd = (n > 1.0).then(|| (squares / (n - 1.0)).sqrt());
    let present = |i: &usize| data.counts[*i] > 0.0;
    let first = (0..data.values.len()).find(present)?;
    let last = (0..data.values.len()).rev().find(present)?;
    Some(Summary {
        n,
        mean,
        sd,
        median: weighted_median(&data.values, &data.counts, n),
        min: data.values[first],
        max: data.values[last],
        warnings: Vec::new(),
    })
}

/// The median of the expanded values (sorted `values` with `counts`).
fn weighted_median(values: &[f64], counts: &[f64], n: f64) -> f64 {
    // 1-based positions of the middle value(s) of the expanded data.
    let (lo, hi) = if n % 2.0 == 0.0 {
        (n / 2.0, n / 2.0 + 1.0)
    } else {
        ((n + 1.0) / 2.0, (n + 1.0) / 2.0)
    };
    let at = |position: f64| {
        let mut seen = 0.0;
        for (v, c) in values.iter().zip(counts) {
            seen += c;
            if seen >= position {
                return *v;
            }
        }
        values[values.len() - 1]
    };
    (at(lo) + at(hi)) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(v: &[f64]) -> Vec<Option<f64>> {
        v.iter().map(|&x| Some(x)).collect()
    }

    // Hand computation: 1, 2, 2, 2, 10 → mean 17/5 = 3.4, median 2,
    // sd = sqrt((2.4² + 3·1.4² + 6.6²) / 4) = sqrt(55.2 / 4).
    #[test]
    fn counts_equal_expanded_values() {
        let s = summarise(
            &WeightedValues::new(some(&[10.0, 2.0, 1.0]), Some(some(&[1.0, 3.0, 1.0]))).unwrap(),
        )
        .unwrap();
        assert_eq!(s.n, 5.0);
        assert!((s.mean - 3.4).abs() < 1e-15);
        assert_eq!(s.median, 2.0);
        assert!((s.sd.unwrap() - (55.2f64 / 4.0).sqrt()).abs() < 1e-14);
        assert_eq!((s.min, s.max), (1.0, 10.0));
        // Even n: the mean of the two middle values of 1, 2, 3, 10.
        let even =
            summarise(&WeightedValues::new(some(&[1.0, 2.0, 3.0, 10.0]), None).unwrap()).unwrap();
        assert_eq!(even.median, 2.5);
    }

    #[test]
    fn single_value_has_no_sd() {
        let s = summarise(&WeightedValues::new(some(&[4.0]), None).unwrap()).unwrap();
        assert_eq!(s.sd, None);
    }
}
