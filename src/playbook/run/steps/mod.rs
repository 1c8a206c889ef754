//! One file per step kind, each behind the [`Execute`] trait: given the action and the
//! runner, do the step at the runner's simulated time (advancing it when the step takes time)
//! and say how it went ([`StepOutcome`]). [`execute`] dispatches on the closed
//! [`Step`](crate::playbook::model::Step) enum; [`log`] turns an outcome into the run log's
//! [`StepLog`], redacting `secureData`.

mod compose;
mod connector;
mod control;
mod data;
mod foreach;
mod parse_json;
mod projection;
mod table;
mod terminate;
mod until;
mod variable;
mod wait;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::time::stamp;
use crate::playbook::connectors::Source;
use crate::playbook::model::{duration::format_iso8601, Action, Status, Step};

use super::log::{ErrorInfo, Iteration, StepLog};
use super::redact::Redactor;
use super::runner::Runner;

/// How a step went.
#[derive(Debug, Clone, Default)]
pub struct StepOutcome {
    pub status: Status,
    pub code: Option<String>,
    pub inputs: Option<Value>,
    pub outputs: Option<Value>,
    pub error: Option<ErrorInfo>,
    pub mock: Option<Source>,
    pub note: Option<String>,
    pub children: Vec<StepLog>,
    pub iterations: Vec<Iteration>,
    /// For containers that failed: the inner failure, naming the failing action.
    pub failure: Option<String>,
    /// For containers: the records of their top-level actions, for `result()`.
    pub scope_records: Option<Vec<Value>>,
}

impl StepOutcome {
    /// Succeeded with these inputs and outputs.
    pub fn ok(inputs: Option<Value>, outputs: Option<Value>) -> StepOutcome {
        StepOutcome { inputs, outputs, ..StepOutcome::default() }
    }

    /// Failed with an error (its code becomes the result code).
    pub fn failed(inputs: Option<Value>, error: ErrorInfo) -> StepOutcome {
        StepOutcome {
            status: Status::Failed,
            code: Some(error.code.clone()),
            inputs,
            error: Some(error),
            ..StepOutcome::default()
        }
    }
}

/// The behaviour of one step kind.
pub trait Execute {
    fn execute(&self, action: &Action, run: &mut Runner<'_>) -> StepOutcome;
}

/// Runs `action`'s step.
pub fn execute(action: &Action, run: &mut Runner<'_>) -> StepOutcome {
    let step: &dyn Execute = match &action.step {
        Step::Connector(c) => c,
        Step::Http(i) => &connector::Http(i),
        Step::MockOnly(i) => &connector::MockOnly(i),
        Step::If(s) => s,
        Step::Switch(s) => s,
        Step::Scope(b) => &control::ScopeStep(b),
        Step::Foreach(s) => s,
        Step::Until(s) => s,
        Step::Variable(v) => v,
        Step::Compose(i) => &compose::Compose(i),
        Step::ParseJson(p) => p,
        Step::Query(p) => &projection::Query(p),
        Step::Select(p) => &projection::Select(p),
        Step::Join(i) => &data::Join(i),
        Step::Table(t) => t,
        Step::Terminate(t) => t,
        Step::Wait(i) => &wait::Wait(i),
        Step::Response(i) => &data::Response(i),
    };
    step.execute(action, run)
}

/// The run log entry for an outcome, `secureData` and secret values redacted.
pub fn log(
    action: &Action,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    outcome: StepOutcome,
    secrets: &Redactor,
) -> StepLog {
    let redact = |value: Option<Value>, secure: bool| {
        if secure && value.is_some() {
            Some(Value::String("<redacted: secureData>".into()))
        } else {
            value.map(|mut v| {
                secrets.value(&mut v);
                v
            })
        }
    };
    let error = outcome.error.map(|mut e| {
        e.message = secrets.text(&e.message);
        e
    });
    StepLog {
        name: action.name.clone(),
        type_name: action.type_name.clone(),
        status: outcome.status,
        code: outcome.code,
        start_time: stamp(start),
        end_time: stamp(end),
        duration: format_iso8601(end.signed_duration_since(start)),
        inputs: redact(outcome.inputs, action.secure_inputs),
        outputs: redact(outcome.outputs, action.secure_outputs),
        error,
        mock: outcome.mock,
        note: outcome.note,
        children: outcome.children,
        iterations: outcome.iterations,
    }
}
