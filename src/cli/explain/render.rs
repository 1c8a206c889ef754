//! Human text of an [`Explanation`]: per incident, the rules in run order grouped by trigger,
//! each with its outcome, its condition tree and its changes. Box-drawing characters and ✔ / ✘
//! on a terminal; plain ASCII (`[x]` true, `[ ]` false, `[-]` not evaluated) when piped.

use super::explanation::{section, Explanation, IncidentExplanation, Outcome, RuleExplanation};
use super::tree::{ItemExplanation, NodeExplanation};
use crate::cli::dry_run::describe;

/// Marks and tree connectors.
struct Glyphs {
    yes: &'static str,
    no: &'static str,
    skip: &'static str,
    branch: &'static str,
    last: &'static str,
    pipe: &'static str,
    space: &'static str,
    /// Indent of a rule's body, under its name.
    body: &'static str,
}

const UNICODE: Glyphs =
    Glyphs {
        yes: "✔", no: "✘", skip: "·", branch: "├─ ", last: "└─ ", pipe: "│  ", space: "   ", body: "  "
    };
const ASCII: Glyphs =
    Glyphs { yes: "[x]", no: "[ ]", skip: "[-]", branch: "|- ", last: "`- ", pipe: "|  ", space: "   ", body: "    " };

/// Values listed for a leaf before "and N more".
const MAX_SHOWN: usize = 5;
/// Characters of one value shown before it is cut.
const MAX_CHARS: usize = 80;

/// Renders one incident of the report; `unicode` for a terminal. Incidents are separated by
/// a blank line.
pub fn render(doc: &Explanation, inc: &IncidentExplanation, unicode: bool) -> String {
    let mut out = String::new();
    incident(&mut out, doc, inc, if unicode { &UNICODE } else { &ASCII });
    out
}

fn incident(out: &mut String, doc: &Explanation, inc: &IncidentExplanation, g: &Glyphs) {
    let id = inc.incident_number.map(|n| format!(" {n}")).or_else(|| inc.incident.as_ref().map(|n| format!(" {n}")));
    out.push_str(&format!("Incident{}: {}\n", id.unwrap_or_default(), inc.title.as_deref().unwrap_or("(no title)")));
    out.push_str(&format!("  file: {}\n", inc.file));
    let fired = inc.rules.iter().filter(|r| r.outcome == Outcome::Fired).count();
    out.push_str(&format!("  event: {} at {}; {fired} of {} rule(s) fired\n", doc.event, doc.now, inc.rules.len()));
    let (mut current, mut tall) = (None, false);
    for rule in &inc.rules {
        let mut entry = String::new();
        rule_entry(&mut entry, rule, g);
        // A blank line around every entry that spans several lines; one-line entries stay together.
        let lines = entry.lines().count();
        let s = section(rule.on, rule.when);
        if current != Some(s) {
            current = Some(s);
            out.push('\n');
            out.push_str(&section_title(doc, inc, rule));
            out.push_str("\n\n");
        } else if tall || lines > 1 {
            out.push('\n');
        }
        tall = lines > 1;
        out.push_str(&entry);
    }
}

fn section_title(doc: &Explanation, inc: &IncidentExplanation, rule: &RuleExplanation) -> String {
    match (rule.on, rule.when) {
        ("incidents", "created") if doc.event == "updated" => {
            "Rules on incidents created (not run: this is an update event)".to_owned()
        }
        ("incidents", "created") => "Rules on incidents created".to_owned(),
        ("incidents", _) => match &inc.update {
            Some(update) if doc.event == "updated" => format!("Rules on incidents updated, run on: {update}"),
            Some(update) => format!("Rules on incidents updated, run once on what the created rules changed: {update}"),
            None => "Rules on incidents updated (not run: no created rule changed the incident)".to_owned(),
        },
        _ => "Rules on alerts (not run: explain takes incidents)".to_owned(),
    }
}

fn rule_entry(out: &mut String, rule: &RuleExplanation, g: &Glyphs) {
    let (mark, status) = match (rule.outcome, &rule.reason) {
        (Outcome::Fired, _) => (g.yes, fired_status(rule.changes.len())),
        (Outcome::Trigger, reason) => (g.skip, format!("skipped, {}", reason.as_deref().unwrap_or("trigger"))),
        (_, reason) => (g.no, format!("skipped, {}", reason.as_deref().unwrap_or("not run"))),
    };
    out.push_str(&format!("{mark} {} {}: {status}\n", rule.order, rule.rule));
    match &rule.conditions {
        Some(root) => node(out, root, g, g.body, g.body),
        None if rule.outcome == Outcome::Fired => out.push_str(&format!("{}(no conditions: always true)\n", g.body)),
        None => {}
    }
    if !rule.changes.is_empty() {
        out.push_str(&format!("{}changes:\n", g.body));
        for change in &rule.changes {
            out.push_str(&format!("{}  {}\n", g.body, describe(change)));
        }
    }
}

fn fired_status(changes: usize) -> String {
    match changes {
        0 => "fired, no change (already so)".to_owned(),
        1 => "fired, 1 change".to_owned(),
        n => format!("fired, {n} changes"),
    }
}

fn mark(result: Option<bool>, g: &Glyphs) -> &'static str {
    match result {
        Some(true) => g.yes,
        Some(false) => g.no,
        None => g.skip,
    }
}

fn quote(text: &str) -> String {
    let cut: String = text.chars().take(MAX_CHARS).collect();
    let ellipsis = if cut.len() < text.len() { "..." } else { "" };
    format!("{}{ellipsis}", serde_json::Value::String(cut))
}

/// What a node saw, after its description.
fn evidence(n: &NodeExplanation) -> String {
    if n.result.is_none() {
        return "(not evaluated)".to_owned();
    }
    match n.kind {
        "property" => match (&n.matched, n.negated) {
            (Some(v), false) => format!("matched {}", quote(v)),
            (Some(v), true) => format!("found {}", quote(v)),
            (None, _) => {
                let seen = n.seen.as_deref().unwrap_or_default();
                if seen.is_empty() {
                    return n.entity.map_or_else(|| "no value".to_owned(), |k| format!("no value on any {k} entity"));
                }
                let shown: Vec<String> = seen.iter().take(MAX_SHOWN).map(|v| quote(v)).collect();
                let more = seen.len().saturating_sub(MAX_SHOWN);
                let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                format!("saw {}{more}", shown.join(", "))
            }
        },
        "changed" | "added" => n.detail.clone().unwrap_or_default(),
        "any_item" | "all_items" if n.items.as_ref().is_some_and(Vec::is_empty) => "(no custom details)".to_owned(),
        _ => String::new(),
    }
}

/// One node line, then its children (or its items) under `prefix`.
fn node(out: &mut String, n: &NodeExplanation, g: &Glyphs, lead: &str, prefix: &str) {
    let seen = evidence(n);
    let gap = if seen.is_empty() { "" } else { "  " };
    out.push_str(&format!("{lead}{} {}{gap}{seen}\n", mark(n.result, g), n.text));
    match &n.items {
        Some(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                let last = i + 1 == items.len();
                item_entry(out, item, g, prefix, last);
            }
        }
        _ => children(out, &n.children, g, prefix),
    }
}

fn children(out: &mut String, list: &[NodeExplanation], g: &Glyphs, prefix: &str) {
    for (i, child) in list.iter().enumerate() {
        let last = i + 1 == list.len();
        let lead = format!("{prefix}{}", if last { g.last } else { g.branch });
        let next = format!("{prefix}{}", if last { g.space } else { g.pipe });
        node(out, child, g, &lead, &next);
    }
}

fn item_entry(out: &mut String, item: &ItemExplanation, g: &Glyphs, prefix: &str, last: bool) {
    let lead = format!("{prefix}{}", if last { g.last } else { g.branch });
    let next = format!("{prefix}{}", if last { g.space } else { g.pipe });
    out.push_str(&format!("{lead}{} item {}\n", mark(Some(item.result), g), quote(&item.label)));
    children(out, &item.children, g, &next);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::engine::{Clock, Event};
    use crate::model::Incident;
    use crate::rules::{self, file};

    const RULE: &str = "name: Tier-0 hosts\norder: 1\nconditions:\n  any:\n    \
        - not: { property: IPAddress, operator: InCidr, values: [10.0.0.0/8] }\n    \
        - { property: HostName, operator: StartsWith, values: [dc] }\nactions:\n  - change_severity: High\n";

    #[test]
    fn terminal_form_uses_box_drawing_and_marks() {
        let mut diags = Vec::new();
        let decoded = file::decode("t.yaml", RULE, &mut diags);
        let (set, more) = rules::compile(&[decoded], &rules::Options::default());
        assert!(diags.is_empty() && more.is_empty(), "{diags:?} {more:?}");
        let incident = Incident::from_value(json!({"title": "T", "severity": "Low", "status": "New",
            "entities": [{"kind": "Host", "hostName": "ws-1"}, {"kind": "Ip", "address": "10.1.2.3"}]}))
        .unwrap();
        let clock = Clock::new(chrono::DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").unwrap().into());
        let explained =
            crate::cli::explain::explanation::explain_incident(&set, "t.json", incident, &Event::Created, clock, None);
        let doc = Explanation { now: clock.stamp(), event: "created" };
        assert_eq!(
            render(&doc, &explained, true),
            "Incident: T\n  file: t.json\n  event: created at 2026-06-01T00:00:00Z; 0 of 1 rule(s) fired\n\n\
             Rules on incidents created\n\n\
             ✘ 1 Tier-0 hosts: skipped, conditions not met\n\
             \x20 ✘ any\n\
             \x20 ├─ ✘ not\n\
             \x20 │  └─ ✔ IPAddress InCidr [10.0.0.0/8]  matched \"10.1.2.3\"\n\
             \x20 └─ ✘ HostName StartsWith [dc]  saw \"ws-1\"\n"
        );
    }
}
