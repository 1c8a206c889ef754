//! Playbook tests: cases of a test file that run one playbook on an incident or an alert, with
//! mocks, and check the run, as Logic Apps Standard's testing framework does (mocked actions,
//! assertions on the run, on each action's status and on the calls' inputs and outputs).
//!
//! Stages: spanned YAML -> [`PlaybookCase`] ([`decode`], in the test file decoder; a test with
//! errors is an [`UnfinishedPlaybookCase`], whose [`Names`] are still checked) -> the names it
//! uses checked against the playbook ([`check_names`], ST008) -> one
//! [`CaseResult`](super::CaseResult) per case ([`run::run_case`], pure: compiled playbook +
//! start + mocks + options) -> the reports the rule tests use. Subset matching of expected
//! values, with its `contains` form, is [`subset`]. Reading the files a case names is the CLI's
//! job.
//!
//! FORMAT (a test with `playbook` is a playbook test; unknown and duplicate keys are errors):
//! ```text
//! case     := { name: TEXT,
//!               description?: TEXT,
//!               playbook: NAME | PATH,         a playbook of the file's `playbooks` by name, or a file
//!               incident?: PATH | MAPPING,     the incident (the payload, or with `alert` the alert's incident)
//!               alert?: PATH | MAPPING,        an alert (alert-trigger playbooks); `incident` and/or `alert`
//!               mocks?: PATH | [PATH | MOCK...],  this test's mocks (tried before the file's `mocks`)
//!               infer_mocks?: BOOL,            answer unmocked calls from the playbook (--infer-mocks)
//!               strict_mocks?: BOOL,           an unmocked call fails its action (--strict-mocks)
//!               watchlists?: { ALIAS: PATH },  CSV files the watchlist operations answer from
//!               now?: RFC3339,                 the run's clock (default: the file's `now`)
//!               expect: expect }
//! expect   := { run?: Succeeded | Failed | Cancelled,
//!               actions?: { ACTION: STATUS | [STATUS...] },  every run of it / its runs in order
//!               calls?: [ { action: ACTION, inputs?: SUBSET } ],  calls made, in this order
//!               outputs?: { ACTION: SUBSET },  some run of the action has these outputs
//!               status?, severity?, classification?, classification_reason?, classification_comment?,
//!               owner?, tags?, tags_exact?, not_tags?, tasks?, tasks_exact?, changes?
//!                                              the incident as the playbook left it, as rule tests check it
//!             }
//! SUBSET   := a value the actual one contains: mappings by key, lists item by item,
//!             scalars equal; { contains: TEXT } a text holding TEXT (or a list holding a match)
//! ```
//! An action is named as the run log names it (`Get_IPs`; `Get IPs` too, in any case); one that
//! never ran counts as Skipped.

mod decode;
pub mod log;
mod names;
pub mod run;
pub mod schema;
pub mod subset;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::RunStatus;
use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::model::Status;
use crate::syntax::{Span, Text};

use super::{Check, IncidentSource};

pub use names::check_names;
pub use run::run_case;

/// Keys of a playbook test.
pub const CASE_KEYS: &[&str] = &[
    "name",
    "description",
    "playbook",
    "incident",
    "alert",
    "mocks",
    "infer_mocks",
    "strict_mocks",
    "watchlists",
    "now",
    "expect",
];

/// Keys every playbook test must have (reported as missing otherwise).
pub const CASE_REQUIRED: [&str; 3] = ["name", "playbook", "expect"];

/// Keys of a rule test that a playbook test does not take (reported as contradicting
/// `playbook`, not as unknown).
pub const RULE_CASE_KEYS: [&str; 3] = ["trigger", "previous", "updated_by"];

/// Keys of a playbook test's `expect`, in the order the format documents them; the incident
/// keys are the rule tests' ([`super::EXPECT_KEYS`]).
pub const EXPECT_KEYS: &[&str] = &[
    "run",
    "actions",
    "calls",
    "outputs",
    "status",
    "severity",
    "classification",
    "classification_reason",
    "classification_comment",
    "owner",
    "tags",
    "tags_exact",
    "not_tags",
    "tasks",
    "tasks_exact",
    "changes",
];

/// Expectation keys of rule tests that check rules, which a playbook test does not run.
pub const RULE_EXPECT_KEYS: [&str; 4] = ["fired", "fires", "not_fired", "playbooks"];

/// Keys of one expected call.
pub const CALL_KEYS: &[&str] = &["action", "inputs"];

/// One source of a playbook test's mocks, in the order written.
#[derive(Debug, Clone, PartialEq)]
pub enum MockSource {
    /// A mocks file or directory, relative to the test file.
    Path(Text),
    /// Mocks written in the test file.
    Inline(Mocks),
}

/// One playbook test.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookCase {
    pub name: String,
    /// Where the case's mapping starts.
    pub span: Span,
    /// A playbook name (of the file's `playbooks`) or a path relative to the test file.
    pub playbook: Text,
    /// The incident: the payload, or with `alert` the incident holding it.
    pub incident: Option<IncidentSource>,
    /// The alert, the payload of an alert-trigger playbook.
    pub alert: Option<IncidentSource>,
    pub mocks: Vec<MockSource>,
    pub infer_mocks: bool,
    pub strict_mocks: bool,
    /// Watchlist aliases and CSV paths (relative to the test file).
    pub watchlists: Vec<(Text, Text)>,
    /// Resolved: the case's own, the file's, or [`super::DEFAULT_NOW`].
    pub now: DateTime<Utc>,
    /// In the order written.
    pub expect: Vec<PlaybookExpectation>,
}

/// A playbook test with errors (reported when it was decoded), as far as it decoded: the
/// playbook, files and action names it gives are still checked, so that one run reports every
/// problem of a test file. Never run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnfinishedPlaybookCase {
    /// `None` when it is missing or not a text.
    pub name: Option<String>,
    /// Where the test's mapping starts.
    pub span: Span,
    /// `None` when `playbook` is missing or not a text.
    pub playbook: Option<Text>,
    pub incident: Option<IncidentSource>,
    pub alert: Option<IncidentSource>,
    pub mocks: Vec<MockSource>,
    pub watchlists: Vec<(Text, Text)>,
    /// The expectations that decoded.
    pub expect: Vec<PlaybookExpectation>,
}

/// What a playbook test names, to be loaded and checked before it runs: of a
/// [`PlaybookCase`], or of an [`UnfinishedPlaybookCase`].
#[derive(Debug, Clone, Copy)]
pub struct Names<'a> {
    pub playbook: Option<&'a Text>,
    pub incident: Option<&'a IncidentSource>,
    pub alert: Option<&'a IncidentSource>,
    pub mocks: &'a [MockSource],
    pub watchlists: &'a [(Text, Text)],
    pub expect: &'a [PlaybookExpectation],
}

impl PlaybookCase {
    pub fn names(&self) -> Names<'_> {
        Names {
            playbook: Some(&self.playbook),
            incident: self.incident.as_ref(),
            alert: self.alert.as_ref(),
            mocks: &self.mocks,
            watchlists: &self.watchlists,
            expect: &self.expect,
        }
    }
}

impl UnfinishedPlaybookCase {
    pub fn names(&self) -> Names<'_> {
        Names {
            playbook: self.playbook.as_ref(),
            incident: self.incident.as_ref(),
            alert: self.alert.as_ref(),
            mocks: &self.mocks,
            watchlists: &self.watchlists,
            expect: &self.expect,
        }
    }
}

/// The expected statuses of one action: one for every run of it, or one per run in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionStatus {
    pub action: Text,
    pub statuses: Vec<Status>,
    /// True when written as a list (one status per run).
    pub per_run: bool,
}

/// One expected call.
#[derive(Debug, Clone, PartialEq)]
pub struct CallExpect {
    pub action: Text,
    /// A subset of the rendered inputs ([`subset`]).
    pub inputs: Option<Value>,
    /// Where the call's mapping starts.
    pub span: Span,
}

/// An action's expected outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputsExpect {
    pub action: Text,
    /// A subset of the outputs ([`subset`]).
    pub outputs: Value,
}

/// What one expectation of a playbook test checks.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaybookCheck {
    /// How the run ended.
    Run(RunStatus),
    /// Named actions' statuses.
    Actions(Vec<ActionStatus>),
    /// These calls were made, in this order (other calls may come between).
    Calls(Vec<CallExpect>),
    /// Named actions' outputs.
    Outputs(Vec<OutputsExpect>),
    /// The incident as the playbook left it: a rule test's field, list or `changes` check.
    Incident(Check),
}

/// One key of a playbook test's `expect`.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookExpectation {
    /// The key as written (`run`, `calls`, `status`, ...).
    pub key: &'static str,
    pub span: Span,
    pub check: PlaybookCheck,
}

/// The statuses a run ends with, as written in `run`.
pub const RUN_STATUSES: [&str; 3] = ["Succeeded", "Failed", "Cancelled"];

/// Parses a run status (case-insensitive).
pub fn parse_run_status(text: &str) -> Option<RunStatus> {
    [RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
}

/// An action name as compared: spaces as the underscores Logic Apps puts in their place, any
/// case.
pub fn action_key(name: &str) -> String {
    name.trim().replace(' ', "_").to_lowercase()
}
