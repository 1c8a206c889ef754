//! JSON for tools (`--format json`): one object per diagnostic with its position, and a
//! report that wraps them with the run's summary:
//! `{"diagnostics": [...], "summary": {"errors", "warnings", "files", "checked", "skipped"}}`, the
//! last two counting files by kind (`{"automation_rules": 3, "playbooks": 1}`).

use serde::Serialize;

use super::{Code, Diagnostic, Severity, Summary};

/// One diagnostic as JSON for `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: Code,
    pub message: &'a str,
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<&'a str>,
    /// The other places of a warning said once ([`super::merge_repeated_warnings`]).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub also: &'a [String],
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: &d.file,
            line: d.span.map(|s| s.line),
            column: d.span.map(|s| s.column),
            help: d.help.as_deref(),
            also: &d.also,
        }
    }
}

/// Every diagnostic of a run and its totals.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub summary: Summary,
}

/// Renders a run as pretty-printed JSON (with a final newline).
pub fn render(diags: &[Diagnostic], summary: &Summary) -> serde_json::Result<String> {
    let report = JsonReport { diagnostics: diags.iter().map(JsonDiagnostic::from).collect(), summary: summary.clone() };
    let mut text = serde_json::to_string_pretty(&report)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Span;

    #[test]
    fn wraps_diagnostics_with_the_summary() {
        let diags = [Diagnostic::warning(
            Code::SR033,
            "a.yaml",
            Some(Span { start: 0, end: 5, line: 1, column: 1 }),
            "`rules` is empty",
        )];
        let value: serde_json::Value = serde_json::from_str(&render(&diags, &Summary::of(&diags, 2)).unwrap()).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "diagnostics": [{
                    "severity": "warning", "code": "SR033", "message": "`rules` is empty", "file": "a.yaml",
                    "line": 1, "column": 1, "help": null
                }],
                "summary": {"errors": 0, "warnings": 1, "files": 2, "checked": {}, "skipped": {}}
            })
        );
    }
}
