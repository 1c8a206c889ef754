//! Every playbook under examples/playbooks runs with its mocks (examples/mocks, same file
//! name) on the example incident or alert its header names, with the outcome asserted and the
//! run log snapshotted. The examples do not depend on the corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use serde_json::json;

use sentinel_soar::model::{Alert, Incident};
use sentinel_soar::playbook::connectors::mocks;
use sentinel_soar::playbook::model;
use sentinel_soar::playbook::run::{self, Options, Outcome, Start};

const NOW: &str = "2026-06-01T00:00:00Z";

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// Runs `examples/playbooks/<stem>.yaml` with `examples/mocks/<stem>.yaml` on the incident or
/// alert named in the playbook's header (`--incident examples/incidents/...` or `--alert
/// examples/alerts/...`), strict mocks.
fn run_example(stem: &str) -> Outcome {
    let path = format!("examples/playbooks/{stem}.yaml");
    let text = read(&path);
    let (flag, input) = text
        .split_whitespace()
        .zip(text.split_whitespace().skip(1))
        .find(|(w, _)| matches!(*w, "--incident" | "--alert"))
        .unwrap_or_else(|| panic!("{path}: the header names no --incident or --alert"));
    let mut diags = Vec::new();
    let playbooks = model::load(&path, &text, &mut diags);
    let mocks_path = format!("examples/mocks/{stem}.yaml");
    let mocks = mocks::load(&mocks_path, &read(&mocks_path), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let value = serde_json::from_str(&read(input)).unwrap();
    let start = match flag {
        "--alert" => Start::Alert(Alert::from_value(value).unwrap()),
        _ => Start::Incident(Incident::from_value(value).unwrap()),
    };
    // Every secret the example refers to is set (a fake value), as in a configured workspace.
    let secrets = playbooks[0].secrets.env_names().into_iter().map(|n| (n, "fake-secret".to_owned())).collect();
    let options = Options { strict_mocks: true, secrets, ..Options::new(NOW.parse().unwrap()) };
    run::run(&playbooks[0], start, &mocks, &options)
}

#[test]
fn every_example_playbook_has_mocks_and_runs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/playbooks");
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    assert!(!stems.is_empty());
    for stem in &stems {
        let outcome = run_example(stem);
        assert_eq!(outcome.log.status.as_str(), "Succeeded", "{stem}: {:#?}", outcome.log.error);
        assert!(outcome.log.unmocked.is_empty(), "{stem}");
        assert_eq!(outcome.log.warnings, Vec::<String>::new(), "{stem}");
    }
    let mocks_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/mocks");
    for entry in std::fs::read_dir(mocks_dir).unwrap() {
        let stem = entry.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned();
        assert!(stems.contains(&stem), "examples/mocks/{stem}.yaml belongs to no example playbook");
    }
}

#[test]
fn enrichment_comments_the_verdicts_and_tags_the_malicious_address() {
    let outcome = run_example("enrich-ip-virustotal");
    let props = outcome.incident.as_ref().unwrap().as_value()["properties"].clone();
    assert_eq!(props["labels"], json!([{"labelName": "malicious-ip", "labelType": "User"}]));
    let comment = props["comments"][0]["message"].as_str().unwrap();
    assert!(comment.contains("<td>10.99.4.20</td><td>0</td><td>0</td>"), "{comment}");
    assert!(comment.contains("<td>185.220.101.47</td><td>-41</td><td>14</td>"), "{comment}");
    let audit: Vec<(&str, Option<&str>)> =
        outcome.changes.iter().map(|c| (c.action.as_str(), c.property.as_deref())).collect();
    assert_eq!(audit, [("update_incident", Some("labels")), ("add_comment", Some("comments"))]);
    insta::assert_json_snapshot!(
        "example_enrich-ip-virustotal",
        json!({"log": outcome.log, "changes": outcome.changes})
    );
}

fn labels(outcome: &Outcome) -> Vec<String> {
    let props = &outcome.incident.as_ref().unwrap().as_value()["properties"];
    props["labels"].as_array().unwrap().iter().map(|l| l["labelName"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn sync_opens_a_servicenow_ticket_and_tags_its_number() {
    let outcome = run_example("servicenow-sync");
    assert_eq!(labels(&outcome), ["ticket-open", "SNOW:INC0010077"]);
    let log = serde_json::to_value(&outcome.log).unwrap();
    let create = &log["steps"][2];
    assert_eq!(create["name"], "Create_ticket");
    assert_eq!(create["inputs"]["body"]["urgency"], "1");
    assert_eq!(create["inputs"]["body"]["short_description"], "Sentinel 4115: Web shell detected on server");
    assert!(create["inputs"]["body"]["comments"].as_str().unwrap().starts_with("https://portal.azure.com/#asset/"));
    insta::assert_json_snapshot!("example_servicenow-sync", json!({"log": outcome.log, "changes": outcome.changes}));
}

#[test]
fn orchestration_blocks_after_approval() {
    let outcome = run_example("approve-block-ip");
    let props = outcome.incident.as_ref().unwrap().as_value()["properties"].clone();
    assert_eq!(props["status"], "Active");
    assert_eq!(labels(&outcome), ["auto-blocked"]);
    assert_eq!(
        props["comments"][0]["message"],
        "<p>ines@contoso.com chose Block: 1 address(es) blocked, 1 account(s) disabled.</p>"
    );
    // The approval took 12 simulated minutes; the block and the disable come after it.
    assert_eq!(outcome.log.duration, "PT12M2S");
    let log = serde_json::to_value(&outcome.log).unwrap();
    let decision = &log["steps"][4];
    assert_eq!(decision["note"], "case: Block");
    let block = &decision["children"][0]["iterations"][0]["steps"][0];
    assert_eq!(block["inputs"]["body"]["entry"]["ip-netmask"], "91.203.5.146");
    let disable = &decision["children"][1]["iterations"][0]["steps"][0];
    assert_eq!(disable["inputs"]["path"], "/v1.0/users/dave%40contoso.com");
    insta::assert_json_snapshot!("example_approve-block-ip", json!({"log": outcome.log, "changes": outcome.changes}));
}

#[test]
fn response_confirms_users_isolates_hosts_and_takes_the_incident() {
    let outcome = run_example("contain-compromised");
    let props = outcome.incident.as_ref().unwrap().as_value()["properties"].clone();
    assert_eq!((props["status"].as_str(), props["severity"].as_str()), (Some("Active"), Some("High")));
    assert_eq!(props["owner"]["userPrincipalName"], "soc-oncall@contoso.com");
    assert_eq!(props["tasks"][0]["title"], "Restore the isolated hosts from backup");
    assert_eq!(
        props["tasks"][0]["description"],
        "1 host(s) isolated; reset the passwords of 1 user(s) before release."
    );
    // Users and hosts are handled in parallel branches: the run takes the longer one.
    assert_eq!(outcome.log.duration, "PT5S");
    let log = serde_json::to_value(&outcome.log).unwrap();
    let isolate = &log["steps"][3]["iterations"][0]["steps"][1];
    assert_eq!(isolate["inputs"]["path"], "/api/machines/1e5bc9d7e413ddd7902c2932e418702b84d0cc07/isolate");
    insta::assert_json_snapshot!(
        "example_contain-compromised",
        json!({"log": outcome.log, "changes": outcome.changes})
    );
}

#[test]
fn notification_posts_the_alert_to_teams() {
    let outcome = run_example("notify-teams-on-alert");
    assert_eq!(outcome.log.status.as_str(), "Succeeded");
    // A run on an alert holds no incident and changes nothing.
    assert!(outcome.incident.is_none() && outcome.changes.is_empty());
    let log = serde_json::to_value(&outcome.log).unwrap();
    assert_eq!(log["trigger"]["kind"], "alert");
    let post = &log["steps"][3];
    assert_eq!(post["name"], "Post_to_SOC_channel");
    assert_eq!(
        post["inputs"]["body"]["body"]["content"],
        "<p>Alert <b>Password spray against the VPN gateway</b> (Medium, Azure Sentinel) raised at \
         2026-05-31T23:52:10Z from 203.0.113.77.</p>"
    );
    assert_eq!(post["outputs"]["statusCode"], 201);
}
