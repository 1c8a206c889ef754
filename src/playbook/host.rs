//! [`Catalog`]: the loaded playbooks, mocks, settings and secrets of a run of rules, as the
//! engine's [`PlaybookHost`]. A rule's `run_playbook` action runs the named playbook on the
//! incident in hand, as Sentinel would:
//!
//! - only incident-trigger playbooks run from incident rules ("Playbooks using this trigger
//!   can't be called by automation rules" for the alert trigger, and the rule's playbook list
//!   offers only incident-trigger playbooks; `validate` reports the others, SR038);
//! - Sentinel needs explicit permission on the playbook's resource group: without it the run
//!   is recorded as failed with the reason, and the incident is not changed;
//! - a disabled Logic App is not triggered: recorded as failed too.
//!
//! Stage: runtime glue. No I/O: the caller reads the files and the environment.

use std::collections::BTreeMap;

use serde_json::json;

use crate::engine::{PlaybookCall, PlaybookHost, PlaybookRun, RunRecord};
use crate::model::time::stamp;
use crate::model::{Alert, RunStatus};
use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::expr::{format_guid, GuidSource};
use crate::playbook::model::{Playbook, TriggerKind};
use crate::playbook::run::{self, trigger, Options, Start};
use crate::playbook::settings::Settings;

/// Playbooks by name, with what their runs need.
#[derive(Debug, Clone)]
pub struct Catalog {
    playbooks: Vec<Playbook>,
    /// Lower-cased name -> index (Logic Apps workflow names are case-insensitive).
    by_name: BTreeMap<String, usize>,
    pub mocks: Mocks,
    pub settings: Settings,
    /// Run options; `now` is replaced by each run's start.
    pub options: Options,
    /// The incident provider name playbooks see, when the portal fixes it (`--portal
    /// defender`: Microsoft XDR); the incident the run hands back keeps its own.
    pub provider: Option<&'static str>,
}

impl Catalog {
    /// A catalog of `playbooks`; the first of two playbooks with one name wins (the caller
    /// reports duplicates).
    pub fn new(playbooks: Vec<Playbook>, mocks: Mocks, settings: Settings, options: Options) -> Catalog {
        let mut by_name = BTreeMap::new();
        for (i, p) in playbooks.iter().enumerate() {
            by_name.entry(p.name.to_lowercase()).or_insert(i);
        }
        Catalog { playbooks, by_name, mocks, settings, options, provider: None }
    }

    /// Every playbook, in load order.
    pub fn playbooks(&self) -> &[Playbook] {
        &self.playbooks
    }

    /// The playbook named `name`, ignoring case.
    pub fn get(&self, name: &str) -> Option<&Playbook> {
        self.by_name.get(&name.to_lowercase()).and_then(|&i| self.playbooks.get(i))
    }

    /// The environment variables the playbooks' secrets refer to.
    pub fn env_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.playbooks.iter().flat_map(|p| p.secrets.env_names()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// Why Sentinel would not start `playbook` from an automation rule on incidents, or on
    /// alerts when `on_alert`, if it would not: the trigger must fit, the Logic App must be
    /// enabled, and Sentinel must hold permission on its resource group.
    pub fn refusal(&self, playbook: &Playbook, on_alert: bool) -> Option<String> {
        if on_alert {
            if let Some(reason) = trigger::refuse_alert(playbook) {
                return Some(reason);
            }
        } else if playbook.trigger_kind() != TriggerKind::Incident {
            return Some(format!(
                "playbook '{}' has the {} trigger, not the Microsoft Sentinel incident trigger; automation rules on incidents run only incident-trigger playbooks",
                playbook.name,
                playbook.trigger_kind().as_str()
            ));
        }
        if !playbook.enabled {
            return Some(format!("playbook '{}' is disabled: a disabled Logic App is not triggered", playbook.name));
        }
        self.settings.refuse_resource_group(playbook.resource_group.as_deref())
    }
}

impl PlaybookHost for Catalog {
    fn run(&self, call: PlaybookCall<'_>) -> PlaybookRun {
        let Some(playbook) = self.get(call.playbook) else {
            return refused(&call, call.playbook.to_owned(), format!("playbook '{}' is not loaded", call.playbook));
        };
        if let Some(reason) = self.refusal(playbook, call.alert.is_some()) {
            return refused(&call, playbook.name.clone(), reason);
        }
        let options = Options { now: call.start, ..self.options.clone() };
        let start = match (call.alert, call.alert_incident) {
            (Some(alert), Some(incident)) => Start::AlertIn { alert: alert.clone(), incident: incident.clone() },
            (Some(alert), None) => Start::Alert(alert.clone()),
            (None, _) => {
                let mut incident = call.incident.clone();
                if let Some(provider) = self.provider {
                    incident.set_field("providerName", provider);
                }
                Start::Incident(incident)
            }
        };
        let input = run::start_input(&start);
        let mut outcome = run::run(playbook, start, &self.mocks, &options);
        if let (Some(_), Some(incident)) = (self.provider, outcome.incident.as_mut()) {
            incident.restore_field("providerName", call.incident.field_value("providerName"));
        }
        let log = json!({"run": outcome.log, "changes": outcome.changes, "input": input});
        let error = outcome.log.error.as_ref().map(|e| e.message.clone());
        let mut notes = Vec::new();
        if !outcome.log.unmocked.is_empty() {
            let calls = &outcome.log.unmocked;
            notes.push(format!("{} call(s) not mocked: {}", calls.len(), run::log::counted_names(calls)));
        }
        if !outcome.log.inferred.is_empty() {
            let calls = &outcome.log.inferred;
            notes.push(format!(
                "{} call(s) answered by inferred mocks: {}",
                calls.len(),
                run::log::counted_names(calls)
            ));
        }
        notes.extend(outcome.log.warnings.iter().cloned());
        let changed = !outcome.changes.is_empty();
        PlaybookRun {
            incident: if changed { outcome.incident } else { None },
            record: RunRecord {
                playbook: playbook.name.clone(),
                rule: call.rule.to_owned(),
                run_id: outcome.log.run_id.clone(),
                status: outcome.log.status,
                error,
                notes,
                unmocked: outcome.log.unmocked.len(),
                inferred: outcome.log.inferred.len(),
                warnings: outcome.log.warnings.len(),
                start: call.start,
                end: outcome.end,
                log,
            },
            changes: outcome.changes,
        }
    }
}

/// A run refused before it started (playbook not loaded, disabled, not permitted, wrong
/// trigger): Failed, with the reason as its error and a run log without steps.
fn refused(call: &PlaybookCall<'_>, playbook: String, reason: String) -> PlaybookRun {
    let start = stamp(call.start);
    let subject = call.alert.and_then(Alert::name).or_else(|| call.incident.name()).unwrap_or_default();
    let seed: [&[u8]; 4] = [b"refused", playbook.as_bytes(), subject.as_bytes(), start.as_bytes()];
    let run_id = format_guid(GuidSource::from_inputs(&seed).next_guid(), "N").unwrap_or_default().to_uppercase();
    // The run log of a run that never started: no steps, the reason as its error.
    let log = json!({
        "run": {
            "playbook": playbook,
            "runId": run_id,
            "status": RunStatus::Failed,
            "error": {"code": "PlaybookNotRun", "message": reason},
            "startTime": start,
            "endTime": start,
            "duration": "PT0S",
            "steps": [],
        },
        "changes": [],
    });
    PlaybookRun {
        incident: None,
        changes: Vec::new(),
        record: RunRecord {
            playbook,
            rule: call.rule.to_owned(),
            run_id,
            status: RunStatus::Failed,
            error: Some(reason),
            notes: Vec::new(),
            unmocked: 0,
            inferred: 0,
            warnings: 0,
            start: call.start,
            end: call.start,
            log,
        },
    }
}
