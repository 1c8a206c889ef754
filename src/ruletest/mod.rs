//! Rule tests (SPEC 1.4): YAML files that pair an incident with the outcome the rules must
//! produce, run like `cargo test` by `sentinel-soar test`.
//!
//! Stages: spanned YAML -> [`TestFile`] ([`file::decode`], every problem reported at once with
//! `file:line:column`) -> one [`CaseResult`] per test ([`run::run_case`], pure: compiled rules +
//! incident + clock) -> human text, JSON or JUnit XML ([`report`]); what the tests reached in
//! the rule and playbook files, with `--coverage` ([`coverage`]); a failure under the Defender
//! portal notes what the portal changed ([`portal`]). Reading the files that a test
//! file names (rules, incidents) is the CLI's job; nothing here touches the file system.
//!
//! FORMAT (unknown and duplicate keys are errors; paths are relative to the test file):
//! ```text
//! file     := { rules?: PATH | [PATH...],      rule files, directories or globs (required
//!                                              unless every test is a playbook test)
//!               now?: RFC3339,                 default clock of the file's tests
//!               playbooks?: PATH | [PATH...],  playbooks run_playbook actions (and playbook tests) run
//!               mocks?: PATH | [PATH...],      mocks for their external calls
//!               tests: [case | playbook-case...] }
//! case     := { name: TEXT,                    unique in the file
//!               description?: TEXT,
//!               incident: PATH | MAPPING,      one incident, any shape `apply` reads, or inline
//!               now?: RFC3339,                 default: the file's `now`, else DEFAULT_NOW
//!               trigger?: created | updated,   default created
//!               previous?: PATH | MAPPING,     updated only: the incident before the update
//!               updated_by?: SOURCE,           updated only: IncidentUpdatedBySource (Other)
//!               expect: expect }
//! expect   := { fired?: [RULE...],             exactly these rules fired, in run order
//!               fires?: [RULE...],             at least these fired (not with `fired`)
//!               not_fired?: [RULE...],         none of these fired
//!               status?, severity?, classification?, classification_reason?: ENUM | null,
//!               classification_comment?: TEXT | null,
//!               owner?: TEXT | null,           any identity of the owner; null = unassigned
//!               tags?: [TEXT...],              at least these tags (case-insensitive)
//!               tags_exact?: [TEXT...],        exactly these tags, in any order
//!               not_tags?: [TEXT...],          none of these tags
//!               tasks?: [TEXT...], tasks_exact?: [TEXT...],   task titles, like tags
//!               playbooks?: [NAME...],         exactly these run_playbook requests, in order
//!               changes?: INTEGER }            number of audit records
//! ```
//! Field values are compared with the incident as the rules left it; `null` expects the field
//! unset. Rule names in `fired`, `fires` and `not_fired` must exist in the rule set (ST003).
//! A test with `playbook` runs that playbook instead of the rules: its format is [`playbook`]'s.

pub mod codes;
pub mod coverage;
mod expect;
pub mod file;
pub mod from_run;
pub mod incident;
pub mod playbook;
pub mod portal;
pub mod report;
pub mod run;
pub mod schema;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::UpdatedBySource;
use crate::syntax::Span;

pub use coverage::Coverage;
pub use expect::{Check, Expectation, Field, ListKind, Mode, EXCLUSIVE_KEYS, EXPECT_KEYS};
pub use file::decode;
pub use playbook::{PlaybookCase, UnfinishedPlaybookCase};
pub use run::{check_rule_names, run_case, run_case_with, CaseResult, Extras, Mismatch};

/// The clock of a test that names none, in its file or itself: fixed, so results never
/// depend on the day the tests run.
pub const DEFAULT_NOW: &str = "2026-06-01T00:00:00Z";

pub use crate::syntax::Text;

/// Where a test's incident comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum IncidentSource {
    /// A path relative to the test file.
    Path(Text),
    /// A mapping written in the test file, converted to JSON.
    Inline { value: Value, span: Span },
}

impl IncidentSource {
    pub fn span(&self) -> Span {
        match self {
            IncidentSource::Path(t) => t.span,
            IncidentSource::Inline { span, .. } => *span,
        }
    }
}

/// The event a test simulates.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    Created,
    /// An update; without `previous`, nothing a rule can observe changed.
    Updated {
        previous: Option<IncidentSource>,
        by: UpdatedBySource,
    },
}

/// One test case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    /// Where the case's mapping starts.
    pub span: Span,
    pub incident: IncidentSource,
    /// Resolved: the case's own, the file's, or [`DEFAULT_NOW`].
    pub now: DateTime<Utc>,
    pub trigger: Trigger,
    /// In the order written.
    pub expect: Vec<Expectation>,
}

/// A rule test with errors (reported when it was decoded), as far as it decoded: the incident
/// files it names and the rule names of its expectations are still checked, so that one run
/// reports every problem of a test file. Never run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnfinishedCase {
    /// `None` when it is missing or not a text.
    pub name: Option<String>,
    /// Where the test's mapping starts.
    pub span: Span,
    pub incident: Option<IncidentSource>,
    pub previous: Option<IncidentSource>,
    /// The expectations that decoded.
    pub expect: Vec<Expectation>,
}

/// A decoded test file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestFile {
    pub path: String,
    /// Rule paths as written (relative to the test file); empty in a file of playbook tests
    /// only.
    pub rules: Vec<Text>,
    /// Where `rules` was written, for diagnostics about the rule set.
    pub rules_span: Option<Span>,
    /// Playbook and mocks paths as written (relative to the test file): with playbooks,
    /// `run_playbook` actions run them.
    pub playbooks: Vec<Text>,
    pub mocks: Vec<Text>,
    /// The rule tests, in the order written.
    pub cases: Vec<Case>,
    /// The playbook tests ([`playbook`]), in the order written.
    pub playbook_cases: Vec<PlaybookCase>,
    /// The rule tests and the playbook tests with errors, as far as they decoded (a file that
    /// has any is not run).
    pub unfinished_cases: Vec<UnfinishedCase>,
    pub unfinished_playbook_cases: Vec<UnfinishedPlaybookCase>,
}
