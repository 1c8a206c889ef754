//! `impact --format markdown`: a pull request comment. The headline, then three tables, each
//! largest change first and at most `--max-rows` rows, with a `... N more` line under a table
//! cut short: the rules, the fields, the changed incidents. The first line is an HTML comment a
//! workflow can find the previous comment by.
//!
//! While the batch runs, only the largest changed incidents are kept ([`Largest`]), so memory
//! holds the rows shown, not the run.

use crate::impact::{words, Compared, Summary};

/// The marker on the comment's first line.
pub const MARKER: &str = "<!-- sentinel-soar impact -->";

/// The largest changed incidents so far (most differences first, then input order), at most
/// `max`.
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
        self.kept.push((c.differences.len(), self.seen, c.clone()));
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

/// Text for a table cell: pipes escaped, lines joined.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
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
            let changes: Vec<String> = c.differences.iter().map(words::difference).collect();
            [format!("{id}{title}"), changes.join("<br>")]
        })
        .collect();
    table(&mut out, ["Incident", "Changes"], &incidents, summary.changed, "incidents", max);
    out
}
