//! `runs list`: the runs a filter selects, printed as the history yields them, so that a
//! history of any size starts printing at once in bounded memory.
//!
//! Human form: up to [`TABLE_MAX`] runs, one table as every list prints (its columns are as
//! wide as their widest cell, so it needs every row). Past it, plain columns as wide as those of
//! the first [`TABLE_MAX`] runs (a longer cell later widens its own line only), printed as they
//! come, without borders even on a terminal. `--format json`: one document `{"runs": [...]}`,
//! written run by run, the same bytes as if it had been built whole.

use std::io::Write;

use anyhow::Context;
use serde_json::json;

use crate::io::JsonDocument;
use crate::playbook::history::{Filter, Listed};

use super::ListArgs;
use crate::cli::playbook::tree::human;
use crate::cli::prelude::{history, ReportFormat};
use crate::cli::report::{new_table, write_table, Exit};

/// Runs up to which the human list is one table; past it, plain columns as they come.
pub const TABLE_MAX: usize = 200;

const HEADER: [&str; 6] = ["Run", "Playbook", "Incident", "Status", "Start", "Duration"];

const CANNOT_WRITE: &str = "cannot write the list";

pub fn run(args: ListArgs) -> anyhow::Result<Exit> {
    let (store, damaged) = history::open_existing(&args.state_dir)?;
    for d in damaged {
        eprintln!("warning: {d}");
    }
    let filter = Filter {
        playbook: args.playbook,
        incident: args.incident,
        status: args.status.map(Into::into),
        since: args.since,
        warned: args.warned,
    };
    if store.is_none() {
        eprintln!("{}", history::no_history_note(&args.state_dir));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut printer = Printer::new(args.format);
    let count = match &store {
        Some(store) => store.list(&filter, |run| printer.push(&mut out, &run))?,
        None => 0,
    };
    printer.finish(&mut out, count)?;
    out.flush().context(CANNOT_WRITE)?;
    Ok(Exit::Success)
}

/// The list being printed.
struct Printer {
    format: ReportFormat,
    /// Human form, at most [`TABLE_MAX`] runs so far: their rows.
    held: Vec<[String; 6]>,
    /// Human form past [`TABLE_MAX`]: the column widths.
    widths: Option<[usize; 6]>,
    /// JSON form, once the document is open.
    json: Option<JsonDocument>,
}

impl Printer {
    fn new(format: ReportFormat) -> Printer {
        Printer { format, held: Vec::new(), widths: None, json: None }
    }

    fn push(&mut self, out: &mut impl Write, run: &Listed) -> anyhow::Result<()> {
        if self.format == ReportFormat::Json {
            let mut doc = self.open_json(out)?;
            let row = json!({"runId": run.run_id, "playbook": run.playbook, "incident": run.incident,
                "incidentNumber": run.incident_number, "status": run.status, "startTime": run.start_time,
                "duration": run.duration});
            doc.push(out, &row).context(CANNOT_WRITE)?;
            self.json = Some(doc);
            return Ok(());
        }
        let row = cells(run);
        if let Some(widths) = &self.widths {
            return writeln!(out, "{}", line(&row, widths)).context(CANNOT_WRITE);
        }
        self.held.push(row);
        if self.held.len() > TABLE_MAX {
            let widths = widths(&self.held);
            writeln!(out, "{}", line(&HEADER.map(str::to_owned), &widths)).context(CANNOT_WRITE)?;
            for row in std::mem::take(&mut self.held) {
                writeln!(out, "{}", line(&row, &widths)).context(CANNOT_WRITE)?;
            }
            self.widths = Some(widths);
        }
        Ok(())
    }

    fn open_json(&mut self, out: &mut impl Write) -> anyhow::Result<JsonDocument> {
        match self.json.take() {
            Some(doc) => Ok(doc),
            None => JsonDocument::open(out, &[], "runs").context(CANNOT_WRITE),
        }
    }

    /// The table (when it held every run) or nothing more, then `N run(s)`; for JSON, the end
    /// of the document.
    fn finish(mut self, out: &mut impl Write, count: usize) -> anyhow::Result<()> {
        if self.format == ReportFormat::Json {
            let doc = self.open_json(out)?;
            return doc.close(out, &[]).context(CANNOT_WRITE);
        }
        if self.widths.is_none() {
            let mut table = new_table(HEADER);
            for row in self.held {
                table.add_row(row);
            }
            write_table(out, &table).context(CANNOT_WRITE)?;
        }
        writeln!(out, "{count} run(s)").context(CANNOT_WRITE)
    }
}

/// A run's cells: the incident by number when it has one, the duration as the run tree writes
/// it (`2s`).
fn cells(run: &Listed) -> [String; 6] {
    let incident = run.incident_number.map_or_else(|| run.incident.clone().unwrap_or_default(), |n| n.to_string());
    [
        run.run_id.clone(),
        run.playbook.clone(),
        incident,
        run.status.to_string(),
        run.start_time.clone(),
        human(&run.duration),
    ]
}

/// The widest cell of each column, the header included.
fn widths(rows: &[[String; 6]]) -> [usize; 6] {
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths
}

/// A row as a plain table prints it: each cell padded to its column, one space on either side,
/// no trailing blanks.
fn line(row: &[String; 6], widths: &[usize; 6]) -> String {
    let mut text = String::new();
    for (cell, width) in row.iter().zip(widths) {
        text.push(' ');
        text.push_str(cell);
        text.extend(std::iter::repeat_n(' ', (width + 1).saturating_sub(cell.chars().count())));
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_columns_are_the_plain_table_of_the_same_rows() {
        let rows: Vec<[String; 6]> = (0..3)
            .map(|i| {
                [
                    "E747D08B".repeat(i + 1),
                    format!("Playbook-{i}"),
                    "4102".into(),
                    "Succeeded".into(),
                    "x".into(),
                    "2s".into(),
                ]
            })
            .collect();
        let mut table = comfy_table::Table::new();
        table.load_style(comfy_table::presets::NOTHING).set_header(HEADER);
        for row in &rows {
            table.add_row(row.clone());
        }
        let mut want = Vec::new();
        write_table(&mut want, &table).unwrap();
        let widths = widths(&rows);
        let mut got = line(&HEADER.map(str::to_owned), &widths) + "\n";
        for row in &rows {
            got.push_str(&line(row, &widths));
            got.push('\n');
        }
        assert_eq!(got, String::from_utf8(want).unwrap());
    }
}
