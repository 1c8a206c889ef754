//! `sentinel-soar explain` end to end: the plain (piped) tree for the example incidents, the JSON
//! form, `--rule` filtering and its error, update events, and agreement with `apply --dry-run`
//! on which rules fire.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;

use assert_cmd::Command;
use serde_json::Value;

const NOW: &str = "2026-06-01T00:00:00Z";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn sentinel_soar(args: &[&str]) -> Run {
    let out = Command::cargo_bin("sentinel-soar").unwrap().args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn explain(incident: &str, extra: &[&str]) -> Run {
    let path = format!("examples/incidents/{incident}.json");
    let mut args = vec!["explain", "--rules", "examples/rules", "--incident", &path];
    args.extend_from_slice(extra);
    if !extra.contains(&"--now") {
        args.extend_from_slice(&["--now", NOW]);
    }
    sentinel_soar(&args)
}

fn ok(run: Run) -> String {
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    run.stdout
}

#[test]
fn fired_rule_with_nested_all_and_any() {
    // Rule 10 closes the incident; the later assignment rules see it Closed.
    insta::assert_snapshot!("pentest_4101", ok(explain("4101-pentest-pt-07", &[])));
}

#[test]
fn expired_rule() {
    let run = explain("4101-pentest-pt-07", &["--now", "2027-01-01T00:00:00Z"]);
    assert_eq!(run.code, 0);
    assert!(run
        .stderr
        .starts_with("warning[SR024]: rule `Suppress red team pentest 2026` expired on 2026-12-31T23:59:59Z"));
    insta::assert_snapshot!("pentest_4101_expired", run.stdout);
}

#[test]
fn out_of_scope_rule_and_an_update_rule_after_a_created_rule_raised_severity() {
    insta::assert_snapshot!("kerberoasting_4105", ok(explain("4105-kerberoasting-dc01", &[])));
}

#[test]
fn scoped_rule_in_scope_has_no_conditions() {
    let out = ok(explain("4114-ransomware-shadow-copies", &["--rule", "Ransomware detections are always High"]));
    insta::assert_snapshot!("ransomware_4114_scoped_rule", out);
}

#[test]
fn custom_detail_items() {
    let out = ok(explain("4111-forwarding-to-gmail", &["--rule", "Tag exfiltration to personal mail"]));
    insta::assert_snapshot!("forwarding_4111_items", out);
    // No item satisfies both conditions: each item evaluated is listed with what it saw.
    let out = ok(explain("4117-mass-download-sharepoint", &["--rule", "Tag exfiltration to personal mail"]));
    insta::assert_snapshot!("mass_download_4117_items", out);
}

#[test]
fn rule_filter_keeps_one_rule() {
    let out = ok(explain("4112-tier0-rdp-on-dev-vm", &["--rule", "Raise tier-0 and VIP incidents to High"]));
    insta::assert_snapshot!("rdp_4112_one_rule", out);
    let folded = ok(explain("4112-tier0-rdp-on-dev-vm", &["--rule", "raise TIER-0 and vip incidents to high"]));
    assert_eq!(folded, out);
}

#[test]
fn unknown_rule_is_a_usage_error_listing_close_names() {
    let run = explain("4101-pentest-pt-07", &["--rule", "Tag exfiltraton"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert_eq!(run.stderr, "error: no rule named \"Tag exfiltraton\"; close names: \"Tag exfiltration\"\n");
    let run = explain("4101-pentest-pt-07", &["--rule", "personal mail"]);
    assert_eq!(
        run.stderr,
        "error: no rule named \"personal mail\"; close names: \"Tag exfiltration to personal mail\"\n"
    );
    let run = explain("4101-pentest-pt-07", &["--rule", "Nothing like it"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: no rule named \"Nothing like it\" among the 17 loaded rule(s)\n")
    );
}

#[test]
fn json_form() {
    let out = ok(explain("4101-pentest-pt-07", &["--format", "json", "--rule", "Suppress red team pentest 2026"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    insta::assert_json_snapshot!("pentest_4101_json", doc);
    let out =
        ok(explain("4111-forwarding-to-gmail", &["--format", "json", "--rule", "Tag exfiltration to personal mail"]));
    let doc: Value = serde_json::from_str(&out).unwrap();
    insta::assert_json_snapshot!("forwarding_4111_items_json", doc["incidents"][0]["rules"][0]["conditions"]);
}

#[test]
fn update_event_with_previous_version() {
    let dir = tempfile::tempdir().unwrap();
    let mut incident: Value =
        serde_json::from_str(&std::fs::read_to_string("examples/incidents/4105-kerberoasting-dc01.json").unwrap())
            .unwrap();
    incident["properties"]["severity"] = Value::from("High");
    let now = dir.path().join("4105-now.json");
    std::fs::write(&now, serde_json::to_string_pretty(&incident).unwrap()).unwrap();
    let now = now.to_str().unwrap();
    let args = [
        "explain",
        "--rules",
        "examples/rules",
        "--incident",
        now,
        "--trigger",
        "updated",
        "--previous",
        "examples/incidents/4105-kerberoasting-dc01.json",
        "--now",
        NOW,
    ];
    let out = ok(sentinel_soar(&args)).replace(now, "[TMP]/4105-now.json");
    insta::assert_snapshot!("kerberoasting_4105_updated", out);
}

/// For every example incident: explain lists every rule once, a fired rule's tree holds and a
/// skipped one's does not, and the fired rules are the ones `apply --dry-run` reports.
#[test]
fn agrees_with_the_dry_run_on_every_example() {
    let dry = sentinel_soar(&[
        "apply",
        "--rules",
        "examples/rules",
        "--incidents",
        "examples/incidents",
        "--now",
        NOW,
        "--dry-run",
        "--format",
        "json",
    ]);
    let dry: Value = serde_json::from_str(&dry.stdout).unwrap();
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for inc in dry["incidents"].as_array().unwrap() {
        let fired = inc["fired"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect();
        expected.insert(inc["file"].as_str().unwrap().to_owned(), fired);
    }
    assert_eq!(expected.len(), 17);
    for (file, fired) in &expected {
        let run = sentinel_soar(&[
            "explain",
            "--rules",
            "examples/rules",
            "--incident",
            file,
            "--now",
            NOW,
            "--format",
            "json",
        ]);
        let doc: Value = serde_json::from_str(&ok(run)).unwrap();
        let rules = doc["incidents"][0]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 17, "{file}");
        let mut explained = Vec::new();
        for rule in rules {
            let (outcome, root) = (rule["outcome"].as_str().unwrap(), &rule["conditions"]["result"]);
            match outcome {
                "fired" => {
                    assert!(root.is_null() || root == true, "{file}: {}", rule["rule"]);
                    explained.push(rule["rule"].as_str().unwrap().to_owned());
                }
                "conditions-not-met" => assert_eq!(root, false, "{file}: {}", rule["rule"]),
                _ => assert!(rule["conditions"].is_null(), "{file}: {}", rule["rule"]),
            }
        }
        assert_eq!(&explained, fired, "{file}");
    }
}

/// The engine skips other triggers silently; explain lists them with the trigger as reason.
#[test]
fn rules_of_queues_that_did_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules.yaml");
    let yaml = "rules:
  - name: Notify on every alert
    order: 1
    trigger: { on: alerts, when: created }
    actions: [{ run_playbook: notify-soc }]
  - name: Tag on reopen
    order: 2
    trigger: { on: incidents, when: updated }
    conditions: [{ changed: IncidentStatus, to: [Active] }]
    actions: [{ add_tags: [reopened] }]
  - name: Tag high
    order: 3
    conditions: { property: IncidentSeverity, operator: Equals, values: [High] }
    actions: [{ add_tags: [high] }]
";
    std::fs::write(&rules, yaml).unwrap();
    let args = [
        "explain",
        "--rules",
        rules.to_str().unwrap(),
        "--incident",
        "examples/incidents/4106-port-scan-dev-vm-informational.json",
        "--now",
        NOW,
    ];
    insta::assert_snapshot!("queues_that_did_not_run", ok(sentinel_soar(&args)));
}

#[test]
fn invalid_rules_and_unreadable_incidents() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "name: R\norder: 1\nactions: [{ change_severity: Critical }]\n").unwrap();
    let run = sentinel_soar(&[
        "explain",
        "--rules",
        bad.to_str().unwrap(),
        "--incident",
        "examples/incidents/4101-pentest-pt-07.json",
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (1, ""));
    assert!(
        run.stderr.contains("error[SR011]")
            && run.stderr.ends_with("nothing was explained: fix the rule files first\n")
    );
    let run = sentinel_soar(&["explain", "--rules", "examples/rules", "--incident", "examples/incidents/none.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
}
