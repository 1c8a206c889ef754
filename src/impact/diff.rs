//! What differs between the two final states of one incident ([`compare`]): the fields
//! Sentinel shows, by name, each with the rule that left its value on either side; then any
//! other difference in the record, by key, so that the incidents reported are exactly those
//! whose `apply` output (or playbook requests) differ.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Final;
use crate::model::Incident;

/// A field compared by name, in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Status,
    Classification,
    ClassificationReason,
    ClassificationComment,
    Severity,
    Owner,
    Tags,
    Tasks,
    Playbooks,
}

/// The fields holding one value.
const VALUES: [Field; 6] = [
    Field::Status,
    Field::Classification,
    Field::ClassificationReason,
    Field::ClassificationComment,
    Field::Severity,
    Field::Owner,
];

impl Field {
    /// The name reports and JSON give it.
    pub fn name(self) -> &'static str {
        match self {
            Field::Status => "status",
            Field::Classification => "classification",
            Field::ClassificationReason => "classificationReason",
            Field::ClassificationComment => "classificationComment",
            Field::Severity => "severity",
            Field::Owner => "owner",
            Field::Tags => "tags",
            Field::Tasks => "tasks",
            Field::Playbooks => "playbooks",
        }
    }

    /// The incident's property that holds it (and that changes name); none for playbooks.
    fn property(self) -> Option<&'static str> {
        match self {
            Field::Tags => Some("labels"),
            Field::Playbooks => None,
            other => Some(other.name()),
        }
    }

    /// A one-value field's value (`None`: unset or empty).
    fn value(self, incident: &Incident) -> Option<String> {
        match self {
            Field::Owner => incident.owner().display().map(str::to_owned),
            other => incident.field(other.name()).filter(|v| !v.is_empty()).map(str::to_owned),
        }
    }
}

/// An item of a list field, with the rule that put it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub value: String,
    pub rule: Option<String>,
}

/// One difference between the base's and the head's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    /// A one-value field (status, classification and its reason and comment, severity, owner):
    /// the values, and the rule that left each (`None`: the incident came so).
    Value {
        field: Field,
        before: Option<String>,
        after: Option<String>,
        by_before: Option<String>,
        by_after: Option<String>,
    },
    /// A list (tags, task titles, playbooks requested): the items only the head leaves
    /// (`added`) and only the base leaves (`removed`); when both are empty, the same items in
    /// another order (`before`, `after`).
    List { field: Field, added: Vec<Item>, removed: Vec<Item>, before: Vec<String>, after: Vec<String> },
    /// Another key of the record (`lastModifiedTimeUtc`, what a playbook wrote, or a compared
    /// field whose record differs where its value does not).
    Other { key: String, before: Value, after: Value },
}

impl Difference {
    /// The field's name, or the other key.
    pub fn name(&self) -> &str {
        match self {
            Difference::Value { field, .. } | Difference::List { field, .. } => field.name(),
            Difference::Other { key, .. } => key,
        }
    }
}

/// Every difference between the two outcomes, the named fields first (in [`Field`] order),
/// then the other keys in key order.
pub fn compare(base: &Final, head: &Final) -> Vec<Difference> {
    let (b, h) = (&base.incident, &head.incident);
    let mut out = Vec::new();
    for field in VALUES {
        let (before, after) = (field.value(b), field.value(h));
        if before != after {
            let property = field.property().unwrap_or_default();
            let by_before = before.as_deref().and_then(|v| base.set_by(property, v));
            let by_after = after.as_deref().and_then(|v| head.set_by(property, v));
            out.push(Difference::Value { field, before, after, by_before, by_after });
        }
    }
    let lists = [
        (Field::Tags, items(base, b.labels(), "labels"), items(head, h.labels(), "labels")),
        (Field::Tasks, items(base, b.task_titles(), "tasks"), items(head, h.task_titles(), "tasks")),
        (Field::Playbooks, playbooks(base), playbooks(head)),
    ];
    for (field, before, after) in lists {
        if let Some(difference) = list(field, before, after) {
            out.push(difference);
        }
    }
    others(b, h, &mut out);
    out
}

/// The items of a list with the rule that added each.
fn items<'a>(side: &Final, values: impl Iterator<Item = &'a str>, property: &str) -> Vec<Item> {
    values.map(|v| Item { value: v.to_owned(), rule: side.set_by(property, v) }).collect()
}

fn playbooks(side: &Final) -> Vec<Item> {
    side.playbooks().into_iter().map(|(value, rule)| Item { value, rule }).collect()
}

/// The difference of two lists, as multisets (a task title may repeat); `None` when equal.
fn list(field: Field, before: Vec<Item>, after: Vec<Item>) -> Option<Difference> {
    let values = |items: &[Item]| items.iter().map(|i| i.value.clone()).collect::<Vec<_>>();
    let (b, a) = (values(&before), values(&after));
    if b == a {
        return None;
    }
    let added = minus(&after, &b);
    let removed = minus(&before, &a);
    let (b, a) = if added.is_empty() && removed.is_empty() { (b, a) } else { (Vec::new(), Vec::new()) };
    Some(Difference::List { field, added, removed, before: b, after: a })
}

/// The items of `items` left once each value of `other` has taken one of its own.
fn minus(items: &[Item], other: &[String]) -> Vec<Item> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for value in other {
        *counts.entry(value.as_str()).or_default() += 1;
    }
    let mut out = Vec::new();
    for item in items {
        match counts.get_mut(item.value.as_str()) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(item.clone()),
        }
    }
    out
}

/// The time of the last change: it differs whenever a named field does, so it is reported only
/// when nothing else differs.
const MODIFIED: &str = "lastModifiedTimeUtc";

/// Differences outside the named fields: every key of the record (the top level and the
/// properties) whose value differs, unless a named field already says why.
fn others(base: &Incident, head: &Incident, out: &mut Vec<Difference>) {
    let (b, h) = (base.as_value(), head.as_value());
    if b == h {
        return;
    }
    let empty = Map::new();
    let properties = |v: &Value| v.get("properties").and_then(Value::as_object).cloned();
    let (bp, hp) = (properties(b), properties(h));
    let (b_props, h_props) = match (&bp, &hp) {
        (Some(bp), Some(hp)) => (bp, hp),
        _ => (b.as_object().unwrap_or(&empty), h.as_object().unwrap_or(&empty)),
    };
    let covered: Vec<&str> = out.iter().map(Difference::name).map(|n| if n == "tags" { "labels" } else { n }).collect();
    let mut found = Vec::new();
    if bp.is_some() && hp.is_some() {
        differing(b.as_object().unwrap_or(&empty), h.as_object().unwrap_or(&empty), &["properties"], &mut found);
    }
    differing(b_props, h_props, &covered, &mut found);
    let named_differ = !out.is_empty();
    let rest = found.iter().any(|(k, _, _)| k != MODIFIED);
    for (key, before, after) in found {
        if key == MODIFIED && (named_differ || rest) {
            continue;
        }
        out.push(Difference::Other { key, before, after });
    }
}

/// Keys of `a` and `b` (not in `skip`) whose values differ, in key order.
fn differing(a: &Map<String, Value>, b: &Map<String, Value>, skip: &[&str], found: &mut Vec<(String, Value, Value)>) {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if skip.contains(&key.as_str()) {
            continue;
        }
        if a.get(key) != b.get(key) {
            let value = |m: &Map<String, Value>| m.get(key).cloned().unwrap_or(Value::Null);
            found.push((key.clone(), value(a), value(b)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn side(value: Value) -> Final {
        Final {
            incident: Incident::from_value(value).unwrap(),
            fired: Vec::new(),
            changes: Vec::new(),
            ties: Vec::new(),
        }
    }

    #[test]
    fn named_fields_come_first_then_other_keys_and_the_modified_time_only_alone() {
        let base = side(json!({"title": "t", "severity": "High", "status": "New", "lastModifiedTimeUtc": "a",
            "labels": [{"labelName": "x"}, {"labelName": "y"}]}));
        let head = side(json!({"title": "t", "severity": "Low", "status": "New", "lastModifiedTimeUtc": "b",
            "labels": [{"labelName": "y"}, {"labelName": "z"}], "comments": ["c"]}));
        let names: Vec<String> = compare(&base, &head).iter().map(|d| d.name().to_owned()).collect();
        assert_eq!(names, ["severity", "tags", "comments"]);
        let head = side(json!({"title": "t", "severity": "High", "status": "New", "lastModifiedTimeUtc": "b",
            "labels": [{"labelName": "x"}, {"labelName": "y"}]}));
        let found = compare(&base, &head);
        assert_eq!(found, [Difference::Other { key: MODIFIED.into(), before: json!("a"), after: json!("b") }]);
    }

    #[test]
    fn lists_compare_as_multisets_and_an_order_change_keeps_both_orders() {
        let item = |v: &str| Item { value: v.into(), rule: None };
        let d = list(Field::Tasks, vec![item("a"), item("a"), item("b")], vec![item("a"), item("c")]).unwrap();
        let Difference::List { added, removed, before, .. } = d else { panic!() };
        assert_eq!((added, removed, before.len()), (vec![item("c")], vec![item("a"), item("b")], 0));
        let d = list(Field::Tags, vec![item("a"), item("b")], vec![item("b"), item("a")]).unwrap();
        let Difference::List { added, before, after, .. } = d else { panic!() };
        assert!(added.is_empty());
        assert_eq!((before, after), (vec!["a".to_owned(), "b".to_owned()], vec!["b".to_owned(), "a".to_owned()]));
        assert!(list(Field::Tags, vec![item("a")], vec![item("a")]).is_none());
    }

    #[test]
    fn a_record_that_differs_where_its_value_does_not_is_reported_under_its_key() {
        let base = side(
            json!({"properties": {"title": "t", "status": "New", "labels": [{"labelName": "x", "labelType": "User"}]}}),
        );
        let head = side(
            json!({"properties": {"title": "t", "status": "New", "labels": [{"labelName": "x", "labelType": "System"}]}}),
        );
        let names: Vec<String> = compare(&base, &head).iter().map(|d| d.name().to_owned()).collect();
        assert_eq!(names, ["labels"]);
    }
}
