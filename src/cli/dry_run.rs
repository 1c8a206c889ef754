//! The `apply --dry-run` report: for every incident, the rules that fired and each change
//! (old -> new), as a table (borders on a terminal, plain when piped) or as JSON.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;

use crate::engine::{value_text, Change, ChangeSource, Fired, RunRecord};
use crate::model::time::stamp;

use super::apply::pipeline::RunCounts;
use super::apply::Processed;
use super::prelude::ReportFormat;
use super::report::{new_table, write_table};

/// One incident's line in the report.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentReport {
    pub file: String,
    pub incident: Option<String>,
    pub incident_number: Option<i64>,
    pub title: Option<String>,
    pub fired: Vec<FiredReport>,
    /// The playbook runs (with `--playbooks`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub playbook_runs: Vec<RunReport>,
}

/// One playbook run.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub playbook: String,
    pub rule: String,
    pub run_id: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub start: String,
    pub end: String,
}

/// A rule that fired and its changes.
#[derive(Debug, Serialize)]
pub struct FiredReport {
    pub rule: String,
    pub order: u32,
    pub trigger: &'static str,
    pub changes: Vec<ChangeReport>,
}

/// One change.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeReport {
    pub action: String,
    pub property: Option<String>,
    pub from: Value,
    pub to: Value,
    /// For a change a playbook made: the playbook and its step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub playbook: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// For a run_playbook action run with `--playbooks`: how the run ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_status: Option<String>,
}

/// How each playbook run ended, in run order: `Succeeded`, `Failed: <reason>`.
pub fn run_statuses(runs: &[RunRecord]) -> std::vec::IntoIter<String> {
    let statuses: Vec<String> = runs
        .iter()
        .map(|r| {
            let mut text = match &r.error {
                Some(e) => format!("{}: {e}", r.status),
                None => r.status.clone(),
            };
            for note in &r.notes {
                text.push_str(&format!("; {note}"));
            }
            text
        })
        .collect();
    statuses.into_iter()
}

impl ChangeReport {
    /// The report of a change; a rule's run_playbook request takes the next of `runs` (each
    /// request of a run with playbooks has its run, in order).
    pub fn of(c: Change, runs: &mut impl Iterator<Item = String>) -> ChangeReport {
        let by_rule = c.source == ChangeSource::AutomationRule;
        let run_status = (by_rule && c.action == "run_playbook").then(|| runs.next()).flatten();
        ChangeReport {
            action: c.action,
            property: c.property,
            from: c.from,
            to: c.to,
            playbook: if by_rule { None } else { c.playbook },
            step: c.step,
            run_status,
        }
    }
}

impl IncidentReport {
    pub fn new(file: &str, p: Processed) -> IncidentReport {
        let mut changes = p.changes.into_iter();
        let mut runs = run_statuses(&p.runs);
        let mut change = |c: Change| ChangeReport::of(c, &mut runs);
        let fired = p
            .fired
            .iter()
            .map(|f: &Fired| FiredReport {
                rule: f.rule.clone(),
                order: f.order,
                trigger: f.queue.as_str(),
                changes: changes.by_ref().take(f.changes).map(&mut change).collect(),
            })
            .collect();
        let playbook_runs = p
            .runs
            .iter()
            .map(|r| RunReport {
                playbook: r.playbook.clone(),
                rule: r.rule.clone(),
                run_id: r.run_id.clone(),
                status: r.status.clone(),
                error: r.error.clone(),
                notes: r.notes.clone(),
                start: stamp(r.start),
                end: stamp(r.end),
            })
            .collect();
        let inc = &p.incident;
        IncidentReport {
            file: file.to_owned(),
            incident: inc.name().map(str::to_owned),
            incident_number: inc.number(),
            title: inc.title().map(str::to_owned),
            fired,
            playbook_runs,
        }
    }
}

/// Every incident of the run, when collecting (dry runs only).
#[derive(Debug, Default)]
pub struct Report {
    pub enabled: bool,
    pub incidents: Vec<IncidentReport>,
}

impl Report {
    pub fn push(&mut self, make: impl FnOnce() -> IncidentReport) {
        if self.enabled {
            self.incidents.push(make());
        }
    }
}

/// One change in words: `severity: Medium -> High`, `labels: + pentest`; a playbook run
/// with how it ended, a playbook's change under its playbook and step.
pub(super) fn describe(c: &ChangeReport) -> String {
    describe_cut(c, usize::MAX)
}

/// [`describe`] with each value cut to `max` characters.
fn describe_cut(c: &ChangeReport, max: usize) -> String {
    let (from, to) = (short(value_text(&c.from), max), short(value_text(&c.to), max));
    let text = match c.property.as_deref() {
        None => format!("{}: {to}", c.action),
        Some(p @ ("labels" | "tasks" | "comments")) => format!("{p}: + {to}"),
        Some(p) => format!("{p}: {from} -> {to}"),
    };
    match (&c.playbook, &c.run_status) {
        (Some(playbook), _) => format!("  {playbook} / {}: {text}", c.step.as_deref().unwrap_or("-")),
        (None, Some(status)) => format!("{text} ({status})"),
        (None, None) => text,
    }
}

/// A value cut to `max` characters (playbook comments are whole HTML documents).
fn short(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Prints the report to standard output.
pub fn print(report: &Report, format: ReportFormat, counts: RunCounts) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let changed = report.incidents.iter().filter(|i| i.fired.iter().any(|f| !f.changes.is_empty())).count();
    let changes: usize = report.incidents.iter().flat_map(|i| &i.fired).map(|f| f.changes.len()).sum();
    if format == ReportFormat::Json {
        let mut summary =
            serde_json::json!({ "incidents": report.incidents.len(), "changed": changed, "changes": changes });
        if let (true, Some(map)) = (counts.runs > 0, summary.as_object_mut()) {
            map.insert("playbookRuns".into(), counts.runs.into());
            map.insert("playbookRunsFailed".into(), counts.failed.into());
            map.insert("playbookCallsNotMocked".into(), counts.unmocked.into());
            if counts.inferred > 0 {
                map.insert("playbookCallsInferred".into(), counts.inferred.into());
            }
            map.insert("playbookRunsWithWarnings".into(), counts.warned.into());
        }
        let doc = serde_json::json!({ "dryRun": true, "incidents": report.incidents, "summary": summary });
        serde_json::to_writer_pretty(&mut out, &doc).context("cannot write the report")?;
        writeln!(out).context("cannot write the report")?;
        return Ok(());
    }
    let mut table = new_table(["Incident", "Title", "Rule", "Change"]);
    for inc in &report.incidents {
        let number = inc.incident_number.map_or_else(|| inc.incident.clone().unwrap_or_default(), |n| n.to_string());
        let title = inc.title.clone().unwrap_or_default();
        if inc.fired.is_empty() {
            table.add_row([number.as_str(), title.as_str(), "-", "no rule fired"]);
            continue;
        }
        let mut first = true;
        for fired in &inc.fired {
            let rule =
                format!("{} {}{}", fired.order, fired.rule, if fired.trigger == "updated" { " (updated)" } else { "" });
            let lines: Vec<String> = if fired.changes.is_empty() {
                vec!["no change (already so)".to_owned()]
            } else {
                // Values are cut for the table; `--format json` keeps them whole.
                fired.changes.iter().map(|c| describe_cut(c, 100)).collect()
            };
            for (i, line) in lines.iter().enumerate() {
                let (n, t) = if first { (number.as_str(), title.as_str()) } else { ("", "") };
                let r = if i == 0 { rule.as_str() } else { "" };
                table.add_row([n, t, r, line.as_str()]);
                first = false;
            }
        }
    }
    write_table(&mut out, &table).context("cannot write the report")?;
    // The dry run keeps no history: each run's warnings are in its note in the table above.
    let runs = counts.clause(false);
    writeln!(
        out,
        "{} incident(s), {changed} would change, {changes} change(s){runs}; dry run: nothing was written",
        report.incidents.len()
    )
    .context("cannot write the report")?;
    Ok(())
}
