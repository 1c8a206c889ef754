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

#[test]
fn a_missing_test_path_is_a_usage_error() {
    let (code, stdout, stderr) = run(&["test", "no/such/tests"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", "error: test path no/such/tests does not exist\n"));
    assert!(!Path::new("no/such/tests").exists());
}
