//! The `apply --dry-run` report: for every incident, the rules that fired and each change
//! (old -> new). [`IncidentReport`] is made on the batch's workers; [`print::ReportWriter`]
//! prints the reports as they come: a table for small runs (borders on a terminal, plain when
//! piped), one block per changed incident past [`print::TABLE_MAX`] incidents, or JSON.

mod print;

use serde::Serialize;
use serde_json::Value;

use crate::engine::{value_text, Fired, RunRecord};
use crate::model::time::stamp;
use crate::model::{Change, ChangeSource};

use super::apply::{OrderDependence, Processed};

pub use print::{ReportWriter, Stdout};

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
    /// With `--ties permute`: the tie groups whose order decides the outcome.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order_dependence: Vec<OrderDependence>,
}

/// One playbook run.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunReport {
    pub playbook: String,
    pub rule: String,
    pub run_id: String,
    pub status: crate::model::RunStatus,
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
                None => r.status.to_string(),
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
                status: r.status,
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
            order_dependence: p.ties.iter().map(OrderDependence::of).collect(),
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
