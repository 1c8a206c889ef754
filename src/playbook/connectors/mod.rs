//! Connectors: who answers a connector call (`ApiConnection`, `ApiConnectionWebhook`, `Http`,
//! and the action types that run only with a mock). In order:
//!
//! 1. the action's own static result, when enabled (`runtimeConfiguration.staticResult`
//!    with `staticResultOptions: Enabled`): Logic Apps does the same;
//! 2. the mocks file ([`mocks`]): mocks keyed by action name first, then by connector +
//!    method + path template, each with an optional match on the rendered inputs;
//! 3. the built-in Sentinel operations ([`sentinel`]) for the `azuresentinel` API, acting on
//!    the incident in hand;
//! 4. the action's static result when it is shipped disabled (templates leave test data in);
//! 5. with `--infer-mocks`, the answer inferred from how the playbook reads the call's outputs
//!    ([`crate::playbook::infer`]), marked `inferred`;
//! 6. nobody: the call is recorded as `not-run: no mock` (a failed action under `--strict-mocks`).
//!
//! Every answer is a [`Reply`] in the static-results shape: status, `outputs` with
//! `statusCode`, `headers` and `body`, an optional `error`, and a simulated duration.
//!
//! Stage: runtime support. No I/O; the incident is changed only through [`Effects`].

pub mod mocks;
pub mod path;
pub mod sentinel;
pub mod watchlists;

use chrono::Duration;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::model::{Change, Incident};

use super::model::{Canned, Status};
use mocks::Mocks;

/// A rendered call, as the matchers see it.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    pub action: &'a str,
    /// Connector API (`azuresentinel`, `office365`, `custom:x`), `http` for Http actions,
    /// empty for the mock-only types.
    pub api: &'a str,
    /// Lower case (`get`, `post`, ...); empty when not given.
    pub method: &'a str,
    /// The path (the URI for Http), rendered.
    pub path: &'a str,
    /// The rendered inputs.
    pub inputs: &'a Value,
}

/// Who answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    StaticResult,
    MockFile,
    Builtin,
    /// Inferred from the playbook (`--infer-mocks`).
    Inferred,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::StaticResult => "static-result",
            Source::MockFile => "mock-file",
            Source::Builtin => "builtin",
            Source::Inferred => "inferred",
        }
    }
}

/// An answer in the static-results shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub source: Source,
    pub status: Status,
    /// The result code (`OK`, `NotFound`, ...).
    pub code: String,
    /// `{statusCode, headers, body}`.
    pub outputs: Value,
    pub error: Option<Value>,
    pub duration: Duration,
}

impl Reply {
    /// A canned result with its outputs completed: `statusCode` (200, or 500 for a failure),
    /// `headers` ({}) and `body` (null) when missing.
    pub fn from_canned(canned: &Canned, source: Source) -> Reply {
        let given = canned.outputs.as_object();
        let part = |key: &str| given.and_then(|m| m.get(key)).cloned();
        let default_code = if canned.status == Status::Succeeded { 200 } else { 500 };
        let mut outputs = Map::new();
        outputs.insert("statusCode".into(), part("statusCode").unwrap_or_else(|| json!(default_code)));
        outputs.insert("headers".into(), part("headers").unwrap_or_else(|| json!({})));
        outputs.insert("body".into(), part("body").unwrap_or(Value::Null));
        for (key, value) in given.into_iter().flatten() {
            outputs.entry(key.clone()).or_insert_with(|| value.clone());
        }
        let code = canned.code.clone().unwrap_or_else(|| code_of(outputs.get("statusCode")));
        Reply {
            source,
            status: canned.status,
            code,
            outputs: Value::Object(outputs),
            error: canned.error.clone(),
            duration: canned.duration,
        }
    }

    /// A built-in answer: a status code and a body.
    pub fn builtin(status_code: u16, body: Value) -> Reply {
        let status = if status_code < 400 { Status::Succeeded } else { Status::Failed };
        let code = code_of(Some(&json!(status_code)));
        let error = (status == Status::Failed).then(|| body.get("error").cloned().unwrap_or_else(|| body.clone()));
        Reply {
            source: Source::Builtin,
            status,
            code,
            outputs: json!({"statusCode": status_code, "headers": {}, "body": body}),
            error,
            duration: Duration::zero(),
        }
    }
}

/// The result code for an HTTP status (`OK`, `NotFound`); a string status is kept.
pub fn code_of(status: Option<&Value>) -> String {
    match status {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => match n.as_u64().unwrap_or(0) {
            200 => "OK".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            204 => "NoContent".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            409 => "Conflict".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            503 => "ServiceUnavailable".into(),
            other => other.to_string(),
        },
        _ => "OK".into(),
    }
}

/// What a built-in operation may change, and how its changes are attributed.
pub struct Effects<'a> {
    pub incident: Option<&'a mut Incident>,
    /// The SystemAlertId of the alert the run started from, when it was given with its
    /// incident: the Sentinel operations take that alert as the incident's.
    pub alert_id: Option<&'a str>,
    /// The run's watchlists (its own copy).
    pub watchlists: &'a mut watchlists::Watchlists,
    /// Run warnings (a legacy value that had to be mapped, ...).
    pub warnings: &'a mut Vec<String>,
    pub changes: &'a mut Vec<Change>,
    pub playbook: &'a str,
    pub step: &'a str,
    /// The simulated time, RFC 3339.
    pub now: &'a str,
}

/// Finds the answer to a call (see the module doc for the order); `None`: nobody answers.
pub fn answer(
    call: &Call<'_>,
    static_result: Option<(&Canned, bool)>,
    mocks: &Mocks,
    effects: &mut Effects<'_>,
) -> Option<Reply> {
    if let Some((canned, true)) = static_result {
        return Some(Reply::from_canned(canned, Source::StaticResult));
    }
    if let Some(mock) = mocks.find(call) {
        return Some(Reply::from_canned(&mock.result, Source::MockFile));
    }
    if call.api.eq_ignore_ascii_case("azuresentinel") {
        if let Some(reply) = sentinel::answer(call, effects) {
            return Some(reply);
        }
    }
    static_result.map(|(canned, _)| Reply::from_canned(canned, Source::StaticResult))
}
