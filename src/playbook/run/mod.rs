//! The runtime: executes a compiled [`Playbook`] deterministically on a simulated clock and
//! produces a [`RunLog`], the changed incident and the audit [`Change`]s.
//!
//! - The trigger payload is built from the incident or alert in hand ([`trigger`]);
//!   `triggerBody()` reads it, and it does not change while the playbook changes the incident.
//!   A run started from an alert alone holds no incident: the Sentinel operations that need
//!   one (comments, updates, tasks, Get incident, Alert - Get incident) answer 404, and the
//!   step fails as it would in Sentinel for an incident that cannot be found. Given with its
//!   incident ([`Start::AlertIn`]), the alert is the payload and the incident is in hand.
//! - Actions run by Logic Apps' runAfter and skipping rules ([`block`]), one at a time in
//!   definition order; each step kind has its own file under [`steps`].
//! - Time is simulated: the clock starts at [`Options::now`], Wait and the durations of mocked
//!   calls move it, parallel branches and concurrent Foreach iterations overlap on it. `utcNow()`
//!   reads it, `guid()` is a sequence seeded by the playbook and the payload. Nothing reads the
//!   wall clock.
//! - Budgets ([`Limits`]): actions executed, loop iterations, simulated duration, and the
//!   expression budget of the evaluator. Spending one fails the run with a message naming the
//!   budget and the action (PB042).
//!
//! Stage: runtime. No I/O, no printing.

pub mod block;
pub mod log;
pub mod redact;
pub mod runner;
pub mod steps;
pub mod trigger;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::model::time::stamp;
use crate::model::{Alert, Change, Incident, RunStatus};
use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::connectors::watchlists::Watchlists;
use crate::playbook::expr::{format_guid, Evaluator, GuidSource, MemoryContext};
use crate::playbook::infer;
use crate::playbook::model::{duration::format_iso8601, Playbook};

pub use log::{ErrorInfo, RunLog, StepLog};
use log::{Spent, TriggerLog};
use runner::{Halt, Runner};

/// The run budgets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Actions executed (every action, in every iteration). Default 100,000.
    pub max_actions: u64,
    /// Loop iterations (Foreach and Until, all loops together). Default 100,000, the Logic
    /// Apps limit on Foreach items.
    pub max_iterations: u64,
    /// Simulated run duration. Default 90 days, the Logic Apps (Consumption) run limit.
    pub max_duration: Duration,
    /// The expression evaluator's budget (steps, depth, sizes) for the whole run.
    pub expressions: crate::playbook::expr::Limits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_actions: 100_000,
            max_iterations: 100_000,
            max_duration: Duration::days(90),
            expressions: crate::playbook::expr::Limits::default(),
        }
    }
}

/// How to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The simulated clock's start.
    pub now: DateTime<Utc>,
    /// An external call without a mock fails its action (PB043) instead of being recorded as
    /// not run.
    pub strict_mocks: bool,
    /// An external call that nothing else answers is answered from the mocks inferred from the
    /// playbook ([`crate::playbook::infer`]), marked `inferred` in the run log.
    pub infer_mocks: bool,
    pub limits: Limits,
    /// The values of the environment variables the playbook's secrets refer to (the caller
    /// reads the environment; see [`Secrets::env_names`](crate::playbook::model::Secrets::env_names)).
    pub secrets: BTreeMap<String, String>,
    /// The watchlists the Sentinel watchlist operations answer from (`--watchlist`); each run
    /// works on its own copy.
    pub watchlists: Watchlists,
}

impl Options {
    pub fn new(now: DateTime<Utc>) -> Options {
        Options {
            now,
            strict_mocks: false,
            infer_mocks: false,
            limits: Limits::default(),
            secrets: BTreeMap::new(),
            watchlists: Watchlists::default(),
        }
    }
}

/// What starts the run.
#[derive(Debug, Clone)]
pub enum Start {
    /// The incident in hand: the trigger payload is built from it for the playbook's trigger
    /// kind, and the Sentinel operations act on it.
    Incident(Incident),
    /// An alert: the trigger payload is the alert trigger's SecurityAlert shape built from it
    /// ([`trigger::alert`]), whatever the playbook's trigger (the caller checks that it is an
    /// alert-trigger playbook, the only kind Sentinel runs on alerts). No incident in hand.
    Alert(Alert),
    /// An alert with the incident that holds it (`playbook run --alert A --incident I`, `apply
    /// --alerts` with `--incidents`): the payload is the alert's (the incident fills in only the
    /// workspace), the incident is in hand, and the Sentinel operations take the alert as the
    /// incident's (Alert - Get incident answers the incident).
    AlertIn { alert: Alert, incident: Incident },
    /// A raw trigger body, without an incident.
    Body(Value),
}

/// What `start` starts from, as the run history keeps it: `{"incident": ...}`, `{"alert":
/// ...}`, both for an alert with its incident, or `{"body": ...}`; each as given.
pub fn start_input(start: &Start) -> Value {
    match start {
        Start::Incident(incident) => json!({"incident": incident.as_value()}),
        Start::Alert(alert) => json!({"alert": alert.as_value()}),
        Start::AlertIn { alert, incident } => json!({"alert": alert.as_value(), "incident": incident.as_value()}),
        Start::Body(body) => json!({"body": body}),
    }
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub log: RunLog,
    /// The incident as the playbook left it.
    pub incident: Option<Incident>,
    /// One record per change the playbook made to the incident.
    pub changes: Vec<Change>,
    /// When the run ended on the simulated clock.
    pub end: DateTime<Utc>,
}

/// Runs a playbook.
pub fn run(playbook: &Playbook, start: Start, mocks: &Mocks, options: &Options) -> Outcome {
    let kind = playbook.trigger_kind();
    let mut alert_id = None;
    let (incident, body) = match start {
        Start::Incident(incident) => {
            let body = trigger::body(kind, &incident);
            (Some(incident), body)
        }
        Start::Alert(alert) => (None, trigger::alert(&alert)),
        Start::AlertIn { alert, incident } => {
            let body = trigger::alert_in(&alert, &incident);
            alert_id = body.get("SystemAlertId").and_then(Value::as_str).map(str::to_owned);
            (Some(incident), body)
        }
        Start::Body(body) => (None, body),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let run_id = run_id(playbook, &bytes, mocks, options);
    let trigger =
        TriggerLog { name: playbook.trigger.as_ref().map_or_else(|| "manual".to_owned(), |t| t.name.clone()), kind };
    let mut ctx = context(playbook, options, &trigger.name, body, &run_id);
    ctx.guids = GuidSource::from_inputs(&[playbook.name.as_bytes(), &bytes]);
    let (redactor, secret_warnings) = resolve_secrets(playbook, options, &mut ctx.parameters);
    let mut runner = Runner {
        playbook,
        mocks,
        options,
        ctx,
        evaluator: Evaluator::new(options.limits.expressions),
        incident,
        changes: Vec::new(),
        spent: Spent::default(),
        halt: None,
        started: options.now,
        variable_types: BTreeMap::new(),
        unmocked: Vec::new(),
        inferred_answers: if options.infer_mocks { infer::infer(playbook).answers() } else { BTreeMap::new() },
        inferred: Vec::new(),
        warnings: secret_warnings,
        response: None,
        redactor,
        watchlists: options.watchlists.clone(),
        alert_id,
    };
    let result = runner.run_block(&playbook.actions, options.now);
    finish(runner, result, run_id, trigger)
}

/// The run id: a function of everything the run depends on, so the same run gets the same
/// id, and a run with another clock, payload or mocks another one.
fn run_id(playbook: &Playbook, payload: &[u8], mocks: &Mocks, options: &Options) -> String {
    let clock = stamp(options.now);
    // Strict mocks can turn a run that succeeds into one that fails: another run.
    let strict = if options.strict_mocks { " strict" } else { "" };
    // So can inferred answers.
    let infer = if options.infer_mocks { " inferred" } else { "" };
    let mocks_seed = format!("{mocks:?}{strict}{infer}");
    let seed: [&[u8]; 5] = [b"run", playbook.name.as_bytes(), payload, clock.as_bytes(), mocks_seed.as_bytes()];
    format_guid(GuidSource::from_inputs(&seed).next_guid(), "N").unwrap_or_default().to_uppercase()
}

/// What expressions see before the first action: the trigger's record with the payload as
/// its body (`triggerBody()`), the parameters, and `workflow()`.
fn context(playbook: &Playbook, options: &Options, trigger: &str, body: Value, run_id: &str) -> MemoryContext {
    let now = stamp(options.now);
    let mut ctx = MemoryContext::new(options.now).with_trigger(json!({
        "name": trigger,
        "status": "Succeeded",
        "code": "OK",
        "startTime": now,
        "endTime": now,
        "inputs": {},
        "outputs": {"headers": {}, "body": body},
    }));
    ctx.parameters = playbook.parameters.clone();
    let workflow_id =
        format!("/subscriptions/offline/resourceGroups/offline/providers/Microsoft.Logic/workflows/{}", playbook.name);
    ctx.workflow = json!({
        "id": workflow_id,
        "name": playbook.name,
        "type": "Microsoft.Logic/workflows",
        "location": "offline",
        "run": {"id": format!("{workflow_id}/runs/{run_id}"), "name": run_id, "type": "Microsoft.Logic/workflows/runs"},
        "tags": {},
    });
    ctx
}

/// The outcome of a run that has stopped: how it ended (terminated, failed by an action or a
/// budget, or succeeded), its log, and its changes and incident with secret values redacted.
fn finish(mut runner: Runner<'_>, result: block::BlockResult, run_id: String, trigger: TriggerLog) -> Outcome {
    let start = runner.started;
    let end = result.end.max(runner.now());
    let (status, error) = match runner.halt.take() {
        Some(Halt::Terminated { status, error }) => (status, error),
        Some(Halt::Failed(error)) => (RunStatus::Failed, Some(error)),
        None => match result.failure {
            Some(failure) => (RunStatus::Failed, Some(ErrorInfo::new("ActionFailed", capitalize(&failure)))),
            None => (RunStatus::Succeeded, None),
        },
    };
    let redactor = &runner.redactor;
    let error = error.map(|mut e| {
        e.message = redactor.text(&e.message);
        e
    });
    let mut response = runner.response.take();
    if let Some(r) = &mut response {
        redactor.value(r);
    }
    let warnings: Vec<String> = runner.warnings.iter().map(|w| redactor.text(w)).collect();
    let log = RunLog {
        playbook: runner.playbook.name.clone(),
        run_id,
        trigger,
        status,
        error,
        start_time: stamp(start),
        end_time: stamp(end),
        duration: format_iso8601(end.signed_duration_since(start)),
        steps: result.logs,
        response,
        unmocked: runner.unmocked,
        inferred: runner.inferred,
        warnings,
        spent: runner.spent,
    };
    let redactor = runner.redactor;
    let mut changes = runner.changes;
    for change in &mut changes {
        redactor.value(&mut change.from);
        redactor.value(&mut change.to);
    }
    let incident = runner.incident.map(|incident| {
        if redactor.is_empty() {
            return incident;
        }
        let mut value = incident.as_value().clone();
        redactor.value(&mut value);
        Incident::from_value(value).unwrap_or(incident)
    });
    Outcome { log, incident, changes, end }
}

/// Puts the values of secret parameters (from `options.secrets`) into `parameters`, and
/// returns the redactor for every secret value and warnings for references that do not
/// resolve (the parameter stays null).
fn resolve_secrets(
    playbook: &Playbook,
    options: &Options,
    parameters: &mut BTreeMap<String, Value>,
) -> (redact::Redactor, Vec<String>) {
    let mut values: Vec<Value> = Vec::new();
    let mut warnings = Vec::new();
    for (name, reference) in &playbook.secrets.parameters {
        match reference {
            Some(r) => match options.secrets.get(&r.env) {
                Some(v) => {
                    parameters.insert(name.clone(), Value::String(v.clone()));
                    values.push(Value::String(v.clone()));
                }
                None => warnings.push(format!("secret parameter '{name}': environment variable {} is not set", r.env)),
            },
            None => values.extend(parameters.get(name).cloned()),
        }
    }
    for connection in playbook.secrets.connections.values() {
        values.extend(
            connection.secrets.iter().filter_map(|r| options.secrets.get(&r.env)).map(|v| Value::String(v.clone())),
        );
    }
    (redact::Redactor::new(values.iter()), warnings)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
