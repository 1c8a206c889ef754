//! Printing the list commands of playbooks (`playbook list`, `connections list`, `runs list`):
//! a document as pretty JSON for `--format json`, otherwise a table (borders on a terminal,
//! plain columns in a pipe, as `rules list` prints) and a closing count line.

use std::io::Write;

use anyhow::Context;
use serde_json::Value;

use super::super::report::{new_table, write_table};

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
    let mut table = new_table(header.iter().copied());
    for row in rows {
        table.add_row(row);
    }
    write_table(&mut out, &table).context("cannot write the list")?;
    writeln!(out, "{footer}").context("cannot write the list")
}
