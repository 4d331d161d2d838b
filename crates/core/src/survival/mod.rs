//! Survival analysis on individual or aggregated rows: Kaplan–Meier, Aalen–Johansen
//! cumulative incidence with competing causes, the log-rank test and the actuarial
//! life table. All estimators build on the shared [`EventTable`].

mod conf_int;
mod cumulative_incidence;
mod data;
mod event_table;
mod gray_test;
mod guyot;
mod kaplan_meier;
mod life_table;
mod logrank;

pub use conf_int::ConfType;
pub use cumulative_incidence::{
    aalen_johansen, cumulative_incidence, cumulative_incidence_stratified, CauseIncidence,
    CumulativeIncidence, CumulativeIncidenceOptions, IncidenceCurve, VarianceMethod,
};
pub use data::{
    check_len, finite_values, natural_order, validate_counts, SurvivalData, MAX_GROUPS,
};
pub use event_table::{EventTable, TableLayout};
pub use gray_test::{gray_test, GrayTest};
pub use guyot::{guyot, AtRiskFit, Guyot, GuyotFit, GuyotInput, GuyotRows, MAX_ADJUSTMENTS};
pub use kaplan_meier::{kaplan_meier, median_time, KaplanMeier, KaplanMeierOptions};
pub use life_table::{life_table, LifeTable, LifeTableGroup, LifeTableOptions};
pub use logrank::{logrank, Logrank, LogrankGroup, LogrankStratum};
