//! The spanned tree every file kind is parsed into ([`Node`]), and the accessors the decoders
//! read it with. YAML ([`super::yaml`]) and JSON ([`super::json`]) give the same tree, so one
//! decoder serves both.

use serde_json::Value;

use super::Span;

/// A node of a parsed file with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
}

/// The shape of a node. Maps keep their keys in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key and its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Span,
}

/// How a format compares mapping keys, decided once per format: the YAML surfaces (rule files,
/// rule tests, YAML playbooks, mocks, settings) match keys exactly; Sentinel, ARM and Logic Apps
/// JSON match them ignoring ASCII case, as Azure does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Exact,
    IgnoreAscii,
}

impl Case {
    /// True when the key `name` is `key` under this policy.
    pub fn matches(self, name: &str, key: &str) -> bool {
        match self {
            Case::Exact => name == key,
            Case::IgnoreAscii => name.eq_ignore_ascii_case(key),
        }
    }
}

impl Node {
    /// A node of `kind` at `span`.
    pub fn new(kind: NodeKind, span: Span) -> Node {
        Node { kind, span }
    }

    /// A string node.
    pub fn text(span: Span, s: &str) -> Node {
        Node { kind: NodeKind::Str(s.to_owned()), span }
    }

    /// A list node.
    pub fn seq(span: Span, items: Vec<Node>) -> Node {
        Node { kind: NodeKind::Seq(items), span }
    }

    /// A mapping node from (key, value) pairs; every key gets `span`.
    pub fn map(span: Span, entries: Vec<(&str, Node)>) -> Node {
        let entries = entries.into_iter().map(|(k, v)| (Key { name: k.to_owned(), span }, v)).collect();
        Node { kind: NodeKind::Map(entries), span }
    }

    /// What kind of node this is, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a number",
            NodeKind::Str(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// The text of a scalar as written in the source (`10`, `yes`, `1.5` stay as typed), or the
    /// string value. `None` for null, lists and mappings.
    pub fn scalar_text(&self, source: &str) -> Option<String> {
        match &self.kind {
            NodeKind::Str(s) => Some(s.clone()),
            NodeKind::Bool(_) | NodeKind::Int(_) | NodeKind::Float(_) => {
                source.get(self.span.start..self.span.end).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
            }
            _ => None,
        }
    }

    /// The entries of a mapping node.
    pub fn entries(&self) -> Option<&[(Key, Node)]> {
        match &self.kind {
            NodeKind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// True for a mapping node.
    pub fn is_map(&self) -> bool {
        matches!(self.kind, NodeKind::Map(_))
    }

    /// The entry of a mapping whose key is `key` under `case`; `None` for other nodes.
    pub fn entry_with(&self, key: &str, case: Case) -> Option<(&Key, &Node)> {
        self.entries()?.iter().find(|(k, _)| case.matches(&k.name, key)).map(|(k, v)| (k, v))
    }

    /// The entry of a mapping by key, spelt exactly (the YAML surfaces).
    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        self.entry_with(key, Case::Exact)
    }

    /// The entry of a mapping by key compared ignoring ASCII case (ARM and the REST API treat
    /// property names so).
    pub fn entry_ignore_case(&self, key: &str) -> Option<(&Key, &Node)> {
        self.entry_with(key, Case::IgnoreAscii)
    }

    /// The value under `key` under `case`.
    pub fn get_with(&self, key: &str, case: Case) -> Option<&Node> {
        self.entry_with(key, case).map(|(_, v)| v)
    }

    /// The value under `key`, spelt exactly.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_with(key, Case::Exact)
    }

    /// The value under `key`, compared ignoring ASCII case.
    pub fn get_ignore_case(&self, key: &str) -> Option<&Node> {
        self.get_with(key, Case::IgnoreAscii)
    }

    /// A string node's text.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items of a list node.
    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// True for `null` and `""`, which Sentinel's templates use for "not set".
    pub fn is_unset(&self) -> bool {
        matches!(&self.kind, NodeKind::Null) || self.as_str().is_some_and(|s| s.trim().is_empty())
    }

    /// Where a mapping's first key is (or the node itself when it has none).
    pub fn start(&self) -> Span {
        match &self.kind {
            NodeKind::Map(entries) => entries.first().map_or(self.span, |(k, _)| k.span),
            _ => self.span,
        }
    }

    /// The tree as a serde_json value (spans dropped; scalars keep their parsed types).
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::from(*i),
            NodeKind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Map(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.name.clone(), v.to_value())).collect())
            }
        }
    }

    /// A serde_json value as a tree whose spans are all `span`.
    pub fn from_value(value: &Value, span: Span) -> Node {
        let kind = match value {
            Value::Null => NodeKind::Null,
            Value::Bool(b) => NodeKind::Bool(*b),
            Value::Number(n) => n.as_i64().map_or_else(|| NodeKind::Float(n.as_f64().unwrap_or(0.0)), NodeKind::Int),
            Value::String(s) => NodeKind::Str(s.clone()),
            Value::Array(items) => NodeKind::Seq(items.iter().map(|v| Node::from_value(v, span)).collect()),
            Value::Object(map) => NodeKind::Map(
                map.iter().map(|(k, v)| (Key { name: k.clone(), span }, Node::from_value(v, span))).collect(),
            ),
        };
        Node { kind, span }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_follow_the_case_policy() {
        let root = super::super::yaml::parse("Name: upper\nname: lower\nsteps: [1]\n").unwrap();
        assert_eq!(root.get("name").and_then(Node::as_str), Some("lower"));
        assert_eq!(root.get("NAME"), None);
        assert_eq!(root.get_ignore_case("NAME").and_then(Node::as_str), Some("upper"));
        assert_eq!(root.entry_ignore_case("STEPS").map(|(k, _)| k.name.as_str()), Some("steps"));
        assert_eq!(root.get("steps").and_then(Node::items).map(<[Node]>::len), Some(1));
        assert_eq!(root.start(), root.entries().unwrap()[0].0.span);
    }

    #[test]
    fn values_round_trip() {
        let value = serde_json::json!({"a": [1, 2.5, "x", null, true], "b": {}});
        let node = Node::from_value(&value, Span::FILE_START);
        assert_eq!(node.to_value(), value);
        assert!(Node::text(Span::FILE_START, " ").is_unset());
    }
}
