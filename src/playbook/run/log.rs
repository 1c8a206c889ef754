//! The run log: a deterministic, serializable record of one run, modelled on Logic Apps' run
//! history. The run (status, error, simulated start and end), and a tree of steps: each with
//! its status and code, simulated start, end and duration, rendered inputs and outputs (or a
//! redaction note for `secureData`), the error, who answered a connector call, and the
//! children of containers (the branch taken) and loop iterations.

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::Code;
use crate::model::RunStatus;
use crate::playbook::connectors::Source;
use crate::playbook::model::{Status, TriggerKind};

/// An error: the Logic Apps code and message, and for problems this tool detects, the PB
/// diagnostic code and the `file:line:column` it points at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostic: Option<Code>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

impl ErrorInfo {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ErrorInfo {
        ErrorInfo { code: code.into(), message: message.into(), diagnostic: None, at: None }
    }

    pub fn with_diagnostic(mut self, code: Code, at: Option<String>) -> ErrorInfo {
        self.diagnostic = Some(code);
        self.at = at;
        self
    }

    /// `{code, message}`, as `actions('X')['error']` shows it.
    pub fn to_value(&self) -> Value {
        serde_json::json!({"code": self.code, "message": self.message})
    }
}

/// One loop iteration (Foreach repetition or Until iteration).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Iteration {
    pub index: usize,
    pub status: Status,
    pub start_time: String,
    pub steps: Vec<StepLog>,
}

/// One action's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepLog {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub start_time: String,
    pub end_time: String,
    /// ISO 8601 (`PT2S`).
    pub duration: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outputs: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
    /// Who answered a connector call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mock: Option<Source>,
    /// `not-run: no mock`, the branch or case taken, why a loop stopped, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<StepLog>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub iterations: Vec<Iteration>,
}

/// The trigger as the run saw it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriggerLog {
    pub name: String,
    pub kind: TriggerKind,
}

/// Counts of what the run spent against its budgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Spent {
    pub actions: u64,
    pub iterations: u64,
}

/// One run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunLog {
    pub playbook: String,
    pub run_id: String,
    pub trigger: TriggerLog,
    pub status: RunStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorInfo>,
    pub start_time: String,
    pub end_time: String,
    pub duration: String,
    pub steps: Vec<StepLog>,
    /// A Response action's output (Request-triggered playbooks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
    /// External calls nobody answered, by action name, one entry per call.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unmocked: Vec<String>,
    /// External calls answered by mocks inferred from the playbook (`--infer-mocks`), by action
    /// name, one entry per call.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
    /// Secrets whose environment variable is not set (a parameter, or a connection the run
    /// called), and expression warnings (names matched only ignoring case) with the action.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub spent: Spent,
}

/// Names once each, in first-seen order, a repeated one with its count: the unmocked calls of
/// a loop (`Get_an_IP_report (x2), Notify`).
pub fn counted_names<S: AsRef<str>>(names: &[S]) -> String {
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for name in names.iter().map(AsRef::as_ref) {
        match seen.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => seen.push((name, 1)),
        }
    }
    let shown: Vec<String> =
        seen.iter().map(|(n, count)| if *count > 1 { format!("{n} (x{count})") } else { (*n).to_owned() }).collect();
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::counted_names;

    #[test]
    fn repeated_names_are_shown_once_with_their_count_in_first_seen_order() {
        assert_eq!(counted_names(&["B", "A", "B", "B"]), "B (x3), A");
        assert_eq!(counted_names(&["A"]), "A");
        assert_eq!(counted_names::<&str>(&[]), "");
    }
}
