//! The stateful bootstrap run: set up once, run in chunks (`run(k)` → progress), then
//! `result()`. The replicates come from one random stream in order, so any chunking
//! gives the same numbers as one run of all replicates; a Web Worker can report
//! progress between chunks, and a reader cancel by dropping the run.

use crate::Request;
use serde::Serialize;
use serde_json::{json, Value};
use sibstat_core::bootstrap::intervals::{acceleration, Intervals};
use sibstat_core::bootstrap::jackknife::influence;
use sibstat_core::bootstrap::rng::Xoshiro256StarStar;
use sibstat_core::bootstrap::{check_statistic_names, Evaluator, Requested, Wrapped};
use sibstat_core::error::WarningCode;
use sibstat_core::error::{Code, Error, Result, Warning};

/// The largest number of replicates a request may ask for.
pub const MAX_REPLICATES: u64 = 1_000_000;
/// The largest replicates × resampling units (rows or cells): the work of the draws.
pub const MAX_REPLICATE_UNITS: f64 = 1e9;
/// The largest replicates × scalar statistics (band times counted): the values kept.
pub const MAX_STORED_VALUES: f64 = 2e7;

/// Settings of a bootstrap run.
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapOptions {
    /// Number of replicates, 1 to [`MAX_REPLICATES`].
    pub replicates: u64,
    /// Seed of the xoshiro256** stream.
    pub seed: u64,
    /// Confidence level in (0, 1).
    pub conf_level: f64,
    /// Resample within the groups of survival data.
    pub strata: bool,
    /// Times of `@grid` statistics (bands).
    pub grid: Option<Vec<f64>>,
}

/// How far a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Replicates drawn.
    pub done: u64,
    /// Replicates requested.
    pub total: u64,
}

/// A bootstrap run in progress: the evaluators of the wrapped request (and of the
/// paired one), the random stream and the replicates drawn so far.
#[derive(Debug, Clone)]
pub struct BootstrapRun {
    primary: Evaluator,
    paired: Option<Evaluator>,
    options: BootstrapOptions,
    rng: Xoshiro256StarStar,
    done: u64,
    t0: Vec<f64>,
    t0_paired: Vec<f64>,
    /// Column-major: `values[s * replicates + r]`.
    values: Vec<f64>,
    paired_values: Vec<f64>,
    counts: Vec<f64>,
    scratch: Vec<f64>,
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
        if options.replicates < 1 || options.replicates > MAX_REPLICATES {
            return Err(Error::new(
                Code::InvalidReplicates,
                format!(
                    "replicates is {}: give a whole number from 1 to {MAX_REPLICATES} (2000 is usual, 10000 for BCa endpoints)",
                    options.replicates
                ),
            ));
        }
        let grid = options.grid.as_deref();
        let primary = Evaluator::new(wrapped(of, statistics)?, statistics, grid, options.strata)?;
        let paired = match paired {
            Some(request) => {
                let other = Evaluator::new(
                    wrapped(request, statistics)?,
                    statistics,
                    grid,
                    options.strata,
                )?;
                if other.units() != primary.units() {
                    return Err(Error::new(
                        Code::PairedMismatch,
                        format!(
                            "the paired request must describe the same individuals in the same rows: its resampling units (rows, or success and failure cells with individuals) and their counts differ from those of \"of\" ({} vs {} units). Give both requests the rows cross-classified by both definitions",
                            other.units().len(),
                            primary.units().len()
                        ),
                    ));
                }
                Some(other)
            }
            None => None,
        };
        let replicates = options.replicates as f64;
        let sets = if paired.is_some() { 2.0 } else { 1.0 };
        let work = replicates * primary.units().len() as f64 * sets;
        let stored = replicates * primary.n_scalars() as f64 * sets;
        if work > MAX_REPLICATE_UNITS || stored > MAX_STORED_VALUES {
            return Err(Error::new(
                Code::InvalidReplicates,
                format!(
                    "{} replicates of {} resampling units and {} values each is too much work for one run (at most {MAX_REPLICATE_UNITS:e} replicates × units and {MAX_STORED_VALUES:e} replicates × values): ask for fewer replicates or grid times",
                    options.replicates,
                    primary.units().len(),
                    primary.n_scalars()
                ),
            ));
        }
        let estimate = |evaluator: &Evaluator| -> Result<Vec<f64>> {
            let mut t0 = vec![0.0; evaluator.n_scalars()];
            evaluator.evaluate(&evaluator.units().counts, &mut t0);
            for r in evaluator.requested() {
                if r.indices.iter().any(|&i| !t0[i].is_finite()) {
                    return Err(Error::new(
                        Code::UndefinedEstimate,
                        format!(
                            "statistic \"{}\" is undefined on the data itself (a median the curve does not reach, a logit that does not converge or is separated): there is nothing to bootstrap",
                            r.name
                        ),
                    ));
                }
            }
            Ok(t0)
        };
        let t0 = estimate(&primary)?;
        let t0_paired = match &paired {
            Some(p) => estimate(p)?,
            None => Vec::new(),
        };
        let n = options.replicates as usize;
        let values = vec![f64::NAN; n * primary.n_scalars()];
        let paired_values = match &paired {
            Some(p) => vec![f64::NAN; n * p.n_scalars()],
            None => Vec::new(),
        };
        Ok(BootstrapRun {
            counts: vec![0.0; primary.units().len()],
            scratch: vec![0.0; primary.n_scalars()],
            rng: Xoshiro256StarStar::seed_from_u64(options.seed),
            primary,
            paired,
            options,
            done: 0,
            t0,
            t0_paired,
            values,
            paired_values,
        })
    }

    /// Replicates drawn and requested.
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.options.replicates,
        }
    }

    /// True once every replicate is drawn.
    pub fn is_finished(&self) -> bool {
        self.done == self.options.replicates
    }

    /// Draws the next `k` replicates (fewer if fewer are left). Errors with
    /// [`Code::InvalidBootstrapState`] for `k = 0` or a finished run.
    pub fn run(&mut self, k: u64) -> Result<Progress> {
        if k == 0 {
            return Err(Error::new(
                Code::InvalidBootstrapState,
                "run(0): give a chunk of at least one replicate",
            ));
        }
        if self.is_finished() {
            return Err(Error::new(
                Code::InvalidBootstrapState,
                "the run is finished: call result()",
            ));
        }
        let end = self.done.saturating_add(k).min(self.options.replicates);
        let n = self.options.replicates as usize;
        for r in self.done as usize..end as usize {
            self.primary
                .units()
                .resample(&mut self.rng, &mut self.counts);
            self.primary.evaluate(&self.counts, &mut self.scratch);
            for (s, &v) in self.scratch.iter().enumerate() {
                self.values[s * n + r] = v;
            }
            if let Some(p) = &self.paired {
                p.evaluate(&self.counts, &mut self.scratch);
                for (s, &v) in self.scratch.iter().enumerate() {
                    self.paired_values[s * n + r] = v;
                }
            }
        }
        self.done = end;
        Ok(self.progress())
    }

    /// The replicate values of scalar statistic `s` of the wrapped request (NaN where
    /// undefined), in the order drawn; for tests and diagnostics.
    pub fn replicates_of(&self, s: usize) -> &[f64] {
        let n = self.options.replicates as usize;
        &self.values[s * n..(s + 1) * n]
    }

    /// The response: estimates, bias, standard errors and the four intervals of every
    /// statistic (and of the paired request and the contrast), bands, warnings.
    /// Errors with [`Code::InvalidBootstrapState`] before every replicate is drawn.
    pub fn result(&self) -> Result<Value> {
        if !self.is_finished() {
            return Err(Error::new(
                Code::InvalidBootstrapState,
                format!(
                    "result() after {} of {} replicates: run the rest first",
                    self.done, self.options.replicates
                ),
            ));
        }
        let conf = self.options.conf_level;
        let n = self.options.replicates as usize;
        let mut warnings = Vec::new();
        let primary_l = influence(self.primary.units(), &self.t0, |c, out| {
            self.primary.evaluate(c, out)
        });
        let weights = &self.primary.units().counts;
        let mut body = json!({
            "analysis": "bootstrap",
            "of": self.primary.analysis(),
            "replicates": self.options.replicates,
            "seed": self.options.seed,
            "conf_level": conf,
            "strata": self.options.strata,
            "prng": "xoshiro256** seeded by SplitMix64",
        });
        let summarise = |t0: &[f64], values: &dyn Fn(usize) -> Vec<f64>, l: &[Option<Vec<f64>>]| {
            (0..t0.len())
                .map(|s| {
                    let column = values(s);
                    let a = l[s].as_ref().and_then(|l| acceleration(l, weights));
                    let failed = column.iter().filter(|v| !v.is_finite()).count();
                    (Intervals::new(t0[s], &column, conf, a), failed, a.is_some())
                })
                .collect::<Vec<_>>()
        };
        let primary = summarise(
            &self.t0,
            &|s| self.values[s * n..(s + 1) * n].to_vec(),
            &primary_l,
        );
        let (statistics, bands) = report(self.primary.requested(), &primary, "", n, &mut warnings);
        body["statistics"] = statistics;
        body["bands"] = bands;
        if let Some(paired) = &self.paired {
            let paired_l = influence(paired.units(), &self.t0_paired, |c, out| {
                paired.evaluate(c, out)
            });
            let second = summarise(
                &self.t0_paired,
                &|s| self.paired_values[s * n..(s + 1) * n].to_vec(),
                &paired_l,
            );
            let (statistics, bands) =
                report(paired.requested(), &second, "paired ", n, &mut warnings);
            body["paired"] =
                json!({"of": paired.analysis(), "statistics": statistics, "bands": bands});
            // The contrast of/paired: differences of replicates, estimates and (the
            // jackknife being linear in t) influence values.
            let t0: Vec<f64> = self
                .t0
                .iter()
                .zip(&self.t0_paired)
                .map(|(a, b)| a - b)
                .collect();
            let l: Vec<Option<Vec<f64>>> = primary_l
                .iter()
                .zip(&paired_l)
                .map(|(a, b)| match (a, b) {
                    (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(x, y)| x - y).collect()),
                    _ => None,
                })
                .collect();
            let contrast = summarise(
                &t0,
                &|s| {
                    self.values[s * n..(s + 1) * n]
                        .iter()
                        .zip(&self.paired_values[s * n..(s + 1) * n])
                        .map(|(a, b)| a - b)
                        .collect()
                },
                &l,
            );
            let (statistics, bands) = report(
                self.primary.requested(),
                &contrast,
                "contrast ",
                n,
                &mut warnings,
            );
            body["contrast"] = json!({"statistics": statistics, "bands": bands});
        }
        body["warnings"] = crate::to_value(&warnings)?;
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

/// The response entries of one set of statistics: scalars in `statistics`, `@grid`
/// statistics in `bands`; warnings for failed replicates and missing BCa.
fn report(
    requested: &[Requested],
    results: &[(Intervals, usize, bool)],
    prefix: &str,
    replicates: usize,
    warnings: &mut Vec<Warning>,
) -> (Value, Value) {
    let mut statistics = Vec::new();
    let mut bands = Vec::new();
    for r in requested {
        let failed: usize = r.indices.iter().map(|&i| results[i].1).max().unwrap_or(0);
        if failed > 0 {
            warnings.push(Warning::new(
                WarningCode::FailedReplicates,
                format!(
                    "{prefix}{}: {failed} of {replicates} replicates are undefined (a median not reached, a logit not converged or separated, an empty group); the intervals use the others",
                    r.name
                ),
            ));
        }
        if r.indices.iter().any(|&i| results[i].0.bca.is_none()) {
            let reason = if r.indices.iter().any(|&i| !results[i].2) {
                "the jackknife acceleration is undefined"
            } else {
                "every replicate lies on one side of the estimate, or too few are defined"
            };
            warnings.push(Warning::new(
                WarningCode::BcaUnavailable,
                format!("{prefix}{}: no BCa interval ({reason})", r.name),
            ));
        }
        match &r.band_times {
            None => {
                let (i, failed) = (&results[r.indices[0]].0, results[r.indices[0]].1);
                statistics.push(json!({
                    "name": r.name,
                    "estimate": i.estimate,
                    "bias": i.bias,
                    "std_err": i.std_err,
                    "percentile": i.percentile,
                    "basic": i.basic,
                    "normal": i.normal,
                    "bca": i.bca,
                    "failed": failed,
                }));
            }
            Some(times) => {
                let get = |f: &dyn Fn(&Intervals) -> Option<f64>| -> Vec<Option<f64>> {
                    r.indices.iter().map(|&i| f(&results[i].0)).collect()
                };
                let interval = |f: fn(&Intervals) -> Option<[f64; 2]>| {
                    json!({
                        "lower": get(&|i| f(i).map(|x| x[0])),
                        "upper": get(&|i| f(i).map(|x| x[1])),
                    })
                };
                bands.push(json!({
                    "name": r.name,
                    "time": times,
                    "estimate": get(&|i| Some(i.estimate)),
                    "bias": get(&|i| i.bias),
                    "std_err": get(&|i| i.std_err),
                    "percentile": interval(|i| i.percentile),
                    "basic": interval(|i| i.basic),
                    "normal": interval(|i| i.normal),
                    "bca": interval(|i| i.bca),
                    "failed": r.indices.iter().map(|&i| results[i].1).collect::<Vec<_>>(),
                }));
            }
        }
    }
    (Value::Array(statistics), Value::Array(bands))
}
