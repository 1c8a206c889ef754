//! `apply --alerts PATH...`: runs the `on: alerts` rules on each alert (SecurityAlert shape:
//! REST entities as `GetAllIncidentAlerts` returns them, bare properties, or SecurityAlert table
//! rows; JSON, arrays, JSON Lines, `{"value": [...]}` lists and REST example files). Alert rules
//! only run playbooks, so the alerts are not rewritten: the audit log records each playbook run
//! requested (with the alert's name as `incident`), and `--dry-run` prints them per alert.

use anyhow::bail;
use serde_json::Value;

use crate::engine::{self, Clock, Options as EngineOptions};
use crate::model::{alert, Alert};
use crate::rules::RuleSet;
use crate::sentinel::security_incident;

use super::super::dry_run::{self, IncidentReport, Report};
use super::audit::{self, AuditFormat};
use super::replay::{read_inputs, write_to};
use super::{ApplyArgs, Exit, Processed};

/// Runs `apply --alerts`.
pub fn run(args: &ApplyArgs, rules: &RuleSet, clock: Clock) -> anyhow::Result<Exit> {
    if args.out.as_deref().is_some_and(|o| o != "-") {
        bail!("--alerts writes no incidents: alert rules only run playbooks; use --audit for the record");
    }
    let mut report = Report { enabled: args.dry_run, incidents: Vec::new() };
    let (mut count, mut runs, mut bad) = (0, 0, 0);
    let mut audit_bytes = Vec::new();
    for (display, text) in read_inputs(&args.alerts)? {
        let values = security_incident::rows_of(&text).map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        let found: Vec<&Value> = values.iter().flat_map(alert::find_alerts).collect();
        if found.is_empty() {
            eprintln!("warning: {display}: no alerts found");
        }
        for value in found {
            let view = Alert::from_value(value.clone()).and_then(|a| a.view());
            let view = match view {
                Ok(view) => view,
                Err(e) => {
                    eprintln!("error: {display}: {e}");
                    bad += 1;
                    continue;
                }
            };
            let outcome = engine::process_alert(rules, view, clock, EngineOptions::default());
            count += 1;
            runs += outcome.changes.len();
            audit_bytes.extend(audit::encode(AuditFormat::Jsonl, None, &outcome.changes).map_err(anyhow::Error::msg)?);
            report.push(|| {
                IncidentReport::new(
                    &display,
                    Processed {
                        incident: outcome.incident,
                        changes: outcome.changes,
                        fired: outcome.fired,
                        before: None,
                        runs: Vec::new(),
                    },
                )
            });
        }
    }
    if args.dry_run {
        dry_run::print(&report, args.format)?;
    } else {
        if let Some(spec) = args.audit.as_deref() {
            write_to(Some(spec), &audit_bytes)?;
        }
        eprintln!("{count} alert(s) processed, {runs} playbook run(s) requested");
    }
    Ok(if bad > 0 { Exit::Findings } else { Exit::Success })
}
