//! Reading and validating the microdata: one row per participant, a header row.
//!
//! Every problem is a coded error naming the row (the line of the file, the header
//! being line 1) and the column. All rows are checked; a file with many problems is
//! refused with the first [`MAX_LISTED`] and the total count, under the code of the
//! first. Columns the spec does not use are ignored (they are never published).
//!
//! Each participant becomes a set of categorical variables (the keys the tables and
//! the audit count by): the spec's categories and flags as given, and the derived
//! `cohort`, `cause` (`none` when not out by the cut-off), `duration_month`,
//! `age_band`, `sickness_band`, `sick_at_cutoff`, `success_1y` and `result_28m`.

use crate::date::{Date, DAYS_PER_MONTH};
use crate::spec::Spec;
use sibstat_core::error::{Code, Error, Result};
use std::collections::{BTreeMap, HashMap};

/// At most this many problems are listed in an error message.
pub const MAX_LISTED: usize = 10;

/// The columns every spec needs besides its categories and flags.
pub const CORE_COLUMNS: [&str; 7] = [
    "id",
    "cohort",
    "entry",
    "first_sick_day",
    "exit",
    "cause",
    "age",
];

/// The variable of the month since entry in which a participant leaves the risk set.
pub const DURATION_MONTH: &str = "duration_month";

/// One participant's categorical variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Line in the file (header = 1).
    pub line: u64,
    /// Variable → value.
    pub values: BTreeMap<String, String>,
}

impl Participant {
    /// The value of a variable (empty if the participant has none).
    pub fn get(&self, variable: &str) -> &str {
        self.values.get(variable).map(String::as_str).unwrap_or("")
    }
}

/// The validated microdata.
#[derive(Debug, Clone)]
pub struct Microdata {
    /// Participants in file order.
    pub participants: Vec<Participant>,
    /// Largest month in `duration_month` (its domain is 0..=this and `unknown`).
    pub max_month: u32,
    /// The cut-off used.
    pub cutoff: Date,
}

/// One problem found in a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Its code.
    pub code: Code,
    /// Line (header = 1).
    pub line: u64,
    /// Column name.
    pub column: String,
    /// What is wrong and what to do.
    pub message: String,
}

fn combine(problems: Vec<Problem>) -> Error {
    let n = problems.len();
    let listed: Vec<String> = problems
        .iter()
        .take(MAX_LISTED)
        .map(|p| format!("row {}, column {}: {}", p.line, p.column, p.message))
        .collect();
    let message = if n == 1 {
        format!("microdata {}", listed[0])
    } else if n <= MAX_LISTED {
        format!("microdata: {n} problems: {}", listed.join("; "))
    } else {
        format!(
            "microdata: {n} problems, the first {MAX_LISTED}: {}",
            listed.join("; ")
        )
    };
    Error::new(problems[0].code, message)
}

struct RowReader<'a> {
    line: u64,
    record: &'a csv::StringRecord,
    index: &'a HashMap<String, usize>,
    problems: &'a mut Vec<Problem>,
}

impl RowReader<'_> {
    fn text(&self, column: &str) -> &str {
        self.index
            .get(column)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
    }

    fn problem(&mut self, code: Code, column: &str, message: String) {
        self.problems.push(Problem {
            code,
            line: self.line,
            column: column.to_string(),
            message,
        });
    }

    fn date(&mut self, column: &str, required: bool) -> Option<Date> {
        let text = self.text(column).to_string();
        if text.is_empty() {
            if required {
                self.problem(
                    Code::InvalidDate,
                    column,
                    "is empty: give the date as YYYY-MM-DD".into(),
                );
            }
            return None;
        }
        let d = Date::parse(&text);
        if d.is_none() {
            self.problem(
                Code::InvalidDate,
                column,
                format!("{text:?} is not a date: write YYYY-MM-DD (e.g. 2019-07-01)"),
            );
        }
        d
    }
}

fn band(spec_bands: &crate::spec::BandSpec, value: Option<f64>) -> String {
    value
        .and_then(|v| {
            spec_bands
                .bands
                .iter()
                .find(|b| v >= b.from && b.to.is_none_or(|to| v < to))
        })
        .map(|b| b.id.clone())
        .unwrap_or_else(|| spec_bands.missing.clone())
}

/// Whole months of [`DAYS_PER_MONTH`] from `from` to `to` (floor, ≥ 0 when `to` ≥ `from`).
fn whole_months(from: Date, to: Date) -> u32 {
    (from.days_until(to) as f64 / DAYS_PER_MONTH)
        .floor()
        .max(0.0) as u32
}

/// Reads and validates the microdata (CSV text) under a spec and cut-off.
pub fn read(text: &str, spec: &Spec, cutoff: Date) -> Result<Microdata> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::new(Code::MalformedCsv, format!("microdata header: {e}")))?
        .clone();
    let mut index = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim_start_matches('\u{feff}').to_string();
        if index.insert(name.clone(), i).is_some() {
            return Err(Error::new(
                Code::MalformedCsv,
                format!("microdata header: column {name:?} appears twice"),
            ));
        }
    }
    let mut required: Vec<String> = CORE_COLUMNS.iter().map(|s| s.to_string()).collect();
    required.extend(spec.categories.keys().cloned());
    required.extend(spec.flags.iter().cloned());
    let missing: Vec<&String> = required
        .iter()
        .filter(|c| !index.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(Error::new(
            Code::MissingColumn,
            format!(
                "microdata header (row 1) lacks the column{} {}: the spec needs {}",
                if missing.len() == 1 { "" } else { "s" },
                missing
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                required.join(", ")
            ),
        ));
    }

    let cohorts: HashMap<&str, &str> = spec
        .cohorts
        .iter()
        .map(|c| (c.value.as_str(), c.column.as_str()))
        .collect();
    let mut problems = Vec::new();
    let mut participants = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut max_month = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(Problem {
                    code: Code::MalformedCsv,
                    line,
                    column: "-".into(),
                    message: format!("cannot be read as CSV: {e}"),
                });
                if matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    continue;
                }
                break;
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let mut row = RowReader {
            line,
            record: &record,
            index: &index,
            problems: &mut problems,
        };
        let before = row.problems.len();
        let mut values = BTreeMap::new();

        let id = row.text("id").to_string();
        if id.is_empty() {
            row.problem(
                Code::InvalidMicrodataValue,
                "id",
                "is empty: every participant needs an id".into(),
            );
        } else if let Some(first) = seen.get(&id) {
            row.problem(
                Code::DuplicateId,
                "id",
                format!("{id:?} was already used in row {first}: ids must be unique"),
            );
        } else {
            seen.insert(id, line);
        }

        let cohort = row.text("cohort").to_string();
        match cohorts.get(cohort.as_str()) {
            Some(col) => {
                values.insert("cohort".to_string(), col.to_string());
            }
            None => row.problem(
                Code::InvalidMicrodataValue,
                "cohort",
                format!(
                    "{cohort:?} is not a cohort of the spec: use one of {}",
                    spec.cohorts
                        .iter()
                        .map(|c| format!("{:?}", c.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }

        let entry = row.date("entry", true);
        let first_sick = row.date("first_sick_day", false);
        let exit = row.date("exit", false);
        if let Some(e) = entry {
            if e > cutoff {
                row.problem(
                    Code::InvalidMicrodataValue,
                    "entry",
                    format!("{} lies after the cut-off {}: leave the participant out or move the cut-off", e.to_iso(), cutoff.to_iso()),
                );
            }
        }
        if let (Some(en), Some(ex)) = (entry, exit) {
            if ex < en {
                row.problem(
                    Code::ExitBeforeEntry,
                    "exit",
                    format!(
                        "{} lies before the entry {}: correct one of the two dates",
                        ex.to_iso(),
                        en.to_iso()
                    ),
                );
            }
        }

        let cause_text = row.text("cause").to_string();
        let cause_known =
            cause_text.is_empty() || cause_text == "unknown" || spec.causes.contains(&cause_text);
        if !cause_known {
            row.problem(
                Code::UnknownCause,
                "cause",
                format!(
                    "{cause_text:?} is not an outflow cause: use one of {}, `unknown`, or leave it empty when there is no exit",
                    spec.causes.join(", ")
                ),
            );
        }
        if cause_text.is_empty() && exit.is_some_and(|x| x <= cutoff) {
            row.problem(
                Code::InvalidMicrodataValue,
                "cause",
                "is empty but the participant has an exit: give the cause, or `unknown`".into(),
            );
        }

        let age_text = row.text("age").to_string();
        let age = if age_text.is_empty() {
            None
        } else {
            match age_text.parse::<f64>() {
                Ok(a) if a.is_finite() && (0.0..=120.0).contains(&a) => Some(a),
                _ => {
                    row.problem(
                        Code::InvalidMicrodataValue,
                        "age",
                        format!("{age_text:?} is not an age in years (0 to 120), nor empty"),
                    );
                    None
                }
            }
        };

        for (name, allowed) in &spec.categories {
            let v = row.text(name).to_string();
            if allowed.contains(&v) {
                values.insert(name.clone(), v);
            } else {
                row.problem(
                    Code::InvalidMicrodataValue,
                    name,
                    format!("{v:?} is not one of {}", allowed.join(", ")),
                );
            }
        }
        for flag in &spec.flags {
            let v = row.text(flag).to_string();
            if v == "0" || v == "1" {
                values.insert(flag.clone(), v);
            } else {
                row.problem(
                    Code::InvalidMicrodataValue,
                    flag,
                    format!("{v:?} is not 0 or 1"),
                );
            }
        }
        if row.problems.len() > before {
            continue;
        }
        let entry = entry.expect("checked above: a row without entry has a problem");

        // Outflow by the cut-off; a cause without an exit date is an outflow whose
        // moment is unknown (box 1).
        let out_by_cutoff = !cause_text.is_empty() && exit.is_none_or(|x| x <= cutoff);
        let cause = if out_by_cutoff {
            cause_text.clone()
        } else {
            "none".to_string()
        };
        let duration_month = match (out_by_cutoff, exit) {
            (true, None) => "unknown".to_string(),
            // Outflow during month m: [m − 1, m) months after entry.
            (true, Some(x)) => (whole_months(entry, x) + 1).to_string(),
            // Censored at the end of the last whole month before the cut-off.
            (false, _) => whole_months(entry, cutoff).to_string(),
        };
        if let Ok(m) = duration_month.parse::<u32>() {
            max_month = max_month.max(m);
        }
        values.insert("cause".to_string(), cause.clone());
        values.insert(DURATION_MONTH.to_string(), duration_month);

        let sickness_months = first_sick
            .filter(|&s| s <= entry)
            .map(|s| s.months_until(entry))
            .filter(|&m| m <= spec.sickness_max_months);
        for (name, b) in &spec.bands {
            let v = if b.from == "age" {
                age
            } else {
                sickness_months
            };
            values.insert(name.clone(), band(b, v));
        }
        let sick_at_cutoff =
            first_sick.is_some_and(|s| s.months_until(cutoff) >= spec.sick_at_cutoff_months);
        values.insert(
            "sick_at_cutoff".to_string(),
            if sick_at_cutoff { "1" } else { "0" }.to_string(),
        );

        // Success within a year of entry (table 3.3): participants who entered at
        // least a year before the cut-off; unknown causes and unknown moments of a
        // success left out.
        let year = &spec.success_1y;
        let success_1y = if entry.months_until(cutoff) < year.months || cause == "unknown" {
            "excluded"
        } else if year.success_causes.contains(&cause) {
            match exit {
                None => "excluded",
                Some(x) if entry.months_until(x) <= year.months => "1",
                Some(_) => "0",
            }
        } else {
            "0"
        };
        values.insert("success_1y".to_string(), success_1y.to_string());

        // The result measurement, 28 months after the first sick day.
        let r = &spec.result_28m;
        let result = match (first_sick, sickness_months) {
            (Some(s), Some(_)) => {
                let measured = Date(s.0 + (r.months * DAYS_PER_MONTH).floor() as i64);
                if measured > cutoff {
                    "not_due"
                } else if cause_text.is_empty() || exit.is_some_and(|x| x > measured) {
                    "no_success"
                } else if cause_text == "unknown" || exit.is_none() {
                    "unknown"
                } else if r.success_causes.contains(&cause_text) {
                    "success"
                } else {
                    "no_success"
                }
            }
            _ => "duration_unknown",
        };
        values.insert("result_28m".to_string(), result.to_string());

        participants.push(Participant { line, values });
    }
    if !problems.is_empty() {
        return Err(combine(problems));
    }
    if participants.is_empty() {
        return Err(Error::new(
            Code::EmptyData,
            "microdata has a header but no participants",
        ));
    }
    Ok(Microdata {
        participants,
        max_month,
        cutoff,
    })
}
