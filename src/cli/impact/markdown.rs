//! `impact --format markdown`: a pull request comment. The headline, then three tables, each
//! largest change first and at most `--max-rows` rows, with a `... N more` line under a table
//! cut short: the rules, the fields, the changed incidents (with `--ties permute`, a table of
//! the ties whose order decides outcomes comes first, and the incidents whose outcome depends
//! on the order are listed too). The first line is an HTML comment a workflow can find the
//! previous comment by.
//!
//! While the batch runs, only the largest changed incidents are kept ([`Largest`]), so memory
//! holds the rows shown, not the run.

use crate::impact::{words, Compared, Summary, TieLine};

/// The marker on the comment's first line.
pub const MARKER: &str = "<!-- sentinel-soar impact -->";

/// The largest changed incidents so far (most differences and order-dependent ties first,
/// then input order), at most `max`.
pub struct Largest {
    max: usize,
    /// (differences, input position, the incident).
    kept: Vec<(usize, usize, Compared)>,
    seen: usize,
}

impl Largest {
    pub fn new(max: usize) -> Largest {
        Largest { max, kept: Vec::new(), seen: 0 }
    }

    /// Offers the next changed incident.
    pub fn offer(&mut self, c: &Compared) {
        self.seen += 1;
        self.kept.push((c.differences.len() + c.ties.len(), self.seen, c.clone()));
        if self.kept.len() > self.max.saturating_mul(2).max(64) {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.kept.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.kept.truncate(self.max);
    }

    /// The rows, largest first.
    fn rows(mut self) -> Vec<Compared> {
        self.trim();
        self.kept.into_iter().map(|(_, _, c)| c).collect()
    }
}

/// A line break inside a cell (between an incident's changes), made `<br>` once the cell's
/// text is escaped.
const BREAK: char = '\u{1}';

/// Text for a table cell: HTML escaped outside code spans ([`html`]), pipes escaped, lines
/// joined.
fn cell(text: &str) -> String {
    html(text).replace('|', "\\|").replace(['\r', '\n'], " ").replace(BREAK, "<br>")
}

/// `<` and `&` as entities (`>` opens nothing; `->` stays readable), outside code spans:
/// incident titles and values come from alerts, which an attacker may word, and a pull request
/// comment renders HTML. Inside a code span (`` `...` ``) markdown shows the text as it is, so
/// it is left as it is.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('`') {
        escape_into(&mut out, rest.get(..at).unwrap_or_default());
        let from = rest.get(at..).unwrap_or_default();
        let fence = from.len() - from.trim_start_matches('`').len();
        let body = from.get(fence..).unwrap_or_default();
        match closing(body, fence) {
            Some(end) => {
                out.push_str(from.get(..fence + end + fence).unwrap_or_default());
                rest = body.get(end + fence..).unwrap_or_default();
            }
            None => {
                out.push_str(from.get(..fence).unwrap_or_default());
                rest = body;
            }
        }
    }
    escape_into(&mut out, rest);
    out
}

/// Where in `body` a run of exactly `fence` backticks starts (the end of a code span).
fn closing(body: &str, fence: usize) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = body.get(at..).and_then(|r| r.find('`')) {
        let start = at + i;
        let run = body.get(start..).map_or(0, |r| r.len() - r.trim_start_matches('`').len());
        if run == fence {
            return Some(start);
        }
        at = start + run;
    }
    None
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
}

/// A table: the header, at most `max` of `rows`, and the `... N more` line.
fn table(out: &mut String, header: [&str; 2], rows: &[[String; 2]], total: usize, more: &str, max: usize) {
    if total == 0 {
        return;
    }
    out.push_str(&format!("\n| {} | {} |\n| --- | --- |\n", header[0], header[1]));
    for [a, b] in rows.iter().take(max) {
        out.push_str(&format!("| {} | {} |\n", cell(a), cell(b)));
    }
    if total > max {
        out.push_str(&format!("\n... {} more {more}\n", words::number(total - max)));
    }
}

/// The comment; `base` and `head` name the rule sets, `extra` is added to the headline.
pub fn render(summary: &Summary, largest: Largest, base: &str, head: &str, extra: &str, max: usize) -> String {
    let mut out = format!("{MARKER}\n### Impact of the rule change\n\n");
    out.push_str(&format!(
        "**{}**{extra} (base {}, head {})\n",
        summary.headline(),
        words::code(base),
        words::code(head)
    ));
    if let Some(ties) = &summary.ties {
        let rows: Vec<[String; 2]> = ties.lines.iter().map(tie_row).collect();
        table(&mut out, ["Order tie (--ties permute)", "Outcome"], &rows, rows.len(), "ties", max);
    }
    let rules: Vec<[String; 2]> =
        summary.rules.iter().map(|l| [words::rule_heading(&l.rule, l.status), l.text.join("; ")]).collect();
    table(&mut out, ["Rule", "Change"], &rules, rules.len(), "rules", max);
    let fields: Vec<[String; 2]> = summary.fields.iter().map(|l| [l.field.clone(), l.text.clone()]).collect();
    table(&mut out, ["Field", "Change"], &fields, fields.len(), "fields", max);
    let incidents: Vec<[String; 2]> = largest
        .rows()
        .iter()
        .map(|c| {
            let id = c.id().unwrap_or_else(|| "-".to_owned());
            let title = c.title.as_deref().map(|t| format!(": {t}")).unwrap_or_default();
            let mut changes: Vec<String> = c.differences.iter().map(words::difference).collect();
            for tie in &c.ties {
                let mut text = tie.sentence(c.id().as_deref());
                for order in tie.orders() {
                    text.push_str(&format!("; {order}"));
                }
                changes.push(text);
            }
            [format!("{id}{title}"), changes.join(&BREAK.to_string())]
        })
        .collect();
    let listed = summary.changed + summary.ties.as_ref().map_or(0, |t| t.unchanged);
    table(&mut out, ["Incident", "Changes"], &incidents, listed, "incidents", max);
    out
}

/// A tie group's row: `head: `A`, `B` (order 5, incidents created)`, and what its order
/// decides.
fn tie_row(line: &TieLine) -> [String; 2] {
    let rules: Vec<String> = line.rules.iter().map(|r| words::code(r)).collect();
    let group =
        format!("{}: {} (order {}, incidents {})", line.side.as_str(), rules.join(", "), line.order, line.trigger);
    [group, format!("decides {}", line.decides)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_escaped_outside_code_spans_only() {
        assert_eq!(cell("9999: Pipe | in <b>title</b> & co"), "9999: Pipe \\| in &lt;b>title&lt;/b> &amp; co");
        assert_eq!(cell("set to `<b>` from <i>"), "set to `<b>` from &lt;i>");
        assert_eq!(cell("`` a ` <b> `` <b>"), "`` a ` <b> `` &lt;b>");
        assert_eq!(cell("a ` <b>"), "a ` &lt;b>");
        assert_eq!(cell(&format!("one{BREAK}two <x> -> y")), "one<br>two &lt;x> -> y");
    }
}
