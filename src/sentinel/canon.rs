//! A canonical JSON form of file-model rules for comparing them semantically: spans and
//! spelling dropped (property, operator and enum names in Sentinel's spelling, defaults made
//! explicit, timestamps normalised), structure and values kept. Round-trip tests compare
//! these, and `import`/`export` document their guarantees in terms of them.

use serde_json::{json, Map, Value};

use crate::model::time;
use crate::model::{Classification, ClassificationReason, Severity, Status};
use crate::rules::condition::{AddedKind, ChangedField};
use crate::rules::file::{ActionDef, CondDef, RuleDef, Text};
use crate::rules::operator::Operator;
use crate::rules::property;

fn s(t: &Text) -> Value {
    Value::String(t.value.trim().to_owned())
}

fn opt(t: Option<&Text>) -> Value {
    t.map_or(Value::Null, s)
}

fn spelled(t: &Text, parse: impl Fn(&str) -> Option<String>) -> Value {
    Value::String(parse(&t.value).unwrap_or_else(|| t.value.trim().to_owned()))
}

fn severity(t: &Text) -> Value {
    spelled(t, |v| Severity::parse(v).map(|x| x.as_str().to_owned()))
}

fn status(t: &Text) -> Value {
    spelled(t, |v| Status::parse(v).map(|x| x.as_str().to_owned()))
}

/// The enum values of a `changed` leaf in their API spelling.
fn changed_values(field: &Text, values: &[Text]) -> Value {
    let kind = ChangedField::parse(&field.value);
    Value::Array(
        values
            .iter()
            .map(|v| match kind {
                Some(ChangedField::Severity) => severity(v),
                Some(ChangedField::Status) => status(v),
                _ => s(v),
            })
            .collect(),
    )
}

/// The canonical form of a condition.
pub fn condition(c: &CondDef) -> Value {
    let list = |items: &[CondDef]| Value::Array(items.iter().map(condition).collect());
    match c {
        CondDef::All { items, .. } => json!({ "all": list(items) }),
        CondDef::Any { items, .. } => json!({ "any": list(items) }),
        CondDef::Not { inner, .. } => json!({ "not": condition(inner) }),
        CondDef::Items { all, items, .. } => {
            let key = if *all { "all_items" } else { "any_item" };
            json!({ key: list(items) })
        }
        CondDef::Leaf { property, operator, values, .. } => {
            let prop = property::lookup(&property.value);
            let name = prop.map_or_else(|| property.value.trim().to_owned(), |p| p.name.to_owned());
            let op = Operator::parse(&operator.value)
                .map_or_else(|| operator.value.trim().to_owned(), |o| o.name().to_owned());
            let values: Vec<Value> = values
                .iter()
                .map(|v| match name.as_str() {
                    "IncidentSeverity" => severity(v),
                    "IncidentStatus" => status(v),
                    _ => s(v),
                })
                .collect();
            json!({ "property": name, "operator": op, "values": values })
        }
        CondDef::Changed { property, from, to, .. } => {
            let field = ChangedField::parse(&property.value).map(|f| match f {
                ChangedField::Severity => "IncidentSeverity",
                ChangedField::Status => "IncidentStatus",
                ChangedField::Owner => "IncidentOwner",
            });
            json!({
                "changed": field.map_or_else(|| s(property), |f| Value::String(f.to_owned())),
                "from": changed_values(property, from),
                "to": changed_values(property, to),
            })
        }
        CondDef::Added { what, .. } => {
            let name = AddedKind::parse(&what.value).and_then(|k| {
                AddedKind::NAMES.iter().find(|n| AddedKind::parse(n) == Some(k)).map(|n| (*n).to_owned())
            });
            json!({ "added": name.map_or_else(|| s(what), Value::String) })
        }
    }
}

/// The canonical form of an action.
pub fn action(a: &ActionDef) -> Value {
    match a {
        ActionDef::ChangeStatus { status: st, classification, reason, comment, .. } => json!({ "change_status": {
            "status": status(st),
            "classification": classification.as_ref().map_or(Value::Null, |c| spelled(c, |v| Classification::parse(v).map(|x| x.as_str().to_owned()))),
            "reason": reason.as_ref().map_or(Value::Null, |r| spelled(r, |v| ClassificationReason::parse(v).map(|x| x.as_str().to_owned()))),
            "comment": opt(comment.as_ref()),
        }}),
        ActionDef::ChangeSeverity { severity: sev, .. } => json!({ "change_severity": severity(sev) }),
        ActionDef::AssignOwner { object_id, email, upn, name, .. } => json!({ "assign_owner": {
            "object_id": opt(object_id.as_ref()), "email": opt(email.as_ref()), "upn": opt(upn.as_ref()), "name": opt(name.as_ref()),
        }}),
        ActionDef::AddTags { tags, .. } => json!({ "add_tags": tags.iter().map(s).collect::<Vec<_>>() }),
        ActionDef::AddTask { title, description, .. } => {
            json!({ "add_task": { "title": s(title), "description": opt(description.as_ref()) } })
        }
        ActionDef::RunPlaybook { name, .. } => json!({ "run_playbook": s(name) }),
    }
}

fn timestamp(t: &Text) -> Value {
    match time::parse(&t.value) {
        Ok(d) => Value::String(time::stamp(d)),
        Err(_) => s(t),
    }
}

/// The canonical form of a rule.
pub fn rule(r: &RuleDef) -> Value {
    let lower = |t: Option<&Text>, default: &str| {
        Value::String(t.map_or_else(|| default.to_owned(), |t| t.value.trim().to_ascii_lowercase()))
    };
    let mut m = Map::new();
    m.insert("name".into(), opt(r.name.as_ref()));
    m.insert("description".into(), opt(r.description.as_ref()));
    m.insert("order".into(), r.order.map_or(Value::Null, |(o, _)| Value::from(o)));
    m.insert("enabled".into(), Value::Bool(r.enabled));
    m.insert("expires".into(), r.expires.as_ref().map_or(Value::Null, timestamp));
    m.insert("on".into(), lower(r.trigger_on.as_ref(), "incidents"));
    m.insert("when".into(), lower(r.trigger_when.as_ref(), "created"));
    let scope: Vec<Value> = r.analytics_rules.iter().map(|t| Value::String(t.value.trim().to_lowercase())).collect();
    m.insert("analytics_rules".into(), Value::Array(scope));
    m.insert("conditions".into(), r.conditions.as_ref().map_or(Value::Null, condition));
    m.insert("actions".into(), Value::Array(r.actions.iter().map(action).collect()));
    Value::Object(m)
}

/// The canonical forms of several rules, sorted by name so that file order does not matter.
pub fn rules<'a>(rules: impl IntoIterator<Item = &'a RuleDef>) -> Vec<Value> {
    let mut out: Vec<Value> = rules.into_iter().map(rule).collect();
    out.sort_by(|a, b| a.get("name").map(Value::to_string).cmp(&b.get("name").map(Value::to_string)));
    out
}
