//! Running one playbook test: the playbook runs on the test's incident or alert with its mocks,
//! on its clock, and every expectation is compared with the run log, the incident as the
//! playbook left it and the changes it made. Pure: compiled playbook + start + mocks + options
//! -> result.

use serde_json::{json, Value};

use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::model::{Playbook, Status};
use crate::playbook::run::{self, Options, Outcome, Start};

use super::super::incident::{self, Compared};
use super::super::run::{CaseResult, Mismatch};
use super::super::Check;
use super::log::{self, Ran};
use super::subset::{self, Difference};
use super::{action_key, ActionStatus, CallExpect, OutputsExpect, PlaybookCase, PlaybookCheck};

/// Differences shown per call or outputs that do not match.
const SHOWN: usize = 5;

/// Runs the playbook test `case` of the test file `file`; also returns the run (for coverage).
pub fn run_case(
    file: &str,
    case: &PlaybookCase,
    playbook: &Playbook,
    start: Start,
    mocks: &Mocks,
    options: &Options,
) -> (CaseResult, Outcome) {
    let outcome = run::run(playbook, start, mocks, options);
    let log = serde_json::to_value(&outcome.log).unwrap_or_default();
    let steps = log::runs(&log, playbook);
    let calls = log::calls(&steps, playbook);
    let seen = Seen { outcome: &outcome, steps: &steps, calls: &calls };
    let mut mismatches = Vec::new();
    for e in &case.expect {
        let at = |span: crate::syntax::Span, compared: Compared| {
            let (expected, actual, missing, unexpected, message) = compared;
            Mismatch {
                key: e.key,
                line: span.line,
                column: span.column,
                expected,
                actual,
                missing,
                unexpected,
                message,
            }
        };
        match &e.check {
            PlaybookCheck::Run(want) => {
                mismatches.extend(seen.run(*want).map(|c| at(e.span, c)));
            }
            PlaybookCheck::Actions(list) => {
                mismatches.extend(list.iter().filter_map(|a| seen.action(a).map(|c| at(a.action.span, c))));
            }
            PlaybookCheck::Calls(list) => {
                let mut cursor = 0;
                for call in list {
                    match seen.call(call, cursor) {
                        Ok(next) => cursor = next,
                        Err(c) => mismatches.push(at(call.span, *c)),
                    }
                }
            }
            PlaybookCheck::Outputs(list) => {
                mismatches.extend(list.iter().filter_map(|o| seen.outputs(o).map(|c| at(o.action.span, c))));
            }
            PlaybookCheck::Incident(Check::Changes(want)) => {
                mismatches.extend(incident::compare_changes(*want, outcome.changes.len()).map(|c| at(e.span, c)));
            }
            PlaybookCheck::Incident(check) => {
                let compared = outcome.incident.as_ref().and_then(|i| incident::compare(check, i));
                mismatches.extend(compared.map(|c| at(e.span, c)));
            }
        }
    }
    let result = CaseResult {
        file: file.to_owned(),
        name: case.name.clone(),
        line: case.span.line,
        fired: Vec::new(),
        mismatches,
        inferred: outcome.log.inferred.len(),
        note: None,
    };
    (result, outcome)
}

/// The run as the expectations read it.
struct Seen<'a> {
    outcome: &'a Outcome,
    steps: &'a [Ran<'a>],
    /// The calls made (connector, HTTP and mock-only actions that ran), in order.
    calls: &'a [Ran<'a>],
}

fn compared(expected: Value, actual: Value, message: String) -> Compared {
    (expected, actual, Vec::new(), Vec::new(), message)
}

/// A run's status, with its error when it has one: `Failed (BadRequest: ...)`.
fn status_of(run: &Ran<'_>) -> String {
    match run.get("error") {
        Some(e) => {
            let text = |key: &str| e.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
            format!("{} ({}: {})", run.status, text("code"), text("message"))
        }
        None => run.status.to_string(),
    }
}

/// `\n` and the first [`SHOWN`] differences, one a line (`label` before each), and how many
/// more there are.
fn listed(label: &str, differences: &[Difference]) -> String {
    let mut text = String::new();
    for d in differences.iter().take(SHOWN) {
        text.push_str(&format!("\n{label}{d}"));
    }
    if differences.len() > SHOWN {
        text.push_str(&format!("\n{label}and {} more difference(s)", differences.len() - SHOWN));
    }
    text
}

impl<'a> Seen<'a> {
    fn runs_of(&self, name: &str) -> Vec<Ran<'a>> {
        let key = action_key(name);
        self.steps.iter().copied().filter(|r| action_key(r.name) == key).collect()
    }

    fn run(&self, want: crate::model::RunStatus) -> Option<Compared> {
        let log = &self.outcome.log;
        if log.status == want {
            return None;
        }
        let error = log.error.as_ref().map(|e| format!(" ({}: {})", e.code, e.message)).unwrap_or_default();
        let message = format!("expected {want}, got {}{error}", log.status);
        Some(compared(json!(want), json!(log.status), message))
    }

    /// An action's statuses: one for every run (an action that never ran is one Skipped run),
    /// or one per run, in order.
    fn action(&self, a: &ActionStatus) -> Option<Compared> {
        let runs = self.runs_of(&a.action.value);
        let have: Vec<Status> =
            if runs.is_empty() { vec![Status::Skipped] } else { runs.iter().map(|r| r.status).collect() };
        let names = |list: &[Status]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let ok = if a.per_run { have == a.statuses } else { have.iter().all(|s| Some(s) == a.statuses.first()) };
        if ok {
            return None;
        }
        let got = match runs.as_slice() {
            [] => "Skipped (it did not run)".to_owned(),
            [one] => status_of(one),
            many => format!("[{}]", many.iter().map(status_of).collect::<Vec<_>>().join(", ")),
        };
        let expected = match (a.per_run, a.statuses.as_slice()) {
            (false, [one]) if have.len() > 1 => format!("{one} in each of its {} runs", have.len()),
            (false, [one]) => one.to_string(),
            _ => format!("[{}]", names(&a.statuses).join(", ")),
        };
        let message = format!("{}: expected {expected}, got {got}", a.action.value);
        Some(compared(json!(names(&a.statuses)), json!(names(&have)), message))
    }

    /// The first call at or after `cursor` that matches; `Ok(the index after it)`.
    fn call(&self, want: &CallExpect, cursor: usize) -> Result<usize, Box<Compared>> {
        let key = action_key(&want.action.value);
        let inputs = |r: &Ran<'_>| r.get("inputs").cloned().unwrap_or(Value::Null);
        let inputs_match = |r: &Ran<'_>| want.inputs.as_ref().is_none_or(|w| subset::matches(&inputs(r), w));
        let later = self.calls.iter().enumerate().skip(cursor);
        if let Some((i, _)) = later.clone().find(|(_, r)| action_key(r.name) == key && inputs_match(r)) {
            return Ok(i + 1);
        }
        let expected = json!({"action": want.action.value, "inputs": want.inputs});
        let made: Vec<&str> = self.calls.iter().map(|r| r.name).collect();
        let candidates: Vec<&Ran<'_>> = later.filter(|(_, r)| action_key(r.name) == key).map(|(_, r)| r).collect();
        let name = &want.action.value;
        let after = cursor.checked_sub(1).and_then(|i| self.calls.get(i)).map(|r| format!(" after {}", r.name));
        if candidates.is_empty() {
            let earlier = self.calls.iter().take(cursor).any(|r| action_key(r.name) == key);
            let after = if earlier { after.unwrap_or_default() } else { String::new() };
            let message = format!("{name} was not called{after} (calls made: [{}])", made.join(", "));
            return Err(Box::new(compared(expected, json!(made), message)));
        }
        let after = after.unwrap_or_default();
        let count = candidates.len();
        let mut message = match count {
            1 => format!("{name} was called{after}, but not with these inputs:"),
            n => format!("{name} was called {n} times{after}, never with these inputs:"),
        };
        let wanted = want.inputs.clone().unwrap_or(Value::Null);
        for (n, r) in candidates.iter().enumerate().take(3) {
            let label = if count == 1 { String::new() } else { format!("call {} of {count}: ", n + 1) };
            message.push_str(&listed(&label, &subset::differences(&inputs(r), &wanted)));
        }
        let actual: Vec<Value> = candidates.iter().map(|r| inputs(r)).collect();
        Err(Box::new(compared(expected, json!(actual), message)))
    }

    /// Some run of the action has outputs matching the subset.
    fn outputs(&self, want: &OutputsExpect) -> Option<Compared> {
        let runs: Vec<Ran<'_>> = self
            .runs_of(&want.action.value)
            .into_iter()
            .filter(|r| r.step.is_some() && r.status != Status::Skipped)
            .collect();
        let of = |r: &Ran<'_>| r.get("outputs").cloned().unwrap_or(Value::Null);
        if runs.iter().any(|r| subset::matches(&of(r), &want.outputs)) {
            return None;
        }
        let name = &want.action.value;
        let message = match runs.as_slice() {
            [] => format!("{name} did not run"),
            [one] => {
                format!("{name}: the outputs differ:{}", listed("", &subset::differences(&of(one), &want.outputs)))
            }
            many => {
                let first = many.first().map(of).unwrap_or_default();
                let shown = listed("run 1: ", &subset::differences(&first, &want.outputs));
                format!("{name}: none of its {} runs has these outputs:{shown}", many.len())
            }
        };
        Some(compared(want.outputs.clone(), json!(runs.iter().map(of).collect::<Vec<_>>()), message))
    }
}
