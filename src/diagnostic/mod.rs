//! One [`Diagnostic`] type for every finding (rule files, incidents, playbooks), with a
//! stable [`Code`] from the registry ([`code`]), a severity, the file and span it points at, and optional help, and one renderer
//! per output format: human text with a source snippet and caret ([`human`]), JSON for tools
//! ([`json`]), SARIF 2.1.0 for code scanning ([`sarif`]), JUnit XML for CI test reports
//! ([`junit`]) and GitHub workflow commands ([`github`]).
//!
//! Stage: leaf. The compiler collects every diagnostic instead of stopping at the first one
//! (VRL's compiler does the same); the CLI decides how to print them.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::syntax::Span;

pub mod code;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
mod region;
pub mod sarif;

pub use code::Code;
pub use human::render_human;
pub use json::JsonDiagnostic;
pub use region::Region;

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

/// A finding. Codes are stable and never reused (see [`code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub file: String,
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: &str, span: Option<Span>, message: impl Into<String>) -> Self {
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

    pub fn warning(code: Code, file: &str, span: Option<Span>, message: impl Into<String>) -> Self {
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
        (&a.file, a.span.map(|s| (s.line, s.column)), a.code.id(), &a.message).cmp(&(
            &b.file,
            b.span.map(|s| (s.line, s.column)),
            b.code.id(),
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

    /// The paths held, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Takes every file of `other`.
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }
}

/// Counts errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

/// Totals of a run: the human closing line and the machine formats' summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Files looked at, with or without findings.
    pub files: usize,
}

impl Summary {
    pub fn of(diags: &[Diagnostic], files: usize) -> Summary {
        let (errors, warnings) = counts(diags);
        Summary { errors, warnings, files }
    }
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

/// The closest candidate to `word`, if it is close enough to be a likely typo (a candidate
/// that changes every character of a short word, `C` for `W`, is not).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = (len / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit && *d < len)
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
        assert_eq!(did_you_mean("C", ["W", "B"]), None);
        assert_eq!(did_you_mean("ab", ["xy"]), None);
        assert_eq!(did_you_mean("ab", ["ax"]), Some("ax"));
    }
}
