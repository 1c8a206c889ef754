//! Rendering JSON values: every string inside an object or array is a [`Template`]. This is
//! how action inputs are produced. [`compile_value`] parses a value once (collecting every
//! error, each with the JSON pointer of its string) into a [`ValueTemplate`] that evaluates
//! many times; [`evaluate_value`] does both in one go. Object keys are taken literally.

use serde_json::{Map, Value};

use super::ast::Span;
use super::budget::Limits;
use super::context::Context;
use super::error::{ErrorKind, ExprError};
use super::eval::Evaluator;
use super::template::Template;

/// A JSON value with its strings parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueTemplate {
    /// A subtree without any expression, returned as is.
    Literal(Value),
    String(Template),
    Array(Vec<ValueTemplate>),
    Object(Vec<(String, ValueTemplate)>),
}

/// An expression error inside a JSON value: the JSON pointer (RFC 6901) of the string that
/// holds the expression, and the error, whose span is relative to that string's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub pointer: String,
    pub error: ExprError,
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", if self.pointer.is_empty() { "/" } else { &self.pointer }, self.error)
    }
}

impl std::error::Error for ValueError {}

/// Parses every string of `value`. Returns all errors, in document order.
pub fn compile_value(value: &Value, limits: &Limits) -> Result<ValueTemplate, Vec<ValueError>> {
    let mut errors = Vec::new();
    let compiled = compile(value, &mut String::new(), 1, limits, &mut errors);
    if errors.is_empty() {
        Ok(compiled)
    } else {
        Err(errors)
    }
}

fn compile(
    value: &Value,
    pointer: &mut String,
    depth: usize,
    limits: &Limits,
    errors: &mut Vec<ValueError>,
) -> ValueTemplate {
    if depth > limits.max_depth {
        let message = format!("the value nests deeper than the limit of {} levels", limits.max_depth);
        errors.push(ValueError {
            pointer: pointer.clone(),
            error: ExprError::new(ErrorKind::DepthLimit, Span::default(), message),
        });
        return ValueTemplate::Literal(Value::Null);
    }
    match value {
        Value::String(text) => match Template::parse_with(text, limits) {
            Ok(Template::Literal(literal)) if &literal == text => ValueTemplate::Literal(value.clone()),
            Ok(template) => ValueTemplate::String(template),
            Err(error) => {
                errors.push(ValueError { pointer: pointer.clone(), error });
                ValueTemplate::Literal(Value::Null)
            }
        },
        Value::Array(items) => {
            let compiled: Vec<ValueTemplate> = items
                .iter()
                .enumerate()
                .map(|(i, item)| with_segment(pointer, &i.to_string(), |p| compile(item, p, depth + 1, limits, errors)))
                .collect();
            if compiled.iter().all(|c| matches!(c, ValueTemplate::Literal(_))) {
                ValueTemplate::Literal(value.clone())
            } else {
                ValueTemplate::Array(compiled)
            }
        }
        Value::Object(map) => {
            let compiled: Vec<(String, ValueTemplate)> = map
                .iter()
                .map(|(k, item)| (k.clone(), with_segment(pointer, k, |p| compile(item, p, depth + 1, limits, errors))))
                .collect();
            if compiled.iter().all(|(_, c)| matches!(c, ValueTemplate::Literal(_))) {
                ValueTemplate::Literal(value.clone())
            } else {
                ValueTemplate::Object(compiled)
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => ValueTemplate::Literal(value.clone()),
    }
}

/// Runs `f` with `/segment` (escaped per RFC 6901) appended to the pointer.
fn with_segment<T>(pointer: &mut String, segment: &str, f: impl FnOnce(&mut String) -> T) -> T {
    let len = pointer.len();
    crate::syntax::pointer::push(pointer, segment);
    let result = f(pointer);
    pointer.truncate(len);
    result
}

impl ValueTemplate {
    /// True when nothing in the value needs evaluating.
    pub fn is_literal(&self) -> bool {
        matches!(self, ValueTemplate::Literal(_))
    }

    /// Renders the value.
    pub fn evaluate(&self, evaluator: &mut Evaluator, ctx: &dyn Context) -> Result<Value, ValueError> {
        self.render(evaluator, ctx, &mut String::new())
    }

    fn render(&self, evaluator: &mut Evaluator, ctx: &dyn Context, pointer: &mut String) -> Result<Value, ValueError> {
        match self {
            ValueTemplate::Literal(value) => Ok(value.clone()),
            ValueTemplate::String(template) => {
                template.evaluate(evaluator, ctx).map_err(|error| ValueError { pointer: pointer.clone(), error })
            }
            ValueTemplate::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| with_segment(pointer, &i.to_string(), |p| item.render(evaluator, ctx, p)))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            ValueTemplate::Object(entries) => {
                let mut map = Map::new();
                for (key, item) in entries {
                    let value = with_segment(pointer, key, |p| item.render(evaluator, ctx, p))?;
                    map.insert(key.clone(), value);
                }
                Ok(Value::Object(map))
            }
        }
    }
}

/// Parses and renders `value` with a fresh evaluator and the default limits. Keep an
/// [`Evaluator`] per run and use [`Evaluator::evaluate_value`] to share the run's budget.
pub fn evaluate_value(value: &Value, ctx: &dyn Context) -> Result<Value, ValueError> {
    Evaluator::default().evaluate_value(value, ctx)
}

impl Evaluator {
    /// Parses and renders `value` against `ctx`, stopping at the first error.
    pub fn evaluate_value(&mut self, value: &Value, ctx: &dyn Context) -> Result<Value, ValueError> {
        let limits = *self.limits();
        let compiled = compile_value(value, &limits).map_err(|errors| {
            errors.into_iter().next().unwrap_or_else(|| ValueError {
                pointer: String::new(),
                error: ExprError::new(ErrorKind::EmptyExpression, Span::default(), "no expression"),
            })
        })?;
        compiled.evaluate(self, ctx)
    }
}
