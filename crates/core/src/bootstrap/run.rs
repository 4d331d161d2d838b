//! A bootstrap run: set up once ([`Run::new`]), draw replicates in chunks
//! ([`Run::run`] → [`Progress`]), then the typed result ([`Run::result`] →
//! [`BootstrapResult`]). The replicates come from one random stream in order, so any
//! chunking gives the same numbers as one run of all replicates; a Web Worker can
//! report progress between chunks, and a reader cancel by dropping the run.

use super::intervals::{acceleration, Intervals};
use super::jackknife::influence;
use super::resample::Sampler;
use super::rng::Xoshiro256StarStar;
use super::statistics::{Evaluator, Requested, Workspace, Wrapped};
use crate::error::{Code, Error, Result, Warning, WarningCode};
use serde::Serialize;

/// The largest number of replicates a request may ask for.
pub const MAX_REPLICATES: u64 = 1_000_000;
/// The largest replicates × resampling units (rows or cells): the work of the draws.
pub const MAX_REPLICATE_UNITS: f64 = 1e9;
/// The largest replicates × scalar statistics (band times counted): the values kept.
pub const MAX_STORED_VALUES: f64 = 2e7;
/// The random stream, as the response names it.
pub const PRNG: &str = "xoshiro256** seeded by SplitMix64";

/// Settings of a bootstrap run.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
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

/// One scalar statistic's result: the estimate, bootstrap bias and standard error,
/// R's four `boot.ci` intervals (`None` where R gives none) and the failed replicates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatisticResult {
    /// The name as requested.
    pub name: String,
    /// The estimate, bias, standard error and intervals (their keys, inline).
    #[serde(flatten)]
    pub intervals: Intervals,
    /// Replicates where the statistic is undefined, left out of the intervals.
    pub failed: usize,
}

/// Pointwise limits along a band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandLimits {
    /// Lower limit at each time.
    pub lower: Vec<Option<f64>>,
    /// Upper limit at each time.
    pub upper: Vec<Option<f64>>,
}

/// A `@grid` statistic: the same entries as [`StatisticResult`] at each grid time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandResult {
    /// The name as requested (`survival@grid`, ...).
    pub name: String,
    /// The grid times.
    pub time: Vec<f64>,
    /// Estimates.
    pub estimate: Vec<f64>,
    /// Biases.
    pub bias: Vec<Option<f64>>,
    /// Standard errors.
    pub std_err: Vec<Option<f64>>,
    /// Percentile band.
    pub percentile: BandLimits,
    /// Basic band.
    pub basic: BandLimits,
    /// Normal band.
    pub normal: BandLimits,
    /// BCa band.
    pub bca: BandLimits,
    /// Failed replicates at each time.
    pub failed: Vec<usize>,
}

/// The results of one set of statistics (the wrapped request, the paired one, or
/// their contrast).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetResult {
    /// Scalar statistics, in request order.
    pub statistics: Vec<StatisticResult>,
    /// Bands, in request order.
    pub bands: Vec<BandResult>,
}

/// The paired request's results, with the analysis it wraps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedResult {
    /// The paired request's analysis.
    pub of: &'static str,
    /// Its statistics and bands.
    #[serde(flatten)]
    pub set: SetResult,
}

/// The result of a finished run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapResult {
    /// The wrapped analysis.
    pub of: &'static str,
    /// Replicates drawn.
    pub replicates: u64,
    /// The seed.
    pub seed: u64,
    /// Confidence level of the intervals.
    pub conf_level: f64,
    /// Resampled within groups.
    pub strata: bool,
    /// The random stream ([`PRNG`]).
    pub prng: &'static str,
    /// The wrapped request's statistics and bands.
    #[serde(flatten)]
    pub set: SetResult,
    /// The paired request's, when one is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paired: Option<PairedResult>,
    /// of − paired, when a paired request is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contrast: Option<SetResult>,
    /// Failed replicates, missing BCa intervals.
    pub warnings: Vec<Warning>,
}

/// A bootstrap run in progress: the evaluators of the wrapped request (and of the
/// paired one), the sampler, the random stream and the replicates drawn so far.
#[derive(Debug, Clone)]
pub struct Run {
    primary: Evaluator,
    paired: Option<Evaluator>,
    sampler: Sampler,
    options: Options,
    rng: Xoshiro256StarStar,
    done: u64,
    t0: Vec<f64>,
    t0_paired: Vec<f64>,
    /// Column-major: `values[s * replicates + r]`.
    values: Vec<f64>,
    paired_values: Vec<f64>,
    counts: Vec<f64>,
    scratch: Vec<f64>,
    workspace: Workspace,
}

impl Run {
    /// Validates the statistics against the wrapped analysis (and the paired one),
    /// computes the estimates on the data and prepares the run; no replicate is
    /// drawn yet.
    pub fn new(
        of: Wrapped,
        paired: Option<Wrapped>,
        statistics: &[String],
        options: Options,
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
        let primary = Evaluator::new(of, statistics, grid, options.strata)?;
        let paired = match paired {
            Some(wrapped) => {
                let other = Evaluator::new(wrapped, statistics, grid, options.strata)?;
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
        Ok(Run {
            counts: vec![0.0; primary.units().len()],
            scratch: vec![0.0; primary.n_scalars()],
            sampler: primary.units().sampler(),
            rng: Xoshiro256StarStar::seed_from_u64(options.seed),
            workspace: Workspace::default(),
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

    /// The sampler (how each stratum is drawn).
    pub fn sampler(&self) -> &Sampler {
        &self.sampler
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
            self.sampler.resample(&mut self.rng, &mut self.counts);
            self.primary
                .evaluate_with(&self.counts, &mut self.scratch, &mut self.workspace);
            for (s, &v) in self.scratch.iter().enumerate() {
                self.values[s * n + r] = v;
            }
            if let Some(p) = &self.paired {
                p.evaluate_with(&self.counts, &mut self.scratch, &mut self.workspace);
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

    /// Estimates, bias, standard errors and the four intervals of every statistic
    /// (and of the paired request and the contrast), bands, warnings. Errors with
    /// [`Code::InvalidBootstrapState`] before every replicate is drawn.
    pub fn result(&self) -> Result<BootstrapResult> {
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
        let mut workspace = Workspace::default();
        let primary_l = influence(self.primary.units(), &self.t0, |c, out| {
            self.primary.evaluate_with(c, out, &mut workspace)
        });
        let weights = &self.primary.units().counts;
        let summarise = |t0: &[f64], values: &dyn Fn(usize) -> Vec<f64>, l: &[Option<Vec<f64>>]| {
            (0..t0.len())
                .map(|s| {
                    let column = values(s);
                    let a = l[s].as_ref().and_then(|l| acceleration(l, weights));
                    let failed = column.iter().filter(|v| !v.is_finite()).count();
                    Summary {
                        intervals: Intervals::new(t0[s], &column, conf, a),
                        failed,
                        accelerated: a.is_some(),
                    }
                })
                .collect::<Vec<_>>()
        };
        let primary = summarise(
            &self.t0,
            &|s| self.values[s * n..(s + 1) * n].to_vec(),
            &primary_l,
        );
        let set = report(self.primary.requested(), &primary, "", n, &mut warnings);
        let (mut paired_result, mut contrast_result) = (None, None);
        if let Some(paired) = &self.paired {
            let paired_l = influence(paired.units(), &self.t0_paired, |c, out| {
                paired.evaluate_with(c, out, &mut workspace)
            });
            let second = summarise(
                &self.t0_paired,
                &|s| self.paired_values[s * n..(s + 1) * n].to_vec(),
                &paired_l,
            );
            paired_result = Some(PairedResult {
                of: paired.analysis(),
                set: report(paired.requested(), &second, "paired ", n, &mut warnings),
            });
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
            contrast_result = Some(report(
                self.primary.requested(),
                &contrast,
                "contrast ",
                n,
                &mut warnings,
            ));
        }
        Ok(BootstrapResult {
            of: self.primary.analysis(),
            replicates: self.options.replicates,
            seed: self.options.seed,
            conf_level: conf,
            strata: self.options.strata,
            prng: PRNG,
            set,
            paired: paired_result,
            contrast: contrast_result,
            warnings,
        })
    }
}

/// The estimates on the data; an error when one is undefined.
fn estimate(evaluator: &Evaluator) -> Result<Vec<f64>> {
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
}

/// One scalar statistic's intervals, failed replicates, and whether its jackknife
/// acceleration is defined.
struct Summary {
    intervals: Intervals,
    failed: usize,
    accelerated: bool,
}

/// The results of one set of statistics: scalars, and `@grid` statistics as bands;
/// warnings for failed replicates and missing BCa.
fn report(
    requested: &[Requested],
    results: &[Summary],
    prefix: &str,
    replicates: usize,
    warnings: &mut Vec<Warning>,
) -> SetResult {
    let mut statistics = Vec::new();
    let mut bands = Vec::new();
    for r in requested {
        let at = |k: usize| &results[r.indices[k]];
        let each = || r.indices.iter().map(|&i| &results[i]);
        let failed = each().map(|s| s.failed).max().unwrap_or(0);
        if failed > 0 {
            warnings.push(Warning::new(
                WarningCode::FailedReplicates,
                format!(
                    "{prefix}{}: {failed} of {replicates} replicates are undefined (a median not reached, a logit not converged or separated, an empty group); the intervals use the others",
                    r.name
                ),
            ));
        }
        if each().any(|s| s.intervals.bca.is_none()) {
            let reason = if each().any(|s| !s.accelerated) {
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
                statistics.push(StatisticResult {
                    name: r.name.clone(),
                    intervals: at(0).intervals.clone(),
                    failed: at(0).failed,
                });
            }
            Some(times) => {
                let limits = |f: fn(&Intervals) -> Option<[f64; 2]>| BandLimits {
                    lower: each().map(|s| f(&s.intervals).map(|x| x[0])).collect(),
                    upper: each().map(|s| f(&s.intervals).map(|x| x[1])).collect(),
                };
                bands.push(BandResult {
                    name: r.name.clone(),
                    time: times.clone(),
                    estimate: each().map(|s| s.intervals.estimate).collect(),
                    bias: each().map(|s| s.intervals.bias).collect(),
                    std_err: each().map(|s| s.intervals.std_err).collect(),
                    percentile: limits(|i| i.percentile),
                    basic: limits(|i| i.basic),
                    normal: limits(|i| i.normal),
                    bca: limits(|i| i.bca),
                    failed: each().map(|s| s.failed).collect(),
                });
            }
        }
    }
    SetResult { statistics, bands }
}
