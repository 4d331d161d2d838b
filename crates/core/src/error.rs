//! Errors and warnings: stable codes with English messages.
//!
//! Every bad input is answered with an [`Error`] carrying a stable [`Code`] and an
//! English message that says what to fix. The codes are a contract: pages translate
//! them, so a code is never renamed once published. Non-fatal problems are
//! [`Warning`]s, returned as data inside the response.

use serde::Serialize;
use std::fmt;

/// The stable error codes, serialised in snake_case.
///
/// Grouped by where they arise. A new code may be added; an existing one is never
/// renamed or reused for another meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    // --- The request as a whole ---
    /// The request text is not valid JSON.
    MalformedJson,
    /// The `analysis` key names no known analysis.
    UnknownAnalysis,
    /// A key that the analysis does not know.
    UnknownKey,
    /// A key the analysis requires is absent.
    MissingKey,
    /// A value has the wrong type (a string where a number belongs, ...).
    InvalidType,
    /// An option takes one of a fixed set of values and got another.
    InvalidOption,

    // --- Data shared by several analyses ---
    /// No rows, or rows whose counts are all zero.
    EmptyData,
    /// Arrays that describe the same rows have different lengths.
    LengthMismatch,
    /// A time below zero.
    NegativeTime,
    /// A time (or other number) that is NaN or infinite (arrives as `null` in JSON).
    NonFiniteValue,
    /// A status that is not a non-negative integer.
    InvalidStatus,
    /// A count below zero.
    NegativeCount,
    /// A count that is not a whole number.
    FractionalCount,
    /// `conf_level` outside the open interval (0, 1).
    InvalidConfLevel,
    /// Life-table breaks: fewer than two, not finite, not strictly increasing, or not starting at 0.
    InvalidBreaks,
    /// Strata given with a length or content the analysis cannot use.
    InvalidStrata,
    /// An analysis that compares groups got fewer than two.
    TooFewGroups,
    /// A time point (e.g. in a statistic name) that is not usable.
    InvalidTimePoint,
    /// Counts that add up to more individuals than a double counts exactly (2^53).
    TooManyIndividuals,
    /// More distinct groups, causes or model columns than an analysis takes (the
    /// message gives the limit); the cost of these analyses grows with their square.
    TooManyLevels,

    // --- Binomial data and the logit ---
    /// Successes greater than trials in a row.
    SuccessesExceedTrials,
    /// A covariate value that is NaN or infinite, or of mixed type within one covariate.
    InvalidCovariate,
    /// A model term that names no covariate, or a malformed term.
    UnknownTerm,
    /// A reference level that does not occur in the categorical covariate.
    UnknownReferenceLevel,
    /// Collinear, constant or empty columns in the design matrix.
    SingularDesign,
    /// A `null` hypothesis value outside (0, 1) for a proportion.
    InvalidNull,

    // --- Bootstrap ---
    /// Replicates below 1 or above the allowed maximum.
    InvalidReplicates,
    /// A statistic name that is not of the documented forms.
    UnknownStatistic,
    /// A statistic that the wrapped analysis cannot give.
    StatisticNotAvailable,
    /// `strata: true` for data without groups.
    StrataWithoutGroups,
    /// A bootstrap handle used after it was finished or with a bad chunk size.
    InvalidBootstrapState,
    /// A bootstrap statistic undefined on the data itself (a median the curve does
    /// not reach, a logit that does not converge or is separated).
    UndefinedEstimate,
    /// A paired bootstrap request whose individuals (rows and counts) differ from
    /// those of the wrapped request.
    PairedMismatch,
    /// A bootstrap seed that is not a whole number from 0 to 2^53.
    InvalidSeed,

    // --- Data files and reconstruction ---
    /// A data file that does not follow its schema.
    InvalidDataFile,
    /// A reconstruction whose inputs are inconsistent.
    InvalidReconstruction,
    /// A success definition that cannot be used (a custom definition that places the
    /// unknown cause, or names a cause both as success and as excluded).
    InvalidDefinition,
    /// A digitised curve that cannot be used (times out of order, survival outside [0, 1]).
    InvalidCurve,
    /// Numbers at risk that cannot be used (not starting at time 0, times not increasing,
    /// numbers growing, beyond the curve).
    InvalidAtRisk,

    // --- Publishing from microdata (`sibstat publish`) ---
    /// The microdata file is not readable as CSV (unequal row lengths, bad quoting,
    /// a repeated header).
    MalformedCsv,
    /// The microdata header lacks a column the spec needs.
    MissingColumn,
    /// A date that is not `YYYY-MM-DD` (or a required date that is empty).
    InvalidDate,
    /// An exit date before the entry date.
    ExitBeforeEntry,
    /// An outflow cause that is not one of the spec's causes nor `unknown`.
    UnknownCause,
    /// An id used by two rows.
    DuplicateId,
    /// Another value of the microdata that cannot be used (cohort, age, category,
    /// flag, an entry after the cut-off, an exit without a cause).
    InvalidMicrodataValue,
    /// A publication spec that does not follow its schema.
    InvalidSpec,
    /// The package folder cannot be written (it exists, or the disk refuses).
    OutputNotWritable,

    // --- Published report packages ---
    /// A number needed here is withheld by the publisher (disclosure control).
    WithheldCell,
    /// The published duration rows group causes that this definition counts apart.
    GroupedDuration,
}

impl Code {
    /// Every error code, for the tests that check each has a translation.
    pub const ALL: &'static [Code] = &[
        Code::MalformedJson,
        Code::UnknownAnalysis,
        Code::UnknownKey,
        Code::MissingKey,
        Code::InvalidType,
        Code::InvalidOption,
        Code::EmptyData,
        Code::LengthMismatch,
        Code::NegativeTime,
        Code::NonFiniteValue,
        Code::InvalidStatus,
        Code::NegativeCount,
        Code::FractionalCount,
        Code::InvalidConfLevel,
        Code::InvalidBreaks,
        Code::InvalidStrata,
        Code::TooFewGroups,
        Code::InvalidTimePoint,
        Code::TooManyIndividuals,
        Code::TooManyLevels,
        Code::SuccessesExceedTrials,
        Code::InvalidCovariate,
        Code::UnknownTerm,
        Code::UnknownReferenceLevel,
        Code::SingularDesign,
        Code::InvalidNull,
        Code::InvalidReplicates,
        Code::UnknownStatistic,
        Code::StatisticNotAvailable,
        Code::StrataWithoutGroups,
        Code::InvalidBootstrapState,
        Code::UndefinedEstimate,
        Code::PairedMismatch,
        Code::InvalidSeed,
        Code::InvalidDataFile,
        Code::InvalidReconstruction,
        Code::InvalidDefinition,
        Code::InvalidCurve,
        Code::InvalidAtRisk,
        Code::MalformedCsv,
        Code::MissingColumn,
        Code::InvalidDate,
        Code::ExitBeforeEntry,
        Code::UnknownCause,
        Code::DuplicateId,
        Code::InvalidMicrodataValue,
        Code::InvalidSpec,
        Code::OutputNotWritable,
        Code::WithheldCell,
        Code::GroupedDuration,
    ];

    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        // Kept in sync with the serde names by the `codes_serialise_as_their_str` test.
        match self {
            Code::MalformedJson => "malformed_json",
            Code::UnknownAnalysis => "unknown_analysis",
            Code::UnknownKey => "unknown_key",
            Code::MissingKey => "missing_key",
            Code::InvalidType => "invalid_type",
            Code::InvalidOption => "invalid_option",
            Code::EmptyData => "empty_data",
            Code::LengthMismatch => "length_mismatch",
            Code::NegativeTime => "negative_time",
            Code::NonFiniteValue => "non_finite_value",
            Code::InvalidStatus => "invalid_status",
            Code::NegativeCount => "negative_count",
            Code::FractionalCount => "fractional_count",
            Code::InvalidConfLevel => "invalid_conf_level",
            Code::InvalidBreaks => "invalid_breaks",
            Code::InvalidStrata => "invalid_strata",
            Code::TooFewGroups => "too_few_groups",
            Code::InvalidTimePoint => "invalid_time_point",
            Code::TooManyIndividuals => "too_many_individuals",
            Code::TooManyLevels => "too_many_levels",
            Code::SuccessesExceedTrials => "successes_exceed_trials",
            Code::InvalidCovariate => "invalid_covariate",
            Code::UnknownTerm => "unknown_term",
            Code::UnknownReferenceLevel => "unknown_reference_level",
            Code::SingularDesign => "singular_design",
            Code::InvalidNull => "invalid_null",
            Code::InvalidReplicates => "invalid_replicates",
            Code::UnknownStatistic => "unknown_statistic",
            Code::StatisticNotAvailable => "statistic_not_available",
            Code::StrataWithoutGroups => "strata_without_groups",
            Code::InvalidBootstrapState => "invalid_bootstrap_state",
            Code::UndefinedEstimate => "undefined_estimate",
            Code::PairedMismatch => "paired_mismatch",
            Code::InvalidSeed => "invalid_seed",
            Code::InvalidDataFile => "invalid_data_file",
            Code::InvalidReconstruction => "invalid_reconstruction",
            Code::InvalidDefinition => "invalid_definition",
            Code::InvalidCurve => "invalid_curve",
            Code::InvalidAtRisk => "invalid_at_risk",
            Code::MalformedCsv => "malformed_csv",
            Code::MissingColumn => "missing_column",
            Code::InvalidDate => "invalid_date",
            Code::ExitBeforeEntry => "exit_before_entry",
            Code::UnknownCause => "unknown_cause",
            Code::DuplicateId => "duplicate_id",
            Code::InvalidMicrodataValue => "invalid_microdata_value",
            Code::InvalidSpec => "invalid_spec",
            Code::OutputNotWritable => "output_not_writable",
            Code::WithheldCell => "withheld_cell",
            Code::GroupedDuration => "grouped_duration",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fatal problem with a request: a stable code and a message that says what to fix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Error {
    /// Stable, machine-readable code.
    pub code: Code,
    /// English explanation, naming the offending key, row or term.
    pub message: String,
}

impl Error {
    /// An error with the given code and message.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for Error {}

/// The stable warning codes, serialised in snake_case. Like [`Code`], a warning code is
/// never renamed or reused; the page translates each (a test checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// No BCa interval: the jackknife acceleration is undefined, or the replicates lie on one side of the estimate.
    BcaUnavailable,
    /// Part of a measurement lies beyond the observed follow-up and is extrapolated.
    BeyondFollowUp,
    /// Digitised points lay above an earlier point and were lowered to it.
    CurveNotMonotone,
    /// A digitised curve that does not start at time 0 got the point (0, 1).
    CurveStartAdded,
    /// A duration analysis could not be built for this view (the message says why).
    DurationUnavailable,
    /// A share has no individuals in its base (no counts under the definition).
    EmptyBase,
    /// A number of this view needs cells the publisher withheld: it is not computed.
    WithheldCells,
    /// A group has no individuals.
    EmptyGroup,
    /// Bootstrap replicates where the statistic is undefined, left out of the intervals.
    FailedReplicates,
    /// Gray's test variance is not positive definite, so its statistic is negative (as in cmprsk); not a chi-square.
    GrayTestNegative,
    /// Gray's test needs at least two groups with individuals.
    GrayTestOneGroup,
    /// Gray's test variance matrix is singular for some cause (cmprsk reports -1): statistic and p-value are null.
    GrayTestSingular,
    /// A Wald interval reached beyond [0, 1] and was clipped.
    IntervalClipped,
    /// A logit could not be fitted (the message gives the reason).
    LogitNotFitted,
    /// Fewer than half had the event within the follow-up: the median is not reached.
    MedianNotReached,
    /// The data have no events.
    NoEvents,
    /// Fewer than two groups have individuals at risk at an event time: the log-rank test has nothing to test.
    NoTest,
    /// A fit did not converge.
    NotConverged,
    /// The information matrix is singular: no standard errors.
    SingularInformation,
    /// The log-rank variance is singular: a generalised inverse is used.
    SingularVariance,
    /// The reconstructed events differ from the given total.
    TotalEventsDiffer,
    /// Complete separation in a logit.
    CompleteSeparation,
    /// Quasi-complete separation in a logit.
    QuasiCompleteSeparation,
    /// A statistic is undefined for these data (asked beyond the follow-up, a cause
    /// without events, a median not reached, an empty base): it is left out, not an error.
    StatisticUndefined,
}

impl WarningCode {
    /// Every warning code, for the tests that check each has a translation.
    pub const ALL: &'static [WarningCode] = &[
        WarningCode::BcaUnavailable,
        WarningCode::BeyondFollowUp,
        WarningCode::CurveNotMonotone,
        WarningCode::CurveStartAdded,
        WarningCode::DurationUnavailable,
        WarningCode::EmptyBase,
        WarningCode::WithheldCells,
        WarningCode::EmptyGroup,
        WarningCode::FailedReplicates,
        WarningCode::GrayTestNegative,
        WarningCode::GrayTestOneGroup,
        WarningCode::GrayTestSingular,
        WarningCode::IntervalClipped,
        WarningCode::LogitNotFitted,
        WarningCode::MedianNotReached,
        WarningCode::NoEvents,
        WarningCode::NoTest,
        WarningCode::NotConverged,
        WarningCode::SingularInformation,
        WarningCode::SingularVariance,
        WarningCode::TotalEventsDiffer,
        WarningCode::CompleteSeparation,
        WarningCode::QuasiCompleteSeparation,
        WarningCode::StatisticUndefined,
    ];

    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::BcaUnavailable => "bca_unavailable",
            WarningCode::BeyondFollowUp => "beyond_follow_up",
            WarningCode::CurveNotMonotone => "curve_not_monotone",
            WarningCode::CurveStartAdded => "curve_start_added",
            WarningCode::DurationUnavailable => "duration_unavailable",
            WarningCode::EmptyBase => "empty_base",
            WarningCode::WithheldCells => "withheld_cells",
            WarningCode::EmptyGroup => "empty_group",
            WarningCode::FailedReplicates => "failed_replicates",
            WarningCode::GrayTestNegative => "gray_test_negative",
            WarningCode::GrayTestOneGroup => "gray_test_one_group",
            WarningCode::GrayTestSingular => "gray_test_singular",
            WarningCode::IntervalClipped => "interval_clipped",
            WarningCode::LogitNotFitted => "logit_not_fitted",
            WarningCode::MedianNotReached => "median_not_reached",
            WarningCode::NoEvents => "no_events",
            WarningCode::NoTest => "no_test",
            WarningCode::NotConverged => "not_converged",
            WarningCode::SingularInformation => "singular_information",
            WarningCode::SingularVariance => "singular_variance",
            WarningCode::TotalEventsDiffer => "total_events_differ",
            WarningCode::CompleteSeparation => "complete_separation",
            WarningCode::QuasiCompleteSeparation => "quasi_complete_separation",
            WarningCode::StatisticUndefined => "statistic_undefined",
        }
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-fatal problem, returned in the response's `warnings` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable, machine-readable code.
    pub code: WarningCode,
    /// English explanation.
    pub message: String,
}

impl Warning {
    /// A warning with the given code and message.
    pub fn new(code: WarningCode, message: impl Into<String>) -> Self {
        Warning {
            code,
            message: message.into(),
        }
    }
}

/// Result type of the crate.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_distinct() {
        let errors: HashSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(errors.len(), Code::ALL.len());
        let warnings: HashSet<_> = WarningCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(warnings.len(), WarningCode::ALL.len());
    }
}
