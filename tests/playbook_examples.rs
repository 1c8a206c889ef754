//! Every playbook under examples/playbooks runs with its mocks (examples/mocks, same file
//! name) on the example incident its header names, with the outcome asserted and the run log
//! snapshotted. The examples do not depend on the corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use serde_json::json;

use sentinel_soar::model::Incident;
use sentinel_soar::playbook::connectors::mocks;
use sentinel_soar::playbook::model;
use sentinel_soar::playbook::run::{self, Options, Outcome, Start};

const NOW: &str = "2026-06-01T00:00:00Z";

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// Runs `examples/playbooks/<stem>.yaml` with `examples/mocks/<stem>.yaml` on the incident
/// named in the playbook's header (`--incident examples/incidents/...`), strict mocks.
fn run_example(stem: &str) -> Outcome {
    let path = format!("examples/playbooks/{stem}.yaml");
    let text = read(&path);
    let incident_path = text
        .split_whitespace()
        .skip_while(|w| *w != "--incident")
        .nth(1)
        .unwrap_or_else(|| panic!("{path}: the header names no --incident"));
    let mut diags = Vec::new();
    let playbooks = model::load(&path, &text, &mut diags);
    let mocks_path = format!("examples/mocks/{stem}.yaml");
    let mocks = mocks::load(&mocks_path, &read(&mocks_path), &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let incident = Incident::from_value(serde_json::from_str(&read(incident_path)).unwrap()).unwrap();
    let options = Options { strict_mocks: true, ..Options::new(NOW.parse().unwrap()) };
    run::run(&playbooks[0], Start::Incident(incident), &mocks, &options)
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
