//! Conditions of If and Until: an expression string (`"@equals(a, b)"`), or the object form
//! the designer writes (`{"and": [{"not": {"equals": ["@x", "@null"]}}]}`), compiled into a
//! [`Predicate`]. In the object form `and`/`or` take a list, `not` one predicate, and every
//! other key is a function name (`equals`, `contains`, `greater`, `startsWith`, ...) over a
//! list of operands, each a JSON value or template.

use serde_json::Value;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::playbook::expr::Function;
use crate::syntax::Span;
use crate::syntax::{Node, NodeKind};

use super::codes;
use super::compile::Compiler;
use super::input::Input;
use super::step::Predicate;

impl Compiler<'_> {
    /// Compiles the `expression` of an If or Until (`span`: the action, for "missing").
    pub fn condition(&mut self, node: Option<&Node>, span: Span) -> Predicate {
        match node {
            Some(node) => self.predicate(node),
            None => {
                self.error(codes::MISSING_KEY, span, "this action needs an `expression` (its condition)");
                Predicate::Value(Input::literal(Value::Bool(false)))
            }
        }
    }

    fn predicate(&mut self, node: &Node) -> Predicate {
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Str(_) | NodeKind::Bool(_) => return Predicate::Value(self.input(node)),
            _ => {
                let message =
                    format!("a condition is an expression string or a predicate mapping, found {}", node.describe());
                self.error(codes::WRONG_TYPE, node.span, message);
                return Predicate::Value(Input::literal(Value::Bool(false)));
            }
        };
        let [(key, operand)] = entries.as_slice() else {
            self.error(
                codes::WRONG_TYPE,
                node.span,
                "a predicate mapping has exactly one key (`and`, `or`, `not`, or a function)",
            );
            return Predicate::Value(Input::literal(Value::Bool(false)));
        };
        match key.name.to_ascii_lowercase().as_str() {
            "and" | "or" => {
                let items: Vec<Predicate> = match &operand.kind {
                    NodeKind::Seq(items) => items.iter().map(|i| self.predicate(i)).collect(),
                    _ => {
                        self.error(
                            codes::WRONG_TYPE,
                            operand.span,
                            format!("`{}` takes a list of predicates", key.name),
                        );
                        Vec::new()
                    }
                };
                if key.name.eq_ignore_ascii_case("and") {
                    Predicate::And(items)
                } else {
                    Predicate::Or(items)
                }
            }
            "not" => Predicate::Not(Box::new(self.predicate(operand))),
            _ => {
                let Some(function) = Function::lookup(&key.name) else {
                    let mut d = Diagnostic::error(
                        codes::EXPRESSION,
                        &self.source.path,
                        Some(key.span),
                        format!("unknown predicate `{}`", key.name),
                    );
                    if let Some(near) = did_you_mean(&key.name, Function::names()) {
                        d = d.with_help(format!("did you mean `{near}`?"));
                    }
                    self.diags.push(d);
                    return Predicate::Value(Input::literal(Value::Bool(false)));
                };
                let args: Vec<Input> = match &operand.kind {
                    NodeKind::Seq(items) => items.iter().map(|i| self.input(i)).collect(),
                    _ => vec![self.input(operand)],
                };
                let (min, max) = function.arity();
                if args.len() < min || max.is_some_and(|m| args.len() > m) {
                    let message = format!("`{}` got {} operands", function.name(), args.len());
                    self.error(codes::EXPRESSION, operand.span, message);
                }
                Predicate::Call(function, args)
            }
        }
    }
}
