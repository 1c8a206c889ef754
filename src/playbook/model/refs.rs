//! What an input's expressions refer to: actions (`body('X')`, `outputs`, `actions`,
//! `result`), loops (`items('X')`, `iterationIndexes('X')`, `item()`) and variables
//! (`variables('v')`), each with the position of its name, for the static checks. Only names
//! written as string literals can be checked; computed names are left to run time.

use crate::playbook::expr::ast::{Expr, ExprKind, Key};
use crate::playbook::expr::functions::workflow::WorkflowFn;
use crate::playbook::expr::{Function, Part, Span, Template, ValueTemplate};
use crate::syntax::pointer;

use super::input::Input;

/// The kind of name a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Action,
    Foreach,
    Until,
    /// `item()`: the innermost Foreach, Query or Select.
    AnyLoop,
    Variable,
}

/// A reference: kind, the name (empty for `item()`), the JSON pointer of the string it is in,
/// and its span in that string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub kind: RefKind,
    pub name: String,
    pub pointer: String,
    pub span: Span,
}

/// Every reference in an input, in document order.
pub fn refs(input: &Input) -> Vec<Ref> {
    let mut out = Vec::new();
    walk_value(&input.template, &mut String::new(), &mut out);
    out
}

fn walk_value(value: &ValueTemplate, pointer: &mut String, out: &mut Vec<Ref>) {
    match value {
        ValueTemplate::Literal(_) => {}
        ValueTemplate::String(template) => match template {
            Template::Literal(_) => {}
            Template::Expression(expr) => walk_expr(expr, pointer, out),
            Template::Interpolated(parts) => parts.iter().for_each(|p| {
                if let Part::Expr(expr) = p {
                    walk_expr(expr, pointer, out);
                }
            }),
        },
        ValueTemplate::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk_value(item, pointer, out);
                pointer.truncate(len);
            }
        }
        ValueTemplate::Object(entries) => {
            for (key, item) in entries {
                let len = pointer.len();
                pointer::push(pointer, key);
                walk_value(item, pointer, out);
                pointer.truncate(len);
            }
        }
    }
}

fn walk_expr(expr: &Expr, pointer: &str, out: &mut Vec<Ref>) {
    match &expr.kind {
        ExprKind::Literal(_) => {}
        ExprKind::Access(access) => {
            walk_expr(&access.target, pointer, out);
            if let Key::Index(index) = &access.key {
                walk_expr(index, pointer, out);
            }
        }
        ExprKind::Call(call) => {
            if let Function::Workflow(f) = call.function {
                let kind = match f {
                    WorkflowFn::Actions
                    | WorkflowFn::Body
                    | WorkflowFn::ActionBody
                    | WorkflowFn::Outputs
                    | WorkflowFn::ActionOutputs
                    | WorkflowFn::Result => Some(RefKind::Action),
                    WorkflowFn::Items => Some(RefKind::Foreach),
                    WorkflowFn::IterationIndexes => Some(RefKind::Until),
                    WorkflowFn::Variables => Some(RefKind::Variable),
                    WorkflowFn::Item => {
                        out.push(Ref {
                            kind: RefKind::AnyLoop,
                            name: String::new(),
                            pointer: pointer.to_owned(),
                            span: expr.span,
                        });
                        None
                    }
                    _ => None,
                };
                if let (Some(kind), Some(first)) = (kind, call.args.first()) {
                    if let ExprKind::Literal(serde_json::Value::String(name)) = &first.kind {
                        out.push(Ref { kind, name: name.clone(), pointer: pointer.to_owned(), span: first.span });
                    }
                }
            }
            call.args.iter().for_each(|a| walk_expr(a, pointer, out));
        }
    }
}
