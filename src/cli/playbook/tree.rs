//! The run log as a tree for people: one line per step with its status, simulated start
//! (offset from the run's start) and duration, who answered a connector call and the step's
//! note; under it, inputs and outputs as compact JSON cut to one line, and the error. Loop
//! iterations are `#0`, `#1`, ... nodes. Plain text, the same on a terminal and in a pipe.
//! Works on the run log's JSON (as `--format json` prints it and the run history stores it).

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::playbook::model::TriggerKind;
use crate::playbook::run::log::counted_names;

/// Characters of JSON shown for inputs and outputs.
const WIDTH: usize = 110;

fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn list<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The whole report: the run log's JSON and the audit records' JSON.
pub fn render(log: &Value, changes: &Value) -> String {
    let start = parse(text(log, "startTime"));
    let run_id = text(log, "runId");
    let kind = text(log.get("trigger").unwrap_or(&Value::Null), "kind");
    let mut out = format!(
        "Playbook {} (trigger {}, run {})\n",
        text(log, "playbook"),
        class(kind),
        run_id.get(..8).unwrap_or(run_id)
    );
    steps(list(log, "steps"), "", start, &mut out);
    let spent = log.get("spent").unwrap_or(&Value::Null);
    let inferred = list(log, "inferred").len();
    out.push_str(&format!(
        "Run {} at {}, took {}, {} action(s), {} iteration(s){}\n",
        text(log, "status"),
        text(log, "startTime"),
        human(text(log, "duration")),
        spent.get("actions").and_then(Value::as_u64).unwrap_or(0),
        spent.get("iterations").and_then(Value::as_u64).unwrap_or(0),
        if inferred > 0 { format!(", {inferred} call(s) answered by inferred mocks") } else { String::new() }
    ));
    if let Some(e) = log.get("error").filter(|e| !e.is_null()) {
        out.push_str(&format!("  {}\n", error(e)));
    }
    let unmocked: Vec<&str> = list(log, "unmocked").iter().filter_map(Value::as_str).collect();
    if !unmocked.is_empty() {
        out.push_str(&format!("Not run (no mock): {}\n", counted_names(&unmocked)));
    }
    for w in list(log, "warnings").iter().filter_map(Value::as_str) {
        out.push_str(&format!("warning: {w}\n"));
    }
    let changes = changes.as_array().map_or(&[][..], Vec::as_slice);
    out.push_str(&format!("{} change(s) to the incident\n", changes.len()));
    for c in changes {
        let property = c.get("property").and_then(Value::as_str).unwrap_or("-");
        let step = c.get("step").and_then(Value::as_str).unwrap_or("-");
        let from = cut(c.get("from").unwrap_or(&Value::Null));
        let to = cut(c.get("to").unwrap_or(&Value::Null));
        out.push_str(&format!("  {step} {} {property}: {from} -> {to}\n", text(c, "action")));
    }
    out
}

/// The trigger kind's display name (Incident, Alert, Entity, Request, Recurrence, Other).
fn class(kind: &str) -> &'static str {
    TriggerKind::parse(kind).map_or("Other", TriggerKind::label)
}

fn steps(items: &[Value], prefix: &str, start: Option<DateTime<Utc>>, out: &mut String) {
    for (i, step) in items.iter().enumerate() {
        let (fork, pad) = branch(i + 1 == items.len());
        let mut line = format!(
            "{prefix}{fork}{} {} at {} took {}",
            text(step, "name"),
            text(step, "status"),
            offset(start, text(step, "startTime")),
            human(text(step, "duration"))
        );
        if let Some(m) = step.get("mock").and_then(Value::as_str) {
            line.push_str(&format!(" [{m}]"));
        }
        if let Some(note) = step.get("note").and_then(Value::as_str) {
            line.push_str(&format!(" ({note})"));
        }
        out.push_str(&line);
        out.push('\n');
        let inner = format!("{prefix}{pad}");
        let (children, iterations) = (list(step, "children"), list(step, "iterations"));
        let detail =
            if children.is_empty() && iterations.is_empty() { format!("{inner}   ") } else { format!("{inner}│  ") };
        if let Some(v) = step.get("inputs") {
            out.push_str(&format!("{detail}in:  {}\n", cut(v)));
        }
        if let Some(v) = step.get("outputs") {
            out.push_str(&format!("{detail}out: {}\n", cut(v)));
        }
        if let Some(e) = step.get("error") {
            out.push_str(&format!("{detail}{}\n", error(e)));
        }
        steps(children, &inner, start, out);
        for (j, it) in iterations.iter().enumerate() {
            let (b, p) = branch(j + 1 == iterations.len());
            let index = it.get("index").and_then(Value::as_u64).unwrap_or(0);
            out.push_str(&format!(
                "{inner}{b}#{index} {} at {}\n",
                text(it, "status"),
                offset(start, text(it, "startTime"))
            ));
            steps(list(it, "steps"), &format!("{inner}{p}"), start, out);
        }
    }
}

/// The branch drawn before a tree node and the padding under it: `├─ ` and `│  `, or `└─ `
/// and spaces for the last node of its level.
pub fn branch(last: bool) -> (&'static str, &'static str) {
    if last {
        ("└─ ", "   ")
    } else {
        ("├─ ", "│  ")
    }
}

fn error(e: &Value) -> String {
    let mut line = format!("error {}: {}", text(e, "code"), text(e, "message"));
    if let (Some(code), Some(at)) = (e.get("diagnostic").and_then(Value::as_str), e.get("at").and_then(Value::as_str)) {
        line.push_str(&format!(" [{code} at {at}]"));
    }
    line
}

/// Compact JSON on one line, cut to [`WIDTH`] characters.
pub fn cut(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default().replace('\n', "\\n");
    if text.chars().count() <= WIDTH {
        return text;
    }
    let head: String = text.chars().take(WIDTH).collect();
    format!("{head}…")
}

fn parse(stamp: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stamp).ok().map(|t| t.with_timezone(&Utc))
}

/// `+HH:MM:SS` from the run's start.
fn offset(start: Option<DateTime<Utc>>, at: &str) -> String {
    let (Some(start), Some(at_time)) = (start, parse(at)) else { return at.to_owned() };
    let secs = at_time.signed_duration_since(start).num_seconds().max(0);
    format!("+{:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `PT1M30S` -> `1m30s`; `PT0S` -> `0s`.
pub fn human(iso: &str) -> String {
    let text = iso.trim_start_matches("PT").to_ascii_lowercase();
    if text.is_empty() {
        "0s".to_owned()
    } else {
        text
    }
}
