//! `Until`: runs its actions, then evaluates the condition (with the iteration's actions and
//! `iterationIndexes('Until')` in scope); stops when it holds, after `limit.count`
//! iterations (Succeeded, noted), or once `limit.timeout` of simulated time has passed since
//! the loop began (TimedOut). The loop fails when an iteration failed.

use crate::model::time::stamp;
use crate::playbook::model::{Action, Status, Until};
use crate::playbook::run::log::{ErrorInfo, Iteration};
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs an `Until` loop.
pub fn until(action: &Action, until: &Until, run: &mut Runner<'_>) -> StepOutcome {
    let start = run.now();
    let mut outcome = StepOutcome::default();
    let mut records = Vec::new();
    let mut index = 0u32;
    loop {
        if run.halt.is_some() {
            break;
        }
        if let Err(e) = run.charge_iteration(action) {
            outcome.status = Status::Failed;
            outcome.error = Some(e);
            break;
        }
        let at = run.now();
        run.ctx.iterations.push((action.name.clone(), i64::from(index)));
        let result = run.run_block(&until.actions, at);
        run.ctx.now = result.end.max(at);
        if result.status == Status::Failed && outcome.failure.is_none() {
            outcome.status = Status::Failed;
            outcome.failure = result.failure;
        }
        records.extend(result.records);
        let position = usize::try_from(index).unwrap_or(usize::MAX);
        outcome.iterations.push(Iteration {
            index: position,
            status: result.status,
            start_time: stamp(at),
            steps: result.logs,
        });
        // `action()` in the condition: the loop's record so far.
        run.ctx.current = Some(serde_json::json!({
            "name": action.name, "status": "Running", "startTime": stamp(start),
            "inputs": {"iterationIndex": index},
        }));
        let holds = run.predicate(action, &until.condition);
        run.ctx.current = None;
        run.ctx.iterations.pop();
        index += 1;
        match holds {
            Err(e) => {
                outcome.status = Status::Failed;
                outcome.error = Some(e);
                break;
            }
            Ok(true) => {
                outcome.note = Some(format!("condition met after {index} iteration(s)"));
                break;
            }
            Ok(false) => {}
        }
        let elapsed = run.now().signed_duration_since(start);
        if let Some(timeout) = until.timeout.filter(|t| elapsed >= *t) {
            let text = crate::playbook::model::duration::format_iso8601(timeout);
            outcome.note = Some(format!("timed out after {index} iteration(s) (limit.timeout {text})"));
            if outcome.status != Status::Failed {
                outcome.status = Status::TimedOut;
                outcome.error =
                    Some(ErrorInfo::new("ActionTimedOut", format!("The Until loop did not finish within {text}")));
            }
            break;
        }
        if index >= until.count {
            outcome.note = Some(format!("stopped at limit.count {} without the condition holding", until.count));
            break;
        }
    }
    if outcome.status == Status::Failed && outcome.error.is_none() {
        outcome.error = Some(ErrorInfo::new("ActionFailed", "An action failed. No dependent actions succeeded."));
    }
    outcome.code = outcome.error.as_ref().map(|e| e.code.clone());
    outcome.scope_records = Some(records);
    outcome
}
