//! Compiling the variable actions: InitializeVariable (`inputs.variables`: a list of
//! `{name, type, value}`) and Set / Increment / Decrement / AppendToArray / AppendToString
//! (`inputs: {name, value}`; the increments default to 1).

use serde_json::Value;

use crate::syntax::{Node, Span};

use super::codes;
use super::compile::Compiler;
use super::input::Input;
use super::step::{Variable, VariableOp, VariableType};

impl Compiler<'_> {
    pub(super) fn variable(&mut self, lower_type: &str, inputs: Option<&Node>, span: Span) -> Option<Variable> {
        let op = match lower_type {
            "initializevariable" => VariableOp::Initialize,
            "setvariable" => VariableOp::Set,
            "incrementvariable" => VariableOp::Increment,
            "decrementvariable" => VariableOp::Decrement,
            "appendtoarrayvariable" => VariableOp::AppendToArray,
            _ => VariableOp::AppendToString,
        };
        let Some(inputs) = inputs else {
            self.error(codes::MISSING_KEY, span, "a variable action needs `inputs`");
            return None;
        };
        if op == VariableOp::Initialize {
            return self.initialize(inputs);
        }
        let (name, name_span) = match inputs.get_ignore_case("name") {
            Some(n) => (self.string(n, "name")?, n.span),
            None => {
                self.error(codes::MISSING_KEY, inputs.span, "a variable action needs `inputs.name`");
                return None;
            }
        };
        let value = match (inputs.get_ignore_case("value"), op) {
            (Some(v), _) => self.input(v),
            (None, VariableOp::Increment | VariableOp::Decrement) => Input::literal(Value::from(1)),
            (None, _) => {
                self.error(codes::MISSING_KEY, inputs.span, format!("setting variable `{name}` needs `inputs.value`"));
                return None;
            }
        };
        Some(Variable { op, names: vec![name], name_spans: vec![name_span], types: Vec::new(), values: vec![value] })
    }

    fn initialize(&mut self, inputs: &Node) -> Option<Variable> {
        let Some(list) = inputs.get_ignore_case("variables").and_then(Node::items) else {
            self.error(codes::MISSING_KEY, inputs.span, "InitializeVariable needs `inputs.variables`, a list");
            return None;
        };
        let mut variable = Variable {
            op: VariableOp::Initialize,
            names: Vec::new(),
            name_spans: Vec::new(),
            types: Vec::new(),
            values: Vec::new(),
        };
        for item in list {
            let name_node = item.get_ignore_case("name");
            let name = name_node.and_then(|n| self.string(n, "name"));
            let type_node = item.get_ignore_case("type");
            let kind = type_node.and_then(Node::as_str).and_then(VariableType::parse);
            if kind.is_none() {
                let message = "a variable's `type` is string, integer, float, boolean, array or object";
                self.error(codes::INVALID_VALUE, type_node.map_or(item.span, |n| n.span), message);
            }
            let value = self.input_or_null(item.get_ignore_case("value"));
            if let (Some(name), Some(kind)) = (name, kind) {
                variable.names.push(name);
                variable.name_spans.push(name_node.map_or(item.span, |n| n.span));
                variable.types.push(kind);
                variable.values.push(value);
            } else if item.get_ignore_case("name").is_none() {
                self.error(codes::MISSING_KEY, item.span, "a variable needs a `name`");
            }
        }
        Some(variable)
    }
}
