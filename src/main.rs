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
        // Standard output was closed (`| head`): stop quietly with the status of a program
        // killed by SIGPIPE; unfinished atomic outputs are not committed.
        Err(err) if broken_pipe(&err) => ExitCode::from(141),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A broken pipe anywhere in the chain; serde_json's writer errors hold the io::Error inside
/// (not as their `source`), so they are asked for its kind.
fn broken_pipe(err: &anyhow::Error) -> bool {
    let pipe = Some(std::io::ErrorKind::BrokenPipe);
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == pipe
            || cause.downcast_ref::<serde_json::Error>().and_then(serde_json::Error::io_error_kind) == pipe
    })
}
