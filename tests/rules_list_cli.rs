//! `sentinel-soar rules list`: the example rules in run order with their state at `--now`, as
//! a plain table when piped and as JSON; invalid rule files list nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use common::run_args as run;

#[test]
fn the_examples_as_a_table() {
    let (code, stdout, stderr) = run(&["rules", "list", "examples/rules", "--now", "2026-06-01T00:00:00Z"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.lines().all(|l| l == l.trim_end()), "lines are trimmed when piped");
    insta::assert_snapshot!("examples_table", stdout);
}

#[test]
fn expired_rules_after_the_expiry_as_json() {
    let (code, stdout, stderr) = run(&[
        "rules",
        "list",
        "examples/rules/pentest-suppression.yaml",
        "--now",
        "2027-01-01T00:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert!(stderr.contains("warning[SR024]"), "{stderr}");
    insta::assert_snapshot!("expired_json", stdout);
}

#[test]
fn rules_are_listed_in_run_order_whatever_the_file_order() {
    let (_, a, _) = run(&[
        "rules",
        "list",
        "examples/rules/ticketing.yaml",
        "examples/rules/tag-by-tactic.yaml",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&a).unwrap();
    let orders: Vec<u64> = doc["rules"].as_array().unwrap().iter().map(|r| r["order"].as_u64().unwrap()).collect();
    assert_eq!(orders, [200, 210, 220, 230, 500, 510]);
    assert_eq!(doc["rules"][5]["state"], "disabled");
    assert_eq!(doc["rules"][3]["conditions"], 3);
}

#[test]
fn scoped_rules_show_their_analytics_rules() {
    let (_, out, _) = run(&["rules", "list", "examples/rules/severity-reevaluation.yaml", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["rules"][2]["scope"], serde_json::json!(["9c2f5e1a-7b3d-4e8f-a16c-5d0e2b7f4a93"]));
    assert_eq!(doc["rules"][3]["trigger"], serde_json::json!({"on": "incidents", "when": "updated"}));
}

#[test]
fn invalid_rule_files_list_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, "name: r\norder: 0\nactions: [{ change_severity: Huge }]\n").unwrap();
    let (code, stdout, stderr) = run(&["rules", "list", path.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("error[SR018]") && stderr.contains("error[SR011]"), "{stderr}");
}
