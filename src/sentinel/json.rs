//! Parsing Sentinel JSON into the spanned tree the YAML loader produces, so that every
//! diagnostic points at the JSON file's line and column, and small accessors over that tree.
//!
//! JSON is (nearly) a subset of YAML 1.2's flow syntax, so [`crate::rules::yaml::parse`] reads
//! it with spans. When it refuses a file that serde_json accepts (a JSON construct YAML does not
//! share, such as an implicit key longer than 1024 characters), the serde_json value is
//! converted instead, with every span at the start of the file; when both refuse, the error
//! carries serde_json's line and column.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::yaml::{self, Key, Node, NodeKind};

use super::codes;

/// Parses JSON text. Err: a diagnostic with the position of the syntax error.
pub fn parse(path: &str, source: &str) -> Result<Node, Box<Diagnostic>> {
    match yaml::parse(source) {
        Ok(node) => Ok(node),
        Err(yaml_err) => match serde_json::from_str::<Value>(source) {
            Ok(value) => Ok(from_value(&value)),
            Err(e) => {
                let span = (e.line() > 0).then(|| span_at(source, e.line(), e.column()));
                let message = match e.to_string().rsplit_once(" at line ") {
                    Some((head, _)) => head.to_owned(),
                    None => e.to_string(),
                };
                Err(Box::new(
                    Diagnostic::error(
                        codes::JSON_SYNTAX,
                        path,
                        span.or(yaml_err.span),
                        format!("invalid JSON: {message}"),
                    )
                    .with_label("here"),
                ))
            }
        },
    }
}

/// The span of a 1-based line and column.
fn span_at(source: &str, line: usize, column: usize) -> Span {
    let mut start = 0;
    for (i, text) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            start += column.saturating_sub(1).min(text.len());
            break;
        }
        start += text.len();
    }
    let start = start.min(source.len());
    let end = source.get(start..).and_then(|rest| rest.chars().next()).map_or(start, |c| start + c.len_utf8());
    Span { start, end, line, column }
}

/// A serde_json value as a tree whose spans all point at the start of the file.
pub fn from_value(value: &Value) -> Node {
    let span = Span { start: 0, end: 0, line: 1, column: 1 };
    let kind = match value {
        Value::Null => NodeKind::Null,
        Value::Bool(b) => NodeKind::Bool(*b),
        Value::Number(n) => n.as_i64().map_or_else(|| NodeKind::Float(n.as_f64().unwrap_or(0.0)), NodeKind::Int),
        Value::String(s) => NodeKind::Str(s.clone()),
        Value::Array(items) => NodeKind::Seq(items.iter().map(from_value).collect()),
        Value::Object(map) => {
            NodeKind::Map(map.iter().map(|(k, v)| (Key { name: k.clone(), span }, from_value(v))).collect())
        }
    };
    Node { kind, span }
}

/// A tree as a serde_json value (spans dropped).
pub fn to_value(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Int(i) => Value::from(*i),
        NodeKind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        NodeKind::Str(s) => Value::String(s.clone()),
        NodeKind::Seq(items) => Value::Array(items.iter().map(to_value).collect()),
        NodeKind::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.name.clone(), to_value(v))).collect()),
    }
}

/// The entry of a mapping by key, compared ASCII case-insensitively (ARM and the REST API treat
/// property names so); `None` for other nodes.
pub fn entry<'n>(node: &'n Node, key: &str) -> Option<(&'n Key, &'n Node)> {
    match &node.kind {
        NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.name.eq_ignore_ascii_case(key)).map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// The value of a mapping key (see [`entry`]).
pub fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    entry(node, key).map(|(_, v)| v)
}

/// A string node's text.
pub fn as_str(node: &Node) -> Option<&str> {
    match &node.kind {
        NodeKind::Str(s) => Some(s),
        _ => None,
    }
}

/// The items of a list node.
pub fn items(node: &Node) -> Option<&[Node]> {
    match &node.kind {
        NodeKind::Seq(items) => Some(items),
        _ => None,
    }
}

/// True for `null` and `""`, which Sentinel's templates use for "not set".
pub fn is_unset(node: &Node) -> bool {
    matches!(&node.kind, NodeKind::Null) || as_str(node).is_some_and(|s| s.trim().is_empty())
}

/// Where a mapping's first key is (or the node itself when it has none).
pub fn start(node: &Node) -> Span {
    match &node.kind {
        NodeKind::Map(entries) => entries.first().map_or(node.span, |(k, _)| k.span),
        _ => node.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_into_the_json_text_and_keys_ignore_case() {
        let src = "{\n\t\"a\": {\"B\": \"x\\/y\"}\n}\n\n";
        let node = parse("t.json", src).unwrap_or_else(|d| unreachable!("{d:?}"));
        let b = get(&node, "a").and_then(|a| get(a, "b"));
        assert_eq!(b.and_then(as_str), Some("x/y"));
        assert_eq!(b.map(|n| (n.span.line, n.span.column)), Some((2, 13)));
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let d = parse("t.json", "{\n  \"a\": [1,\n}\n").err();
        assert_eq!(d.as_ref().map(|d| d.code), Some(codes::JSON_SYNTAX));
        assert!(d.and_then(|d| d.span).is_some_and(|s| s.line >= 2));
    }
}
