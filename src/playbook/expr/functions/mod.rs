//! The function library, one file per family: [`workflow`] (trigger, actions, loops,
//! variables, parameters), [`logical`] (comparisons, `if`, `and`/`or`, `coalesce`),
//! [`string`], [`collection`], [`object`] (`setProperty` and friends), [`conversion`]
//! (types, JSON, base64, URI encoding), [`content`] (binary content, XML, form data and
//! multipart), [`math`], [`date`] (with [`datetime`] for .NET timestamp parsing and format
//! strings, and [`date_parse`]) and [`uri`]; [`culture`] holds the locales and
//! [`number_format`] .NET numeric format strings. [`table`] names them all, and
//! [`reference`] documents each one (`docs/wdl-functions.md`).
//!
//! Semantics follow the Logic Apps function reference (MicrosoftDocs azure-docs,
//! `articles/logic-apps/workflow-definition-language-functions-reference.md`); where it is
//! silent or the runtime is known to differ, the function's doc says what this engine does.

pub mod args;
pub mod collection;
pub mod content;
pub mod conversion;
pub mod culture;
pub mod date;
pub mod date_parse;
pub mod datetime;
pub(crate) mod encoding;
pub mod logical;
pub mod math;
pub mod number_format;
pub mod object;
pub mod reference;
pub mod string;
pub mod table;
pub mod uri;
pub mod workflow;

use std::borrow::Cow;

use serde_json::Value;

use super::budget::Meter;
use super::context::Context;
use super::error::{ExprError, Warning};
pub use args::{Arg, Args};
pub use table::{Function, Spec, SPECS, UNSUPPORTED};

/// What a function may touch besides its arguments: the workflow context, the budget meter
/// (to refuse oversized results before building them) and the warnings list.
pub struct Env<'e, 'a> {
    pub ctx: &'a dyn Context,
    pub meter: &'e mut Meter,
    pub warnings: &'e mut Vec<Warning>,
}

/// Calls a function on evaluated arguments. (The evaluator sends logical functions to
/// [`logical::call_lazy`] instead, so that `if`, `and`, `or` and `coalesce` stay lazy.)
pub fn call<'a>(mut args: Args<'a>, env: &mut Env<'_, 'a>) -> Result<Cow<'a, Value>, ExprError> {
    match args.function {
        Function::Workflow(f) => workflow::call(f, &args, env),
        Function::Logical(f) => logical::call(f, &args).map(Cow::Owned),
        Function::String(f) => string::call(f, &args, env).map(Cow::Owned),
        Function::Collection(f) => collection::call(f, &mut args, env),
        Function::Object(f) => object::call(f, &mut args).map(Cow::Owned),
        Function::Conversion(f) => conversion::call(f, &mut args, env),
        Function::Math(f) => math::call(f, &args, env).map(Cow::Owned),
        Function::Content(f) => content::call(f, &args, env).map(Cow::Owned),
        Function::Date(f) => date::call(f, &args, env).map(Cow::Owned),
        Function::Uri(f) => uri::call(f, &args).map(Cow::Owned),
    }
}

/// Calls a function on already evaluated values with a context, outside any expression (the
/// runtime uses it for the object form of `If` conditions: `{"equals": ["@x", 1]}`), with the
/// same semantics; `and`/`or`/`if`/`coalesce` simply receive every value already evaluated.
pub fn call_values(
    function: Function,
    values: Vec<Value>,
    ctx: &dyn Context,
    meter: &mut Meter,
) -> Result<(Value, Vec<Warning>), ExprError> {
    let span = super::ast::Span::default();
    let items = values.into_iter().map(|value| Arg { value: Cow::Owned(value), span }).collect();
    let args = Args { function, span, items };
    let (min, max) = function.arity();
    if args.len() < min || max.is_some_and(|max| args.len() > max) {
        let message = format!("the function '{}' got {} arguments", function.name(), args.len());
        return Err(ExprError::new(super::error::ErrorKind::ArgumentCount, span, message));
    }
    let mut warnings = Vec::new();
    let value = if let Function::Logical(f) = function {
        logical::call_values(f, &args)?
    } else {
        let mut env = Env { ctx, meter, warnings: &mut warnings };
        call(args, &mut env)?.into_owned()
    };
    Ok((value, warnings))
}
