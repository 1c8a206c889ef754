//! Azure Pipelines logging commands (`--format azuredevops`), which the pipeline agent reads
//! from a step's standard output (Sentinel Repositories deploys from Azure Pipelines):
//!
//! - one `##vso[task.logissue type=error;sourcepath=PATH;linenumber=L;columnnumber=C;code=CODE;]message`
//!   line per error (`type=warning` for a warning), which the run's summary lists as an issue of
//!   the step, with the help and the other places of a merged warning in the message;
//! - an info note (RP001), for which `task.logissue` has no type (it takes `error` or
//!   `warning`, and a warning would mark the step as having issues), is a plain log line:
//!   `note: PATH:L:C CODE message`;
//! - then the summary line, a plain log line, and `##vso[task.complete result=Failed;]` when the
//!   run fails (errors, or warnings under `--strict`), so the step fails even where the script's
//!   exit code is ignored.
//!
//! Escaping is the Azure Pipelines task library's (`escapeProperty` and `escapeData` of
//! azure-pipelines-task-lib's `taskcommand.ts`), which the agent undoes: in property values `%`
//! becomes `%AZP25`, carriage return `%0D`, line feed `%0A`, `]` `%5D` and `;` `%3B`; in the
//! message, which runs to the end of the line, the first three. Every command is one line.

use super::{Diagnostic, Severity, Sources, Summary};

/// The command that fails the step.
pub const FAILED: &str = "##vso[task.complete result=Failed;]";

/// Escapes a command's message (the text after `]`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%AZP25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(']', "%5D").replace(';', "%3B")
}

/// One line for one diagnostic.
fn line(d: &Diagnostic, sources: &Sources) -> String {
    let path = d.file.replace('\\', "/");
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => {
            return format!("note: {} {} {}", escape_data(&d.location()), d.code, escape_data(&d.message))
        }
    };
    let mut props = vec![format!("type={kind}"), format!("sourcepath={}", escape_property(&path))];
    if let Some(r) = super::Region::of_diagnostic(d, sources) {
        props.push(format!("linenumber={}", r.start_line));
        props.push(format!("columnnumber={}", r.start_column));
    }
    props.push(format!("code={}", d.code));
    format!("##vso[task.logissue {};]{}", props.join(";"), escape_data(&d.text()))
}

/// Renders every diagnostic as a logging command (a note as a plain line), then the summary
/// line and, when the run fails, [`FAILED`].
pub fn render(diags: &[Diagnostic], sources: &Sources, summary: &Summary, fails: bool) -> String {
    let mut out: String = diags.iter().map(|d| line(d, sources) + "\n").collect();
    out.push_str(&escape_data(&super::human::summary_line(summary)));
    out.push('\n');
    if fails {
        out.push_str(FAILED);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::syntax::Span;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("100%\r\nnext; a]"), "100%AZP25%0D%0Anext; a]");
        assert_eq!(escape_property("a;b]c%d\n"), "a%3Bb%5Dc%AZP25d%0A");
    }

    #[test]
    fn writes_one_command_per_finding_a_plain_note_and_the_failure() {
        let mut sources = Sources::default();
        sources.insert("r;1.yaml", "rules:\n  - nme: x\n");
        let span = Some(Span { start: 11, end: 14, line: 2, column: 5 });
        let diags = [
            Diagnostic::error(Code::SR003, "r;1.yaml", span, "unknown key `nme`").with_help("did you mean `name`?"),
            Diagnostic::warning(Code::SR033, "e.yaml", None, "the file holds no rules"),
            Diagnostic::info(Code::RP001, "p.json", None, "not Sentinel content: skipped"),
        ];
        let summary = Summary { errors: 1, warnings: 1, ..Summary::of(&[], 3) };
        assert_eq!(
            render(&diags, &sources, &summary, true),
            "##vso[task.logissue type=error;sourcepath=r%3B1.yaml;linenumber=2;columnnumber=5;code=SR003;]unknown key `nme`%0Ahelp: did you mean `name`?\n\
             ##vso[task.logissue type=warning;sourcepath=e.yaml;code=SR033;]the file holds no rules\n\
             note: p.json RP001 not Sentinel content: skipped\n\
             3 files checked: 1 error, 1 warning\n\
             ##vso[task.complete result=Failed;]\n"
        );
        assert!(!render(&[], &sources, &Summary::of(&[], 1), false).contains("##vso"));
    }
}
