//! Every number the report shows for one definition state: success counts and bases
//! by cohort, the cohort differences with their tests, the sanction shares against the
//! pre-programme rate, the payment targets and the logit requests that the published
//! cross-tables support. The page composes no statistics: it reads these.
//!
//! Cohorts, causes and tables are those of the package (`Dataset::package`).
//! Confidence intervals of the shares and the logit fits are thin calls to the
//! `proportion` and `logit` analyses of the API on the [`Binomial`]s and requests
//! given here.

use super::dataset::Dataset;
use super::definitions::{Class, DefinitionState, UnknownPolicy};
use serde::Serialize;
use serde_json::Value;
use sibstat_core::binomial::{
    compare_proportions, test_against, Binomial, OneProportionTest, TwoProportionTest,
};
use sibstat_core::error::{Code, Error, Result};

/// Which individuals a success share is taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Those who flowed out, less the excluded: successes / (successes + failures).
    Outflow,
    /// All participants less the excluded (those still in the programme count as not
    /// successful, yet): successes / (participants − excluded). The base of the
    /// payment targets ("van de deelnemers").
    Participants,
}

/// One outflow cause of a cohort and what the definition makes of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CauseCount {
    /// The cause's id.
    pub cause: String,
    /// How many flowed out for it.
    pub count: u64,
    /// Success, failure or excluded.
    pub class: Class,
}

/// The outcome of one cohort (or of every cohort) under one definition state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CohortOutcomes {
    /// The cohort's column id (`cohort1`, `all`).
    pub cohort: String,
    /// Participants (the outflow block's total).
    pub participants: u64,
    /// Still in the programme (no outflow).
    pub no_outflow: u64,
    /// Flowed out: the sum of the causes.
    pub outflow: u64,
    /// Outflows that count as success.
    pub successes: u64,
    /// Outflows that count as failure.
    pub failures: u64,
    /// Outflows left out.
    pub excluded: u64,
    /// Per cause.
    pub causes: Vec<CauseCount>,
    /// successes / (successes + failures).
    pub among_outflow: Binomial,
    /// successes / (participants − excluded).
    pub among_participants: Binomial,
}

impl CohortOutcomes {
    /// The binomial of the given base.
    pub fn binomial(&self, base: Base) -> Binomial {
        match base {
            Base::Outflow => self.among_outflow,
            Base::Participants => self.among_participants,
        }
    }
}

/// The outcome of one cohort column (`cohort1`, ..., or `all`) under a definition state.
pub fn cohort_outcomes(
    dataset: &Dataset,
    state: &DefinitionState,
    column: &str,
) -> Result<CohortOutcomes> {
    match cause_outcomes(dataset, state, column) {
        // A withheld cause: the definition's own block, where the package prints one.
        Err(e) if e.code == Code::WithheldCell => {
            definition_block_outcomes(dataset, state, column)?.ok_or(e)
        }
        other => other,
    }
}

/// The outcomes from a block that counts the state's definition directly (a named
/// definition, or custom causes equal to one), if the package prints one; `causes` is
/// then empty.
fn definition_block_outcomes(
    dataset: &Dataset,
    state: &DefinitionState,
    column: &str,
) -> Result<Option<CohortOutcomes>> {
    let package = &dataset.package;
    let layout = &package.layout.outflow;
    let block = layout.definition_blocks.iter().find(|(id, _)| {
        package
            .definition(id)
            .is_some_and(|d| d.success == state.success && state.excluded.is_empty())
    });
    let Some((_, block)) = block else {
        return Ok(None);
    };
    let table = layout.table.as_str();
    let row = |r: &str| dataset.cell_count(table, block, r, column);
    let (success, failure, unknown) = (row("success")?, row("failure")?, row("unknown")?);
    let participants = dataset.cell_count(table, &layout.block, "total", column)?;
    let no_outflow = dataset.cell_count(table, &layout.block, &layout.none, column)?;
    let (successes, failures, excluded) = match state.unknown {
        UnknownPolicy::Exclude => (success, failure, unknown),
        UnknownPolicy::Success => (success + unknown, failure, 0),
        UnknownPolicy::Failure => (success, failure + unknown, 0),
    };
    Ok(Some(CohortOutcomes {
        cohort: column.to_string(),
        participants,
        no_outflow,
        outflow: success + failure + unknown,
        successes,
        failures,
        excluded,
        causes: Vec::new(),
        among_outflow: Binomial::new(successes, successes + failures)?,
        among_participants: Binomial::new(successes, participants.saturating_sub(excluded))?,
    }))
}

/// The outcomes from the counts of the causes.
fn cause_outcomes(
    dataset: &Dataset,
    state: &DefinitionState,
    column: &str,
) -> Result<CohortOutcomes> {
    let layout = &dataset.package.layout.outflow;
    let table = layout.table.as_str();
    let participants = dataset.cell_count(table, &layout.block, "total", column)?;
    let no_outflow = dataset.cell_count(table, &layout.block, &layout.none, column)?;
    let mut causes = Vec::with_capacity(state.classes().len());
    let (mut successes, mut failures, mut excluded) = (0u64, 0u64, 0u64);
    for (cause, class) in state.classes() {
        let count = dataset.cell_count(table, &layout.causes, cause, column)?;
        match class {
            Class::Success => successes += count,
            Class::Failure => failures += count,
            Class::Excluded => excluded += count,
        }
        causes.push(CauseCount {
            cause: cause.clone(),
            count,
            class: *class,
        });
    }
    let outflow = successes + failures + excluded;
    let among_outflow = Binomial::new(successes, successes + failures)?;
    let among_participants = Binomial::new(successes, participants.saturating_sub(excluded))?;
    Ok(CohortOutcomes {
        cohort: column.to_string(),
        participants,
        no_outflow,
        outflow,
        successes,
        failures,
        excluded,
        causes,
        among_outflow,
        among_participants,
    })
}

/// The outcomes of every cohort and then of all cohorts together, in the package's order.
pub fn outcomes(dataset: &Dataset, state: &DefinitionState) -> Result<Vec<CohortOutcomes>> {
    let package = &dataset.package;
    package
        .cohorts
        .iter()
        .chain(std::iter::once(&package.all))
        .map(|c| cohort_outcomes(dataset, state, &c.id))
        .collect()
}

/// Wage sanctions of one column of the sanctions table against the pre-programme rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SanctionShare {
    /// Column id (`cohort1`, `cohort2`, `all`, `min2y`).
    pub column: String,
    /// Sanctions out of the participants with a sanction status: the trials are the
    /// sum of the rows "Geen" and "Wel". For the column "minimaal 2 jaar ziek" that
    /// is 250, not the printed total 253 (a mismatch the reconciliation reports);
    /// the printed 90% / 10% fit 250.
    pub sanctions: Binomial,
    /// The test against the pre-programme rate (≈ 1/3).
    pub against_pre_sib: OneProportionTest,
}

/// Sanction shares of every column of the sanctions layout against the pre-SIB rate.
pub fn sanctions(dataset: &Dataset) -> Result<Vec<SanctionShare>> {
    let reference = pre_sib_rate(dataset)?;
    let layout = &dataset.package.layout.sanctions;
    layout
        .columns
        .iter()
        .map(|col| sanction_share(dataset, col, reference))
        .collect()
}

fn sanction_share(dataset: &Dataset, col: &str, reference: f64) -> Result<SanctionShare> {
    let layout = &dataset.package.layout.sanctions;
    let yes = dataset.cell_count(&layout.table, &layout.block, &layout.yes, col)?;
    let none = dataset.cell_count(&layout.table, &layout.block, &layout.none, col)?;
    let sanctions = Binomial::new(yes, yes + none)?;
    if sanctions.trials == 0 {
        return Err(Error::new(
            Code::EmptyData,
            format!("the column \"{col}\" of the sanctions table has nobody in it"),
        ));
    }
    Ok(SanctionShare {
        column: col.to_string(),
        sanctions,
        against_pre_sib: test_against(sanctions, reference)?,
    })
}

/// The pre-programme sanction rate (≈ 1/3, section 3.4).
pub fn pre_sib_rate(dataset: &Dataset) -> Result<f64> {
    dataset.role(&dataset.package.layout.numbers.pre_sib_sanction_rate)
}

/// A `logit` request (see docs/API.md) of success on cohort, on the given base, with
/// average marginal effects: the cross-table of the outflow table under the definition.
pub fn success_logit_request(
    dataset: &Dataset,
    state: &DefinitionState,
    base: Base,
) -> Result<Value> {
    let mut cells = Vec::new();
    for cohort in &dataset.package.cohorts {
        let binomial = cohort_outcomes(dataset, state, &cohort.id)?.binomial(base);
        cells.push((cohort.label.en.clone(), binomial));
    }
    cohort_logit(&cells)
}

/// A `logit` request of a wage sanction on cohort (the sanctions table).
pub fn sanction_logit_request(dataset: &Dataset) -> Result<Value> {
    let s = sanctions(dataset)?;
    let mut cells = Vec::new();
    for cohort in &dataset.package.cohorts {
        let share = s.iter().find(|x| x.column == cohort.id).ok_or_else(|| {
            Error::new(
                Code::InvalidDataFile,
                format!(
                    "data file, package.layout.sanctions.columns: the cohort \"{}\" is missing",
                    cohort.id
                ),
            )
        })?;
        cells.push((cohort.label.en.clone(), share.sanctions));
    }
    cohort_logit(&cells)
}

/// Success on cohort (a categorical covariate, the first cohort the reference).
fn cohort_logit(cells: &[(String, Binomial)]) -> Result<Value> {
    let Some((reference, _)) = cells.first() else {
        return Err(Error::new(
            Code::InvalidDataFile,
            "data file, package.cohorts: no cohort",
        ));
    };
    Ok(json!({
        "analysis": "logit",
        "data": {
            "successes": cells.iter().map(|(_, b)| b.successes).collect::<Vec<_>>(),
            "trials": cells.iter().map(|(_, b)| b.trials).collect::<Vec<_>>(),
            "covariates": {"cohort": cells.iter().map(|(label, _)| label.to_ascii_lowercase()).collect::<Vec<_>>()}
        },
        "model": {"terms": ["cohort"], "reference": {"cohort": reference.to_ascii_lowercase()}},
        "margins": "average"
    }))
}

/// The payment targets (result measurement, shares of the participants).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Targets {
    /// After two years: 0.355.
    pub two_years: f64,
    /// After four years: 0.60.
    pub four_years: f64,
}

/// The payment targets as fractions.
pub fn targets(dataset: &Dataset) -> Result<Targets> {
    let roles = &dataset.package.layout.numbers;
    Ok(Targets {
        two_years: dataset.role(&roles.target_2y)? / 100.0,
        four_years: dataset.role(&roles.target_4y)? / 100.0,
    })
}

/// One cohort against a later one on one base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortDifference {
    /// The base of the shares.
    pub base: Base,
    /// The first cohort's column id.
    pub first: String,
    /// The second cohort's column id.
    pub second: String,
    /// The first cohort's share.
    pub cohort1: Binomial,
    /// The second cohort's share.
    pub cohort2: Binomial,
    /// The difference (first − second) and its tests.
    pub test: TwoProportionTest,
}

/// Every number of the outflow and sanction sections for one definition state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportNumbers {
    /// The state these numbers follow.
    pub state: DefinitionState,
    /// Every cohort, then all of them (those computed).
    pub outcomes: Vec<CohortOutcomes>,
    /// Every pair of cohorts (earlier first), among the outflow and among the participants.
    pub cohort_difference: Vec<CohortDifference>,
    /// Sanction shares per column of the sanctions table against the pre-SIB rate.
    pub sanctions: Vec<SanctionShare>,
    /// Sanctions, every pair of cohorts (the first pair is cohort 1 against cohort 2).
    pub sanction_cohort_difference: Vec<CohortDifference>,
    /// The payment targets.
    pub targets: Targets,
    /// Logit requests: success on cohort (outflow base, participants base) and
    /// sanction on cohort; null where a cell it needs is withheld.
    pub logit_requests: Vec<Value>,
    /// The outcomes and sanction shares not computed because a cell is withheld (a
    /// package published from microdata); those computed are in `outcomes` and
    /// `sanctions`, and differences are between computed ones only.
    pub withheld: Vec<WithheldNumber>,
}

/// The pairs (i, j), i < j, of the package's cohorts.
fn cohort_pairs(n: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..n).flat_map(move |i| (i + 1..n).map(move |j| (i, j)))
}

/// Every number of the outflow and sanction sections for one definition state.
pub fn report_numbers(
    dataset: &Dataset,
    state: &DefinitionState,
    conf_level: f64,
) -> Result<ReportNumbers> {
    let package = &dataset.package;
    let mut withheld = Vec::new();
    // Per cohort (and every cohort together): computed, or withheld with its reason.
    let mut outcomes = Vec::new();
    for c in package.cohorts.iter().chain(std::iter::once(&package.all)) {
        match unless_withheld(cohort_outcomes(dataset, state, &c.id))? {
            Ok(o) => outcomes.push(o),
            Err(e) => withheld.push(WithheldNumber::new("outflow", &c.id, e)),
        }
    }
    let outcome = |id: &str| outcomes.iter().find(|o| o.cohort == id);
    let cohorts = &package.cohorts;
    let n = cohorts.len();
    let mut cohort_difference = Vec::new();
    for base in [Base::Outflow, Base::Participants] {
        for (i, j) in cohort_pairs(n) {
            let (Some(first), Some(second)) = (outcome(&cohorts[i].id), outcome(&cohorts[j].id))
            else {
                continue;
            };
            let (a, b) = (first.binomial(base), second.binomial(base));
            if a.trials == 0 || b.trials == 0 {
                continue;
            }
            cohort_difference.push(CohortDifference {
                base,
                first: first.cohort.clone(),
                second: second.cohort.clone(),
                cohort1: a,
                cohort2: b,
                test: compare_proportions(a, b, conf_level)?,
            });
        }
    }
    let reference = pre_sib_rate(dataset)?;
    let mut sanctions = Vec::new();
    for col in &package.layout.sanctions.columns {
        match unless_withheld(sanction_share(dataset, col, reference))? {
            Ok(s) => sanctions.push(s),
            Err(e) => withheld.push(WithheldNumber::new("sanctions", col, e)),
        }
    }
    let column = |c: &str| {
        sanctions
            .iter()
            .find(|s| s.column == c)
            .map(|s| s.sanctions)
    };
    let mut sanction_cohort_difference = Vec::new();
    for (i, j) in cohort_pairs(n) {
        let (Some(a), Some(b)) = (column(&cohorts[i].id), column(&cohorts[j].id)) else {
            continue;
        };
        if a.trials == 0 || b.trials == 0 {
            continue;
        }
        sanction_cohort_difference.push(CohortDifference {
            base: Base::Participants,
            first: cohorts[i].id.clone(),
            second: cohorts[j].id.clone(),
            cohort1: a,
            cohort2: b,
            test: compare_proportions(a, b, conf_level)?,
        });
    }
    Ok(ReportNumbers {
        state: state.clone(),
        cohort_difference,
        sanction_cohort_difference,
        targets: targets(dataset)?,
        logit_requests: [
            success_logit_request(dataset, state, Base::Outflow),
            success_logit_request(dataset, state, Base::Participants),
            sanction_logit_request(dataset),
        ]
        .into_iter()
        .map(|r| Ok(unless_withheld(r)?.unwrap_or(Value::Null)))
        .collect::<Result<Vec<Value>>>()?,
        sanctions,
        outcomes,
        withheld,
    })
}

/// A result, or as a value the error of a number the package does not allow
/// (`withheld_cell`, `grouped_duration`, or `empty_data`: a column without anyone in
/// it); any other error propagates.
pub fn unless_withheld<T>(result: Result<T>) -> Result<std::result::Result<T, Error>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(e)
            if matches!(
                e.code,
                Code::WithheldCell | Code::GroupedDuration | Code::EmptyData
            ) =>
        {
            Ok(Err(e))
        }
        Err(e) => Err(e),
    }
}

/// A number of the report not computed because a cell it needs is withheld (or its
/// column has nobody in it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WithheldNumber {
    /// The part of the report: `outflow`, `sanctions`.
    pub part: &'static str,
    /// The column (cohort id, `all`, or another column).
    pub column: String,
    /// Which cell is withheld, and by which rule (or that the column is empty).
    pub message: String,
    /// True when the column is empty rather than withheld.
    pub empty: bool,
}

impl WithheldNumber {
    fn new(part: &'static str, column: &str, error: Error) -> WithheldNumber {
        WithheldNumber {
            part,
            column: column.to_string(),
            empty: error.code == Code::EmptyData,
            message: error.message,
        }
    }
}
