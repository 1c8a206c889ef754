//! The hook through which a rule's `run_playbook` action runs a playbook, and Sentinel's
//! pacing of the rule's next action on the simulated clock.
//!
//! The engine does not know how playbooks run: the caller hands it a [`PlaybookHost`] (the
//! playbook runtime with its mocks, settings and secrets, see
//! [`crate::playbook::host`]). Without a host a `run_playbook` action is only recorded as a
//! requested run, as before playbooks were loaded.
//!
//! Pacing (Sentinel docs, "Automate threat response with automation rules", playbook action
//! table; SPEC 2): after a playbook action the rule's next action starts
//! - immediately after the playbook completes when it ran under one second;
//! - at most two minutes after the playbook began, and no later than 10 seconds after it
//!   completed, when it ran under two minutes;
//! - two minutes after the playbook began, regardless of completion, when it ran longer.
//!
//! This tool runs a playbook to its end before the rule goes on, so a playbook's changes are
//! visible to the rule's next actions and to later rules even when, in Sentinel, a playbook
//! running past two minutes would still be working (its change records keep their own
//! simulated times).

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::model::Incident;

use super::Change;

/// Runs playbooks for the engine. Implementations are pure (no I/O) and shared by the
/// worker threads.
pub trait PlaybookHost: Sync {
    /// Runs `call.playbook` on the incident in hand.
    fn run(&self, call: PlaybookCall<'_>) -> PlaybookRun;
}

/// One `run_playbook` action being carried out.
#[derive(Debug, Clone, Copy)]
pub struct PlaybookCall<'a> {
    /// The playbook (Logic Apps workflow) name as the rule writes it.
    pub playbook: &'a str,
    /// The rule whose action runs it.
    pub rule: &'a str,
    pub rule_order: u32,
    /// The incident as the rule's earlier actions and the earlier rules left it.
    pub incident: &'a Incident,
    /// When the playbook starts on the simulated clock.
    pub start: DateTime<Utc>,
}

/// What a playbook run did.
#[derive(Debug, Clone)]
pub struct PlaybookRun {
    /// The incident as the playbook left it; `None` when it was not changed.
    pub incident: Option<Incident>,
    /// One record per change the playbook made (source `playbook`).
    pub changes: Vec<Change>,
    pub record: RunRecord,
}

/// A playbook run as the outcome reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub playbook: String,
    pub rule: String,
    /// The run id (deterministic, also for a run refused before it started).
    pub run_id: String,
    /// Logic Apps run status: Succeeded, Failed, Cancelled, ... (Failed for a refused run).
    pub status: String,
    /// Why the run failed or was refused.
    pub error: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// `{"run": <run log>, "changes": [<audit records>]}`, as the run history stores it.
    pub log: Value,
}

/// When a rule's action after a playbook action starts (the pacing table above).
pub fn resume_at(start: DateTime<Utc>, end: DateTime<Utc>) -> DateTime<Utc> {
    let ran = end.signed_duration_since(start);
    if ran < Duration::seconds(1) {
        return end.max(start);
    }
    let cap = start + Duration::minutes(2);
    let after = end + Duration::seconds(10);
    cap.min(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|d| d.with_timezone(&Utc)).unwrap()
    }

    #[test]
    fn pacing_follows_sentinels_table() {
        let start = at("2026-06-01T00:00:00Z");
        // Under a second: right after completion.
        assert_eq!(resume_at(start, at("2026-06-01T00:00:00.5Z")), at("2026-06-01T00:00:00.5Z"));
        assert_eq!(resume_at(start, start), start);
        // Under two minutes: 10 s after completion, but no later than 2 min after the start.
        assert_eq!(resume_at(start, at("2026-06-01T00:00:14Z")), at("2026-06-01T00:00:24Z"));
        assert_eq!(resume_at(start, at("2026-06-01T00:01:55Z")), at("2026-06-01T00:02:00Z"));
        // Longer: 2 min after the start, regardless of completion.
        assert_eq!(resume_at(start, at("2026-06-01T00:12:00Z")), at("2026-06-01T00:02:00Z"));
    }
}
