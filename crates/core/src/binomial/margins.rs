//! Marginal effects of a fitted logit on the probability scale, with delta-method
//! standard errors.
//!
//! *Average* effects average over **individuals**: a row of `n` trials counts `n`
//! times, so grouped rows give the effects of the expanded individuals (weighting rows
//! equally, as many tools do on grouped data, would not). Effects *at the mean* are
//! taken at the mean design row over individuals (every column's mean, power columns
//! and category indicators included: Stata's `atmeans` with generated variables,
//! statsmodels' `at='mean'`), treating that row as fixed.
//!
//! - a numeric term (a column such as `age` or `age^2`): the derivative of the
//!   probability with respect to that column, the other columns held fixed:
//!   `β_j Λ'(η)`;
//! - a categorical level (`branch=Landmacht`): the discrete change from the reference
//!   level to that level, `Λ(η | level) − Λ(η | reference)`;
//! - a covariate declared binary: the discrete change from 0 to 1;
//! - the *total* effect of a numeric variable entered with powers (opt-in): the
//!   derivative through all its columns, `(Σ_k k β_k v^{k−1}) Λ'(η)` (Stata's
//!   `c.age##c.age` with `margins, dydx(age)`); at the mean, `v` is its mean.

use super::design::{ColumnKind, Design, Setting, Variable};
use super::logit::{expit, logistic_density, LogitFit, LogitModel};
use crate::dist::{two_sided_p, z_for_conf_level};

/// Where marginal effects are evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarginsAt {
    /// Averaged over the individuals.
    Average,
    /// At the mean design row.
    AtMean,
}

/// How a marginal effect is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarginKind {
    /// Derivative with respect to one column.
    Derivative,
    /// Discrete change (category against reference, binary 0 → 1).
    DiscreteChange,
    /// Derivative with respect to a variable through all its powers.
    TotalDerivative,
}

impl MarginKind {
    /// The kind as named in the response.
    pub fn as_str(self) -> &'static str {
        match self {
            MarginKind::Derivative => "derivative",
            MarginKind::DiscreteChange => "discrete_change",
            MarginKind::TotalDerivative => "total_derivative",
        }
    }
}

/// One marginal effect with its delta-method gradient.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginalEffect {
    /// Term (column) name, or the variable's name for a total effect.
    pub term: String,
    /// How it is computed.
    pub kind: MarginKind,
    /// The effect on the probability (a fraction; ×100 for percentage points).
    pub dydx: f64,
    /// Gradient of `dydx` with respect to the coefficients.
    pub gradient: Vec<f64>,
    /// Delta-method standard error, when the fit has a covariance.
    pub std_err: Option<f64>,
}

impl MarginalEffect {
    /// `dydx / std_err`.
    pub fn z(&self) -> Option<f64> {
        self.std_err.filter(|s| *s > 0.0).map(|s| self.dydx / s)
    }

    /// Two-sided p-value of the Wald test that the effect is zero.
    pub fn p_value(&self) -> Option<f64> {
        self.z().map(two_sided_p)
    }

    /// Wald confidence interval at `conf_level`.
    pub fn interval(&self, conf_level: f64) -> Option<(f64, f64)> {
        let z = z_for_conf_level(conf_level);
        self.std_err.map(|s| (self.dydx - z * s, self.dydx + z * s))
    }
}

/// What a marginal effect differentiates or changes.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// Derivative with respect to column `j`.
    Column(usize),
    /// Discrete change between two settings of a variable.
    Change { to: Setting, from: Setting },
    /// Derivative with respect to numeric variable `v` through all its columns.
    Variable(usize),
}

/// The marginal effect of every term but the intercept, in column order.
pub fn marginal_effects(model: &LogitModel, fit: &LogitFit, at: MarginsAt) -> Vec<MarginalEffect> {
    let design = model.design();
    (1..design.n_columns())
        .filter_map(|j| term_effect(model, fit, j, at))
        .collect()
}

/// The total effect of every numeric, non-binary variable that enters through a power
/// other than 1, in order of the variables.
pub fn total_effects(model: &LogitModel, fit: &LogitFit, at: MarginsAt) -> Vec<MarginalEffect> {
    let design = model.design();
    design
        .variables()
        .iter()
        .enumerate()
        .filter(|(v, variable)| {
            matches!(variable, Variable::Numeric { binary: false, .. })
                && design.columns().iter().any(|c| {
                    matches!(c.kind, ColumnKind::Power { variable, power } if variable == *v && power > 1)
                })
        })
        .map(|(v, variable)| {
            effect(
                design,
                fit,
                Target::Variable(v),
                at,
                variable.name().to_string(),
                MarginKind::TotalDerivative,
            )
        })
        .collect()
}

/// The marginal effect of the term in column `j` (None for the intercept).
fn term_effect(
    model: &LogitModel,
    fit: &LogitFit,
    j: usize,
    at: MarginsAt,
) -> Option<MarginalEffect> {
    let design = model.design();
    let column = &design.columns()[j];
    let (target, kind) = match column.kind {
        ColumnKind::Intercept => return None,
        ColumnKind::Power { variable, power } => match &design.variables()[variable] {
            Variable::Numeric { binary: true, .. } if power == 1 => (
                Target::Change {
                    to: Setting::Number(variable, 1.0),
                    from: Setting::Number(variable, 0.0),
                },
                MarginKind::DiscreteChange,
            ),
            _ => (Target::Column(j), MarginKind::Derivative),
        },
        ColumnKind::Level { variable, level } => {
            let reference = match &design.variables()[variable] {
                Variable::Categorical { reference, .. } => *reference,
                Variable::Numeric { .. } => return None,
            };
            (
                Target::Change {
                    to: Setting::Level(variable, level),
                    from: Setting::Level(variable, reference),
                },
                MarginKind::DiscreteChange,
            )
        }
    };
    Some(effect(design, fit, target, at, column.name.clone(), kind))
}

/// Average marginal effect of `term` (a column name) in `fit`: the bootstrap's
/// `ame:<term>`. Point estimate only, without the delta-method gradient's covariance.
pub fn average_marginal_effect(model: &LogitModel, fit: &LogitFit, term: &str) -> Option<f64> {
    let j = model.design().column_index(term)?;
    term_effect(model, fit, j, MarginsAt::Average).map(|e| e.dydx)
}

/// Average total effect of the numeric variable `variable` (through all its powers).
pub fn average_total_effect(model: &LogitModel, fit: &LogitFit, variable: &str) -> Option<f64> {
    total_effects(model, fit, MarginsAt::Average)
        .into_iter()
        .find(|e| e.term == variable)
        .map(|e| e.dydx)
}

fn effect(
    design: &Design,
    fit: &LogitFit,
    target: Target,
    at: MarginsAt,
    term: String,
    kind: MarginKind,
) -> MarginalEffect {
    let p = design.n_columns();
    let beta = &fit.coefficients;
    let mut value = 0.0;
    let mut gradient = vec![0.0; p];
    let mut add = |x: &[f64], v_value: f64, weight: f64| {
        let (me, grad) = pointwise(design, beta, x, v_value, target);
        value += weight * me;
        for (g, d) in gradient.iter_mut().zip(grad) {
            *g += weight * d;
        }
    };
    match at {
        MarginsAt::Average => {
            let total = fit.n_individuals;
            for i in 0..design.n_rows() {
                let n = fit.trials[i];
                if n > 0.0 {
                    let v_value = variable_value(design, target, i);
                    add(design.x_row(i), v_value, n / total);
                }
            }
        }
        MarginsAt::AtMean => {
            let total = fit.n_individuals;
            let mut mean = vec![0.0; p];
            let mut v_mean = 0.0;
            for i in 0..design.n_rows() {
                let n = fit.trials[i];
                if n > 0.0 {
                    for (m, x) in mean.iter_mut().zip(design.x_row(i)) {
                        *m += n * x / total;
                    }
                    v_mean += n * variable_value(design, target, i) / total;
                }
            }
            add(&mean, v_mean, 1.0);
        }
    }
    let std_err = fit.covariance.as_ref().and_then(|v| {
        let mut s = 0.0;
        for a in 0..p {
            for b in 0..p {
                s += gradient[a] * v[(a, b)] * gradient[b];
            }
        }
        (s.is_finite() && s >= 0.0).then(|| s.sqrt())
    });
    MarginalEffect {
        term,
        kind,
        dydx: value,
        gradient,
        std_err,
    }
}

/// The value of the differentiated variable in row `i` (total effects only).
fn variable_value(design: &Design, target: Target, i: usize) -> f64 {
    match target {
        Target::Variable(v) => match &design.variables()[v] {
            Variable::Numeric { values, .. } => values[i],
            Variable::Categorical { .. } => 0.0,
        },
        _ => 0.0,
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The effect at one design row `x` and its gradient in β.
fn pointwise(
    design: &Design,
    beta: &[f64],
    x: &[f64],
    v_value: f64,
    target: Target,
) -> (f64, Vec<f64>) {
    let p = x.len();
    match target {
        Target::Change { to, from } => {
            let mut x1 = x.to_vec();
            let mut x0 = x.to_vec();
            apply_setting(design, &mut x1, to);
            apply_setting(design, &mut x0, from);
            let (e1, e0) = (dot(&x1, beta), dot(&x0, beta));
            let (g1, g0) = (logistic_density(e1), logistic_density(e0));
            let grad = (0..p).map(|k| g1 * x1[k] - g0 * x0[k]).collect();
            (expit(e1) - expit(e0), grad)
        }
        Target::Column(_) | Target::Variable(_) => {
            // d = ∂x/∂(column or variable): the effect is Λ'(η) β·d.
            let d: Vec<f64> = match target {
                Target::Column(j) => (0..p).map(|k| if k == j { 1.0 } else { 0.0 }).collect(),
                Target::Variable(v) => design
                    .columns()
                    .iter()
                    .map(|c| match c.kind {
                        ColumnKind::Power { variable, power } if variable == v => {
                            f64::from(power) * v_value.powi(power as i32 - 1)
                        }
                        _ => 0.0,
                    })
                    .collect(),
                Target::Change { .. } => unreachable_zero(p),
            };
            let eta = dot(x, beta);
            let g = logistic_density(eta);
            let slope = dot(beta, &d);
            // Λ'' = Λ'(1 − 2Λ)
            let g_prime = g * (1.0 - 2.0 * expit(eta));
            let grad = (0..p).map(|k| g * d[k] + slope * g_prime * x[k]).collect();
            (g * slope, grad)
        }
    }
}

/// Never reached (the match arm above excludes it); zeros rather than a panic.
fn unreachable_zero(p: usize) -> Vec<f64> {
    vec![0.0; p]
}

/// Sets the columns of one variable in a design row to a setting.
fn apply_setting(design: &Design, x: &mut [f64], setting: Setting) {
    for (k, column) in design.columns().iter().enumerate() {
        match (column.kind, setting) {
            (ColumnKind::Power { variable, power }, Setting::Number(v, value)) if variable == v => {
                x[k] = value.powi(power as i32);
            }
            (ColumnKind::Level { variable, level }, Setting::Level(v, l)) if variable == v => {
                x[k] = if level == l { 1.0 } else { 0.0 };
            }
            _ => {}
        }
    }
}
