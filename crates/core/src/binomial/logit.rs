//! Logistic regression on grouped binomial rows, fitted by IRLS (Newton–Raphson on the
//! canonical link) with step-halving.
//!
//! # Convergence rule
//!
//! Each iteration solves `I(β) δ = U(β)` (information and score of the individuals)
//! and takes the step `β + δ`, halving it (at most [`MAX_HALVINGS`] times) while the
//! log-likelihood does not increase. The fit has **converged** when the step just
//! taken had a Newton decrement `Uᵀ I⁻¹ U = δᵀ I δ` below [`DECREMENT_TOL`] = 1e-14:
//! the step moved the coefficients by less than 1e-7 of a standard error in every
//! direction, and as Newton's method converges quadratically the remaining error is
//! far smaller still. After at most [`MAX_ITERATIONS`] iterations without that,
//! `converged` is false and a `not_converged` warning is given. Standard errors come
//! from the observed information at the final estimate (for the logit link it equals
//! the expected information).
//!
//! # Grouped rows
//!
//! Every sum runs over rows weighted by their counts, so a row of `n` trials with `y`
//! successes contributes exactly what its `n` individuals contribute: the fit, its
//! log-likelihood (without the grouped-binomial constant) and its standard errors
//! equal those on the expanded individuals.

use super::design::{BinomialData, Design, ModelSpec};
use super::separation::{detect_separation, Separation};
use crate::error::{Code, Error, Result};
use crate::math::{exp, ln, ln_1p};
use nalgebra::{DMatrix, DVector};

/// Most Newton iterations before giving up (`converged: false`).
pub const MAX_ITERATIONS: usize = 100;
/// Most halvings of one step.
pub const MAX_HALVINGS: usize = 40;
/// Convergence threshold on the Newton decrement `δᵀ I δ` of the last step.
pub const DECREMENT_TOL: f64 = 1e-14;

/// A logit model on fixed rows: the design matrix and the observed counts, built once
/// and refitted cheaply on other counts of the same rows (the bootstrap).
///
/// ```
/// use sibstat_core::binomial::{average_marginal_effect, BinomialData, CovariateValues, LogitModel, ModelSpec};
/// use std::collections::BTreeMap;
///
/// // Three covariate patterns: 2 of 10, 5 of 10 and 8 of 10 successes at x = 0, 1, 2.
/// let mut covariates = BTreeMap::new();
/// covariates.insert("x".to_string(), CovariateValues::Numeric(vec![0.0, 1.0, 2.0]));
/// let data = BinomialData::new(
///     vec![Some(2.0), Some(5.0), Some(8.0)],
///     vec![Some(10.0), Some(10.0), Some(10.0)],
///     covariates,
/// )?;
/// let spec = ModelSpec { terms: vec!["x".into()], ..ModelSpec::default() };
/// let model = LogitModel::new(&data, &spec)?;
/// let fit = model.fit()?;
/// // Symmetric data: slope 2 ln 2 = ln 4 per unit of x, intercept -ln 4.
/// let slope = model.coefficient(&fit, "x").unwrap();
/// assert!((slope - 4f64.ln()).abs() < 1e-12);
///
/// // A bootstrap replicate: other counts of the same rows, warm-started.
/// let refit = model.fit_with_weights_from(&[3.0, 4.0, 8.0], &[7.0, 6.0, 2.0], Some(&fit.coefficients))?;
/// let ame = average_marginal_effect(&model, &refit, "x").unwrap();
/// assert!(ame > 0.0 && refit.converged);
/// # Ok::<(), sibstat_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogitModel {
    design: Design,
    successes: Vec<f64>,
    trials: Vec<f64>,
}

/// A fitted logit: estimates, their covariance, fit statistics and diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct LogitFit {
    /// Estimates, in the order of [`LogitModel::terms`] (intercept first).
    pub coefficients: Vec<f64>,
    /// Inverse observed information at the estimate; `None` when it is not invertible
    /// (numerically, under separation).
    pub covariance: Option<DMatrix<f64>>,
    /// Log-likelihood of the individuals (no grouped-binomial constant).
    pub log_likelihood: f64,
    /// Log-likelihood of the intercept-only model.
    pub log_likelihood_null: f64,
    /// Newton iterations taken.
    pub iterations: usize,
    /// Whether the convergence rule was met (see the module docs).
    pub converged: bool,
    /// Number of individuals (sum of trials).
    pub n_individuals: f64,
    /// Number of successes.
    pub n_successes: f64,
    /// Complete or quasi-complete separation, if detected.
    pub separation: Option<Separation>,
    /// Successes per row used by this fit.
    pub successes: Vec<f64>,
    /// Trials per row used by this fit.
    pub trials: Vec<f64>,
}

impl LogitFit {
    /// Standard error of coefficient `j`, if the covariance exists.
    pub fn std_err(&self, j: usize) -> Option<f64> {
        self.covariance
            .as_ref()
            .map(|v| v[(j, j)])
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(f64::sqrt)
    }

    /// Number of coefficients.
    pub fn n_params(&self) -> usize {
        self.coefficients.len()
    }

    /// Akaike's information criterion of the individuals: `-2 ll + 2 k`.
    pub fn aic(&self) -> f64 {
        -2.0 * self.log_likelihood + 2.0 * self.n_params() as f64
    }

    /// Bayesian information criterion with n = the number of individuals:
    /// `-2 ll + k ln n`.
    pub fn bic(&self) -> f64 {
        -2.0 * self.log_likelihood + self.n_params() as f64 * ln(self.n_individuals)
    }
}

impl LogitModel {
    /// Builds the model of `spec` on `data`: the design matrix, with every name and
    /// the rank of the design (over rows with trials) checked.
    pub fn new(data: &BinomialData, spec: &ModelSpec) -> Result<Self> {
        let design = Design::new(data, spec)?;
        design.check_rank(data.trials())?;
        Ok(LogitModel {
            design,
            successes: data.successes().to_vec(),
            trials: data.trials().to_vec(),
        })
    }

    /// The design matrix and its variables.
    pub fn design(&self) -> &Design {
        &self.design
    }

    /// Term names of the coefficients, intercept first.
    pub fn terms(&self) -> Vec<&str> {
        self.design
            .columns()
            .iter()
            .map(|c| c.name.as_str())
            .collect()
    }

    /// Observed successes per row.
    pub fn successes(&self) -> &[f64] {
        &self.successes
    }

    /// Observed trials per row.
    pub fn trials(&self) -> &[f64] {
        &self.trials
    }

    /// Fits the model on the observed counts.
    pub fn fit(&self) -> Result<LogitFit> {
        self.fit_counts(&self.successes, &self.trials, None)
    }

    /// Refits the model on other counts of the same rows — the bootstrap's resampled
    /// cells: `successes[i]` and `failures[i]` individuals in row `i`. Starts from the
    /// usual start (intercept at the overall log-odds). The rank of the design is
    /// re-checked on the new counts (a category may have lost all its individuals).
    pub fn fit_with_weights(&self, successes: &[f64], failures: &[f64]) -> Result<LogitFit> {
        self.fit_with_weights_from(successes, failures, None)
    }

    /// As [`LogitModel::fit_with_weights`], starting from `start` (e.g. the full-sample
    /// estimate, which saves iterations on resampled counts).
    pub fn fit_with_weights_from(
        &self,
        successes: &[f64],
        failures: &[f64],
        start: Option<&[f64]>,
    ) -> Result<LogitFit> {
        let n = self.design.n_rows();
        if successes.len() != n || failures.len() != n {
            return Err(Error::new(
                Code::LengthMismatch,
                format!(
                    "refit with {} successes and {} failures for {n} rows: give one of each per row",
                    successes.len(),
                    failures.len()
                ),
            ));
        }
        if let Some(bad) = successes
            .iter()
            .chain(failures)
            .find(|c| !(c.is_finite() && **c >= 0.0))
        {
            return Err(Error::new(
                Code::NegativeCount,
                format!("refit with count {bad}: counts must be finite and zero or more"),
            ));
        }
        let trials: Vec<f64> = successes.iter().zip(failures).map(|(s, f)| s + f).collect();
        if trials.iter().all(|&t| t == 0.0) {
            return Err(Error::new(
                Code::EmptyData,
                "every row has 0 trials: the data describe no individual",
            ));
        }
        self.design.check_rank(&trials)?;
        self.fit_counts(successes, &trials, start)
    }

    /// Estimate of the coefficient named `term` in `fit`.
    pub fn coefficient(&self, fit: &LogitFit, term: &str) -> Option<f64> {
        self.design.column_index(term).map(|j| fit.coefficients[j])
    }

    fn fit_counts(&self, y: &[f64], n: &[f64], start: Option<&[f64]>) -> Result<LogitFit> {
        let p = self.design.n_columns();
        let rows: Vec<usize> = (0..self.design.n_rows()).filter(|&i| n[i] > 0.0).collect();
        let n_total: f64 = rows.iter().map(|&i| n[i]).sum();
        let y_total: f64 = rows.iter().map(|&i| y[i]).sum();
        let mut beta = DVector::zeros(p);
        match start {
            Some(s) if s.len() == p && s.iter().all(|v| v.is_finite()) => {
                beta.copy_from_slice(s);
            }
            _ => {
                // Intercept at the overall log-odds: the null model's estimate.
                if y_total > 0.0 && y_total < n_total {
                    beta[0] = ln(y_total / (n_total - y_total));
                }
            }
        }
        let mut state = self.evaluate(&beta, y, n, &rows);
        let mut iterations = 0;
        let mut converged = false;
        for iteration in 1..=MAX_ITERATIONS {
            let Some(delta) = solve_scaled(&state.information, &state.score) else {
                break;
            };
            let decrement = state.score.dot(&delta);
            let mut t = 1.0;
            let mut accepted = None;
            for _ in 0..=MAX_HALVINGS {
                let candidate = &beta + &delta * t;
                let next = self.evaluate(&candidate, y, n, &rows);
                // Accept any step that does not lower the log-likelihood beyond rounding.
                let slack = 1e-13 * (state.log_likelihood.abs() + 1.0);
                if next.log_likelihood.is_finite()
                    && next.log_likelihood >= state.log_likelihood - slack
                {
                    accepted = Some((candidate, next));
                    break;
                }
                t *= 0.5;
            }
            let Some((candidate, next)) = accepted else {
                break;
            };
            beta = candidate;
            state = next;
            iterations = iteration;
            if decrement.is_finite() && decrement < DECREMENT_TOL {
                converged = true;
                break;
            }
        }
        let covariance = invert_scaled(&state.information);
        let log_likelihood_null = null_log_likelihood(y_total, n_total);
        let separation = detect_separation(&self.design, &beta, y, n, &rows);
        Ok(LogitFit {
            coefficients: beta.iter().copied().collect(),
            covariance,
            log_likelihood: state.log_likelihood,
            log_likelihood_null,
            iterations,
            converged,
            n_individuals: n_total,
            n_successes: y_total,
            separation,
            successes: y.to_vec(),
            trials: n.to_vec(),
        })
    }

    fn evaluate(&self, beta: &DVector<f64>, y: &[f64], n: &[f64], rows: &[usize]) -> State {
        let p = beta.len();
        let mut score = DVector::zeros(p);
        let mut information = DMatrix::zeros(p, p);
        let mut log_likelihood = 0.0;
        for &i in rows {
            let x = self.design.x_row(i);
            let eta: f64 = x.iter().zip(beta.iter()).map(|(a, b)| a * b).sum();
            let mu = expit(eta);
            let w = n[i] * logistic_density(eta);
            // log mu = -softplus(-eta), log(1 - mu) = -softplus(eta): exact in the tails.
            if y[i] > 0.0 {
                log_likelihood -= y[i] * softplus(-eta);
            }
            if n[i] > y[i] {
                log_likelihood -= (n[i] - y[i]) * softplus(eta);
            }
            let r = y[i] - n[i] * mu;
            for a in 0..p {
                score[a] += r * x[a];
                let wa = w * x[a];
                for b in 0..=a {
                    information[(a, b)] += wa * x[b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                information[(b, a)] = information[(a, b)];
            }
        }
        State {
            log_likelihood,
            score,
            information,
        }
    }
}

struct State {
    log_likelihood: f64,
    score: DVector<f64>,
    information: DMatrix<f64>,
}

/// The logistic function, `1 / (1 + exp(-eta))`, without overflow.
pub fn expit(eta: f64) -> f64 {
    if eta >= 0.0 {
        1.0 / (1.0 + exp(-eta))
    } else {
        let e = exp(eta);
        e / (1.0 + e)
    }
}

/// `mu (1 - mu)` at `eta`, accurate in both tails.
pub fn logistic_density(eta: f64) -> f64 {
    let e = exp(-eta.abs());
    e / ((1.0 + e) * (1.0 + e))
}

/// `ln(1 + exp(x))` without overflow.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + ln_1p(exp(-x))
    } else {
        ln_1p(exp(x))
    }
}

/// Log-likelihood of the intercept-only model of the individuals.
fn null_log_likelihood(y: f64, n: f64) -> f64 {
    let mut ll = 0.0;
    if y > 0.0 {
        ll += y * ln(y / n);
    }
    if n > y {
        ll += (n - y) * ln((n - y) / n);
    }
    ll
}

/// Jacobi scaling `D^{-1/2} A D^{-1/2}` keeps the Cholesky factorisation well
/// conditioned when columns differ in scale (age against age^2) or when a column's
/// weight has shrunk under separation.
fn scaling(a: &DMatrix<f64>) -> Option<DVector<f64>> {
    let d = DVector::from_iterator(a.nrows(), (0..a.nrows()).map(|i| a[(i, i)]));
    if d.iter().all(|v| v.is_finite() && *v > 0.0) {
        Some(d.map(|v| 1.0 / v.sqrt()))
    } else {
        None
    }
}

fn solve_scaled(a: &DMatrix<f64>, b: &DVector<f64>) -> Option<DVector<f64>> {
    let s = scaling(a)?;
    let scaled = DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] * s[i] * s[j]);
    let chol = scaled.cholesky()?;
    let x = chol.solve(&b.component_mul(&s));
    let x = x.component_mul(&s);
    x.iter().all(|v| v.is_finite()).then_some(x)
}

fn invert_scaled(a: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let s = scaling(a)?;
    let scaled = DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| a[(i, j)] * s[i] * s[j]);
    let inv = scaled.cholesky()?.inverse();
    let out = DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| inv[(i, j)] * s[i] * s[j]);
    out.iter().all(|v| v.is_finite()).then_some(out)
}
