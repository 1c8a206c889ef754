//! The scaffold: inferred answers written as a mocks file ([`crate::playbook::connectors::mocks`]
//! format) a person reads and edits. Each entry matches its call by action name, connector,
//! method and path; a comment above it names the call and, for each value, who reads it and
//! how ("body.data.attributes.reputation: read by Condition: greater(...)"), and the branches
//! that run when the call fails. Block-style YAML, strings quoted whenever a plain scalar could
//! read as something else.

use serde_json::Value;

use crate::sentinel::yaml_out::{self, Y};

use super::{Inference, InferredCall};

/// Longest expression quoted in a comment, in characters.
const EXPRESSION_WIDTH: usize = 110;

/// The mocks file for `inferences` (one playbook or several).
pub fn render(inferences: &[Inference]) -> String {
    let mut out = String::new();
    out.push_str("# Mocks scaffolded by `sentinel-soar mocks scaffold`: one entry per external call, answered\n");
    out.push_str("# Succeeded with status 200. The values are placeholders inferred from how the playbook reads\n");
    out.push_str("# the outputs: replace \"<...>\", 0, false and the one-item lists with what the service answers.\n");
    if inferences.iter().all(|i| i.calls.is_empty()) {
        for inference in inferences {
            out.push_str(&format!("# Playbook {} ({}) makes no external call.\n", inference.playbook, inference.file));
        }
        out.push_str("mocks: []\n");
        return out;
    }
    out.push_str("mocks:\n");
    for inference in inferences {
        let calls = inference.calls.len();
        out.push_str(&format!("  # Playbook {} ({}): {calls} external call(s).\n", inference.playbook, inference.file));
        for call in &inference.calls {
            entry(call, &mut out);
        }
    }
    out
}

fn entry(call: &InferredCall, out: &mut String) {
    for line in comments(call) {
        out.push_str(&format!("  # {line}\n"));
    }
    out.push_str("  - match:\n");
    let mut matcher = vec![("action", call.action.as_str())];
    if let Some(connector) = &call.connector {
        matcher.push(("connector", connector));
    }
    if let Some(method) = &call.method {
        matcher.push(("method", method));
    }
    if let (Some(path), true) = (&call.path, call.path_matchable()) {
        matcher.push(("path", path));
    }
    for (key, value) in matcher {
        out.push_str(&format!("      {key}: {}\n", scalar(&Value::String(value.to_owned()))));
    }
    out.push_str("    status: Succeeded\n");
    mapping_entry("outputs", &call.outputs, 4, out);
}

/// The comment lines above an entry.
fn comments(call: &InferredCall) -> Vec<String> {
    let mut what = vec![call.action.clone()];
    match (&call.connector, &call.method, &call.path) {
        (Some(c), m, p) => {
            let mut text = format!(": {c}");
            if let Some(m) = m {
                text.push_str(&format!(" {}", m.to_ascii_uppercase()));
            }
            if let Some(p) = p {
                text.push_str(&format!(" {p}"));
            }
            what.push(text);
        }
        (None, _, _) => what.push(": an action that runs only with a mock".to_owned()),
    }
    if let Some(l) = &call.in_loop {
        what.push(format!(", once per item of {l}"));
    }
    let mut lines = vec![what.concat()];
    if call.readings.is_empty() {
        lines.push("  nothing reads its outputs".to_owned());
    }
    for (reader, paths) in &call.readings {
        let mut line = format!("  {}: read by {}: {}", paths.join(", "), reader.action, cut(&reader.expression));
        if !reader.note.is_empty() {
            line.push_str(&format!(" {}", reader.note));
        }
        lines.push(line);
    }
    for (action, statuses) in &call.branches {
        lines.push(format!("  {action} runs after it on {statuses}: set `status: Failed` here to try that path"));
    }
    lines
}

fn cut(text: &str) -> String {
    if text.chars().count() <= EXPRESSION_WIDTH {
        return text.to_owned();
    }
    let head: String = text.chars().take(EXPRESSION_WIDTH).collect();
    format!("{head}…")
}

/// `key: value` at `indent`, block style.
fn mapping_entry(key: &str, value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let key = scalar(&Value::String(key.to_owned()));
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str(&format!("{pad}{key}:\n"));
            for (k, v) in map {
                mapping_entry(k, v, indent + 2, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str(&format!("{pad}{key}:\n"));
            for item in items {
                sequence_item(item, indent + 2, out);
            }
        }
        other => out.push_str(&format!("{pad}{key}: {}\n", scalar(other))),
    }
}

/// `- value` at `indent`, block style (an object's first entry on the dash's line).
fn sequence_item(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut inner = String::new();
            for (k, v) in map {
                mapping_entry(k, v, indent + 2, &mut inner);
            }
            out.push_str(&format!("{pad}- {}", inner.get(indent + 2..).unwrap_or_default()));
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str(&format!("{pad}-\n"));
            for item in items {
                sequence_item(item, indent + 2, out);
            }
        }
        other => out.push_str(&format!("{pad}- {}\n", scalar(other))),
    }
}

/// A scalar (or an empty collection) in flow style.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => match yaml_out::string(s) {
            Y::Scalar(text) => text,
            _ => serde_json::to_string(s).unwrap_or_default(),
        },
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_block_style_and_quoted_when_needed() {
        let mut out = String::new();
        let value = json!({"a": {"b c": [{"x": 1, "y": "<body.y>"}, "z"]}, "e": {}, "l": [], "t": true, "n": null});
        mapping_entry("body", &value, 2, &mut out);
        assert_eq!(
            out,
            "  body:\n    a:\n      b c:\n        - x: 1\n          \"y\": \"<body.y>\"\n        - z\n    e: {}\n    l: []\n    t: true\n    \"n\": null\n"
        );
    }
}
