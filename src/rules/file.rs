//! The rule file model (SPEC 1.1): what a YAML rule file says, with spans, before any name is
//! resolved. [`decode`] walks the spanned YAML tree and reports every structural problem
//! (unknown, duplicate and missing keys, wrong types, malformed conditions) at once; names,
//! enums, regexes and limits are checked later by [`crate::rules::compile`].

use std::ops::{Deref, DerefMut};

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::{Case, Codes, Decoder, Format, Key, Node, NodeKind, Span};

use super::codes;

pub use crate::syntax::Text;

/// Rule YAML: SR codes, keys spelt exactly.
pub const FORMAT: Format = Format {
    codes: Codes {
        syntax: codes::YAML_SYNTAX,
        duplicate_key: codes::DUPLICATE_KEY,
        unknown_key: Some(codes::UNKNOWN_KEY),
        missing_key: codes::MISSING_KEY,
        wrong_type: codes::WRONG_TYPE,
        invalid_value: codes::INVALID_ENUM,
    },
    case: Case::Exact,
};

/// One rule file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RuleFile {
    pub path: String,
    pub rules: Vec<RuleDef>,
}

/// One rule as written. Missing required fields are `None` (a diagnostic was reported).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDef {
    /// Where the rule's mapping starts.
    pub span: Span,
    pub name: Option<Text>,
    pub description: Option<Text>,
    pub order: Option<(i64, Span)>,
    pub enabled: bool,
    pub expires: Option<Text>,
    pub trigger_on: Option<Text>,
    pub trigger_when: Option<Text>,
    pub analytics_rules: Vec<Text>,
    pub conditions: Option<CondDef>,
    pub actions: Vec<ActionDef>,
    pub actions_span: Option<Span>,
    /// Actions written in the file, including any that could not be decoded.
    pub actions_written: usize,
}

impl RuleDef {
    /// A rule starting at `span` with nothing read yet: enabled, defaults everywhere else.
    pub fn at(span: Span) -> RuleDef {
        RuleDef {
            span,
            name: None,
            description: None,
            order: None,
            enabled: true,
            expires: None,
            trigger_on: None,
            trigger_when: None,
            analytics_rules: Vec::new(),
            conditions: None,
            actions: Vec::new(),
            actions_span: None,
            actions_written: 0,
        }
    }
}

/// A condition as written.
#[derive(Debug, Clone, PartialEq)]
pub enum CondDef {
    /// `all: [...]`; `implicit` when written as a bare list.
    All {
        items: Vec<CondDef>,
        span: Span,
        implicit: bool,
    },
    Any {
        items: Vec<CondDef>,
        span: Span,
    },
    Not {
        inner: Box<CondDef>,
        span: Span,
    },
    Leaf {
        property: Text,
        operator: Text,
        values: Vec<Text>,
        span: Span,
    },
    /// `{ changed: IncidentSeverity, from: [...], to: [...] }`
    Changed {
        property: Text,
        from: Vec<Text>,
        to: Vec<Text>,
        span: Span,
    },
    /// `{ added: Alerts|Labels|Tactics|Comments }`
    Added {
        what: Text,
        span: Span,
    },
    /// `any_item: [...]` / `all_items: [...]` over custom details.
    Items {
        all: bool,
        items: Vec<CondDef>,
        span: Span,
    },
}

impl CondDef {
    pub fn span(&self) -> Span {
        match self {
            CondDef::All { span, .. }
            | CondDef::Any { span, .. }
            | CondDef::Not { span, .. }
            | CondDef::Leaf { span, .. }
            | CondDef::Changed { span, .. }
            | CondDef::Added { span, .. }
            | CondDef::Items { span, .. } => *span,
        }
    }
}

/// An action as written; `span` is the action key.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionDef {
    ChangeStatus { status: Text, classification: Option<Text>, reason: Option<Text>, comment: Option<Text>, span: Span },
    ChangeSeverity { severity: Text, span: Span },
    AssignOwner { object_id: Option<Text>, email: Option<Text>, upn: Option<Text>, name: Option<Text>, span: Span },
    AddTags { tags: Vec<Text>, span: Span },
    AddTask { title: Text, description: Option<Text>, span: Span },
    RunPlaybook { name: Text, span: Span },
}

impl ActionDef {
    pub fn span(&self) -> Span {
        match self {
            ActionDef::ChangeStatus { span, .. }
            | ActionDef::ChangeSeverity { span, .. }
            | ActionDef::AssignOwner { span, .. }
            | ActionDef::AddTags { span, .. }
            | ActionDef::AddTask { span, .. }
            | ActionDef::RunPlaybook { span, .. } => *span,
        }
    }

    /// The action's YAML key.
    pub fn keyword(&self) -> &'static str {
        match self {
            ActionDef::ChangeStatus { .. } => "change_status",
            ActionDef::ChangeSeverity { .. } => "change_severity",
            ActionDef::AssignOwner { .. } => "assign_owner",
            ActionDef::AddTags { .. } => "add_tags",
            ActionDef::AddTask { .. } => "add_task",
            ActionDef::RunPlaybook { .. } => "run_playbook",
        }
    }
}

/// Keys of a rule mapping.
pub const RULE_KEYS: &[&str] =
    &["name", "description", "order", "enabled", "expires", "trigger", "analytics_rules", "conditions", "actions"];
/// Keys that start a condition.
pub const CONDITION_KEYS: &[&str] = &["all", "any", "not", "property", "changed", "added", "any_item", "all_items"];
/// Action keys.
pub const ACTION_KEYS: &[&str] =
    &["change_status", "change_severity", "assign_owner", "add_tags", "add_task", "run_playbook"];
/// Keys of a file holding a list of rules.
pub const FILE_KEYS: &[&str] = &["rules"];
/// Keys of `trigger`.
pub const TRIGGER_KEYS: &[&str] = &["on", "when"];
/// Keys of a property condition.
pub const PROPERTY_KEYS: &[&str] = &["property", "operator", "values"];
/// Keys of a `changed` condition.
pub const CHANGED_KEYS: &[&str] = &["changed", "from", "to"];
/// Keys of `change_status` in its mapping form.
pub const CHANGE_STATUS_KEYS: &[&str] = &["status", "classification", "reason", "comment"];
/// Keys of `assign_owner`.
pub const ASSIGN_OWNER_KEYS: &[&str] = &["upn", "object_id", "email", "name"];
/// Keys of `add_task`.
pub const ADD_TASK_KEYS: &[&str] = &["title", "description"];

/// Parses and decodes one rule file's text. Every problem goes to `diags`; the rules that
/// could be read are returned even when others could not.
pub fn decode(path: &str, source: &str, diags: &mut Vec<Diagnostic>) -> RuleFile {
    let Some(root) = Decoder::new(path, source, FORMAT, diags).parse_yaml() else {
        return RuleFile { path: path.to_owned(), rules: Vec::new() };
    };
    decode_tree(path, source, &root, diags)
}

/// [`decode`] of a file already parsed into `root` (the workspace parses each file once).
pub fn decode_tree(path: &str, source: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> RuleFile {
    let mut file = RuleFile { path: path.to_owned(), rules: Vec::new() };
    let mut d = Rules(Decoder::new(path, source, FORMAT, diags));
    match &root.kind {
        NodeKind::Null => {
            d.push(Diagnostic::warning(codes::NO_RULES, path, None, "the file holds no rules"));
        }
        NodeKind::Map(entries) if entries.iter().any(|(k, _)| k.name == "rules") => {
            if let Some(fields) = d.fields(root, "a rule file", FILE_KEYS) {
                if let Some(list) = fields.get("rules") {
                    match &list.kind {
                        NodeKind::Seq(items) => {
                            if items.is_empty() {
                                d.push(Diagnostic::warning(codes::NO_RULES, path, Some(list.span), "`rules` is empty"));
                            }
                            file.rules = items.iter().filter_map(|n| d.rule(n)).collect();
                        }
                        _ => d.wrong_type(list, "a list of rules"),
                    }
                }
            }
        }
        NodeKind::Map(_) => file.rules.extend(d.rule(root)),
        _ => d.wrong_type(root, "a rule mapping or `rules:` with a list of rules"),
    }
    file
}

/// The rule file decoder: the shared [`Decoder`] plus rules, conditions and actions.
struct Rules<'a>(Decoder<'a>);

impl<'a> Deref for Rules<'a> {
    type Target = Decoder<'a>;
    fn deref(&self) -> &Decoder<'a> {
        &self.0
    }
}

impl<'a> DerefMut for Rules<'a> {
    fn deref_mut(&mut self) -> &mut Decoder<'a> {
        &mut self.0
    }
}

impl Rules<'_> {
    fn rule(&mut self, node: &Node) -> Option<RuleDef> {
        let f = self.fields(node, "a rule", RULE_KEYS)?;
        let mut rule = RuleDef::at(f.span);
        match f.get("name") {
            Some(n) => rule.name = self.text(n, "a rule name"),
            None => self.missing_in(&f, "name", "rule"),
        }
        rule.description = f.get("description").and_then(|n| self.text(n, "a description"));
        match f.get("order").map(|n| (n, &n.kind)) {
            Some((n, NodeKind::Int(i))) => rule.order = Some((*i, n.span)),
            Some((n, _)) => self.wrong_type(n, "an integer order from 1 to 1000"),
            None => self.missing_in(&f, "order", "rule"),
        }
        match f.get("enabled").map(|n| (n, &n.kind)) {
            Some((_, NodeKind::Bool(b))) => rule.enabled = *b,
            Some((n, _)) => self.wrong_type(n, "true or false"),
            None => {}
        }
        rule.expires = f.get("expires").and_then(|n| self.text(n, "an RFC 3339 timestamp"));
        if let Some(t) = f.get("trigger") {
            if let Some(tf) = self.fields(t, "a trigger", TRIGGER_KEYS) {
                rule.trigger_on = tf.get("on").and_then(|n| self.text(n, "incidents or alerts"));
                rule.trigger_when = tf.get("when").and_then(|n| self.text(n, "created or updated"));
            }
        }
        if let Some(a) = f.get("analytics_rules") {
            rule.analytics_rules = self.texts(a, "an analytics rule id");
        }
        // `conditions:` with nothing after it (every condition commented out) means none.
        rule.conditions = f.get("conditions").filter(|c| c.kind != NodeKind::Null).and_then(|c| self.condition(c));
        match f.get("actions") {
            Some(a) => {
                rule.actions_span = Some(a.span);
                match &a.kind {
                    NodeKind::Seq(items) => {
                        rule.actions_written = items.len();
                        rule.actions = items.iter().filter_map(|n| self.action(n)).collect();
                    }
                    _ => self.wrong_type(a, "a list of actions"),
                }
            }
            None => self.missing_in(&f, "actions", "rule"),
        }
        Some(rule)
    }

    fn condition(&mut self, node: &Node) -> Option<CondDef> {
        if let NodeKind::Seq(items) = &node.kind {
            let items = items.iter().filter_map(|n| self.condition(n)).collect();
            return Some(CondDef::All { items, span: node.span, implicit: true });
        }
        let NodeKind::Map(entries) = &node.kind else {
            self.wrong_type(node, "a condition mapping or a list of conditions");
            return None;
        };
        let span = entries.first().map_or(node.span, |(k, _)| k.span);
        let kind = self.condition_kind(entries, span)?;
        match kind {
            "all" | "any" | "any_item" | "all_items" => {
                let f = self.fields(node, &format!("an `{kind}` group"), &[kind])?;
                let list = f.get(kind)?;
                let NodeKind::Seq(items) = &list.kind else {
                    self.wrong_type(list, "a list of conditions");
                    return None;
                };
                let items: Vec<CondDef> = items.iter().filter_map(|n| self.condition(n)).collect();
                Some(match kind {
                    "all" => CondDef::All { items, span, implicit: false },
                    "any" => CondDef::Any { items, span },
                    other => CondDef::Items { all: other == "all_items", items, span },
                })
            }
            "not" => {
                let f = self.fields(node, "a `not` condition", &["not"])?;
                let inner = self.condition(f.get("not")?)?;
                Some(CondDef::Not { inner: Box::new(inner), span })
            }
            "property" => self.property_condition(node, span),
            "changed" => {
                let f = self.fields(node, "a `changed` condition", CHANGED_KEYS)?;
                let property = self.text(f.get("changed")?, "IncidentSeverity, IncidentStatus or IncidentOwner")?;
                let from = f.get("from").map(|n| self.texts(n, "a value")).unwrap_or_default();
                let to = f.get("to").map(|n| self.texts(n, "a value")).unwrap_or_default();
                Some(CondDef::Changed { property, from, to, span })
            }
            _ => {
                let f = self.fields(node, "an `added` condition", &["added"])?;
                let what = self.text(f.get("added")?, "Alerts, Labels, Tactics or Comments")?;
                Some(CondDef::Added { what, span })
            }
        }
    }

    /// Which kind of condition a mapping is: the one condition key among its keys. None, or
    /// more than one, is SR030.
    fn condition_kind(&mut self, entries: &[(Key, Node)], span: Span) -> Option<&'static str> {
        let kinds: Vec<&Key> =
            entries.iter().map(|(k, _)| k).filter(|k| CONDITION_KEYS.contains(&k.name.as_str())).collect();
        match kinds.as_slice() {
            [one] => CONDITION_KEYS.iter().copied().find(|c| *c == one.name),
            [] => {
                let first = entries.first().map(|(k, _)| k.name.as_str()).unwrap_or("");
                let mut diag = Diagnostic::error(
                    codes::CONDITION_SHAPE,
                    self.path,
                    Some(span),
                    "expected a condition: `all`, `any`, `not`, `property`, `changed`, `added`, `any_item` or `all_items`",
                )
                .with_label("not a condition");
                if let Some(s) = did_you_mean(first, CONDITION_KEYS.iter().copied()) {
                    diag = diag.with_help(format!("did you mean `{s}`?"));
                }
                self.push(diag);
                None
            }
            [_, second, ..] => {
                let names: Vec<String> = kinds.iter().map(|k| format!("`{}`", k.name)).collect();
                let path = self.path;
                self.push(
                    Diagnostic::error(
                        codes::CONDITION_SHAPE,
                        path,
                        Some(second.span),
                        format!("a condition has exactly one kind, this one has {}", names.join(" and ")),
                    )
                    .with_label("second kind")
                    .with_help("put each condition in its own list item under `all` or `any`"),
                );
                None
            }
        }
    }

    /// `{property, operator, values}`; an empty `values` list is SR029.
    fn property_condition(&mut self, node: &Node, span: Span) -> Option<CondDef> {
        let f = self.fields(node, "a property condition", PROPERTY_KEYS)?;
        let property = self.text(f.get("property")?, "a property name")?;
        let operator = match f.get("operator") {
            Some(n) => self.text(n, "an operator")?,
            None => {
                self.missing(span, "operator", "property condition");
                return None;
            }
        };
        let values = match f.get("values") {
            Some(n) => {
                if matches!(&n.kind, NodeKind::Seq(items) if items.is_empty()) {
                    let path = self.path;
                    self.push(Diagnostic::error(
                        codes::EMPTY_LIST,
                        path,
                        Some(span),
                        "`values` is empty: give at least one value",
                    ));
                }
                self.texts(n, "a value")
            }
            None => {
                self.missing(span, "values", "property condition");
                return None;
            }
        };
        Some(CondDef::Leaf { property, operator, values, span })
    }

    fn action(&mut self, node: &Node) -> Option<ActionDef> {
        let NodeKind::Map(entries) = &node.kind else {
            self.wrong_type(node, "an action mapping such as `change_severity: High`");
            return None;
        };
        let f = self.fields(node, "an action", ACTION_KEYS)?;
        let [(key, value)] = f.entries() else {
            if f.entries().len() > 1 {
                let second = f.entries().get(1).map_or(node.span, |(k, _)| k.span);
                let path = self.path;
                self.push(
                    Diagnostic::error(
                        codes::CONDITION_SHAPE,
                        path,
                        Some(second),
                        "an action list item holds exactly one action",
                    )
                    .with_label("second action in the same item")
                    .with_help("start each action with its own `- `"),
                );
            } else if entries.is_empty() {
                self.wrong_type(node, "an action mapping such as `change_severity: High`");
            }
            return None;
        };
        let (key, value) = (*key, *value);
        let span = key.span;
        match key.name.as_str() {
            "change_status" => self.change_status(value, span),
            "change_severity" => {
                let severity = self.text(value, "a severity")?;
                Some(ActionDef::ChangeSeverity { severity, span })
            }
            "assign_owner" => {
                let f = self.fields(value, "assign_owner", ASSIGN_OWNER_KEYS)?;
                let mut get = |k: &str| f.get(k).and_then(|n| self.text(n, "an owner identity"));
                let (upn, object_id, email, name) = (get("upn"), get("object_id"), get("email"), get("name"));
                if upn.is_none() && object_id.is_none() && email.is_none() && name.is_none() {
                    self.missing(f.span, "upn", "assign_owner (or object_id, email, name)");
                    return None;
                }
                Some(ActionDef::AssignOwner { object_id, email, upn, name, span })
            }
            "add_tags" => {
                let tags = self.texts(value, "a tag");
                Some(ActionDef::AddTags { tags, span })
            }
            "add_task" => {
                let f = self.fields(value, "add_task", ADD_TASK_KEYS)?;
                let title = match f.get("title") {
                    Some(n) => self.text(n, "a task title")?,
                    None => {
                        self.missing_in(&f, "title", "add_task");
                        return None;
                    }
                };
                let description = f.get("description").and_then(|n| self.text(n, "a task description"));
                Some(ActionDef::AddTask { title, description, span })
            }
            _ => {
                let name = self.text(value, "a playbook name")?;
                Some(ActionDef::RunPlaybook { name, span })
            }
        }
    }

    /// `change_status: Closed`, or a mapping with `status` and the closing fields.
    fn change_status(&mut self, value: &Node, span: Span) -> Option<ActionDef> {
        if !matches!(value.kind, NodeKind::Map(_)) {
            let status = self.text(value, "a status or a mapping with `status`")?;
            return Some(ActionDef::ChangeStatus { status, classification: None, reason: None, comment: None, span });
        }
        let f = self.fields(value, "change_status", CHANGE_STATUS_KEYS)?;
        let status = match f.get("status") {
            Some(n) => self.text(n, "a status")?,
            None => {
                self.missing_in(&f, "status", "change_status");
                return None;
            }
        };
        let classification = f.get("classification").and_then(|n| self.text(n, "a classification"));
        let reason = f.get("reason").and_then(|n| self.text(n, "a classification reason"));
        let comment = f.get("comment").and_then(|n| self.text(n, "a comment"));
        Some(ActionDef::ChangeStatus { status, classification, reason, comment, span })
    }
}
