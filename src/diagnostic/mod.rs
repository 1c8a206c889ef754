//! One [`Diagnostic`] type for every finding (rule files, incidents, playbooks), with a
//! stable [`Code`] from the registry ([`code`]), a severity, the file and span it points at, and optional help, and one renderer
//! per output format: human text with a source snippet and caret ([`human`]), JSON for tools
//! ([`json`]), SARIF 2.1.0 for code scanning ([`sarif`]), JUnit XML for CI test reports
//! ([`junit`]), GitHub workflow commands ([`github`]), Azure Pipelines logging commands
//! ([`azure_devops`]) and GitLab Code Quality JSON ([`gitlab`]). A finding a suppression took
//! out of the problems is kept as [`Suppressed`] ([`suppression`]).
//!
//! Stage: leaf. The compiler collects every diagnostic instead of stopping at the first one
//! (VRL's compiler does the same); the CLI decides how to print them.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::syntax::Span;

pub mod azure_devops;
pub mod code;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
mod region;
pub mod sarif;
pub mod suppression;

pub use code::Code;
pub use human::render_human;
pub use json::JsonDiagnostic;
pub use region::Region;
pub use suppression::{Suppressed, Suppression, SuppressionKind};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// A note that fails nothing and is not counted as a problem (a file skipped because it is
    /// not Sentinel content).
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
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
    /// The other places of a warning said once for all of them ([`merge_repeated_warnings`]),
    /// as `file:line:column`.
    pub also: Vec<String>,
    /// The same places as file and span, so that the finding can be said again at each place
    /// ([`split_merged`]: a suppression applies to one place).
    pub also_at: Vec<(String, Option<Span>)>,
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
            also: Vec::new(),
            also_at: Vec::new(),
        }
    }

    pub fn warning(code: Code, file: &str, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, span, message) }
    }

    /// A note: reported, never a problem.
    pub fn info(code: Code, file: &str, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Info, ..Diagnostic::error(code, file, span, message) }
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

    /// `also at a.yaml:3:5, b.yaml:7:5`, naming the first few other places of a merged
    /// warning and counting the rest; `None` when the finding has one place.
    pub fn also_note(&self) -> Option<String> {
        let (shown, rest) = self.also.split_at(self.also.len().min(ALSO_SHOWN));
        let places = shown.join(", ");
        match rest.len() {
            0 if places.is_empty() => None,
            0 => Some(format!("also at {places}")),
            more => Some(format!("also at {places} and {more} more")),
        }
    }

    /// The message with the note and help under it, for formats that carry one text (GitHub
    /// annotations, SARIF results): `message`, `note: also at ...`, `help: ...`, one a line.
    pub fn text(&self) -> String {
        let mut text = self.message.clone();
        if let Some(also) = self.also_note() {
            text.push_str(&format!("\nnote: {also}"));
        }
        if let Some(help) = &self.help {
            text.push_str(&format!("\nhelp: {help}"));
        }
        text
    }

    /// The sort key of a place: file, line, column.
    fn place(&self) -> (&str, Option<(usize, usize)>) {
        (&self.file, self.span.map(|s| (s.line, s.column)))
    }
}

/// Other places a merged warning's note names before it counts the rest (every place is in
/// [`Diagnostic::also`] and in the JSON output).
pub const ALSO_SHOWN: usize = 5;

/// Says each warning once: warnings with the same code, message, label and help (several
/// rules sharing an order, a template parameter without a value, the same rule in several
/// snapshots) become one finding at the first place (by file, line, column) that lists the
/// other places in [`Diagnostic::also`]. A reader learns what to fix once, and where, instead
/// of reading the same paragraph again per rule or file. Errors stay one per place: each is a
/// fix at its place, and CI annotations mark every line they are on.
pub fn merge_repeated_warnings(diags: &mut Vec<Diagnostic>) {
    // What a warning says: code, message, label, help.
    type Said<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>);
    let mut groups: BTreeMap<Said<'_>, Vec<usize>> = BTreeMap::new();
    for (i, d) in diags.iter().enumerate().filter(|(_, d)| !d.is_error()) {
        groups.entry((d.code.id(), &d.message, d.label.as_deref(), d.help.as_deref())).or_default().push(i);
    }
    // Each repeated warning, merged, by the index of its first member; every member's index.
    let mut merged: BTreeMap<usize, Diagnostic> = BTreeMap::new();
    let mut members_at: BTreeSet<usize> = BTreeSet::new();
    for indexes in groups.into_values().filter(|g| g.len() > 1) {
        let mut members: Vec<&Diagnostic> = indexes.iter().filter_map(|&i| diags.get(i)).collect();
        members.sort_by(|a, b| a.place().cmp(&b.place()));
        members.dedup_by(|a, b| a.place() == b.place());
        let (Some((first, rest)), Some(&at)) = (members.split_first(), indexes.first()) else { continue };
        let mut one = (*first).clone();
        one.also = rest.iter().map(|d| d.location()).collect();
        one.also_at = rest.iter().map(|d| (d.file.clone(), d.span)).collect();
        merged.insert(at, one);
        members_at.extend(indexes);
    }
    if merged.is_empty() {
        return;
    }
    for (i, d) in std::mem::take(diags).into_iter().enumerate() {
        match merged.remove(&i) {
            Some(one) => diags.push(one),
            None if members_at.contains(&i) => {}
            None => diags.push(d),
        }
    }
}

/// Undoes [`merge_repeated_warnings`]: a merged warning becomes one finding per place again.
pub fn split_merged(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out = Vec::with_capacity(diags.len());
    for mut d in diags {
        let places = std::mem::take(&mut d.also_at);
        d.also.clear();
        for (file, span) in places {
            out.push(Diagnostic { file, span, ..d.clone() });
        }
        out.push(d);
    }
    out
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
    let warnings = diags.iter().filter(|d| d.severity == Severity::Warning).count();
    (errors, warnings)
}

/// Totals of a run: the human closing line and the machine formats' summary.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    /// Files looked at, with or without findings.
    pub files: usize,
    /// Files checked, by kind (`"automation_rules": 3`).
    #[serde(serialize_with = "by_key")]
    pub checked: Vec<KindCount>,
    /// Files counted and skipped, by kind (`"workbooks": 2`).
    #[serde(serialize_with = "by_key")]
    pub skipped: Vec<KindCount>,
    /// Findings a suppression took out of the problems (not counted in `errors`/`warnings`).
    pub suppressed: usize,
}

/// How many files of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindCount {
    /// The key in the JSON summary: `analytic_rules`.
    pub key: &'static str,
    /// The kind in words, singular: `analytic rule file`.
    pub name: &'static str,
    pub count: usize,
}

fn by_key<S: serde::Serializer>(counts: &[KindCount], serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = serializer.serialize_map(Some(counts.len()))?;
    for c in counts {
        map.serialize_entry(c.key, &c.count)?;
    }
    map.end()
}

impl Summary {
    pub fn of(diags: &[Diagnostic], files: usize) -> Summary {
        let (errors, warnings) = counts(diags);
        Summary { errors, warnings, files, checked: Vec::new(), skipped: Vec::new(), suppressed: 0 }
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

    fn at(line: usize) -> Option<Span> {
        Some(Span { start: 0, end: 0, line, column: 5 })
    }

    #[test]
    fn a_repeated_warning_is_said_once_at_its_first_place_and_errors_stay_apart() {
        let warn = |file: &str, line| Diagnostic::warning(Code::SR017, file, at(line), "rules share order 1");
        let error = |line| Diagnostic::error(Code::SR016, "a.yaml", at(line), "duplicate");
        let mut diags =
            vec![warn("b.yaml", 2), error(3), warn("a.yaml", 9), error(4), warn("a.yaml", 9), warn("a.yaml", 1)];
        diags.push(Diagnostic::warning(Code::SR017, "a.yaml", at(1), "rules share order 2"));
        merge_repeated_warnings(&mut diags);
        let shown: Vec<(String, &str, &[String])> =
            diags.iter().map(|d| (d.location(), d.message.as_str(), d.also.as_slice())).collect();
        let also = |places: &[&str]| places.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            shown[0],
            ("a.yaml:1:5".to_owned(), "rules share order 1", also(&["a.yaml:9:5", "b.yaml:2:5"]).as_slice())
        );
        assert_eq!(shown.len(), 4, "{shown:?}");
        assert_eq!((shown[1].0.as_str(), shown[2].0.as_str()), ("a.yaml:3:5", "a.yaml:4:5"));
        assert_eq!((shown[3].1, shown[3].2.len()), ("rules share order 2", 0));
        let mut again = split_merged(diags.clone());
        assert_eq!(again.len(), 6, "one finding per place (a.yaml:9:5 was said twice)");
        assert!(again.iter().all(|d| d.also.is_empty() && d.also_at.is_empty()));
        merge_repeated_warnings(&mut again);
        sort(&mut again);
        let mut merged = diags;
        sort(&mut merged);
        assert_eq!(again, merged, "split then merged again: the same findings");
    }

    #[test]
    fn the_note_names_five_places_and_counts_the_rest() {
        let mut d = Diagnostic::warning(Code::SR017, "a.yaml", at(1), "m");
        assert_eq!(d.also_note(), None);
        d.also = (2..=8).map(|l| format!("a.yaml:{l}:5")).collect();
        assert_eq!(
            d.also_note().as_deref(),
            Some("also at a.yaml:2:5, a.yaml:3:5, a.yaml:4:5, a.yaml:5:5, a.yaml:6:5 and 2 more")
        );
        assert_eq!(d.text(), format!("m\nnote: {}", d.also_note().unwrap_or_default()));
    }

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
