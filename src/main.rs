//! The sentinel-soar binary: parse the command line, run, turn the result into an exit code
//! (0 success, 1 findings, 2 usage or unreadable input).
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    match sentinel_soar::cli::run() {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
