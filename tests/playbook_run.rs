//! The runtime, step kind by step kind: small playbooks run against a fixed incident, with
//! the run log, the incident and the audit records asserted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use serde_json::Value;

use sentinel_soar::model::Incident;
use sentinel_soar::playbook::connectors::mocks::{self, Mocks};
use sentinel_soar::playbook::model;
use sentinel_soar::playbook::run::{self, Options, Outcome, Start};

const NOW: &str = "2026-06-01T00:00:00Z";

fn fixture(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/playbooks").join(path)).unwrap()
}

fn incident() -> Incident {
    Incident::from_value(serde_json::from_str(&fixture("incidents/c2-beacon.json")).unwrap()).unwrap()
}

fn run_text(path: &str, text: &str, mocks_text: Option<&str>, strict: bool) -> Outcome {
    let mut diags = Vec::new();
    let playbooks = model::load(path, text, &mut diags);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    let mocks = mocks_text.map_or_else(Mocks::default, |t| mocks::load("mocks.yaml", t, &mut diags));
    assert!(diags.is_empty(), "{diags:#?}");
    let mut options = Options::new(NOW.parse().unwrap());
    options.strict_mocks = strict;
    run::run(&playbooks[0], Start::Incident(incident()), &mocks, &options)
}

fn log_json(outcome: &Outcome) -> Value {
    serde_json::to_value(&outcome.log).unwrap()
}

/// The last step log named `name` anywhere in the tree.
fn step<'v>(log: &'v Value, name: &str) -> Option<&'v Value> {
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
fn get(log: &Value, key: &str) -> Value {
    if let Some(pointer) = key.strip_prefix("run") {
        return log.pointer(pointer).cloned().unwrap_or(Value::Null);
    }
    let (name, pointer) = key.split_once('/').map_or((key, ""), |(n, p)| (n, p));
    let s = step(log, name).unwrap_or_else(|| panic!("no step {name} in {log:#}"));
    s.pointer(&format!("/{pointer}")).cloned().unwrap_or(Value::Null)
}

/// Every step as `path status`, depth first (`Loop#0/Inner`), for compact expectations.
fn flat(log: &Value) -> Vec<String> {
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

struct Case {
    note: &'static str,
    playbook: &'static str,
    mocks: Option<&'static str>,
    status: &'static str,
    steps: &'static [&'static str],
    want: &'static [(&'static str, &'static str)],
}

fn check(case: &Case, strict: bool) -> Outcome {
    let text = format!("name: {}\n{}", case.note, case.playbook);
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

#[test]
fn data_steps() {
    let cases = [
        Case {
            note: "compose renders templates against the trigger",
            playbook: r##"
steps:
  - name: Title
    compose: "#@{triggerBody()?['object']?['properties']?['incidentNumber']}: @{toUpper(triggerBody()?['object']?['properties']?['severity'])}"
  - name: Whole
    compose: { n: "@add(1, 2)", list: "@createArray('a', 'b')", now: "@utcNow()" }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &["Title Succeeded", "Whole Succeeded"],
            want: &[
                ("Title/outputs", r##""#4102: HIGH""##),
                ("Whole/outputs", r#"{"n": 3, "list": ["a", "b"], "now": "2026-06-01T00:00:00.0000000Z"}"#),
            ],
        },
        Case {
            note: "variables of every kind",
            playbook: r##"
steps:
  - initialize_variable:
      - { name: Count, type: integer, value: 1 }
      - { name: Names, type: array, value: [] }
      - { name: Text, type: string, value: "a" }
      - { name: Ratio, type: float, value: 0.5 }
  - increment_variable: { name: Count, value: 4 }
  - decrement_variable: { name: count }
  - append_to_array: { name: Names, value: x }
  - append_to_array: { name: Names, value: "@variables('Count')" }
  - append_to_string: { name: Text, value: "@variables('Count')" }
  - set_variable: { name: Ratio, value: 2 }
  - increment_variable: { name: Ratio, value: 0.25 }
  - name: Result
    compose: { count: "@variables('Count')", names: "@variables('Names')", text: "@variables('Text')", ratio: "@variables('Ratio')" }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[("Result/outputs", r#"{"count": 4, "names": ["x", 4], "text": "a4", "ratio": 2.25}"#)],
        },
        Case {
            note: "a value of the wrong type fails the variable action",
            playbook: r##"
steps:
  - initialize_variable: { name: Count, type: integer, value: "three" }
"##,
            mocks: None,
            status: "Failed",
            steps: &["Initialize_variable Failed"],
            want: &[
                ("Initialize_variable/error/diagnostic", r#""PB044""#),
                (
                    "Initialize_variable/error/message",
                    r#""The variable 'Count' of type 'Integer' cannot be initialized or updated with value of type 'String'.""#,
                ),
                (
                    "run/error/message",
                    r#""Action 'Initialize_variable' failed: The variable 'Count' of type 'Integer' cannot be initialized or updated with value of type 'String'.""#,
                ),
            ],
        },
    ];
    for case in &cases {
        check(case, false);
    }
}
