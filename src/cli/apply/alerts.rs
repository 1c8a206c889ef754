//! `apply --alerts PATH...`: runs the `on: alerts` rules on each alert (SecurityAlert shape:
//! REST entities as `GetAllIncidentAlerts` returns them, bare properties, or SecurityAlert table
//! rows; JSON, arrays, JSON Lines, `{"value": [...]}` lists, REST example files and Log
//! Analytics query results). Alert rules only run playbooks, so the alerts are not rewritten:
//! the audit log records each playbook run requested (with the alert's name as `incident`), and
//! `--dry-run` prints them per alert.
//!
//! The alerts go through the batch like incidents: a record of a stream (a line, an array
//! element) or a whole document is one record, which may hold several alerts.
//!
//! With `--playbooks`, `--incidents` may give the incidents that hold the alerts: an alert's
//! playbooks run with the incident whose alerts (`properties.alerts`, by `systemAlertId` or
//! name) or SecurityIncident `AlertIds` list the alert's SystemAlertId, so "Alert - Get
//! incident" answers it and the incident operations act on it. The incidents are read, not
//! rewritten: what playbooks change on them is in the audit log. An alert no given incident
//! holds runs without one, as before.
//!
//! `--portal defender`: "automation rules with alert triggers act only on Microsoft Sentinel
//! alerts" there, so no rule runs on an alert of another product ([`Portal::raises_alert_rules`]);
//! the closing line counts them.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{bail, Context};
use serde_json::Value;

use crate::batch::{self, Dest, Done, Problem, Sink, Step};
use crate::engine::{self, Clock, Options as EngineOptions, PlaybookHost};
use crate::io::{self, Document, InputFile};
use crate::model::incident::looks_like_incident;
use crate::model::ChangeSource;
use crate::model::{alert, Alert, Incident, Portal};
use crate::playbook::host::Catalog;
use crate::rules::RuleSet;
use crate::sentinel::security_incident;

use super::audit::{self, AuditFormat};
use super::playbooks::{self, History, Recorder};
use super::replay::read_inputs;
use super::{ApplyArgs, Exit, Processed};
use crate::cli::dry_run::{IncidentReport, ReportWriter, Stdout};
use crate::cli::prelude::RunCounts;

/// One alert through the rules.
struct AlertDone {
    /// Playbook runs the rules requested.
    requested: usize,
    runs: RunCounts,
    audit: Vec<u8>,
    history: Vec<playbooks::Run>,
    report: Option<IncidentReport>,
    /// Not a Microsoft Sentinel alert under `--portal defender`: no rule ran.
    skipped: bool,
}

/// The alert rules on every alert of a record.
struct AlertStep<'a> {
    rules: &'a RuleSet,
    clock: Clock,
    catalog: Option<&'a Catalog>,
    /// The incidents of `--incidents`, by the SystemAlertIds of the alerts they hold.
    holders: &'a BTreeMap<String, Incident>,
    /// Which runs are recorded in the history (`None`: none, or a dry run).
    history: Option<&'a History>,
    dry_run: bool,
    portal: Portal,
}

impl AlertStep<'_> {
    fn alert(&self, value: Value, input: &InputFile) -> Result<AlertDone, String> {
        let (alert, view) =
            Alert::from_value(value).and_then(|a| a.view().map(|view| (a, view))).map_err(|e| e.to_string())?;
        let holder = alert::fields(alert.as_value())
            .and_then(|f| alert::get(f, &["systemAlertId"]))
            .and_then(Value::as_str)
            .or_else(|| alert.name())
            .and_then(|id| self.holders.get(&id.to_ascii_lowercase()));
        let host = self.catalog.map(|c| (c as &dyn PlaybookHost, &alert, holder));
        let skipped = !self.portal.raises_alert_rules(&alert);
        let none = RuleSet::default();
        let rules = if skipped { &none } else { self.rules };
        let outcome = engine::process_alert_with(rules, view, self.clock, EngineOptions::default(), host);
        let counts = RunCounts::of(&outcome.runs);
        // The runs go to the history, or (in a dry run, which records none) to the report.
        let (history, runs) = match (self.catalog, self.history) {
            (Some(catalog), Some(history)) => {
                (playbooks::runs(catalog, outcome.runs, &outcome.incident, history)?, Vec::new())
            }
            _ => (Vec::new(), outcome.runs),
        };
        Ok(AlertDone {
            requested: outcome.changes.iter().filter(|c| c.source == ChangeSource::AutomationRule).count(),
            runs: counts,
            audit: audit::encode(AuditFormat::Jsonl, None, &outcome.changes)?,
            history,
            report: self.dry_run.then(|| {
                let p = Processed {
                    incident: outcome.incident,
                    changes: outcome.changes,
                    fired: outcome.fired,
                    before: None,
                    runs,
                    ties: Vec::new(),
                };
                IncidentReport::new(&input.display, p)
            }),
            skipped,
        })
    }
}

impl Step for AlertStep<'_> {
    /// Each alert of the record, or why it could not be read.
    type Item = (String, Vec<Result<AlertDone, String>>);

    fn run(&self, value: Value, input: &InputFile) -> Result<Done<Self::Item>, String> {
        let rows = security_incident::rows_in(value)?;
        let found: Vec<Value> = rows.iter().flat_map(alert::find_alerts).cloned().collect();
        let alerts = found.into_iter().map(|value| self.alert(value, input)).collect();
        Ok(Done { record: None, item: (input.display.clone(), alerts) })
    }

    /// A document is one record: its alerts are found in it as in a stream's records.
    fn slots(&self, _doc: &Document) -> Vec<String> {
        vec![String::new()]
    }
}

/// The audit log, the history, the report and the counts of `apply --alerts`.
struct AlertSink {
    audit: Option<Dest>,
    history: Option<Recorder>,
    report: Option<ReportWriter<'static, Stdout>>,
    /// Alerts found in the current input.
    found: usize,
    processed: usize,
    requested: usize,
    runs: RunCounts,
    /// Alerts that could not be read.
    bad: usize,
    /// Alerts no rule ran on: not Microsoft Sentinel alerts, under `--portal defender`.
    skipped: usize,
}

impl Sink<(String, Vec<Result<AlertDone, String>>)> for AlertSink {
    type Error = anyhow::Error;

    fn write(&mut self, (display, alerts): (String, Vec<Result<AlertDone, String>>)) -> anyhow::Result<()> {
        self.found += alerts.len();
        for alert in alerts {
            let done = match alert {
                Ok(done) => done,
                Err(e) => {
                    eprintln!("error: {display}: {e}");
                    self.bad += 1;
                    continue;
                }
            };
            self.processed += 1;
            self.skipped += usize::from(done.skipped);
            self.requested += done.requested;
            self.runs.add(done.runs);
            if let Some(history) = &mut self.history {
                history.add(done.history);
            }
            if let Some(dest) = &mut self.audit {
                dest.write_all(&done.audit).context("cannot write the audit log")?;
            }
            if let (Some(writer), Some(report)) = (&mut self.report, done.report) {
                writer.push(report)?;
            }
        }
        Ok(())
    }

    fn problem(&mut self, problem: &Problem<'_>) {
        eprintln!("error: {problem}");
    }

    /// One transaction of the history per window.
    fn window_done(&mut self) -> anyhow::Result<()> {
        if let Some(history) = &mut self.history {
            for line in history.commit()? {
                eprintln!("{line}");
            }
        }
        Ok(())
    }

    fn input_done(&mut self, input: &InputFile) -> anyhow::Result<()> {
        if std::mem::take(&mut self.found) == 0 {
            eprintln!("warning: {}: no alerts found", input.display);
        }
        Ok(())
    }
}

/// Runs `apply --alerts` on `jobs` worker threads.
/// With `catalog` (`--playbooks`), the rules' playbooks run on each alert; `history` is where
/// the runs are recorded.
pub fn run(
    args: &ApplyArgs,
    rules: &RuleSet,
    clock: Clock,
    catalog: Option<&Catalog>,
    history: Option<&History>,
    jobs: usize,
) -> anyhow::Result<Exit> {
    if args.out.as_deref().is_some_and(|o| o != "-") {
        bail!("--alerts writes no incidents: alert rules only run playbooks; use --audit for the record");
    }
    let inputs = io::expand_inputs(&args.alerts).map_err(|e| anyhow::anyhow!("{e}"))?;
    let history = history.filter(|_| catalog.is_some() && !args.dry_run);
    let holders = incidents_by_alert(&args.incidents)?;
    let portal = args.portal.resolve(args.config.load()?.as_ref());
    let step = AlertStep { rules, clock, catalog, holders: &holders, history, dry_run: args.dry_run, portal };
    let mut sink = AlertSink {
        audit: args.audit.as_deref().filter(|_| !args.dry_run).map(Dest::target).transpose()?,
        history: history.map(Recorder::new),
        report: args.dry_run.then(|| ReportWriter::stdout(args.report_format(), None)),
        found: 0,
        processed: 0,
        requested: 0,
        runs: RunCounts::default(),
        bad: 0,
        skipped: 0,
    };
    let config =
        batch::Config { inputs: &inputs, jobs, window_per_job: batch::WINDOW_PER_JOB, out: None, rejects: None };
    let records = batch::run(&config, &step, &mut sink)?;
    sink.window_done()?;
    if let Some(audit) = sink.audit {
        audit.commit()?;
    }
    if sink.skipped > 0 {
        eprintln!(
            "note: {} alert(s) are not Microsoft Sentinel alerts: in the Defender portal, alert-trigger rules act only on Sentinel alerts, so no rule ran on them (--portal defender)",
            sink.skipped
        );
    }
    match sink.report {
        Some(writer) => writer.finish(sink.runs, 0)?,
        None => {
            let (count, requested) = (sink.processed, sink.requested);
            let clause = sink.runs.clause(history.is_some());
            let kept = sink.history.as_ref().map(Recorder::clause).unwrap_or_default();
            eprintln!("{count} alert(s) processed, {requested} playbook run(s) requested{clause}{kept}");
        }
    }
    Ok(if sink.bad > 0 || !records.clean() { Exit::Findings } else { Exit::Success })
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
