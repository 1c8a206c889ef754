//! Printing the dry-run report while the batch runs, so that memory holds a window of reports,
//! not the run.
//!
//! Human form: the reports are held while there are at most [`TABLE_MAX`] of them, and a run
//! that ends there gets one table (its columns are as wide as their widest cell, so it needs
//! every row). A run that goes past it prints, from then on, one block per incident that would
//! change (the held ones first) as it comes. Either way the totals close the report.
//!
//! JSON: one document, `{"dryRun": true, "incidents": [...], "summary": {...}}`, written
//! incident by incident, the same bytes as if it had been built whole.

use std::io::Write;

use anyhow::Context;
use serde_json::{json, Value};

use crate::io::JsonDocument;

use super::{describe_cut, IncidentReport};
use crate::cli::prelude::ReportFormat;
use crate::cli::prelude::{Progress, RunCounts};
use crate::cli::report::{new_table, write_table};

/// Incidents up to which the human report is a table; past it, blocks.
pub const TABLE_MAX: usize = 200;

/// Characters of a value shown in the table and the blocks (`--format json` keeps them whole).
const VALUE_MAX: usize = 100;

const CANNOT_WRITE: &str = "cannot write the report";

/// The dry-run report of one run, printed as the reports come.
pub struct ReportWriter<'a, W: Write> {
    format: ReportFormat,
    out: W,
    /// A progress bar drawn on the same terminal: each piece of output is printed above it.
    progress: Option<&'a Progress>,
    /// Human form, at most [`TABLE_MAX`] incidents so far: the table's rows.
    held: Vec<IncidentReport>,
    /// Human form past [`TABLE_MAX`]: blocks.
    blocks: bool,
    /// JSON form, once the document is open.
    json: Option<JsonDocument>,
    incidents: usize,
    changed: usize,
    changes: usize,
}

impl<'a, W: Write> ReportWriter<'a, W> {
    /// A report in `format` to `out`; `progress`: a bar drawn on the terminal `out` goes to.
    pub fn new(format: ReportFormat, out: W, progress: Option<&'a Progress>) -> Self {
        ReportWriter {
            format,
            out,
            progress,
            held: Vec::new(),
            blocks: false,
            json: None,
            incidents: 0,
            changed: 0,
            changes: 0,
        }
    }

    /// The next incident's report.
    pub fn push(&mut self, report: IncidentReport) -> anyhow::Result<()> {
        let changes: usize = report.fired.iter().map(|f| f.changes.len()).sum();
        self.incidents += 1;
        self.changed += usize::from(changes > 0);
        self.changes += changes;
        match self.format {
            ReportFormat::Json => {
                let mut bytes = Vec::new();
                let mut doc = self.open_json(&mut bytes)?;
                doc.push(&mut bytes, &report).context(CANNOT_WRITE)?;
                self.json = Some(doc);
                self.emit(&bytes)
            }
            ReportFormat::Human if self.blocks => self.block(&report),
            ReportFormat::Human => {
                self.held.push(report);
                if self.held.len() > TABLE_MAX {
                    self.blocks = true;
                    for held in std::mem::take(&mut self.held) {
                        self.block(&held)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// The JSON document, opened (into `bytes`) if this is its first piece.
    fn open_json(&mut self, bytes: &mut Vec<u8>) -> anyhow::Result<JsonDocument> {
        match self.json.take() {
            Some(doc) => Ok(doc),
            None => JsonDocument::open(bytes, &[("dryRun", &Value::Bool(true))], "incidents").context(CANNOT_WRITE),
        }
    }

    /// Closes the report: the table or the totals; `runs` are the run's playbook runs,
    /// `order_dependent` the incidents whose outcome depends on the order of tied rules
    /// (`--ties permute`).
    pub fn finish(mut self, runs: RunCounts, order_dependent: usize) -> anyhow::Result<()> {
        let mut bytes = Vec::new();
        if self.format == ReportFormat::Json {
            let mut summary = json!({ "incidents": self.incidents, "changed": self.changed, "changes": self.changes });
            if let (true, Some(map)) = (runs.runs > 0, summary.as_object_mut()) {
                map.insert("playbookRuns".into(), runs.runs.into());
                map.insert("playbookRunsFailed".into(), runs.failed.into());
                map.insert("playbookCallsNotMocked".into(), runs.unmocked.into());
                if runs.inferred > 0 {
                    map.insert("playbookCallsInferred".into(), runs.inferred.into());
                }
                map.insert("playbookRunsWithWarnings".into(), runs.warned.into());
            }
            if let (true, Some(map)) = (order_dependent > 0, summary.as_object_mut()) {
                map.insert("orderDependent".into(), order_dependent.into());
            }
            let doc = self.open_json(&mut bytes)?;
            doc.close(&mut bytes, &[("summary", &summary)]).context(CANNOT_WRITE)?;
        } else {
            if !self.blocks {
                write_table(&mut bytes, &table(&self.held)).context(CANNOT_WRITE)?;
            }
            // The dry run keeps no history: each run's warnings are in its note above.
            let (incidents, changed, changes) = (self.incidents, self.changed, self.changes);
            let runs = runs.clause(false);
            let ties = match order_dependent {
                0 => String::new(),
                n => format!("; {n} incident(s) whose outcome depends on the order of tied rules"),
            };
            writeln!(
                bytes,
                "{incidents} incident(s), {changed} would change, {changes} change(s){runs}{ties}; dry run: nothing was written"
            )
            .context(CANNOT_WRITE)?;
        }
        self.emit(&bytes)?;
        self.out.flush().context(CANNOT_WRITE)
    }

    /// Prints the block of an incident that would change; nothing for the others.
    fn block(&mut self, report: &IncidentReport) -> anyhow::Result<()> {
        if report.fired.iter().all(|f| f.changes.is_empty()) {
            return Ok(());
        }
        let id = report.incident_number.map(|n| n.to_string()).or_else(|| report.incident.clone());
        let id = id.map(|id| format!(" {id}")).unwrap_or_default();
        let title = report.title.as_deref().unwrap_or("(no title)");
        let mut text = format!("Incident{id} ({}): {title}\n", report.file);
        for fired in &report.fired {
            text.push_str(&format!("  {}\n", rule_label(fired.order, &fired.rule, fired.trigger)));
            if fired.changes.is_empty() {
                text.push_str("    no change (already so)\n");
            }
            for change in &fired.changes {
                text.push_str(&format!("    {}\n", describe_cut(change, VALUE_MAX)));
            }
        }
        text.push('\n');
        self.emit(text.as_bytes())
    }

    /// Writes a piece of the report, above the progress bar if one is drawn.
    fn emit(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let out = &mut self.out;
        match self.progress {
            Some(progress) => progress.suspend(|| out.write_all(bytes).and_then(|()| out.flush())),
            None => out.write_all(bytes),
        }
        .context(CANNOT_WRITE)
    }
}

/// The report on standard output (buffered; flushed above the bar when one is drawn there).
pub type Stdout = std::io::BufWriter<std::io::StdoutLock<'static>>;

impl<'a> ReportWriter<'a, Stdout> {
    /// A report in `format` on standard output, above `progress`'s bar if it is drawn there.
    pub fn stdout(format: ReportFormat, progress: Option<&'a Progress>) -> Self {
        let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        ReportWriter::new(format, out, progress.and_then(Progress::above_stdout))
    }
}

/// A rule as the report names it: `order name`, and `(updated)` for an update-trigger rule.
fn rule_label(order: u32, rule: &str, trigger: &str) -> String {
    format!("{order} {rule}{}", if trigger == "updated" { " (updated)" } else { "" })
}

/// The table of a small run: one row per change, the incident and rule on their first row.
fn table(reports: &[IncidentReport]) -> comfy_table::Table {
    let mut table = new_table(["Incident", "Title", "Rule", "Change"]);
    for inc in reports {
        let number = inc.incident_number.map_or_else(|| inc.incident.clone().unwrap_or_default(), |n| n.to_string());
        let title = inc.title.clone().unwrap_or_default();
        if inc.fired.is_empty() {
            table.add_row([number.as_str(), title.as_str(), "-", "no rule fired"]);
            continue;
        }
        let mut first = true;
        for fired in &inc.fired {
            let rule = rule_label(fired.order, &fired.rule, fired.trigger);
            let lines: Vec<String> = if fired.changes.is_empty() {
                vec!["no change (already so)".to_owned()]
            } else {
                fired.changes.iter().map(|c| describe_cut(c, VALUE_MAX)).collect()
            };
            for (i, line) in lines.iter().enumerate() {
                let (n, t) = if first { (number.as_str(), title.as_str()) } else { ("", "") };
                let r = if i == 0 { rule.as_str() } else { "" };
                table.add_row([n, t, r, line.as_str()]);
                first = false;
            }
        }
    }
    table
}
