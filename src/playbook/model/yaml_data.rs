//! The YAML step kinds that hold data rather than steps: the variable actions, `compose`,
//! `parse_json`, `query`, `select`, `join`, `table`, `terminate`, `wait` and `response`, each
//! desugared to its Logic Apps action (snake_case keys become the WDL ones: `with` ->
//! `joinWith`, `status` -> `runStatus`, `status_code` -> `statusCode`, ...). See
//! [`super::yaml_step`] for the table of kinds; [`super::yaml_step::KINDS`] holds the keys each
//! body takes (checked before this runs).

use crate::diagnostic::Span;
use crate::rules::yaml::{Node, NodeKind};
use crate::sentinel::json;

use super::yaml::{map, text, Desugar};

impl Desugar<'_> {
    /// Builds the WDL action for a data kind (the kind key is known to be one of them).
    pub(super) fn data_kind(&mut self, kind: &str, span: Span, body: &Node) -> Option<Node> {
        let action = |type_name: &str, mut fields: Vec<(&str, Node)>| {
            fields.insert(0, ("type", text(span, type_name)));
            map(span, fields)
        };
        Some(match kind {
            "initialize_variable" => {
                let list = match &body.kind {
                    NodeKind::Seq(_) => body.clone(),
                    _ => super::yaml::seq(body.span, vec![body.clone()]),
                };
                action("InitializeVariable", vec![("inputs", map(body.span, vec![("variables", list)]))])
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
                if let Some(from) = json::get(body, "from") {
                    inputs.push(("from", from.clone()));
                }
                if let Some(with) = json::get(body, "with") {
                    inputs.push(("joinWith", with.clone()));
                }
                action("Join", vec![("inputs", map(body.span, inputs))])
            }
            "terminate" => {
                let mut inputs =
                    vec![("runStatus", json::get(body, "status").cloned().unwrap_or_else(|| text(body.span, "")))];
                let error: Vec<(&str, Node)> = ["code", "message"]
                    .into_iter()
                    .filter_map(|k| json::get(body, k).map(|v| (k, v.clone())))
                    .collect();
                if !error.is_empty() {
                    inputs.push(("runError", map(body.span, error)));
                }
                action("Terminate", vec![("inputs", map(body.span, inputs))])
            }
            "wait" => {
                let inputs = match json::get(body, "until") {
                    Some(until) => map(body.span, vec![("until", map(until.span, vec![("timestamp", until.clone())]))]),
                    None => map(body.span, vec![("interval", body.clone())]),
                };
                action("Wait", vec![("inputs", inputs)])
            }
            _ => {
                let mut inputs = Vec::new();
                for (from, to) in [("status_code", "statusCode"), ("headers", "headers"), ("body", "body")] {
                    if let Some(v) = json::get(body, from) {
                        inputs.push((to, v.clone()));
                    }
                }
                action("Response", vec![("inputs", map(body.span, inputs))])
            }
        })
    }
}
