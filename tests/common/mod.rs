//! Helpers shared by the end-to-end tests that drive the `sentinel-soar` binary: the command
//! with a fixed environment, temporary copies of `examples/`, directory listings and path
//! normalisation for snapshots.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The simulated clock every test passes with `--now`.
pub const NOW: &str = "2026-06-01T00:00:00Z";

/// The crate root (where `examples/` and `tests/fixtures/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The secrets the example playbooks refer to, with fake values: runs of the examples see a
/// configured environment whatever the developer's, and show no "not set" warning. A test of
/// a missing secret removes the variable (`env_remove`).
pub const EXAMPLE_SECRETS: [(&str, &str); 2] =
    [("VT_API_KEY", "fake-vt-api-key-for-tests"), ("PAGERDUTY_ROUTING_KEY", "fake-pagerduty-routing-key-for-tests")];

/// The binary with a fixed environment: no colour, help wrapped at 100 columns, the example
/// secrets set ([`EXAMPLE_SECRETS`]).
pub fn soar() -> Command {
    let mut cmd = Command::cargo_bin("sentinel-soar").unwrap();
    cmd.env("NO_COLOR", "1").env("COLUMNS", "100").env_remove("RUST_BACKTRACE").env_remove("RUST_LIB_BACKTRACE");
    cmd.envs(EXAMPLE_SECRETS);
    cmd
}

/// Runs `cmd` and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    let code = out.status.code().expect("killed by a signal");
    (code, String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary directory holding a copy of `examples/` (`rules/`, `incidents/`, `batch/`).
pub fn examples_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples"), dir.path());
    dir
}

/// Every file under `dir` (relative path, bytes), to check that nothing was written.
pub fn listing(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.insert(path.strip_prefix(base).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `text` with the temporary directory's path (as given and canonical) replaced by `[TMP]`.
pub fn normalize(text: &str, tmp: &Path) -> String {
    let mut text = text.to_owned();
    if let Ok(canonical) = tmp.canonicalize() {
        text = text.replace(&canonical.display().to_string(), "[TMP]");
    }
    text.replace(&tmp.display().to_string(), "[TMP]")
}

/// Reads a file as UTF-8 text.
pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Writes a file, creating its parent directories.
pub fn write(path: impl AsRef<Path>, text: &str) {
    let path = path.as_ref();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// The keys of a JSON object, in order.
pub fn keys(value: &serde_json::Value) -> Vec<String> {
    value.as_object().expect("an object").keys().cloned().collect()
}

/// Runs the binary with `args` and NO_COLOR set; returns (exit code, stdout, stderr).
pub fn run_args(args: &[&str]) -> (i32, String, String) {
    run(soar().args(args))
}

/// Runs the binary in the crate root, reads the first 100 bytes of its standard output and
/// closes the pipe, as `| head -c 100` does; returns (exit code, stderr).
pub fn closed_after_100_bytes(args: &[&str]) -> (Option<i32>, String) {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sentinel-soar"))
        .current_dir(root())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    // The reader is gone once the pipe is dropped at the end of this statement.
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The runs recorded in the state directory `state` (`runs list --format json`), oldest first.
pub fn recorded_runs(state: &Path) -> Vec<serde_json::Value> {
    let (code, stdout, stderr) = run(soar().args(["runs", "list", "--format", "json", "--state-dir"]).arg(state));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    doc["runs"].as_array().unwrap().clone()
}

/// What the run history of `state` holds, as its commands print it: the list, then each run
/// (`runs show ID --format json`), oldest first.
pub fn history_dump(state: &Path) -> Vec<String> {
    let runs = recorded_runs(state);
    let mut dump = vec![serde_json::to_string_pretty(&runs).unwrap()];
    for r in &runs {
        let id = r["runId"].as_str().unwrap();
        let (code, stdout, stderr) =
            run(soar().args(["runs", "show", id, "--format", "json", "--state-dir"]).arg(state));
        assert_eq!((code, stderr.as_str()), (0, ""));
        dump.push(stdout);
    }
    dump
}
