//! Helpers shared by the integration tests that drive the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use assert_cmd::Command;

/// Runs the binary with NO_COLOR set; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("sentinel-soar").unwrap().args(args).env("NO_COLOR", "1").output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}
