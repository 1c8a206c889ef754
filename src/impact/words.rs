//! The totals in words a reviewer reads: "`Close scanner noise` now closes 1,204 incidents it
//! did not", "3 incidents lose the `vip` tag". Counts have thousands separators; long values
//! (classification comments) are cut.

use super::diff::{Difference, Field};
use super::totals::{Direction, RuleStatus};
use crate::engine::value_text;

/// Characters of a value shown in a sentence.
const VALUE_MAX: usize = 60;

/// `n` with thousands separators: `1,204`.
pub fn number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 incident`, `1,204 incidents`.
pub fn count(n: usize, noun: &str) -> String {
    format!("{} {noun}{}", number(n), if n == 1 { "" } else { "s" })
}

/// The verb agreeing with `n`: `ends` for one, `end` for more.
fn verb<'a>(n: usize, one: &'a str, more: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        more
    }
}

/// A value cut to [`VALUE_MAX`] characters.
pub fn short(text: &str) -> String {
    if text.chars().count() <= VALUE_MAX {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(VALUE_MAX - 1).collect();
    cut.push('…');
    cut
}

/// A value as code: in backticks (doubled when it holds one).
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// How an incident ends for a one-value field: `Closed`, `with severity High`, `assigned to
/// x`; `None` is the unset form.
fn state(field: Field, value: Option<&str>) -> String {
    match (field, value) {
        (Field::Status, Some(v)) => v.to_owned(),
        (Field::Status, None) => "without a status".to_owned(),
        (Field::Severity, Some(v)) => format!("with severity {v}"),
        (Field::Severity, None) => "without a severity".to_owned(),
        (Field::Classification, Some(v)) => format!("classified {v}"),
        (Field::Classification, None) => "unclassified".to_owned(),
        (Field::ClassificationReason, Some(v)) => format!("with the classification reason {v}"),
        (Field::ClassificationReason, None) => "without a classification reason".to_owned(),
        (Field::ClassificationComment, Some(v)) => format!("with the classification comment {}", code(&short(v))),
        (Field::ClassificationComment, None) => "without a classification comment".to_owned(),
        (Field::Owner, Some(v)) => format!("assigned to {v}"),
        (Field::Owner, None) => "unassigned".to_owned(),
        (_, v) => v.unwrap_or("unset").to_owned(),
    }
}

/// Incidents whose one-value field ends otherwise: `1 incident ends Closed instead of New`,
/// `2 incidents now end assigned to x`, `1 incident no longer ends classified y`.
pub fn value_change(field: Field, before: Option<&str>, after: Option<&str>, n: usize) -> String {
    let incidents = count(n, "incident");
    let end = verb(n, "ends", "end");
    match (before, after) {
        (Some(b), Some(_)) => {
            let b = if field == Field::ClassificationComment { code(&short(b)) } else { b.to_owned() };
            format!("{incidents} {end} {} instead of {b}", state(field, after))
        }
        (None, _) => format!("{incidents} now {} {}", verb(n, "ends", "end"), state(field, after)),
        (Some(_), None) => format!("{incidents} no longer {} {}", verb(n, "ends", "end"), state(field, before)),
    }
}

/// Incidents that gain or lose an item of a list: `3 incidents lose the `vip` tag`.
pub fn item_change(field: Field, value: &str, gained: bool, n: usize) -> String {
    let incidents = count(n, "incident");
    let value = code(&short(value));
    match (field, gained) {
        (Field::Tags, true) => format!("{incidents} {} the {value} tag", verb(n, "gains", "gain")),
        (Field::Tags, false) => format!("{incidents} {} the {value} tag", verb(n, "loses", "lose")),
        (Field::Playbooks, true) => format!("{incidents} now {} a run of {value}", verb(n, "requests", "request")),
        (Field::Playbooks, false) => {
            format!("{incidents} no longer {} a run of {value}", verb(n, "requests", "request"))
        }
        (_, true) => format!("{incidents} {} the task {value}", verb(n, "gains", "gain")),
        (_, false) => format!("{incidents} {} the task {value}", verb(n, "loses", "lose")),
    }
}

/// Incidents whose list holds the same items in another order.
pub fn order_change(field: Field, n: usize) -> String {
    let what = match field {
        Field::Tags => "tags",
        Field::Playbooks => "playbook requests",
        _ => "tasks",
    };
    format!("{} {} their {what} in another order", count(n, "incident"), verb(n, "has", "have"))
}

/// Incidents whose record differs in another key.
pub fn other_change(key: &str, n: usize) -> String {
    format!("{} {} in {}", count(n, "incident"), verb(n, "differs", "differ"), code(key))
}

/// What a rule does to incidents, with the count last: `closes 3 incidents`.
fn effect_phrase(field: Field, value: &str, incidents: &str) -> String {
    let value_code = code(&short(value));
    match field {
        Field::Status if value.eq_ignore_ascii_case("Closed") => format!("closes {incidents}"),
        Field::Status => format!("sets status {value} on {incidents}"),
        Field::Severity => format!("sets severity {value} on {incidents}"),
        Field::Classification => format!("sets classification {value} on {incidents}"),
        Field::ClassificationReason => format!("sets classification reason {value} on {incidents}"),
        Field::ClassificationComment => format!("sets the classification comment {value_code} on {incidents}"),
        Field::Owner => format!("assigns {value} to {incidents}"),
        Field::Tags => format!("adds the tag {value_code} to {incidents}"),
        Field::Tasks => format!("adds the task {value_code} to {incidents}"),
        Field::Playbooks => format!("runs {value_code} on {incidents}"),
    }
}

/// A rule's share of the outcomes: `now closes 1,204 incidents it did not`, `no longer adds
/// the tag `vip` to 3 incidents`.
pub fn effect(direction: Direction, field: Field, value: &str, n: usize) -> String {
    let phrase = effect_phrase(field, value, &count(n, "incident"));
    match direction {
        Direction::Now => format!("now {phrase} it did not"),
        Direction::NoLonger => format!("no longer {phrase}"),
    }
}

/// A rule's change in the incidents it fires on.
pub fn fired(direction: Direction, n: usize) -> String {
    match direction {
        Direction::Now => format!("now fires on {} it did not", count(n, "incident")),
        Direction::NoLonger => format!("no longer fires on {}", count(n, "incident")),
    }
}

/// The headline: `5 of 17 incidents change`, and the incidents on which other rules fire with
/// the same outcome.
pub fn headline(incidents: usize, changed: usize, fired_only: usize) -> String {
    let mut line =
        format!("{} of {} {}", number(changed), count(incidents, "incident"), verb(changed, "changes", "change"));
    if fired_only > 0 {
        line.push_str(&format!("; on {} more, other rules fire with the same outcome", number(fired_only)));
    }
    line
}

/// One difference of an incident, with values cut: `status: New -> Closed`, `tags: -
/// tactic:x, + pentest`, `tags: a, b -> b, a` (the same items in another order).
pub fn difference(d: &Difference) -> String {
    let or_dash = |v: &Option<String>| v.as_deref().map_or_else(|| "-".to_owned(), short);
    match d {
        Difference::Value { field, before, after, .. } => {
            format!("{}: {} -> {}", field.name(), or_dash(before), or_dash(after))
        }
        Difference::List { field, added, removed, before, after } if added.is_empty() && removed.is_empty() => {
            let list = |items: &[String]| items.iter().map(|i| short(i)).collect::<Vec<_>>().join(", ");
            format!("{}: {} -> {}", field.name(), list(before), list(after))
        }
        Difference::List { field, added, removed, .. } => {
            let items = removed.iter().map(|i| format!("- {}", short(&i.value)));
            let items: Vec<String> = items.chain(added.iter().map(|i| format!("+ {}", short(&i.value)))).collect();
            format!("{}: {}", field.name(), items.join(", "))
        }
        Difference::Other { key, before, after } => {
            format!("{key}: {} -> {}", short(&value_text(before)), short(&value_text(after)))
        }
    }
}

/// What became of a rule, for its heading: `new`, `removed`, `order 120 -> 90`; `None` for a
/// rule kept at its order.
pub fn rule_status(status: RuleStatus) -> Option<String> {
    match status {
        RuleStatus::Added { .. } => Some("new".to_owned()),
        RuleStatus::Removed { .. } => Some("removed".to_owned()),
        RuleStatus::Reordered { before, after } => Some(format!("order {before} -> {after}")),
        RuleStatus::Kept { .. } => None,
    }
}

/// A rule's heading: its name as code, and what became of it: `` `Tag lateral movement`
/// (removed) ``.
pub fn rule_heading(rule: &str, status: RuleStatus) -> String {
    match rule_status(status) {
        Some(what) => format!("{} ({what})", code(rule)),
        None => code(rule),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators_and_agree() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1204), "1,204");
        assert_eq!(number(1_234_567), "1,234,567");
        assert_eq!(count(1, "incident"), "1 incident");
        assert_eq!(count(1204, "incident"), "1,204 incidents");
    }

    #[test]
    fn sentences_read_as_the_issue_asks() {
        assert_eq!(effect(Direction::Now, Field::Status, "Closed", 1204), "now closes 1,204 incidents it did not");
        assert_eq!(item_change(Field::Tags, "vip", false, 3), "3 incidents lose the `vip` tag");
        assert_eq!(effect(Direction::NoLonger, Field::Tags, "vip", 3), "no longer adds the tag `vip` to 3 incidents");
        assert_eq!(
            value_change(Field::Status, Some("New"), Some("Closed"), 1),
            "1 incident ends Closed instead of New"
        );
        assert_eq!(value_change(Field::Owner, None, Some("a@b"), 2), "2 incidents now end assigned to a@b");
        assert_eq!(
            value_change(Field::Severity, Some("High"), Some("Low"), 2),
            "2 incidents end with severity Low instead of High"
        );
        assert_eq!(headline(17, 1, 2), "1 of 17 incidents changes; on 2 more, other rules fire with the same outcome");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(short(&"x".repeat(80)).chars().count(), 60);
    }
}
