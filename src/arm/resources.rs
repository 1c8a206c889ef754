//! Resource discovery in ARM templates: whether a document is a template, and its resources
//! (a `resources` list, or an object of symbolic names in language version 2.0), optionally
//! of given types. Sentinel's automation rules and Logic Apps workflows are both found here.

use crate::syntax::{Node, NodeKind};

/// True for a template: `resources` with a deployment-template `$schema` or a `contentVersion`.
pub fn is_template(root: &Node) -> bool {
    let schema =
        root.get_ignore_case("$schema").and_then(Node::as_str).is_some_and(|s| s.contains("eploymentTemplate"));
    root.get_ignore_case("resources").is_some() && (schema || root.get_ignore_case("contentVersion").is_some())
}

/// The resources of a template, in order (`resources` as a list, or as an object of symbolic
/// names in language version 2.0). Nested deployments are not entered.
pub fn resources(root: &Node) -> Vec<&Node> {
    match root.get_ignore_case("resources").map(|r| &r.kind) {
        Some(NodeKind::Seq(items)) => items.iter().collect(),
        Some(NodeKind::Map(entries)) => entries.iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    }
}

/// The resources whose `type` is one of `types`, compared ignoring case and surrounding
/// whitespace, in order.
pub fn of_type<'n>(root: &'n Node, types: &[&str]) -> Vec<&'n Node> {
    resources(root)
        .into_iter()
        .filter(|r| {
            r.get_ignore_case("type")
                .and_then(Node::as_str)
                .is_some_and(|t| types.iter().any(|k| k.eq_ignore_ascii_case(t.trim())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_resources_in_both_forms() {
        let list = r#"{"contentVersion": "1.0.0.0", "resources": [{"type": " A/b "}, {"type": "c/d"}]}"#;
        let root = crate::syntax::json::parse(list).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert!(is_template(&root));
        assert_eq!(resources(&root).len(), 2);
        assert_eq!(of_type(&root, &["a/B"]).len(), 1);
        let symbolic = r#"{"resources": {"x": {"type": "a/b"}}}"#;
        let root = crate::syntax::json::parse(symbolic).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert!(!is_template(&root));
        assert_eq!(of_type(&root, &["a/b"]).len(), 1);
    }
}
