//! `test --coverage` (issue 14): which rules fired, which condition leaves were seen true and
//! false, which actions and playbook actions ran and which branches were taken, by line; as a
//! human report, JSON and an lcov tracefile that follows geninfo(1)'s grammar; `--min` fails
//! the run below the threshold; a report that cannot be written is a usage error.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{self, root, soar};

const FIXTURE: &str = "tests/fixtures/coverage/tests.yaml";

/// `test` and `args` from the crate root.
fn test(args: &[&str]) -> (i32, String, String) {
    common::run(soar().current_dir(root()).arg("test").args(args))
}

/// The part of standard output after the test results.
fn coverage_part(stdout: &str) -> &str {
    stdout.split_once(" failed\n\n").map_or("", |(_, rest)| rest)
}

#[test]
fn the_human_report_counts_each_rule_leaf_and_action_by_line() {
    let (code, stdout, stderr) = test(&[FIXTURE, "--coverage"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        coverage_part(&stdout),
        "coverage: 72.7% (8 of 11): rules fired 1/2, condition outcomes 5/6, actions 2/3

tests/fixtures/coverage/rules.yaml: 72.7% (8 of 11)
     3  rule `Close scans` (order 1): fired once
     6    IncidentTitle Contains [scan]: true 2, false 1
     7    IncidentSeverity NotEquals [High]: true 1, false 1
     9    change_status: ran once
    10    add_tags: ran once
    11  rule `Never fires` (order 2): never fired
    14    IncidentTitle Contains [never-in-a-title]: true 0, false 3 (never true)
    16    change_severity: never ran
"
    );
}

#[test]
fn the_examples_have_a_per_rule_and_per_leaf_report_with_playbooks() {
    let (code, stdout, stderr) = test(&["examples/tests", "--coverage"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("coverage_examples", coverage_part(&stdout));
}

#[test]
fn json_counts_add_up_to_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coverage.json");
    let arg = format!("--coverage={}", path.display());
    let (code, stdout, stderr) = test(&["examples/tests", &arg, "--coverage-format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.ends_with("42 passed, 0 failed\n"), "only the results on standard output");
    assert!(stderr.starts_with("coverage: ") && stderr.ends_with(&format!("(report written to {})\n", path.display())));
    let report: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let totals = &report["coverage"];
    let (mut rules, mut outcomes, mut actions, mut steps, mut branches) = (0, 0, 0, 0, 0);
    for file in report["files"].as_array().unwrap() {
        for rule in file["rules"].as_array().into_iter().flatten() {
            rules += 1;
            outcomes += 2 * rule["conditions"].as_array().unwrap().len();
            actions += rule["actions"].as_array().unwrap().len();
        }
        for playbook in file["playbooks"].as_array().into_iter().flatten() {
            for action in playbook["actions"].as_array().unwrap() {
                steps += 1;
                branches += action["branches"].as_array().unwrap().len();
            }
        }
    }
    assert_eq!(totals["rules"]["total"], rules);
    assert_eq!(totals["conditionOutcomes"]["total"], outcomes);
    assert_eq!(totals["actions"]["total"], actions);
    assert_eq!(totals["playbookActions"]["total"], steps);
    assert_eq!(totals["playbookBranches"]["total"], branches);
    assert_eq!(totals["total"], rules + outcomes + actions + steps + branches);
    // A Switch of the examples: the ServiceNow urgency by severity took only its High case.
    let servicenow = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == "examples/playbooks/servicenow-sync.yaml")
        .unwrap();
    let switch = &servicenow["playbooks"][0]["actions"][1];
    assert_eq!(switch["name"], "By_severity");
    assert_eq!(
        switch["branches"],
        serde_json::json!([{"branch": "High", "taken": 3}, {"branch": "Medium", "taken": 0}, {"branch": "default", "taken": 0}])
    );
}

/// The lcov tracefile grammar (geninfo(1), "FILES"): records of `SF:`, then `FN:` lines,
/// `FNDA:` lines, `FNF:`/`FNH:`, `BRDA:` lines, `BRF:`/`BRH:`, `DA:` lines, `LF:`/`LH:`, and
/// `end_of_record`; every count consistent with the lines it counts, every line number inside
/// the file. Returns the files and their DA lines.
fn check_lcov(text: &str) -> Vec<(String, Vec<(usize, u64)>)> {
    let number = |s: &str| -> u64 { s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}")) };
    let mut records = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(first) = lines.next() {
        let path = first.strip_prefix("SF:").unwrap_or_else(|| panic!("a record starts with SF:, not {first:?}"));
        let source = std::fs::read_to_string(root().join(path)).unwrap_or_else(|_| panic!("{path} is not a file"));
        let last_line = source.lines().count() as u64;
        let mut take = |prefix: &str| -> Vec<String> {
            let mut out = Vec::new();
            while let Some(rest) = lines.peek().and_then(|l| l.strip_prefix(prefix)) {
                out.push(rest.to_owned());
                lines.next();
            }
            out
        };
        let functions = take("FN:");
        let executions = take("FNDA:");
        let fnf = take("FNF:");
        let fnh = take("FNH:");
        let branches = take("BRDA:");
        let brf = take("BRF:");
        let brh = take("BRH:");
        let da = take("DA:");
        let lf = take("LF:");
        let lh = take("LH:");
        let end = lines.next();
        assert_eq!(end, Some("end_of_record"), "{path}: record not closed");
        let mut names = BTreeSet::new();
        for f in &functions {
            let (line, name) = f.split_once(',').unwrap();
            assert!((1..=last_line).contains(&number(line)), "{path}: FN line {line}");
            assert!(!name.is_empty() && !name.contains(','), "{path}: FN name {name:?}");
            assert!(names.insert(name.to_owned()), "{path}: FN {name} twice");
        }
        let mut hit = 0;
        for e in &executions {
            let (count, name) = e.split_once(',').unwrap();
            assert!(names.contains(name), "{path}: FNDA of an unknown function {name}");
            hit += u64::from(number(count) > 0);
        }
        assert_eq!(executions.len(), functions.len(), "{path}: one FNDA per FN");
        assert_eq!((fnf, fnh), (vec![functions.len().to_string()], vec![hit.to_string()]), "{path}: FNF/FNH");
        let mut taken_some = 0;
        let mut ids = BTreeSet::new();
        for b in &branches {
            let parts: Vec<&str> = b.split(',').collect();
            let [line, block, branch, taken] = parts[..] else { panic!("{path}: BRDA {b}") };
            assert!((1..=last_line).contains(&number(line)), "{path}: BRDA line {line}");
            assert!(ids.insert((number(block), number(branch))), "{path}: BRDA {b} twice");
            if taken != "-" {
                taken_some += u64::from(number(taken) > 0);
            }
        }
        assert_eq!((brf, brh), (vec![branches.len().to_string()], vec![taken_some.to_string()]), "{path}: BRF/BRH");
        let mut counts = Vec::new();
        for d in &da {
            let (line, count) = d.split_once(',').unwrap();
            assert!((1..=last_line).contains(&number(line)), "{path}: DA line {line}");
            counts.push((number(line) as usize, number(count)));
        }
        assert!(counts.windows(2).all(|w| w[0].0 < w[1].0), "{path}: DA lines ascending, once each");
        let lines_hit = counts.iter().filter(|(_, c)| *c > 0).count();
        assert_eq!((lf, lh), (vec![da.len().to_string()], vec![lines_hit.to_string()]), "{path}: LF/LH");
        records.push((path.to_owned(), counts));
    }
    records
}

#[test]
fn lcov_follows_the_tracefile_grammar() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lcov.info");
    let arg = format!("--coverage={}", path.display());
    let (code, _, stderr) = test(&[FIXTURE, &arg, "--coverage-format", "lcov"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        "SF:tests/fixtures/coverage/rules.yaml
FN:3,Close scans
FN:11,Never fires
FNDA:1,Close scans
FNDA:0,Never fires
FNF:2
FNH:1
BRDA:6,0,0,2
BRDA:6,0,1,1
BRDA:7,1,0,1
BRDA:7,1,1,1
BRDA:14,2,0,0
BRDA:14,2,1,3
BRF:6
BRH:5
DA:3,1
DA:6,3
DA:7,2
DA:9,1
DA:10,1
DA:11,0
DA:14,3
DA:16,0
LF:8
LH:6
end_of_record
"
    );
    check_lcov(&text);
    // The examples, playbooks included: every record well formed, every file of the examples'
    // rules and playbooks present.
    let (code, _, _) = test(&["examples/tests", &arg, "--coverage-format", "lcov"]);
    assert_eq!(code, 0);
    let records = check_lcov(&std::fs::read_to_string(&path).unwrap());
    let files: Vec<&str> = records.iter().map(|(f, _)| f.as_str()).collect();
    for dir in ["examples/rules", "examples/playbooks"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let name = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(files.contains(&name.as_str()), "{name} missing from {files:?}");
        }
    }
}

#[test]
fn min_fails_the_run_below_the_threshold() {
    let (code, _, stderr) = test(&[FIXTURE, "--coverage", "--min", "72"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (code, stdout, stderr) = test(&[FIXTURE, "--coverage", "--min", "80"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("3 passed, 0 failed\n"));
    assert_eq!(stderr, "error: coverage 72.7% is below --min 80%\n");
    let (code, _, stderr) = test(&["examples/tests", "--coverage", "--min", "101"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: invalid value '101' for '--min <PERCENT>': a percentage is from 0 to 100"),
        "{stderr}"
    );
    // --min and --coverage-format need --coverage.
    let (code, _, stderr) = test(&[FIXTURE, "--min", "50"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--coverage"), "{stderr}");
}

#[test]
fn a_coverage_path_that_cannot_be_written_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("a-file");
    std::fs::write(&blocker, "").unwrap();
    let under_a_file = blocker.join("lcov.info");
    let (code, stdout, stderr) = test(&[FIXTURE, &format!("--coverage={}", under_a_file.display())]);
    assert_eq!((code, stdout.as_str()), (2, ""), "no test runs");
    assert_eq!(
        stderr,
        format!(
            "error: --coverage={}: cannot be written: {} is a file, not a directory\n",
            under_a_file.display(),
            blocker.display()
        )
    );
    let (code, _, stderr) = test(&[FIXTURE, &format!("--coverage={}", dir.path().display())]);
    assert_eq!(code, 2);
    assert_eq!(stderr, format!("error: --coverage={}: is a directory; give a file path\n", dir.path().display()));
}

#[test]
fn coverage_shares_standard_output_only_with_human_results() {
    let (code, _, stderr) = test(&[FIXTURE, "--coverage", "--format", "json"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: the test results and the coverage report would both go to standard output: write the coverage to a file with --coverage=PATH\n"
    );
    let (code, _, _) = test(&[FIXTURE, "--coverage", "--coverage-format", "lcov"]);
    assert_eq!(code, 2);
    // `--coverage PATH` is the flag and a test path: the report goes to standard output.
    let (code, stdout, _) = test(&["--coverage", FIXTURE]);
    assert_eq!(code, 0);
    assert!(coverage_part(&stdout).starts_with("coverage: 72.7%"));
}
