//! The `expect` mapping of a test: what each key checks ([`Check`]) and its decoding. Enum values
//! are checked when the file is read, so a typo (`status: Close`) is a diagnostic, not a
//! failing test.

use crate::diagnostic::Diagnostic;
use crate::model::{Classification, ClassificationReason, Severity, Status};
use crate::rules::codes as rule_codes;
use crate::syntax::{Node, NodeKind, Span};

use super::codes;
use super::file::Tests;
use super::Text;

/// Keys of `expect`, in the order the format documents them.
pub const EXPECT_KEYS: &[&str] = &[
    "fired",
    "fires",
    "not_fired",
    "status",
    "severity",
    "classification",
    "classification_reason",
    "classification_comment",
    "owner",
    "tags",
    "tags_exact",
    "not_tags",
    "tasks",
    "tasks_exact",
    "playbooks",
    "changes",
];

/// Keys of `expect` that contradict each other: `fired` lists every rule that fires, `fires` some.
pub const EXCLUSIVE_KEYS: [&str; 2] = ["fired", "fires"];

/// A single-valued incident field an expectation reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Status,
    Severity,
    Classification,
    ClassificationReason,
    ClassificationComment,
    /// Compared with every identity of the owner (UPN, e-mail, name, object id).
    Owner,
}

impl Field {
    /// The incident's properties field, for fields read as plain strings.
    pub fn incident_key(self) -> Option<&'static str> {
        match self {
            Field::Status => Some("status"),
            Field::Severity => Some("severity"),
            Field::Classification => Some("classification"),
            Field::ClassificationReason => Some("classificationReason"),
            Field::ClassificationComment => Some("classificationComment"),
            Field::Owner => None,
        }
    }

    /// True when values compare case-insensitively (Sentinel's enums, identities).
    pub fn ignores_case(self) -> bool {
        self != Field::ClassificationComment
    }
}

/// Lists of the final incident that `tags*` / `tasks*` read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// Label names.
    Tags,
    /// Task titles.
    Tasks,
}

/// How a list expectation compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every item is present (`tags`, `tasks`).
    Include,
    /// The same items, in any order (`tags_exact`, `tasks_exact`).
    Exact,
    /// No item is present (`not_tags`).
    Exclude,
}

/// What one expectation checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Exactly these rules fired, in run order.
    Fired(Vec<Text>),
    /// At least these rules fired.
    Fires(Vec<Text>),
    /// None of these rules fired.
    NotFired(Vec<Text>),
    /// The field has this value; `None`: the field is unset (or the incident unassigned).
    Field {
        field: Field,
        want: Option<String>,
    },
    List {
        list: ListKind,
        mode: Mode,
        items: Vec<String>,
    },
    /// Exactly these run_playbook requests, in order.
    Playbooks(Vec<String>),
    /// This many audit records.
    Changes(u64),
}

/// One key of `expect`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The key as written (`status`, `tags_exact`, ...).
    pub key: &'static str,
    pub span: Span,
    pub check: Check,
}

impl Tests<'_> {
    /// Decodes `expect`: the expectations that are valid (the others are reported); `None`
    /// (reported) when it is not a mapping.
    pub fn expect(&mut self, node: &Node) -> Option<Vec<Expectation>> {
        let f = self.fields(node, "`expect`", EXPECT_KEYS)?;
        if f.entries().is_empty() {
            self.error(codes::CONFLICTING_KEYS, node.span, "`expect` checks nothing; add at least one expectation");
        }
        let [fired_key, fires_key] = EXCLUSIVE_KEYS;
        if let (Some(_), Some(fires)) = (f.get(fired_key), f.get(fires_key)) {
            let d = Diagnostic::error(
                codes::CONFLICTING_KEYS,
                self.path,
                Some(fires.span),
                "`fires` together with `fired`",
            )
            .with_help("`fired` lists every rule that fires, in order; `fires` only some. Keep one");
            self.push(d);
        }
        let mut out = Vec::with_capacity(f.entries().len());
        for &(key, value) in f.entries() {
            let Some(name) = EXPECT_KEYS.iter().copied().find(|k| *k == key.name) else { continue };
            if let Some(check) = self.check(name, value) {
                out.push(Expectation { key: name, span: key.span, check });
            }
        }
        Some(out)
    }

    pub(super) fn check(&mut self, key: &str, value: &Node) -> Option<Check> {
        let strings = |d: &mut Self, what: &str| d.texts(value, what).into_iter().map(|t| t.value).collect();
        Some(match key {
            "fired" => Check::Fired(self.texts(value, "a rule name")),
            "fires" => Check::Fires(self.texts(value, "a rule name")),
            "not_fired" => Check::NotFired(self.texts(value, "a rule name")),
            "status" => self.field(Field::Status, value, Status::parse, Status::as_str, &Status::names())?,
            "severity" => self.field(Field::Severity, value, Severity::parse, Severity::as_str, &Severity::names())?,
            "classification" => self.field(
                Field::Classification,
                value,
                Classification::parse,
                Classification::as_str,
                &Classification::names(),
            )?,
            "classification_reason" => self.field(
                Field::ClassificationReason,
                value,
                ClassificationReason::parse,
                ClassificationReason::as_str,
                &ClassificationReason::names(),
            )?,
            "classification_comment" => self.free_field(Field::ClassificationComment, value, "a comment")?,
            "owner" => self.free_field(Field::Owner, value, "an owner UPN, e-mail, name or object id")?,
            "tags" => Check::List { list: ListKind::Tags, mode: Mode::Include, items: strings(self, "a tag") },
            "tags_exact" => Check::List { list: ListKind::Tags, mode: Mode::Exact, items: strings(self, "a tag") },
            "not_tags" => Check::List { list: ListKind::Tags, mode: Mode::Exclude, items: strings(self, "a tag") },
            "tasks" => Check::List { list: ListKind::Tasks, mode: Mode::Include, items: strings(self, "a task title") },
            "tasks_exact" => {
                Check::List { list: ListKind::Tasks, mode: Mode::Exact, items: strings(self, "a task title") }
            }
            "playbooks" => Check::Playbooks(strings(self, "a playbook name")),
            _ => match value.kind {
                NodeKind::Int(n) if n >= 0 => Check::Changes(n.unsigned_abs()),
                _ => {
                    self.wrong_type(value, "a number of audit records (0 or more)");
                    return None;
                }
            },
        })
    }

    /// An enum field: the value in the API's spelling, or `null`.
    fn field<T: Copy>(
        &mut self,
        field: Field,
        value: &Node,
        parse: fn(&str) -> Option<T>,
        spell: fn(T) -> &'static str,
        names: &[&str],
    ) -> Option<Check> {
        if value.kind == NodeKind::Null {
            return Some(Check::Field { field, want: None });
        }
        let what = match field {
            Field::Status => "status",
            Field::Severity => "severity",
            Field::Classification => "classification",
            _ => "classification reason",
        };
        let parsed = self.enum_value(value, what, parse, names)?;
        Some(Check::Field { field, want: Some(spell(parsed).to_owned()) })
    }

    /// A free-text field, or `null`.
    fn free_field(&mut self, field: Field, value: &Node, what: &str) -> Option<Check> {
        if value.kind == NodeKind::Null {
            return Some(Check::Field { field, want: None });
        }
        let text = self.text(value, what)?;
        if text.value.trim().is_empty() {
            self.error(rule_codes::WRONG_TYPE, text.span, "an empty value; write `null` to expect the field unset");
            return None;
        }
        Some(Check::Field { field, want: Some(text.value) })
    }
}
