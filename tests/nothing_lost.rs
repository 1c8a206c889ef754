#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Nothing lost (issue 6). Over a generated batch with bad records of every kind, larger than
//! the read window and on two workers, every input record is either in the output or named by
//! an error and written to `--rejects` (and with `--in-place`, passed through where it was).
//! And `--in-place` survives SIGKILL at any moment: each file is afterwards either its old text
//! or its new text, whole.

use crate::common;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{root, run, soar, NOW};
use serde_json::{json, Value};

fn tag_rule() -> String {
    root().join("tests/fixtures/rules/tag-seen.yaml").display().to_string()
}

/// What record `i` of a generated batch is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Good,
    WrongType,
    Malformed,
    Truncated,
    TooDeep,
    NotUtf8,
    NotIncident,
}

/// Mostly good records, with each kind of bad one every few dozen.
fn kind(i: usize) -> Kind {
    match i % 37 {
        5 => Kind::WrongType,
        11 => Kind::Malformed,
        17 => Kind::Truncated,
        23 => Kind::TooDeep,
        29 => Kind::NotUtf8,
        31 => Kind::NotIncident,
        _ => Kind::Good,
    }
}

const SEVERITIES: [&str; 3] = ["Low", "Medium", "High"];

fn good(i: usize) -> Value {
    json!({
        "name": format!("i{i}"),
        "properties": {
            "title": format!("Incident {i}"),
            "severity": SEVERITIES[i % 3],
            "status": "New",
            "labels": [],
            "relatedEntities": [{ "kind": "Host", "properties": { "hostName": format!("host-{}", i % 50) } }]
        }
    })
}

/// The bytes of record `i` on one line.
fn record(i: usize) -> Vec<u8> {
    let text = serde_json::to_string(&good(i)).unwrap();
    match kind(i) {
        Kind::Good => text.into_bytes(),
        Kind::WrongType => text.replace("\"status\":\"New\"", "\"status\":7").into_bytes(),
        Kind::Malformed => text.replace("\"status\":", "\"status\"").into_bytes(),
        Kind::Truncated => text.as_bytes()[..text.len() / 2].to_vec(),
        Kind::TooDeep => {
            text.replace("\"labels\":[]", &format!("\"labels\":{}{}", "[".repeat(150), "]".repeat(150))).into_bytes()
        }
        Kind::NotUtf8 => {
            let mut bytes = text.into_bytes();
            let at = bytes.iter().position(|b| *b == b'I').unwrap();
            bytes[at] = 0xC9;
            bytes
        }
        Kind::NotIncident => format!("{{\"name\":\"i{i}\",\"kind\":\"not an incident\"}}").into_bytes(),
    }
}

/// A JSON Lines batch of `n` records.
fn batch(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        out.extend(record(i));
        out.push(b'\n');
    }
    out
}

/// Line numbers (1-based) named by `error: FILE:LINE: ...` messages.
fn lines_named(stderr: &str, file: &str) -> Vec<usize> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("error: {file}:")))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn every_record_is_written_or_rejected_and_named() {
    let n = 2_000;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("batch.jsonl");
    std::fs::write(&input, batch(n)).unwrap();
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_rule(),
        "--incidents",
        "batch.jsonl",
        "--now",
        NOW,
        "--jobs",
        "2",
        "--out",
        "out.jsonl",
        "--rejects",
        "rejects.jsonl",
        "--audit",
        "audit.jsonl",
    ]));
    let bad: Vec<usize> = (0..n).filter(|i| kind(*i) != Kind::Good).collect();
    assert_eq!(code, 1);
    assert_eq!(
        stderr.lines().last().unwrap(),
        format!(
            "{} incident(s) processed, {0} changed, {0} change(s), {} record(s) could not be processed",
            n - bad.len(),
            bad.len()
        )
    );
    // Every bad record is named by its line, once, in order.
    assert_eq!(lines_named(&stderr, "batch.jsonl"), bad.iter().map(|i| i + 1).collect::<Vec<_>>());
    // The rejects file holds exactly their bytes.
    let rejects = std::fs::read(tmp.path().join("rejects.jsonl")).unwrap();
    let expected: Vec<u8> = bad.iter().flat_map(|i| [record(*i), b"\n".to_vec()].concat()).collect();
    assert_eq!(rejects, expected);
    // The output holds every good record, in order, tagged; the audit log one change each.
    let out = common::read(tmp.path().join("out.jsonl"));
    let names: Vec<String> = out
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            assert_eq!(v["properties"]["labels"][0]["labelName"], "seen");
            v["name"].as_str().unwrap().to_owned()
        })
        .collect();
    let good_names: Vec<String> = (0..n).filter(|i| kind(*i) == Kind::Good).map(|i| format!("i{i}")).collect();
    assert_eq!(names, good_names);
    assert_eq!(common::read(tmp.path().join("audit.jsonl")).lines().count(), good_names.len());
}

#[test]
fn in_place_passes_bad_records_through_where_they_were() {
    let n = 1_000;
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("batch.jsonl");
    std::fs::write(&input, batch(n)).unwrap();
    let (code, stdout, _) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_rule(),
        "--incidents",
        "batch.jsonl",
        "--now",
        NOW,
        "--jobs",
        "2",
        "--in-place",
    ]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    let after = std::fs::read(&input).unwrap();
    let lines: Vec<&[u8]> = after.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), n);
    for (i, line) in lines.iter().enumerate() {
        if kind(i) == Kind::Good {
            let v: Value = serde_json::from_slice(line).unwrap();
            assert_eq!(v["name"], format!("i{i}"));
            assert_eq!(v["properties"]["labels"][0]["labelName"], "seen");
        } else {
            assert_eq!(*line, record(i).as_slice(), "bad record {i} is not byte for byte where it was");
        }
    }
}

#[test]
fn an_array_with_bad_elements_loses_none() {
    // Only elements that are valid JSON can sit in an array without breaking it.
    let n = 600;
    let elements: Vec<Value> = (0..n)
        .map(|i| match kind(i) {
            Kind::WrongType | Kind::Malformed | Kind::Truncated | Kind::NotUtf8 => {
                serde_json::from_slice(&record(i)).unwrap_or_else(|_| json!({"name": format!("i{i}"), "properties": 5}))
            }
            _ => serde_json::from_slice(&record(i)).unwrap_or_else(|_| good(i)),
        })
        .collect();
    let bad: Vec<usize> = (0..n)
        .filter(|i| {
            matches!(kind(*i), Kind::WrongType | Kind::Malformed | Kind::Truncated | Kind::NotUtf8 | Kind::NotIncident)
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("batch.json"), serde_json::to_vec_pretty(&elements).unwrap()).unwrap();
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_rule(),
        "--incidents",
        "batch.json",
        "--now",
        NOW,
        "--jobs",
        "2",
        "--rejects",
        "rejects.jsonl",
    ]));
    assert_eq!(code, 1, "{stderr}");
    let indexes: Vec<usize> = stderr
        .lines()
        .filter_map(|l| {
            l.split_once(": array index ").map(|(_, rest)| rest.split(':').next().unwrap().parse().unwrap())
        })
        .collect();
    assert_eq!(indexes, bad);
    let out: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    // Raw bytes: the elements of a pretty array keep their line breaks.
    let rejects = common::read(tmp.path().join("rejects.jsonl"));
    let rejected: Vec<Value> =
        serde_json::Deserializer::from_str(&rejects).into_iter::<Value>().map(Result::unwrap).collect();
    assert_eq!(out.len() + rejected.len(), n);
    assert_eq!(rejected, bad.iter().map(|i| elements[*i].clone()).collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------------------------
// SIGKILL during --in-place

/// A small xorshift generator: the kill times vary from run to run, and the seed is printed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Three inputs in two shapes, a few thousand records in all.
fn kill_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let lines = |from: usize, n: usize| -> Vec<u8> {
        (from..from + n).flat_map(|i| [serde_json::to_vec(&good(i)).unwrap(), b"\n".to_vec()].concat()).collect()
    };
    let array: Vec<Value> = (6_000..8_000).map(good).collect();
    vec![
        ("a.jsonl", lines(0, 3_000)),
        ("b.json", serde_json::to_vec_pretty(&array).unwrap()),
        ("c.jsonl", lines(3_000, 3_000)),
    ]
}

fn in_place(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sentinel-soar"));
    cmd.current_dir(dir)
        .args(["apply", "--rules", &tag_rule(), "--incidents", ".", "--now", NOW, "--jobs", "2", "--in-place"])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

fn write_inputs(dir: &Path, inputs: &[(&str, Vec<u8>)]) {
    for (name, bytes) in inputs {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

#[test]
fn in_place_survives_sigkill_at_any_moment() {
    let inputs = kill_inputs();
    // The new texts, from a run that was not interrupted.
    let full = tempfile::tempdir().unwrap();
    write_inputs(full.path(), &inputs);
    let started = Instant::now();
    assert!(in_place(full.path()).status().unwrap().success());
    let took = started.elapsed();
    let new: Vec<Vec<u8>> = inputs.iter().map(|(name, _)| std::fs::read(full.path().join(name)).unwrap()).collect();
    for ((name, old), new) in inputs.iter().zip(&new) {
        assert_ne!(old, new, "{name}: the run changed nothing");
    }

    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    let mut states = Vec::new();
    for iteration in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        write_inputs(dir.path(), &inputs);
        // Anywhere from the start to a little after the uninterrupted run's end.
        let delay = Duration::from_micros(rng.next() % (took.as_micros() as u64 * 11 / 10 + 1));
        let mut child = in_place(dir.path()).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        if !finished {
            child.kill().unwrap();
        }
        child.wait().unwrap();
        let mut state = String::new();
        for ((name, old), new) in inputs.iter().zip(&new) {
            let now = std::fs::read(dir.path().join(name)).unwrap();
            let which = if now == *old {
                'o'
            } else if now == *new {
                'n'
            } else {
                panic!("seed {seed}, iteration {iteration}, kill after {delay:?}: {name} is neither the old nor the new text ({} bytes)", now.len());
            };
            state.push(which);
            // Whole: every record parses.
            if name.ends_with(".jsonl") {
                assert!(now
                    .split(|b| *b == b'\n')
                    .filter(|l| !l.is_empty())
                    .all(|l| serde_json::from_slice::<Value>(l).is_ok()));
            } else {
                serde_json::from_slice::<Value>(&now).unwrap();
            }
        }
        // Nothing but the inputs is left in the directory (the temporary file is unnamed until
        // the commit links it, which a kill can interrupt only in a window of microseconds).
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let strays: Vec<&String> = names.iter().filter(|n| !inputs.iter().any(|(i, _)| i == n)).collect();
        assert!(strays.iter().all(|n| n.starts_with('.')), "seed {seed}: unexpected files {strays:?}");
        states.push(format!("{delay:?}:{state}{}", if finished { " (finished)" } else { "" }));
    }
    eprintln!(
        "seed {seed}; uninterrupted run {took:?}; kill delay: state of a.jsonl b.json c.jsonl (o old, n new): {}",
        states.join(", ")
    );
}
