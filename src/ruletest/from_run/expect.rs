//! The expectations of a test made from a recorded run: what the run did, in the playbook
//! test's keys. How it ended (`run`); each action's status, one for all its runs or one per run
//! (`actions`); the calls, in order, with their method, path (or URI) and body (but the entity
//! operations', which is the incident's entities) (`calls`); the outputs of the other actions that ran once (`outputs`);
//! and, when the run had an incident, what it changed (the fields set, the tags added and
//! removed, the tasks added, the number of audit records). Redacted values are left out.
//!
//! Stage: evaluation (pure: a recorded run -> expectations).

use serde_json::{json, Map, Value};

use crate::playbook::model::Status;

use super::super::playbook::action_key;
use super::super::playbook::log::Ran;
use super::clean;

/// The `expect` mapping of the test made from a run: `status` how it ended, `runs` every run
/// of every action, `calls` the calls made, `changes` its audit records, `incident` whether it
/// had an incident.
pub fn expect(status: &str, runs: &[Ran<'_>], calls: &[Ran<'_>], changes: &[Value], incident: bool) -> Value {
    let mut e = Map::new();
    e.insert("run".into(), json!(status));
    e.insert("actions".into(), actions(runs));
    let calling: Vec<String> = calls.iter().map(|r| action_key(r.name)).collect();
    let calls: Vec<Value> = calls.iter().map(call).collect();
    if !calls.is_empty() {
        e.insert("calls".into(), Value::Array(calls));
    }
    let outputs = outputs(runs, &calling);
    if !outputs.is_empty() {
        e.insert("outputs".into(), Value::Object(outputs));
    }
    if incident {
        e.extend(fields(changes));
    }
    e.insert("changes".into(), json!(changes.len()));
    Value::Object(e)
}

/// `{ACTION: STATUS}` when every run of it ended alike, else `{ACTION: [STATUS...]}`, in the
/// order the actions first ran.
fn actions(runs: &[Ran<'_>]) -> Value {
    let mut order: Vec<&str> = Vec::new();
    for r in runs {
        if !order.iter().any(|n| action_key(n) == action_key(r.name)) {
            order.push(r.name);
        }
    }
    let mut out = Map::new();
    for name in order {
        let statuses: Vec<Status> =
            runs.iter().filter(|r| action_key(r.name) == action_key(name)).map(|r| r.status).collect();
        let value = match statuses.as_slice() {
            [first, rest @ ..] if rest.iter().all(|s| s == first) => json!(first.as_str()),
            many => json!(many.iter().map(|s| s.as_str()).collect::<Vec<_>>()),
        };
        out.insert(name.to_owned(), value);
    }
    Value::Object(out)
}

/// One call: its action and the inputs that say what it asked (method, path or URI, and the
/// body, but for the entity operations, whose body is the incident's entities).
fn call(r: &Ran<'_>) -> Value {
    let Some(Value::Object(inputs)) = r.get("inputs") else { return json!(r.name) };
    let path = inputs.get("path").and_then(Value::as_str).unwrap_or_default();
    let entities = r.text("mock") == Some("builtin") && path.to_ascii_lowercase().starts_with("/entities/");
    let mut keys = vec!["method", "path", "uri"];
    if !entities {
        keys.push("body");
    }
    let mut kept = Map::new();
    for key in keys {
        if let Some(v) = inputs.get(key).map(clean).filter(|v| !v.is_null()) {
            kept.insert(key.to_owned(), v);
        }
    }
    if kept.is_empty() {
        return json!(r.name);
    }
    json!({ "action": r.name, "inputs": kept })
}

/// The outputs of the actions that ran once and make no call (their outputs are the
/// playbook's work, not a mock's), redactions left out.
fn outputs(runs: &[Ran<'_>], calling: &[String]) -> Map<String, Value> {
    let mut out = Map::new();
    for r in runs {
        let key = action_key(r.name);
        if calling.contains(&key) || runs.iter().filter(|o| action_key(o.name) == key).count() != 1 {
            continue;
        }
        if let Some(outputs) =
            r.get("outputs").filter(|_| r.status != Status::Skipped).map(clean).filter(|v| !v.is_null())
        {
            out.insert(r.name.to_owned(), outputs);
        }
    }
    out
}

/// The incident fields, tags and tasks the audit records say the run set.
fn fields(changes: &[Value]) -> Map<String, Value> {
    let mut out = Map::new();
    let (mut added, mut removed, mut tasks) = (Vec::<String>::new(), Vec::<String>::new(), Vec::<Value>::new());
    for c in changes {
        let text = |key: &str| c.get(key).and_then(Value::as_str).map(str::to_owned);
        let to = c.get("to").cloned().unwrap_or(Value::Null);
        match (text("action").as_deref(), text("property").as_deref()) {
            (_, Some("labels")) => match (text("from"), text("to")) {
                (None, Some(tag)) => {
                    removed.retain(|t| !t.eq_ignore_ascii_case(&tag));
                    added.push(tag);
                }
                (Some(tag), None) => {
                    added.retain(|t| !t.eq_ignore_ascii_case(&tag));
                    removed.push(tag);
                }
                _ => {}
            },
            (Some("add_task"), _) => tasks.push(to),
            (_, Some(property)) => {
                let key = match property {
                    "status" => "status",
                    "severity" => "severity",
                    "classification" => "classification",
                    "classificationReason" => "classification_reason",
                    "classificationComment" => "classification_comment",
                    "owner" => "owner",
                    _ => continue,
                };
                out.insert(key.to_owned(), to);
            }
            _ => {}
        }
    }
    if !added.is_empty() {
        out.insert("tags".into(), json!(added));
    }
    if !removed.is_empty() {
        out.insert("not_tags".into(), json!(removed));
    }
    if !tasks.is_empty() {
        out.insert("tasks".into(), Value::Array(tasks));
    }
    out
}
