#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Determinism at scale (issue 6): a JSON Lines batch cut into N contiguous parts (as
//! `split -n l/N` or GNU parallel's `--pipe --keep-order` cut it), each part run through
//! `apply --incidents - --out -` on its own, and the outputs and audit logs concatenated in
//! part order, gives byte for byte the output and audit log of one run over the whole batch,
//! so the work can be spread over machines (docs/batch.md, "Spreading a batch over machines").

use crate::common;

use common::{root, run, soar, NOW};

/// 1,000 records: the example batch 25 times, each copy with its own incident names.
fn big_batch() -> String {
    let batch = std::fs::read_to_string(root().join("examples/batch/incidents.jsonl")).unwrap();
    let mut out = String::new();
    for copy in 0..25 {
        for line in batch.lines() {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            let name = format!("{}-{copy}", v["name"].as_str().unwrap());
            v["name"] = serde_json::Value::String(name);
            out.push_str(&serde_json::to_string(&v).unwrap());
            out.push('\n');
        }
    }
    out
}

/// `lines` cut into `n` contiguous parts of whole lines, as `split -n l/N` does (some may be
/// empty when there are fewer lines than parts).
fn split(text: &str, n: usize) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let per = lines.len().div_ceil(n);
    (0..n).map(|k| lines.iter().skip(k * per).take(per).map(|l| format!("{l}\n")).collect()).collect()
}

/// `apply --incidents - --out - --audit FILE` on `input` given on standard input; returns the
/// incidents and the audit log.
fn apply_stdin(input: &str, jobs: &str) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let rules = root().join("examples/rules");
    let (code, stdout, stderr) = run(soar()
        .current_dir(tmp.path())
        .args(["apply", "--rules", rules.to_str().unwrap(), "--incidents", "-", "--out", "-"])
        .args(["--audit", "audit.jsonl", "--now", NOW, "--jobs", jobs])
        .write_stdin(input));
    assert_eq!(code, 0, "{stderr}");
    (stdout, std::fs::read_to_string(tmp.path().join("audit.jsonl")).unwrap())
}

#[test]
fn shards_concatenated_give_the_output_of_one_run() {
    let batch = big_batch();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("batch.jsonl"), &batch).unwrap();
    let rules = root().join("examples/rules");
    let (code, whole, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        rules.to_str().unwrap(),
        "--incidents",
        "batch.jsonl",
        "--out",
        "-",
        "--audit",
        "audit.jsonl",
        "--now",
        NOW,
    ]));
    assert_eq!(code, 0, "{stderr}");
    let whole_audit = std::fs::read_to_string(tmp.path().join("audit.jsonl")).unwrap();
    assert_eq!(whole.lines().count(), 1_000);
    assert_eq!(whole_audit.lines().count(), 109 * 25);
    for n in 1..=4 {
        let (mut out, mut audit) = (String::new(), String::new());
        for (k, part) in split(&batch, n).iter().enumerate() {
            // Each part on a worker of its own, with a job count of its own.
            let (o, a) = apply_stdin(part, &(k % 2 + 1).to_string());
            out.push_str(&o);
            audit.push_str(&a);
        }
        assert!(out == whole, "{n} parts: the incidents differ from one run");
        assert!(audit == whole_audit, "{n} parts: the audit log differs from one run");
    }
}

#[test]
fn empty_shards_add_nothing() {
    let batch = std::fs::read_to_string(root().join("examples/batch/incidents.jsonl")).unwrap();
    let three: String = batch.lines().take(3).map(|l| format!("{l}\n")).collect();
    let (whole, whole_audit) = apply_stdin(&three, "1");
    let parts = split(&three, 4);
    assert_eq!(parts.iter().filter(|p| p.is_empty()).count(), 1);
    let (mut out, mut audit) = (String::new(), String::new());
    for part in &parts {
        let (o, a) = apply_stdin(part, "2");
        out.push_str(&o);
        audit.push_str(&a);
    }
    assert_eq!((out, audit), (whole, whole_audit));
}
