//! Human text: `error[SR003]: message`, the location, the source line with a caret and label,
//! the other places of a merged warning (`= note: also at ...`), then the help line
//! (annotate-snippets), and a closing count line. Colour only when asked (the CLI decides
//! once, from `--color`: see `cli::prelude::color`).

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::{Diagnostic, Severity, Sources, Summary};

const BOM: &str = "\u{feff}";

/// Renders diagnostics as human text: `error[SR003]: message`, the location, the source line
/// with a caret and label, then the help line. `color` turns on ANSI styles (terminals only).
pub fn render_human(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code.id());
        let source = sources.get(&d.file);
        let location = d.location();
        let also = d.also_note();
        let mut group: Group<'_> = match (d.span, source) {
            (Some(span), Some(text)) if span.start <= span.end && span.end <= text.len() => {
                // A byte order mark is invisible in editors: columns start after it.
                let skip = if text.starts_with(BOM) { BOM.len() } else { 0 };
                let text = text.get(skip..).unwrap_or(text);
                let start = span.start.saturating_sub(skip);
                let mut annotation = AnnotationKind::Primary.span(start..span.end.saturating_sub(skip).max(start));
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(Snippet::source(text).path(d.file.as_str()).fold(true).annotation(annotation))
            }
            _ => title.element(Origin::path(location.as_str())),
        };
        if let Some(also) = &also {
            group = group.element(Level::NOTE.message(also.as_str()));
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

/// `1 file`, `2 files`.
fn plural(n: usize, singular: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {singular}s")
    }
}

/// `1 error, 2 warnings`: the count line every command closes its diagnostics with.
pub fn problems(errors: usize, warnings: usize) -> String {
    format!("{}, {}", plural(errors, "error"), plural(warnings, "warning"))
}

/// The closing line: what was checked by kind, what was skipped, the problems, and the findings
/// suppressed when there are any:
/// `3 automation rule files, 1 playbook file checked; 12 other files skipped: 2 errors, 1 warning, 3 suppressed`.
pub fn summary_line(summary: &Summary) -> String {
    let mut line = if summary.checked.is_empty() && summary.skipped.is_empty() {
        format!("{} checked", plural(summary.files, "file"))
    } else if summary.checked.is_empty() {
        "no file checked".to_owned()
    } else {
        let kinds: Vec<String> = summary.checked.iter().map(|c| plural(c.count, c.name)).collect();
        format!("{} checked", kinds.join(", "))
    };
    let skipped: usize = summary.skipped.iter().map(|c| c.count).sum();
    if skipped > 0 {
        line.push_str(&format!("; {} skipped", plural(skipped, "other file")));
    }
    match (summary.errors, summary.warnings) {
        (0, 0) => line.push_str(": no problems"),
        (e, w) => line.push_str(&format!(": {}", problems(e, w))),
    }
    if summary.suppressed > 0 {
        line.push_str(&format!(", {} suppressed", summary.suppressed));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::syntax::Span;

    #[test]
    fn renders_a_snippet_with_caret_and_help() {
        let mut sources = Sources::default();
        sources.insert("r.yaml", "rules:\n  - nme: x\n");
        let d = Diagnostic::error(
            Code::SR003,
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

    #[test]
    fn a_byte_order_mark_takes_no_column() {
        let mut sources = Sources::default();
        sources.insert("r.yaml", "\u{feff}- x\n");
        let d = Diagnostic::error(Code::SR005, "r.yaml", Some(Span { start: 3, end: 4, line: 1, column: 1 }), "a list");
        let text = render_human(&[d], &sources, false);
        assert_eq!(text, "error[SR005]: a list\n --> r.yaml:1:1\n  |\n1 | - x\n  | ^\n\n");
    }

    #[test]
    fn summary_lines() {
        assert_eq!(summary_line(&Summary::of(&[], 3)), "3 files checked: no problems");
        let count = |key, name, count| crate::diagnostic::KindCount { key, name, count };
        let summary = Summary {
            errors: 2,
            warnings: 1,
            files: 8,
            checked: vec![count("automation_rules", "automation rule file", 3), count("playbooks", "playbook file", 1)],
            skipped: vec![count("workbooks", "workbook", 3), count("parsers", "parser", 1)],
            suppressed: 0,
        };
        assert_eq!(
            summary_line(&summary),
            "3 automation rule files, 1 playbook file checked; 4 other files skipped: 2 errors, 1 warning"
        );
        let quiet = Summary { errors: 0, warnings: 0, suppressed: 3, ..summary };
        assert_eq!(
            summary_line(&quiet),
            "3 automation rule files, 1 playbook file checked; 4 other files skipped: no problems, 3 suppressed"
        );
    }
}
