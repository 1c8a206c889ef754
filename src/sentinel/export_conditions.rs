//! The file model's conditions as Sentinel conditions, for `export sentinel`. `not` is pushed
//! down to the leaves (negated operators, De Morgan for groups); an `all` of a bare `changed`
//! and a negated `changed` of the same property is PropertyChanged with NotEquals (the form
//! `import` produces); a top-level `any` of one condition is that condition. What Sentinel
//! cannot say is an error: extension operators (Matches, NotMatches, InCidr, NotInCidr) and
//! `not` over `changed`, `added`.

use serde_json::{json, Value};

use crate::rules::condition::{AddedKind, ChangedField};
use crate::rules::file::{CondDef, Text};
use crate::rules::operator::Operator;
use crate::rules::property;
use crate::syntax::Span;

use super::export::literal;

/// Why a condition cannot be exported.
pub type Problems = Vec<(Span, String)>;

fn property(name: &str, operator: &str, values: Vec<Value>) -> Value {
    json!({ "conditionType": "Property", "conditionProperties": {
        "propertyName": name, "operator": operator, "propertyValues": values } })
}

fn boolean(operator: &str, inner: Vec<Value>) -> Value {
    json!({ "conditionType": "Boolean", "conditionProperties": { "operator": operator, "innerConditions": inner } })
}

/// One condition from an AND-list: itself, or a Boolean And of several.
fn single(mut list: Vec<Value>) -> Option<Value> {
    match list.len() {
        0 => None,
        1 => list.pop(),
        _ => Some(boolean("And", list)),
    }
}

fn field_name(t: &Text) -> String {
    match ChangedField::parse(&t.value) {
        Some(ChangedField::Severity) => "IncidentSeverity".into(),
        Some(ChangedField::Status) => "IncidentStatus".into(),
        Some(ChangedField::Owner) => "IncidentOwner".into(),
        None => t.value.trim().to_owned(),
    }
}

fn values(list: &[Text]) -> Vec<Value> {
    list.iter().map(|t| literal(t.value.trim())).collect()
}

fn changed(property: &Text, change: &str, operator: Option<&str>, list: &[Text]) -> Value {
    let mut props = serde_json::Map::new();
    props.insert("propertyName".into(), Value::String(field_name(property)));
    props.insert("changeType".into(), Value::String(change.into()));
    if let Some(op) = operator {
        props.insert("operator".into(), Value::String(op.into()));
    }
    props.insert("propertyValues".into(), Value::Array(values(list)));
    json!({ "conditionType": "PropertyChanged", "conditionProperties": props })
}

/// `all: [{changed: P}, {not: {changed: P, from|to: [...]}}]` as one PropertyChanged NotEquals.
fn not_equals_change(items: &[CondDef]) -> Option<Value> {
    let [CondDef::Changed { property: p, from, to, .. }, CondDef::Not { inner, .. }] = items else { return None };
    let CondDef::Changed { property: q, from: nf, to: nt, .. } = inner.as_ref() else { return None };
    let same =
        ChangedField::parse(&p.value).is_some() && ChangedField::parse(&p.value) == ChangedField::parse(&q.value);
    if !same || !from.is_empty() || !to.is_empty() {
        return None;
    }
    match (nf.is_empty(), nt.is_empty()) {
        (false, true) => Some(changed(q, "ChangedFrom", Some("NotEquals"), nf)),
        (true, false) => Some(changed(q, "ChangedTo", Some("NotEquals"), nt)),
        _ => None,
    }
}

/// Converts a condition to a list of Sentinel conditions that all must hold. `negate`: the
/// condition sits under an odd number of `not`s. `depth`: custom-details arrays around it.
pub fn convert(c: &CondDef, negate: bool, depth: usize, problems: &mut Problems) -> Vec<Value> {
    match c {
        CondDef::Not { inner, .. } => convert(inner, !negate, depth, problems),
        CondDef::All { items, .. } | CondDef::Any { items, .. } => {
            let is_all = matches!(c, CondDef::All { .. });
            if is_all && !negate {
                if let Some(v) = not_equals_change(items) {
                    return vec![v];
                }
            }
            if is_all != negate {
                items.iter().flat_map(|i| convert(i, negate, depth, problems)).collect()
            } else {
                let inner: Vec<Value> =
                    items.iter().filter_map(|i| single(convert(i, negate, depth, problems))).collect();
                if inner.len() == 1 {
                    inner
                } else {
                    vec![boolean("Or", inner)]
                }
            }
        }
        CondDef::Leaf { property: p, operator, values: list, span } => {
            leaf(p, operator, list, *span, negate, problems).into_iter().collect()
        }
        CondDef::Changed { property: p, from, to, span } => {
            if negate {
                problems.push((*span, "`not` over a `changed` condition has no Sentinel form".into()));
                return Vec::new();
            }
            changes(p, from, to)
        }
        CondDef::Added { what, span } => {
            if negate {
                problems.push((*span, "`not` over an `added` condition has no Sentinel form".into()));
                return Vec::new();
            }
            let name = AddedKind::parse(&what.value)
                .and_then(|k| AddedKind::NAMES.iter().copied().find(|n| AddedKind::parse(n) == Some(k)))
                .unwrap_or(what.value.trim());
            vec![json!({ "conditionType": "PropertyArrayChanged",
                "conditionProperties": { "arrayType": name, "changeType": "Added" } })]
        }
        CondDef::Items { all, items, .. } => {
            // not any_item(c) == all_items(not c), and the reverse.
            let item_conditions = if negate {
                let group = CondDef::All { items: items.clone(), span: c.span(), implicit: false };
                single(convert(&group, true, depth + 1, problems)).into_iter().collect()
            } else {
                items.iter().flat_map(|i| convert(i, false, depth + 1, problems)).collect::<Vec<_>>()
            };
            let all = *all != negate;
            vec![json!({ "conditionType": "PropertyArray", "conditionProperties": {
                "arrayType": if depth == 0 { "CustomDetails" } else { "CustomDetailValues" },
                "arrayConditionType": if all { "AllItems" } else { "AnyItem" },
                "itemConditions": item_conditions } })]
        }
    }
}

/// A property condition, its operator negated under an odd number of `not`s; `None` (and a
/// problem) for an operator Sentinel does not have.
fn leaf(p: &Text, operator: &Text, list: &[Text], span: Span, negate: bool, problems: &mut Problems) -> Option<Value> {
    let name = property::lookup(&p.value).map_or_else(|| p.value.trim().to_owned(), |x| x.name.to_owned());
    let Some(mut op) = Operator::parse(&operator.value) else {
        problems.push((operator.span, format!("unknown operator `{}`", operator.value)));
        return None;
    };
    if !op.base.is_sentinel() {
        problems
            .push((span, format!("`{}` is a sentinel-soar extension operator that Sentinel does not have", op.name())));
        return None;
    }
    op.negated ^= negate;
    Some(property(&name, op.name(), values(list)))
}

/// A `changed` condition: ChangedFrom and ChangedTo for the values given, or a bare
/// ChangedTo without values.
fn changes(p: &Text, from: &[Text], to: &[Text]) -> Vec<Value> {
    let mut out = Vec::new();
    if !from.is_empty() {
        out.push(changed(p, "ChangedFrom", Some("Equals"), from));
    }
    if !to.is_empty() {
        out.push(changed(p, "ChangedTo", Some("Equals"), to));
    }
    if out.is_empty() {
        out.push(changed(p, "ChangedTo", None, &[]));
    }
    out
}

/// The top-level `conditions` list of a rule.
pub fn top(c: &CondDef, problems: &mut Problems) -> Vec<Value> {
    match c {
        CondDef::Any { items, .. } if items.len() == 1 => {
            items.iter().flat_map(|i| convert(i, false, 0, problems)).collect()
        }
        other => convert(other, false, 0, problems),
    }
}
