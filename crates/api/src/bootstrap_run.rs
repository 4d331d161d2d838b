//! The chunked bootstrap run as the API offers it: the core's [`Run`] with its
//! result written as JSON. The run itself (replicates, stored values, intervals) is
//! the core's; here only requests become core inputs and results become JSON.

use crate::Request;
use serde_json::Value;
use sibstat_core::bootstrap::{check_statistic_names, Run, Wrapped};
use sibstat_core::error::{Code, Error, Result};

pub use sibstat_core::bootstrap::{
    Options as BootstrapOptions, Progress, MAX_REPLICATES, MAX_REPLICATE_UNITS, MAX_STORED_VALUES,
};

/// A bootstrap run in progress; see [`Run`].
#[derive(Debug, Clone)]
pub struct BootstrapRun {
    run: Run,
}

impl BootstrapRun {
    /// Validates the statistics against the wrapped request(s), computes the
    /// estimates on the data and prepares the run; no replicate is drawn yet.
    pub fn new(
        of: &Request,
        paired: Option<&Request>,
        statistics: &[String],
        options: BootstrapOptions,
    ) -> Result<Self> {
        let of = wrapped(of, statistics)?;
        let paired = paired.map(|p| wrapped(p, statistics)).transpose()?;
        Ok(BootstrapRun {
            run: Run::new(of, paired, statistics, options)?,
        })
    }

    /// Replicates drawn and requested.
    pub fn progress(&self) -> Progress {
        self.run.progress()
    }

    /// True once every replicate is drawn.
    pub fn is_finished(&self) -> bool {
        self.run.is_finished()
    }

    /// Draws the next `k` replicates; see [`Run::run`].
    pub fn run(&mut self, k: u64) -> Result<Progress> {
        self.run.run(k)
    }

    /// The core run, for tests and diagnostics.
    pub fn core(&self) -> &Run {
        &self.run
    }

    /// The response: `{"analysis": "bootstrap", ...}` with the core's result.
    pub fn result(&self) -> Result<Value> {
        let mut body = crate::to_value(&self.run.result()?)?;
        body["analysis"] = Value::from("bootstrap");
        Ok(body)
    }
}

/// The core input of a request the bootstrap can wrap; other analyses are refused
/// once the statistic names are checked for their forms.
pub fn wrapped(request: &Request, names: &[String]) -> Result<Wrapped> {
    if names.is_empty() {
        // Refused before the wrapped request is looked at, whatever it holds.
        check_statistic_names(names)?;
    }
    Ok(match request {
        Request::KaplanMeier(r) => Wrapped::KaplanMeier(r.to_core()?.0),
        Request::CumulativeIncidence(r) => Wrapped::CumulativeIncidence(r.to_core()?.0),
        Request::Logit(r) => Wrapped::Logit(r.to_core()?.0),
        Request::Proportion(r) => Wrapped::Proportion(r.to_core()?),
        Request::Summary(r) => Wrapped::Summary(r.to_core()?),
        Request::Logrank(_) | Request::LifeTable(_) | Request::Bootstrap(_) | Request::Guyot(_) => {
            let which = match request {
                Request::Logrank(_) => "logrank",
                Request::LifeTable(_) => "life_table",
                Request::Guyot(_) => "guyot",
                _ => "bootstrap",
            };
            check_statistic_names(names)?;
            return Err(Error::new(
                Code::StatisticNotAvailable,
                format!(
                    "the bootstrap cannot wrap a {which} request: wrap kaplan_meier, cumulative_incidence, logit, proportion or summary"
                ),
            ));
        }
    })
}
