//! `impact --format human`: a block per changed incident, printed as it comes (the rules fired
//! before and after, each field that differs, and with `--ties permute` each tie whose order
//! decides its outcome), then the headline and the totals by field, by rule and by tie.

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
    for tie in &c.ties {
        text.push_str(&format!("  {}\n", tie.sentence(c.id().as_deref())));
        for order in tie.orders() {
            text.push_str(&format!("    {order}\n"));
        }
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
    if let Some(ties) = &summary.ties {
        text.push_str("\nOrder ties (--ties permute):\n");
        if ties.lines.is_empty() {
            text.push_str("  no outcome depends on the order of tied rules\n");
        }
        for line in &ties.lines {
            text.push_str(&format!("  {}\n", line.text));
        }
    }
    text
}
