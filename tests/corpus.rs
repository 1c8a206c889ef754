#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! The compatibility corpus (real Sentinel files, `../shared/corpus/incidents` next to the crate)
//! through `apply`: every file is read, a rule that tags every incident runs, and the output
//! equals the input once exactly that rule's changes (the `seen` label and
//! `lastModifiedTimeUtc`) are undone: every unknown field survives, in its original order.
//! Files without incidents are written back byte for byte. Skipped when the corpus is absent.

use crate::common;

use std::path::PathBuf;

use common::{root, run, soar, NOW};
use serde_json::{json, Value};

fn corpus_files() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/corpus/incidents");
    if !dir.is_dir() {
        return None;
    }
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    Some(files)
}

/// Undoes the tag-seen rule in `out` (walking `inp` alongside): removes a trailing `seen` label
/// (and `labels` itself when the input had none) and restores `lastModifiedTimeUtc` (or removes
/// it when the input had none). Returns how many incidents were undone.
fn undo(out: &mut Value, inp: &Value) -> usize {
    match (out, inp) {
        (Value::Object(o), Value::Object(i)) => {
            let mut undone = 0;
            let seen = json!({ "labelName": "seen", "labelType": "User" });
            if let Some(Value::Array(labels)) = o.get_mut("labels") {
                if labels.last() == Some(&seen) {
                    labels.pop();
                    undone += 1;
                    if !i.contains_key("labels") {
                        o.shift_remove("labels");
                    }
                    match i.get("lastModifiedTimeUtc") {
                        Some(v) => {
                            o.insert("lastModifiedTimeUtc".into(), v.clone());
                        }
                        None => {
                            o.shift_remove("lastModifiedTimeUtc");
                        }
                    }
                }
            }
            for (key, value) in o.iter_mut() {
                if let Some(before) = i.get(key) {
                    undone += undo(value, before);
                }
            }
            undone
        }
        (Value::Array(o), Value::Array(i)) => o.iter_mut().zip(i).map(|(o, i)| undo(o, i)).sum(),
        _ => 0,
    }
}

/// Every key of `value` as a path, in document order (`/properties/title`, ...).
fn key_paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let path = format!("{prefix}/{key}");
                out.push(path.clone());
                key_paths(child, &path, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                key_paths(child, &format!("{prefix}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn paths(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    key_paths(value, "", &mut out);
    out
}

/// The count of "N incident(s) processed, ..." on the last line of stderr.
fn processed(stderr: &str) -> usize {
    let last = stderr.lines().last().unwrap_or_default();
    last.split_once(" incident(s) processed").map(|(n, _)| n.parse().unwrap()).unwrap_or_else(|| panic!("{stderr}"))
}

#[test]
fn every_corpus_incident_file_keeps_everything_but_the_rule_changes() {
    let Some(files) = corpus_files() else {
        eprintln!("skipped: no corpus at {}", root().join("../shared/corpus/incidents").display());
        return;
    };
    assert!(!files.is_empty(), "the corpus directory is empty");
    let rule = root().join("tests/fixtures/rules/tag-seen.yaml");
    let mut with_incidents = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_str().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join(name);
        let (code, stdout, stderr) = run(soar().args([
            "apply",
            "--rules",
            rule.to_str().unwrap(),
            "--incidents",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--now",
            NOW,
        ]));
        assert_eq!((code, stdout.as_str()), (0, ""), "{name}: {stderr}");
        let before = std::fs::read(file).unwrap();
        let after = std::fs::read(&out).unwrap();
        let count = processed(&stderr);
        if count == 0 {
            assert_eq!(
                stderr,
                format!("warning: {}: no incidents found; written back unchanged\n0 incident(s) processed, 0 changed, 0 change(s)\n", file.display()),
            );
            assert!(after == before, "{name}: a file without incidents was not written back unchanged");
            continue;
        }
        with_incidents += 1;
        let input: Value = serde_json::from_slice(&before).unwrap();
        let mut output: Value = serde_json::from_slice(&after).unwrap();
        assert_eq!(undo(&mut output, &input), count, "{name}: not every processed incident got exactly the label");
        assert_eq!(paths(&output), paths(&input), "{name}: keys lost, added or reordered");
        assert_eq!(output, input, "{name}: values changed beyond the rule's changes");
        assert_eq!(serde_json::to_string(&output).unwrap(), serde_json::to_string(&input).unwrap(), "{name}");
    }
    assert!(with_incidents > 0, "no corpus file held an incident");
}
