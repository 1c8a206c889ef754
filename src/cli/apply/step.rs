//! What `apply` does with one incident, on a worker thread of the batch: run the rules with the
//! configured event ([`process_value`]), then keep what the run writes (the incident, its audit
//! lines, its history records: [`ApplyStep`]) or what the dry run reports ([`DryRunStep`]).

use serde_json::Value;

use crate::batch::{Done, Step};
use crate::engine::ties::{self, Dependence};
use crate::engine::{self, Event, Fired, PlaybookHost, RunRecord};
use crate::io::tape::Val;
use crate::io::InputFile;
use crate::model::Change;
use crate::model::{Incident, IncidentRead, RawIncident, Update, UpdatedBySource};

use super::audit::{self, AuditFormat};
use super::summary::Tally;
use super::ties::OrderDependence;
use super::ApplyConfig;
use crate::cli::dry_run::IncidentReport;
use crate::cli::prelude::RunCounts;
use crate::cli::prelude::TriggerArg;

/// One processed incident.
pub struct Processed {
    /// The incident as the rules left it.
    pub incident: Incident,
    pub changes: Vec<Change>,
    pub fired: Vec<Fired>,
    /// The incident before the rules ran (kept only for `--audit-format security-incident`).
    pub before: Option<Incident>,
    /// The playbook runs, in the order they ran (with `--playbooks`).
    pub runs: Vec<RunRecord>,
    /// With `--ties permute`: the tie groups whose order decides the outcome.
    pub ties: Vec<Dependence>,
}

/// The configured event for `incident`: a creation, or an update from its `--previous`
/// version (from itself when it has none).
fn event(config: &ApplyConfig, incident: &dyn IncidentRead) -> Event {
    match config.trigger {
        TriggerArg::Created => Event::Created,
        TriggerArg::Updated => {
            let previous = incident.name().and_then(|n| config.previous.get(&n.to_lowercase()));
            let update = match previous {
                Some(prev) => Update::between(prev, incident, UpdatedBySource::Other),
                None => Update::between(incident, incident, UpdatedBySource::Other),
            };
            Event::Updated(Box::new(update))
        }
    }
}

/// Processes one incident value with the configured event.
pub fn process_value(config: &ApplyConfig, value: Value) -> Result<Processed, String> {
    let incident = Incident::from_value(value).map_err(|e| format!("invalid incident: {e}"))?;
    let event = event(config, &incident);
    let before = (config.audit_format == AuditFormat::SecurityIncident).then(|| incident.clone());
    let host = config.playbooks.as_ref().map(|c| c as &dyn PlaybookHost);
    let ties = match &config.ties {
        Some(groups) => ties::permute(&config.rules, groups, &incident, &event, config.clock, host),
        None => Vec::new(),
    };
    let outcome = engine::process_with(&config.rules, incident, &event, config.clock, config.engine, host);
    Ok(Processed {
        incident: outcome.incident,
        changes: outcome.changes,
        fired: outcome.fired,
        before,
        runs: outcome.runs,
        ties,
    })
}

/// What `apply` keeps of one incident besides the incident itself.
pub struct Applied {
    /// Its audit lines (empty without `--audit`).
    pub audit: Vec<u8>,
    /// Its playbook runs for the history (when runs are recorded).
    pub history: Vec<super::playbooks::Run>,
    pub tally: Tally,
    /// With `--ties permute`: the warnings of an incident whose outcome depends on the order
    /// of tied rules.
    pub ties: Vec<String>,
}

/// `apply`: the incident as the rules left it is the output record.
pub struct ApplyStep<'a> {
    pub config: &'a ApplyConfig,
    /// Encode audit lines (`--audit` was given).
    pub audit: bool,
}

impl ApplyStep<'_> {
    /// What `apply` keeps of an incident besides the incident itself: its audit lines (with
    /// `before`, the incident before the rules ran, in the SecurityIncident format), the
    /// `--ties permute` warnings (`name` is the incident's), the tally.
    fn applied(
        &self,
        input: &InputFile,
        name: Option<&str>,
        before: Option<&Incident>,
        changes: &[Change],
        runs: &[RunRecord],
        ties: &[Dependence],
    ) -> Result<Applied, String> {
        let ties = ties.iter().map(|d| OrderDependence::of(d).message(&input.display, name)).collect();
        let audit = if self.audit { audit::encode(self.config.audit_format, before, changes)? } else { Vec::new() };
        Ok(Applied { audit, history: Vec::new(), tally: Tally::of(changes, runs), ties })
    }
}

impl Step for ApplyStep<'_> {
    type Item = Applied;

    fn run(&self, value: Value, input: &InputFile) -> Result<Done<Applied>, String> {
        let p = process_value(self.config, value)?;
        let mut applied = self.applied(input, p.incident.name(), p.before.as_ref(), &p.changes, &p.runs, &p.ties)?;
        if let (Some(catalog), Some(history)) = (&self.config.playbooks, &self.config.history) {
            applied.history = super::playbooks::runs(catalog, p.runs, &p.incident, history)?;
        }
        Ok(Done { record: Some(p.incident.into_value()), item: applied })
    }

    /// The splice path, for every run without playbooks (they read and write whole incidents
    /// and run on the tree).
    fn splices(&self) -> bool {
        self.config.playbooks.is_none()
    }

    fn run_in_place(&self, record: Val<'_>, input: &InputFile, out: &mut Vec<u8>) -> Option<Result<Applied, String>> {
        let config = self.config;
        let incident = RawIncident::read(record)?;
        // The SecurityIncident rows hold the incident as it stood after each change.
        let before = match (self.audit, config.audit_format) {
            (true, AuditFormat::SecurityIncident) => {
                Some(Incident::from_value(serde_json::from_str(record.text()).ok()?).ok()?)
            }
            _ => None,
        };
        let event = event(config, &incident);
        let ties = match &config.ties {
            Some(groups) => ties::permute(&config.rules, groups, &incident, &event, config.clock, None),
            None => Vec::new(),
        };
        let outcome = engine::process_target(&config.rules, incident, &event, config.clock);
        outcome.incident.write(out);
        let name = outcome.incident.name();
        Some(self.applied(input, name.as_deref(), before.as_ref(), &outcome.changes, &outcome.runs, &ties))
    }
}

/// `apply --dry-run`: the incident's report, nothing written.
pub struct DryRunStep<'a> {
    pub config: &'a ApplyConfig,
}

impl Step for DryRunStep<'_> {
    type Item = (IncidentReport, RunCounts);

    fn run(&self, value: Value, input: &InputFile) -> Result<Done<Self::Item>, String> {
        let p = process_value(self.config, value)?;
        let runs = RunCounts::of(&p.runs);
        Ok(Done { record: None, item: (IncidentReport::new(&input.display, p), runs) })
    }
}
