//! `impact --format human`: a block per changed incident, printed as it comes (the rules fired
//! before and after, each field that differs), then the headline and the totals by field and
//! by rule.

use crate::impact::{words, Compared, Summary};

/// The rules fired, as a line: `A, B`, or `(none)`.
fn rules(fired: &[String]) -> String {
    if fired.is_empty() {
        "(none)".to_owned()
    } else {
        fired.join(", ")
    }
}

/// The block of a changed incident.
pub fn block(c: &Compared) -> String {
    let id = c.id().map(|id| format!(" {id}")).unwrap_or_default();
    let title = c.title.as_deref().unwrap_or("(no title)");
    let mut text = format!("Incident{id} ({}): {title}\n", c.file);
    if c.fired_differs() {
        text.push_str(&format!("  fired before: {}\n", rules(&c.fired_before)));
        text.push_str(&format!("  fired after:  {}\n", rules(&c.fired_after)));
    } else {
        text.push_str(&format!("  fired: {}\n", rules(&c.fired_after)));
    }
    for d in &c.differences {
        text.push_str(&format!("  {}\n", words::difference(d)));
    }
    text.push('\n');
    text
}

/// The headline and the totals; `extra` is added to the headline (records that could not be
/// processed).
pub fn closing(summary: &Summary, extra: &str) -> String {
    let mut text = format!("{}{extra}\n", summary.headline());
    if !summary.fields.is_empty() {
        text.push_str("\nBy field:\n");
        for line in &summary.fields {
            text.push_str(&format!("  {}\n", line.text));
        }
    }
    if !summary.rules.is_empty() {
        text.push_str("\nBy rule:\n");
        for line in &summary.rules {
            text.push_str(&format!("  {}\n", words::rule_heading(&line.rule, line.status)));
            for sentence in &line.text {
                text.push_str(&format!("    {sentence}\n"));
            }
        }
    }
    text
}
