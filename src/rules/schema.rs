//! The JSON Schema (draft-07) of rule files, for editors (yaml-language-server): completion,
//! hover text and errors while typing. Generated from the tables the loader itself uses (the
//! key tables of [`super::file`], the property table, operator names, the model enums and the
//! limits), so the schema cannot drift from what `apply` accepts. Every mapping the loader
//! checks for unknown keys has `additionalProperties: false`.
//!
//! The loader reads names case-insensitively (`high`, `hostname`); the schema lists the
//! canonical spellings, so an editor suggests and accepts those.

use serde_json::{json, Map, Value};

use crate::model::{Classification, ClassificationReason, Severity, Status, UpdatedBySource};

use super::compile::limits;
use super::condition::{AddedKind, ChangedField};
use super::file::{
    ACTION_KEYS, ADD_TASK_KEYS, ASSIGN_OWNER_KEYS, CHANGED_KEYS, CHANGE_STATUS_KEYS, CONDITION_KEYS, FILE_KEYS,
    PROPERTY_KEYS, RULE_KEYS, TRIGGER_KEYS,
};
use super::operator::{BaseOp, NAMES};
use super::property::{Operators, Source, PROPERTIES};
use super::{TriggerOn, TriggerWhen};

/// Keys every rule must have (the loader reports the others as missing).
pub const RULE_REQUIRED: &[&str] = &["name", "order", "actions"];

/// A YAML scalar: the loader reads numbers and booleans as the text written.
pub(crate) const SCALAR: [&str; 3] = ["string", "number", "boolean"];

/// The schema of rule files.
pub fn rules() -> Value {
    let file = object("A rule file with a list of rules.", FILE_KEYS, &["rules"], |_| {
        Some(json!({ "description": "The rules of this file.", "type": "array", "items": reference("rule") }))
    });
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "sentinel-soar automation rules",
        "description": "Microsoft Sentinel automation rules as YAML: one rule, or `rules:` with a list of rules.",
        "oneOf": [file, reference("rule")],
        "definitions": {
            "rule": object("An automation rule.", RULE_KEYS, RULE_REQUIRED, rule_key),
            "condition": condition(),
            "action": action(),
        },
    })
}

pub(crate) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

/// A mapping with exactly `keys` (unknown keys rejected, as the loader does).
pub(crate) fn object(
    description: &str,
    keys: &[&str],
    required: &[&str],
    spec: impl Fn(&str) -> Option<Value>,
) -> Value {
    let properties: Map<String, Value> =
        keys.iter().map(|k| ((*k).to_owned(), spec(k).unwrap_or_else(|| json!({})))).collect();
    let mut schema = json!({ "description": description, "type": "object", "properties": properties });
    if let Some(obj) = schema.as_object_mut() {
        if !required.is_empty() {
            obj.insert("required".into(), json!(required));
        }
        obj.insert("additionalProperties".into(), Value::Bool(false));
    }
    schema
}

pub(crate) fn text(description: &str) -> Value {
    json!({ "description": description, "type": SCALAR })
}

/// One scalar or a list of them (the loader takes a single value as a one-item list).
pub(crate) fn texts(description: &str) -> Value {
    json!({ "description": description, "oneOf": [{ "type": SCALAR }, { "type": "array", "items": { "type": SCALAR } }] })
}

/// One of `names`, or a list of them.
fn names_or_list(description: &str, names: &[&str]) -> Value {
    json!({ "description": description, "oneOf": [{ "enum": names }, { "type": "array", "items": { "enum": names } }] })
}

fn rule_key(key: &str) -> Option<Value> {
    Some(match key {
        "name" => json!({
            "description": "Unique name across every loaded rule file; it appears in the audit log.",
            "type": SCALAR, "minLength": 1, "maxLength": limits::MAX_NAME_CHARS,
        }),
        "description" => text("Free text for people."),
        "order" => json!({
            "description": "Run order: lower runs first; equal orders run by name.",
            "type": "integer", "minimum": limits::ORDER_MIN, "maximum": limits::ORDER_MAX,
        }),
        "enabled" => {
            json!({ "description": "false keeps the rule in the file but switches it off.", "type": "boolean", "default": true })
        }
        "expires" => json!({
            "description": "RFC 3339 date and time (2026-12-31T23:59:59Z), or a date (2026-12-31, midnight UTC); at and after it the rule is off.",
            "type": "string", "anyOf": [{ "format": "date-time" }, { "format": "date" }],
        }),
        "trigger" => object("What the rule reacts to; default incidents created.", TRIGGER_KEYS, &[], |k| match k {
            "on" => Some(
                json!({ "description": "incidents (default) or alerts.", "enum": [TriggerOn::Incidents.as_str(), TriggerOn::Alerts.as_str()] }),
            ),
            "when" => Some(
                json!({ "description": "created (default) or updated.", "enum": [TriggerWhen::Created.as_str(), TriggerWhen::Updated.as_str()] }),
            ),
            _ => None,
        }),
        "analytics_rules" => {
            texts("Scope: analytics rule GUIDs or full alertRules ARM ids; absent means every analytics rule.")
        }
        "conditions" => {
            json!({ "description": "Conditions; absent means always true.", "allOf": [reference("condition")] })
        }
        "actions" => json!({
            "description": "Actions, run in the order written.",
            "type": "array", "minItems": 1, "maxItems": limits::MAX_ACTIONS, "items": reference("action"),
        }),
        _ => return None,
    })
}

fn property_description(source: Source, operators: Operators) -> String {
    let reads = match source {
        Source::Field(key) => format!("the incident's {key}"),
        Source::Array(path) => format!("each element of {}", path.join(".")),
        Source::Labels => "each label name".to_owned(),
        Source::Entity { kind, field } => format!("{field} of each {kind} entity"),
        Source::UpdatedBySource => "who made the update (update rules only)".to_owned(),
        Source::CustomDetailKey => "custom detail keys (inside any_item / all_items)".to_owned(),
        Source::CustomDetailValue => "custom detail values (inside any_item / all_items)".to_owned(),
    };
    match operators {
        Operators::Text => format!("Reads {reads}."),
        Operators::EqualsOnly => format!("Reads {reads}. Sentinel offers Equals / NotEquals."),
        Operators::ContainsOnly => format!("Reads {reads}. Sentinel offers Contains / NotContains."),
    }
}

fn operator_description(base: BaseOp, negated: bool) -> String {
    let (verb, noun) = match base {
        BaseOp::Equals => ("equals", "values"),
        BaseOp::Contains => ("contains", "values"),
        BaseOp::StartsWith => ("starts with", "values"),
        BaseOp::EndsWith => ("ends with", "values"),
        BaseOp::Matches => ("matches", "regular expressions"),
        BaseOp::InCidr => ("is an IP address in", "CIDR ranges"),
    };
    let holds = if negated {
        format!("No value {verb} any of the {noun}")
    } else {
        format!("Some value {verb} one of the {noun}")
    };
    match base {
        BaseOp::Matches => format!("{holds} (case-insensitive). Extension: Sentinel cannot run it."),
        BaseOp::InCidr => format!("{holds} (IPv4 and IPv6). Extension: Sentinel cannot run it."),
        _ => format!("{holds} (case-insensitive)."),
    }
}

/// `then` constraints on `values` (or `from` / `to`) for properties with a closed set of values.
fn enum_values(property_key: &str, name: &str, operators: Option<&[&str]>, targets: &[&str], names: &[&str]) -> Value {
    let mut when = json!({ "properties": { property_key: { "const": name } }, "required": [property_key] });
    if let (Some(ops), Some(props)) = (operators, when.get_mut("properties").and_then(Value::as_object_mut)) {
        props.insert("operator".into(), json!({ "enum": ops }));
    }
    let then: Map<String, Value> =
        targets.iter().map(|t| ((*t).to_owned(), names_or_list(&format!("{name} values."), names))).collect();
    json!({ "if": when, "then": { "properties": then } })
}

fn property_condition() -> Value {
    let mut schema = object("A property condition.", PROPERTY_KEYS, PROPERTY_KEYS, |k| match k {
        "property" => Some(json!({
            "description": "A Sentinel condition property (matched case-insensitively).",
            "enum": PROPERTIES.iter().map(|p| p.name).collect::<Vec<_>>(),
            "enumDescriptions": PROPERTIES.iter().map(|p| property_description(p.source, p.operators)).collect::<Vec<_>>(),
        })),
        "operator" => Some(json!({
            "description": "Sentinel's eight operators, plus the Matches / InCidr extensions.",
            "enum": NAMES.iter().map(|(n, _, _)| *n).collect::<Vec<_>>(),
            "enumDescriptions": NAMES.iter().map(|(_, b, n)| operator_description(*b, *n)).collect::<Vec<_>>(),
        })),
        "values" => Some(texts("One value or a list: positive operators need one to match, negative ones none.")),
        _ => None,
    });
    let equals: Vec<&str> = NAMES.iter().filter(|(_, b, _)| *b == BaseOp::Equals).map(|(n, _, _)| *n).collect();
    let closed = [
        ("IncidentSeverity", Severity::names()),
        ("IncidentStatus", Status::names()),
        ("IncidentUpdatedBySource", UpdatedBySource::names()),
    ];
    let all: Vec<Value> =
        closed.iter().map(|(name, names)| enum_values("property", name, Some(&equals), &["values"], names)).collect();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("allOf".into(), Value::Array(all));
    }
    schema
}

fn changed_condition() -> Value {
    let mut schema =
        object("An update rule condition: the field changed (from / to optional).", CHANGED_KEYS, &["changed"], |k| {
            match k {
                "changed" => Some(json!({ "description": "The field that changed.", "enum": ChangedField::NAMES })),
                "from" => Some(texts("Values before the change (any when absent).")),
                "to" => Some(texts("Values after the change (any when absent).")),
                _ => None,
            }
        });
    let closed = [("IncidentSeverity", Severity::names()), ("IncidentStatus", Status::names())];
    let all: Vec<Value> =
        closed.iter().map(|(name, names)| enum_values("changed", name, None, &["from", "to"], names)).collect();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("allOf".into(), Value::Array(all));
    }
    schema
}

fn condition_kind(kind: &str) -> Value {
    let list =
        |description: &str| json!({ "description": description, "type": "array", "items": reference("condition") });
    let single = |description: &str, value: Value| object(description, &[kind], &[kind], |_| Some(value.clone()));
    match kind {
        "property" => property_condition(),
        "changed" => changed_condition(),
        "all" => single("All conditions hold.", list("Conditions that must all hold.")),
        "any" => single("At least one condition holds.", list("Conditions of which one must hold.")),
        "not" => single(
            "The condition does not hold.",
            json!({ "description": "The condition to negate.", "allOf": [reference("condition")] }),
        ),
        "added" => single(
            "An update rule condition: items were added.",
            json!({ "description": "What was added.", "enum": AddedKind::NAMES }),
        ),
        "any_item" => single("Some custom detail satisfies every condition.", list("Conditions on one custom detail.")),
        "all_items" => {
            single("Every custom detail satisfies every condition.", list("Conditions on one custom detail."))
        }
        other => single("A condition.", json!({ "description": other })),
    }
}

fn condition() -> Value {
    let mut kinds = vec![
        json!({ "description": "A list: every condition holds (as `all`).", "type": "array", "items": reference("condition") }),
    ];
    kinds.extend(CONDITION_KEYS.iter().map(|k| condition_kind(k)));
    json!({ "description": "A condition: all, any, not, a property leaf, changed, added, any_item or all_items.", "oneOf": kinds })
}

fn change_status() -> Value {
    let open: Vec<&str> = Status::ALL.iter().filter(|s| **s != Status::Closed).map(|s| s.as_str()).collect();
    let mut mapping = object("The new status; closing needs a classification.", CHANGE_STATUS_KEYS, &["status"], |k| {
        match k {
            "status" => Some(json!({ "description": "The new status.", "enum": Status::names() })),
            "classification" => {
                Some(json!({ "description": "Required when closing.", "enum": Classification::names() }))
            }
            "reason" => Some(
                json!({ "description": "The reason that goes with the classification.", "enum": ClassificationReason::names() }),
            ),
            "comment" => Some(text("Closing comment.")),
            _ => None,
        }
    });
    let closed = Status::Closed.as_str();
    let mut all = vec![json!({
        "if": { "properties": { "status": { "const": closed } }, "required": ["status"] },
        "then": { "required": ["classification"] },
        "else": { "not": { "anyOf": [{ "required": ["classification"] }, { "required": ["reason"] }] } },
    })];
    for c in Classification::ALL {
        let reasons: Vec<&str> = c.allowed_reasons().iter().map(|r| r.as_str()).collect();
        let then = if reasons.is_empty() {
            json!({ "not": { "required": ["reason"] } })
        } else {
            json!({ "required": ["reason"], "properties": { "reason": { "enum": reasons } } })
        };
        let when =
            json!({ "properties": { "classification": { "const": c.as_str() } }, "required": ["classification"] });
        all.push(json!({ "if": when, "then": then }));
    }
    if let Some(obj) = mapping.as_object_mut() {
        obj.insert("allOf".into(), Value::Array(all));
    }
    json!({
        "description": "The new status: Active (or New), or a mapping; closing needs a classification.",
        "oneOf": [{ "description": "A status other than Closed.", "enum": open }, mapping],
    })
}

fn action_value(key: &str) -> Option<Value> {
    Some(match key {
        "change_status" => change_status(),
        "change_severity" => json!({ "description": "The new severity.", "enum": Severity::names() }),
        "assign_owner" => {
            let mut owner = object("The new owner: at least one identity.", ASSIGN_OWNER_KEYS, &[], |k| {
                Some(text(&format!("The owner's {k}.")))
            });
            if let Some(obj) = owner.as_object_mut() {
                obj.insert("minProperties".into(), json!(1));
            }
            owner
        }
        "add_tags" => texts("Tags (labels) to add; existing ones are kept."),
        "add_task" => {
            object("A task for the analyst.", ADD_TASK_KEYS, &["title"], |k| Some(text(&format!("The task's {k}."))))
        }
        "run_playbook" => {
            json!({ "description": "The playbook (Logic Apps workflow) name.", "type": "string", "minLength": 1, "maxLength": 80 })
        }
        _ => return None,
    })
}

fn action() -> Value {
    let kinds: Vec<Value> = ACTION_KEYS.iter().map(|k| object("An action.", &[k], &[k], action_value)).collect();
    json!({ "description": "One action: a mapping with a single key.", "oneOf": kinds })
}
