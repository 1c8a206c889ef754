//! The `apply --dry-run` report: for every incident, the rules that fired and each change
//! (old -> new), as a table (borders on a terminal, plain when piped) or as JSON.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;
use serde_json::Value;

use crate::engine::{value_text, Change, Fired};

use super::apply::{Processed, ReportFormat};
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
pub struct ChangeReport {
    pub action: String,
    pub property: Option<String>,
    pub from: Value,
    pub to: Value,
}

impl IncidentReport {
    pub fn new(file: &str, p: Processed) -> IncidentReport {
        let mut changes = p.changes.into_iter();
        let fired = p
            .fired
            .iter()
            .map(|f: &Fired| FiredReport {
                rule: f.rule.clone(),
                order: f.order,
                trigger: f.queue.as_str(),
                changes: changes
                    .by_ref()
                    .take(f.changes)
                    .map(|c: Change| ChangeReport { action: c.action, property: c.property, from: c.from, to: c.to })
                    .collect(),
            })
            .collect();
        let inc = &p.incident;
        IncidentReport {
            file: file.to_owned(),
            incident: inc.name().map(str::to_owned),
            incident_number: inc.number(),
            title: inc.title().map(str::to_owned),
            fired,
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

/// One change in words: `severity: Medium -> High`, `labels: + pentest`.
pub(super) fn describe(c: &ChangeReport) -> String {
    match (c.property.as_deref(), &c.from) {
        (None, _) => format!("{}: {}", c.action, value_text(&c.to)),
        (Some(p @ ("labels" | "tasks")), _) => format!("{p}: + {}", value_text(&c.to)),
        (Some(p), from) => format!("{p}: {} -> {}", value_text(from), value_text(&c.to)),
    }
}

/// Prints the report to standard output.
pub fn print(report: &Report, format: ReportFormat) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let changed = report.incidents.iter().filter(|i| i.fired.iter().any(|f| !f.changes.is_empty())).count();
    let changes: usize = report.incidents.iter().flat_map(|i| &i.fired).map(|f| f.changes.len()).sum();
    if format == ReportFormat::Json {
        let doc = serde_json::json!({
            "dryRun": true,
            "incidents": report.incidents,
            "summary": { "incidents": report.incidents.len(), "changed": changed, "changes": changes },
        });
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
                fired.changes.iter().map(describe).collect()
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
    writeln!(
        out,
        "{} incident(s), {changed} would change, {changes} change(s); dry run: nothing was written",
        report.incidents.len()
    )
    .context("cannot write the report")?;
    Ok(())
}
