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
    use sibstat::{Code, Error};
    use std::io::Read;
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
        /// cause) from the published data and the assumptions in data/reconstruction.json,
        /// and print it with its assumptions, parameters and fit as JSON.
        Reconstruct {
            /// Print only the table, as CSV.
            #[arg(long)]
            csv: bool,
            /// Indent the JSON.
            #[arg(long)]
            pretty: bool,
        },
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        match cli.command {
            Command::Reconstruct { csv, pretty } => match reconstruct(csv, pretty) {
                Ok(text) => {
                    print!("{text}");
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

    fn reconstruct(csv: bool, pretty: bool) -> Result<String, Error> {
        let data = sibstat::joining_forces::published()?;
        let r = sibstat::joining_forces::reconstruct(&data)?;
        if csv {
            return Ok(r.to_csv());
        }
        let text = if pretty {
            serde_json::to_string_pretty(&r)
        } else {
            serde_json::to_string(&r)
        };
        text.map(|t| t + "\n")
            .map_err(|e| Error::new(Code::InvalidType, e.to_string()))
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
