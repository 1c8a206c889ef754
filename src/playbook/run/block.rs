//! Running a block (the actions of one scope) with Logic Apps' runAfter rules:
//!
//! - An action is ready once every action it runs after has finished; ready actions run one at
//!   a time in definition order, so runs are deterministic. On the simulated clock an action
//!   starts when the last of its predecessors ended (actions without `runAfter` start with the
//!   scope), so parallel branches overlap in time as they would in Logic Apps.
//! - A ready action runs when each predecessor's status is in its allowed list; otherwise it
//!   is Skipped (`ActionConditionFailed`), and skipping propagates to whatever does not allow
//!   Skipped.
//! - The block's status: Failed when a failure is not handled, Succeeded otherwise. A Failed
//!   or TimedOut action is handled when an action that runs after it ran (its runAfter allowed
//!   the failure); a skipped action carries the failures that made it skip. The block fails
//!   when one of its last actions (those nothing runs after) carries a failure. This is the
//!   run-history rule "at least one action failed and no subsequent action handled it".

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::model::time::stamp;
use crate::playbook::model::{Action, Block, Status};

use super::log::{ErrorInfo, StepLog};
use super::runner::Runner;
use super::steps;

/// What running a block gave.
#[derive(Debug, Clone)]
pub struct BlockResult {
    pub status: Status,
    pub end: DateTime<Utc>,
    pub logs: Vec<StepLog>,
    /// The unhandled failure (naming the failing action), when the block failed.
    pub failure: Option<String>,
    /// The records of the block's actions, for `result()`.
    pub records: Vec<serde_json::Value>,
}

struct Done {
    status: Status,
    end: DateTime<Utc>,
    carries: Option<String>,
}

impl Runner<'_> {
    /// Runs `block` starting at `start`.
    pub fn run_block(&mut self, block: &Block, start: DateTime<Utc>) -> BlockResult {
        let mut done: BTreeMap<&str, Done> = BTreeMap::new();
        let mut pending: Vec<&Action> = block.actions.iter().collect();
        let mut logs = Vec::new();
        let mut records = Vec::new();
        let mut order: Vec<&str> = Vec::new();
        while self.halt.is_none() {
            let declared = |name: &str| block.get(name).map(|a| a.name.as_str());
            let ready = pending
                .iter()
                .position(|a| a.run_after.iter().all(|d| declared(&d.action).is_none_or(|n| done.contains_key(n))));
            let Some(i) = ready else { break };
            let action = pending.remove(i);
            let deps: Vec<(&crate::playbook::model::Dependency, Option<&Done>)> =
                action.run_after.iter().map(|d| (d, declared(&d.action).and_then(|n| done.get(n)))).collect();
            let at = deps.iter().filter_map(|(_, d)| d.map(|d| d.end)).max().unwrap_or(start);
            let unmet = deps.iter().find_map(|(dep, d)| {
                let status = d.map_or(Status::Skipped, |d| d.status);
                (!dep.statuses.contains(status)).then_some((dep, status))
            });
            let (log, carries, end) = match unmet {
                Some((dep, status)) => {
                    let message = format!(
                        "The execution of template action '{}' is skipped: the 'runAfter' condition for action '{}' is not satisfied. Expected status values '{}' and actual value '{status}'.",
                        action.name, dep.action, dep.statuses
                    );
                    let carried = deps.iter().find_map(|(_, d)| d.and_then(|d| d.carries.clone()));
                    (self.skip(action, at, "ActionConditionFailed", &message), carried, at)
                }
                None => self.run_action(action, at),
            };
            let carries = if log.status.is_failure() || log.status == Status::Skipped { carries } else { None };
            if let Some(record) = self.ctx.actions.get(&action.name) {
                records.push(record.clone());
            }
            done.insert(action.name.as_str(), Done { status: log.status, end, carries });
            order.push(action.name.as_str());
            logs.push(log);
        }
        let is_leaf = |name: &str| {
            !block.actions.iter().any(|a| {
                done.contains_key(a.name.as_str()) && a.run_after.iter().any(|d| d.action.eq_ignore_ascii_case(name))
            })
        };
        let failure = order.iter().filter(|n| is_leaf(n)).find_map(|n| done.get(n).and_then(|d| d.carries.clone()));
        let end = done.values().map(|d| d.end).max().unwrap_or(start);
        let status = if failure.is_some() { Status::Failed } else { Status::Succeeded };
        BlockResult { status, end, logs, failure, records }
    }

    /// Runs one action at `at`: budget, step, record, log. Returns the log, the failure to
    /// report when the action failed (naming the innermost failing action), and its end.
    fn run_action(&mut self, action: &Action, at: DateTime<Utc>) -> (StepLog, Option<String>, DateTime<Utc>) {
        self.ctx.now = at;
        let outcome = match self.charge_action(action) {
            Ok(()) => steps::execute(action, self),
            Err(error) => steps::StepOutcome::failed(None, error),
        };
        let mut outcome = outcome;
        if let Err(error) = self.check_clock(action) {
            outcome.status = Status::Failed;
            outcome.error = Some(error);
        }
        let end = self.ctx.now;
        let record = json!({
            "name": action.name,
            "status": outcome.status,
            "code": outcome.code.clone().unwrap_or_else(|| default_code(outcome.status).to_owned()),
            "startTime": stamp(at),
            "endTime": stamp(end),
            "inputs": outcome.inputs,
            "outputs": outcome.outputs,
            "error": outcome.error.as_ref().map(ErrorInfo::to_value),
        });
        self.record(&action.name, record);
        if let Some(records) = &outcome.scope_records {
            self.ctx.scope_results.insert(action.name.clone(), serde_json::Value::Array(records.clone()));
        }
        let failure = match (&outcome.failure, &outcome.error) {
            _ if !outcome.status.is_failure() => None,
            (Some(inner), _) => Some(inner.clone()),
            (None, Some(e)) => Some(format!("action '{}' failed: {}", action.name, e.message)),
            (None, None) => Some(format!("action '{}' {}", action.name, outcome.status.as_str().to_lowercase())),
        };
        (steps::log(action, at, end, outcome, &self.redactor), failure, end)
    }

    /// Records `action` (and everything nested in it) as Skipped at `at`, and logs it.
    pub fn skip(&mut self, action: &Action, at: DateTime<Utc>, code: &str, message: &str) -> StepLog {
        let error = ErrorInfo::new(code, message);
        self.skip_records(std::slice::from_ref(action), at, code);
        let mut outcome = steps::StepOutcome::failed(None, error);
        outcome.status = Status::Skipped;
        outcome.code = Some(code.to_owned());
        steps::log(action, at, at, outcome, &self.redactor)
    }

    /// Records every action of `actions` and their nested blocks as Skipped (branches not
    /// taken, containers skipped), without logging them.
    pub fn skip_records(&mut self, actions: &[Action], at: DateTime<Utc>, code: &str) {
        for action in actions {
            let record = json!({"name": action.name, "status": "Skipped", "code": code, "startTime": stamp(at), "endTime": stamp(at)});
            self.record(&action.name, record);
            for child in action.step.blocks() {
                self.skip_records(&child.actions, at, code);
            }
        }
    }
}

/// The code of a result without one.
fn default_code(status: Status) -> &'static str {
    match status {
        Status::Succeeded => "OK",
        Status::Failed => "ActionFailed",
        Status::Skipped => "ActionSkipped",
        Status::TimedOut => "ActionTimedOut",
    }
}
