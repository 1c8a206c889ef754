//! Printing the list commands of playbooks (`playbook list`, `connections list`, `runs list`):
//! a document as pretty JSON for `--format json`, otherwise a table (borders on a terminal,
//! plain columns in a pipe, as `rules list` prints) and a closing count line.

use std::io::Write;

use anyhow::Context;
use comfy_table::{presets, ContentArrangement, Table};
use serde_json::Value;

use super::super::report::stdout_is_terminal;

/// Prints `doc` (JSON) or the table with `footer`.
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
    let mut table = Table::new();
    if stdout_is_terminal() {
        table.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.load_style(presets::NOTHING);
    }
    table.set_header(header.iter().copied());
    for row in rows {
        table.add_row(row);
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end()).context("cannot write the list")?;
    }
    writeln!(out, "{footer}").context("cannot write the list")
}
