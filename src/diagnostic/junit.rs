//! JUnit XML (`--format junit`) through quick-junit, as GitHub and GitLab test reports read
//! it: one test suite `sentinel-soar validate`, one test case per file (named by its path).
//! A file with errors fails: the failure's message is the first error as
//! `file:line:col CODE message`, its text every error with its help. Warnings go to the test
//! case's system-out; a file with only warnings passes, unless the run is strict (`--strict`,
//! `strict = true`), where warnings fail the run and so the file's test case too. A file looked
//! at but not checked (a workbook, a parameter file) is a skipped test case saying so.
//! (quick-junit writes one failure element per test case, as most JUnit readers expect.)

use quick_junit::{NonSuccessKind, Report, SerializeError, TestCase, TestCaseStatus, TestSuite};

use super::Diagnostic;

/// The report and suite name.
pub const SUITE: &str = "sentinel-soar validate";

/// `file:line:col CODE message`.
fn line(d: &Diagnostic) -> String {
    format!("{} {} {}", d.location(), d.code, d.message)
}

/// A diagnostic with its note and help, for the failure text and system-out.
fn detail(d: &Diagnostic) -> String {
    let mut text = line(d);
    if let Some(also) = d.also_note() {
        text.push_str(&format!("\n  note: {also}"));
    }
    if let Some(help) = &d.help {
        text.push_str(&format!("\n  help: {help}"));
    }
    text
}

/// One file of the report: its path, and why it was not checked (`None`: it was).
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    pub path: &'a str,
    pub skipped: Option<&'a str>,
}

fn test_case(file: &str, diags: &[&Diagnostic], strict: bool) -> TestCase {
    // Under strict, warnings fail the run as errors do.
    let (failing, passing): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diags.iter().copied().partition(|d| d.is_error() || strict);
    let errors = failing.iter().filter(|d| d.is_error()).count();
    let status = match failing.first() {
        None => TestCaseStatus::success(),
        Some(first) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let more = match (errors, failing.len() - errors) {
                (0, 1) => " (warnings fail the run: strict)".to_owned(),
                (0, n) => format!(" (and {} more warning(s); warnings fail the run: strict)", n - 1),
                (1, 0) => String::new(),
                (e, 0) => format!(" (and {} more error(s))", e - 1),
                (e, w) => format!(" (and {} more error(s), {w} warning(s); warnings fail the run: strict)", e - 1),
            };
            let text: Vec<String> = if errors == failing.len() {
                failing.iter().map(|d| detail(d)).collect()
            } else {
                failing.iter().map(|d| format!("{}: {}", d.severity, detail(d))).collect()
            };
            status
                .set_message(format!("{}{more}", line(first)))
                .set_type(first.code.id())
                .set_description(text.join("\n"));
            status
        }
    };
    let mut case = TestCase::new(file, status);
    case.set_classname(SUITE);
    if !passing.is_empty() {
        let text: Vec<String> = passing.iter().map(|d| format!("{}: {}", d.severity, detail(d))).collect();
        case.set_system_out(text.join("\n"));
    }
    case
}

/// A file that was not checked, with the reason.
fn skipped_case(file: &str, reason: &str) -> TestCase {
    let mut status = TestCaseStatus::skipped();
    status.set_message(reason);
    let mut case = TestCase::new(file, status);
    case.set_classname(SUITE);
    case
}

/// Renders a JUnit report with one test case per file in `files`, in that order (then any file
/// a diagnostic names that `files` lacks); under `strict` warnings fail a file as errors do.
pub fn render(diags: &[Diagnostic], files: &[File<'_>], strict: bool) -> Result<String, SerializeError> {
    let mut names: Vec<File<'_>> = files.to_vec();
    for d in diags {
        if !names.iter().any(|f| f.path == d.file) {
            names.push(File { path: &d.file, skipped: None });
        }
    }
    let mut suite = TestSuite::new(SUITE);
    for file in names {
        let mine: Vec<&Diagnostic> = diags.iter().filter(|d| d.file == file.path).collect();
        suite.add_test_case(match file.skipped {
            Some(reason) if mine.is_empty() => skipped_case(file.path, reason),
            _ => test_case(file.path, &mine, strict),
        });
    }
    let mut report = Report::new(SUITE);
    report.add_test_suite(suite);
    report.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::syntax::Span;

    #[test]
    fn one_case_per_file_and_failures_for_errors_only() {
        let span = Some(Span { start: 0, end: 1, line: 3, column: 7 });
        let diags = [
            Diagnostic::error(Code::SR006, "a.yaml", span, "unknown property `X`").with_help("did you mean `Y`?"),
            Diagnostic::warning(Code::SR017, "b.yaml", span, "rules share order 1"),
        ];
        let file = |path| File { path, skipped: None };
        let files = [
            file("a.yaml"),
            file("b.yaml"),
            file("c.yaml"),
            File { path: "w.json", skipped: Some("workbook: not checked") },
        ];
        let xml = render(&diags, &files, false).unwrap();
        let report = Report::deserialize_from_str(&xml).unwrap();
        assert_eq!((report.tests, report.failures), (4, 1));
        assert!(xml.contains(r#"<failure message="a.yaml:3:7 SR006 unknown property `X`" type="SR006">"#), "{xml}");
        assert!(xml.contains("<system-out>warning: b.yaml:3:7 SR017 rules share order 1</system-out>"), "{xml}");
        assert!(xml.contains(r#"<skipped message="workbook: not checked"/>"#), "{xml}");
    }

    #[test]
    fn under_strict_a_file_with_warnings_fails() {
        let span = Some(Span { start: 0, end: 1, line: 3, column: 7 });
        let diags = [
            Diagnostic::warning(Code::SR017, "b.yaml", span, "rules share order 1"),
            Diagnostic::warning(Code::SR017, "b.yaml", span, "rules share order 2"),
        ];
        let xml = render(&diags, &[File { path: "b.yaml", skipped: None }], true).unwrap();
        let report = Report::deserialize_from_str(&xml).unwrap();
        assert_eq!((report.tests, report.failures), (1, 1));
        assert!(
            xml.contains(r#"<failure message="b.yaml:3:7 SR017 rules share order 1 (and 1 more warning(s); warnings fail the run: strict)" type="SR017">"#),
            "{xml}"
        );
        assert!(!xml.contains("system-out"), "{xml}");
    }
}
