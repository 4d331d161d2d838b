//! A report package on the sibstat engine, first of all the Social Impact Bond "Joining
//! Forces": the published numbers of chapter 3 of the interim evaluation (SEO, 19
//! January 2022) with their provenance, its cohorts, causes and success definitions
//! (the data file's `package`, see `data/README.md`), and the reconciliation of the
//! printed numbers; the reconstruction of figure 3.2 ([`reconstruct_with`], assumptions
//! in `reconstruction.json`), the 28-month result measurement ([`result_measurement`])
//! and the page's response ([`PreparedReport::view`], whose module documentation lists
//! every key). Nothing of the report is in the code: another package (a later round,
//! a third cohort, another cause) is other data.
//!
//! ```
//! use sibstat_report::{PreparedReport, DefinitionState};
//! use serde_json::json;
//! let data = include_str!("../../../data/joining_forces.json");
//! let assumptions = include_str!("../../../data/reconstruction.json");
//! let report = PreparedReport::from_json(data, assumptions).unwrap();
//! let effect = DefinitionState::report_default(&report.dataset().package).unwrap();
//! let cohort1 = sibstat_report::cohort_outcomes(report.dataset(), &effect, "cohort1").unwrap();
//! // Table 3.2, cohort 1: own job 116 + elsewhere in Defence 9 + outside Defence 5
//! // succeed; 210 outflows less 31 of unknown cause leave a base of 179.
//! assert_eq!((cohort1.among_outflow.successes, cohort1.among_outflow.trials), (130, 179));
//! // A toggle is answered from the prepared report: cohort 2, 41 / 55.
//! let view = report.view(&json!({"cohort": "2"})).unwrap();
//! assert_eq!(view["outflow"]["current"], "2");
//! ```

#[macro_use]
mod json;

mod dataset;
mod definitions;
mod outcomes;
mod package;
mod published_duration;
mod reconciliation;
mod reconstruction;
mod report;
mod request;
mod result_measurement;

pub use dataset::{
    Block, BlockKind, Cell, Column, ColumnSum, Dataset, Effect, EffectRow, Entry, FrequencyTable,
    ModelTable, Number, ObservationsRow, Relation, RelationKind, Report, Row, Source, Tier,
    TotalRow, Unit, MAX_COUNT, SCHEMA_VERSION,
};
pub use definitions::{Class, DefinitionRequest, DefinitionState, UnknownPolicy};
pub use outcomes::{
    cohort_outcomes, outcomes, pre_sib_rate, report_numbers, sanction_logit_request, sanctions,
    success_logit_request, targets, Base, CauseCount, CohortDifference, CohortOutcomes,
    ReportNumbers, SanctionShare, Targets,
};
pub use package::{
    Band, CauseSpec, CohortSpec, ColumnLabel, DefinitionSpec, Labels, Layout, NumberRoles,
    OutflowLayout, Package, SanctionLayout, SicknessLayout,
};
pub use published_duration::{DurationCohort, PublishedDuration, Step, DURATION_ROWS_KIND};
pub use reconciliation::{reconcile, Check, Finding, Operand, Reconciliation, Role, ROUNDING};
pub use reconstruction::{
    any_outflow, largest_remainder, reconstruct_with, target_counts, Assumption, Assumptions,
    CohortCounts, CohortRatio, CohortWindow, CurveTarget, FitPoint, Group, HazardParameters,
    HazardPiece, LifeTableRow, Reconstruction, SolverSettings, RECONSTRUCTION_SCHEMA_VERSION,
};
pub use report::{with_fixed_parts, PreparedReport, ViewState, FIXED_PARTS};
#[cfg(feature = "embedded")]
pub use request::analyse;
pub use request::JoiningForcesRequest;
pub use result_measurement::{result_measurement, BandResult, ResultMeasurement};
pub use sibstat_core::binomial::{
    compare_proportions, fisher_two_sided, test_against, Binomial, OneProportionTest,
    TwoProportionTest,
};

#[cfg(feature = "embedded")]
use sibstat_core::error::Result;

/// The Joining Forces data file, embedded in native builds only (feature `embedded`):
/// the WebAssembly module carries no report, the page hands it the package's files.
#[cfg(feature = "embedded")]
pub const PUBLISHED_JSON: &str = include_str!("../../../data/joining_forces.json");

/// The Joining Forces reconstruction assumptions, embedded in native builds only.
#[cfg(feature = "embedded")]
pub const RECONSTRUCTION_JSON: &str = include_str!("../../../data/reconstruction.json");

/// The embedded data file, loaded and validated.
#[cfg(feature = "embedded")]
pub fn published() -> Result<Dataset> {
    Dataset::from_json(PUBLISHED_JSON)
}

/// The embedded reconstruction assumptions, loaded and validated.
#[cfg(feature = "embedded")]
pub fn shipped_assumptions() -> Result<Assumptions> {
    Assumptions::from_json(RECONSTRUCTION_JSON)
}

/// The embedded package, prepared once per process.
#[cfg(feature = "embedded")]
pub fn shipped() -> Result<&'static PreparedReport> {
    static SHIPPED: std::sync::OnceLock<std::result::Result<PreparedReport, sibstat_core::Error>> =
        std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| PreparedReport::from_json(PUBLISHED_JSON, RECONSTRUCTION_JSON))
        .as_ref()
        .map_err(Clone::clone)
}

/// Reconstructs figure 3.2 of the embedded package.
#[cfg(feature = "embedded")]
pub fn reconstruct(dataset: &Dataset) -> Result<Reconstruction> {
    reconstruct_with(dataset, &shipped_assumptions()?)
}
