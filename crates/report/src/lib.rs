//! The Social Impact Bond "Joining Forces": the published numbers of chapter 3 of the
//! interim evaluation (SEO, 19 January 2022) with their provenance, the success
//! definitions, and the reconciliation of the printed numbers; the reconstruction of
//! figure 3.2 ([`reconstruct`], assumptions in `data/reconstruction.json`), the
//! 28-month result measurement ([`result_measurement`]) and the response of the
//! report page's `joining_forces` request ([`report_response`], whose module
//! documentation lists every key).
//!
//! ```
//! use sibstat_report::{self as joining_forces, Cohort, DefinitionState};
//! let data = joining_forces::published().unwrap();
//! let effect = DefinitionState::effect();
//! let cohort1 = joining_forces::cohort_outcomes(&data, &effect, Cohort::Cohort1).unwrap();
//! // Table 3.2, cohort 1: own job 116 + elsewhere in Defence 9 + outside Defence 5
//! // succeed; 210 outflows less 31 of unknown cause leave a base of 179.
//! assert_eq!((cohort1.among_outflow.successes, cohort1.among_outflow.trials), (130, 179));
//! ```

mod dataset;
mod definitions;
mod outcomes;
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
pub use definitions::{
    Cause, Class, Definition, DefinitionRequest, DefinitionState, UnknownPolicy,
};
pub use outcomes::{
    cohort_outcomes, outcomes, pre_sib_rate, report_numbers, sanction_logit_request, sanctions,
    success_logit_request, targets, Base, CauseCount, Cohort, CohortDifference, CohortOutcomes,
    ReportNumbers, SanctionShare, Targets, SANCTION_COLUMNS,
};
pub use reconciliation::{reconcile, Check, Finding, Operand, Reconciliation, Role, ROUNDING};
pub use reconstruction::{
    any_outflow, largest_remainder, reconstruct, reconstruct_with, target_counts, Assumption,
    Assumptions, CohortCounts, CohortWindow, CurveTarget, FitPoint, Group, HazardParameters,
    HazardPiece, LifeTableRow, Reconstruction, SolverSettings, RECONSTRUCTION_JSON,
};
pub use report::{cause_label_en, cohort_key, report_response, unknown_key, ViewState};
pub use request::{analyse, JoiningForcesRequest};
pub use result_measurement::{result_measurement, BandResult, ResultMeasurement, SICKNESS_BANDS};
pub use sibstat_core::binomial::{
    compare_proportions, fisher_two_sided, test_against, Binomial, OneProportionTest,
    TwoProportionTest,
};

use sibstat_core::error::Result;

/// The data file as shipped in the crate (and in the WebAssembly module).
pub const PUBLISHED_JSON: &str = include_str!("../../../data/joining_forces.json");

/// The published data, loaded and validated.
pub fn published() -> Result<Dataset> {
    Dataset::from_json(PUBLISHED_JSON)
}
