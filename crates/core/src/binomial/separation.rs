//! Detection of complete and quasi-complete separation after an IRLS fit.
//!
//! Under separation the maximum-likelihood estimate does not exist: some linear
//! combination of terms predicts the outcome perfectly for some (quasi-complete) or all
//! (complete) individuals, and IRLS drives those coefficients towards ±∞ until their
//! rows' fitted probabilities are numerically 0 or 1. The fit then shows large
//! estimates with huge standard errors that must never pass as results, so they are
//! named in a warning.
//!
//! Rule: a row with individuals is *extreme* when its fitted log-odds lie beyond
//! ±[`EXTREME_LOGIT`] on the side of its observed outcome (all failures and
//! η < −18, or all successes and η > 18: a probability within 1.5e-8 of 0 or 1). With
//! no extreme row there is no separation. When every row is extreme the separation is
//! complete and its direction is the estimate itself. Otherwise it is quasi-complete
//! and its directions are those on which the non-extreme rows carry no information:
//! the null space of their (scaled) design, found from the eigenvalues of its cross
//! product. The terms with a sizeable weight in a direction are named (the intercept
//! only when no other term is).

use super::design::Design;
use nalgebra::{DMatrix, DVector, SymmetricEigen};

/// Log-odds beyond which a row's fitted probability counts as numerically 0 or 1.
pub const EXTREME_LOGIT: f64 = 18.0;

/// Complete or quasi-complete separation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeparationKind {
    /// Every individual's outcome is predicted perfectly.
    Complete,
    /// Some individuals' outcomes are predicted perfectly.
    QuasiComplete,
}

/// Separation found in a fit, with the terms whose estimates run off to infinity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Separation {
    /// Complete or quasi-complete.
    pub kind: SeparationKind,
    /// The terms involved.
    pub terms: Vec<String>,
}

impl Separation {
    /// Warning code: `complete_separation` or `quasi_complete_separation`.
    pub fn code(&self) -> crate::error::WarningCode {
        match self.kind {
            SeparationKind::Complete => crate::error::WarningCode::CompleteSeparation,
            SeparationKind::QuasiComplete => crate::error::WarningCode::QuasiCompleteSeparation,
        }
    }

    /// English explanation naming the terms.
    pub fn message(&self) -> String {
        let kind = match self.kind {
            SeparationKind::Complete => "complete separation: the outcome of every individual",
            SeparationKind::QuasiComplete => {
                "quasi-complete separation: the outcome of some individuals"
            }
        };
        format!(
            "{kind} is predicted perfectly by {}; the maximum-likelihood estimate of {} is infinite, so its estimate, standard error, test and marginal effect are not usable results (merge categories, drop the term or use penalised estimation)",
            self.terms.join(", "),
            if self.terms.len() == 1 { "this term" } else { "these terms" }
        )
    }
}

/// Checks a fit at `beta` on counts `y` of `n` (rows with n > 0 listed in `rows`).
pub fn detect_separation(
    design: &Design,
    beta: &DVector<f64>,
    y: &[f64],
    n: &[f64],
    rows: &[usize],
) -> Option<Separation> {
    let p = design.n_columns();
    let eta = |i: usize| -> f64 {
        design
            .x_row(i)
            .iter()
            .zip(beta.iter())
            .map(|(a, b)| a * b)
            .sum()
    };
    let extreme: Vec<bool> = rows
        .iter()
        .map(|&i| {
            let e = eta(i);
            (y[i] == 0.0 && e < -EXTREME_LOGIT) || (y[i] == n[i] && e > EXTREME_LOGIT)
        })
        .collect();
    if !extreme.iter().any(|&e| e) {
        return None;
    }
    // Column scales over all individuals, so weights read the same whatever the units.
    let scale: Vec<f64> = (0..p)
        .map(|j| {
            let s: f64 = rows
                .iter()
                .map(|&i| n[i] * design.x_row(i)[j].powi(2))
                .sum();
            if s > 0.0 {
                s.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    // The estimate in scaled coordinates; under separation it is a bounded part plus a
    // large multiple of the separating direction.
    let scaled_beta: Vec<f64> = (0..p).map(|j| beta[j] * scale[j]).collect();
    let (kind, direction) = if extreme.iter().all(|&e| e) {
        (SeparationKind::Complete, scaled_beta)
    } else {
        let mut m = DMatrix::<f64>::zeros(p, p);
        for (k, &i) in rows.iter().enumerate() {
            if extreme[k] {
                continue;
            }
            let x = design.x_row(i);
            for a in 0..p {
                for b in 0..p {
                    m[(a, b)] += n[i] * x[a] * x[b] / (scale[a] * scale[b]);
                }
            }
        }
        let eigen = SymmetricEigen::new(m);
        let max = eigen.eigenvalues.iter().cloned().fold(0.0_f64, f64::max);
        // Project the estimate on the null space of the non-extreme rows: the
        // directions only the perfectly predicted rows inform, along which the
        // estimate has run off.
        let mut direction = vec![0.0; p];
        for (k, &value) in eigen.eigenvalues.iter().enumerate() {
            if value <= 1e-10 * max.max(f64::MIN_POSITIVE) {
                let v = eigen.eigenvectors.column(k);
                let along: f64 = v.iter().zip(&scaled_beta).map(|(a, b)| a * b).sum();
                direction
                    .iter_mut()
                    .zip(v.iter())
                    .for_each(|(d, vj)| *d += along * vj);
            }
        }
        (SeparationKind::QuasiComplete, direction)
    };
    let mut named = vec![false; p];
    let largest = direction.iter().map(|v| v.abs()).fold(0.0_f64, f64::max);
    if largest > 0.0 && largest.is_finite() {
        let non_intercept = (1..p).any(|j| direction[j].abs() >= 0.1 * largest);
        for j in 0..p {
            if direction[j].abs() >= 0.1 * largest && (j > 0 || !non_intercept) {
                named[j] = true;
            }
        }
    }
    let terms: Vec<String> = design
        .columns()
        .iter()
        .zip(&named)
        .filter(|(_, &named)| named)
        .map(|(c, _)| c.name.clone())
        .collect();
    // Extreme rows explained by finite estimates (no direction) are not separation.
    (!terms.is_empty()).then_some(Separation { kind, terms })
}
