#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Every file under `examples/` is exercised: each rule file compiles on its own (a dry run
//! against the example incidents succeeds without a diagnostic), each incident file and the
//! batch are processed with exit 0, and no example file is left without a test.

use crate::common;

use std::path::{Path, PathBuf};

use common::{root, run, soar, NOW};
use serde_json::Value;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = common::listing(dir).into_keys().map(|rel| dir.join(rel)).collect();
    out.sort();
    out
}

fn examples(sub: &str) -> Vec<PathBuf> {
    let files = files_under(&root().join("examples").join(sub));
    assert!(!files.is_empty(), "examples/{sub} is empty");
    files
}

#[test]
fn every_example_file_is_covered_by_a_test_below() {
    let dir = root().join("examples");
    let uncovered: Vec<String> = files_under(&dir)
        .iter()
        .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
        .filter(|rel| {
            !((rel.starts_with("rules/") && rel.ends_with(".yaml"))
                || (rel.starts_with("incidents/") && rel.ends_with(".json"))
                || (rel.starts_with("tests/") && rel.ends_with(".yaml"))
                || rel == "batch/incidents.jsonl"
                // Playbooks and their mocks: tests/playbook_examples.rs runs each one, on the
                // incident or alert its header names.
                || ((rel.starts_with("playbooks/") || rel.starts_with("mocks/")) && rel.ends_with(".yaml"))
                || (rel.starts_with("alerts/") && rel.ends_with(".json"))
                // The Sentinel Repositories layout: tests/workspace_cli.rs validates it whole.
                || rel.starts_with("repo/"))
        })
        .collect();
    assert!(uncovered.is_empty(), "example files no test runs (add a test to tests/examples.rs): {uncovered:?}");
}

#[test]
fn every_rule_file_compiles_on_its_own() {
    for file in examples("rules") {
        let (code, stdout, stderr) = run(soar().current_dir(root()).args([
            "apply",
            "--rules",
            file.to_str().unwrap(),
            "--incidents",
            "examples/incidents",
            "--now",
            NOW,
            "--dry-run",
        ]));
        assert_eq!((code, stderr.as_str()), (0, ""), "{}", file.display());
        assert!(stdout.starts_with(" Incident  Title"), "{}: {stdout}", file.display());
        assert!(stdout.ends_with("dry run: nothing was written\n"), "{}: {stdout}", file.display());
        assert!(stdout.contains("17 incident(s), "), "{}: {stdout}", file.display());
    }
}

#[test]
fn the_rule_files_compile_together() {
    let (code, _, stderr) = run(soar().current_dir(root()).args([
        "apply",
        "--rules",
        "examples/rules",
        "--incidents",
        "examples/incidents",
        "--now",
        NOW,
        "--dry-run",
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn every_incident_file_is_processed() {
    for file in examples("incidents") {
        let (code, stdout, stderr) = run(soar().current_dir(root()).args([
            "apply",
            "--rules",
            "examples/rules",
            "--incidents",
            file.to_str().unwrap(),
            "--now",
            NOW,
        ]));
        assert_eq!(code, 0, "{}: {stderr}", file.display());
        assert!(stderr.starts_with("1 incident(s) processed, "), "{}: {stderr}", file.display());
        assert!(!stderr.contains("could not be processed"), "{}: {stderr}", file.display());
        // One pretty incident in, one pretty incident out.
        let input: Value = serde_json::from_str(&common::read(&file)).unwrap();
        let output: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(stdout, serde_json::to_string_pretty(&output).unwrap() + "\n", "{}", file.display());
        assert_eq!(output["name"], input["name"], "{}", file.display());
    }
}

#[test]
fn the_batch_is_processed() {
    let (code, stdout, stderr) = run(soar().current_dir(root()).args([
        "apply",
        "--rules",
        "examples/rules",
        "--incidents",
        "examples/batch/incidents.jsonl",
        "--now",
        NOW,
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "40 incident(s) processed, 36 changed, 109 change(s)\n");
    let input = common::read(root().join("examples/batch/incidents.jsonl"));
    assert_eq!(stdout.lines().count(), input.lines().count());
    for (out, inp) in stdout.lines().zip(input.lines()) {
        let (out, inp): (Value, Value) = (serde_json::from_str(out).unwrap(), serde_json::from_str(inp).unwrap());
        assert_eq!(out["name"], inp["name"]);
    }
}

#[test]
fn every_rule_test_file_passes() {
    for file in examples("tests") {
        let (code, stdout, stderr) = run(soar().current_dir(root()).args(["test", file.to_str().unwrap()]));
        assert_eq!((code, stderr.as_str()), (0, ""), "{}: {stdout}", file.display());
        assert!(stdout.trim_end().ends_with(" passed, 0 failed"), "{}: {stdout}", file.display());
    }
}
