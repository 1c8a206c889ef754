//! The CI formats of `validate` against their specifications: `--format azuredevops` read back
//! with the logging-command grammar the Azure Pipelines agent applies (every issue carries what
//! the JSON output says, escaped so that the agent reads exactly that), `--format gitlab`
//! against GitLab's Code Quality format (required fields and types, unique fingerprints that do
//! not move with line numbers), both pinned by snapshots of the broken-rules fixture set; and
//! every format names every file the same way, relative to the working directory, without `./`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::ci_helpers::{code_quality_errors, issues, parse_all, text_of, Line};
use crate::common::{root, run, soar, NOW};

const FIXTURES: &str = "tests/fixtures/broken-rules";

/// `validate ARGS` from `dir` without a configuration: exit code, stdout, stderr.
fn validate_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(dir).arg("validate").args(args).args(["--now", NOW, "--no-config"]))
}

/// The broken-rules set in `format`.
fn whole_set(format: &str) -> String {
    let (exit, stdout, stderr) = validate_in(&root(), &[FIXTURES, "--format", format]);
    assert_eq!((exit, stderr.as_str()), (1, ""));
    stdout
}

#[test]
fn azuredevops_of_the_fixture_set_follows_the_logging_command_grammar() {
    let text = whole_set("azuredevops");
    let lines = parse_all(&text);
    let json: Value = serde_json::from_str(&whole_set("json")).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    // One issue per error and warning, in the JSON order, saying what the JSON says.
    let want: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64(),
                d["column"].as_u64(),
                d["code"].as_str().unwrap().to_owned(),
                text_of(d),
            )
        })
        .collect();
    assert_eq!(issues(&lines), want);
    // Then the summary line, as the human output closes, and the failure of the step.
    let (_, human, _) = validate_in(&root(), &[FIXTURES]);
    let n = lines.len();
    assert_eq!(lines[n - 2], Line::Plain(human.lines().last().unwrap().to_owned()));
    assert_eq!(text.lines().last(), Some("##vso[task.complete result=Failed;]"));
    assert_eq!(lines[n - 1].property("result"), Some("Failed"));
    assert_eq!(n, diagnostics.len() + 2);
    insta::assert_snapshot!("azuredevops", text);
}

#[test]
fn azuredevops_escapes_what_the_agent_would_read_as_syntax_and_fails_only_a_failing_run() {
    let dir = tempfile::tempdir().unwrap();
    let name = "odd;name]%.yaml";
    std::fs::write(dir.path().join(name), "name: r\norder: 1\n100%: x\nactions:\n  - add_tags: [a]\n").unwrap();
    let (exit, stdout, stderr) = validate_in(dir.path(), &[".", "--format", "azuredevops"]);
    assert_eq!((exit, stderr.as_str()), (1, ""));
    assert!(stdout.starts_with("##vso[task.logissue type=error;sourcepath=odd%3Bname%5D%AZP25.yaml;"), "{stdout}");
    let found = issues(&parse_all(&stdout));
    assert_eq!(found.len(), 1, "{stdout}");
    let (kind, path, line, column, code, data) = &found[0];
    assert_eq!(
        (kind.as_str(), path.as_str(), *line, *column, code.as_str()),
        ("error", name, Some(3), Some(1), "SR003")
    );
    assert!(data.starts_with("unknown key `100%` in a rule\nhelp: "), "{data:?}");

    // Warnings only: no failure, unless --strict.
    std::fs::remove_file(dir.path().join(name)).unwrap();
    std::fs::copy(root().join(FIXTURES).join("SR017-shared-order.yaml"), dir.path().join("ties.yaml")).unwrap();
    let (exit, stdout, _) = validate_in(dir.path(), &["ties.yaml", "--format", "azuredevops"]);
    assert_eq!(exit, 0);
    assert_eq!(issues(&parse_all(&stdout)).len(), 1);
    assert!(!stdout.contains("task.complete"), "{stdout}");
    let (exit, stdout, _) = validate_in(dir.path(), &["ties.yaml", "--format", "azuredevops", "--strict"]);
    assert_eq!(exit, 1);
    assert!(stdout.ends_with("\n##vso[task.complete result=Failed;]\n"), "{stdout}");
}

#[test]
fn azuredevops_writes_info_notes_as_plain_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("package.json"), r#"{"name": "tools", "version": "1.0.0"}"#).unwrap();
    let (exit, stdout, _) = validate_in(dir.path(), &[".", "--format", "azuredevops"]);
    assert_eq!(exit, 0);
    assert_eq!(
        parse_all(&stdout),
        [
            Line::Plain("note: package.json RP001 not Sentinel content: skipped".into()),
            Line::Plain("no file checked; 1 other file skipped: no problems".into()),
        ]
    );
}

#[test]
fn gitlab_of_the_fixture_set_passes_the_code_quality_format() {
    let text = whole_set("gitlab");
    assert!(!text.starts_with('\u{feff}'), "GitLab refuses a byte order mark");
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(code_quality_errors(&report), Vec::<String>::new());
    let issues = report.as_array().unwrap();
    let json: Value = serde_json::from_str(&whole_set("json")).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(issues.len(), diagnostics.len());
    for (issue, d) in issues.iter().zip(diagnostics) {
        assert_eq!(issue["check_name"], d["code"]);
        assert_eq!(issue["location"]["path"], d["file"]);
        assert_eq!(issue["location"]["lines"]["begin"], d["line"]);
        assert_eq!(issue["description"].as_str().unwrap(), text_of(d).replace('\n', "; "));
        let severity = if d["severity"] == "error" { "major" } else { "minor" };
        assert_eq!(issue["severity"], severity);
    }
    let fingerprints: BTreeSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    // The check has teeth: what GitLab refuses, the schema refuses.
    for (pointer, value) in [
        ("/0/severity", Value::from("fatal")),
        ("/0/location/lines/begin", Value::from("3")),
        ("/0/location/path", Value::from("./rules/a.yaml")),
        ("/0/location/path", Value::from("/abs/a.yaml")),
    ] {
        let mut bad = report.clone();
        *bad.pointer_mut(pointer).unwrap() = value;
        assert!(!code_quality_errors(&bad).is_empty(), "{pointer}");
    }
    let mut bad = report.clone();
    bad[0].as_object_mut().unwrap().remove("check_name");
    assert!(!code_quality_errors(&bad).is_empty());
    insta::assert_snapshot!("gitlab", text);
}

#[test]
fn gitlab_fingerprints_stay_when_lines_move_and_differ_for_repeated_findings() {
    let dir = tempfile::tempdir().unwrap();
    let rules = "rules:\n  - name: a\n    order: 1\n    nme: x\n    actions: [{add_tags: [t]}]\n  - name: b\n    order: 2\n    nme: y\n    actions: [{add_tags: [t]}]\n";
    std::fs::write(dir.path().join("r.yaml"), rules).unwrap();
    let report = |dir: &Path| -> Vec<(String, u64)> {
        let (_, stdout, _) = validate_in(dir, &["r.yaml", "--format", "gitlab"]);
        let report: Value = serde_json::from_str(&stdout).unwrap();
        report
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["fingerprint"].as_str().unwrap().to_owned(), i["location"]["lines"]["begin"].as_u64().unwrap()))
            .collect()
    };
    let before = report(dir.path());
    assert_eq!(before.len(), 2);
    assert_ne!(before[0].0, before[1].0, "two identical findings in one file");
    std::fs::write(dir.path().join("r.yaml"), format!("# a comment\n# and another\n{rules}")).unwrap();
    let after = report(dir.path());
    assert_eq!(after.iter().map(|(_, l)| *l).collect::<Vec<_>>(), [6, 10]);
    assert_eq!(
        after.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        before.iter().map(|(f, _)| f).collect::<Vec<_>>(),
        "the lines moved, the fingerprints did not"
    );
}

/// The file each finding of an output names, in order, for every format.
fn paths(format: &str, text: &str) -> Vec<String> {
    let json = || serde_json::from_str::<Value>(text).unwrap();
    let strings = |values: Vec<&Value>| values.iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    match format {
        "human" => text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("--> "))
            .map(|l| l.split(':').next().unwrap().to_owned())
            .collect(),
        "json" => strings(json()["diagnostics"].as_array().unwrap().iter().map(|d| &d["file"]).collect()),
        "sarif" => strings(
            json()["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
                .collect(),
        ),
        "gitlab" => strings(json().as_array().unwrap().iter().map(|i| &i["location"]["path"]).collect()),
        "junit" => {
            let report = quick_junit::Report::deserialize_from_str(text).unwrap();
            report.test_suites[0]
                .test_cases
                .iter()
                .filter(|c| !matches!(c.status, quick_junit::TestCaseStatus::Success { .. }))
                .map(|c| c.name.to_string())
                .collect()
        }
        "github" => {
            text.lines().map(|l| l.split("file=").nth(1).unwrap().split(',').next().unwrap().to_owned()).collect()
        }
        "azuredevops" => issues(&parse_all(text)).into_iter().map(|i| i.1).collect(),
        other => panic!("{other}"),
    }
}

#[test]
fn every_format_names_files_relative_to_the_working_directory_without_dot_slash() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("AutomationRules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(root().join(FIXTURES).join("SR006-unknown-property.yaml"), rules.join("bad.yaml")).unwrap();
    let absolute = rules.join("bad.yaml").display().to_string();
    for args in [&["."][..], &["./AutomationRules"], &["AutomationRules/./bad.yaml"], &[absolute.as_str()]] {
        for format in ["human", "json", "sarif", "junit", "github", "azuredevops", "gitlab"] {
            let mut all = args.to_vec();
            all.extend(["--format", format]);
            let (exit, stdout, stderr) = validate_in(dir.path(), &all);
            assert_eq!((exit, stderr.as_str()), (1, ""), "{args:?} {format}");
            assert_eq!(paths(format, &stdout), ["AutomationRules/bad.yaml"], "{args:?} {format}:\n{stdout}");
        }
    }
}

#[test]
fn junit_shows_the_files_a_repository_walk_does_not_check_as_skipped() {
    let (exit, stdout, stderr) = validate_in(&root(), &["examples/repo", "--format", "junit"]);
    assert_eq!((exit, stderr.as_str()), (0, ""));
    let report = quick_junit::Report::deserialize_from_str(&stdout).unwrap();
    let skipped: Vec<(String, String)> = report.test_suites[0]
        .test_cases
        .iter()
        .filter_map(|c| match &c.status {
            quick_junit::TestCaseStatus::Skipped { message, .. } => {
                Some((c.name.to_string(), message.as_ref().unwrap().to_string()))
            }
            _ => None,
        })
        .collect();
    let want = [
        ("Playbooks/Comment-Rare-Operations.parameters-8c5ab3a1-2f1e-4d0a-9b7c-5e6f7a8b9c0d.json", "parameter file"),
        ("Playbooks/Comment-Rare-Operations.parameters.json", "parameter file"),
        ("Workbooks/SOC-Overview.json", "workbook"),
        ("sentinel-deployment.config", "deployment config"),
    ];
    let want: Vec<(String, String)> =
        want.iter().map(|(f, k)| (format!("examples/repo/{f}"), format!("{k}: not checked"))).collect();
    assert_eq!(skipped, want);
    assert_eq!((report.tests, report.failures), (9, 0), "the 5 checked files pass");
}
