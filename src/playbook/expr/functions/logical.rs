//! Logical comparison functions: `and`, `or`, `not`, `if`, `equals`, `greater`,
//! `greaterOrEquals`, `less`, `lessOrEquals`, and `coalesce`. These are also the predicates of
//! the object form of `If` conditions (`{"and": [{"equals": [a, b]}]}`).
//!
//! - `and`/`or`/`not`/`if` want booleans: anything else is an argument-type error (the
//!   runtime does not treat "true" or 1 as true).
//! - `and`, `or`, `if` and `coalesce` evaluate arguments left to right and stop as soon as
//!   the result is known.
//! - `equals` compares loosely (see [`loose_equals`]): 1 equals 1.0, `true` equals 1 (the
//!   reference's own example), null equals "" (the reference: "null values are converted to
//!   empty string values" in logical comparisons), strings are case-sensitive, objects compare
//!   deeply regardless of key order.
//! - `greater`/`less` compare two numbers or two strings (ordinal order), null as "";
//!   anything else is an argument-type error.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::{Arg, Args};
use crate::playbook::expr::ast::{Call, Expr, Span};
use crate::playbook::expr::error::{ErrorKind, ExprError};
use crate::playbook::expr::value::{compare, loose_equals, type_name};

/// The logical functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogicalFn {
    And,
    Or,
    Not,
    If,
    Equals,
    Greater,
    GreaterOrEquals,
    Less,
    LessOrEquals,
    Coalesce,
}

/// The eager ones.
pub fn call(f: LogicalFn, args: &Args<'_>) -> Result<Value, ExprError> {
    let result = match f {
        LogicalFn::Not => !args.bool(0)?,
        LogicalFn::Equals => loose_equals(args.get(0)?, args.get(1)?),
        LogicalFn::Greater => order(args)? == Ordering::Greater,
        LogicalFn::GreaterOrEquals => order(args)? != Ordering::Less,
        LogicalFn::Less => order(args)? == Ordering::Less,
        LogicalFn::LessOrEquals => order(args)? != Ordering::Greater,
        LogicalFn::And | LogicalFn::Or | LogicalFn::If | LogicalFn::Coalesce => return call_values(f, args),
    };
    Ok(Value::Bool(result))
}

fn order(args: &Args<'_>) -> Result<Ordering, ExprError> {
    let (a, b) = (args.get(0)?, args.get(1)?);
    compare(a, b).ok_or_else(|| {
        let message = format!(
            "The template language function '{}' expects two parameters of matching types: two numbers or two strings. The provided values are of types '{}' and '{}'.",
            args.function.name(),
            type_name(a),
            type_name(b)
        );
        args.error(ErrorKind::ArgumentType, message)
    })
}

impl LogicalFn {
    /// `if`, `and`, `or` and `coalesce` evaluate their arguments only as needed.
    pub fn is_lazy(self) -> bool {
        matches!(self, LogicalFn::If | LogicalFn::And | LogicalFn::Or | LogicalFn::Coalesce)
    }
}

/// Any logical function on arguments already evaluated (object-form conditions, and the
/// eager path for the lazy ones).
pub fn call_values(f: LogicalFn, args: &Args<'_>) -> Result<Value, ExprError> {
    match f {
        LogicalFn::And | LogicalFn::Or => {
            let stop_at = f == LogicalFn::Or;
            for i in 0..args.len() {
                if args.bool(i)? == stop_at {
                    return Ok(Value::Bool(stop_at));
                }
            }
            Ok(Value::Bool(!stop_at))
        }
        LogicalFn::If => Ok(if args.bool(0)? { args.get(1)? } else { args.get(2)? }.clone()),
        LogicalFn::Coalesce => {
            Ok(args.items.iter().map(|a| a.value.as_ref()).find(|v| !v.is_null()).cloned().unwrap_or(Value::Null))
        }
        LogicalFn::Not
        | LogicalFn::Equals
        | LogicalFn::Greater
        | LogicalFn::GreaterOrEquals
        | LogicalFn::Less
        | LogicalFn::LessOrEquals => call(f, args),
    }
}

/// Evaluates a logical call through `eval`: `if`, `and`, `or` and `coalesce` only as far as
/// needed, left to right; the others evaluate every argument first.
pub fn call_lazy<'a>(
    f: LogicalFn,
    call_expr: &'a Call,
    span: Span,
    eval: &mut dyn FnMut(&'a Expr) -> Result<Cow<'a, Value>, ExprError>,
) -> Result<Cow<'a, Value>, ExprError> {
    // Type errors read like the eager functions': argument `i` is a boolean or it is wrong.
    let check_bool = |value: Cow<'a, Value>, i: usize, expr: &Expr| -> Result<bool, ExprError> {
        match value.as_ref() {
            Value::Bool(b) => Ok(*b),
            _ => {
                let mut items = vec![Arg { value: Cow::Owned(Value::Null), span }; i];
                items.push(Arg { value, span: expr.span });
                Err(Args { function: call_expr.function, span, items }.type_error(i, "a boolean"))
            }
        }
    };
    match f {
        LogicalFn::And | LogicalFn::Or => {
            let stop_at = f == LogicalFn::Or;
            for (i, arg) in call_expr.args.iter().enumerate() {
                if check_bool(eval(arg)?, i, arg)? == stop_at {
                    return Ok(Cow::Owned(Value::Bool(stop_at)));
                }
            }
            Ok(Cow::Owned(Value::Bool(!stop_at)))
        }
        LogicalFn::If => match call_expr.args.as_slice() {
            [cond, yes, no] => {
                let branch = if check_bool(eval(cond)?, 0, cond)? { yes } else { no };
                eval(branch)
            }
            _ => Err(ExprError::new(ErrorKind::ArgumentCount, span, "the function 'if' takes 3 arguments")),
        },
        LogicalFn::Coalesce => {
            for arg in &call_expr.args {
                let value = eval(arg)?;
                if !value.is_null() {
                    return Ok(value);
                }
            }
            Ok(Cow::Owned(Value::Null))
        }
        LogicalFn::Not
        | LogicalFn::Equals
        | LogicalFn::Greater
        | LogicalFn::GreaterOrEquals
        | LogicalFn::Less
        | LogicalFn::LessOrEquals => {
            let items = call_expr
                .args
                .iter()
                .map(|arg| Ok(Arg { value: eval(arg)?, span: arg.span }))
                .collect::<Result<Vec<_>, ExprError>>()?;
            call(f, &Args { function: call_expr.function, span, items }).map(Cow::Owned)
        }
    }
}
