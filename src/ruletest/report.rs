//! Test results rendered for people (like `cargo test`), for tools (JSON) and for CI (JUnit XML
//! through quick-junit: one testsuite per test file, one testcase per test). Rendering only:
//! the CLI decides where the text goes.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use serde_json::{json, Value};

use super::run::CaseResult;

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const RESET: &str = "\x1b[0m";

/// Passed and failed counts.
pub fn counts(results: &[CaseResult]) -> (usize, usize) {
    let passed = results.iter().filter(|r| r.passed()).count();
    (passed, results.len() - passed)
}

/// The summary line: exactly `N passed, M failed`.
pub fn summary(results: &[CaseResult]) -> String {
    let (passed, failed) = counts(results);
    let inferred: usize = results.iter().map(|r| r.inferred).sum();
    if inferred > 0 {
        return format!("{passed} passed, {failed} failed; {inferred} call(s) answered by inferred mocks");
    }
    format!("{passed} passed, {failed} failed")
}

fn id(r: &CaseResult) -> String {
    format!("{}::{}", r.file, r.name)
}

/// The lines that tell expected from actual: one per unmet expectation, and the further lines
/// of a message that has several (the differences of a call's inputs) indented under it; then
/// the result's note (what the Defender portal changed), indented likewise.
pub fn diff_lines(r: &CaseResult) -> Vec<String> {
    let mut lines = Vec::new();
    let messages = r.mismatches.iter().map(|m| (m.key, m.message.as_str()));
    for (key, message) in messages.chain(r.note.as_deref().map(|n| ("note", n))) {
        let mut parts = message.lines();
        lines.push(format!("{key}: {}", parts.next().unwrap_or_default()));
        lines.extend(parts.map(|more| format!("    {more}")));
    }
    lines
}

/// `running N tests`, a line per test, each failure's diff, then the summary line.
pub fn human(results: &[CaseResult], color: bool) -> String {
    let paint = |text: &str, code: &str| if color { format!("{code}{text}{RESET}") } else { text.to_owned() };
    let plural = if results.len() == 1 { "" } else { "s" };
    let mut out = format!("running {} test{plural}\n", results.len());
    for r in results {
        let verdict = if r.passed() { paint("ok", GREEN) } else { paint("FAILED", RED) };
        out.push_str(&format!("test {} ... {verdict}\n", id(r)));
    }
    let failed: Vec<&CaseResult> = results.iter().filter(|r| !r.passed()).collect();
    if !failed.is_empty() {
        out.push_str("\nfailures:\n");
        for r in &failed {
            out.push_str(&format!("\n---- {} (line {}) ----\n", id(r), r.line));
            for line in diff_lines(r) {
                out.push_str(&format!("    {line}\n"));
            }
        }
        out.push_str("\nfailures:\n");
        for r in &failed {
            out.push_str(&format!("    {}\n", id(r)));
        }
    }
    out.push('\n');
    out.push_str(&summary(results));
    out.push('\n');
    out
}

/// The results as one JSON document.
pub fn json(results: &[CaseResult]) -> Value {
    let (passed, failed) = counts(results);
    let tests: Vec<Value> = results
        .iter()
        .map(|r| {
            let mismatches: Vec<Value> = r
                .mismatches
                .iter()
                .map(|m| {
                    json!({
                        "key": m.key,
                        "line": m.line,
                        "column": m.column,
                        "expected": m.expected,
                        "actual": m.actual,
                        "missing": m.missing,
                        "unexpected": m.unexpected,
                        "message": m.message,
                    })
                })
                .collect();
            let mut test = json!({
                "file": r.file,
                "name": r.name,
                "line": r.line,
                "result": if r.passed() { "passed" } else { "failed" },
                "fired": r.fired,
                "mismatches": mismatches,
            });
            if let (Some(note), Some(fields)) = (&r.note, test.as_object_mut()) {
                fields.insert("note".to_owned(), json!(note));
            }
            test
        })
        .collect();
    json!({ "tests": tests, "summary": { "passed": passed, "failed": failed } })
}

/// The results as JUnit XML: a testsuite per file (in the order first seen), a testcase per
/// test with the file as its class name, and each failure's diff as the failure text.
pub fn junit(results: &[CaseResult]) -> Result<String, quick_junit::SerializeError> {
    let mut report = Report::new("sentinel-soar test");
    let mut files: Vec<&str> = Vec::new();
    for r in results {
        if !files.contains(&r.file.as_str()) {
            files.push(&r.file);
        }
    }
    for file in files {
        let mut suite = TestSuite::new(file);
        for r in results.iter().filter(|r| r.file == file) {
            let status = if r.passed() {
                TestCaseStatus::success()
            } else {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let n = r.mismatches.len();
                status
                    .set_message(format!("{n} expectation{} not met", if n == 1 { "" } else { "s" }))
                    .set_type("expectation")
                    .set_description(diff_lines(r).join("\n"));
                status
            };
            let mut case = TestCase::new(r.name.as_str(), status);
            case.set_classname(file);
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report.to_string()
}
