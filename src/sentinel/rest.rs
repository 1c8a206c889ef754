//! Sentinel's `AutomationRuleProperties` (REST API and ARM alike) decoded into the rule file
//! model ([`RuleDef`]), the same model YAML rule files decode into, with spans into the JSON
//! text. Strings go through the template's expression evaluator when the rule comes from an
//! ARM template. Enum strings are matched case-insensitively; `null` and `""` mean "not set";
//! unknown enum values and missing fields are diagnostics. Read-only fields
//! (`createdTimeUtc`, `lastModifiedBy`, ...) and unknown fields are ignored, so newer API
//! versions still load. Conditions are in [`super::conditions`].

use serde_json::Value;

use crate::arm::expr::{self as arm_expr, Evaluated};
use crate::arm::{Resolved, Template};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::file::{ActionDef, RuleDef, Text};
use crate::rules::yaml::{Node, NodeKind};

use super::codes;
use super::detect::Found;
use super::json;

/// Decodes rules of one file, reporting into `diags`.
pub struct Decoder<'a> {
    pub path: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
    /// The template, when the rules come from an ARM template.
    pub arm: Option<&'a mut Template>,
}

/// A string value with its span and whether it depends on the deployment.
pub struct Str {
    pub text: Text,
    pub deployment: bool,
}

impl Decoder<'_> {
    /// An error at `span`, with a label.
    pub fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>, label: &str) {
        self.diags.push(Diagnostic::error(code, self.path, Some(span), message).with_label(label));
    }

    pub fn missing(&mut self, node: &Node, field: &str, what: &str) {
        self.diags.push(
            Diagnostic::error(
                codes::MISSING_FIELD,
                self.path,
                Some(json::start(node)),
                format!("missing `{field}` in {what}"),
            )
            .with_label(format!("this {what} has no `{field}`")),
        );
    }

    pub fn wrong_type(&mut self, node: &Node, expected: &str) {
        self.diags.push(crate::rules::file::wrong_type(self.path, node, expected));
    }

    /// Reports an enum string that is not one of `allowed`.
    pub fn unknown(&mut self, text: &Text, what: &str, allowed: &[&str]) {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_VALUE,
            self.path,
            Some(text.span),
            format!("`{}` is not a valid {what}", text.value),
        )
        .with_label(format!("unknown {what}"));
        d = match crate::diagnostic::did_you_mean(&text.value, allowed.iter().copied()) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("expected one of: {}", allowed.join(", "))),
        };
        self.diags.push(d);
    }

    /// Resolves a node's value through the template (if any).
    fn evaluated(&mut self, node: &Node) -> Option<Evaluated> {
        let plain = |value| Some(Evaluated { value, deployment: false });
        match &node.kind {
            NodeKind::Str(s) => match self.arm.as_deref_mut() {
                Some(t) => match t.resolve(s, node.span, self.diags) {
                    Resolved::Value(v) => Some(v),
                    Resolved::Unresolved => plain(Value::String(s.clone())),
                },
                None => plain(Value::String(s.clone())),
            },
            NodeKind::Int(i) => plain(Value::from(*i)),
            NodeKind::Float(f) => plain(serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)),
            NodeKind::Bool(b) => plain(Value::Bool(*b)),
            NodeKind::Null => plain(Value::Null),
            NodeKind::Seq(_) | NodeKind::Map(_) => plain(json::to_value(node)),
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

    /// A scalar string as [`Text`].
    pub fn text(&mut self, node: &Node, expected: &str) -> Option<Text> {
        self.string(node, expected).map(|s| s.text)
    }

    /// The string under `key`, if set.
    pub fn field(&mut self, map: &Node, key: &str, expected: &str) -> Option<Text> {
        json::get(map, key).and_then(|n| self.text(n, expected))
    }

    /// The string under `key`; reported when missing or unset.
    pub fn required(&mut self, map: &Node, key: &str, what: &str) -> Option<Text> {
        let text = self.field(map, key, "a string");
        if text.is_none() && json::get(map, key).is_none_or(json::is_unset) {
            self.missing(map, key, what);
        }
        text
    }

    /// A list of strings (an expression may also yield the list).
    pub fn strings(&mut self, node: &Node) -> Vec<Str> {
        if let Some(items) = json::items(node) {
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
        let mut rule = RuleDef::at(json::start(found.resource));
        rule.name = self.required(props, "displayName", "automation rule");
        rule.description = json::get(found.resource, "comments").and_then(|n| self.text(n, "a string"));
        match json::get(props, "order") {
            Some(n) => rule.order = self.int(n, "an integer order from 1 to 1000"),
            None => self.missing(props, "order", "automation rule"),
        }
        match json::get(props, "triggeringLogic") {
            Some(logic) if matches!(logic.kind, NodeKind::Map(_)) => {
                if let Some(b) = json::get(logic, "isEnabled").filter(|n| !json::is_unset(n)) {
                    rule.enabled = self.boolean(b).unwrap_or(true);
                }
                rule.expires = self.field(logic, "expirationTimeUtc", "an RFC 3339 timestamp");
                rule.trigger_on = self.required(logic, "triggersOn", "triggeringLogic");
                rule.trigger_when = self.required(logic, "triggersWhen", "triggeringLogic");
                if let Some(conditions) = json::get(logic, "conditions") {
                    let (cond, scope) = self.top_conditions(conditions);
                    rule.conditions = cond;
                    rule.analytics_rules = scope;
                }
            }
            Some(other) => self.wrong_type(other, "a triggeringLogic object"),
            None => self.missing(props, "triggeringLogic", "automation rule"),
        }
        match json::get(props, "actions") {
            Some(list) => {
                rule.actions_span = Some(list.span);
                match json::items(list) {
                    Some(items) => {
                        // Sentinel's limit counts its own actions, not the YAML ones they become.
                        rule.actions_written = items.len();
                        rule.actions = self.actions(items);
                    }
                    None => self.wrong_type(list, "a list of actions"),
                }
            }
            None => self.missing(props, "actions", "automation rule"),
        }
        Some(rule)
    }

    /// Actions sorted by their `order` (ties keep the written order), each decoded into one or
    /// more file-model actions.
    fn actions(&mut self, items: &[Node]) -> Vec<ActionDef> {
        let mut ordered: Vec<(i64, usize, &Node)> = Vec::new();
        for (i, node) in items.iter().enumerate() {
            match json::get(node, "order") {
                Some(o) => {
                    if let Some((order, _)) = self.int(o, "an integer action order") {
                        ordered.push((order, i, node));
                    }
                }
                None => self.missing(node, "order", "action"),
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
        let Some(kind) = self.required(node, "actionType", "action") else { return };
        let Some(config) = json::get(node, "actionConfiguration").filter(|c| matches!(c.kind, NodeKind::Map(_))) else {
            self.missing(node, "actionConfiguration", "action");
            return;
        };
        match kind.value.trim().to_ascii_lowercase().as_str() {
            "modifyproperties" => super::actions::modify_properties(self, config, out),
            "runplaybook" => out.extend(super::actions::run_playbook(self, config)),
            "addincidenttask" => {
                if let Some(title) = self.required(config, "title", "AddIncidentTask configuration") {
                    let span = json::start(config);
                    let description = self.field(config, "description", "a string");
                    out.push(ActionDef::AddTask { title, description, span });
                }
            }
            _ => self.unknown(&kind, "actionType", TYPES),
        }
    }
}
