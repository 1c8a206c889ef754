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

use super::{Execute, StepOutcome};
use crate::playbook::model::Action;

/// A `Scope` action.
pub struct ScopeStep<'a>(pub &'a Block);

const NOT_TAKEN: &str = "ActionBranchingConditionNotSatisfied";

/// Runs a container's block from the current time and folds its result into an outcome.
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

impl Execute for ScopeStep<'_> {
    fn execute(&self, _: &Action, run: &mut Runner<'_>) -> StepOutcome {
        container(run, self.0)
    }
}

impl Execute for If {
    fn execute(&self, action: &Action, run: &mut Runner<'_>) -> StepOutcome {
        let holds = match run.predicate(action, &self.condition) {
            Ok(b) => b,
            Err(e) => return StepOutcome::failed(None, e),
        };
        let (taken, other, note) = if holds {
            (&self.then, &self.otherwise, "branch: actions")
        } else {
            (&self.otherwise, &self.then, "branch: else")
        };
        let now = run.now();
        run.skip_records(&other.actions, now, NOT_TAKEN);
        let mut outcome = container(run, taken);
        outcome.inputs = Some(json!({"expressionResult": holds}));
        outcome.note = Some(note.into());
        outcome
    }
}

impl Execute for Switch {
    fn execute(&self, action: &Action, run: &mut Runner<'_>) -> StepOutcome {
        let value = match run.render(action, &self.on) {
            Ok(v) => v,
            Err(e) => return StepOutcome::failed(None, e),
        };
        let chosen = self.cases.iter().position(|c| strict_equals(&c.value, &value));
        let now = run.now();
        for (i, case) in self.cases.iter().enumerate() {
            if Some(i) != chosen {
                run.skip_records(&case.actions.actions, now, NOT_TAKEN);
            }
        }
        let (block, note) = match chosen.and_then(|i| self.cases.get(i)) {
            Some(case) => (&case.actions, format!("case: {}", case.name)),
            None => (&self.default, "case: default".to_owned()),
        };
        if chosen.is_some() {
            run.skip_records(&self.default.actions, now, NOT_TAKEN);
        }
        let mut outcome = container(run, block);
        outcome.inputs = Some(json!({"expressionResult": value}));
        outcome.note = Some(note);
        outcome
    }
}
