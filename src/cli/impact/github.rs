//! `impact --format github`: GitHub Actions workflow commands. Each rule whose outcomes changed
//! (the incidents it fires on, or the values it leaves), or that was added or moved, gets a
//! notice on its lines in the head files, which GitHub shows on the pull request's diff; a rule
//! the head removed gets a notice without a file. With `--ties permute`, each tie whose order
//! decides outcomes gets a warning on its head rules' lines (a notice without a file for the
//! base's). The headline closes, as a notice, or as an error when the run fails on it.
//!
//! A rule's lines run from its start to the last line before the next rule of its file that is
//! neither blank nor a comment (the end of the file for its last rule).

use crate::diagnostic::github::{escape_data, escape_property};
use crate::diagnostic::Sources;
use crate::impact::{words, Summary, TieLine};
use crate::rules::RuleSet;
use crate::syntax::Span;

/// The last line of the rule that starts at `span` in `file`: the line before the next rule of
/// `head` in that file, without trailing blank and comment lines.
fn last_line(head: &RuleSet, sources: &Sources, file: &str, span: Span) -> usize {
    let Some(text) = sources.get(file) else { return span.line };
    let next = head.rules().iter().filter(|r| r.file == file && r.span.start > span.start).map(|r| r.span.start).min();
    let chunk = text.get(span.start..next.unwrap_or(text.len())).unwrap_or_default();
    // The next rule starts after its list dash (`  - name:`): that partial line is not this rule's.
    let chunk = match next {
        Some(_) => chunk.rfind('\n').and_then(|i| chunk.get(..i)).unwrap_or(chunk),
        None => chunk,
    };
    let lines: Vec<&str> = chunk.lines().collect();
    let kept = lines.iter().rposition(|l| {
        let l = l.trim();
        !l.is_empty() && !l.starts_with('#')
    });
    span.line + kept.unwrap_or(0)
}

/// `--ties permute`: a warning on the lines of each rule of a head tie whose order decides
/// outcomes (the change leaves them undecided), a notice without a file for a base tie.
fn tie_annotations(lines: &[TieLine], head: &RuleSet, sources: &Sources) -> String {
    let mut out = String::new();
    for line in lines {
        let title = escape_property(&format!("impact: rules tied at order {} (--ties permute)", line.order));
        let data = escape_data(&line.text);
        if !line.side.head() {
            out.push_str(&format!("::notice title={title}::{data}\n"));
            continue;
        }
        for rule in line.rules.iter().filter_map(|name| head.rules().iter().find(|r| &r.name == name)) {
            let file = escape_property(&rule.file.replace('\\', "/"));
            let (start, end) = (rule.span.line, last_line(head, sources, &rule.file, rule.span));
            out.push_str(&format!("::warning file={file},line={start},endLine={end},title={title}::{data}\n"));
        }
    }
    out
}

/// The workflow commands; `head` and `sources` are the head rules and their files' text (for
/// the rules' last lines), `failing` says the run fails on the changes, `extra` is added to
/// the headline.
pub fn render(summary: &Summary, head: &RuleSet, sources: &Sources, failing: bool, extra: &str) -> String {
    let mut out = String::new();
    for line in &summary.rules {
        let title = escape_property(&format!("impact: {}", words::rule_heading(&line.rule, line.status)));
        let mut props = Vec::new();
        if let Some((file, span)) = &line.head {
            props.push(format!("file={}", escape_property(&file.replace('\\', "/"))));
            props.push(format!("line={}", span.line));
            props.push(format!("endLine={}", last_line(head, sources, file, *span)));
        }
        props.push(format!("title={title}"));
        out.push_str(&format!("::notice {}::{}\n", props.join(","), escape_data(&line.text.join("\n"))));
    }
    if let Some(ties) = &summary.ties {
        out.push_str(&tie_annotations(&ties.lines, head, sources));
    }
    let kind = if failing { "error" } else { "notice" };
    let headline = format!("{}{extra}", summary.headline());
    out.push_str(&format!("::{kind} title=sentinel-soar impact::{}\n", escape_data(&headline)));
    out
}
