//! A run log (as `playbook run --format json` writes it and the run history keeps it) as the
//! expectations of a playbook test read it: every run of every action, depth first, with the
//! actions the log does not show (the branch not taken, a loop over nothing) as Skipped, as
//! Logic Apps shows them; and the calls made. `test` reads a test's run through it, and `runs
//! show --as-test` a recorded run, so both see the same runs.
//!
//! Stage: evaluation (pure).

use serde_json::Value;

use crate::playbook::model::{Action, Playbook, Status, Step};

use super::action_key;

/// One run of an action.
#[derive(Debug, Clone, Copy)]
pub struct Ran<'a> {
    /// The action's name as the log writes it.
    pub name: &'a str,
    pub status: Status,
    /// Its step in the log; `None` for an action the log does not show.
    pub step: Option<&'a Value>,
}

impl<'a> Ran<'a> {
    /// A value of the logged step (`inputs`, `outputs`, `error`, `mock`, ...).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.step.and_then(|s| s.get(key))
    }

    /// A text of the logged step.
    pub fn text(&self, key: &str) -> Option<&'a str> {
        self.get(key).and_then(Value::as_str)
    }
}

/// Every run of every action of the run log `log`, depth first: a step, then its children and
/// its iterations' steps, then the actions nested in it (by `playbook`) that none of these
/// show, as Skipped.
pub fn runs<'a>(log: &'a Value, playbook: &'a Playbook) -> Vec<Ran<'a>> {
    let actions = playbook.all_actions();
    let mut out = Vec::new();
    flatten(steps(log), &actions, &mut out);
    out
}

/// The `steps` of a log or of an iteration.
fn steps(value: &Value) -> &[Value] {
    value.get("steps").and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn flatten<'a>(logged: &'a [Value], actions: &[&'a Action], out: &mut Vec<Ran<'a>>) {
    for step in logged {
        let name = step.get("name").and_then(Value::as_str).unwrap_or_default();
        let status = step.get("status").and_then(Value::as_str).and_then(Status::parse).unwrap_or(Status::Skipped);
        out.push(Ran { name, status, step: Some(step) });
        let from = out.len();
        if let Some(Value::Array(children)) = step.get("children") {
            flatten(children, actions, out);
        }
        for iteration in step.get("iterations").and_then(Value::as_array).into_iter().flatten() {
            flatten(steps(iteration), actions, out);
        }
        let Some(action) = actions.iter().find(|a| a.name == name) else { continue };
        for inner in action.step.blocks().into_iter().flat_map(|b| b.walk()) {
            if !out.iter().skip(from).any(|r| r.name == inner.name) {
                out.push(Ran { name: &inner.name, status: Status::Skipped, step: None });
            }
        }
    }
}

/// True for an action that makes a call: a connector operation (the built-in Sentinel ones
/// too), an HTTP request, or a type run only with a mock.
pub fn is_call(action: &Action) -> bool {
    matches!(action.step, Step::Connector(_) | Step::Http(_) | Step::MockOnly(_))
}

/// The calls a run made, in order: the runs of calling actions that were not skipped.
pub fn calls<'a>(runs: &[Ran<'a>], playbook: &Playbook) -> Vec<Ran<'a>> {
    let names: Vec<String> =
        playbook.all_actions().into_iter().filter(|a| is_call(a)).map(|a| action_key(&a.name)).collect();
    runs.iter().copied().filter(|r| r.status != Status::Skipped && names.contains(&action_key(r.name))).collect()
}
