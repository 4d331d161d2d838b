//! Every number the report shows for one definition state: success counts and bases
//! by cohort, the cohort difference with its tests, the sanction shares against the
//! pre-SIB rate, the payment targets and the logit requests that the published
//! cross-tables support. The page composes no statistics: it reads these.
//!
//! Confidence intervals of the shares and the logit fits are thin calls to the
//! `proportion` and `logit` analyses of the API on the [`Binomial`]s and requests
//! given here.

use super::dataset::Dataset;
use super::definitions::{Cause, Class, DefinitionState};
use serde::Serialize;
use serde_json::{json, Value};
use sibstat_core::binomial::{
    compare_proportions, test_against, Binomial, OneProportionTest, TwoProportionTest,
};
use sibstat_core::error::Result;

/// A column of tables 3.2 and 3.4 that the report shows as a cohort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    /// Entry July 2019 – July 2020.
    Cohort1,
    /// Entry July 2020 – July 2021.
    Cohort2,
    /// Both cohorts.
    All,
}

impl Cohort {
    /// The three cohorts in the report's order.
    pub const ALL: [Cohort; 3] = [Cohort::Cohort1, Cohort::Cohort2, Cohort::All];

    /// The column id in the data file.
    pub fn column(self) -> &'static str {
        match self {
            Cohort::Cohort1 => "cohort1",
            Cohort::Cohort2 => "cohort2",
            Cohort::All => "all",
        }
    }
}

/// Which individuals a success share is taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Those who flowed out, less the excluded: successes / (successes + failures).
    Outflow,
    /// All participants less the excluded (those still in the SIB count as not
    /// successful, yet): successes / (participants − excluded). The base of the
    /// payment targets ("van de deelnemers").
    Participants,
}

/// One outflow cause of a cohort and what the definition makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CauseCount {
    /// The cause.
    pub cause: Cause,
    /// How many flowed out for it (table 3.2).
    pub count: u64,
    /// Success, failure or excluded.
    pub class: Class,
}

/// The outcome of one cohort under one definition state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CohortOutcomes {
    /// The cohort.
    pub cohort: Cohort,
    /// Participants (table 3.2, total).
    pub participants: u64,
    /// Still in the SIB (no outflow).
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

/// The outcome of one cohort under a definition state, from table 3.2.
pub fn cohort_outcomes(
    dataset: &Dataset,
    state: &DefinitionState,
    cohort: Cohort,
) -> Result<CohortOutcomes> {
    let col = cohort.column();
    let participants = dataset.count(&format!("t3_2.outflow.total.{col}.count"))?;
    let no_outflow = dataset.count(&format!("t3_2.outflow.none.{col}.count"))?;
    let mut causes = Vec::with_capacity(Cause::ALL.len());
    let (mut successes, mut failures, mut excluded) = (0u64, 0u64, 0u64);
    for cause in Cause::ALL {
        let count = dataset.count(&format!("t3_2.cause.{}.{col}.count", cause.row_id()))?;
        let class = state.classify(cause);
        match class {
            Class::Success => successes += count,
            Class::Failure => failures += count,
            Class::Excluded => excluded += count,
        }
        causes.push(CauseCount {
            cause,
            count,
            class,
        });
    }
    let outflow = successes + failures + excluded;
    let among_outflow = Binomial::new(successes, successes + failures)?;
    let among_participants = Binomial::new(successes, participants.saturating_sub(excluded))?;
    Ok(CohortOutcomes {
        cohort,
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

/// The outcomes of cohort 1, cohort 2 and both, in that order.
pub fn outcomes(dataset: &Dataset, state: &DefinitionState) -> Result<Vec<CohortOutcomes>> {
    Cohort::ALL
        .into_iter()
        .map(|c| cohort_outcomes(dataset, state, c))
        .collect()
}

/// Wage sanctions of one column of table 3.4 against the pre-SIB rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SanctionShare {
    /// Column id (`cohort1`, `cohort2`, `all`, `min2y`).
    pub column: String,
    /// Sanctions out of the participants with a sanction status: the trials are the
    /// sum of the rows "Geen" and "Wel". For the column "minimaal 2 jaar ziek" that
    /// is 250, not the printed total 253 (a mismatch the reconciliation reports);
    /// the printed 90% / 10% fit 250.
    pub sanctions: Binomial,
    /// The test against the pre-SIB rate (≈ 1/3).
    pub against_pre_sib: OneProportionTest,
}

/// The columns of table 3.4.
pub const SANCTION_COLUMNS: [&str; 4] = ["cohort1", "cohort2", "all", "min2y"];

/// Sanction shares of every column of table 3.4 against the pre-SIB rate.
pub fn sanctions(dataset: &Dataset) -> Result<Vec<SanctionShare>> {
    let reference = pre_sib_rate(dataset)?;
    SANCTION_COLUMNS
        .iter()
        .map(|col| {
            let yes = dataset.count(&format!("t3_4.sanction.yes.{col}.count"))?;
            let none = dataset.count(&format!("t3_4.sanction.none.{col}.count"))?;
            let sanctions = Binomial::new(yes, yes + none)?;
            Ok(SanctionShare {
                column: col.to_string(),
                sanctions,
                against_pre_sib: test_against(sanctions, reference)?,
            })
        })
        .collect()
}

fn number(dataset: &Dataset, id: &str) -> Result<f64> {
    dataset.value(id).ok_or_else(|| {
        sibstat_core::error::Error::new(
            sibstat_core::error::Code::InvalidDataFile,
            format!("data file: the number \"{id}\" is missing"),
        )
    })
}

/// The pre-SIB sanction rate (≈ 1/3, section 3.4).
pub fn pre_sib_rate(dataset: &Dataset) -> Result<f64> {
    number(dataset, "sec3_4.pre_sib_sanction_rate")
}

/// A `logit` request (see docs/API.md) of success on cohort, on the given base, with
/// average marginal effects: the cross-table of table 3.2 under the definition.
pub fn success_logit_request(
    dataset: &Dataset,
    state: &DefinitionState,
    base: Base,
) -> Result<Value> {
    let c1 = cohort_outcomes(dataset, state, Cohort::Cohort1)?.binomial(base);
    let c2 = cohort_outcomes(dataset, state, Cohort::Cohort2)?.binomial(base);
    Ok(cohort_logit(c1, c2))
}

/// A `logit` request of a wage sanction on cohort (table 3.4).
pub fn sanction_logit_request(dataset: &Dataset) -> Result<Value> {
    let s = sanctions(dataset)?;
    let get = |col: &str| s.iter().find(|x| x.column == col).map(|x| x.sanctions);
    match (get("cohort1"), get("cohort2")) {
        (Some(c1), Some(c2)) => Ok(cohort_logit(c1, c2)),
        _ => Err(sibstat_core::error::Error::new(
            sibstat_core::error::Code::InvalidDataFile,
            "data file: table 3.4 lacks a cohort column",
        )),
    }
}

fn cohort_logit(c1: Binomial, c2: Binomial) -> Value {
    json!({
        "analysis": "logit",
        "data": {
            "successes": [c1.successes, c2.successes],
            "trials": [c1.trials, c2.trials],
            "covariates": {"cohort": ["cohort 1", "cohort 2"]}
        },
        "model": {"terms": ["cohort"], "reference": {"cohort": "cohort 1"}},
        "margins": "average"
    })
}

/// The payment targets of box 1 (result measurement, shares of the participants).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Targets {
    /// After two years: 0.355.
    pub two_years: f64,
    /// After four years: 0.60.
    pub four_years: f64,
}

/// The payment targets as fractions.
pub fn targets(dataset: &Dataset) -> Result<Targets> {
    Ok(Targets {
        two_years: number(dataset, "box1.target_2y")? / 100.0,
        four_years: number(dataset, "box1.target_4y")? / 100.0,
    })
}

/// Cohort 1 against cohort 2 on one base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortDifference {
    /// The base of the shares.
    pub base: Base,
    /// Cohort 1.
    pub cohort1: Binomial,
    /// Cohort 2.
    pub cohort2: Binomial,
    /// The difference (cohort 1 − cohort 2) and its tests.
    pub test: TwoProportionTest,
}

/// Every number of the outflow and sanction sections for one definition state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportNumbers {
    /// The state these numbers follow.
    pub state: DefinitionState,
    /// Cohort 1, cohort 2, both.
    pub outcomes: Vec<CohortOutcomes>,
    /// Cohort 1 against cohort 2, among the outflow and among the participants.
    pub cohort_difference: Vec<CohortDifference>,
    /// Sanction shares per column of table 3.4 against the pre-SIB rate.
    pub sanctions: Vec<SanctionShare>,
    /// Sanctions, cohort 1 against cohort 2.
    pub sanction_cohort_difference: TwoProportionTest,
    /// The payment targets.
    pub targets: Targets,
    /// Logit requests: success on cohort (outflow base, participants base) and
    /// sanction on cohort.
    pub logit_requests: Vec<Value>,
}

/// Every number of the outflow and sanction sections for one definition state.
pub fn report_numbers(
    dataset: &Dataset,
    state: &DefinitionState,
    conf_level: f64,
) -> Result<ReportNumbers> {
    let outcomes = outcomes(dataset, state)?;
    let find = |c: Cohort| outcomes.iter().find(|o| o.cohort == c);
    let mut cohort_difference = Vec::new();
    if let (Some(c1), Some(c2)) = (find(Cohort::Cohort1), find(Cohort::Cohort2)) {
        for base in [Base::Outflow, Base::Participants] {
            let (a, b) = (c1.binomial(base), c2.binomial(base));
            cohort_difference.push(CohortDifference {
                base,
                cohort1: a,
                cohort2: b,
                test: compare_proportions(a, b, conf_level)?,
            });
        }
    }
    let sanctions = sanctions(dataset)?;
    let col = |c: &str| {
        sanctions
            .iter()
            .find(|s| s.column == c)
            .map(|s| s.sanctions)
            .unwrap_or(Binomial {
                successes: 0,
                trials: 0,
            })
    };
    let sanction_cohort_difference =
        compare_proportions(col("cohort1"), col("cohort2"), conf_level)?;
    Ok(ReportNumbers {
        state: state.clone(),
        cohort_difference,
        sanction_cohort_difference,
        targets: targets(dataset)?,
        logit_requests: vec![
            success_logit_request(dataset, state, Base::Outflow)?,
            success_logit_request(dataset, state, Base::Participants)?,
            sanction_logit_request(dataset)?,
        ],
        sanctions,
        outcomes,
    })
}
