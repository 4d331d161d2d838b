//! The `sibstat` command line: the analysis API on JSON files and standard input.

// The CLI is native only; wasm builds of the test targets still compile this file.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand};
    use sibstat::joining_forces::PreparedReport;
    use sibstat::{Code, Error};
    use std::borrow::Cow;
    use std::io::Read;
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    /// Survival, logit and bootstrap statistics on aggregate data.
    #[derive(Parser)]
    #[command(name = "sibstat", version, about, long_about = None)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Run one analysis request (JSON, see docs/API.md) and print the response as JSON.
        ///
        /// On a bad request, prints {"error":{"code","message"}} on stderr and exits with 2.
        Analyse {
            /// Request file; `-` or nothing reads standard input.
            #[arg(default_value = "-")]
            file: String,
            /// Indent the response.
            #[arg(long)]
            pretty: bool,
        },
        /// Reconstruct the life table of figure 3.2 (months since entry × cohort ×
        /// cause) from a report package's published data and its reconstruction.json,
        /// and print it with its assumptions, parameters and fit as JSON.
        Reconstruct {
            /// The report package's directory (joining_forces.json, reconstruction.json);
            /// without it, the Joining Forces package built into this program.
            #[arg(long, value_name = "DIR")]
            data: Option<PathBuf>,
            /// Print only the table, as CSV.
            #[arg(long)]
            csv: bool,
            /// Indent the JSON.
            #[arg(long)]
            pretty: bool,
        },
        /// Turn microdata (CSV, one row per participant) into the report's package of
        /// aggregates with checked disclosure control: DIR/published.json,
        /// DIR/disclosure.json and DIR/disclosure.md. Opens no network connection;
        /// DIR is written atomically and must not exist.
        ///
        /// On bad input, prints {"error":{"code","message"}} on stderr, exits with 2
        /// and writes nothing.
        Publish {
            /// The microdata file.
            microdata: std::path::PathBuf,
            /// Publication spec (JSON); default: the shipped Joining Forces spec.
            #[arg(long)]
            spec: Option<std::path::PathBuf>,
            /// Cut-off date of the follow-up (YYYY-MM-DD); default: the spec's.
            #[arg(long)]
            cutoff: Option<String>,
            /// Threshold: no published count in 1..k-1; default: the spec's (10).
            #[arg(long)]
            k: Option<u64>,
            /// A report package directory whose cohorts, causes, definitions, labels and
            /// programme numbers the published package takes; default: the Joining
            /// Forces package built into this program.
            #[arg(long, value_name = "DIR")]
            template: Option<PathBuf>,
            /// The package folder to create.
            #[arg(long)]
            out: std::path::PathBuf,
        },
        /// Answer one view state of a report package with everything its page shows.
        ///
        /// The state is {"definition"?, "success_causes"?, "unknown"?, "cohort"?,
        /// "conf_level"?} (README, "The report package"); without STATE, the report's
        /// own view. On a bad state or package, prints {"error":{"code","message"}} on
        /// stderr and exits with 2.
        Report {
            /// The report package's directory (joining_forces.json, reconstruction.json);
            /// without it, the Joining Forces package built into this program.
            #[arg(long, value_name = "DIR")]
            data: Option<PathBuf>,
            /// State file; `-` reads standard input; nothing gives the report's own view.
            state: Option<String>,
            /// Indent the response.
            #[arg(long)]
            pretty: bool,
        },
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        match cli.command {
            Command::Reconstruct { data, csv, pretty } => {
                print_or_fail(reconstruct(data.as_deref(), csv, pretty))
            }
            Command::Report {
                data,
                state,
                pretty,
            } => print_or_fail(report(data.as_deref(), state.as_deref(), pretty)),
            Command::Publish {
                microdata,
                spec,
                cutoff,
                k,
                template,
                out,
            } => match publish(
                &microdata,
                spec.as_deref(),
                cutoff,
                k,
                template.as_deref(),
                &out,
            ) {
                Ok(summary) => {
                    println!("{summary}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("{}", sibstat::api::error_envelope(&error));
                    ExitCode::from(2)
                }
            },
            Command::Analyse { file, pretty } => {
                match read_input(&file).and_then(|text| analyse(&text, pretty)) {
                    Ok(response) => {
                        println!("{response}");
                        ExitCode::SUCCESS
                    }
                    Err(error) => {
                        eprintln!("{}", sibstat::api::error_envelope(&error));
                        ExitCode::from(2)
                    }
                }
            }
        }
    }

    fn analyse(text: &str, pretty: bool) -> Result<String, Error> {
        let response = sibstat::analyse_json(text)?;
        if !pretty {
            return Ok(response);
        }
        let value: serde_json::Value = serde_json::from_str(&response)
            .map_err(|e| Error::new(Code::MalformedJson, e.to_string()))?;
        serde_json::to_string_pretty(&value)
            .map_err(|e| Error::new(Code::MalformedJson, e.to_string()))
    }

    fn print_or_fail(result: Result<String, Error>) -> ExitCode {
        match result {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{}", sibstat::api::error_envelope(&error));
                ExitCode::from(2)
            }
        }
    }

    /// The package in `dir`, or the embedded Joining Forces package: embedded so that
    /// the program answers from any directory (installed, in CI) without the
    /// repository beside it; `--data` points at any other package.
    fn prepared(dir: Option<&Path>) -> Result<Cow<'static, PreparedReport>, Error> {
        let Some(dir) = dir else {
            return sibstat::joining_forces::shipped().map(Cow::Borrowed);
        };
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| {
                Error::new(
                    Code::InvalidDataFile,
                    format!("cannot read the report package's {}: {e}", path.display()),
                )
            })
        };
        let data = read(DATA_FILE)?;
        let assumptions = read(RECONSTRUCTION_FILE)?;
        PreparedReport::from_json(&data, &assumptions).map(Cow::Owned)
    }

    /// The files of a report package (data/README.md, "The report package").
    const DATA_FILE: &str = "joining_forces.json";
    const RECONSTRUCTION_FILE: &str = "reconstruction.json";

    fn json_text<T: serde::Serialize>(value: &T, pretty: bool) -> Result<String, Error> {
        let text = if pretty {
            serde_json::to_string_pretty(value)
        } else {
            serde_json::to_string(value)
        };
        text.map(|t| t + "\n")
            .map_err(|e| Error::new(Code::InvalidType, e.to_string()))
    }

    fn publish(
        microdata: &std::path::Path,
        spec: Option<&std::path::Path>,
        cutoff: Option<String>,
        k: Option<u64>,
        template: Option<&Path>,
        out: &std::path::Path,
    ) -> Result<String, Error> {
        use sibstat_publish::{Options, Spec};
        let spec = match spec {
            Some(path) => Spec::from_json(&std::fs::read_to_string(path).map_err(|e| {
                Error::new(
                    Code::InvalidSpec,
                    format!("cannot read {}: {e}", path.display()),
                )
            })?)?,
            None => Spec::joining_forces()?,
        };
        let csv = std::fs::read_to_string(microdata).map_err(|e| {
            Error::new(
                Code::MalformedCsv,
                format!("cannot read {} as UTF-8 text: {e}", microdata.display()),
            )
        })?;
        let template = match template {
            Some(dir) => {
                let file = dir.join(DATA_FILE);
                Some(std::fs::read_to_string(&file).map_err(|e| {
                    Error::new(
                        Code::InvalidSpec,
                        format!("cannot read the template {}: {e}", file.display()),
                    )
                })?)
            }
            None => None,
        };
        let options = Options {
            cutoff,
            k,
            template,
        };
        let package = sibstat_publish::publish(&csv, &spec, &options)?;
        sibstat_publish::write_atomically(out, &package.files)?;
        let d = &package.disclosure;
        Ok(format!(
            "wrote {}: {} cells withheld by the threshold, {} by secondary suppression; {} counts audited, all protected: {}",
            out.display(),
            d.primary.len(),
            d.secondary.len(),
            d.audit.len(),
            d.audit.iter().all(|a| a.protected)
        ))
    }

    fn reconstruct(dir: Option<&Path>, csv: bool, pretty: bool) -> Result<String, Error> {
        let report = prepared(dir)?;
        let r = report.reconstruction()?;
        if csv {
            return Ok(r.to_csv());
        }
        json_text(r, pretty)
    }

    fn report(dir: Option<&Path>, state: Option<&str>, pretty: bool) -> Result<String, Error> {
        let state: serde_json::Value = match state {
            None => serde_json::json!({}),
            Some(file) => serde_json::from_str(&read_input(file)?).map_err(|e| {
                Error::new(
                    Code::MalformedJson,
                    format!("the state is not valid JSON: {e}"),
                )
            })?,
        };
        let report = prepared(dir)?;
        json_text(&report.view(&state)?, pretty)
    }

    fn read_input(file: &str) -> Result<String, Error> {
        let mut text = String::new();
        let read = if file == "-" {
            std::io::stdin().read_to_string(&mut text).map(|_| ())
        } else {
            std::fs::read_to_string(file).map(|t| text = t)
        };
        read.map_err(|e| Error::new(Code::MalformedJson, format!("cannot read {file}: {e}")))?;
        Ok(text)
    }
}
