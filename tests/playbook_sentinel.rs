//! The built-in Sentinel operations: what they do to the incident in hand, the audit records
//! they write (`source: playbook`, `modifiedBy: Playbook - <name>`), the outputs shaped as the
//! connector's, and the errors the service gives (bad values, another incident).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::playbook_helpers as helpers;

use serde_json::{json, Value};

use helpers::{check, get, log_json, Case};

fn props(outcome: &sentinel_soar::playbook::run::Outcome) -> Value {
    outcome.incident.as_ref().unwrap().as_value()["properties"].clone()
}

#[test]
fn comments_tasks_and_updates_change_the_incident_with_audit_records() {
    let case = Case {
        note: "Triage",
        playbook: r#"
steps:
  - sentinel.add_comment: { message: "<p>Checked by @{workflow()?['name']}</p>" }
  - sentinel.add_task: { title: Isolate wks-114, description: Use MDE }
  - name: Update
    sentinel.update_incident:
      severity: Medium
      status: Closed
      classification: True Positive - Suspicious Activity
      classification_comment: confirmed C2
      owner: ada@contoso.com
      add_tags: [c2, "@triggerBody()?['object']?['properties']?['severity']"]
  - name: Again
    sentinel.update_incident: { severity: Medium, remove_tags: [C2] }
"#,
        mocks: None,
        status: "Succeeded",
        steps: &[
            "Add_comment_to_incident_(V3) Succeeded",
            "Add_task_to_incident Succeeded",
            "Update Succeeded",
            "Again Succeeded",
        ],
        want: &[
            ("Update/outputs/body/properties/severity", r#""Medium""#),
            ("Update/mock", r#""builtin""#),
            ("Add_comment_to_incident_(V3)/outputs/body/properties/message", r#""<p>Checked by Triage</p>""#),
        ],
    };
    let outcome = check(&case, false);
    let p = props(&outcome);
    assert_eq!(p["severity"], "Medium");
    assert_eq!((p["status"].as_str(), p["classification"].as_str()), (Some("Closed"), Some("TruePositive")));
    assert_eq!(p["classificationReason"], "SuspiciousActivity");
    assert_eq!(p["owner"]["userPrincipalName"], "ada@contoso.com");
    assert_eq!(p["labels"], json!([{"labelName": "High", "labelType": "User"}]));
    assert_eq!(p["comments"][0]["message"], "<p>Checked by Triage</p>");
    assert_eq!(p["comments"][0]["author"]["name"], "Playbook - Triage");
    assert_eq!(p["additionalData"]["commentsCount"], 2);
    assert_eq!(p["tasks"][0]["title"], "Isolate wks-114");
    assert_eq!(p["lastModifiedTimeUtc"], "2026-06-01T00:00:00Z");
    let audit: Vec<String> = outcome
        .changes
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {} -> {}",
                c.step.as_deref().unwrap(),
                c.action,
                c.property.as_deref().unwrap_or("-"),
                c.from,
                c.to
            )
        })
        .collect();
    assert_eq!(
        audit,
        [
            "Add_comment_to_incident_(V3) add_comment comments null -> \"<p>Checked by Triage</p>\"",
            "Add_task_to_incident add_task tasks null -> \"Isolate wks-114\"",
            "Update update_incident severity \"High\" -> \"Medium\"",
            "Update update_incident status \"New\" -> \"Closed\"",
            "Update update_incident classification null -> \"TruePositive\"",
            "Update update_incident classificationReason null -> \"SuspiciousActivity\"",
            "Update update_incident classificationComment null -> \"confirmed C2\"",
            "Update update_incident owner null -> \"ada@contoso.com\"",
            "Update update_incident labels null -> \"c2\"",
            "Update update_incident labels null -> \"High\"",
            "Again update_incident labels \"C2\" -> null",
        ]
    );
    let record = serde_json::to_value(&outcome.changes[0]).unwrap();
    assert_eq!(record["source"], "playbook");
    assert_eq!(record["playbook"], "Triage");
    assert_eq!(record["modifiedBy"], "Playbook - Triage");
    assert_eq!(record["incidentNumber"], 4102);
}

#[test]
fn entity_and_incident_lookups_are_shaped_as_the_connector() {
    let case = Case {
        note: "Lookups",
        playbook: r#"
steps:
  - sentinel.get_ips: {}
  - sentinel.get_hosts: {}
  - sentinel.get_urls: {}
  - sentinel.get_accounts: {}
  - sentinel.get_filehashes: {}
  - sentinel.get_incident: {}
  - sentinel.get_alerts: {}
  - name: Summary
    compose:
      ips: "@join(body('Entities_-_Get_IPs')?['IPs'], ',')"
      first: "@body('Entities_-_Get_IPs')?['IPs']?[1]?['Address']"
      host: "@body('Entities_-_Get_Hosts')?['Hosts']?[0]?['HostName']"
      url: "@body('Entities_-_Get_URLs')?['URLs']?[0]?['Url']"
      accounts: "@length(body('Entities_-_Get_Accounts')?['Accounts'])"
      hashes: "@body('Entities_-_Get_FileHashes')"
      number: "@body('Get_incident')?['properties']?['incidentNumber']"
"#,
        mocks: None,
        status: "Succeeded",
        steps: &[],
        want: &[],
    };
    let log = log_json(&check(&case, false));
    let summary = get(&log, "Summary/outputs");
    assert_eq!(summary["first"], "185.220.101.47");
    assert_eq!(summary["host"], "wks-114");
    assert_eq!(summary["url"], "https://cdn-telemetry-update.top/jquery-3.3.1.min.js");
    assert_eq!(summary["accounts"], 0);
    assert_eq!(summary["hashes"], json!({"Filehashes": []}));
    assert_eq!(summary["number"], 4102);
    assert_eq!(get(&log, "Get_alerts/outputs/body"), json!({"value": []}));
}

#[test]
fn the_service_refuses_bad_requests() {
    let cases = [
        Case {
            note: "a reason that does not fit the classification",
            playbook: r#"
steps:
  - name: Close
    sentinel.update_incident: { status: Closed, classification: FalsePositive - SuspiciousActivity }
"#,
            mocks: None,
            status: "Failed",
            steps: &["Close Failed"],
            want: &[("Close/code", r#""BadRequest""#), ("Close/error/message", r#""'SuspiciousActivity' is not a reason for FalsePositive""#)],
        },
        Case {
            note: "closing without a classification",
            playbook: "steps:\n  - { name: Close, sentinel.update_incident: { status: Closed } }\n",
            mocks: None,
            status: "Failed",
            steps: &["Close Failed"],
            want: &[("Close/error/message", r#""Closing an incident requires a classification""#)],
        },
        Case {
            note: "an unknown severity",
            playbook: "steps:\n  - { name: Up, sentinel.update_incident: { severity: Critical } }\n",
            mocks: None,
            status: "Failed",
            steps: &["Up Failed"],
            want: &[("Up/error/message", r#""'Critical' is not a severity: High, Medium, Low, Informational""#)],
        },
        Case {
            note: "another incident",
            playbook: "steps:\n  - { name: Note, sentinel.add_comment: { message: x, incident: /subscriptions/s/incidents/other } }\n",
            mocks: None,
            status: "Failed",
            steps: &["Note Failed"],
            want: &[("Note/code", r#""NotFound""#)],
        },
    ];
    for case in &cases {
        let outcome = check(case, false);
        assert!(outcome.changes.is_empty(), "{}: {:?}", case.note, outcome.changes);
    }
}

#[test]
fn alert_playbooks_get_an_alert_payload_and_resolve_their_incident() {
    let case = Case {
        note: "Alert flow",
        playbook: r#"
trigger: alert
steps:
  - sentinel.alert_get_incident:
  - name: Note
    sentinel.add_comment: { message: "Alert @{triggerBody()?['AlertDisplayName']}", incident: "@body('Alert_-_Get_incident')?['id']" }
  - sentinel.get_ips: {}
"#,
        mocks: None,
        status: "Succeeded",
        steps: &["Alert_-_Get_incident Succeeded", "Note Succeeded", "Entities_-_Get_IPs Succeeded"],
        want: &[
            (
                "Alert_-_Get_incident/inputs/path",
                r#""/Incidents/subscriptions/3f8e1c6a-52d7-4b09-9e4a-7c1d2b6f0a85/resourceGroups/rg-contoso-soc/workspaces/law-contoso-sentinel/alerts/f1f780a5-1fae-4ea1-a769-b85aa8afae8d""#,
            ),
            ("Entities_-_Get_IPs/outputs/body/IPs/0/Address", r#""10.99.4.20""#),
        ],
    };
    let outcome = check(&case, false);
    assert_eq!(props(&outcome)["comments"][0]["message"], "Alert Outbound connection to known C2 server");
}

#[test]
fn yaml_short_names_complete_tasks_relate_incidents_and_read_dns_entities() {
    let case = Case {
        note: "Follow-up",
        playbook: r#"
steps:
  - sentinel.add_task: { title: Isolate wks-114 }
  - sentinel.complete_task: { task: "@body('Add_task_to_incident')?['id']" }
  - sentinel.add_relation: { related: /subscriptions/s/resourceGroups/r/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/bookmarks/b1 }
  - sentinel.get_dns:
"#,
        mocks: None,
        status: "Succeeded",
        steps: &[
            "Add_task_to_incident Succeeded",
            "Mark_a_task_as_completed Succeeded",
            "Create_incident_relation Succeeded",
            "Entities_-_Get_DNS Succeeded",
        ],
        want: &[
            ("Mark_a_task_as_completed/outputs/body/properties/status", r#""Completed""#),
            (
                "Create_incident_relation/outputs/body/properties/relatedResourceType",
                r#""Microsoft.SecurityInsights/bookmarks""#,
            ),
            ("Create_incident_relation/outputs/body/properties/relatedResourceName", r#""b1""#),
        ],
    };
    let outcome = check(&case, false);
    assert_eq!(props(&outcome)["tasks"][0]["status"], "Completed");
    let log = log_json(&outcome);
    let dns = get(&log, "Entities_-_Get_DNS/outputs/body/Dnsresolutions");
    assert_eq!(dns.as_array().map(Vec::len), Some(1), "{dns}");
    let actions: Vec<&str> = outcome.changes.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(actions, ["add_task", "complete_task", "create_relation"]);
}
