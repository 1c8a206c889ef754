//! JSON for tools (`--format json`): one object per diagnostic with its position, and a
//! report that wraps them with the findings suppressions took (each with its `suppression`:
//! kind, reason and where it is written) and the run's summary:
//! `{"diagnostics": [...], "suppressed": [...], "summary": {"errors", "warnings", "files",
//! "checked", "skipped", "suppressed"}}`, `checked` and `skipped` counting files by kind
//! (`{"automation_rules": 3, "playbooks": 1}`).

use serde::Serialize;

use super::{Code, Diagnostic, Severity, Summary, Suppressed, Suppression};

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

/// A suppressed finding: the diagnostic's fields and the suppression that took it.
#[derive(Debug, Serialize)]
pub struct JsonSuppressed<'a> {
    #[serde(flatten)]
    pub diagnostic: JsonDiagnostic<'a>,
    pub suppression: &'a Suppression,
}

/// Every diagnostic of a run, the suppressed findings and the totals.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub suppressed: Vec<JsonSuppressed<'a>>,
    pub summary: Summary,
}

/// Renders a run as pretty-printed JSON (with a final newline).
pub fn render(diags: &[Diagnostic], suppressed: &[Suppressed], summary: &Summary) -> serde_json::Result<String> {
    let suppressed = suppressed
        .iter()
        .map(|s| JsonSuppressed { diagnostic: JsonDiagnostic::from(&s.diagnostic), suppression: &s.suppression })
        .collect();
    let report = JsonReport {
        diagnostics: diags.iter().map(JsonDiagnostic::from).collect(),
        suppressed,
        summary: summary.clone(),
    };
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
        let suppression = Suppression {
            kind: crate::diagnostic::SuppressionKind::Inline,
            reason: "known".to_owned(),
            at: "b.yaml:1:8".to_owned(),
        };
        let suppressed = [Suppressed {
            diagnostic: Diagnostic::warning(
                Code::SR017,
                "b.yaml",
                Some(Span { start: 0, end: 1, line: 2, column: 3 }),
                "ties",
            ),
            suppression,
        }];
        let summary = Summary { suppressed: 1, ..Summary::of(&diags, 2) };
        let value: serde_json::Value = serde_json::from_str(&render(&diags, &suppressed, &summary).unwrap()).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "diagnostics": [{
                    "severity": "warning", "code": "SR033", "message": "`rules` is empty", "file": "a.yaml",
                    "line": 1, "column": 1, "help": null
                }],
                "suppressed": [{
                    "severity": "warning", "code": "SR017", "message": "ties", "file": "b.yaml",
                    "line": 2, "column": 3, "help": null,
                    "suppression": {"kind": "inline", "reason": "known", "at": "b.yaml:1:8"}
                }],
                "summary": {"errors": 0, "warnings": 1, "files": 2, "checked": {}, "skipped": {}, "suppressed": 1}
            })
        );
    }
}
