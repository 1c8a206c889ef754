//! The value shape inferred for an action's run record: a tree of [`Node`]s, one per property,
//! array item or JSON text the playbook reads, each with the [`Hint`]s its readers give about
//! its type (a loop's `foreach` wants an array, `greater(x, 0)` a number, `formatDateTime(x)` a
//! timestamp), the Parse JSON schemas applied to it, and who reads it ([`Reader`]). Rendering
//! ([`Renderer`]) turns the tree into a value with typed placeholders a person recognises and
//! edits: `"<body.data.attributes.reputation>"`, `0`, `false`, one-item arrays; a schema's types
//! and required properties come first, so the value passes the Parse JSON that reads it; a value
//! a condition compares with another action's value (a Filter array's `where`) is rendered as
//! that one, so the comparison holds; a string `split` and indexed has the pieces it needs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::origin::{Dotted, Origin, Seg};

/// What a reader says about a value's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hint {
    /// Selected with a name, or given to `setProperty`.
    Object,
    /// Looped over, filtered, joined: an array.
    Array,
    /// `length`, `empty`, `first`: an array or a string (an array when nothing else says).
    Collection,
    /// `toLower`, `split`, `startsWith`: a string.
    String,
    /// Compared with a number, or given to arithmetic.
    Number,
    /// `int(x)`, `float(x)`: a number or a numeric string.
    Numeric,
    /// A condition, `not`, `and`, `or`: a boolean.
    Bool,
    /// A date function's argument: a timestamp.
    Timestamp,
    /// `base64ToString(x)`: base64 text.
    Base64,
    /// `uriHost(x)` and friends: a URI.
    Uri,
    /// Compared with null (`equals(body('X'), null)`): a call's body that is only tested for
    /// null is answered null (a `PATCH` answering 204).
    NullChecked,
}

/// Who reads a value: the action, the expression (in canonical form), and a note on what the
/// value must be there (`(cases: 'Block')`), empty when there is nothing to say.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Reader {
    pub action: String,
    pub expression: String,
    pub note: String,
}

/// One value of the record: what its readers say about it and its parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    pub hints: BTreeSet<Hint>,
    /// Properties, by the name first written (looked up ignoring case).
    pub children: BTreeMap<String, Node>,
    /// The shape of every item of an array.
    pub item: Option<Box<Node>>,
    /// The fewest items the array needs (`x[2]` needs 3).
    pub items: usize,
    /// The value inside a JSON string.
    pub json: Option<Box<Node>>,
    /// Parse JSON schemas applied to this value.
    pub schemas: Vec<Value>,
    /// A value a reader wants (an Until loop's `equals(x, 'completed')`).
    pub literal: Option<Value>,
    /// Another value this one should equal (a Filter array's `equals(item()?['name'], y)`).
    pub same_as: Option<Origin>,
    /// Delimiters `split` cuts this string with, and how many pieces an index needs (0: an
    /// index computed from the end).
    pub splits: BTreeMap<String, usize>,
    pub readers: BTreeSet<Reader>,
}

/// Where a rendered timestamp placeholder points.
pub const PLACEHOLDER_TIME: &str = "2024-01-01T00:00:00Z";

/// Base64 of `<placeholder>`.
const PLACEHOLDER_BASE64: &str = "PHBsYWNlaG9sZGVyPg==";

impl Node {
    /// The node at `path` below this one, created as needed.
    pub fn at(&mut self, path: &[Seg]) -> &mut Node {
        let Some((first, rest)) = path.split_first() else { return self };
        let next = match first {
            Seg::Key(key) => {
                let existing = self.children.keys().find(|k| k.eq_ignore_ascii_case(key)).cloned();
                self.children.entry(existing.unwrap_or_else(|| key.clone())).or_default()
            }
            Seg::Item(n) => {
                self.items = self.items.max(n + 1);
                self.item.get_or_insert_with(Box::default)
            }
            Seg::Json => self.json.get_or_insert_with(Box::default),
            Seg::Part => self,
        };
        next.at(rest)
    }

    /// True when readers reach the value but say nothing about it.
    pub fn is_bare(&self) -> bool {
        self.hints.is_empty()
            && self.children.is_empty()
            && self.item.is_none()
            && self.json.is_none()
            && self.schemas.is_empty()
            && self.literal.is_none()
            && self.same_as.is_none()
    }

    /// The node at `path`, if any reader reached it.
    pub fn get(&self, path: &[Seg]) -> Option<&Node> {
        let Some((first, rest)) = path.split_first() else { return Some(self) };
        let next = match first {
            Seg::Key(key) => self.child(key),
            Seg::Item(_) => self.item.as_deref(),
            Seg::Json => self.json.as_deref(),
            Seg::Part => Some(self),
        };
        next?.get(rest)
    }

    fn child(&self, key: &str) -> Option<&Node> {
        self.children.get(key).or_else(|| self.children.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|e| e.1))
    }

    /// Adds what a sample value shows (a known connector answer): its properties, items and
    /// scalar types, as hints no stronger than a reader's.
    pub fn merge_sample(&mut self, sample: &Value) {
        match sample {
            Value::Object(map) => {
                self.hints.insert(Hint::Object);
                for (key, value) in map {
                    self.at(&[Seg::Key(key.clone())]).merge_sample(value);
                }
            }
            Value::Array(items) => {
                self.hints.insert(Hint::Array);
                for item in items {
                    self.at(&[Seg::Item(0)]).merge_sample(item);
                }
            }
            Value::String(_) => {
                self.hints.insert(Hint::String);
            }
            Value::Number(_) => {
                self.hints.insert(Hint::Number);
            }
            Value::Bool(_) => {
                self.hints.insert(Hint::Bool);
            }
            Value::Null => {}
        }
    }

    /// Every reader of this node and of the nodes below it, with the path it reads (`path`
    /// is this node's).
    pub fn readings(&self, path: &mut Vec<Seg>, out: &mut BTreeMap<Reader, BTreeSet<Vec<Seg>>>) {
        for reader in &self.readers {
            out.entry(reader.clone()).or_default().insert(path.clone());
        }
        let mut below = |seg: Seg, node: &Node, out: &mut BTreeMap<Reader, BTreeSet<Vec<Seg>>>| {
            path.push(seg);
            node.readings(path, out);
            path.pop();
        };
        for (key, child) in &self.children {
            below(Seg::Key(key.clone()), child, out);
        }
        if let Some(item) = &self.item {
            below(Seg::Item(0), item, out);
        }
        if let Some(json) = &self.json {
            below(Seg::Json, json, out);
        }
    }
}

/// The value types a renderer can give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
    Text,
    NumericText,
    Json,
    Timestamp,
    Base64,
    Uri,
    Number,
    Bool,
    Null,
}

/// Renders nodes into values; `records` are every action's, for values that are rendered as
/// another one ([`Node::same_as`]).
pub struct Renderer<'r> {
    records: &'r BTreeMap<String, Node>,
    depth: usize,
}

/// How deep `same_as` links are followed.
const MAX_LINKS: usize = 8;

/// An ARM resource id around a placeholder, for a string cut at `/` (templates take its
/// subscription and resource group by position).
const ARM_ID: &str =
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/<resource-group>/providers/<provider>/<type>/";

impl<'r> Renderer<'r> {
    pub fn new(records: &'r BTreeMap<String, Node>) -> Renderer<'r> {
        Renderer { records, depth: 0 }
    }

    /// Renders `node` (absent: only schemas say something) at `path` (from the record's
    /// `outputs`), under `schemas` (the Parse JSON schemas that apply here, from above).
    pub fn render(&mut self, node: Option<&Node>, schemas: &[&Value], path: &mut Vec<Seg>) -> Value {
        let mut all: Vec<&Value> = schemas.to_vec();
        if let Some(n) = node {
            all.extend(n.schemas.iter());
        }
        if let Some(value) = node.and_then(|n| n.literal.clone()) {
            return value;
        }
        if let Some(value) = node.and_then(|n| n.same_as.as_ref()).and_then(|o| self.linked(o)) {
            return value;
        }
        if let Some(first) = all.iter().find_map(|s| s.get("enum").and_then(Value::as_array).and_then(|e| e.first())) {
            return first.clone();
        }
        match kind(node, &all) {
            Kind::Object => self.object(node, &all, path),
            Kind::Array => {
                let items: Vec<&Value> = all.iter().filter_map(|s| s.get("items")).collect();
                let count = node.map_or(1, |n| n.items.max(1));
                path.push(Seg::Item(0));
                let item = self.render(node.and_then(|n| n.item.as_deref()), &items, path);
                path.pop();
                Value::Array(vec![item; count])
            }
            Kind::Json => {
                path.push(Seg::Json);
                let inner = self.render(node.and_then(|n| n.json.as_deref()), &[], path);
                path.pop();
                Value::String(serde_json::to_string(&inner).unwrap_or_default())
            }
            Kind::Text => Value::String(text(node, path)),
            Kind::NumericText => Value::String("0".into()),
            Kind::Timestamp => Value::String(PLACEHOLDER_TIME.into()),
            Kind::Base64 => Value::String(PLACEHOLDER_BASE64.into()),
            Kind::Uri => Value::String("https://example.com/".into()),
            Kind::Number => Value::from(0),
            Kind::Bool => Value::Bool(false),
            Kind::Null => Value::Null,
        }
    }

    /// The value `origin` is rendered as (a piece of a string: the string).
    fn linked(&mut self, origin: &Origin) -> Option<Value> {
        if self.depth >= MAX_LINKS {
            return None;
        }
        let mut path: Vec<Seg> = origin.path.iter().filter(|s| **s != Seg::Part).cloned().collect();
        let node = self.records.get(&origin.action)?.get(&path)?;
        if path.first() == Some(&Seg::Key("outputs".into())) {
            path.remove(0);
        }
        self.depth += 1;
        let value = self.render(Some(node), &[], &mut path);
        self.depth -= 1;
        Some(value)
    }

    fn object(&mut self, node: Option<&Node>, schemas: &[&Value], path: &mut Vec<Seg>) -> Value {
        let mut keys: Vec<String> = node.map(|n| n.children.keys().cloned().collect()).unwrap_or_default();
        for required in schemas.iter().filter_map(|s| s.get("required").and_then(Value::as_array)).flatten() {
            if let Some(name) = required.as_str().filter(|r| !keys.iter().any(|k| k.eq_ignore_ascii_case(r))) {
                keys.push(name.to_owned());
            }
        }
        keys.sort();
        let mut out = Map::new();
        for key in keys {
            let below: Vec<&Value> =
                schemas.iter().filter_map(|s| s.get("properties").and_then(|p| p.get(&key))).collect();
            path.push(Seg::Key(key.clone()));
            let value = self.render(node.and_then(|n| n.child(&key)), &below, path);
            path.pop();
            out.insert(key, value);
        }
        Value::Object(out)
    }
}

/// A string placeholder, `<path>`; cut at `/`, an ARM id ending in it; cut at another
/// delimiter and indexed, as many pieces as the index needs.
fn text(node: Option<&Node>, path: &[Seg]) -> String {
    let placeholder = format!("<{}>", Dotted(path));
    let splits = node.map(|n| &n.splits);
    if splits.is_some_and(|s| s.contains_key("/")) {
        return format!("{ARM_ID}{placeholder}");
    }
    match splits.and_then(|s| s.iter().next()) {
        Some((delimiter, pieces)) => vec![placeholder; (*pieces).max(2)].join(delimiter),
        None => placeholder,
    }
}

/// The type a schema's `type` names (the first that is not null; null when only null).
fn schema_type<'s>(schemas: &[&'s Value]) -> Option<&'s str> {
    schemas.iter().find_map(|s| match s.get("type")? {
        Value::String(t) => Some(t.as_str()),
        Value::Array(ts) => {
            let names: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
            names.iter().find(|t| **t != "null").or(names.first()).copied()
        }
        _ => None,
    })
}

fn kind(node: Option<&Node>, schemas: &[&Value]) -> Kind {
    let empty = Node::default();
    let n = node.unwrap_or(&empty);
    let has = |h: Hint| n.hints.contains(&h);
    let date = schemas.iter().any(|s| s.get("format").and_then(Value::as_str) == Some("date-time"));
    let text = || {
        if n.json.is_some() {
            Kind::Json
        } else if has(Hint::Timestamp) || date {
            Kind::Timestamp
        } else if has(Hint::Numeric) || has(Hint::Number) {
            Kind::NumericText
        } else if has(Hint::Base64) {
            Kind::Base64
        } else if has(Hint::Uri) {
            Kind::Uri
        } else {
            Kind::Text
        }
    };
    match schema_type(schemas) {
        Some("object") => return Kind::Object,
        Some("array") => return Kind::Array,
        Some("string") => return text(),
        Some("integer" | "number") => return Kind::Number,
        Some("boolean") => return Kind::Bool,
        Some("null") => return Kind::Null,
        _ => {}
    }
    if n.json.is_some() {
        Kind::Json
    } else if has(Hint::Array) || (n.item.is_some() && n.children.is_empty()) {
        Kind::Array
    } else if !n.children.is_empty() || has(Hint::Object) {
        Kind::Object
    } else if has(Hint::Collection) {
        Kind::Array
    } else if has(Hint::Bool) {
        Kind::Bool
    } else if (has(Hint::Number) || has(Hint::Numeric)) && !has(Hint::String) && !has(Hint::Timestamp) {
        Kind::Number
    } else {
        text()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    fn rendered(node: &Node) -> Value {
        Renderer::new(&BTreeMap::new()).render(Some(node), &[], &mut vec![key("body")])
    }

    #[test]
    fn placeholders_are_typed_by_their_readers() {
        let mut body = Node::default();
        body.at(&[key("data"), key("attributes"), key("reputation")]).hints.insert(Hint::Number);
        body.at(&[key("value"), Seg::Item(0), key("id")]);
        body.at(&[key("flag")]).hints.insert(Hint::Bool);
        body.at(&[key("when")]).hints.insert(Hint::Timestamp);
        body.at(&[key("count")]).hints.extend([Hint::Numeric, Hint::String]);
        body.at(&[key("list")]).hints.insert(Hint::Collection);
        body.at(&[key("raw"), Seg::Json, key("id")]);
        body.at(&[key("pair"), Seg::Item(1)]);
        assert_eq!(
            rendered(&body),
            json!({
                "count": "0",
                "data": {"attributes": {"reputation": 0}},
                "flag": false,
                "list": ["<body.list[0]>"],
                "pair": ["<body.pair[0]>", "<body.pair[0]>"],
                "raw": "{\"id\":\"<body.raw{json}.id>\"}",
                "value": [{"id": "<body.value[0].id>"}],
                "when": PLACEHOLDER_TIME,
            })
        );
    }

    #[test]
    fn a_schema_gives_types_and_required_properties() {
        let mut body = Node::default();
        body.schemas.push(json!({"type": "object", "required": ["id", "tags"], "properties": {
            "id": {"type": ["integer", "null"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "name": {"type": "string"},
            "kind": {"enum": ["A", "B"]},
        }}));
        body.at(&[key("name")]).hints.insert(Hint::Number);
        body.at(&[key("kind")]);
        assert_eq!(rendered(&body), json!({"id": 0, "kind": "A", "name": "0", "tags": ["<body.tags[0]>"]}));
    }

    #[test]
    fn samples_add_shape_and_readers_are_listed_with_their_paths() {
        let mut body = Node::default();
        body.merge_sample(&json!({"IPs": [{"Address": "x"}], "count": 1}));
        let reader = Reader { action: "C".into(), expression: "e".into(), note: String::new() };
        body.at(&[key("ips"), Seg::Item(0)]).readers.insert(reader.clone());
        assert_eq!(rendered(&body), json!({"IPs": [{"Address": "<body.IPs[0].Address>"}], "count": 0}));
        let mut out = BTreeMap::new();
        body.readings(&mut vec![key("body")], &mut out);
        assert_eq!(out[&reader], BTreeSet::from([vec![key("body"), key("IPs"), Seg::Item(0)]]));
    }
}
