//! The run history of a state directory: every recorded playbook run in one SQLite database,
//! `<state dir>/history.sqlite` ([`Store`]).
//!
//! Stage: storage for the playbook runtime (the one part of [`crate::playbook`] that touches
//! files). It prints nothing: what the caller should say (a migration, damaged old files) comes
//! back as values.
//!
//! - **Records.** A [`Record`] holds the run log, the audit records of the run's changes, what
//!   the run was about (playbook, its file, incident) and what it started from (the incident or
//!   alert as given). A run id is a function of the run's
//!   inputs (playbook, payload, clock, mocks), so the same run again replaces its record (the
//!   record's key is its start and run id, [`Row::key`]).
//! - **Writing in batches.** A record is encoded into a [`Row`] where it was made (on a worker
//!   thread of a batch); [`Store::insert`] writes any number of rows in one transaction, and
//!   [`Writer`] holds a window's rows and opens the store on its first commit, so a run that
//!   records nothing leaves no state directory.
//! - **Crash safety.** The database is in WAL mode: a commit is on disk when `insert` returns,
//!   and a process killed at any moment (SIGKILL) leaves a history that opens and holds every
//!   transaction committed before.
//! - **Reading.** [`Store::list`] hands the runs to a callback as the query yields them, oldest
//!   first (indexed by playbook, incident, status and start); [`Store::find`] looks a run id
//!   prefix up; [`Store::prune`] removes the runs started before a time.
//! - **The old layout** (one JSON file per run under `<state dir>/runs/`, before this store) is
//!   moved in when the store is opened ([`legacy`], [`Migration`]); files that are not records
//!   stay where they are and are reported as [`Damaged`].

mod error;
mod keep;
pub mod legacy;
mod query;
mod row;
mod store;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::RunStatus;

pub use error::Error;
pub use keep::{Counted, Keep, Kept, Policy, FIRST_KEPT};
pub use legacy::{Damaged, Migration};
pub use query::{Filter, Found, Listed};
pub use row::Row;
pub use store::{Store, Writer};

/// The default state directory, in the working directory.
pub const DEFAULT_STATE_DIR: &str = ".sentinel-soar";

/// The history's file in the state directory.
pub const FILE: &str = "history.sqlite";

/// One recorded run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub run_id: String,
    pub playbook: String,
    /// The playbook's file.
    pub file: String,
    /// The incident's name (ARM GUID) and number; for a run on an alert, the alert's name.
    pub incident: Option<String>,
    pub incident_number: Option<i64>,
    pub status: RunStatus,
    pub start_time: String,
    pub duration: String,
    /// The run log as `--format json` prints it.
    pub run: Value,
    /// The audit records of the run's changes.
    pub changes: Value,
    /// What the run started from, as given: `{"incident": ...}`, `{"alert": ...}` or both (the
    /// alert with the incident holding it), or `{"body": ...}`; `None` in records made before
    /// runs kept it. `runs show --as-test` makes a test of the run from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
}
