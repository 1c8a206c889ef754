//! Sentinel's `AutomationRuleProperties` (REST API and ARM alike) decoded into the rule file
//! model ([`RuleDef`]), the same model YAML rule files decode into, with spans into the JSON
//! text. Strings go through the template's expression evaluator when the rule comes from an
//! ARM template. Enum strings are matched case-insensitively; `null` and `""` mean "not set";
//! unknown enum values and missing fields are diagnostics. Read-only fields
//! (`createdTimeUtc`, `lastModifiedBy`, ...) and unknown fields are ignored, so newer API
//! versions still load. Conditions are in [`super::conditions`].

use std::ops::{Deref, DerefMut};

use serde_json::Value;

use crate::arm::expr::{self as arm_expr, Evaluated};
use crate::arm::{Resolved, Template};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::rules::file::{ActionDef, RuleDef, Text};
use crate::syntax::{self, Case, Codes, Format, Node, NodeKind, Span};

use super::codes;
use super::detect::Found;

/// Sentinel JSON (REST and ARM alike): SJ codes, keys compared ignoring ASCII case as Azure
/// does, unknown keys passed over so that newer API versions still load. A value of the wrong
/// type is SJ004.
pub const FORMAT: Format = Format {
    codes: Codes {
        syntax: codes::JSON_SYNTAX,
        duplicate_key: codes::JSON_SYNTAX,
        unknown_key: None,
        missing_key: codes::MISSING_FIELD,
        wrong_type: codes::WRONG_TYPE,
        invalid_value: codes::UNKNOWN_VALUE,
    },
    case: Case::IgnoreAscii,
};

/// Decodes rules of one file, reporting into the shared [`syntax::Decoder`].
pub struct Decoder<'a> {
    pub base: syntax::Decoder<'a>,
    /// The template, when the rules come from an ARM template.
    pub arm: Option<&'a mut Template>,
}

impl<'a> Deref for Decoder<'a> {
    type Target = syntax::Decoder<'a>;
    fn deref(&self) -> &syntax::Decoder<'a> {
        &self.base
    }
}

impl DerefMut for Decoder<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.base
    }
}

/// A string value with its span and whether it depends on the deployment.
pub struct Str {
    pub text: Text,
    pub deployment: bool,
}

impl Decoder<'_> {
    /// An error at `span`, with a label.
    pub fn error_labelled(&mut self, code: Code, span: Span, message: impl Into<String>, label: &str) {
        let d = Diagnostic::error(code, self.base.path, Some(span), message).with_label(label);
        self.push(d);
    }

    /// "missing `field` in what", at the start of `node`.
    pub fn missing_from(&mut self, node: &Node, field: &str, what: &str) {
        self.missing(node.start(), field, what);
    }

    /// Resolves a node's value through the template (if any).
    fn evaluated(&mut self, node: &Node) -> Option<Evaluated> {
        let plain = |value| Some(Evaluated { value, deployment: false });
        match &node.kind {
            NodeKind::Str(s) => match self.arm.as_deref_mut() {
                Some(t) => match t.resolve(s, node.span, self.base.diags) {
                    Resolved::Value(v) => Some(v),
                    Resolved::Unresolved => plain(Value::String(s.clone())),
                },
                None => plain(Value::String(s.clone())),
            },
            NodeKind::Int(i) => plain(Value::from(*i)),
            NodeKind::Float(f) => plain(serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)),
            NodeKind::Bool(b) => plain(Value::Bool(*b)),
            NodeKind::Null => plain(Value::Null),
            NodeKind::Seq(_) | NodeKind::Map(_) => plain(node.to_value()),
        }
    }

    /// A scalar string; `None` (silently) for `null` and `""`, reported for other types.
    pub fn string(&mut self, node: &Node, expected: &str) -> Option<Str> {
        let e = self.evaluated(node)?;
        match &e.value {
            Value::Null => None,
            Value::Array(_) | Value::Object(_) => {
                self.wrong_type(node, expected);
                None
            }
            v => arm_expr::text_of(v)
                .filter(|t| !t.trim().is_empty())
                .map(|value| Str { text: Text { value, span: node.span }, deployment: e.deployment }),
        }
    }

    /// A scalar string as [`Text`], through the template (`None`, silently, for `null` and
    /// `""`).
    pub fn string_text(&mut self, node: &Node, expected: &str) -> Option<Text> {
        self.string(node, expected).map(|s| s.text)
    }

    /// The string under `key`, if set.
    pub fn field(&mut self, map: &Node, key: &str, expected: &str) -> Option<Text> {
        self.get(map, key).and_then(|n| self.string_text(n, expected))
    }

    /// The string under `key`; reported when missing or unset.
    pub fn required_text(&mut self, map: &Node, key: &str, what: &str) -> Option<Text> {
        let text = self.field(map, key, "a string");
        if text.is_none() && self.get(map, key).is_none_or(Node::is_unset) {
            self.missing_from(map, key, what);
        }
        text
    }

    /// A list of strings (an expression may also yield the list).
    pub fn strings(&mut self, node: &Node) -> Vec<Str> {
        if let Some(items) = node.items() {
            return items.iter().filter_map(|n| self.string(n, "a string")).collect();
        }
        match self.evaluated(node) {
            Some(Evaluated { value: Value::Array(items), deployment }) => items
                .iter()
                .filter_map(arm_expr::text_of)
                .map(|value| Str { text: Text { value, span: node.span }, deployment })
                .collect(),
            Some(Evaluated { value: Value::Null, .. }) | None => Vec::new(),
            Some(_) => self.string(node, "a list of strings").into_iter().collect(),
        }
    }

    fn int(&mut self, node: &Node, expected: &str) -> Option<(i64, Span)> {
        let e = self.evaluated(node)?;
        let n = match &e.value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        if n.is_none() {
            self.wrong_type(node, expected);
        }
        n.map(|n| (n, node.span))
    }

    fn boolean(&mut self, node: &Node) -> Option<bool> {
        match self.evaluated(node).map(|e| e.value) {
            Some(Value::Bool(b)) => Some(b),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => {
                self.wrong_type(node, "true or false");
                None
            }
        }
    }

    /// Decodes one rule.
    pub fn rule(&mut self, found: Found<'_>) -> Option<RuleDef> {
        let props = found.properties;
        if !matches!(props.kind, NodeKind::Map(_)) {
            self.wrong_type(props, "an object of automation rule properties");
            return None;
        }
        let mut rule = RuleDef::at(found.resource.start());
        rule.name = self.required_text(props, "displayName", "automation rule");
        rule.description = self.get(found.resource, "comments").and_then(|n| self.string_text(n, "a string"));
        match self.get(props, "order") {
            Some(n) => rule.order = self.int(n, "an integer order from 1 to 1000"),
            None => self.missing_from(props, "order", "automation rule"),
        }
        match self.get(props, "triggeringLogic") {
            Some(logic) if matches!(logic.kind, NodeKind::Map(_)) => {
                if let Some(b) = self.get(logic, "isEnabled").filter(|n| !n.is_unset()) {
                    rule.enabled = self.boolean(b).unwrap_or(true);
                }
                rule.expires = self.field(logic, "expirationTimeUtc", "an RFC 3339 timestamp");
                rule.trigger_on = self.required_text(logic, "triggersOn", "triggeringLogic");
                rule.trigger_when = self.required_text(logic, "triggersWhen", "triggeringLogic");
                if let Some(conditions) = self.get(logic, "conditions") {
                    let (cond, scope) = self.top_conditions(conditions);
                    rule.conditions = cond;
                    rule.analytics_rules = scope;
                }
            }
            Some(other) => self.wrong_type(other, "a triggeringLogic object"),
            None => self.missing_from(props, "triggeringLogic", "automation rule"),
        }
        match self.get(props, "actions") {
            Some(list) => {
                rule.actions_span = Some(list.span);
                match list.items() {
                    Some(items) => {
                        // Sentinel's limit counts its own actions, not the YAML ones they become.
                        rule.actions_written = items.len();
                        rule.actions = self.actions(items);
                    }
                    None => self.wrong_type(list, "a list of actions"),
                }
            }
            None => self.missing_from(props, "actions", "automation rule"),
        }
        Some(rule)
    }

    /// Actions sorted by their `order` (ties keep the written order), each decoded into one or
    /// more file-model actions.
    fn actions(&mut self, items: &[Node]) -> Vec<ActionDef> {
        let mut ordered: Vec<(i64, usize, &Node)> = Vec::new();
        for (i, node) in items.iter().enumerate() {
            match self.get(node, "order") {
                Some(o) => {
                    if let Some((order, _)) = self.int(o, "an integer action order") {
                        ordered.push((order, i, node));
                    }
                }
                None => self.missing_from(node, "order", "action"),
            }
        }
        ordered.sort_by_key(|(order, i, _)| (*order, *i));
        let mut out = Vec::new();
        for (_, _, node) in ordered {
            self.action(node, &mut out);
        }
        out
    }

    fn action(&mut self, node: &Node, out: &mut Vec<ActionDef>) {
        const TYPES: &[&str] = &["ModifyProperties", "RunPlaybook", "AddIncidentTask"];
        let Some(kind) = self.required_text(node, "actionType", "action") else { return };
        let Some(config) = self.get(node, "actionConfiguration").filter(|c| c.is_map()) else {
            self.missing_from(node, "actionConfiguration", "action");
            return;
        };
        match kind.value.trim().to_ascii_lowercase().as_str() {
            "modifyproperties" => super::actions::modify_properties(self, config, out),
            "runplaybook" => out.extend(super::actions::run_playbook(self, config)),
            "addincidenttask" => {
                if let Some(title) = self.required_text(config, "title", "AddIncidentTask configuration") {
                    let span = config.start();
                    let description = self.field(config, "description", "a string");
                    out.push(ActionDef::AddTask { title, description, span });
                }
            }
            _ => self.invalid_value(&kind, "actionType", TYPES),
        }
    }
}
