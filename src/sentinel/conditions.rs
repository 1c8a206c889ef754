//! Sentinel's conditions decoded into the file model's condition tree:
//!
//! | Sentinel | file model |
//! |---|---|
//! | top-level `conditions` list (AND) | one condition, or `all` of two or more |
//! | the one top-level `Property IncidentRelatedAnalyticRuleIds Contains` | `analytics_rules` |
//! | `Property` | `{ property, operator, values }` |
//! | `Boolean` And / Or | `all` / `any` |
//! | `PropertyArray` AnyItem / AllItems | `any_item` / `all_items` (CustomDetails at the top, CustomDetailValues inside) |
//! | `PropertyChanged` ChangedFrom / ChangedTo, Equals | `{ changed, from }` / `{ changed, to }` |
//! | `PropertyChanged` with NotEquals | `all: [{ changed }, { not: { changed, from/to } }]` |
//! | `PropertyChanged` without operator or values | `{ changed }` (any change) |
//! | `PropertyArrayChanged` Added | `{ added }` |
//!
//! Analytics rule ids built with `resourceId()` in a template depend on the subscription and
//! resource group of the deployment; such ids scope the rule by their trailing GUID. The
//! workspace part of an `alertRules` `resourceId(...)` only shapes the id, so only its last
//! argument is evaluated: a parameter that names the workspace needs no value for the rule to
//! scope (an exported rule read back fires without `--param workspace=...`).

use crate::rules::file::{CondDef, Text};
use crate::syntax::{Node, NodeKind};

use super::codes;
use super::rest::Decoder;

fn is_scope_condition(node: &Node) -> bool {
    let text = |n: Option<&Node>| n.and_then(Node::as_str).map(|s| s.trim().to_ascii_lowercase());
    let props = node.get_ignore_case("conditionProperties");
    text(node.get_ignore_case("conditionType")).as_deref() == Some("property")
        && text(props.and_then(|p| p.get_ignore_case("propertyName"))).as_deref()
            == Some("incidentrelatedanalyticruleids")
        && text(props.and_then(|p| p.get_ignore_case("operator"))).as_deref() == Some("contains")
}

impl Decoder<'_> {
    /// The top-level `conditions` list: the condition tree and the analytics rule scope.
    pub fn top_conditions(&mut self, node: &Node) -> (Option<CondDef>, Vec<Text>) {
        if node.is_unset() {
            return (None, Vec::new());
        }
        let Some(items) = node.items() else {
            self.wrong_type(node, "a list of conditions");
            return (None, Vec::new());
        };
        let scoped: Vec<&Node> = items.iter().filter(|n| is_scope_condition(n)).collect();
        let mut scope = Vec::new();
        if let [one] = scoped.as_slice() {
            let values = one.get_ignore_case("conditionProperties").and_then(|p| p.get_ignore_case("propertyValues"));
            for node in values.and_then(Node::items).unwrap_or_default() {
                if let Some(text) = self.alert_rule_guid(node) {
                    scope.push(text);
                    continue;
                }
                for s in self.strings(node) {
                    let mut text = s.text;
                    if s.deployment {
                        text.value = text.value.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_owned();
                    }
                    scope.push(text);
                }
            }
            if let Some(v) = values.filter(|v| v.items().is_none()) {
                for s in self.strings(v) {
                    scope.push(s.text);
                }
            }
        }
        let mut conds: Vec<CondDef> = items
            .iter()
            .filter(|n| scoped.len() != 1 || !is_scope_condition(n))
            .filter_map(|n| self.condition(n, 0))
            .collect();
        let cond = match conds.len() {
            0 => None,
            1 => conds.pop(),
            _ => Some(CondDef::All { items: conds, span: node.span, implicit: false }),
        };
        (cond, scope)
    }

    /// The trailing GUID of an `alertRules` id built with `resourceId(...)` in a template: only
    /// the last argument is evaluated (the workspace part only shapes the id). `None` for any
    /// other value; an unresolved last argument keeps the expression as written.
    fn alert_rule_guid(&mut self, node: &Node) -> Option<Text> {
        let written = node.as_str()?;
        let body = crate::arm::expr::body(written.trim())?;
        let args = body.trim().strip_prefix("resourceId(").or_else(|| body.trim().strip_prefix("resourceid("))?;
        let args = split_args(args.strip_suffix(')')?);
        let (first, last) = (args.first()?, args.last()?);
        if args.len() < 3 || !first.to_ascii_lowercase().contains("/alertrules") {
            return None;
        }
        let last = format!("[{last}]");
        let resolved = Node::text(node.span, &last);
        let value = self.string_text(&resolved, "an analytic rule id")?;
        Some(if value.value.starts_with('[') { Text { value: written.to_owned(), span: node.span } } else { value })
    }

    fn kind(&mut self, node: &Node, key: &str, what: &str, allowed: &[&'static str]) -> Option<(&'static str, Text)> {
        let text = self.required_text(node, key, what)?;
        let hit = allowed.iter().find(|a| a.eq_ignore_ascii_case(text.value.trim())).copied();
        if hit.is_none() {
            self.invalid_value(&text, key, allowed);
        }
        hit.map(|h| (h, text))
    }

    fn list(&mut self, props: &Node, key: &str, what: &str, depth: usize) -> Vec<CondDef> {
        match props.get_ignore_case(key) {
            Some(list) => match list.items() {
                Some(items) => items.iter().filter_map(|n| self.condition(n, depth)).collect(),
                None => {
                    self.wrong_type(list, "a list of conditions");
                    Vec::new()
                }
            },
            None => {
                self.missing_from(props, key, what);
                Vec::new()
            }
        }
    }

    /// One condition; `depth` counts the PropertyArray conditions around it.
    pub fn condition(&mut self, node: &Node, depth: usize) -> Option<CondDef> {
        const TYPES: &[&str] = &["Property", "PropertyArray", "PropertyChanged", "PropertyArrayChanged", "Boolean"];
        if !matches!(node.kind, NodeKind::Map(_)) {
            self.wrong_type(node, "a condition object");
            return None;
        }
        let span = node.start();
        let (kind, _) = self.kind(node, "conditionType", "condition", TYPES)?;
        let Some(props) = node.get_ignore_case("conditionProperties").filter(|p| matches!(p.kind, NodeKind::Map(_)))
        else {
            self.missing_from(node, "conditionProperties", "condition");
            return None;
        };
        match kind {
            "Property" => {
                let property = self.required_text(props, "propertyName", "Property condition")?;
                let operator = self.required_text(props, "operator", "Property condition")?;
                let values = match props.get_ignore_case("propertyValues") {
                    Some(v) => self.strings(v).into_iter().map(|s| s.text).collect(),
                    None => {
                        self.missing_from(props, "propertyValues", "Property condition");
                        return None;
                    }
                };
                Some(CondDef::Leaf { property, operator, values, span })
            }
            "Boolean" => {
                let (op, _) = self.kind(props, "operator", "Boolean condition", &["And", "Or"])?;
                let items = self.list(props, "innerConditions", "Boolean condition", depth);
                Some(if op == "And" {
                    CondDef::All { items, span, implicit: false }
                } else {
                    CondDef::Any { items, span }
                })
            }
            "PropertyArray" => {
                let arrays = ["CustomDetails", "CustomDetailValues"];
                let (array, text) = self.kind(props, "arrayType", "PropertyArray condition", &arrays)?;
                let expected = if depth == 0 { "CustomDetails" } else { "CustomDetailValues" };
                if array != expected {
                    let path = self.base.path;
                    self.push(
                        crate::diagnostic::Diagnostic::warning(
                            codes::ARRAY_TYPE_POSITION,
                            path,
                            Some(text.span),
                            format!("a PropertyArray {} deep is read as {expected}, not {array}", depth + 1),
                        )
                        .with_help(
                            "the outer PropertyArray iterates custom detail keys, one nested in it a key's values",
                        ),
                    );
                }
                let (all, _) =
                    self.kind(props, "arrayConditionType", "PropertyArray condition", &["AnyItem", "AllItems"])?;
                let items = self.list(props, "itemConditions", "PropertyArray condition", depth + 1);
                Some(CondDef::Items { all: all == "AllItems", items, span })
            }
            "PropertyArrayChanged" => {
                let what = self.required_text(props, "arrayType", "PropertyArrayChanged condition")?;
                if let Some(change) = self.field(props, "changeType", "a change type") {
                    if !change.value.trim().eq_ignore_ascii_case("Added") {
                        self.invalid_value(&change, "changeType", &["Added"]);
                        return None;
                    }
                }
                Some(CondDef::Added { what, span })
            }
            _ => self.changed(props, span),
        }
    }

    fn changed(&mut self, props: &Node, span: crate::syntax::Span) -> Option<CondDef> {
        let property = self.required_text(props, "propertyName", "PropertyChanged condition")?;
        let change = self.kind(props, "changeType", "PropertyChanged condition", &["ChangedFrom", "ChangedTo"]);
        let operator = self.field(props, "operator", "an operator");
        let values: Vec<Text> = props
            .get_ignore_case("propertyValues")
            .map(|v| self.strings(v))
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.text)
            .collect();
        let plain = CondDef::Changed { property: property.clone(), from: Vec::new(), to: Vec::new(), span };
        let (Some(operator), false) = (operator, values.is_empty()) else { return Some(plain) };
        let (change, _) = change?;
        let leaf = if change == "ChangedFrom" {
            CondDef::Changed { property, from: values, to: Vec::new(), span }
        } else {
            CondDef::Changed { property, from: Vec::new(), to: values, span }
        };
        match operator.value.trim().to_ascii_lowercase().as_str() {
            "equals" => Some(leaf),
            "notequals" => Some(CondDef::All {
                items: vec![plain, CondDef::Not { inner: Box::new(leaf), span }],
                span,
                implicit: false,
            }),
            _ => {
                self.error_labelled(
                    codes::CHANGED_OPERATOR,
                    operator.span,
                    format!("`{}` is not supported for PropertyChanged conditions", operator.value),
                    "use Equals or NotEquals",
                );
                None
            }
        }
    }
}

/// The top-level arguments of a function call's argument list (commas inside quotes and nested
/// calls do not split), trimmed.
fn split_args(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut current) = (0usize, false, String::new());
    for c in args.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                out.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current.trim().to_owned());
    out
}
