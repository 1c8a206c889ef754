//! JSON values written as the YAML a person reads and edits: a value whose flow form
//! (`{ path: /a, method: get }`, `[a, b]`) fits the line is written so, anything larger in block
//! style; strings are plain when a plain scalar reads back as the same string, else
//! double-quoted with JSON escapes (which YAML reads alike).
//!
//! Stage: output.

use serde_json::Value;

use crate::sentinel::yaml_out::{self, Y};

/// The width a flow value may take, its key and indentation included.
const WIDTH: usize = 100;

/// A scalar (or an empty collection) as YAML.
pub fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => match yaml_out::string(s) {
            Y::Scalar(text) => text,
            _ => serde_json::to_string(s).unwrap_or_default(),
        },
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Array(items) if items.is_empty() => "[]".to_owned(),
        other => flow(other),
    }
}

/// The flow form of a value.
pub fn flow(value: &Value) -> String {
    match value {
        Value::Object(map) if !map.is_empty() => {
            let entries: Vec<String> = map.iter().map(|(k, v)| format!("{}: {}", key(k), flow(v))).collect();
            format!("{{ {} }}", entries.join(", "))
        }
        Value::Array(items) if !items.is_empty() => {
            format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", "))
        }
        Value::String(_) | Value::Object(_) | Value::Array(_) => scalar(value),
        other => other.to_string(),
    }
}

/// A mapping key.
fn key(name: &str) -> String {
    scalar(&Value::String(name.to_owned()))
}

/// `key: value` at `indent`.
pub fn entry(name: &str, value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let key = key(name);
    let compact = flow(value);
    let nested =
        matches!(value, Value::Object(m) if !m.is_empty()) || matches!(value, Value::Array(a) if !a.is_empty());
    if !nested || indent + key.len() + 2 + compact.chars().count() <= WIDTH && !compact.contains('\n') {
        out.push_str(&format!("{pad}{key}: {compact}\n"));
        return;
    }
    out.push_str(&format!("{pad}{key}:\n"));
    block(value, indent + 2, out);
}

/// A mapping's entries or a list's items at `indent`.
pub fn block(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                entry(k, v, indent, out);
            }
        }
        Value::Array(items) => {
            for v in items {
                item(v, indent, out);
            }
        }
        other => out.push_str(&format!("{}{}\n", " ".repeat(indent), scalar(other))),
    }
}

/// `- value` at `indent` (a mapping's first entry on the dash's line).
pub fn item(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut inner = String::new();
            block(value, indent + 2, &mut inner);
            out.push_str(&format!("{pad}- {}", inner.get(indent + 2..).unwrap_or_default()));
        }
        other => {
            let compact = flow(other);
            if indent + 2 + compact.chars().count() <= WIDTH || !matches!(other, Value::Array(_)) {
                out.push_str(&format!("{pad}- {compact}\n"));
            } else {
                out.push_str(&format!("{pad}-\n"));
                block(other, indent + 2, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn small_values_flow_large_ones_are_blocks_and_strings_read_back() {
        let mut out = String::new();
        let long = "x".repeat(90);
        let value = json!({
            "inputs": {"method": "get", "path": "/api/v3/ip_addresses/10.99.4.20"},
            "body": {"text": long, "n": [1, 2], "yes": "no", "e": {}},
            "list": [{"a": 1, "b": "two words"}, "c: d"],
        });
        block(&value, 2, &mut out);
        let want = format!(
            "  inputs: {{ method: get, path: \"/api/v3/ip_addresses/10.99.4.20\" }}\n  body:\n    text: {long}\n    \"n\": [1, 2]\n    \"yes\": \"no\"\n    e: {{}}\n  list: [{{ a: 1, b: two words }}, \"c: d\"]\n"
        );
        assert_eq!(out, want);
        let mut diags = Vec::new();
        let node =
            crate::syntax::Decoder::new("t", &out, crate::ruletest::file::FORMAT, &mut diags).parse_yaml().unwrap();
        assert_eq!(node.to_value(), value);
    }
}
