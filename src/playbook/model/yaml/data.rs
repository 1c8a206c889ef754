//! The YAML step kinds that hold data rather than steps: the variable actions, `compose`,
//! `parse_json`, `query`, `select`, `join`, `table`, `terminate`, `wait` and `response`, each
//! desugared to its Logic Apps action (snake_case keys become the WDL ones: `with` ->
//! `joinWith`, `status` -> `runStatus`, `status_code` -> `statusCode`, ...). See
//! [`super::step`] for the table of kinds; [`super::step::KINDS`] holds the keys each
//! body takes (checked before this runs).

use crate::syntax::{Node, NodeKind, Span};

use super::Desugar;

impl Desugar<'_> {
    /// Builds the WDL action for a data kind (the kind key is known to be one of them).
    pub(super) fn data_kind(&mut self, kind: &str, span: Span, body: &Node) -> Option<Node> {
        let action = |type_name: &str, mut fields: Vec<(&str, Node)>| {
            fields.insert(0, ("type", Node::text(span, type_name)));
            Node::map(span, fields)
        };
        Some(match kind {
            "initialize_variable" => {
                let list = match &body.kind {
                    NodeKind::Seq(_) => body.clone(),
                    _ => Node::seq(body.span, vec![body.clone()]),
                };
                action("InitializeVariable", vec![("inputs", Node::map(body.span, vec![("variables", list)]))])
            }
            "set_variable" | "increment_variable" | "decrement_variable" | "append_to_array" | "append_to_string" => {
                let type_name = match kind {
                    "set_variable" => "SetVariable",
                    "increment_variable" => "IncrementVariable",
                    "decrement_variable" => "DecrementVariable",
                    "append_to_array" => "AppendToArrayVariable",
                    _ => "AppendToStringVariable",
                };
                action(type_name, vec![("inputs", body.clone())])
            }
            "compose" => action("Compose", vec![("inputs", body.clone())]),
            "parse_json" => action("ParseJson", vec![("inputs", body.clone())]),
            "query" | "select" | "table" => {
                let type_name = match kind {
                    "query" => "Query",
                    "select" => "Select",
                    _ => "Table",
                };
                action(type_name, vec![("inputs", body.clone())])
            }
            "join" => {
                let mut inputs = Vec::new();
                if let Some(from) = body.get("from") {
                    inputs.push(("from", from.clone()));
                }
                if let Some(with) = body.get("with") {
                    inputs.push(("joinWith", with.clone()));
                }
                action("Join", vec![("inputs", Node::map(body.span, inputs))])
            }
            "terminate" => {
                let mut inputs =
                    vec![("runStatus", body.get("status").cloned().unwrap_or_else(|| Node::text(body.span, "")))];
                let error: Vec<(&str, Node)> =
                    ["code", "message"].into_iter().filter_map(|k| body.get(k).map(|v| (k, v.clone()))).collect();
                if !error.is_empty() {
                    inputs.push(("runError", Node::map(body.span, error)));
                }
                action("Terminate", vec![("inputs", Node::map(body.span, inputs))])
            }
            "wait" => {
                let inputs = match body.get("until") {
                    Some(until) => {
                        Node::map(body.span, vec![("until", Node::map(until.span, vec![("timestamp", until.clone())]))])
                    }
                    None => Node::map(body.span, vec![("interval", body.clone())]),
                };
                action("Wait", vec![("inputs", inputs)])
            }
            _ => {
                let mut inputs = Vec::new();
                for (from, to) in [("status_code", "statusCode"), ("headers", "headers"), ("body", "body")] {
                    if let Some(v) = body.get(from) {
                        inputs.push((to, v.clone()));
                    }
                }
                action("Response", vec![("inputs", Node::map(body.span, inputs))])
            }
        })
    }
}
