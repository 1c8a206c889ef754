//! Which Sentinel shape a JSON document is, and where its automation rules are:
//! - a single resource `{"id","name","type","properties":{...}}` (GET response, export);
//! - a bare `AutomationRuleProperties` object (`displayName`, `triggeringLogic`, ...);
//! - a REST list `{"value":[...]}`;
//! - a REST API example file: the request body under `parameters.automationRuleToUpsert` or
//!   `parameters.automationRule` (or any parameter holding a rule), else the first
//!   `responses.<code>.body` that holds rules. Example files repeat the rule in the request and
//!   in each response; taking one of them yields each rule once;
//! - an ARM template (see [`crate::arm`]) deploying automation rules in either form Sentinel
//!   content uses: the extension resource `Microsoft.SecurityInsights/automationRules` and the
//!   legacy nested `Microsoft.OperationalInsights/workspaces/providers/automationRules` (name
//!   `<workspace>/Microsoft.SecurityInsights/<ruleId>`).

use crate::syntax::{Node, NodeKind};

use crate::arm;

/// The resource types of automation rules, compared case-insensitively.
pub const RULE_TYPES: &[&str] = &[
    "Microsoft.SecurityInsights/automationRules",
    "Microsoft.OperationalInsights/workspaces/providers/automationRules",
];

/// The shape of a rule document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Resource,
    Properties,
    List,
    Example,
    Template,
}

/// One rule found in a document.
#[derive(Debug, Clone, Copy)]
pub struct Found<'n> {
    /// The resource envelope (the properties object itself for a bare properties object).
    pub resource: &'n Node,
    /// The `AutomationRuleProperties` object.
    pub properties: &'n Node,
}

/// True for a rule resource or a bare properties object.
fn as_rule(node: &Node) -> Option<Found<'_>> {
    if let Some(props) = node.get_ignore_case("properties").filter(|p| matches!(p.kind, NodeKind::Map(_))) {
        let typed = node
            .get_ignore_case("type")
            .and_then(Node::as_str)
            .is_some_and(|t| t.to_ascii_lowercase().ends_with("/automationrules"));
        if typed || props.get_ignore_case("triggeringLogic").is_some() {
            return Some(Found { resource: node, properties: props });
        }
        return None;
    }
    (node.get_ignore_case("triggeringLogic").is_some() && node.get_ignore_case("displayName").is_some())
        .then_some(Found { resource: node, properties: node })
}

/// The rules of a resource or a list of resources.
fn in_body(node: &Node) -> Vec<Found<'_>> {
    if let Some(found) = as_rule(node) {
        return vec![found];
    }
    node.get_ignore_case("value")
        .and_then(Node::items)
        .map(|items| items.iter().filter_map(as_rule).collect())
        .unwrap_or_default()
}

/// Detects the shape of `root` and finds its rules. `None`: not a Sentinel rule document.
pub fn detect(root: &Node) -> Option<(Shape, Vec<Found<'_>>)> {
    if !matches!(root.kind, NodeKind::Map(_)) {
        return None;
    }
    if arm::is_template(root) {
        let rules = arm::resources::of_type(root, RULE_TYPES)
            .into_iter()
            .map(|r| Found { resource: r, properties: r.get_ignore_case("properties").unwrap_or(r) })
            .collect();
        return Some((Shape::Template, rules));
    }
    if let Some(found) = as_rule(root) {
        let shape = if std::ptr::eq(found.properties, root) { Shape::Properties } else { Shape::Resource };
        return Some((shape, vec![found]));
    }
    if root.get_ignore_case("value").and_then(Node::items).is_some() {
        let rules = in_body(root);
        return (!rules.is_empty()).then_some((Shape::List, rules));
    }
    if let Some(NodeKind::Map(params)) = root.get_ignore_case("parameters").map(|p| &p.kind) {
        for key in ["automationRuleToUpsert", "automationRule"] {
            if let Some(found) =
                root.get_ignore_case("parameters").and_then(|p| p.get_ignore_case(key)).and_then(as_rule)
            {
                return Some((Shape::Example, vec![found]));
            }
        }
        if let Some(found) = params.iter().find_map(|(_, v)| as_rule(v)) {
            return Some((Shape::Example, vec![found]));
        }
    }
    if let Some(NodeKind::Map(responses)) = root.get_ignore_case("responses").map(|r| &r.kind) {
        for (_, response) in responses {
            let rules = response.get_ignore_case("body").map(in_body).unwrap_or_default();
            if !rules.is_empty() {
                return Some((Shape::Example, rules));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(src: &str) -> Option<(Shape, usize)> {
        let root = crate::syntax::json::parse(src).unwrap_or_else(|e| unreachable!("{e:?}"));
        detect(&root).map(|(s, found)| (s, found.len()))
    }

    #[test]
    fn recognises_each_shape() {
        let rule = r#"{"name":"r","type":"Microsoft.SecurityInsights/automationRules","properties":{"displayName":"x","triggeringLogic":{}}}"#;
        assert_eq!(shape(rule), Some((Shape::Resource, 1)));
        assert_eq!(shape(r#"{"displayName":"x","order":1,"triggeringLogic":{}}"#), Some((Shape::Properties, 1)));
        assert_eq!(shape(&format!(r#"{{"value":[{rule},{rule}]}}"#)), Some((Shape::List, 2)));
        let example =
            format!(r#"{{"parameters":{{"automationRule":{rule}}},"responses":{{"200":{{"body":{rule}}}}}}}"#);
        assert_eq!(shape(&example), Some((Shape::Example, 1)));
        let response_only = format!(r#"{{"parameters":{{}},"responses":{{"200":{{"body":{{"value":[{rule}]}}}}}}}}"#);
        assert_eq!(shape(&response_only), Some((Shape::Example, 1)));
        assert_eq!(shape(r#"{"contentVersion":"1.0.0.0","resources":[]}"#), Some((Shape::Template, 0)));
        assert_eq!(shape(r#"{"properties":{"title":"an incident","severity":"High"}}"#), None);
        assert_eq!(shape("[1, 2]"), None);
    }
}
