//! Workflow functions: read the run through the [`Context`](crate::playbook::expr::Context).
//!
//! - `trigger()` is the trigger record, `triggerOutputs()` its `outputs`, `triggerBody()` its
//!   `outputs.body` (null when absent).
//! - `actions('A')` is A's run record, `outputs('A')` / `actionOutputs('A')` its `outputs`,
//!   `body('A')` / `actionBody('A')` its `outputs.body` (null when absent). An action that does
//!   not exist or has not run is an error.
//! - `item()` is the innermost loop's current item; `items('Loop')` the current item of the
//!   enclosing loop named `Loop`; `iterationIndexes('Until')` an Until loop's index.
//! - `action()` is the record of the action being evaluated, defined in an Until loop's
//!   condition (the loop's record so far: name, status Running, start time, the iteration's
//!   inputs); elsewhere it is an error, as Logic Apps allows it only there (and in webhook
//!   `unsubscribe` and `trackedProperties`, which do not run offline).
//! - `variables('v')`, `parameters('p')`, `result('Scope')`, `workflow()`,
//!   `listCallbackUrl()` (a fixed fake URL offline).
//!
//! Names are matched ignoring case; a match that differs in case from the declaration is
//! recorded as a warning.

use std::borrow::Cow;

use serde_json::Value;

use super::{Args, Env};
use crate::playbook::expr::context::Named;
use crate::playbook::expr::error::{ErrorKind, ExprError, Warning, WarningKind};

/// The workflow functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WorkflowFn {
    Trigger,
    TriggerBody,
    TriggerOutputs,
    Actions,
    Body,
    ActionBody,
    Outputs,
    ActionOutputs,
    Item,
    Items,
    IterationIndexes,
    Variables,
    Parameters,
    Result,
    Workflow,
    ListCallbackUrl,
    Action,
}

pub fn call<'a>(f: WorkflowFn, args: &Args<'a>, env: &mut Env<'_, 'a>) -> Result<Cow<'a, Value>, ExprError> {
    let ctx = env.ctx;
    match f {
        WorkflowFn::Action => ctx.current_action().map(|v| Cow::Owned(v.into_owned())).ok_or_else(|| {
            args.error(
                ErrorKind::InvalidArgument,
                "The template language function 'action' is only allowed in an Until loop's condition, a webhook's 'unsubscribe' and 'trackedProperties'.",
            )
        }),
        WorkflowFn::Trigger | WorkflowFn::TriggerBody | WorkflowFn::TriggerOutputs => {
            let record = ctx.trigger().ok_or_else(|| {
                args.error(
                    ErrorKind::NoTrigger,
                    "there is no trigger output: the workflow was not started by a trigger",
                )
            })?;
            Ok(match f {
                WorkflowFn::TriggerBody => member(member(record, "outputs"), "body"),
                WorkflowFn::TriggerOutputs => member(record, "outputs"),
                _ => record,
            })
        }
        WorkflowFn::Actions
        | WorkflowFn::Body
        | WorkflowFn::ActionBody
        | WorkflowFn::Outputs
        | WorkflowFn::ActionOutputs
        | WorkflowFn::Result => {
            let name = args.str(0)?;
            let found = if f == WorkflowFn::Result { ctx.scope_result(name) } else { ctx.action(name) };
            let found = found.ok_or_else(|| {
                let message = format!(
                    "The action '{name}' is referenced but does not exist or has not run before this expression"
                );
                args.error(ErrorKind::UnknownAction, message)
            })?;
            let record = checked(found, name, WarningKind::ActionNameCase, args, env);
            Ok(match f {
                WorkflowFn::Body | WorkflowFn::ActionBody => member(member(record, "outputs"), "body"),
                WorkflowFn::Outputs | WorkflowFn::ActionOutputs => member(record, "outputs"),
                _ => record,
            })
        }
        WorkflowFn::Item => {
            let found = ctx.item(None).ok_or_else(|| {
                args.error(ErrorKind::NotInLoop, "item() is only valid inside a Foreach loop or a Query/Select action")
            })?;
            Ok(found.value)
        }
        WorkflowFn::Items | WorkflowFn::IterationIndexes => {
            let name = args.str(0)?;
            let found = if f == WorkflowFn::Items { ctx.item(Some(name)) } else { ctx.iteration_index(name) };
            let kind = if f == WorkflowFn::Items { "Foreach" } else { "Until" };
            let found = found.ok_or_else(|| {
                args.error(ErrorKind::NotInLoop, format!("the expression is not inside a {kind} loop named '{name}'"))
            })?;
            Ok(checked(found, name, WarningKind::LoopNameCase, args, env))
        }
        WorkflowFn::Variables => {
            let name = args.str(0)?;
            let found = ctx.variable(name).ok_or_else(|| {
                args.error(ErrorKind::UnknownVariable, format!("The variable '{name}' is not initialized"))
            })?;
            Ok(checked(found, name, WarningKind::VariableNameCase, args, env))
        }
        WorkflowFn::Parameters => {
            let name = args.str(0)?;
            let found = ctx.parameter(name).ok_or_else(|| {
                args.error(ErrorKind::UnknownParameter, format!("The workflow parameter '{name}' is not declared"))
            })?;
            Ok(checked(found, name, WarningKind::ParameterNameCase, args, env))
        }
        WorkflowFn::Workflow => Ok(ctx.workflow()),
        WorkflowFn::ListCallbackUrl => Ok(Cow::Owned(Value::String(ctx.callback_url().into_owned()))),
    }
}

/// The value, after recording a warning if the declared name differs in case.
fn checked<'a>(
    found: Named<'a>,
    written: &str,
    kind: WarningKind,
    args: &Args<'_>,
    env: &mut Env<'_, 'a>,
) -> Cow<'a, Value> {
    if found.name != written {
        let (written, found) = (written.to_owned(), found.name.clone().into_owned());
        env.warnings.push(Warning { kind, span: args.span(0), written, found });
    }
    found.value
}

/// `value.key` or null, borrowing when `value` is borrowed.
fn member<'a>(value: Cow<'a, Value>, key: &str) -> Cow<'a, Value> {
    match value {
        Cow::Borrowed(v) => v.get(key).map_or(Cow::Owned(Value::Null), Cow::Borrowed),
        Cow::Owned(Value::Object(mut map)) => Cow::Owned(map.remove(key).unwrap_or(Value::Null)),
        Cow::Owned(_) => Cow::Owned(Value::Null),
    }
}
