//! `sentinel-soar validate` driven as a user would: the broken-rules fixture set (one file per
//! finding, named after its code) must each report exactly that finding at the right line and
//! column; every code is pinned in human and JSON form, and the whole set in SARIF (checked
//! against the SARIF 2.1.0 schema), JUnit (parsed back) and GitHub form; the examples are
//! clean; `--sentinel`, `--strict` and the exit codes behave as documented.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/broken-rules";
const NOW: &str = "2026-06-01T00:00:00Z";

/// A fixture's only finding: file stem, severity, and line and column (None: no span).
type Expected = (&'static str, &'static str, Option<(u64, u64)>);

const EXPECTED: &[Expected] = &[
    ("SR001-yaml-syntax", "error", Some((2, 7))),
    ("SR002-duplicate-key", "error", Some((4, 1))),
    ("SR003-unknown-key", "error", Some((3, 1))),
    ("SR004-missing-key", "error", Some((2, 1))),
    ("SR005-wrong-type", "error", Some((3, 8))),
    ("SR006-unknown-property", "error", Some((5, 17))),
    ("SR007-unknown-operator", "error", Some((5, 42))),
    ("SR008-operator-not-for-property", "warning", Some((5, 45))),
    ("SR009-invalid-regex", "error", Some((5, 55))),
    ("SR010-invalid-cidr", "error", Some((5, 69))),
    ("SR011-invalid-enum", "error", Some((5, 22))),
    ("SR012-close-without-classification", "error", Some((5, 20))),
    ("SR013-reason-mismatch", "error", Some((8, 15))),
    ("SR014-update-leaf-on-create", "error", Some((6, 7))),
    ("SR015-alert-rule-action", "error", Some((6, 5))),
    ("SR016-duplicate-rule-name", "error", Some((7, 5))),
    ("SR017-shared-order", "warning", Some((3, 5))),
    ("SR018-order-range", "error", Some((3, 8))),
    ("SR019-too-many-actions", "error", Some((5, 3))),
    ("SR020-too-many-conditions", "error", Some((5, 3))),
    ("SR021-group-size", "error", Some((7, 7))),
    ("SR022-name-length", "error", Some((2, 7))),
    ("SR023-too-many-rules", "error", Some((515, 7))),
    ("SR024-expired-rule", "warning", Some((4, 10))),
    ("SR025-never-holds", "warning", Some((7, 9))),
    ("SR027-invalid-playbook-name", "error", Some((5, 19))),
    ("SR028-invalid-timestamp", "error", Some((4, 10))),
    ("SR029-empty-list", "error", Some((5, 7))),
    ("SR030-condition-shape", "error", Some((5, 7))),
    ("SR031-extension-operator", "error", Some((5, 37))),
    ("SR032-classification-not-closing", "error", Some((7, 23))),
    ("SR033-no-rules", "warning", Some((2, 8))),
    ("SR035-not-utf8", "error", Some((2, 24))),
];

/// Runs `sentinel-soar validate ARGS` from the crate root without colour: exit code, stdout,
/// stderr.
fn validate(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("sentinel-soar")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .arg("validate")
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

/// The fixture's path and the flags it needs (SR031 only shows under --sentinel).
fn fixture_args(stem: &str) -> Vec<String> {
    let mut args = vec![format!("{FIXTURES}/{stem}.yaml"), "--now".into(), NOW.into()];
    if stem.starts_with("SR031") {
        args.push("--sentinel".into());
    }
    args
}

fn run_fixture(stem: &str, format: &str) -> (i32, String) {
    let mut args = fixture_args(stem);
    args.extend(["--format".to_owned(), format.to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = validate(&args);
    assert_eq!(stderr, "", "{stem}");
    (code, stdout)
}

#[test]
fn every_fixture_reports_exactly_its_code_at_its_position() {
    let mut on_disk: Vec<String> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|(stem, _, _)| *stem).collect();
    assert_eq!(on_disk, listed, "every fixture file has one expectation");
    for &(stem, severity, position) in EXPECTED {
        let (exit, stdout) = run_fixture(stem, "json");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let diags = report["diagnostics"].as_array().unwrap();
        assert_eq!(diags.len(), 1, "{stem}: {stdout}");
        let d = &diags[0];
        assert_eq!(d["code"], stem[..5], "{stem}");
        assert_eq!(d["severity"], severity, "{stem}");
        assert_eq!(d["file"], format!("{FIXTURES}/{stem}.yaml"), "{stem}");
        let found = d["line"].as_u64().zip(d["column"].as_u64());
        assert_eq!(found, position, "{stem}");
        assert_eq!(exit, if severity == "error" { 1 } else { 0 }, "{stem}");
    }
}

#[test]
fn every_code_in_human_and_json_form() {
    for &(stem, _, _) in EXPECTED {
        let (_, human) = run_fixture(stem, "human");
        let (_, json) = run_fixture(stem, "json");
        insta::with_settings!({ snapshot_suffix => &stem[..5], description => format!("validate {stem}.yaml") }, {
            insta::assert_snapshot!("human", human);
            insta::assert_snapshot!("json", json);
        });
    }
}

fn whole_set(format: &str) -> String {
    let (exit, stdout, stderr) = validate(&[FIXTURES, "--now", NOW, "--format", format]);
    assert_eq!((exit, stderr.as_str()), (1, ""));
    stdout
}

#[test]
fn sarif_of_the_fixture_set_passes_the_sarif_2_1_0_schema() {
    let sarif = whole_set("sarif");
    let validator = crate::ci_helpers::sarif_validator();
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The check has teeth: a wrong level or a URI with a space is rejected.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b.yaml".into();
    assert!(!validator.is_valid(&bad));
    let run = &log["runs"][0];
    let rules: Vec<&str> =
        run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    for result in run["results"].as_array().unwrap() {
        let id = result["ruleId"].as_str().unwrap();
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize], id);
    }
    insta::assert_snapshot!("sarif", sarif);
}

#[test]
fn junit_of_the_fixture_set_parses_as_junit_xml() {
    let xml = whole_set("junit");
    let report = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    let suite = &report.test_suites[0];
    assert_eq!(suite.name.as_str(), "sentinel-soar validate");
    assert_eq!(suite.test_cases.len(), EXPECTED.len(), "one test case per file");
    // SR031 needs --sentinel, which this run does not give.
    let errors =
        EXPECTED.iter().filter(|(stem, severity, _)| *severity == "error" && !stem.starts_with("SR031")).count();
    assert_eq!(suite.failures, errors, "files with only warnings pass");
    insta::assert_snapshot!("junit", xml);
}

#[test]
fn github_annotations_of_the_fixture_set() {
    let text = whole_set("github");
    assert!(text.lines().all(|l| l.starts_with("::error file=") || l.starts_with("::warning file=")), "{text}");
    insta::assert_snapshot!("github", text);
}

#[test]
fn rules_without_an_order_take_no_part_in_order_ties() {
    let missing = format!("{FIXTURES}/SR004-missing-key.yaml");
    let bulk = format!("{FIXTURES}/SR023-too-many-rules.yaml");
    let (exit, stdout, _) = validate(&[&missing, &bulk, "--now", NOW, "--format", "json"]);
    assert_eq!(exit, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SR004", "SR023"], "{stdout}");
}

#[test]
fn the_examples_are_clean() {
    let (exit, stdout, stderr) = validate(&["examples/", "--now", NOW]);
    assert_eq!((exit, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(
        stdout,
        "8 automation rule files, 7 playbook files, 2 analytic rule files, 7 rule test files, 6 mocks files checked; 22 other files skipped: no problems\n"
    );
}

#[test]
fn sentinel_reports_extension_operators_as_errors() {
    let file = "examples/rules/pentest-suppression.yaml";
    assert_eq!(validate(&[file, "--now", NOW]).0, 0);
    let (exit, stdout, _) = validate(&[file, "--now", NOW, "--sentinel", "--format", "json"]);
    assert_eq!(exit, 1);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SR031"]);
    assert_eq!(
        (report["diagnostics"][0]["line"].as_u64(), report["diagnostics"][0]["column"].as_u64()),
        (Some(19), Some(48))
    );
}

#[test]
fn strict_fails_a_warnings_only_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().display().to_string();
    let path = format!("{root}/ties.yaml");
    std::fs::copy(format!("{}/{FIXTURES}/SR017-shared-order.yaml", env!("CARGO_MANIFEST_DIR")), &path).unwrap();
    let (exit, _, _) = validate(&[&path, "--now", NOW]);
    assert_eq!(exit, 0, "warnings alone pass");
    let (exit, stdout, stderr) = validate(&[&path, "--now", NOW, "--strict"]);
    assert_eq!((exit, stderr.as_str()), (1, ""));
    let stdout = stdout.replace(&root, "[TMP]");
    assert!(stdout.starts_with("warning[SR017]: rules `Fixture SR017 shared order A`, `Fixture SR017 shared order B` share order 617\n --> [TMP]/ties.yaml:3:5\n"), "{stdout}");
    assert!(stdout.ends_with("\n1 automation rule file checked: 0 errors, 1 warning\n"), "{stdout}");
}

#[test]
fn usage_errors_and_unreadable_paths_exit_2() {
    let (exit, stdout, stderr) = validate(&["tests/fixtures/no-such-dir"]);
    assert_eq!(
        (exit, stdout.as_str(), stderr.as_str()),
        (2, "", "error: rule path tests/fixtures/no-such-dir does not exist\n")
    );
    let (exit, _, stderr) = validate(&["examples/", "--now", "tomorrow"]);
    assert_eq!(
        (exit, stderr.as_str()),
        (
            2,
            "error: invalid value 'tomorrow' for '--now <TIME>': neither a date (2026-12-31) nor an RFC 3339 timestamp (2026-12-31T23:59:59Z)\n\nFor more information, try '--help'.\n"
        )
    );
    let (exit, _, stderr) = validate(&["examples/", "--format", "xml"]);
    assert_eq!(exit, 2);
    assert!(stderr.contains("invalid value 'xml' for '--format <FORMAT>'"), "{stderr}");
    assert_eq!(validate(&[]).0, 2);
}
