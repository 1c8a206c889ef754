//! Helpers shared by the playbook runtime tests: load a playbook from text, run it against the
//! fixture incident with optional mocks, and look into the run log.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use serde_json::Value;

use sentinel_soar::model::Incident;
use sentinel_soar::playbook::connectors::mocks::{self, Mocks};
use sentinel_soar::playbook::model;
use sentinel_soar::playbook::run::{self, Options, Outcome, Start};

pub const NOW: &str = "2026-06-01T00:00:00Z";

pub fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/playbooks").join(path)).unwrap()
}

pub fn incident() -> Incident {
    Incident::from_value(serde_json::from_str(&fixture("incidents/c2-beacon.json")).unwrap()).unwrap()
}

pub fn run_text(path: &str, text: &str, mocks_text: Option<&str>, strict: bool) -> Outcome {
    let mut diags = Vec::new();
    let playbooks = model::load(path, text, &mut diags);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let mocks = mocks_text.map_or_else(Mocks::default, |t| mocks::load("mocks.yaml", t, &mut diags));
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let mut options = Options::new(NOW.parse().unwrap());
    options.strict_mocks = strict;
    run::run(&playbooks[0], Start::Incident(incident()), &mocks, &options)
}

pub fn log_json(outcome: &Outcome) -> Value {
    serde_json::to_value(&outcome.log).unwrap()
}

/// The last step log named `name` anywhere in the tree.
pub fn step<'v>(log: &'v Value, name: &str) -> Option<&'v Value> {
    fn walk<'v>(steps: &'v Value, name: &str, found: &mut Option<&'v Value>) {
        for s in steps.as_array().into_iter().flatten() {
            if s["name"] == name {
                *found = Some(s);
            }
            walk(&s["children"], name, found);
            for it in s["iterations"].as_array().into_iter().flatten() {
                walk(&it["steps"], name, found);
            }
        }
    }
    let mut found = None;
    walk(&log["steps"], name, &mut found);
    found
}

/// `Step.field` of the run log (`field` is a JSON pointer below the step, `/status`, ...), or
/// `run/field` for the run itself.
pub fn get(log: &Value, key: &str) -> Value {
    if let Some(pointer) = key.strip_prefix("run") {
        return log.pointer(pointer).cloned().unwrap_or(Value::Null);
    }
    let (name, pointer) = key.split_once('/').map_or((key, ""), |(n, p)| (n, p));
    let s = step(log, name).unwrap_or_else(|| panic!("no step {name} in {log:#}"));
    s.pointer(&format!("/{pointer}")).cloned().unwrap_or(Value::Null)
}

/// Every step as `path status`, depth first (`Loop#0/Inner`), for compact expectations.
pub fn flat(log: &Value) -> Vec<String> {
    fn walk(steps: &Value, prefix: &str, out: &mut Vec<String>) {
        for s in steps.as_array().into_iter().flatten() {
            let name = format!("{prefix}{}", s["name"].as_str().unwrap());
            out.push(format!("{name} {}", s["status"].as_str().unwrap()));
            walk(&s["children"], &format!("{name}/"), out);
            for it in s["iterations"].as_array().into_iter().flatten() {
                walk(&it["steps"], &format!("{name}#{}/", it["index"]), out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&log["steps"], "", &mut out);
    out
}

pub struct Case {
    pub note: &'static str,
    pub playbook: &'static str,
    pub mocks: Option<&'static str>,
    pub status: &'static str,
    pub steps: &'static [&'static str],
    pub want: &'static [(&'static str, &'static str)],
}

pub fn check(case: &Case, strict: bool) -> Outcome {
    let text = format!("name: {}\n{}", serde_json::to_string(case.note).unwrap(), case.playbook);
    let outcome = run_text("case.yaml", &text, case.mocks, strict);
    let log = log_json(&outcome);
    assert_eq!(log["status"], case.status, "{}: {log:#}", case.note);
    if !case.steps.is_empty() {
        assert_eq!(flat(&log), case.steps, "{}", case.note);
    }
    for (key, want) in case.want {
        let want: Value =
            serde_json::from_str(want).unwrap_or_else(|e| panic!("{}: bad expectation {want}: {e}", case.note));
        assert_eq!(get(&log, key), want, "{}: {key}\n{log:#}", case.note);
    }
    outcome
}

/// Runs a playbook text with explicit options.
pub fn run_with(text: &str, mocks_text: Option<&str>, options: &Options) -> Outcome {
    let mut diags = Vec::new();
    let playbooks = model::load("case.yaml", text, &mut diags);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let mocks = mocks_text.map_or_else(Mocks::default, |t| mocks::load("mocks.yaml", t, &mut diags));
    run::run(&playbooks[0], Start::Incident(incident()), &mocks, options)
}
