//! Real Sentinel playbook templates from ../shared/corpus/playbooks run end to end through the
//! same engine as YAML playbooks, with mocks for every external connector: the model is the
//! real one. Each run log (and the audit records) is an insta snapshot; the incident changes
//! are asserted. Skips with a message when the corpus is not there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::playbook_helpers as helpers;

use std::path::Path;

use serde_json::{json, Value};

use sentinel_soar::model::Incident;
use sentinel_soar::playbook::connectors::mocks;
use sentinel_soar::playbook::model;
use sentinel_soar::playbook::run::{self, Options, Outcome, Start};

fn corpus(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/playbooks").join(format!("{name}.json"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("corpus template {} not found; skipping", path.display());
            None
        }
    }
}

/// Runs corpus template `name` on a fixture incident with its mocks (strict: every external
/// call must be mocked).
fn run_template(name: &str, incident: &str) -> Option<Outcome> {
    let text = corpus(name)?;
    let mut diags = Vec::new();
    let playbooks = model::load(&format!("corpus/{name}.json"), &text, &mut diags);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let mocks = mocks::load("mocks.yaml", &helpers::fixture(&format!("mocks/{name}.yaml")), &mut diags);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let incident =
        Incident::from_value(serde_json::from_str(&helpers::fixture(&format!("incidents/{incident}"))).unwrap())
            .unwrap();
    let options = Options { strict_mocks: true, ..Options::new(helpers::NOW.parse().unwrap()) };
    Some(run::run(&playbooks[0], Start::Incident(incident), &mocks, &options))
}

fn snapshot(name: &str, outcome: &Outcome) {
    let value = json!({"log": outcome.log, "changes": outcome.changes});
    insta::assert_json_snapshot!(format!("corpus_{name}"), value);
}

fn props(outcome: &Outcome) -> Value {
    outcome.incident.as_ref().unwrap().as_value()["properties"].clone()
}

fn comments(outcome: &Outcome) -> Vec<String> {
    let p = props(outcome);
    p["comments"].as_array().into_iter().flatten().map(|c| c["message"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn virustotal_ip_report_comments_each_ip_verdict() {
    let Some(outcome) = run_template("vt-ip-report-incident", "c2-beacon.json") else { return };
    assert_eq!(outcome.log.status.as_str(), "Succeeded");
    let notes = comments(&outcome);
    assert_eq!(notes.len(), 2);
    assert!(
        notes[0].contains("10.99.4.20") && notes[0].contains("Reputation is: 0 which indicates likely harmless"),
        "{}",
        notes[0]
    );
    assert!(
        notes[1].contains("185.220.101.47") && notes[1].contains("Reputation is: -37 which indicates likely malicous"),
        "{}",
        notes[1]
    );
    snapshot("vt-ip-report-incident", &outcome);
}

#[test]
fn change_severity_raises_incidents_with_admin_accounts() {
    let Some(outcome) = run_template("change-incident-severity-incident", "kerberoasting-admin.json") else { return };
    assert_eq!(outcome.log.status.as_str(), "Succeeded");
    assert_eq!(props(&outcome)["severity"], "High");
    assert_eq!(outcome.changes.len(), 1);
    assert_eq!(outcome.changes[0].modified_by, "Playbook - Change-Incident-Severity");
    snapshot("change-incident-severity-incident", &outcome);
}

#[test]
fn block_aad_user_disables_users_and_reports_failures_it_handles() {
    let Some(outcome) = run_template("block-aaduser-incident", "kerberoasting-admin.json") else { return };
    assert_eq!(outcome.log.status.as_str(), "Succeeded", "{:#?}", outcome.log.error);
    let notes = comments(&outcome);
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(
        notes[0].contains("User erin (UPN - erin@contoso.com) was disabled")
            && notes[0].contains("Manager (frank@contoso.com) is notified"),
        "{}",
        notes[0]
    );
    assert!(
        notes[1].contains("could not disable user sqladmin") && notes[1].contains("Insufficient privileges"),
        "{}",
        notes[1]
    );
    snapshot("block-aaduser-incident", &outcome);
}

#[test]
fn servicenow_record_is_created_with_the_mapped_severity() {
    let Some(outcome) = run_template("snow-create-record-incident", "c2-beacon.json") else { return };
    assert_eq!(outcome.log.status.as_str(), "Succeeded");
    let log = helpers::log_json(&outcome);
    assert_eq!(helpers::get(&log, "Switch/note"), "case: Case_Severity_High");
    assert_eq!(helpers::get(&log, "Create_Record/inputs/body/impact"), "1");
    assert_eq!(helpers::get(&log, "Create_Record/outputs/body/result/number"), "INC0010042");
    assert!(outcome.changes.is_empty());
    snapshot("snow-create-record-incident", &outcome);
}

#[test]
fn teams_message_is_posted() {
    let Some(outcome) = run_template("teams-post-message-incident", "c2-beacon.json") else { return };
    assert_eq!(outcome.log.status.as_str(), "Succeeded");
    let log = helpers::log_json(&outcome);
    let content = helpers::get(&log, "Post_a_message_(V3)/inputs/body/body/content");
    assert!(content.as_str().unwrap().contains("ID: 4102"), "{content}");
    snapshot("teams-post-message-incident", &outcome);
}

/// Every workflow of every corpus template runs to an end on an incident without any mock:
/// unmocked calls are recorded as not run, nothing panics or hangs, and the log is
/// deterministic. Prints a status summary.
#[test]
fn every_corpus_workflow_runs_to_an_end_without_mocks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/playbooks");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus not found at {}; skipping", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("manifest.json"))
        .collect();
    paths.sort();
    let incident =
        Incident::from_value(serde_json::from_str(&helpers::fixture("incidents/kerberoasting-admin.json")).unwrap())
            .unwrap();
    let options = Options::new(helpers::NOW.parse().unwrap());
    let mut summary = std::collections::BTreeMap::new();
    let mut runs = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let mut diags = Vec::new();
        for playbook in model::load(&path.display().to_string(), &text, &mut diags) {
            let a = run::run(&playbook, Start::Incident(incident.clone()), &mocks::Mocks::default(), &options);
            let b = run::run(&playbook, Start::Incident(incident.clone()), &mocks::Mocks::default(), &options);
            assert_eq!(a.log, b.log, "{} is not deterministic", playbook.name);
            runs += 1;
            if let Some(e) = &a.log.error {
                eprintln!("{}: {}", playbook.name, e.message);
            }
            let key = match &a.log.error {
                Some(e) => format!("{} {}", a.log.status.as_str(), e.code),
                None => a.log.status.as_str().to_owned(),
            };
            *summary.entry(key).or_insert(0) += 1;
        }
    }
    eprintln!("{runs} workflows run without mocks: {summary:?}");
    assert!(runs >= 52, "{runs}");
}
