//! `sentinel-soar test` end to end: the example tests pass, deliberately wrong expectations fail
//! with a diff (human, JSON and JUnit snapshots), and invalid test files are diagnostics with
//! exit code 2 and nothing run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use crate::common;

use common::run_args as run;
use sentinel_soar::ruletest::Check;

#[test]
fn the_example_tests_pass() {
    let (code, stdout, stderr) = run(&["test", "examples/tests"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.starts_with("running 42 tests\n"), "{stdout}");
    assert!(stdout.ends_with("\n\n42 passed, 0 failed\n"), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("test ") && l.ends_with(" ... ok")).count(), 42);
}

/// The rule names each example test expects to fire (`fired`, `fires`) and not to fire
/// (`not_fired`, or left out of an exact `fired` list).
fn example_expectations() -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut all, mut diags) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir("examples/rules").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        all.push(sentinel_soar::rules::file::decode(&path.display().to_string(), &text, &mut diags));
    }
    let (set, _) = sentinel_soar::rules::compile(&all, &sentinel_soar::rules::Options::default());
    let names: Vec<String> = set.rules().iter().map(|r| r.name.clone()).collect();
    let (mut fires, mut not) = (Vec::new(), Vec::new());
    for entry in std::fs::read_dir("examples/tests").unwrap() {
        let path = entry.unwrap().path();
        let file = sentinel_soar::ruletest::decode("t.yaml", &std::fs::read_to_string(&path).unwrap(), &mut diags);
        for e in file.cases.iter().flat_map(|c| &c.expect) {
            let values = |l: &[sentinel_soar::ruletest::Text]| l.iter().map(|t| t.value.clone()).collect::<Vec<_>>();
            match &e.check {
                Check::Fired(l) => {
                    fires.extend(values(l));
                    not.extend(names.iter().filter(|n| !values(l).contains(n)).cloned());
                }
                Check::Fires(l) => fires.extend(values(l)),
                Check::NotFired(l) => not.extend(values(l)),
                _ => {}
            }
        }
    }
    assert!(diags.is_empty(), "{diags:?}");
    (names, fires, not)
}

#[test]
fn every_example_rule_is_tested_firing_and_not_firing() {
    let (names, fires, not) = example_expectations();
    assert_eq!(names.len(), 17);
    for name in &names {
        // The disabled PagerDuty rule cannot fire; its test is that it does not.
        assert!(fires.contains(name) || name.starts_with("Page on-call"), "no example test expects `{name}` to fire");
        assert!(not.contains(name), "no example test expects `{name}` not to fire");
    }
}

#[test]
fn wrong_expectations_fail_with_a_diff() {
    let (code, stdout, stderr) = run(&["test", "tests/fixtures/ruletest-failing"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    insta::assert_snapshot!("failing_human", stdout);
    assert!(stdout.ends_with("\n1 passed, 3 failed\n"));
}

#[test]
fn wrong_expectations_as_json() {
    let (code, stdout, _) =
        run(&["test", "--format", "json", "tests/fixtures/ruletest-failing/wrong-expectations.yaml"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["summary"], serde_json::json!({"passed": 1, "failed": 3}));
    insta::assert_snapshot!("failing_json", stdout);
}

#[test]
fn wrong_expectations_as_junit_xml() {
    let (code, stdout, _) = run(&["test", "--format", "junit", "tests/fixtures/ruletest-failing/*.yaml"]);
    assert_eq!(code, 1);
    let report = quick_junit::Report::deserialize_from_str(&stdout).unwrap();
    assert_eq!((report.tests, report.failures, report.test_suites.len()), (4, 3, 1));
    insta::assert_snapshot!("failing_junit", stdout);
}

#[test]
fn the_examples_as_junit_have_a_suite_per_file() {
    let (code, stdout, _) = run(&["test", "--format", "junit", "examples/tests"]);
    assert_eq!(code, 0);
    let report = quick_junit::Report::deserialize_from_str(&stdout).unwrap();
    assert_eq!((report.tests, report.failures, report.test_suites.len()), (42, 0, 7));
}

#[test]
fn invalid_test_files_are_diagnostics_and_nothing_runs() {
    let (code, stdout, stderr) = run(&["test", "tests/fixtures/ruletest-invalid"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("invalid_diagnostics", stderr);
}

#[test]
fn rule_files_with_errors_stop_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("rules.yaml"),
        "name: r\norder: 1\nactions:\n  - change_status: { status: Closed }\n",
    )
    .unwrap();
    let test = dir.path().join("t.yaml");
    std::fs::write(
        &test,
        "rules: rules.yaml\ntests:\n  - name: x\n    incident: { title: t, status: New }\n    expect: { fired: [r] }\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&["test", test.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("error[SR012]: closing an incident requires a classification"), "{stderr}");
    assert!(stderr.contains("error[ST006]: the rule files of this test file have errors"), "{stderr}");
    assert!(stderr.contains("t.yaml:1:8"), "{stderr}");
}

/// `code line:column` of each finding of `validate PATH --format json`.
fn validate_codes(path: &str) -> (i32, Vec<String>) {
    let (code, stdout, stderr) = run(&["validate", path, "--format", "json"]);
    assert_eq!(stderr, "");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found = doc["diagnostics"].as_array().unwrap().iter();
    (code, found.map(|d| format!("{} {}:{}", d["code"].as_str().unwrap(), d["line"], d["column"])).collect())
}

/// Review 3, item 4: a new user's test file with five mistakes. They used to come in three
/// rounds (the decoder's errors, then the rules path, then the incident and the rule name); now
/// `test` and `validate` report them in one run. Without the rules, the rule name cannot be
/// checked: the rules path error stands for it.
#[test]
fn every_mistake_of_a_test_file_is_reported_in_one_run() {
    let path = "tests/fixtures/ruletest-rounds/tests/rounds.yaml";
    let (code, stdout, stderr) = run(&["test", path]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("rounds_test", stderr);
    let (code, stdout, stderr) = run(&["validate", path]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    insta::assert_snapshot!("rounds_validate", stdout);
    assert_eq!(
        validate_codes(path),
        (1, ["ST001 4:8", "ST001 7:15", "SR011 8:54", "SR003 11:5"].map(String::from).to_vec())
    );
}

/// The same file once its rules path exists: the misspelt rule (ST003) is reported with the
/// directory given as an incident, the bad status and the unknown key.
#[test]
fn with_its_rules_found_the_misspelt_rule_is_reported_with_the_other_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(Path::new("tests/fixtures/ruletest-rounds"), dir.path());
    common::copy_dir(Path::new("examples/rules"), &dir.path().join("rule"));
    let path = dir.path().join("tests/rounds.yaml");
    let path = path.to_str().unwrap();
    let (code, stdout, stderr) = run(&["test", path]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    let codes: Vec<&str> = stderr.lines().filter_map(|l| l.strip_prefix("error[")).map(|l| &l[..5]).collect();
    assert_eq!(codes, ["ST001", "ST003", "SR011", "SR003"], "{stderr}");
    assert!(stderr.contains("no rule named `Tag credential acess` in the rules under test"), "{stderr}");
    assert!(stderr.contains("did you mean `Tag credential access`?"), "{stderr}");
    assert!(stderr.ends_with("4 errors, 0 warnings\nno test was run: fix the test files first\n"), "{stderr}");
    let expected = ["ST001 7:15", "ST003 8:23", "SR011 8:54", "SR003 11:5"].map(String::from).to_vec();
    assert_eq!(validate_codes(path), (1, expected));
}

/// A rule test with errors of its own still has its incident and previous files checked, and
/// a missing playbooks path does not hide them either.
#[test]
fn the_files_of_a_test_with_errors_are_checked_and_a_missing_playbooks_path_hides_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.yaml");
    let examples = common::root().join("examples");
    common::write(
        &file,
        &format!(
            "rules: {rules}
playbooks: no-playbooks
tests:
  - name: an update
    trigger: updated
    incident: {examples}/incidents/4101-pentest-pt-07.json
    previous: missing-previous.json
    updated_by: Someone
    expect: {{ status: New }}
  - name: an update
    incident: missing.json
    expect: {{ not_fired: [Supress red team pentest 2026] }}
",
            rules = examples.join("rules").display(),
            examples = examples.display()
        ),
    );
    let (code, stdout, stderr) = run(&["test", file.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    let found: Vec<String> = stderr
        .lines()
        .filter(|l| l.starts_with("error[") || l.contains(" --> "))
        .map(|l| l.replace(&file.display().to_string(), "t.yaml").replace(&format!("{}/", dir.path().display()), ""))
        .collect();
    assert_eq!(
        found,
        [
            "error[ST001]: playbook path no-playbooks does not exist",
            " --> t.yaml:2:12",
            "error[ST001]: cannot read incident file missing-previous.json: No such file or directory (os error 2)",
            " --> t.yaml:7:15",
            "error[SR011]: `Someone` is not a valid updated-by source",
            " --> t.yaml:8:17",
            "error[ST004]: duplicate test name `an update`",
            "  --> t.yaml:10:5",
            "error[ST001]: cannot read incident file missing.json: No such file or directory (os error 2)",
            "  --> t.yaml:11:15",
            "error[ST003]: no rule named `Supress red team pentest 2026` in the rules under test",
            "  --> t.yaml:12:27",
        ],
        "{stderr}"
    );
}

#[test]
fn a_missing_test_path_is_a_usage_error() {
    let (code, stdout, stderr) = run(&["test", "no/such/tests"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", "error: test path no/such/tests does not exist\n"));
    assert!(!Path::new("no/such/tests").exists());
}
