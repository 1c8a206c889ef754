//! Exit codes and printing of diagnostics to the terminal.

use std::io::IsTerminal;

use crate::diagnostic::{self, Diagnostic, Sources};

/// The process exit code (SPEC 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Success = 0,
    /// Findings: invalid rules, failed tests, incidents that could not be processed.
    Findings = 1,
    /// Usage errors or unreadable input.
    Usage = 2,
}

/// True when standard error should get colour: a terminal, and NO_COLOR unset.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// True when standard output is a terminal (tables with borders, colour).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// Prints diagnostics to standard error, sorted, with a closing count line.
pub fn print_diagnostics(diags: &mut [Diagnostic], sources: &Sources) {
    if diags.is_empty() {
        return;
    }
    diagnostic::sort(diags);
    let text = diagnostic::render_human(diags, sources, stderr_color());
    eprint!("{text}");
    let (errors, warnings) = diagnostic::counts(diags);
    if errors > 0 {
        eprintln!("{errors} error(s), {warnings} warning(s)");
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
