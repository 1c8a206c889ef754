//! Test file text -> [`TestFile`]: walks the spanned YAML tree with the shared
//! [`crate::syntax::Decoder`] and reports every structural problem (unknown, duplicate and missing keys, wrong types, bad
//! timestamps and enum values, contradicting keys) at once, with `file:line:column`.

use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};

use crate::diagnostic::Diagnostic;
use crate::model::{time, UpdatedBySource};
use crate::rules::codes as rule_codes;
use crate::syntax::{Decoder, Fields, Format, Node, NodeKind, Span};

use super::{codes, Case, IncidentSource, TestFile, Trigger, UnfinishedCase, DEFAULT_NOW};

/// Rule test YAML: the structural problems keep the rule codes (SR001-SR005, SR011), keys are
/// spelt exactly.
pub const FORMAT: Format = crate::rules::file::FORMAT;

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
    let Some(root) = Decoder::new(path, source, FORMAT, diags).parse_yaml() else {
        return TestFile { path: path.to_owned(), ..TestFile::default() };
    };
    decode_tree(path, source, &root, diags)
}

/// [`decode`] of a file already parsed into `root` (the workspace parses each file once).
pub fn decode_tree(path: &str, source: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> TestFile {
    let mut file = TestFile { path: path.to_owned(), ..TestFile::default() };
    let mut d = Tests(Decoder::new(path, source, FORMAT, diags));
    let Some(f) = d.fields(root, "a test file", FILE_KEYS) else { return file };
    let [rules_key, tests_key] = FILE_REQUIRED;
    // A file of playbook tests only needs no rules.
    let rule_tests = match f.get(tests_key).and_then(Node::items) {
        Some(items) => items.iter().any(|n| !is_playbook_case(n)),
        None => true,
    };
    match f.get(rules_key) {
        Some(node) => {
            file.rules = d.texts(node, "a rule path");
            file.rules_span = Some(node.span);
            if file.rules.is_empty() {
                d.error(rule_codes::EMPTY_LIST, node.span, "`rules` names no rule files");
            }
        }
        None if f.suggested(rules_key) || !rule_tests => {}
        None => d.missing(root.span, rules_key, "test file"),
    }
    if let Some(node) = f.get("playbooks") {
        file.playbooks = d.texts(node, "a playbook path");
    }
    if let Some(node) = f.get("mocks") {
        file.mocks = d.texts(node, "a mocks path");
    }
    let default_now = time::parse(DEFAULT_NOW).unwrap_or_default();
    let now = f.get("now").and_then(|n| d.timestamp(n)).unwrap_or(default_now);
    match f.get(tests_key).map(|n| (n, &n.kind)) {
        Some((_, NodeKind::Seq(items))) => {
            for item in items {
                if is_playbook_case(item) {
                    match d.playbook_case(item, now) {
                        Some(Ok(case)) => file.playbook_cases.push(case),
                        Some(Err(unfinished)) => file.unfinished_playbook_cases.push(unfinished),
                        None => {}
                    }
                } else {
                    match d.case(item, now) {
                        Some(Ok(case)) => file.cases.push(case),
                        Some(Err(unfinished)) => file.unfinished_cases.push(unfinished),
                        None => {}
                    }
                }
            }
        }
        Some((n, _)) => d.wrong_type(n, "a list of tests"),
        None if f.suggested(tests_key) => {}
        None => d.missing(root.span, tests_key, "test file"),
    }
    if file.cases.is_empty()
        && file.playbook_cases.is_empty()
        && !d.diags.iter().any(|x| x.file == path && x.is_error())
    {
        d.push(Diagnostic::warning(codes::NO_TESTS, path, None, "the file holds no tests"));
    }
    let mut named: Vec<(&str, Span)> = file.cases.iter().map(|c| (c.name.as_str(), c.span)).collect();
    named.extend(file.playbook_cases.iter().map(|c| (c.name.as_str(), c.span)));
    named.extend(file.unfinished_cases.iter().filter_map(|c| Some((c.name.as_deref()?, c.span))));
    named.extend(file.unfinished_playbook_cases.iter().filter_map(|c| Some((c.name.as_deref()?, c.span))));
    named.sort_by_key(|(_, span)| span.start);
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    for (name, span) in named {
        if let Some(first) = seen.insert(name, span) {
            d.push(
                Diagnostic::error(
                    codes::DUPLICATE_TEST_NAME,
                    path,
                    Some(span),
                    format!("duplicate test name `{name}`"),
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

/// True when a test is a playbook test (it names a playbook).
fn is_playbook_case(node: &Node) -> bool {
    node.get(PLAYBOOK_KEY).is_some()
}

/// The key that makes a test a playbook test.
pub const PLAYBOOK_KEY: &str = "playbook";

/// The test file decoder: the shared [`Decoder`] plus tests, triggers and expectations
/// ([`super::expect`]).
pub(super) struct Tests<'a>(pub Decoder<'a>);

impl<'a> Deref for Tests<'a> {
    type Target = Decoder<'a>;
    fn deref(&self) -> &Decoder<'a> {
        &self.0
    }
}

impl DerefMut for Tests<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl Tests<'_> {
    pub(super) fn timestamp(&mut self, node: &Node) -> Option<DateTime<Utc>> {
        let text = self.text(node, "an RFC 3339 timestamp")?;
        let parsed = time::parse(&text.value);
        if parsed.is_err() {
            let message = format!("`{}` is not an RFC 3339 timestamp or a date", text.value);
            let d = Diagnostic::error(rule_codes::INVALID_TIMESTAMP, self.path, Some(text.span), message)
                .with_help("write it like 2026-06-01T00:00:00Z, or 2026-06-01 for midnight UTC");
            self.push(d);
        }
        parsed.ok()
    }

    pub(super) fn incident(&mut self, node: &Node) -> Option<IncidentSource> {
        match &node.kind {
            NodeKind::Map(_) => Some(IncidentSource::Inline { value: node.to_value(), span: node.span }),
            NodeKind::Str(_) => self.text(node, "a path").map(IncidentSource::Path),
            _ => {
                self.wrong_type(node, "an incident file path or an inline incident mapping");
                None
            }
        }
    }

    /// A rule test; as far as it decoded when it has errors (reported); `None` when it is not a
    /// mapping.
    fn case(&mut self, node: &Node, file_now: DateTime<Utc>) -> Option<Result<Case, UnfinishedCase>> {
        let start = self.diags.len();
        let f = self.fields(node, "a test", CASE_KEYS)?;
        let span = f.span;
        let [name, incident, expect] = CASE_REQUIRED.map(|key| self.required(&f, key, "test"));
        let name = name.and_then(|n| self.text(n, "a test name"));
        let incident = incident.and_then(|n| self.incident(n));
        let expect = expect.and_then(|n| self.expect(n));
        let now = f.get("now").map_or(Some(file_now), |n| self.timestamp(n));
        if let Some(n) = f.get("description") {
            self.text(n, "a description");
        }
        let previous = f.get(UPDATE_KEYS[0]).map(|n| self.incident(n));
        let trigger = self.trigger(&f, previous.clone());
        let name = name.map(|n| n.value);
        Some(match (self.errors_since(start), name, incident, now, trigger, expect) {
            (false, Some(name), Some(incident), Some(now), Some(trigger), Some(expect)) => {
                Ok(Case { name, span, incident, now, trigger, expect })
            }
            (_, name, incident, _, _, expect) => {
                let (previous, expect) = (previous.flatten(), expect.unwrap_or_default());
                Err(UnfinishedCase { name, span, incident, previous, expect })
            }
        })
    }

    /// True when an error was reported after the first `start` diagnostics.
    pub(super) fn errors_since(&self, start: usize) -> bool {
        self.diags.get(start..).is_some_and(|new| new.iter().any(Diagnostic::is_error))
    }

    /// The event of a test; `previous` is its `previous` key, decoded (`Some(None)`: invalid).
    fn trigger(&mut self, f: &Fields<'_>, previous: Option<Option<IncidentSource>>) -> Option<Trigger> {
        let when = match f.get("trigger") {
            Some(n) => {
                let t = self.text(n, "created or updated")?;
                let [created, updated] = TRIGGERS;
                let value = t.value.trim().to_ascii_lowercase();
                if value == created {
                    false
                } else if value == updated {
                    true
                } else {
                    self.invalid_value(&t, "trigger", &TRIGGERS);
                    return None;
                }
            }
            None => false,
        };
        let by = f.get(UPDATE_KEYS[1]);
        if !when {
            for (key, _) in f.entries().iter().filter(|(k, _)| UPDATE_KEYS.contains(&k.name.as_str())) {
                let message = format!("`{}` needs `trigger: updated`", key.name);
                let d = Diagnostic::error(codes::CONFLICTING_KEYS, self.path, Some(key.span), message)
                    .with_label("only an update event has this")
                    .with_help("add `trigger: updated` to this test, or remove the key");
                self.push(d);
            }
            return (previous.is_none() && by.is_none()).then_some(Trigger::Created);
        }
        let previous = match previous {
            Some(p) => Some(p?),
            None => None,
        };
        let by = match by {
            Some(n) => self.enum_value(n, "updated-by source", UpdatedBySource::parse, &UpdatedBySource::names())?,
            None => DEFAULT_UPDATED_BY,
        };
        Some(Trigger::Updated { previous, by })
    }
}
