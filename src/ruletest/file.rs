//! Test file text -> [`TestFile`]: walks the spanned YAML tree of [`crate::rules::yaml`] and
//! reports every structural problem (unknown, duplicate and missing keys, wrong types, bad
//! timestamps and enum values, contradicting keys) at once, with `file:line:column`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Number, Value};

use crate::diagnostic::{did_you_mean, Diagnostic, Span};
use crate::model::{time, UpdatedBySource};
use crate::rules::codes as rule_codes;
use crate::rules::yaml::{self, Key, Node, NodeKind};

use super::{codes, Case, IncidentSource, TestFile, Text, Trigger, DEFAULT_NOW};

/// Keys of a test file.
pub const FILE_KEYS: &[&str] = &["rules", "playbooks", "mocks", "now", "tests"];
/// Keys a test file must have (reported as missing otherwise).
pub const FILE_REQUIRED: [&str; 2] = ["rules", "tests"];
/// Keys of one test.
pub const CASE_KEYS: &[&str] =
    &["name", "description", "incident", "now", "trigger", "previous", "updated_by", "expect"];
/// Keys every test must have (reported as missing otherwise).
pub const CASE_REQUIRED: [&str; 3] = ["name", "incident", "expect"];
/// Values of a test's `trigger` (case-insensitive): the event is a creation (the default) or an
/// update.
pub const TRIGGERS: [&str; 2] = ["created", "updated"];
/// Keys of a test that only an update event has (they need `trigger: updated`).
pub const UPDATE_KEYS: [&str; 2] = ["previous", "updated_by"];
/// Who made the update when a test with `trigger: updated` names no `updated_by`.
pub const DEFAULT_UPDATED_BY: UpdatedBySource = UpdatedBySource::Other;

/// Parses and decodes one test file. Problems go to `diags`; the tests that could be read are
/// returned, but a file with any error must not be run.
pub fn decode(path: &str, source: &str, diags: &mut Vec<Diagnostic>) -> TestFile {
    let mut file = TestFile { path: path.to_owned(), ..TestFile::default() };
    let root = match yaml::parse(source) {
        Ok(root) => root,
        Err(err) => {
            let code = match err.kind {
                yaml::YamlErrorKind::DuplicateKey => rule_codes::DUPLICATE_KEY,
                yaml::YamlErrorKind::Syntax => rule_codes::YAML_SYNTAX,
            };
            diags.push(Diagnostic::error(code, path, err.span, err.describe()));
            return file;
        }
    };
    let mut d = Decoder { path, source, diags };
    let Some(entries) = d.entries(&root, "a test file", FILE_KEYS) else { return file };
    let [rules_key, tests_key] = FILE_REQUIRED;
    match get(&entries, rules_key) {
        Some(node) => {
            file.rules = d.texts(node, "a rule path");
            file.rules_span = Some(node.span);
            if file.rules.is_empty() {
                d.error(rule_codes::EMPTY_LIST, node.span, "`rules` names no rule files");
            }
        }
        None => d.missing(root.span, rules_key, "test file"),
    }
    if let Some(node) = get(&entries, "playbooks") {
        file.playbooks = d.texts(node, "a playbook path");
    }
    if let Some(node) = get(&entries, "mocks") {
        file.mocks = d.texts(node, "a mocks path");
    }
    let default_now = time::parse(DEFAULT_NOW).unwrap_or_default();
    let now = get(&entries, "now").and_then(|n| d.timestamp(n)).unwrap_or(default_now);
    match get(&entries, tests_key).map(|n| (n, &n.kind)) {
        Some((_, NodeKind::Seq(items))) => file.cases = items.iter().filter_map(|n| d.case(n, now)).collect(),
        Some((n, _)) => d.wrong_type(n, "a list of tests"),
        None => d.missing(root.span, tests_key, "test file"),
    }
    if file.cases.is_empty() && !d.diags.iter().any(|x| x.file == path && x.is_error()) {
        d.diags.push(Diagnostic::warning(codes::NO_TESTS, path, None, "the file holds no tests"));
    }
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for case in &file.cases {
        if let Some(first) = seen.insert(&case.name, case.span) {
            d.diags.push(
                Diagnostic::error(
                    codes::DUPLICATE_TEST_NAME,
                    path,
                    Some(case.span),
                    format!("duplicate test name `{}`", case.name),
                )
                .with_help(format!(
                    "the first is at {path}:{}:{}; names identify tests in reports",
                    first.line, first.column
                )),
            );
        }
    }
    file
}

/// The value under `key` among a mapping's entries.
pub(super) fn get<'n>(entries: &[(&'n Key, &'n Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| *v)
}

/// Decoding state: where diagnostics go and the source for scalar text.
pub(super) struct Decoder<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Decoder<'_> {
    pub fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, self.path, Some(span), message));
    }

    pub fn wrong_type(&mut self, node: &Node, expected: &str) {
        self.diags.push(crate::rules::file::wrong_type(self.path, node, expected));
    }

    pub fn missing(&mut self, span: Span, key: &str, what: &str) {
        self.diags.push(crate::rules::file::missing_key(self.path, span, key, what));
    }

    /// A mapping's entries in source order, after reporting the keys not in `allowed`.
    pub fn entries<'n>(&mut self, node: &'n Node, what: &str, allowed: &[&str]) -> Option<Vec<(&'n Key, &'n Node)>> {
        let NodeKind::Map(map) = &node.kind else {
            self.wrong_type(node, &format!("a mapping for {what}"));
            return None;
        };
        let mut kept = Vec::with_capacity(map.len());
        for (key, value) in map {
            if allowed.contains(&key.name.as_str()) {
                kept.push((key, value));
                continue;
            }
            let help = match did_you_mean(&key.name, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", allowed.join(", ")),
            };
            let message = format!("unknown key `{}` in {what}", key.name);
            self.diags.push(
                Diagnostic::error(rule_codes::UNKNOWN_KEY, self.path, Some(key.span), message)
                    .with_label("unknown key")
                    .with_help(help),
            );
        }
        Some(kept)
    }

    pub fn text(&mut self, node: &Node, expected: &str) -> Option<Text> {
        let value = node.scalar_text(self.source);
        if value.is_none() {
            self.wrong_type(node, expected);
        }
        value.map(|value| Text { value, span: node.span })
    }

    /// A list of scalars; a single scalar counts as a one-item list.
    pub fn texts(&mut self, node: &Node, expected: &str) -> Vec<Text> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|n| self.text(n, expected)).collect(),
            _ => self.text(node, expected).into_iter().collect(),
        }
    }

    fn timestamp(&mut self, node: &Node) -> Option<DateTime<Utc>> {
        let text = self.text(node, "an RFC 3339 timestamp")?;
        let parsed = time::parse(&text.value);
        if parsed.is_err() {
            self.diags.push(
                Diagnostic::error(
                    rule_codes::INVALID_TIMESTAMP,
                    self.path,
                    Some(text.span),
                    format!("`{}` is not an RFC 3339 timestamp or a date", text.value),
                )
                .with_help("write it like 2026-06-01T00:00:00Z, or 2026-06-01 for midnight UTC"),
            );
        }
        parsed.ok()
    }

    fn incident(&mut self, node: &Node) -> Option<IncidentSource> {
        match &node.kind {
            NodeKind::Map(_) => Some(IncidentSource::Inline { value: json(node), span: node.span }),
            NodeKind::Str(_) => self.text(node, "a path").map(IncidentSource::Path),
            _ => {
                self.wrong_type(node, "an incident file path or an inline incident mapping");
                None
            }
        }
    }

    fn case(&mut self, node: &Node, file_now: DateTime<Utc>) -> Option<Case> {
        let entries = self.entries(node, "a test", CASE_KEYS)?;
        let span = entries.first().map_or(node.span, |(k, _)| k.span);
        let required = |d: &mut Self, key: &str| {
            let found = get(&entries, key);
            if found.is_none() {
                d.missing(span, key, "test");
            }
            found
        };
        let [name, incident, expect] = CASE_REQUIRED.map(|key| required(self, key));
        let name = name.and_then(|n| self.text(n, "a test name"));
        let incident = incident.and_then(|n| self.incident(n));
        let expect = expect.and_then(|n| self.expect(n));
        let now = get(&entries, "now").map_or(Some(file_now), |n| self.timestamp(n));
        if let Some(n) = get(&entries, "description") {
            self.text(n, "a description");
        }
        let trigger = self.trigger(&entries)?;
        Some(Case { name: name?.value, span, incident: incident?, now: now?, trigger, expect: expect? })
    }

    fn trigger(&mut self, entries: &[(&Key, &Node)]) -> Option<Trigger> {
        let when = match get(entries, "trigger") {
            Some(n) => {
                let t = self.text(n, "created or updated")?;
                let [created, updated] = TRIGGERS;
                let value = t.value.trim().to_ascii_lowercase();
                if value == created {
                    false
                } else if value == updated {
                    true
                } else {
                    let message = format!("`{}` is not a valid trigger", t.value);
                    self.diags.push(
                        Diagnostic::error(rule_codes::INVALID_ENUM, self.path, Some(t.span), message)
                            .with_help(format!("expected one of: {}", TRIGGERS.join(", "))),
                    );
                    return None;
                }
            }
            None => false,
        };
        let [previous_key, by_key] = UPDATE_KEYS;
        let previous = get(entries, previous_key);
        let by = get(entries, by_key);
        if !when {
            for (key, _) in entries.iter().filter(|(k, _)| UPDATE_KEYS.contains(&k.name.as_str())) {
                let message = format!("`{}` needs `trigger: updated`", key.name);
                self.diags.push(
                    Diagnostic::error(codes::CONFLICTING_KEYS, self.path, Some(key.span), message)
                        .with_label("only an update event has this")
                        .with_help("add `trigger: updated` to this test, or remove the key"),
                );
            }
            return (previous.is_none() && by.is_none()).then_some(Trigger::Created);
        }
        let previous = match previous {
            Some(n) => Some(self.incident(n)?),
            None => None,
        };
        let by = match by {
            Some(n) => self.enum_value(n, "updated-by source", UpdatedBySource::parse, &UpdatedBySource::names())?,
            None => DEFAULT_UPDATED_BY,
        };
        Some(Trigger::Updated { previous, by })
    }

    /// A scalar parsed as one of Sentinel's enums, or reported with the valid spellings.
    pub fn enum_value<T>(
        &mut self,
        node: &Node,
        what: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        let text = self.text(node, what)?;
        let parsed = parse(&text.value);
        if parsed.is_none() {
            let help = match did_you_mean(&text.value, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", names.join(", ")),
            };
            let message = format!("`{}` is not a valid {what}", text.value);
            self.diags
                .push(Diagnostic::error(rule_codes::INVALID_ENUM, self.path, Some(text.span), message).with_help(help));
        }
        parsed
    }
}

/// A YAML node as JSON (inline incidents). Scalars keep their YAML types.
fn json(node: &Node) -> Value {
    match &node.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Int(i) => Value::Number((*i).into()),
        NodeKind::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        NodeKind::Str(s) => Value::String(s.clone()),
        NodeKind::Seq(items) => Value::Array(items.iter().map(json).collect()),
        NodeKind::Map(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.name.clone(), json(v))).collect::<Map<String, Value>>())
        }
    }
}
