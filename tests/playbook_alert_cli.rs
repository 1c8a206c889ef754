//! `sentinel-soar playbook run --alert` through the binary: an alert-trigger playbook on an
//! alert file (the run log as a golden tree, the history record named after the alert), the
//! refusal of other playbooks, the alert file shapes, incident operations on a run without an
//! incident, and usage errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use common::{root, run, soar, NOW};
use serde_json::{json, Value};

const PLAYBOOK: &str = "examples/playbooks/notify-teams-on-alert.yaml";
const ALERT: &str = "examples/alerts/password-spray-vpn.json";
const MOCKS: &str = "examples/mocks/notify-teams-on-alert.yaml";
const INCIDENT: &str = "examples/incidents/4102-c2-beacon-from-redteam-range.json";

/// `sentinel-soar playbook run ARGS --now NOW`, not recorded unless `ARGS` name a state
/// directory.
fn playbook_run(args: &[&str]) -> (i32, String, String) {
    let mut cmd = soar();
    cmd.current_dir(root()).args(["playbook", "run"]).args(args).args(["--now", NOW]);
    if !args.contains(&"--state-dir") {
        cmd.arg("--no-history");
    }
    run(&mut cmd)
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn an_alert_playbook_runs_on_an_alert_file() {
    let (code, stdout, stderr) = playbook_run(&[PLAYBOOK, "--alert", ALERT, "--mocks", MOCKS]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("alert_run_tree", stdout);
}

#[test]
fn the_trigger_body_is_the_security_alert_shape() {
    let (code, stdout, stderr) = playbook_run(&[PLAYBOOK, "--alert", ALERT, "--mocks", MOCKS, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["run"]["trigger"], json!({"name": "Microsoft_Sentinel_alert", "kind": "alert"}));
    assert_eq!(doc["changes"], json!([]));
    // Entities - Get IPs got the alert's entities, parsed from the table row's JSON string.
    let ips = &doc["run"]["steps"][0];
    assert_eq!(
        ips["inputs"]["body"],
        json!([
            {"$id": "2", "Address": "203.0.113.77", "Type": "ip"},
            {"$id": "3", "Name": "erik", "UPNSuffix": "contoso.com", "AadUserId": "5d2f8a61-0c4b-4e7d-9a13-b8e6f2c4d075", "Type": "account"}
        ])
    );
}

#[test]
fn the_history_names_the_alert_where_it_names_the_incident() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().to_str().unwrap();
    let (code, _, stderr) = playbook_run(&[PLAYBOOK, "--alert", ALERT, "--mocks", MOCKS, "--state-dir", state]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (code, stdout, _) = run(soar().args(["runs", "list", "--format", "json", "--state-dir", state]));
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let record = &doc["runs"][0];
    assert_eq!(
        (&record["playbook"], &record["incident"], &record["incidentNumber"]),
        (&json!("Notify-Teams-On-Alert"), &json!("8e2d4f61-3a7b-4c95-b0d8-6f1e2a9c7b43"), &Value::Null)
    );
    let (_, stdout, _) =
        run(soar().args(["runs", "list", "--incident", "8e2d4f61-3a7b-4c95-b0d8-6f1e2a9c7b43", "--state-dir", state]));
    assert!(stdout.ends_with("1 run(s)\n"), "{stdout}");
}

#[test]
fn an_incident_trigger_playbook_is_refused_on_an_alert() {
    let (code, stdout, stderr) =
        playbook_run(&["examples/playbooks/enrich-ip-virustotal.yaml", "--alert", ALERT, "--mocks", MOCKS]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (
            1,
            "",
            "refused: playbook Enrich-IP-VirusTotal has an incident trigger; it runs on incidents, not alerts \
             (Sentinel runs only alert-trigger playbooks on alerts)\n"
        )
    );
    let dir = tempfile::tempdir().unwrap();
    let request = write(&dir, "request.yaml", "name: Manual\ntrigger: request\nsteps:\n  - compose: hi\n");
    let (code, _, stderr) = playbook_run(&[&request, "--alert", ALERT]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            1,
            "refused: playbook Manual has a request trigger; it does not run on alerts \
             (Sentinel runs only alert-trigger playbooks on alerts)\n"
        )
    );
}

#[test]
fn an_alert_playbook_on_an_incident_gets_the_incidents_alert() {
    // As when it is run from an incident's alerts: the payload is built from the incident.
    let (code, stdout, stderr) =
        playbook_run(&[PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let content = doc["run"]["steps"][3]["inputs"]["body"]["body"]["content"].as_str().unwrap();
    assert!(
        content.starts_with("<p>Alert <b>Outbound connection to known C2 server</b> (High, Azure Sentinel)"),
        "{content}"
    );
}

#[test]
fn a_rest_alert_entity_reads_its_workspace_from_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let alert = json!({"value": [{
        "id": "/subscriptions/sub-9/resourceGroups/rg-9/providers/Microsoft.OperationalInsights/workspaces/law-9/providers/Microsoft.SecurityInsights/entities/al-9",
        "name": "al-9",
        "kind": "SecurityAlert",
        "properties": {"systemAlertId": "al-9", "alertDisplayName": "Rare process", "severity": "Low",
            "productName": "Microsoft Defender for Endpoint", "timeGenerated": "2026-05-31T20:00:00Z"}
    }]});
    let alert = write(&dir, "alert.json", &alert.to_string());
    let compose = r#"name: Echo
trigger: alert
steps:
  - name: Fields
    compose: { id: "@triggerBody()?['SystemAlertId']", name: "@triggerBody()?['AlertDisplayName']",
               ws: "@{triggerBody()?['WorkspaceSubscriptionId']}/@{triggerBody()?['WorkspaceResourceGroup']}/@{triggerBody()?['WorkspaceId']}" }
"#;
    let playbook = write(&dir, "echo.yaml", compose);
    let (code, stdout, stderr) = playbook_run(&[&playbook, "--alert", &alert, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        doc["run"]["steps"][0]["outputs"],
        json!({"id": "al-9", "name": "Rare process", "ws": "sub-9/rg-9/law-9"})
    );
}

#[test]
fn incident_operations_fail_clearly_on_a_run_without_an_incident() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"name: Comment-On-Alert
trigger: alert
steps:
  - sentinel.alert_get_incident:
  - name: Note
    sentinel.add_comment: { message: "Alert @{triggerBody()?['AlertDisplayName']}", incident: "@body('Alert_-_Get_incident')?['id']" }
  - name: Note anyway
    run_after: []
    sentinel.add_comment: { message: hello, incident: /subscriptions/s/incidents/x }
"#;
    let playbook = write(&dir, "comment.yaml", text);
    let (code, stdout, stderr) = playbook_run(&[&playbook, "--alert", ALERT, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let steps = doc["run"]["steps"].as_array().unwrap();
    let status: Vec<(&str, &str)> =
        steps.iter().map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap())).collect();
    assert_eq!(status, [("Alert_-_Get_incident", "Failed"), ("Note", "Skipped"), ("Note_anyway", "Failed")]);
    assert_eq!(
        steps[0]["outputs"]["body"]["error"]["message"],
        "No incident holds alert '8e2d4f61-3a7b-4c95-b0d8-6f1e2a9c7b43': this run has no incident (give the alert's incident with --incident)"
    );
    assert_eq!(
        steps[2]["outputs"]["body"]["error"]["message"],
        "Incident '/subscriptions/s/incidents/x' was not found: this run has no incident"
    );
    assert_eq!(doc["run"]["status"], "Failed");
    assert_eq!(doc["changes"], json!([]));
}

#[test]
fn usage_and_unreadable_alerts_exit_2() {
    let (code, _, stderr) = playbook_run(&[PLAYBOOK]);
    assert_eq!(code, 2);
    assert!(stderr.contains("the following required arguments were not provided"), "{stderr}");
    assert!(stderr.contains("--incident <PATH|->|--alert <PATH|->"), "{stderr}");
    // An alert alone holds no incident to write.
    let (code, _, stderr) = playbook_run(&[PLAYBOOK, "--alert", ALERT, "--out", "x.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("the following required arguments were not provided:\n  --incident <PATH|->"), "{stderr}");
    let (code, _, stderr) = playbook_run(&[PLAYBOOK, "--alert", "nope.json"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: cannot read alert file nope.json"), "{stderr}");
    let (code, _, stderr) = playbook_run(&[PLAYBOOK, "--alert", INCIDENT]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: examples/incidents/4102-c2-beacon-from-redteam-range.json holds no alert (expected a \
             SecurityAlert: kind SecurityAlert, systemAlertId or alertDisplayName)\n"
        )
    );
    let (code, _, stderr) = playbook_run(&[PLAYBOOK, "--alert", "tests/fixtures/sentinel/alerts.json"]);
    assert_eq!((code, stderr.as_str()), (2, "error: tests/fixtures/sentinel/alerts.json holds 2 alerts, not one\n"));
}
