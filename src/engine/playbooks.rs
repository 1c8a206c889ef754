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

use crate::model::{Alert, Change, Incident, RunStatus};

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
    /// The incident as the rule's earlier actions and the earlier rules left it (for an
    /// alert rule, the alert's incident-shaped view).
    pub incident: &'a Incident,
    /// For an alert rule, the alert the playbook runs on.
    pub alert: Option<&'a Alert>,
    /// For an alert rule, the incident that holds the alert, when it is known.
    pub alert_incident: Option<&'a Incident>,
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
    /// How the run ended (Failed for a refused run).
    pub status: RunStatus,
    /// Why the run failed or was refused.
    pub error: Option<String>,
    /// What a reader of a successful run should still know: calls that had no mock, secrets
    /// that did not resolve, expression warnings.
    pub notes: Vec<String>,
    /// External calls that had no mock (recorded as not run).
    pub unmocked: usize,
    /// External calls answered by mocks inferred from the playbook (`--infer-mocks`).
    pub inferred: usize,
    /// Warnings of the run (a secret that did not resolve, ...), also in `notes`.
    pub warnings: usize,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// `{"run": <run log>, "changes": [<audit records>]}`, as the run history stores it.
    pub log: Value,
}

impl RunRecord {
    /// Whether the run needs a look: it did not succeed, or it has notes (warnings, calls that
    /// had no mock). `apply --history failed` records these.
    pub fn needs_look(&self) -> bool {
        self.status != RunStatus::Succeeded || !self.notes.is_empty()
    }
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

/// The engine with a stub host: pacing, visibility of a playbook's changes to later rules, and
/// the update event the created queue's playbook changes raise.
#[cfg(test)]
mod engine_tests {
    use serde_json::json;

    use super::*;
    use crate::engine::{process_with, Clock, Event, Options};
    use crate::model::ChangeSource;
    use crate::rules::{self, RuleSet};

    /// A playbook that takes `seconds` and adds the label `by-<playbook>`.
    struct Stub {
        seconds: i64,
    }

    impl PlaybookHost for Stub {
        fn run(&self, call: PlaybookCall<'_>) -> PlaybookRun {
            let end = call.start + Duration::seconds(self.seconds);
            let mut incident = call.incident.clone();
            let label = format!("by-{}", call.playbook);
            let mut labels = incident.as_value()["properties"]["labels"].as_array().cloned().unwrap_or_default();
            labels.push(json!({"labelName": label, "labelType": "User"}));
            let mut value = incident.as_value().clone();
            value["properties"]["labels"] = Value::Array(labels);
            incident = Incident::from_value(value).unwrap();
            let change = Change {
                time: crate::model::time::stamp(end),
                incident: None,
                incident_number: None,
                source: ChangeSource::Playbook,
                rule: None,
                rule_order: None,
                playbook: Some(call.playbook.to_owned()),
                step: Some("Label".to_owned()),
                action: "update_incident".to_owned(),
                property: Some("labels".to_owned()),
                from: Value::Null,
                to: Value::String(label),
                modified_by: format!("Playbook - {}", call.playbook),
            };
            let record = RunRecord {
                playbook: call.playbook.to_owned(),
                rule: call.rule.to_owned(),
                run_id: "RUN".to_owned(),
                status: RunStatus::Succeeded,
                error: None,
                notes: Vec::new(),
                unmocked: 0,
                inferred: 0,
                warnings: 0,
                start: call.start,
                end,
                log: Value::Null,
            };
            PlaybookRun { incident: Some(incident), changes: vec![change], record }
        }
    }

    fn rules(text: &str) -> RuleSet {
        let mut diags = Vec::new();
        let file = rules::file::decode("r.yaml", text, &mut diags);
        let (set, more) = rules::compile(&[file], &rules::Options::default());
        assert!(diags.is_empty() && more.is_empty(), "{diags:?} {more:?}");
        set
    }

    const RULES: &str = "rules:
  - name: Run
    order: 1
    actions:
      - run_playbook: P
      - add_tags: [after-p]
  - name: Sees the playbook's label
    order: 2
    conditions: { property: IncidentLabel, operator: Contains, values: [by-P] }
    actions:
      - change_severity: High
  - name: Update from a playbook
    order: 3
    trigger: { on: incidents, when: updated }
    conditions: { property: IncidentUpdatedBySource, operator: Equals, values: [AutomationRule] }
    actions:
      - add_tags: [updated]
";

    fn times(seconds: i64) -> Vec<(String, String)> {
        let set = rules(RULES);
        let incident =
            Incident::from_value(json!({"name": "i", "properties": {"title": "t", "severity": "Low"}})).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let host = Stub { seconds };
        let out = process_with(&set, incident, &Event::Created, Clock::new(now), Options::default(), Some(&host));
        assert_eq!(out.runs.len(), 1);
        assert_eq!(out.incident.field("severity"), Some("High"), "rule 2 saw the playbook's label");
        out.changes.iter().map(|c| (c.time.clone(), format!("{} {}", c.action, c.to))).collect()
    }

    #[test]
    fn the_next_action_waits_as_sentinel_paces_it_and_later_rules_see_the_changes() {
        let t = |s: &str| s.to_owned();
        assert_eq!(
            times(30),
            [
                (t("2026-06-01T00:00:00Z"), t("run_playbook \"P\"")),
                (t("2026-06-01T00:00:30Z"), t("update_incident \"by-P\"")),
                // 10 s after the playbook ended.
                (t("2026-06-01T00:00:40Z"), t("add_tags \"after-p\"")),
                (t("2026-06-01T00:00:40Z"), t("change_severity \"High\"")),
                (t("2026-06-01T00:00:40Z"), t("add_tags \"updated\"")),
            ]
        );
        // A playbook running 10 minutes holds the rule for 2 minutes only.
        let long = times(600);
        assert_eq!(long[2], (t("2026-06-01T00:02:00Z"), t("add_tags \"after-p\"")));
    }

    #[test]
    fn changes_made_only_by_playbooks_raise_an_update_by_a_playbook() {
        let set = rules(
            "rules:
  - name: Run
    order: 1
    actions:
      - run_playbook: P
  - name: By a playbook
    order: 2
    trigger: { on: incidents, when: updated }
    conditions: { property: IncidentUpdatedBySource, operator: Equals, values: [Playbook] }
    actions:
      - add_tags: [seen]
",
        );
        let incident = Incident::from_value(json!({"name": "i", "properties": {"title": "t"}})).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").unwrap().with_timezone(&Utc);
        let out = process_with(
            &set,
            incident,
            &Event::Created,
            Clock::new(now),
            Options::default(),
            Some(&Stub { seconds: 0 }),
        );
        let fired: Vec<&str> = out.fired.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(fired, ["Run", "By a playbook"]);
    }
}
