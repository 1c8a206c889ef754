//! One [`Diagnostic`] type for every finding (rule files, incidents, later playbooks), with a
//! stable code, a severity, the file and span it points at, and optional help. Rendered here to
//! human text with a source snippet and caret (annotate-snippets), or to JSON for tools.
//!
//! Stage: leaf. The compiler collects every diagnostic instead of stopping at the first one
//! (VRL's compiler does the same); the CLI decides how to print them.

use std::collections::BTreeMap;
use std::fmt;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A place in a source file: byte range plus the 1-based line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// A finding. Codes are stable and never reused (see [`crate::rules::codes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &str, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.to_owned(),
            span,
            label: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, file: &str, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, span, message) }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or just the file).
    pub fn location(&self) -> String {
        match self.span {
            Some(s) => format!("{}:{}:{}", self.file, s.line, s.column),
            None => self.file.clone(),
        }
    }
}

/// Sorts diagnostics by file, position, then code, so output never depends on check order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.span.map(|s| (s.line, s.column)), a.code, &a.message).cmp(&(
            &b.file,
            b.span.map(|s| (s.line, s.column)),
            b.code,
            &b.message,
        ))
    });
}

/// The source text of every file diagnostics may point into, for snippets.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<String, String>,
}

impl Sources {
    pub fn insert(&mut self, path: &str, text: &str) {
        self.files.insert(path.to_owned(), text.to_owned());
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }
}

/// Renders diagnostics as human text: `error[SR003]: message`, the location, the source line
/// with a caret and label, then the help line. `color` turns on ANSI styles (terminals only).
pub fn render_human(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let source = sources.get(&d.file);
        let location = d.location();
        let mut group: Group<'_> = match (d.span, source) {
            (Some(span), Some(text)) if span.start <= span.end && span.end <= text.len() => {
                let mut annotation = AnnotationKind::Primary.span(span.start..span.end);
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(Snippet::source(text).path(d.file.as_str()).fold(true).annotation(annotation))
            }
            _ => title.element(Origin::path(location.as_str())),
        };
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// One diagnostic as JSON for `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub file: &'a str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub help: Option<&'a str>,
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
        }
    }
}

/// Counts errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

/// Edit distance (case-insensitive) for "did you mean" suggestions.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The closest candidate to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("propety", ["property", "operator", "values"]), Some("property"));
        assert_eq!(did_you_mean("hostnme", ["HostName", "HostNTDomain"]), Some("HostName"));
        assert_eq!(did_you_mean("xyz", ["property", "operator"]), None);
    }

    #[test]
    fn renders_a_snippet_with_caret_and_help() {
        let mut sources = Sources::default();
        sources.insert("r.yaml", "rules:\n  - nme: x\n");
        let d = Diagnostic::error(
            "SR003",
            "r.yaml",
            Some(Span { start: 11, end: 14, line: 2, column: 5 }),
            "unknown key `nme`",
        )
        .with_label("not a rule key")
        .with_help("did you mean `name`?");
        let text = render_human(&[d], &sources, false);
        assert_eq!(
            text,
            "error[SR003]: unknown key `nme`\n --> r.yaml:2:5\n  |\n2 |   - nme: x\n  |     ^^^ not a rule key\n  |\n  = help: did you mean `name`?\n\n"
        );
    }
}
