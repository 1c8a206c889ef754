//! The mocks that give a replay of a recorded run the answers the run got: every call answered
//! by a mock (of a file or inferred), every watchlist operation (its CSV file is not recorded)
//! and every call that failed for want of a mock (`--strict-mocks`) becomes an entry with the
//! recorded status, outputs, error and duration. Calls the playbook answers itself (static
//! results), the built-in Sentinel operations on the incident (the replay starts from the same
//! incident) and calls nobody answered are left to answer themselves again.
//!
//! An action answered alike every time gets one entry matching its name; otherwise each answer
//! matches the calls it answered by their path (or URI), or failing that by their whole inputs.
//!
//! Stage: evaluation (pure: a recorded run's calls -> mocks entries).

use serde_json::{json, Map, Value};

use crate::playbook::model::Status;

use super::super::playbook::action_key;
use super::super::playbook::log::Ran;
use super::clean;

/// The mocks entries for `calls` (a recorded run's calls, in order), and a note per action
/// whose answers the mocks cannot tell apart.
pub fn entries(calls: &[Ran<'_>]) -> (Vec<Value>, Vec<String>) {
    let answered: Vec<(&Ran<'_>, Value)> = calls.iter().filter_map(|r| answer(r).map(|a| (r, a))).collect();
    let mut actions: Vec<&str> = Vec::new();
    for (r, _) in &answered {
        if !actions.iter().any(|a| action_key(a) == action_key(r.name)) {
            actions.push(r.name);
        }
    }
    let (mut out, mut notes) = (Vec::new(), Vec::new());
    for action in actions {
        let mine: Vec<&(&Ran<'_>, Value)> =
            answered.iter().filter(|(r, _)| action_key(r.name) == action_key(action)).collect();
        let first = mine.first().map(|(_, a)| a.clone()).unwrap_or_default();
        if mine.iter().all(|(_, a)| *a == first) {
            out.push(entry(json!({ "action": action }), first));
            continue;
        }
        let by_path = |r: &Ran<'_>| {
            let inputs = r.get("inputs");
            let key = if inputs.and_then(|i| i.get("path")).is_some() { "path" } else { "uri" };
            inputs.and_then(|i| i.get(key)).map(|v| json!({ key: v }))
        };
        let paths: Vec<Option<Value>> = mine.iter().map(|(r, _)| by_path(r)).collect();
        let tells = |keys: &[Option<Value>]| {
            keys.iter()
                .zip(&mine)
                .all(|(k, (_, a))| k.is_some() && keys.iter().zip(&mine).all(|(k2, (_, a2))| k != k2 || a == a2))
        };
        let keys = if tells(&paths) {
            paths
        } else {
            let whole: Vec<Option<Value>> = mine.iter().map(|(r, _)| r.get("inputs").map(clean)).collect();
            if !tells(&whole) {
                notes.push(format!(
                    "{action}: calls with the same inputs got different answers; the mocks answer them all as the first was answered"
                ));
            }
            whole
        };
        let mut seen: Vec<&Option<Value>> = Vec::new();
        for (k, (_, a)) in keys.iter().zip(&mine) {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            let mut matcher = json!({ "action": action });
            if let (Some(inputs), Some(m)) = (k, matcher.as_object_mut()) {
                m.insert("inputs".into(), inputs.clone());
            }
            out.push(entry(matcher, a.clone()));
        }
    }
    (out, notes)
}

fn entry(matcher: Value, answer: Value) -> Value {
    let mut e = Map::new();
    e.insert("match".into(), matcher);
    if let Value::Object(a) = answer {
        e.extend(a);
    }
    Value::Object(e)
}

/// The answer a recorded call got, when a replay needs a mock to get it again: `{status,
/// code?, outputs?, error?, duration?}`.
fn answer(r: &Ran<'_>) -> Option<Value> {
    let source = r.text("mock");
    let path = r.get("inputs").and_then(|i| i.get("path")).and_then(Value::as_str).unwrap_or_default();
    let error_code = r.get("error").and_then(|e| e.get("code")).and_then(Value::as_str);
    let needed = match source {
        Some("mock-file" | "inferred") => true,
        Some("builtin") => path.to_ascii_lowercase().contains("/watchlists"),
        Some(_) => false,
        None => error_code == Some("NoMock"),
    };
    if !needed {
        return None;
    }
    let mut a = Map::new();
    a.insert("status".into(), json!(r.status.as_str()));
    if r.status != Status::Succeeded {
        if let Some(code) = r.text("code") {
            a.insert("code".into(), json!(code));
        }
    }
    if let Some(Value::Object(outputs)) = r.get("outputs") {
        let kept: Map<String, Value> = outputs
            .iter()
            .filter(|(k, _)| ["statusCode", "headers", "body"].contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        a.insert("outputs".into(), Value::Object(kept));
    }
    if let Some(e) = r.get("error").filter(|_| r.status != Status::Succeeded) {
        let pick = |k: &str| e.get(k).cloned().unwrap_or(Value::Null);
        a.insert("error".into(), json!({ "code": pick("code"), "message": pick("message") }));
    }
    if let Some(d) = r.text("duration").filter(|d| *d != "PT0S") {
        a.insert("duration".into(), json!(d));
    }
    Some(Value::Object(a))
}
