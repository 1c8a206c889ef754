//! JUnit XML (`--format junit`) through quick-junit, as GitHub and GitLab test reports read
//! it: one test suite `sentinel-soar validate`, one test case per file (named by its path).
//! A file with errors fails: the failure's message is the first error as
//! `file:line:col CODE message`, its text every error with its help. Warnings go to the test
//! case's system-out; a file with only warnings passes. (quick-junit writes one failure element
//! per test case, as most JUnit readers expect.)

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

fn test_case(file: &str, diags: &[&Diagnostic]) -> TestCase {
    let errors: Vec<&Diagnostic> = diags.iter().copied().filter(|d| d.is_error()).collect();
    let warnings: Vec<&Diagnostic> = diags.iter().copied().filter(|d| !d.is_error()).collect();
    let status = match errors.first() {
        None => TestCaseStatus::success(),
        Some(first) => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let message = match errors.len() {
                1 => line(first),
                n => format!("{} (and {} more error(s))", line(first), n - 1),
            };
            let text: Vec<String> = errors.iter().map(|d| detail(d)).collect();
            status.set_message(message).set_type(first.code.id()).set_description(text.join("\n"));
            status
        }
    };
    let mut case = TestCase::new(file, status);
    case.set_classname(SUITE);
    if !warnings.is_empty() {
        let text: Vec<String> = warnings.iter().map(|d| format!("{}: {}", d.severity, detail(d))).collect();
        case.set_system_out(text.join("\n"));
    }
    case
}

/// Renders a JUnit report with one test case per file in `files`, in that order (then any file
/// a diagnostic names that `files` lacks).
pub fn render(diags: &[Diagnostic], files: &[String]) -> Result<String, SerializeError> {
    let mut names: Vec<&str> = files.iter().map(String::as_str).collect();
    for d in diags {
        if !names.contains(&d.file.as_str()) {
            names.push(&d.file);
        }
    }
    let mut suite = TestSuite::new(SUITE);
    for name in names {
        let mine: Vec<&Diagnostic> = diags.iter().filter(|d| d.file == name).collect();
        suite.add_test_case(test_case(name, &mine));
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
        let files = ["a.yaml".to_owned(), "b.yaml".to_owned(), "c.yaml".to_owned()];
        let xml = render(&diags, &files).unwrap();
        let report = Report::deserialize_from_str(&xml).unwrap();
        assert_eq!((report.tests, report.failures), (3, 1));
        assert!(xml.contains(r#"<failure message="a.yaml:3:7 SR006 unknown property `X`" type="SR006">"#), "{xml}");
        assert!(xml.contains("<system-out>warning: b.yaml:3:7 SR017 rules share order 1</system-out>"), "{xml}");
    }
}
