//! `sibstat publish`: from microdata (one row per participant) to the report's
//! package of aggregates, with statistical disclosure control that is checked.
//!
//! The pipeline: [`microdata::read`] validates the rows (coded errors naming row and
//! column); [`aggregate::build`] counts the spec's tables, the duration rows (pooled
//! months) and the logits' cross-tables (merged levels), each count a cell of the
//! audit [`audit::Model`]; [`disclosure::apply`] withholds small counts and what would
//! reveal them and audits every feasible range by linear programming;
//! [`package::files`] writes the published numbers and the disclosure report;
//! [`report_package::report_package`] turns them into the report package the report
//! page renders (checked by loading it); [`write_atomically`] puts it in place.
//!
//! ```
//! use sibstat_publish::{publish, Options, Spec};
//! let csv = "id,cohort,entry,first_sick_day,exit,cause,age,branch,sanction_risk,life_goals,jump_movement,reveal,place_train,sanction\n\
//!            a,1,2019-07-01,2019-01-01,2019-12-01,own_job,30,marine,low,1,0,1,0,0\n";
//! let spec = Spec::joining_forces().unwrap();
//! let package = publish(csv, &spec, &Options::default()).unwrap();
//! // One participant: every count of 1 is withheld; the disclosure report says so.
//! assert!(package.files["published.json"].contains("\"suppressed\": \"threshold\""));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aggregate;
pub mod audit;
pub mod date;
pub mod disclosure;
pub mod microdata;
pub mod package;
pub mod report_package;
pub mod spec;

pub use date::Date;
pub use spec::Spec;

use sibstat_core::error::{Code, Error, Result};
use std::path::{Path, PathBuf};

/// Options of the command (each overrides the spec).
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Cut-off date (`YYYY-MM-DD`).
    pub cutoff: Option<String>,
    /// Threshold k.
    pub k: Option<u64>,
    /// The data file (JSON text) of the report package whose cohorts, causes,
    /// definitions, labels and programme numbers the published package takes; default
    /// the Joining Forces package the report ships (`data/joining_forces.json`).
    pub template: Option<String>,
}

/// A package ready to write, with what it is made of (for tests and the CLI).
#[derive(Debug, Clone)]
pub struct Package {
    /// File name → text.
    pub files: package::Files,
    /// The audit model.
    pub model: audit::Model,
    /// The outputs (cells of the model).
    pub outputs: aggregate::Outputs,
    /// What the rules did.
    pub disclosure: disclosure::Disclosure,
    /// The threshold used.
    pub k: u64,
}

/// Runs the whole pipeline on CSV text.
pub fn publish(csv: &str, spec: &Spec, options: &Options) -> Result<Package> {
    let cutoff_text = options
        .cutoff
        .clone()
        .unwrap_or_else(|| spec.cutoff.clone());
    let cutoff = Date::parse(&cutoff_text).ok_or_else(|| {
        Error::new(
            Code::InvalidDate,
            format!("--cutoff {cutoff_text:?} is not a date: write YYYY-MM-DD"),
        )
    })?;
    let k = options.k.unwrap_or(spec.k);
    if !(2..=1_000_000).contains(&k) {
        return Err(Error::new(
            Code::InvalidOption,
            format!("--k {k}: the threshold must be from 2 to 1,000,000"),
        ));
    }
    let protection = spec.protection.unwrap_or(k);
    let data = microdata::read(csv, spec, cutoff)?;
    let (mut model, outputs) = aggregate::build(spec, &data, k);
    let disclosure = disclosure::apply(&mut model, k, protection)?;
    let mut files = package::files(
        &spec.id,
        &cutoff.to_iso(),
        k,
        protection,
        &model,
        &outputs,
        &disclosure,
    );
    let template: serde_json::Value = serde_json::from_str(
        options
            .template
            .as_deref()
            .unwrap_or(sibstat_report::PUBLISHED_JSON),
    )
    .map_err(|e| Error::new(Code::InvalidSpec, format!("the template data file: {e}")))?;
    let published: serde_json::Value =
        serde_json::from_str(&files["published.json"]).expect("the package's own JSON");
    let (data, duration) = report_package::report_package(&published, spec, &template)?;
    let pretty = |v: &serde_json::Value| {
        serde_json::to_string_pretty(v).expect("a JSON value serialises") + "\n"
    };
    files.insert("joining_forces.json".into(), pretty(&data));
    files.insert("reconstruction.json".into(), pretty(&duration));
    Ok(Package {
        files,
        model,
        outputs,
        disclosure,
        k,
    })
}

fn output_error(dir: &Path, what: impl std::fmt::Display) -> Error {
    Error::new(
        Code::OutputNotWritable,
        format!("cannot write the package to {}: {what}", dir.display()),
    )
}

/// Writes the files into `dir` atomically: into a new folder beside it, renamed to
/// `dir` at the end. `dir` must not exist; on any error nothing is left behind.
pub fn write_atomically(dir: &Path, files: &package::Files) -> Result<()> {
    if dir.exists() {
        return Err(output_error(
            dir,
            "it exists already; choose a new folder or remove it",
        ));
    }
    let name = dir
        .file_name()
        .ok_or_else(|| output_error(dir, "give a folder name"))?
        .to_string_lossy()
        .to_string();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let temp = parent.join(format!(".{name}.publish-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir(&temp)?;
        for (file, text) in files {
            std::fs::write(temp.join(file), text)?;
        }
        std::fs::rename(&temp, dir)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&temp);
        return Err(output_error(dir, e));
    }
    Ok(())
}
