//! The sentinel-soar binary: parse the command line, run, turn the result into an exit code
//! (0 success, 1 findings, 2 usage or unreadable input).
#![forbid(unsafe_code)]

use std::process::ExitCode;

/// mimalloc: batch runs allocate and free millions of small JSON values; glibc's allocator
/// spent a fifth of the run in malloc/free (perf), mimalloc far less.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match sentinel_soar::cli::run() {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
