//! `--ties permute` (issue 14): rules of one trigger sharing an order run in random order in
//! Sentinel. Every order of each tie group runs; an incident whose outcome depends on the order
//! is reported with the rules and what differs, a tie whose orders commute is not, the outputs
//! stay those of the name order whatever `--jobs`, and a group of more than 8 rules is refused.

use serde_json::Value;

use crate::common::{self, root, soar, NOW};

const DIR: &str = "tests/fixtures/ties";

/// `apply --rules <rules> --incidents incidents.json` and `args`, from the crate root.
fn apply(rules: &[&str], args: &[&str]) -> (i32, String, String) {
    let rules: Vec<String> = rules.iter().map(|r| format!("{DIR}/{r}")).collect();
    common::run(
        soar()
            .current_dir(root())
            .arg("apply")
            .arg("--rules")
            .args(&rules)
            .args(["--incidents", &format!("{DIR}/incidents.json"), "--now", NOW])
            .args(args),
    )
}

/// Standard error without the SR017 warnings every run of these rule files prints.
fn after_warnings(stderr: &str) -> String {
    stderr.split("\n\n").filter(|block| !block.contains("warning[SR017]")).collect::<Vec<_>>().join("\n\n")
}

const CONFLICT_WARNING: &str = "warning: tests/fixtures/ties/incidents.json: incident scan-1: the outcome depends on the order of rules `Close scanner noise`, `Escalate open incidents` (order 5, incidents created); they ran by name here
  run as `Escalate open incidents`, `Close scanner noise`: severity Medium -> High
";

#[test]
fn a_conflicting_tie_is_reported_with_the_incident_and_both_rules() {
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("permuted.json");
    let (code, stdout, stderr) = apply(&["conflict.yaml"], &["--ties", "permute", "--out", path.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert_eq!(
        after_warnings(&stderr),
        format!(
            "{CONFLICT_WARNING}2 incident(s) processed, 2 changed, 4 change(s); 1 incident(s) whose outcome depends on the order of tied rules\n"
        )
    );
    // The outputs are those of the name order, byte for byte, whatever --jobs.
    let by_name = out.path().join("by-name.json");
    let (code, _, _) = apply(&["conflict.yaml"], &["--out", by_name.to_str().unwrap()]);
    assert_eq!(code, 0);
    let written = std::fs::read(&path).unwrap();
    assert_eq!(written, std::fs::read(&by_name).unwrap());
    let one_job = out.path().join("one-job.json");
    let (code, _, stderr_one) =
        apply(&["conflict.yaml"], &["--ties", "permute", "--jobs", "1", "--out", one_job.to_str().unwrap()]);
    assert_eq!((code, std::fs::read(&one_job).unwrap()), (1, written));
    assert_eq!(stderr_one, stderr);
    let incidents: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(incidents[0]["properties"]["severity"], "Medium", "by name, the close runs first");
}

#[test]
fn a_commuting_tie_is_not_reported() {
    let (code, stdout, stderr) = apply(&["commute.yaml"], &["--ties", "permute", "--out", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(after_warnings(&stderr), "2 incident(s) processed, 2 changed, 3 change(s)\n");
    let incidents: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(incidents.as_array().map(Vec::len), Some(2));
}

#[test]
fn the_dry_run_json_says_what_each_other_order_changes() {
    let (code, stdout, stderr) =
        apply(&["conflict.yaml", "commute.yaml"], &["--ties", "permute", "--dry-run", "--format", "json"]);
    assert_eq!(code, 1);
    assert!(after_warnings(&stderr).starts_with(CONFLICT_WARNING), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let scan = &report["incidents"][0];
    assert_eq!(
        scan["orderDependence"],
        serde_json::json!([{
            "order": 5,
            "trigger": "created",
            "rules": ["Close scanner noise", "Escalate open incidents"],
            "orders": [{
                "rules": ["Escalate open incidents", "Close scanner noise"],
                "changes": [{"field": "severity", "nameOrder": "Medium", "thisOrder": "High"}],
            }],
        }])
    );
    // The malware incident meets only the escalation, and the tag rules commute.
    assert!(report["incidents"][1].get("orderDependence").is_none());
    assert_eq!(report["summary"]["orderDependent"], 1);
}

#[test]
fn the_dry_runs_closing_line_says_why_it_exits_1() {
    let (code, stdout, _) = apply(&["conflict.yaml", "commute.yaml"], &["--ties", "permute", "--dry-run"]);
    assert_eq!(code, 1);
    assert!(
        stdout.ends_with(
            "2 incident(s), 2 would change, 7 change(s); 1 incident(s) whose outcome depends on the order of tied \
             rules; dry run: nothing was written\n"
        ),
        "{stdout}"
    );
    // Without permuting, nothing is said.
    let (code, stdout, _) = apply(&["conflict.yaml", "commute.yaml"], &["--dry-run"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("2 incident(s), 2 would change, 7 change(s); dry run: nothing was written\n"), "{stdout}");
}

#[test]
fn a_tie_of_more_than_eight_rules_is_refused() {
    let (code, stdout, stderr) = apply(&["nine.yaml"], &["--ties", "permute", "--out", "-"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        after_warnings(&stderr),
        "error: --ties permute runs every order of a tie of at most 8 rules; 9 rules (`Tag 1`, `Tag 2`, `Tag 3`, `Tag 4`, `Tag 5`, `Tag 6`, `Tag 7`, `Tag 8`, `Tag 9`) share order 1 on incidents created: give some of them their own order\n"
    );
    // By name, the same rules run.
    assert_eq!(apply(&["nine.yaml"], &["--out", "-"]).0, 0);
}

#[test]
fn ties_permute_is_for_incident_runs() {
    let (code, _, stderr) = common::run(soar().current_dir(root()).args([
        "apply",
        "--rules",
        "examples/rules",
        "--alerts",
        "examples/alerts/password-spray-vpn.json",
        "--ties",
        "permute",
    ]));
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "error: --ties permute applies to --incidents runs; --alerts does not use it: leave --ties permute out\n"
    );
}

#[test]
fn test_fails_a_test_whose_outcome_depends_on_the_order() {
    let tests = format!("{DIR}/tests.yaml");
    let (code, stdout, _) = common::run(soar().current_dir(root()).args(["test", &tests]));
    assert_eq!((code, stdout.lines().last()), (0, Some("2 passed, 0 failed")));
    let (code, stdout, _) = common::run(soar().current_dir(root()).args(["test", &tests, "--ties", "permute"]));
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "running 2 tests
test tests/fixtures/ties/tests.yaml::a scan is closed and tagged ... FAILED
test tests/fixtures/ties/tests.yaml::malware is escalated and tagged for triage ... ok

failures:

---- tests/fixtures/ties/tests.yaml::a scan is closed and tagged (line 5) ----
    ties: the outcome depends on the order of rules `Close scanner noise`, `Escalate open incidents` (order 5, incidents created), which Sentinel picks at random; run as `Escalate open incidents`, `Close scanner noise`: severity Medium -> High

failures:
    tests/fixtures/ties/tests.yaml::a scan is closed and tagged

1 passed, 1 failed
"
    );
}

#[test]
fn every_order_of_a_group_is_tried() {
    use sentinel_soar::engine::ties;
    use sentinel_soar::engine::{Clock, Event};
    use sentinel_soar::model::Incident;
    use sentinel_soar::rules;

    // Three rules at order 1: only `C` before `A` changes the outcome (A closes unless tagged c).
    let text = "rules:
  - name: A
    order: 1
    conditions: [{ property: IncidentLabel, operator: NotEquals, values: [c] }]
    actions: [{ change_status: { status: Closed, classification: Undetermined } }]
  - name: B
    order: 1
    actions: [{ add_tags: [b] }]
  - name: C
    order: 1
    actions: [{ add_tags: [c] }]
";
    let mut diags = Vec::new();
    let file = rules::file::decode("r.yaml", text, &mut diags);
    let (set, _) = rules::compile(&[file], &rules::Options::default());
    let groups = ties::groups(&set);
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].names(&set), ["A", "B", "C"]);
    let incident = Incident::from_value(serde_json::json!({"name": "i", "properties": {"title": "t"}})).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap().to_utc();
    let found = ties::permute(&set, &groups, &incident, &Event::Created, Clock::new(now), None);
    assert_eq!(found.len(), 1);
    let orders: Vec<Vec<String>> = found[0].variants.iter().map(|v| v.order.clone()).collect();
    // The first order met of the one other outcome, in lexicographic order of the permutations.
    assert_eq!(orders, [["B", "C", "A"]]);
    let change = &found[0].variants[0].changes[0];
    assert_eq!(
        (change.field, change.before.to_string(), change.after.to_string()),
        ("status", "Closed".into(), "unset".into())
    );
}
