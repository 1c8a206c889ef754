//! [`Canned`] results in the Logic Apps static-results shape: what a static result embedded in
//! a template (`definition.staticResults`) or a mock gives an action instead of running it:
//! `status`, `outputs` (`{statusCode, headers, body}`), an optional `error` (`{code,
//! message}`) and, as this tool's extension, an optional simulated `duration` (ISO 8601 or
//! seconds).

use chrono::Duration;
use serde_json::Value;

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::{Case, Node, NodeKind};

use super::action::Status;
use super::duration::parse_iso8601;

/// A canned action result.
#[derive(Debug, Clone, PartialEq)]
pub struct Canned {
    pub status: Status,
    /// `code` when given (else derived from the status code).
    pub code: Option<String>,
    /// `{statusCode, headers, body}` (missing parts filled in by the runtime).
    pub outputs: Value,
    pub error: Option<Value>,
    pub duration: Duration,
}

/// Keys a canned result takes.
pub const KEYS: &[&str] = &["status", "code", "outputs", "error", "duration"];

/// Reads a canned result, its keys compared as `case` says (a template's static results as
/// Logic Apps does, ignoring case; a mocks file exactly); problems are reported under `code` in
/// `path`, every one of them (a bad status does not hide a bad duration).
pub fn parse(node: &Node, case: Case, path: &str, code: Code, diags: &mut Vec<Diagnostic>) -> Option<Canned> {
    let mut bad = |span, message: String| diags.push(Diagnostic::error(code, path, Some(span), message));
    let get = |key: &str| node.get_with(key, case);
    let status_node = get("status");
    let status = match status_node.and_then(Node::as_str).and_then(Status::parse) {
        Some(Status::Skipped) | None => {
            let span = status_node.map_or(node.span, |n| n.span);
            bad(span, "a result's `status` is Succeeded, Failed or TimedOut".into());
            None
        }
        Some(s) => Some(s),
    };
    let duration = match get("duration") {
        None => Some(Duration::zero()),
        Some(d) => {
            let parsed = match &d.kind {
                NodeKind::Int(s) if *s >= 0 => Some(Duration::seconds(*s)),
                NodeKind::Float(s) if *s >= 0.0 && *s < 1.0e9 => {
                    Some(Duration::milliseconds((*s * 1000.0).round() as i64))
                }
                NodeKind::Str(s) => parse_iso8601(s),
                _ => None,
            };
            if parsed.is_none() {
                bad(d.span, "`duration` is an ISO 8601 duration (PT5S) or a number of seconds".into());
            }
            parsed
        }
    };
    let outputs = get("outputs").map_or(Value::Null, Node::to_value);
    let outputs_ok = matches!(outputs, Value::Null | Value::Object(_));
    if !outputs_ok {
        bad(node.span, "`outputs` is a mapping: {statusCode, headers, body}".into());
    }
    let (Some(status), Some(duration), true) = (status, duration, outputs_ok) else { return None };
    Some(Canned {
        status,
        code: get("code").and_then(Node::as_str).map(str::to_owned),
        outputs,
        error: get("error").map(Node::to_value),
        duration,
    })
}
