//! Grouped binomial data and the design matrix of a logit model built from its terms.
//!
//! A row stands for `trials` individuals sharing one covariate pattern, `successes` of
//! whom had the outcome; individual data is `trials = 1`. Terms are covariate names
//! (`age`), powers (`age^2`) and categorical covariates (strings), which expand to one
//! indicator column per level other than the reference (`branch=Landmacht`).

use crate::error::{Code, Error, Result};
use crate::survival::validate_counts;
use std::collections::BTreeMap;

/// Largest magnitude of a design value (a covariate or its power).
pub const MAX_DESIGN_VALUE: f64 = 1e100;

/// The values of one covariate, one per row.
#[derive(Debug, Clone, PartialEq)]
pub enum CovariateValues {
    /// Finite numbers.
    Numeric(Vec<f64>),
    /// Labels of a categorical covariate.
    Categorical(Vec<String>),
}

impl CovariateValues {
    fn len(&self) -> usize {
        match self {
            CovariateValues::Numeric(v) => v.len(),
            CovariateValues::Categorical(v) => v.len(),
        }
    }
}

/// Validated grouped binomial rows: whole, non-negative counts with
/// `successes <= trials`, covariates of one type each and of the same length.
#[derive(Debug, Clone, PartialEq)]
pub struct BinomialData {
    successes: Vec<f64>,
    trials: Vec<f64>,
    covariates: BTreeMap<String, CovariateValues>,
}

impl BinomialData {
    /// Validates and builds the rows. `None` counts stand for NaN or infinity.
    pub fn new(
        successes: Vec<Option<f64>>,
        trials: Vec<Option<f64>>,
        covariates: BTreeMap<String, CovariateValues>,
    ) -> Result<Self> {
        let n = trials.len();
        if n == 0 {
            return Err(Error::new(
                Code::EmptyData,
                "data.trials is empty: give at least one row",
            ));
        }
        check_rows("data.successes", successes.len(), n)?;
        for (name, values) in &covariates {
            check_rows(&format!("data.covariates.{name}"), values.len(), n)?;
        }
        let successes = validate_counts("data.successes", successes)?;
        let trials = validate_counts("data.trials", trials)?;
        if let Some(i) = (0..n).find(|&i| successes[i] > trials[i]) {
            return Err(Error::new(
                Code::SuccessesExceedTrials,
                format!(
                    "row {i} has {} successes out of {} trials: successes cannot exceed trials",
                    successes[i], trials[i]
                ),
            ));
        }
        if trials.iter().all(|&t| t == 0.0) {
            return Err(Error::new(
                Code::EmptyData,
                "every row has 0 trials: the data describe no individual",
            ));
        }
        Ok(BinomialData {
            successes,
            trials,
            covariates,
        })
    }

    /// Successes per row.
    pub fn successes(&self) -> &[f64] {
        &self.successes
    }

    /// Trials (individuals) per row.
    pub fn trials(&self) -> &[f64] {
        &self.trials
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.trials.len()
    }
}

fn check_rows(name: &str, len: usize, expected: usize) -> Result<()> {
    if len == expected {
        Ok(())
    } else {
        Err(Error::new(
            Code::LengthMismatch,
            format!("{name} has {len} entries but data.trials has {expected}: give one per row"),
        ))
    }
}

/// What the model is made of: terms, reference levels and covariates declared binary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelSpec {
    /// Terms in order: `age`, `age^2`, `branch`. The intercept is always included
    /// (listing `intercept` is allowed and changes nothing).
    pub terms: Vec<String>,
    /// Reference level per categorical covariate. Without one, the first level in
    /// natural order (numbers numerically, then text) is the reference, as R's factors.
    pub reference: BTreeMap<String, String>,
    /// Numeric 0/1 covariates whose marginal effect is the discrete change 0 → 1.
    pub binary: Vec<String>,
}

/// A covariate as used by the model.
#[derive(Debug, Clone, PartialEq)]
pub enum Variable {
    /// A numeric covariate (binary when declared so and every value is 0 or 1).
    Numeric {
        /// Covariate name.
        name: String,
        /// Value per row.
        values: Vec<f64>,
        /// Declared binary: its marginal effect is a discrete change.
        binary: bool,
    },
    /// A categorical covariate.
    Categorical {
        /// Covariate name.
        name: String,
        /// Levels in natural order.
        levels: Vec<String>,
        /// Index of the reference level.
        reference: usize,
        /// Level index per row.
        codes: Vec<usize>,
    },
}

impl Variable {
    /// The covariate's name.
    pub fn name(&self) -> &str {
        match self {
            Variable::Numeric { name, .. } | Variable::Categorical { name, .. } => name,
        }
    }
}

/// What a design column is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// The constant 1.
    Intercept,
    /// A numeric variable to a power (1 for the variable itself).
    Power {
        /// Index into [`Design::variables`].
        variable: usize,
        /// The power, 1 or more.
        power: u32,
    },
    /// Indicator of one non-reference level of a categorical variable.
    Level {
        /// Index into [`Design::variables`].
        variable: usize,
        /// Index into the variable's levels.
        level: usize,
    },
}

/// A column of the design matrix with its term name.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Term name: `intercept`, `age`, `age^2`, `branch=Landmacht`.
    pub name: String,
    /// What the column is.
    pub kind: ColumnKind,
}

/// A covariate set to a value for a counterfactual row (discrete changes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Setting {
    /// A numeric variable set to a number.
    Number(usize, f64),
    /// A categorical variable set to a level.
    Level(usize, usize),
}

/// The design matrix of a model on a data set: one row per data row (row-major),
/// intercept first, then the columns of the terms in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    variables: Vec<Variable>,
    columns: Vec<Column>,
    /// Row-major values, `n_rows * n_columns`.
    x: Vec<f64>,
    n_rows: usize,
}

impl Design {
    /// Builds the design of `spec` on `data`, checking every name.
    pub fn new(data: &BinomialData, spec: &ModelSpec) -> Result<Self> {
        let mut variables: Vec<Variable> = Vec::new();
        let mut columns = vec![Column {
            name: "intercept".to_string(),
            kind: ColumnKind::Intercept,
        }];
        for raw in &spec.terms {
            let term = raw.trim();
            if term == "intercept" {
                if data.covariates.contains_key("intercept") {
                    return Err(Error::new(
                        Code::UnknownTerm,
                        "a covariate is named intercept, the name of the model's constant term: rename the covariate",
                    ));
                }
                continue;
            }
            let (name, power) = parse_term(term)?;
            let Some(values) = data.covariates.get(name) else {
                return Err(Error::new(
                    Code::UnknownTerm,
                    format!(
                        "term {term:?} names no covariate: data.covariates has {}",
                        known(&data.covariates)
                    ),
                ));
            };
            let index = match variables.iter().position(|v| v.name() == name) {
                Some(i) => i,
                None => {
                    variables.push(make_variable(name, values, spec)?);
                    variables.len() - 1
                }
            };
            let new_columns: Vec<Column> = match &variables[index] {
                Variable::Numeric { .. } => vec![Column {
                    name: if power == 1 {
                        name.to_string()
                    } else {
                        format!("{name}^{power}")
                    },
                    kind: ColumnKind::Power {
                        variable: index,
                        power,
                    },
                }],
                Variable::Categorical {
                    levels, reference, ..
                } => {
                    if levels.len() < 2 {
                        return Err(Error::new(
                            Code::SingularDesign,
                            format!(
                                "term {name} has a single level ({}): a constant cannot be told apart from the intercept",
                                levels[0]
                            ),
                        ));
                    }
                    if power != 1 {
                        return Err(Error::new(
                            Code::UnknownTerm,
                            format!(
                                "term {term:?} raises the categorical covariate {name} to a power: powers need a numeric covariate"
                            ),
                        ));
                    }
                    levels
                        .iter()
                        .enumerate()
                        .filter(|&(l, _)| l != *reference)
                        .map(|(l, level)| Column {
                            name: format!("{name}={level}"),
                            kind: ColumnKind::Level {
                                variable: index,
                                level: l,
                            },
                        })
                        .collect()
                }
            };
            for column in new_columns {
                if columns.iter().any(|c| c.name == column.name) {
                    return Err(Error::new(
                        Code::SingularDesign,
                        format!(
                            "term {} is listed twice: its columns would be collinear",
                            column.name
                        ),
                    ));
                }
                columns.push(column);
            }
        }
        for name in spec.reference.keys() {
            if !variables.iter().any(|v| v.name() == name) {
                return Err(unused(name, "reference", &data.covariates));
            }
        }
        for name in &spec.binary {
            if !variables.iter().any(|v| v.name() == name) {
                return Err(unused(name, "binary", &data.covariates));
            }
        }
        let n_rows = data.n_rows();
        let mut design = Design {
            variables,
            columns,
            x: Vec::new(),
            n_rows,
        };
        let mut x = Vec::with_capacity(n_rows * design.columns.len());
        for i in 0..n_rows {
            x.extend(design.row(i, None));
        }
        let p = design.columns.len();
        // Products of design values enter the information matrix: beyond 1e100 they
        // would overflow, so such values are refused rather than fitted badly.
        if let Some(k) = x
            .iter()
            .position(|v| !v.is_finite() || v.abs() > MAX_DESIGN_VALUE)
        {
            return Err(Error::new(
                Code::InvalidCovariate,
                format!(
                    "term {} exceeds 1e100 in row {}: rescale the covariate (e.g. years instead of days)",
                    design.columns[k % p].name,
                    k / p
                ),
            ));
        }
        design.x = x;
        Ok(design)
    }

    /// The variables (covariates used by the model), in order of first use.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The columns, intercept first.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Number of columns (coefficients).
    pub fn n_columns(&self) -> usize {
        self.columns.len()
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Row `i` of the design matrix.
    pub fn x_row(&self, i: usize) -> &[f64] {
        let p = self.columns.len();
        &self.x[i * p..(i + 1) * p]
    }

    /// Index of the column named `term`.
    pub fn column_index(&self, term: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == term)
    }

    /// Row `i` of the design with one covariate optionally set to another value
    /// (every column of that covariate follows, powers included).
    pub fn row(&self, i: usize, setting: Option<Setting>) -> Vec<f64> {
        self.columns
            .iter()
            .map(|column| match column.kind {
                ColumnKind::Intercept => 1.0,
                ColumnKind::Power { variable, power } => {
                    let value = match setting {
                        Some(Setting::Number(v, value)) if v == variable => value,
                        _ => match &self.variables[variable] {
                            Variable::Numeric { values, .. } => values[i],
                            Variable::Categorical { .. } => f64::NAN,
                        },
                    };
                    value.powi(power as i32)
                }
                ColumnKind::Level { variable, level } => {
                    let code = match setting {
                        Some(Setting::Level(v, l)) if v == variable => l,
                        _ => match &self.variables[variable] {
                            Variable::Categorical { codes, .. } => codes[i],
                            Variable::Numeric { .. } => usize::MAX,
                        },
                    };
                    if code == level {
                        1.0
                    } else {
                        0.0
                    }
                }
            })
            .collect()
    }

    /// Checks that the design has full column rank over the rows with a positive
    /// weight (trials), naming the offending terms: a category without individuals,
    /// a constant column, columns that are linear combinations of earlier ones.
    pub fn check_rank(&self, weights: &[f64]) -> Result<()> {
        let p = self.columns.len();
        let rows: Vec<usize> = (0..self.n_rows).filter(|&i| weights[i] > 0.0).collect();
        // Empty categories (including the reference) first: their message is clearest.
        for variable in &self.variables {
            if let Variable::Categorical {
                name,
                levels,
                reference,
                codes,
            } = variable
            {
                for (l, level) in levels.iter().enumerate() {
                    if !rows.iter().any(|&i| codes[i] == l) {
                        let what = if l == *reference {
                            format!("the reference level {level:?} of {name}")
                        } else {
                            format!("term {name}={level}")
                        };
                        return Err(Error::new(
                            Code::SingularDesign,
                            format!(
                                "{what} has no individuals (no row with trials > 0): its effect cannot be estimated; drop or merge the category"
                            ),
                        ));
                    }
                }
            }
        }
        for (j, column) in self.columns.iter().enumerate().skip(1) {
            let first = self.x_row(rows[0])[j];
            if rows.iter().all(|&i| self.x_row(i)[j] == first) {
                return Err(Error::new(
                    Code::SingularDesign,
                    format!(
                        "term {} is constant ({first}) over every row with individuals: it cannot be told apart from the intercept",
                        column.name
                    ),
                ));
            }
        }
        // Modified Gram–Schmidt on sqrt(weight)-scaled, unit-norm columns, in term
        // order; a column whose residual keeps less than RANK_TOL of its norm is a
        // linear combination of the earlier ones (R's dqrdc2 rule, with a tolerance
        // between R's 1e-11 and 1e-7).
        const RANK_TOL: f64 = 1e-10;
        let mut basis: Vec<Vec<f64>> = Vec::new();
        let mut basis_cols: Vec<usize> = Vec::new();
        // r_matrix[k] is column k of the triangular factor R (R[a][k] = r_matrix[k][a]).
        let mut r_matrix: Vec<Vec<f64>> = Vec::new();
        let mut problems: Vec<String> = Vec::new();
        for j in 0..p {
            let mut col: Vec<f64> = rows
                .iter()
                .map(|&i| weights[i].sqrt() * self.x_row(i)[j])
                .collect();
            let norm = col.iter().map(|v| v * v).sum::<f64>().sqrt();
            if norm == 0.0 || !norm.is_finite() {
                problems.push(format!(
                    "term {} is zero for every individual",
                    self.columns[j].name
                ));
                continue;
            }
            col.iter_mut().for_each(|v| *v /= norm);
            let mut proj = vec![0.0; basis.len()];
            for _ in 0..2 {
                for (k, q) in basis.iter().enumerate() {
                    let d: f64 = q.iter().zip(&col).map(|(a, b)| a * b).sum();
                    proj[k] += d;
                    col.iter_mut().zip(q).for_each(|(c, qv)| *c -= d * qv);
                }
            }
            let residual = col.iter().map(|v| v * v).sum::<f64>().sqrt();
            if residual < RANK_TOL {
                // Solve R c = proj for the coefficients on earlier columns, to name them.
                let k = basis.len();
                let mut c = vec![0.0; k];
                for a in (0..k).rev() {
                    let s: f64 = (a + 1..k).map(|b| r_matrix[b][a] * c[b]).sum();
                    c[a] = (proj[a] - s) / r_matrix[a][a];
                }
                let involved: Vec<&str> = (0..k)
                    .filter(|&a| c[a].abs() > 1e-8)
                    .map(|a| self.columns[basis_cols[a]].name.as_str())
                    .collect();
                problems.push(format!(
                    "term {} is a linear combination of {}",
                    self.columns[j].name,
                    if involved.is_empty() {
                        "earlier terms".to_string()
                    } else {
                        involved.join(", ")
                    }
                ));
                continue;
            }
            col.iter_mut().for_each(|v| *v /= residual);
            let mut r_col = proj;
            r_col.push(residual);
            r_matrix.push(r_col);
            basis.push(col);
            basis_cols.push(j);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::new(
                Code::SingularDesign,
                format!(
                    "the design is singular (collinear columns): {}; drop one of the terms",
                    problems.join("; ")
                ),
            ))
        }
    }
}

fn known(covariates: &BTreeMap<String, CovariateValues>) -> String {
    if covariates.is_empty() {
        "none".to_string()
    } else {
        covariates.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn unused(name: &str, key: &str, covariates: &BTreeMap<String, CovariateValues>) -> Error {
    Error::new(
        Code::UnknownTerm,
        format!(
            "model.{key} names {name:?}, which is no covariate of the model's terms (covariates: {})",
            known(covariates)
        ),
    )
}

/// Splits `name^k` into the name and the power (1 without `^`).
fn parse_term(term: &str) -> Result<(&str, u32)> {
    let bad = || {
        Error::new(
            Code::UnknownTerm,
            format!("term {term:?} is malformed: write a covariate name or a power such as age^2"),
        )
    };
    match term.split_once('^') {
        None if !term.is_empty() => Ok((term, 1)),
        None => Err(bad()),
        Some((name, power)) => {
            let name = name.trim();
            let power: u32 = power.trim().parse().map_err(|_| bad())?;
            if name.is_empty() || !(1..=10).contains(&power) {
                return Err(bad());
            }
            Ok((name, power))
        }
    }
}

fn make_variable(name: &str, values: &CovariateValues, spec: &ModelSpec) -> Result<Variable> {
    let binary = spec.binary.iter().any(|b| b == name);
    match values {
        CovariateValues::Numeric(v) => {
            if spec.reference.contains_key(name) {
                return Err(Error::new(
                    Code::InvalidCovariate,
                    format!(
                        "model.reference gives a level for {name}, which is numeric: only string covariates are categorical"
                    ),
                ));
            }
            if binary {
                if let Some(i) = v.iter().position(|&x| x != 0.0 && x != 1.0) {
                    return Err(Error::new(
                        Code::InvalidCovariate,
                        format!(
                            "{name} is declared binary but row {i} has {}: a binary covariate takes 0 or 1",
                            v[i]
                        ),
                    ));
                }
            }
            Ok(Variable::Numeric {
                name: name.to_string(),
                values: v.clone(),
                binary,
            })
        }
        CovariateValues::Categorical(labels) => {
            if binary {
                return Err(Error::new(
                    Code::InvalidCovariate,
                    format!(
                        "{name} is declared binary but holds strings: a binary covariate is numeric 0/1 (strings are categorical already)"
                    ),
                ));
            }
            let mut levels: Vec<&str> = labels.iter().map(String::as_str).collect();
            crate::order::labels_naturally(&mut levels);
            levels.dedup();
            let levels: Vec<String> = levels.into_iter().map(str::to_string).collect();
            let reference = match spec.reference.get(name) {
                None => 0,
                Some(r) => levels.iter().position(|l| l == r).ok_or_else(|| {
                    Error::new(
                        Code::UnknownReferenceLevel,
                        format!(
                            "reference level {r:?} does not occur in {name}: its levels are {}",
                            levels.join(", ")
                        ),
                    )
                })?,
            };
            let codes = labels
                .iter()
                .map(|l| levels.iter().position(|x| x == l).unwrap_or(0))
                .collect();
            Ok(Variable::Categorical {
                name: name.to_string(),
                levels,
                reference,
                codes,
            })
        }
    }
}
