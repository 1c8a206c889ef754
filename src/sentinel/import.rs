//! File-model rules -> YAML rule files (`import sentinel`): one file per rule, named from the
//! display name, with a `# source: <id>` comment and a stable field order (name, description,
//! order, enabled, expires, trigger, analytics_rules, conditions, actions). Names, operators
//! and enum values are written in Sentinel's spelling. Decoding the text gives back the same
//! rule ([`super::canon`] equal).

use std::collections::BTreeSet;

use crate::model::{Classification, ClassificationReason, Severity, Status};
use crate::rules::condition::{AddedKind, ChangedField};
use crate::rules::file::{ActionDef, CondDef, RuleDef, Text};
use crate::rules::operator::Operator;
use crate::rules::property;

use super::yaml_out::{block_map, block_seq, raw, string, Y};

fn text(t: &Text) -> Y {
    string(t.value.trim())
}

/// The API spelling of an enum value when it parses, else the text as written (compile
/// reports it).
fn spelled(t: &Text, parse: impl Fn(&str) -> Option<&'static str>) -> Y {
    string(parse(&t.value).unwrap_or_else(|| t.value.trim()))
}

fn list(items: &[Text], flow: bool) -> Y {
    Y::Seq(items.iter().map(text).collect(), flow)
}

fn changed_field(t: &Text) -> Y {
    spelled(t, |v| {
        ChangedField::parse(v).map(|f| match f {
            ChangedField::Severity => "IncidentSeverity",
            ChangedField::Status => "IncidentStatus",
            ChangedField::Owner => "IncidentOwner",
        })
    })
}

fn condition(c: &CondDef) -> Y {
    let group =
        |key, items: &[CondDef]| Y::Map(vec![(key, Y::Seq(items.iter().map(condition).collect(), false))], false);
    match c {
        CondDef::All { items, .. } => group("all", items),
        CondDef::Any { items, .. } => group("any", items),
        CondDef::Items { all, items, .. } => group(if *all { "all_items" } else { "any_item" }, items),
        CondDef::Not { inner, .. } => Y::Map(vec![("not", condition(inner))], false),
        CondDef::Leaf { property, operator, values, .. } => {
            let name = property::lookup(&property.value).map(|p| p.name);
            let values = match name {
                Some("IncidentSeverity") => Y::Seq(
                    values.iter().map(|v| spelled(v, |s| Severity::parse(s).map(Severity::as_str))).collect(),
                    true,
                ),
                Some("IncidentStatus") => {
                    Y::Seq(values.iter().map(|v| spelled(v, |s| Status::parse(s).map(Status::as_str))).collect(), true)
                }
                _ => list(values, true),
            };
            Y::Map(
                vec![
                    ("property", spelled(property, |_| name)),
                    ("operator", spelled(operator, |s| Operator::parse(s).map(Operator::name))),
                    ("values", values),
                ],
                true,
            )
        }
        CondDef::Changed { property, from, to, .. } => {
            let field = ChangedField::parse(&property.value);
            let value = |v: &Text| match field {
                Some(ChangedField::Severity) => spelled(v, |s| Severity::parse(s).map(Severity::as_str)),
                Some(ChangedField::Status) => spelled(v, |s| Status::parse(s).map(Status::as_str)),
                _ => text(v),
            };
            let mut entries = vec![("changed", changed_field(property))];
            if !from.is_empty() {
                entries.push(("from", Y::Seq(from.iter().map(value).collect(), true)));
            }
            if !to.is_empty() {
                entries.push(("to", Y::Seq(to.iter().map(value).collect(), true)));
            }
            Y::Map(entries, true)
        }
        CondDef::Added { what, .. } => Y::Map(
            vec![(
                "added",
                spelled(what, |s| {
                    let kind = AddedKind::parse(s)?;
                    AddedKind::NAMES.iter().copied().find(|n| AddedKind::parse(n) == Some(kind))
                }),
            )],
            true,
        ),
    }
}

fn action(a: &ActionDef) -> Y {
    let (key, value) = match a {
        ActionDef::ChangeStatus { status, classification, reason, comment, .. } => {
            let status = spelled(status, |s| Status::parse(s).map(Status::as_str));
            let mut entries = vec![("status", status.clone())];
            if let Some(c) = classification {
                entries.push(("classification", spelled(c, |s| Classification::parse(s).map(Classification::as_str))));
            }
            if let Some(r) = reason {
                entries
                    .push(("reason", spelled(r, |s| ClassificationReason::parse(s).map(ClassificationReason::as_str))));
            }
            if let Some(c) = comment {
                entries.push(("comment", text(c)));
            }
            ("change_status", if entries.len() == 1 { status } else { Y::Map(entries, true) })
        }
        ActionDef::ChangeSeverity { severity, .. } => {
            ("change_severity", spelled(severity, |s| Severity::parse(s).map(Severity::as_str)))
        }
        ActionDef::AssignOwner { object_id, email, upn, name, .. } => {
            let fields = [("upn", upn), ("object_id", object_id), ("email", email), ("name", name)];
            let entries = fields.into_iter().filter_map(|(k, v)| v.as_ref().map(|v| (k, text(v)))).collect();
            ("assign_owner", Y::Map(entries, true))
        }
        ActionDef::AddTags { tags, .. } => ("add_tags", list(tags, true)),
        ActionDef::AddTask { title, description, .. } => {
            let mut entries = vec![("title", text(title))];
            if let Some(d) = description {
                entries.push(("description", text(d)));
            }
            ("add_task", Y::Map(entries, true))
        }
        ActionDef::RunPlaybook { name, .. } => ("run_playbook", text(name)),
    };
    Y::Map(vec![(key, value)], false)
}

/// The mapping of one rule, in the stable field order.
fn rule_map(rule: &RuleDef) -> Vec<(&'static str, Y)> {
    let mut m = Vec::new();
    if let Some(n) = &rule.name {
        m.push(("name", text(n)));
    }
    if let Some(d) = &rule.description {
        m.push(("description", text(d)));
    }
    if let Some((o, _)) = rule.order {
        m.push(("order", raw(o.to_string())));
    }
    if !rule.enabled {
        m.push(("enabled", raw("false")));
    }
    if let Some(e) = &rule.expires {
        m.push(("expires", text(e)));
    }
    let lower = |t: &Option<Text>, default: &str| {
        string(&t.as_ref().map_or_else(|| default.to_owned(), |t| t.value.trim().to_ascii_lowercase()))
    };
    let trigger = vec![("on", lower(&rule.trigger_on, "incidents")), ("when", lower(&rule.trigger_when, "created"))];
    m.push(("trigger", Y::Map(trigger, true)));
    if !rule.analytics_rules.is_empty() {
        m.push(("analytics_rules", list(&rule.analytics_rules, false)));
    }
    if let Some(c) = &rule.conditions {
        m.push(("conditions", condition(c)));
    }
    m.push(("actions", Y::Seq(rule.actions.iter().map(action).collect(), false)));
    m
}

fn source_comment(id: Option<&str>) -> Option<String> {
    id.map(|id| format!("# source: {}", id.replace(['\n', '\r'], " ")))
}

/// The id in a `# source: <id>` comment on the nearest non-blank line above `line` (1-based),
/// where [`rule_file`] and [`rules_file`] write it.
pub fn source_comment_id(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().take(line.saturating_sub(1)).collect();
    for l in lines.iter().rev() {
        let t = l.trim().trim_start_matches("- ").trim();
        if t.is_empty() {
            continue;
        }
        let id = t.strip_prefix('#')?.trim().strip_prefix("source:")?.trim();
        return (!id.is_empty()).then(|| id.to_owned());
    }
    None
}

/// A YAML file holding one rule.
pub fn rule_file(rule: &RuleDef, id: Option<&str>) -> String {
    let mut lines: Vec<String> = source_comment(id).into_iter().collect();
    block_map(&rule_map(rule), 0, &mut lines);
    lines.push(String::new());
    lines.join("\n")
}

/// A YAML file holding several rules under `rules:`, each with its source comment.
pub fn rules_file(rules: &[(&RuleDef, Option<&str>)]) -> String {
    let mut lines = vec!["rules:".to_owned()];
    for (i, (rule, id)) in rules.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(source_comment(*id).map(|c| format!("  {c}")));
        block_seq(&[Y::Map(rule_map(rule), false)], 2, &mut lines);
    }
    lines.push(String::new());
    lines.join("\n")
}

/// A file name stem from a display name: lower-case ASCII letters and digits, other runs as
/// one `-`, at most 80 characters; `rule` when nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(80).collect();
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "rule".to_owned()
    } else {
        out
    }
}

/// File names (`<slug>.yaml`) for rules in order, made unique with `-2`, `-3`, ...
pub fn file_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut used = BTreeSet::new();
    names
        .into_iter()
        .map(|name| {
            let stem = slug(name);
            let mut candidate = stem.clone();
            let mut n = 2;
            while !used.insert(candidate.clone()) {
                candidate = format!("{stem}-{n}");
                n += 1;
            }
            format!("{candidate}.yaml")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_slugged_and_deduplicated() {
        assert_eq!(slug("High severity incidents: escalate!"), "high-severity-incidents-escalate");
        assert_eq!(slug("***"), "rule");
        assert_eq!(file_names(["A b", "a-b", "x"]), ["a-b.yaml", "a-b-2.yaml", "x.yaml"]);
    }

    #[test]
    fn the_yaml_writer_handles_empty_things() {
        let mut out = Vec::new();
        block_map(&[("actions", Y::Seq(Vec::new(), false))], 0, &mut out);
        assert_eq!(out, ["actions: []"]);
    }
}
