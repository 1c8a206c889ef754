//! Updated triggers from real data (`apply --replay` over a SecurityIncident table export),
//! alert triggers (`apply --alerts`), the SecurityIncident-shaped audit log, and the
//! `import sentinel` / `export sentinel` commands, all driven through the binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sentinel").join(name).display().to_string()
}

fn bin() -> Command {
    Command::cargo_bin("sentinel-soar").unwrap()
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const A: &str = "a3e4d5c6-7b8a-4c9d-8e0f-1a2b3c4d5e01";
const B: &str = "5f1c2b7e-0b6e-4a59-9a57-2f3d8c1e0b02";

fn replay(dir: &Path, extra: &[&str]) -> (Vec<Value>, Vec<Value>) {
    let (out, audit) = (dir.join("out.json"), dir.join("audit.jsonl"));
    let mut cmd = bin();
    cmd.args([
        "apply",
        "--rules",
        &fixture("replay-rules.yaml"),
        "--replay",
        &fixture("security-incident-history.jsonl"),
    ]);
    cmd.args(["--out", out.to_str().unwrap(), "--audit", audit.to_str().unwrap()]).args(extra);
    cmd.assert().success().stderr("2 incident(s) replayed from 6 row(s): 6 event(s), 4 change(s)\n");
    let incidents: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    (incidents, lines(&audit))
}

fn by_name<'a>(incidents: &'a [Value], name: &str) -> &'a Value {
    incidents.iter().find(|i| i["name"] == name).unwrap()
}

#[test]
fn replay_fires_on_escalations_and_tags_but_not_on_automation_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (incidents, audit) = replay(dir.path(), &[]);
    let summary: Vec<(&str, &str, &str, &str)> = audit
        .iter()
        .map(|c| {
            (
                c["incident"].as_str().unwrap(),
                c["time"].as_str().unwrap(),
                c["rule"].as_str().unwrap(),
                c["action"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (B, "2026-03-02T10:00:00Z", "Tag new incidents for triage", "add_tags"),
            (A, "2026-03-02T09:00:00Z", "Tag new incidents for triage", "add_tags"),
            // Alice raised A to High: the escalation rule fires at the time of her change.
            (A, "2026-03-02T09:10:00Z", "Task when severity is raised to High", "add_task"),
            // Alice tagged A as vip: the tag rule fires.
            (A, "2026-03-02T09:20:00Z", "VIP tag assigns the VIP team", "assign_owner"),
            // B was raised to High by an automation rule: the escalation rule excludes that source.
        ]
    );
    let a = &by_name(&incidents, A)["properties"];
    assert_eq!(a["severity"], "High");
    assert_eq!(a["owner"]["userPrincipalName"], "vip-team@contoso.com");
    assert_eq!(
        a["labels"].as_array().unwrap().iter().map(|l| l["labelName"].as_str().unwrap()).collect::<Vec<_>>(),
        ["triage", "vip"]
    );
    assert_eq!(a["tasks"][0]["title"], "Triage the escalation");
    let b = &by_name(&incidents, B)["properties"];
    // The last row's own changes (Bob took it) and the rules' tag are both kept.
    assert_eq!((b["severity"].as_str(), b["status"].as_str()), (Some("High"), Some("Active")));
    assert_eq!(b["owner"]["userPrincipalName"], "bob@contoso.com");
    assert_eq!(b["labels"][0]["labelName"], "triage");
    assert!(b.get("tasks").is_none());
    assert_eq!(b["lastModifiedTimeUtc"], "2026-03-02T10:30:00Z");
}

#[test]
fn security_incident_audit_rows_read_like_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rows) = replay(dir.path(), &["--audit-format", "security-incident"]);
    assert_eq!(rows.len(), 4);
    let task = rows.iter().find(|r| r["Tasks"].as_array().is_some_and(|t| !t.is_empty())).unwrap();
    assert_eq!(task["ModifiedBy"], "Automation rule - Task when severity is raised to High");
    assert_eq!((task["IncidentName"].as_str(), task["IncidentNumber"].as_i64()), (Some(A), Some(201)));
    assert_eq!(
        (task["Severity"].as_str(), task["TimeGenerated"].as_str()),
        (Some("High"), Some("2026-03-02T09:10:00Z"))
    );
    assert_eq!(task["Type"], "SecurityIncident");
    let keys: Vec<&str> = task.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(&keys[..4], ["TimeGenerated", "IncidentName", "IncidentNumber", "Title"]);
    assert!(rows.iter().all(|r| r["ModifiedBy"].as_str().unwrap().contains("Automation")));
}

#[test]
fn security_incident_audit_format_works_for_plain_apply() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bin()
        .args(["apply", "--rules", root.join("examples/rules").to_str().unwrap()])
        .args(["--incidents", root.join("examples/incidents/4101-pentest-pt-07.json").to_str().unwrap()])
        .args(["--now", "2026-06-01T00:00:00Z", "--out", dir.path().join("o.json").to_str().unwrap()])
        .args(["--audit", audit.to_str().unwrap(), "--audit-format", "security-incident"])
        .assert()
        .success();
    let rows = lines(&audit);
    let closing = rows.iter().find(|r| r["Status"] == "Closed").unwrap();
    assert_eq!(closing["ClosedTime"], "2026-06-01T00:00:00Z");
    assert_eq!(closing["ModifiedBy"], "Automation rule - Suppress red team pentest 2026");
    // Each row holds the incident after its change: the classification comes after the status.
    assert!(rows.first().unwrap()["Classification"].is_null());
    let pentest: Vec<&Value> = rows.iter().filter(|r| r["ModifiedBy"] == closing["ModifiedBy"]).collect();
    assert_eq!(pentest.last().unwrap()["Labels"].as_array().unwrap().last().unwrap()["labelName"], "pentest");
}

#[test]
fn alert_rules_run_playbooks_on_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let mut inputs = vec![fixture("alerts.json")];
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/incidents/restapi-2025-09-01-GetAllIncidentAlerts.json");
    if corpus.is_file() {
        inputs.push(corpus.display().to_string());
    } else {
        println!("skipped the corpus alert: {} is absent", corpus.display());
    }
    let mut cmd = bin();
    cmd.args(["apply", "--rules", &fixture("alert-rules.yaml"), "--now", "2026-06-01T00:00:00Z", "--alerts"]);
    cmd.args(&inputs).args(["--audit", audit.to_str().unwrap()]).assert().success();
    let runs: Vec<(String, String)> = lines(&audit)
        .iter()
        .map(|c| (c["incident"].as_str().unwrap().to_owned(), c["playbook"].as_str().unwrap().to_owned()))
        .collect();
    let mut want = vec![("4c1f2e3d-9a8b-4c7d-8e6f-5a4b3c2d1e0f".to_owned(), "block-aad-user-alert".to_owned())];
    if corpus.is_file() {
        want.push(("baa8a239-6fde-4ab7-a093-d09f7b75c58c".to_owned(), "enrich-asc-alert".to_owned()));
    }
    assert_eq!(runs, want);
}

#[test]
fn alert_rules_may_only_look_at_the_analytics_rule_and_product() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r.yaml");
    std::fs::write(&rules, "name: x\norder: 1\ntrigger: { on: alerts }\nconditions: { property: HostName, operator: Equals, values: [a] }\nactions:\n  - add_tags: [x]\n").unwrap();
    let out =
        bin().args(["apply", "--rules", rules.to_str().unwrap(), "--alerts", &fixture("alerts.json")]).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("error[SR037]: alert-trigger rules can only test AlertAnalyticRuleIds and AlertProductNames"),
        "{stderr}"
    );
    assert!(stderr.contains("error[SR015]"), "{stderr}");
}

fn corpus_rules() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/automation-rules");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}

#[test]
fn import_writes_one_file_per_rule_and_export_reads_them_back() {
    let Some(corpus) = corpus_rules() else { return };
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("yaml");
    bin().args(["import", "sentinel", corpus.to_str().unwrap(), "--out", yaml.to_str().unwrap()]).assert().success();
    let mut names: Vec<String> =
        std::fs::read_dir(&yaml).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 8);
    assert!(names.contains(&"suspicious-user-sign-in-events.yaml".to_owned()), "{names:?}");
    let text = std::fs::read_to_string(yaml.join("high-severity-incidents-escalation.yaml")).unwrap();
    assert!(text.starts_with("# source: /subscriptions/d0cfe6b2-9ac0-4464-9919-dccaee2e48c0/"), "{text}");
    let template = dir.path().join("template.json");
    bin().args(["export", "sentinel", yaml.to_str().unwrap(), "--out", template.to_str().unwrap()]).assert().success();
    let t: Value = serde_json::from_str(&std::fs::read_to_string(&template).unwrap()).unwrap();
    let ids: Vec<&str> = t["resources"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(ids.contains(&"d8a6f299-eab8-4ef3-ae91-e1c18cb4f997"), "{ids:?}");
    // The template loads as rules again.
    bin()
        .args([
            "apply",
            "--rules",
            template.to_str().unwrap(),
            "--param",
            "workspace=soc",
            "--now",
            "2026-06-01T00:00:00Z",
        ])
        .args(["--incidents", &fixture("../../../examples/incidents/4101-pentest-pt-07.json"), "--dry-run"])
        .assert()
        .success();
}

#[test]
fn export_names_the_extension_operator_it_cannot_write() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = bin()
        .args(["export", "sentinel", root.join("examples/rules/pentest-suppression.yaml").to_str().unwrap()])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("error[SR031]: `InCidr` is a sentinel-soar extension that Sentinel cannot run"),
        "{stderr}"
    );
    assert!(stderr.ends_with("nothing was exported: fix the errors first\n"));
    assert!(out.get_output().stdout.is_empty());
}

#[test]
fn the_corpus_rules_apply_to_the_corpus_incidents() {
    let Some(rules) = corpus_rules() else { return };
    let incidents = rules.parent().unwrap().join("incidents");
    let dir = tempfile::tempdir().unwrap();
    let (out, audit) = (dir.path().join("out/"), dir.path().join("audit.jsonl"));
    bin()
        .args(["apply", "--rules", rules.to_str().unwrap(), "--incidents", incidents.to_str().unwrap()])
        .args(["--now", "2026-06-01T00:00:00Z", "--out", out.to_str().unwrap(), "--audit", audit.to_str().unwrap()])
        .assert()
        .success();
    // GetIncidentById comes from analytics rule fab3d2d4...: the REST example rule adds its task.
    let by_id: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("restapi-2025-03-01-GetIncidentById.json")).unwrap())
            .unwrap();
    let task = &by_id["responses"]["200"]["body"]["properties"]["tasks"][0];
    assert_eq!(task["title"], "Reset user passwords");
    let audit = lines(&audit);
    assert!(audit.iter().any(|c| c["playbook"] == "Block-AADUser-Incident"));
    assert!(audit.iter().any(|c| c["rule"] == "Suspicious user sign-in events" && c["action"] == "add_task"));
    // Every incident file is written back, unknown fields and all.
    for entry in std::fs::read_dir(&incidents).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(out.join(&name).is_file(), "{name:?}");
    }
}
