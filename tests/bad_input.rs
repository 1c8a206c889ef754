#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! The bad-input corpus (issue 6): the real binary on every file under `tests/bad-input/`
//! (truncated files, wrong types in every incident field and in documents, nesting past the
//! parsers' limits, invalid UTF-8, byte order marks, CRLF line ends, gzip and bzip2, a YAML
//! alias bomb, a regex over the size limit, empty files), on inputs generated here because they are big (a 10 MB string, 10,000
//! rules), and with directories where files are expected. Each case pins the exit code and the
//! whole standard error (insta snapshots); none may crash. Where records are rejected, the
//! rejects file holds exactly the bad lines and nothing is lost.

use crate::common;

use std::path::{Path, PathBuf};

use common::{normalize, root, run, soar, NOW};
use serde_json::Value;

/// The rule every incident case runs: no conditions, tags every incident `seen`.
const TAG_RULE: &str = "../fixtures/rules/tag-seen.yaml";

/// Rule files of the corpus and the exit code each gives.
const RULE_CASES: &[(&str, i32)] = &[
    ("billion-laughs.yaml", 1),
    ("bom.yaml", 0),
    ("crlf-error.yaml", 1),
    ("crlf.yaml", 0),
    ("deep.yaml", 1),
    ("empty.yaml", 0),
    ("huge-regex.yaml", 1),
    ("invalid-utf8.yaml", 1),
    ("truncated.yaml", 1),
];

/// Incident files of the corpus and the exit code each gives.
const INCIDENT_CASES: &[(&str, i32)] = &[
    ("bom.jsonl", 0),
    ("bzip2.jsonl.bz2", 2),
    ("crlf-array.json", 0),
    ("crlf.jsonl", 0),
    ("deep.jsonl", 1),
    ("empty.jsonl", 0),
    ("gzip.jsonl.gz", 0),
    ("invalid-utf8.jsonl", 1),
    ("one-wrong-type.json", 1),
    ("rest-list-wrong-type.json", 1),
    ("truncated-array.json", 1),
    ("truncated.json", 2),
    ("truncated.jsonl", 1),
    ("wrong-types.jsonl", 1),
];

fn corpus() -> PathBuf {
    root().join("tests/bad-input")
}

/// Three valid incidents, as `crlf.jsonl` and `bom.jsonl` hold them without CR or BOM.
fn clean_lines() -> Vec<u8> {
    std::fs::read(corpus().join("incidents/crlf.jsonl")).unwrap().into_iter().filter(|b| *b != b'\r').collect()
}

/// `apply` run from the corpus directory; returns (exit code, stdout, stderr).
fn apply(args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(corpus()).arg("apply").args(args).args(["--now", NOW]))
}

/// `apply` on `incidents` (a path or bytes written to a temporary file) with the tag rule.
fn apply_clean(incidents: &[u8], name: &str) -> (i32, String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join(name);
    std::fs::write(&path, incidents).unwrap();
    apply(&["--rules", TAG_RULE, "--incidents", path.to_str().unwrap()])
}

#[test]
fn every_corpus_file_has_a_case() {
    for (dir, cases) in [("rules", RULE_CASES), ("incidents", INCIDENT_CASES)] {
        let mut on_disk: Vec<String> = std::fs::read_dir(corpus().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = cases.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, listed, "tests/bad-input/{dir}: every file has one case");
    }
}

#[test]
fn bad_rule_files() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean.jsonl");
    std::fs::write(&clean, clean_lines()).unwrap();
    let (_, tagged, _) = apply(&["--rules", TAG_RULE, "--incidents", clean.to_str().unwrap()]);
    for &(name, want) in RULE_CASES {
        let rules = format!("rules/{name}");
        let (code, stdout, stderr) = apply(&["--rules", &rules, "--incidents", clean.to_str().unwrap()]);
        assert_eq!(code, want, "{name}: {stderr}");
        match (code, name) {
            // The same rule as the tag rule, with a BOM or CRLF line ends: the same output.
            (0, "bom.yaml" | "crlf.yaml") => assert_eq!(stdout, tagged, "{name}"),
            (0, _) => assert_eq!(stdout.as_bytes(), clean_lines(), "{name}: no rules, incidents unchanged"),
            _ => assert_eq!(stdout, "", "{name}: nothing is processed when the rules are invalid"),
        }
        insta::with_settings!({ description => format!("apply --rules tests/bad-input/rules/{name}") }, {
            insta::assert_snapshot!(format!("rules__{name}"), normalize(&stderr, tmp.path()));
        });
    }
}

#[test]
fn bad_incident_files() {
    let rejects_dir = tempfile::tempdir().unwrap();
    for &(name, want) in INCIDENT_CASES {
        let rejects = rejects_dir.path().join(format!("{name}.rejects"));
        let input = format!("incidents/{name}");
        let (code, stdout, stderr) =
            apply(&["--rules", TAG_RULE, "--incidents", &input, "--rejects", rejects.to_str().unwrap()]);
        assert_eq!(code, want, "{name}: {stderr}");
        if name.ends_with(".jsonl") {
            nothing_lost(&corpus().join(&input), &stdout, &stderr, &rejects);
        }
        insta::with_settings!({ description => format!("apply --incidents tests/bad-input/incidents/{name}") }, {
            insta::assert_snapshot!(format!("incidents__{name}"), normalize(&stderr, rejects_dir.path()));
        });
    }
}

/// Every line of a JSON Lines input is either an output incident or a rejected record that an
/// error names by its line, and the rejects file holds exactly those lines, in order.
fn nothing_lost(input: &Path, stdout: &str, stderr: &str, rejects: &Path) {
    let raw = std::fs::read(input).unwrap();
    let lines: Vec<&[u8]> = raw.split(|b| *b == b'\n').map(<[u8]>::trim_ascii).collect();
    let records = lines.iter().filter(|l| !l.is_empty()).count();
    let named: Vec<usize> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("error: incidents/{}:", input.file_name().unwrap().to_str().unwrap())))
        .map(|rest| rest.split(':').next().unwrap().parse::<usize>().unwrap())
        .collect();
    let rejected = std::fs::read(rejects).unwrap();
    let rejected: Vec<&[u8]> = rejected.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let expected: Vec<&[u8]> = named.iter().map(|n| lines[n - 1]).collect();
    assert_eq!(rejected, expected, "{}: the rejects file holds the lines the errors name", input.display());
    assert_eq!(stdout.lines().count() + rejected.len(), records, "{}: a record went missing", input.display());
}

#[test]
fn bom_and_crlf_incidents_give_the_output_of_clean_ones() {
    let (_, clean, _) = apply_clean(&clean_lines(), "clean.jsonl");
    for name in ["bom.jsonl", "crlf.jsonl", "gzip.jsonl.gz"] {
        let (_, out, _) = apply(&["--rules", TAG_RULE, "--incidents", &format!("incidents/{name}")]);
        assert_eq!(out, clean, "{name}");
    }
    let crlf = std::fs::read(corpus().join("incidents/crlf-array.json")).unwrap();
    let lf: Vec<u8> = crlf.iter().copied().filter(|b| *b != b'\r').collect();
    let (_, clean, _) = apply_clean(&lf, "clean.json");
    let (_, out, _) = apply(&["--rules", TAG_RULE, "--incidents", "incidents/crlf-array.json"]);
    assert_eq!(out, clean);
    assert!(out.starts_with("[\n  {\n"), "a pretty array stays pretty: {out}");
}

#[test]
fn a_10_mb_string_inside_an_incident_is_processed() {
    let big = "x".repeat(10_000_000);
    let line = format!(
        "{{\"name\":\"big\",\"properties\":{{\"title\":\"Big\",\"severity\":\"Low\",\"description\":\"{big}\"}}}}\n"
    );
    let (code, stdout, stderr) = apply_clean(line.as_bytes(), "big.jsonl");
    assert_eq!((code, stderr.as_str()), (0, "1 incident(s) processed, 1 changed, 1 change(s)\n"));
    let out: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(out["properties"]["description"].as_str().map(str::len), Some(10_000_000));
    assert_eq!(out["properties"]["labels"][0]["labelName"], "seen");
}

#[test]
fn ten_thousand_rules_are_refused_with_one_error_and_short_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    // 100 files of 100 rules, every rule with order 1: past Sentinel's 512 rules, and one
    // shared order, whose one warning must not list all 10,000 names or places.
    for f in 0..100 {
        let mut text = String::from("rules:\n");
        for r in 0..100 {
            let i = f * 100 + r;
            text.push_str(&format!("  - name: Rule {i:05}\n    order: 1\n    actions:\n      - add_tags: [t{i}]\n"));
        }
        std::fs::write(rules.join(format!("rules-{f:03}.yaml")), text).unwrap();
    }
    let clean = tmp.path().join("clean.jsonl");
    std::fs::write(&clean, clean_lines()).unwrap();
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        "rules",
        "--incidents",
        "clean.jsonl",
        "--now",
        NOW,
    ]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    // The shared order is said once, at the first rule, naming the next five places.
    let warnings: Vec<&str> = stderr.split("\n\n").filter(|b| b.starts_with("warning[SR017]")).collect();
    assert_eq!(
        warnings,
        ["warning[SR017]: rules `Rule 00000`, `Rule 00001`, `Rule 00002`, `Rule 00003`, `Rule 00004` and 9995 more share order 1
 --> rules/rules-000.yaml:2:5
  |
2 |   - name: Rule 00000
  |     ^^^^
  |
  = note: also at rules/rules-000.yaml:6:5, rules/rules-000.yaml:10:5, rules/rules-000.yaml:14:5, rules/rules-000.yaml:18:5, rules/rules-000.yaml:22:5 and 9994 more
  = help: Sentinel runs rules with the same order in random order; sentinel-soar runs them by name, and `apply`, `test` and `impact` with `--ties permute` try every order. Give each its own order"]
    );
    // The error and the closing lines.
    let blocks: Vec<&str> = stderr.split("\n\n").filter(|b| !b.starts_with("warning[SR017]")).collect();
    insta::assert_snapshot!("ten_thousand_rules", blocks.join("\n\n"));
}

#[test]
fn directories_where_files_are_expected() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dir");
    std::fs::create_dir(&dir).unwrap();
    let file = tmp.path().join("clean.jsonl");
    std::fs::write(&file, clean_lines()).unwrap();
    let (dir, file) = (dir.to_str().unwrap(), file.to_str().unwrap());
    let out_file = tmp.path().join("out.jsonl");
    let out_file = out_file.to_str().unwrap();
    let file_slash = format!("{file}/");
    let cases: [(&str, Vec<&str>); 6] = [
        ("previous", vec!["--incidents", file, "--trigger", "updated", "--previous", dir]),
        ("rejects", vec!["--incidents", file, "--rejects", dir, "--out", out_file]),
        ("audit", vec!["--incidents", file, "--audit", dir, "--out", out_file]),
        ("out_file_slash", vec!["--incidents", file, "--out", &file_slash]),
        ("incidents", vec!["--incidents", dir]),
        ("rules", vec!["--incidents", file, "--rules", dir]),
    ];
    for (name, args) in cases {
        let mut cmd = soar();
        cmd.current_dir(corpus()).args(["apply", "--now", NOW]);
        if name != "rules" {
            cmd.args(["--rules", TAG_RULE]);
        }
        let (code, stdout, stderr) = run(cmd.args(&args));
        assert_eq!((code, stdout.as_str()), (2, ""), "{name}: {stderr}");
        assert!(!Path::new(out_file).exists(), "{name}: an output was written before the error");
        assert_eq!(std::fs::read(file).unwrap(), clean_lines(), "{name}: the input changed");
        insta::with_settings!({ description => normalize(&format!("apply {}", args.join(" ")), tmp.path()) }, {
            insta::assert_snapshot!(format!("directory__{name}"), normalize(&stderr, tmp.path()));
        });
    }
}
