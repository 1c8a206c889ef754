//! Exit codes, and what every command prints the same way: diagnostics on standard error, tables
//! and lists on standard output.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use serde_json::Value;

use crate::diagnostic::{self, Diagnostic, Sources};

use super::prelude::Color;

/// The process exit code (SPEC 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Success = 0,
    /// Findings: invalid rules, failed tests, incidents that could not be processed.
    Findings = 1,
    /// Usage errors or unreadable input.
    Usage = 2,
}

/// True when standard output is a terminal (tables with borders, colour).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Prints diagnostics to standard error, sorted, with a closing count line; coloured as
/// `color.stderr` says.
pub fn print_diagnostics(diags: &mut [Diagnostic], sources: &Sources, color: Color) {
    if diags.is_empty() {
        return;
    }
    diagnostic::sort(diags);
    let text = diagnostic::render_human(diags, sources, color.stderr);
    eprint!("{text}");
    let (errors, warnings) = diagnostic::counts(diags);
    if errors > 0 {
        eprintln!("{}", diagnostic::human::problems(errors, warnings));
    }
}

/// A table for human output: box drawing on a terminal, plain space-separated columns in a pipe.
pub fn new_table<T: Into<comfy_table::Cell>>(header: impl IntoIterator<Item = T>) -> comfy_table::Table {
    use comfy_table::{presets, ContentArrangement, Table};
    let mut table = Table::new();
    if stdout_is_terminal() {
        table.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.load_style(presets::NOTHING);
    }
    table.set_header(header);
    table
}

/// Writes a table line by line without trailing blanks (plain tables pad every column).
pub fn write_table(out: &mut impl std::io::Write, table: &comfy_table::Table) -> std::io::Result<()> {
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A list command's output (`playbook list`, `connections list`, `runs list`):
/// `doc` as pretty JSON when `json`, otherwise the table and the closing `footer` line.
pub fn print_list(
    json: bool,
    doc: &Value,
    header: &[&str],
    rows: Vec<Vec<String>>,
    footer: &str,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, doc).context("cannot write the list")?;
        return writeln!(out).context("cannot write the list");
    }
    let mut table = new_table(header.iter().copied());
    for row in rows {
        table.add_row(row);
    }
    write_table(&mut out, &table).context("cannot write the list")?;
    writeln!(out, "{footer}").context("cannot write the list")
}
