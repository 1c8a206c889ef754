//! GitLab Code Quality JSON (`--format gitlab`), the `artifacts:reports:codequality` report
//! GitLab shows in merge requests: an array with one issue per finding, in the subset of the
//! Code Climate format GitLab reads (docs.gitlab.com, "Code Quality", "Implement a custom tool"):
//!
//! - `description`: the message, with the other places of a merged warning and the help after
//!   it (`; note: also at ...; help: ...`), on one line;
//! - `check_name`: the code (`SR017`);
//! - `fingerprint`: what GitLab tells findings apart and follows from one pipeline to the next
//!   by. It is the UUID v5 (SHA-1) of the code, the path, the message and the finding's rank
//!   among the findings with that same code, path and message (0 for the first), written as 32
//!   hex digits. No line number goes into it, so a finding keeps its fingerprint when lines are
//!   added above it, and two identical findings in one file still differ;
//! - `severity`: `major` for an error, `minor` for a warning, `info` for a note (as ESLint's
//!   GitLab formatter maps them; `critical` and `blocker` are not used);
//! - `location.path` (relative, forward slashes) and `location.lines.begin`/`end` (line 1 for a
//!   finding that points at a whole file).

use std::collections::BTreeMap;

use serde::Serialize;
use uuid::Uuid;

use super::{Diagnostic, Region, Severity, Sources};

/// The namespace of fingerprints (itself a v5 UUID of the URL namespace).
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://github.com/sentinel-soar/gitlab-code-quality")
}

#[derive(Serialize)]
struct Issue {
    description: String,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

/// GitLab's severity of a finding.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// The fingerprint of the `rank`-th finding with this code, path and message.
pub fn fingerprint(d: &Diagnostic, path: &str, rank: usize) -> String {
    let name = format!("{}\0{path}\0{}\0{rank}", d.code, d.message);
    Uuid::new_v5(&namespace(), name.as_bytes()).simple().to_string()
}

/// Renders the findings as a Code Quality report (pretty JSON with a final newline).
pub fn render(diags: &[Diagnostic], sources: &Sources) -> serde_json::Result<String> {
    let mut seen: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    let issues: Vec<Issue> = diags
        .iter()
        .map(|d| {
            let path = d.file.replace('\\', "/");
            let rank = seen.entry((d.code.id(), &d.file, &d.message)).or_default();
            let fingerprint = fingerprint(d, &path, *rank);
            *rank += 1;
            let lines = match Region::of_diagnostic(d, sources) {
                Some(r) => Lines { begin: r.start_line, end: r.end_line },
                None => Lines { begin: 1, end: 1 },
            };
            Issue {
                description: d.text().replace('\n', "; "),
                check_name: d.code.id(),
                fingerprint,
                severity: severity(d.severity),
                location: Location { path, lines },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues)?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::syntax::Span;

    fn at(line: usize) -> Option<Span> {
        Some(Span { start: 0, end: 0, line, column: 1 })
    }

    #[test]
    fn fingerprints_ignore_lines_and_tell_repeats_apart() {
        let a = Diagnostic::error(Code::SR006, "r.yaml", at(3), "unknown property `X`");
        let moved = Diagnostic { span: at(9), ..a.clone() };
        assert_eq!(fingerprint(&a, "r.yaml", 0), fingerprint(&moved, "r.yaml", 0));
        assert_ne!(fingerprint(&a, "r.yaml", 0), fingerprint(&a, "r.yaml", 1));
        assert_ne!(fingerprint(&a, "r.yaml", 0), fingerprint(&a, "s.yaml", 0));
        assert_eq!(fingerprint(&a, "r.yaml", 0).len(), 32);
        let report: serde_json::Value =
            serde_json::from_str(&render(&[a.clone(), moved], &Sources::default()).unwrap()).unwrap();
        assert_ne!(report[0]["fingerprint"], report[1]["fingerprint"]);
        assert_eq!(report[0]["fingerprint"].as_str(), Some(fingerprint(&a, "r.yaml", 0).as_str()));
        assert_eq!(report[1]["location"], serde_json::json!({"path": "r.yaml", "lines": {"begin": 9, "end": 9}}));
    }

    #[test]
    fn maps_severities_and_puts_help_on_the_line() {
        let d = Diagnostic::warning(Code::SR017, "a\\b.yaml", None, "ties").with_help("give distinct orders");
        let report: serde_json::Value = serde_json::from_str(&render(&[d], &Sources::default()).unwrap()).unwrap();
        assert_eq!(report[0]["severity"], "minor");
        assert_eq!(report[0]["description"], "ties; help: give distinct orders");
        assert_eq!(report[0]["location"]["path"], "a/b.yaml");
        assert_eq!(report[0]["location"]["lines"]["begin"], 1);
    }
}
