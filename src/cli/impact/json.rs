//! `impact --format json`: one document, written incident by incident as the batch goes:
//! `{"base", "head", "incidents": [the changed incidents], "summary": {counts, "byField",
//! "byRule"}}`. Values are whole (not cut); every total carries its sentence as `text`.
//!
//! With `--ties permute`, `incidents` also holds the unchanged incidents whose outcome depends
//! on the order of tied rules, each incident has its `orderDependence` (the shape of `apply
//! --dry-run`'s, with the `side`, the `fields` and the sentence), and the summary has
//! `orderDependent`.

use serde_json::{json, Value};

use crate::impact::{
    Compared, Difference, Effect, FieldChange, FieldLine, Item, OrderDependence, RuleLine, RuleStatus, Summary,
    TieSummary,
};

fn items(items: &[Item]) -> Value {
    items.iter().map(|i| json!({"value": i.value, "rule": i.rule})).collect()
}

fn difference(d: &Difference) -> Value {
    match d {
        Difference::Value { field, before, after, by_before, by_after } => json!({
            "field": field.name(), "before": before, "after": after, "ruleBefore": by_before, "ruleAfter": by_after,
        }),
        Difference::List { field, added, removed, before, after } => {
            let mut v = json!({"field": field.name(), "added": items(added), "removed": items(removed)});
            if let (false, Some(map)) = (before.is_empty() && after.is_empty(), v.as_object_mut()) {
                map.insert("before".into(), json!(before));
                map.insert("after".into(), json!(after));
            }
            v
        }
        Difference::Other { key, before, after } => {
            json!({"field": "other", "key": key, "before": before, "after": after})
        }
    }
}

/// One tie of one side whose order decides the incident `id`'s outcome.
fn order_dependence(t: &OrderDependence, id: Option<&str>) -> Value {
    let d = &t.dependence;
    let orders: Vec<Value> = d
        .variants
        .iter()
        .map(|v| {
            let changes: Vec<Value> = v
                .changes
                .iter()
                .map(|c| json!({"field": c.field, "nameOrder": c.before.to_string(), "thisOrder": c.after.to_string()}))
                .collect();
            json!({"rules": v.order, "changes": changes})
        })
        .collect();
    json!({
        "side": t.side.key(),
        "order": d.order,
        "trigger": d.when.as_str(),
        "rules": d.rules,
        "fields": t.fields(),
        "orders": orders,
        "text": t.sentence(id),
    })
}

/// A changed incident (or, with `--ties permute`, one whose outcome depends on the order of
/// tied rules); `ties`: `--ties permute` was given.
pub fn incident(c: &Compared, ties: bool) -> Value {
    let mut v = json!({
        "file": c.file,
        "incident": c.incident,
        "incidentNumber": c.number,
        "title": c.title,
        "firedBefore": c.fired_before,
        "firedAfter": c.fired_after,
        "differences": c.differences.iter().map(difference).collect::<Vec<_>>(),
    });
    if let (true, Some(map)) = (ties, v.as_object_mut()) {
        let id = c.id();
        let found: Vec<Value> = c.ties.iter().map(|t| order_dependence(t, id.as_deref())).collect();
        map.insert("orderDependence".into(), Value::Array(found));
    }
    v
}

/// `--ties permute`'s totals.
fn ties(t: &TieSummary) -> Value {
    let lines: Vec<Value> = t
        .lines
        .iter()
        .map(|l| {
            json!({
                "side": l.side.key(),
                "order": l.order,
                "trigger": l.trigger,
                "rules": l.rules,
                "fields": l.fields,
                "incidents": l.incidents,
                "text": l.text,
            })
        })
        .collect();
    json!({
        "incidents": t.incidents,
        "base": t.base,
        "head": t.head,
        "unchanged": t.unchanged,
        "headUnchanged": t.head_unchanged,
        "byTie": lines,
    })
}

fn field_line(l: &FieldLine) -> Value {
    let mut v = json!({"field": l.field, "incidents": l.incidents, "text": l.text});
    let extra = match &l.change {
        FieldChange::Value { before, after } => json!({"change": "value", "before": before, "after": after}),
        FieldChange::Item { value, gained: true } => json!({"change": "gained", "value": value}),
        FieldChange::Item { value, gained: false } => json!({"change": "lost", "value": value}),
        FieldChange::Order => json!({"change": "order"}),
        FieldChange::Other => json!({"change": "other"}),
    };
    if let (Some(map), Value::Object(more)) = (v.as_object_mut(), extra) {
        map.extend(more);
    }
    v
}

fn effect(e: &Effect) -> Value {
    json!({"change": e.direction.as_str(), "field": e.field.name(), "value": e.value, "incidents": e.incidents, "text": e.text})
}

fn rule_line(l: &RuleLine) -> Value {
    let (status, before, after) = match l.status {
        RuleStatus::Added { order } => ("new", None, Some(order)),
        RuleStatus::Removed { order } => ("removed", Some(order), None),
        RuleStatus::Reordered { before, after } => ("moved", Some(before), Some(after)),
        RuleStatus::Kept { order } => ("kept", Some(order), Some(order)),
    };
    let mut v = json!({
        "rule": l.rule,
        "status": status,
        "orderBefore": before,
        "orderAfter": after,
        "firesMore": l.fires_more,
        "firesFewer": l.fires_fewer,
        "effects": l.effects.iter().map(effect).collect::<Vec<_>>(),
        "text": l.text,
    });
    if let (Some((file, span)), Some(map)) = (&l.head, v.as_object_mut()) {
        map.insert("file".into(), json!(file));
        map.insert("line".into(), json!(span.line));
    }
    v
}

/// The summary: counts, the headline and the totals.
pub fn summary(s: &Summary, not_processed: usize) -> Value {
    let mut v = json!({
        "incidents": s.incidents,
        "changed": s.changed,
        "firedOnly": s.fired_only,
        "notProcessed": not_processed,
        "text": s.headline(),
        "byField": s.fields.iter().map(field_line).collect::<Vec<_>>(),
        "byRule": s.rules.iter().map(rule_line).collect::<Vec<_>>(),
    });
    if let (Some(t), Some(map)) = (&s.ties, v.as_object_mut()) {
        map.insert("orderDependent".into(), ties(t));
    }
    v
}
