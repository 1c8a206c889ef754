//! `Foreach`: runs its actions once per item of the `foreach` array. Iterations run one after
//! another, in input order, so everything they do (variables, GUIDs, incident changes) is
//! deterministic. On the simulated clock they overlap as Logic Apps would run them: each
//! iteration takes the earliest free of `concurrency` slots (1 = sequential), and the loop
//! ends when the last slot is free. A `foreach` value that is not an array fails the action
//! (PB040), as Logic Apps fails it. The loop fails when an iteration failed.

use serde_json::Value;

use crate::model::time::stamp;
use crate::playbook::expr::value::type_name;
use crate::playbook::model::{codes, Action, Foreach, Status};
use crate::playbook::run::log::{ErrorInfo, Iteration};
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs a `Foreach` loop.
pub fn foreach(action: &Action, foreach: &Foreach, run: &mut Runner<'_>) -> StepOutcome {
    let over = match run.render(action, &foreach.over) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let items = match over {
        Value::Array(items) => items,
        other => {
            let span = foreach.over.anchor("").map_or(action.span, |a| a.span);
            let message = format!(
                "The execution of template action '{}' failed: the result of the evaluation of 'foreach' expression is of type '{}'. The result must be a valid array.",
                action.name,
                type_name(&other)
            );
            // A template parameter without a value reads as a placeholder: name it.
            let message = match other.as_str().and_then(crate::arm::placeholder::note) {
                Some(note) => format!("{message} ({note})"),
                None => message,
            };
            let at = run.playbook.source.position(span);
            let error = ErrorInfo::new("InvalidTemplate", message).with_diagnostic(codes::FOREACH_NOT_ARRAY, Some(at));
            return StepOutcome::failed(Some(other), error);
        }
    };
    let start = run.now();
    let width = usize::try_from(foreach.concurrency).unwrap_or(1).clamp(1, items.len().max(1));
    let mut slots = vec![start; width];
    let mut outcome = StepOutcome { inputs: Some(Value::Array(items.clone())), ..StepOutcome::default() };
    let mut records = Vec::new();
    for (index, item) in items.into_iter().enumerate() {
        if run.halt.is_some() {
            break;
        }
        if let Err(e) = run.charge_iteration(action) {
            outcome.status = Status::Failed;
            outcome.error = Some(e);
            break;
        }
        let (slot, at) = slots.iter().copied().enumerate().min_by_key(|(i, t)| (*t, *i)).unwrap_or((0, start));
        run.ctx.now = at;
        run.ctx.loops.push((action.name.clone(), item));
        let result = run.run_block(&foreach.actions, at);
        run.ctx.loops.pop();
        if let Some(s) = slots.get_mut(slot) {
            *s = result.end.max(at);
        }
        if result.status == Status::Failed && outcome.failure.is_none() {
            outcome.status = Status::Failed;
            outcome.failure = result.failure;
        }
        records.extend(result.records);
        outcome.iterations.push(Iteration { index, status: result.status, start_time: stamp(at), steps: result.logs });
    }
    run.ctx.now = slots.into_iter().max().unwrap_or(start).max(run.now());
    if outcome.status == Status::Failed && outcome.error.is_none() {
        outcome.error = Some(ErrorInfo::new("ActionFailed", "An action failed. No dependent actions succeeded."));
    }
    outcome.code = outcome.error.as_ref().map(|e| e.code.clone());
    let n = outcome.iterations.len();
    outcome.note = Some(format!("{n} iteration(s), concurrency {}", foreach.concurrency));
    outcome.scope_records = Some(records);
    outcome
}
