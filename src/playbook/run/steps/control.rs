//! Branches and scopes: `If` runs `actions` or `else` by its condition, `Switch` the first
//! case whose value equals the expression (strictly: `'1'` is not `1`) or `default`, `Scope`
//! its actions. The actions of branches not taken are recorded as Skipped
//! (`ActionBranchingConditionNotSatisfied`). A container's status is its block's (see
//! [`block`](crate::playbook::run::block)); when it fails, its error is Logic Apps' "An
//! action failed. No dependent actions succeeded.".

use serde_json::json;

use crate::playbook::expr::value::strict_equals;
use crate::playbook::model::{Block, If, Status, Switch};
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;
use crate::playbook::model::Action;

const NOT_TAKEN: &str = "ActionBranchingConditionNotSatisfied";

/// Runs a container's block (a `Scope` action's, or the branch taken) from the current time
/// and folds its result into an outcome.
pub fn container(run: &mut Runner<'_>, block: &Block) -> StepOutcome {
    let start = run.now();
    let result = run.run_block(block, start);
    run.ctx.now = result.end.max(start);
    let error = (result.status == Status::Failed)
        .then(|| ErrorInfo::new("ActionFailed", "An action failed. No dependent actions succeeded."));
    StepOutcome {
        status: result.status,
        code: error.as_ref().map(|e| e.code.clone()),
        error,
        children: result.logs,
        failure: result.failure,
        scope_records: Some(result.records),
        ..StepOutcome::default()
    }
}

/// Runs an `If` action.
pub fn branch(action: &Action, branch: &If, run: &mut Runner<'_>) -> StepOutcome {
    let holds = match run.predicate(action, &branch.condition) {
        Ok(b) => b,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let (taken, other, note) = if holds {
        (&branch.then, &branch.otherwise, "branch: actions")
    } else {
        (&branch.otherwise, &branch.then, "branch: else")
    };
    let now = run.now();
    run.skip_records(&other.actions, now, NOT_TAKEN);
    let mut outcome = container(run, taken);
    outcome.inputs = Some(json!({"expressionResult": holds}));
    outcome.note = Some(note.into());
    outcome
}

/// Runs a `Switch` action.
pub fn switch(action: &Action, switch: &Switch, run: &mut Runner<'_>) -> StepOutcome {
    let value = match run.render(action, &switch.on) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let chosen = switch.cases.iter().position(|c| strict_equals(&c.value, &value));
    let now = run.now();
    for (i, case) in switch.cases.iter().enumerate() {
        if Some(i) != chosen {
            run.skip_records(&case.actions.actions, now, NOT_TAKEN);
        }
    }
    let (block, note) = match chosen.and_then(|i| switch.cases.get(i)) {
        Some(case) => (&case.actions, format!("case: {}", case.name)),
        None => (&switch.default, "case: default".to_owned()),
    };
    if chosen.is_some() {
        run.skip_records(&switch.default.actions, now, NOT_TAKEN);
    }
    let mut outcome = container(run, block);
    outcome.inputs = Some(json!({"expressionResult": value}));
    outcome.note = Some(note);
    outcome
}
