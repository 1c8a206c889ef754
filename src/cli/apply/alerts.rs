//! `apply --alerts PATH...`: runs the `on: alerts` rules on each alert (SecurityAlert shape:
//! REST entities as `GetAllIncidentAlerts` returns them, bare properties, or SecurityAlert table
//! rows; JSON, arrays, JSON Lines, `{"value": [...]}` lists and REST example files). Alert rules
//! only run playbooks, so the alerts are not rewritten: the audit log records each playbook run
//! requested (with the alert's name as `incident`), and `--dry-run` prints them per alert.
//!
//! With `--playbooks`, `--incidents` may give the incidents that hold the alerts: an alert's
//! playbooks run with the incident whose alerts (`properties.alerts`, by `systemAlertId` or
//! name) or SecurityIncident `AlertIds` list the alert's SystemAlertId, so "Alert - Get
//! incident" answers it and the incident operations act on it. The incidents are read, not
//! rewritten: what playbooks change on them is in the audit log. An alert no given incident
//! holds runs without one, as before.

use std::collections::BTreeMap;

use anyhow::bail;
use serde_json::Value;

use crate::engine::{self, ChangeSource, Clock, Options as EngineOptions, PlaybookHost};
use crate::model::incident::looks_like_incident;
use crate::model::{alert, Alert, Incident};
use crate::playbook::host::Catalog;
use crate::rules::RuleSet;
use crate::sentinel::security_incident;

use super::audit::{self, AuditFormat};
use super::pipeline::RunCounts;
use super::replay::{read_inputs, write_to};
use super::{ApplyArgs, Exit, Processed};
use crate::cli::dry_run::{self, IncidentReport, Report};
use crate::cli::playbook::history;

/// Runs `apply --alerts`.
/// With `catalog` (`--playbooks`), the rules' playbooks run on each alert; `history` is where
/// the runs are recorded.
pub fn run(
    args: &ApplyArgs,
    rules: &RuleSet,
    clock: Clock,
    catalog: Option<&Catalog>,
    history: Option<&str>,
) -> anyhow::Result<Exit> {
    if args.out.as_deref().is_some_and(|o| o != "-") {
        bail!("--alerts writes no incidents: alert rules only run playbooks; use --audit for the record");
    }
    let mut report = Report { enabled: args.dry_run, incidents: Vec::new() };
    let (mut count, mut runs, mut bad) = (0, 0, 0);
    let mut counts = RunCounts::default();
    let mut audit_bytes = Vec::new();
    let holders = incidents_by_alert(&args.incidents)?;
    for (display, text) in read_inputs(&args.alerts)? {
        let values = security_incident::rows_of(&text).map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        let found: Vec<&Value> = values.iter().flat_map(alert::find_alerts).collect();
        if found.is_empty() {
            eprintln!("warning: {display}: no alerts found");
        }
        for value in found {
            let read = Alert::from_value(value.clone()).and_then(|a| a.view().map(|view| (a, view)));
            let (alert, view) = match read {
                Ok(found) => found,
                Err(e) => {
                    eprintln!("error: {display}: {e}");
                    bad += 1;
                    continue;
                }
            };
            let holder = alert::fields(alert.as_value())
                .and_then(|f| alert::get(f, &["systemAlertId"]))
                .and_then(Value::as_str)
                .or_else(|| alert.name())
                .and_then(|id| holders.get(&id.to_ascii_lowercase()));
            let host = catalog.map(|c| (c as &dyn PlaybookHost, &alert, holder));
            let outcome = engine::process_alert_with(rules, view, clock, EngineOptions::default(), host);
            count += 1;
            runs += outcome.changes.iter().filter(|c| c.source == ChangeSource::AutomationRule).count();
            counts.add(RunCounts::of(&outcome.runs));
            if let (Some(catalog), Some(dir), false) = (catalog, history, args.dry_run) {
                for run in &outcome.runs {
                    history::write(dir, &super::playbooks::record(catalog, run, &outcome.incident))?;
                }
            }
            audit_bytes.extend(audit::encode(AuditFormat::Jsonl, None, &outcome.changes).map_err(anyhow::Error::msg)?);
            report.push(|| {
                IncidentReport::new(
                    &display,
                    Processed {
                        incident: outcome.incident,
                        changes: outcome.changes,
                        fired: outcome.fired,
                        before: None,
                        runs: outcome.runs,
                    },
                )
            });
        }
    }
    if args.dry_run {
        dry_run::print(&report, args.report_format(), counts)?;
    } else {
        if let Some(spec) = args.audit.as_deref() {
            write_to(Some(spec), &audit_bytes)?;
        }
        let history = catalog.is_some() && !args.playbooks.no_history;
        eprintln!("{count} alert(s) processed, {runs} playbook run(s) requested{}", counts.clause(history));
    }
    Ok(if bad > 0 { Exit::Findings } else { Exit::Success })
}

/// The incidents of `--incidents`, by the (lower-cased) SystemAlertIds of the alerts they
/// hold; the first incident holding an alert wins.
fn incidents_by_alert(paths: &[String]) -> anyhow::Result<BTreeMap<String, Incident>> {
    let mut out = BTreeMap::new();
    for (display, text) in read_inputs(paths)? {
        let values = security_incident::rows_of(&text).map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        let items = values.iter().flat_map(|v| match v {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            other => other.get("value").and_then(Value::as_array).map_or_else(|| vec![other], |l| l.iter().collect()),
        });
        for value in items.filter(|v| looks_like_incident(v)) {
            let incident = Incident::from_value(value.clone())
                .map_err(|e| anyhow::anyhow!("{display}: not a usable incident: {e}"))?;
            for id in alert::incident_alert_ids(value) {
                out.entry(id.to_ascii_lowercase()).or_insert_with(|| incident.clone());
            }
        }
    }
    Ok(out)
}
