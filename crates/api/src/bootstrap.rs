//! The request of the bootstrap (docs/API.md, "Bootstrap").
//!
//! `{"analysis": "bootstrap", "of": <request>, "statistics": [..], "replicates"?: 2000,
//! "seed"?: 1, "conf_level"?: 0.95, "strata"?: false, "paired"?: <request>,
//! "grid"?: [times]}`
//!
//! - `of`: the wrapped request (kaplan_meier, cumulative_incidence, logit, proportion
//!   or summary), validated as on its own.
//! - `statistics`: names as listed in [`crate::bootstrap::Evaluator`]: `survival@T`,
//!   `median`, `cif<k>@T` (with `[group]` for grouped survival data, e.g.
//!   `survival@12[cohort 1]`), `coef:<term>`, `ame:<term>`, `estimate`, `mean`,
//!   `median`; `survival@grid` and `cif<k>@grid` are pointwise bands at the `grid` times.
//! - `replicates`: 1 to 1,000,000 (and replicates × rows at most 1e9); default 2000.
//! - `seed`: a whole number from 0 to 2^53; default 1. The same seed gives the same
//!   numbers natively and in WebAssembly.
//! - `strata`: resample within the groups of survival data.
//! - `paired`: a second request on the same individuals (the same rows with the same
//!   counts, e.g. another success definition of the same survival rows): both are
//!   evaluated on the same resamples, and the response adds `paired` (its statistics)
//!   and `contrast` (of − paired, with intervals for the difference).
//!
//! Response: `{analysis, of, replicates, seed, conf_level, strata, prng, statistics:
//! [{name, estimate, bias, std_err, percentile, basic, normal, bca, failed}], bands:
//! [{name, time, estimate, bias, std_err, percentile: {lower, upper}, basic, normal,
//! bca, failed}], paired?: {of, statistics, bands}, contrast?: {statistics, bands},
//! warnings}`. Each interval is `[lower, upper]` or `null` (never NaN); warnings
//! `failed_replicates` (undefined replicates, counted in `failed` and left out of the
//! intervals) and `bca_unavailable`.

use super::{check_conf_level, Request};
use crate::bootstrap_run::{BootstrapOptions, BootstrapRun, MAX_REPLICATES};
use serde::Deserialize;
use serde_json::{Number, Value};
use sibstat_core::error::{Code, Error, Result};

/// The bootstrap's request; see the module docs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BootstrapRequest {
    /// The wrapped request.
    pub of: Value,
    /// Statistic names.
    pub statistics: Vec<String>,
    /// Number of replicates, default 2000.
    #[serde(default)]
    pub replicates: Option<Number>,
    /// Seed of the random stream, default 1.
    #[serde(default)]
    pub seed: Option<Number>,
    /// Confidence level, default 0.95.
    #[serde(default)]
    pub conf_level: Option<f64>,
    /// Resample within groups, default false.
    #[serde(default)]
    pub strata: Option<bool>,
    /// A second request on the same individuals, for paired contrasts.
    #[serde(default)]
    pub paired: Option<Value>,
    /// Times of the `@grid` bands.
    #[serde(default)]
    pub grid: Option<Vec<Option<f64>>>,
}

/// Default number of replicates.
pub const DEFAULT_REPLICATES: u64 = 2000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 1;
/// The largest seed: 2^53, the largest whole number every JavaScript number holds
/// exactly, so a seed typed in the page reaches the engine unchanged.
pub const MAX_SEED: u64 = 1 << 53;

impl BootstrapRequest {
    /// Validates the request and prepares a run (no replicate drawn yet), for the
    /// chunked use of the WebAssembly handle.
    pub fn start(&self) -> Result<BootstrapRun> {
        let replicates = match &self.replicates {
            None => DEFAULT_REPLICATES,
            Some(n) => whole(n).ok_or_else(|| {
                Error::new(
                    Code::InvalidReplicates,
                    format!("replicates is {n}: give a whole number from 1 to {MAX_REPLICATES}"),
                )
            })?,
        };
        let seed = match &self.seed {
            None => DEFAULT_SEED,
            Some(n) => whole(n).filter(|&s| s <= MAX_SEED).ok_or_else(|| {
                Error::new(
                    Code::InvalidSeed,
                    format!("seed is {n}: give a whole number from 0 to 2^53 = {MAX_SEED}"),
                )
            })?,
        };
        let conf_level = check_conf_level(self.conf_level)?;
        let grid = match &self.grid {
            None => None,
            Some(times) if times.is_empty() => {
                return Err(Error::new(
                    Code::InvalidTimePoint,
                    "grid is empty: give the times of the band",
                ))
            }
            Some(times) => Some(sibstat_core::survival::finite_values(
                "grid",
                times.clone(),
            )?),
        };
        let of = Request::from_value(self.of.clone()).map_err(|e| prefixed("of", e))?;
        let paired = match &self.paired {
            Some(p) => Some(Request::from_value(p.clone()).map_err(|e| prefixed("paired", e))?),
            None => None,
        };
        BootstrapRun::new(
            &of,
            paired.as_ref(),
            &self.statistics,
            BootstrapOptions {
                replicates,
                seed,
                conf_level,
                strata: self.strata.unwrap_or(false),
                grid,
            },
        )
    }

    pub(super) fn run(self) -> Result<Value> {
        let mut run = self.start()?;
        let total = run.progress().total;
        run.run(total)?;
        run.result()
    }
}

/// A JSON number that is a whole number from 0 to 2^64 − 1, given as an integer or as
/// a float with no fraction (JavaScript's numbers may arrive as either).
fn whole(n: &Number) -> Option<u64> {
    n.as_u64().or_else(|| {
        n.as_f64()
            .filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x < 18_446_744_073_709_551_616.0)
            .map(|x| x as u64)
    })
}

/// Says in which request an error arose, keeping its code.
fn prefixed(key: &str, error: Error) -> Error {
    Error::new(error.code, format!("in \"{key}\": {}", error.message))
}
