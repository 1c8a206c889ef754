//! `apply --alerts PATH...`: runs the `on: alerts` rules on each alert (SecurityAlert shape:
//! REST entities as `GetAllIncidentAlerts` returns them, bare properties, or SecurityAlert table
//! rows; JSON, arrays, JSON Lines, `{"value": [...]}` lists and REST example files). Alert rules
//! only run playbooks, so the alerts are not rewritten: the audit log records each playbook run
//! requested (with the alert's name as `incident`), and `--dry-run` prints them per alert.

use anyhow::bail;
use serde_json::Value;

use crate::engine::{self, ChangeSource, Clock, Options as EngineOptions, PlaybookHost};
use crate::model::{alert, Alert};
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
            let host = catalog.map(|c| (c as &dyn PlaybookHost, &alert));
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
