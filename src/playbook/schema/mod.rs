//! The JSON Schema (draft-07) of YAML playbooks, for editors (yaml-language-server), as
//! [`crate::rules::schema`] is for rule files. Generated from the tables the YAML decoder reads:
//! the top-level, step and connection keys ([`TOP_KEYS`], [`yaml::COMMON_KEYS`],
//! [`CONNECTION_KEYS`]), the step kinds with their sibling and body keys ([`step::KINDS`]),
//! the built-in Sentinel operations ([`sentinel::OPS`]), the
//! trigger kinds, the `runAfter` statuses, the compiler's limits and the model's enums, so the
//! schema cannot drift from what `playbook run` and `validate` accept.
//!
//! Every mapping the decoder checks for unknown keys has `additionalProperties: false`. So do
//! four small mappings it reads without checking (the `trigger` mapping, `initialize_variable`
//! declarations, `table` columns, `until`'s `limit`): their other keys would mean nothing.
//! What Logic Apps evaluates (bodies, inputs, `compose`, parameters) is open.
//!
//! The decoder reads names case-insensitively (`html`, `Succeeded`); the schema lists the
//! canonical spellings, so an editor suggests and accepts those. Where the value may be an
//! expression (`@...`, `@{...}`), an enum accepts an expression too. Some things only the
//! compiler checks: that `run_after` names steps, that an alert playbook names the incident
//! of its Sentinel operations, expressions themselves.

mod steps;

use serde_json::{json, Map, Value};

use crate::playbook::model::action::Status;
use crate::playbook::model::compile::SECURE_PROPERTIES;
use crate::playbook::model::secret::{CONNECTION_KEYS, ENV_KEY};
use crate::playbook::model::trigger::TriggerKind;
#[cfg(doc)]
use crate::playbook::model::yaml::{self, sentinel, step};
use crate::playbook::model::yaml::{TOP_KEYS, TRIGGER_KIND_KEY};
use crate::rules::schema::{object, reference, text, SCALAR};

pub use steps::{BODY_REQUIRED, COLUMN_KEYS, DECLARATION_KEYS, LIMIT_KEYS};

/// Keys every YAML playbook must have (the decoder reports the others as missing).
pub const TOP_REQUIRED: &[&str] = &["name", "steps"];

/// A string holding an expression: `@` at the start, or `@{` inside.
const EXPRESSION_PATTERN: &str = "^@|@\\{";

/// The schema of YAML playbooks.
pub fn playbooks() -> Value {
    let description = "A Microsoft Sentinel playbook (a Logic Apps workflow) as YAML: steps run in order, built-in Sentinel operations have short names (`sentinel.add_comment`).";
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    schema.insert("title".into(), json!("sentinel-soar playbooks"));
    if let Value::Object(file) = object(description, TOP_KEYS, TOP_REQUIRED, top_key) {
        schema.extend(file);
    }
    schema.insert(
        "definitions".into(),
        json!({
            "steps": {
                "description": "Steps, run in the order written: each after the previous one succeeded unless it says otherwise.",
                "type": ["array", "null"],
                "items": reference("step"),
            },
            "step": steps::step(),
            "statuses": statuses(),
            "run_after": run_after(),
            "run_after_previous": run_after_previous(),
            "secure": secure(),
            "predicate": steps::predicate(),
            "connection": connection(),
            "secret": secret(),
            "variable": steps::declaration(),
        }),
    );
    Value::Object(schema)
}

fn top_key(key: &str) -> Option<Value> {
    Some(match key {
        "name" => json!({
            "description": "The playbook's name (the Logic App's name); `playbook run NAME` finds it by this.",
            "type": "string", "pattern": "\\S",
        }),
        "description" => json!({ "description": "Free text for people.", "type": "string" }),
        "enabled" => json!({
            "description": "false keeps the playbook in the file but switches it off.", "type": "boolean", "default": true,
        }),
        "trigger" => trigger(),
        "parameters" => json!({
            "description": "Workflow parameters, read with parameters('Name'): a value, or a secret reference {env: NAME}.",
            "type": "object",
            "additionalProperties": { "description": "The parameter's value, or {env: NAME} for a secret (redacted in run logs)." },
        }),
        "connections" => json!({
            "description": "Connections (Logic Apps API connections) by key; steps refer to a connection by key.",
            "type": "object",
            "additionalProperties": reference("connection"),
        }),
        "resource_group" => json!({
            "description": "The resource group the playbook is deployed in (checked against --settings permissions).",
            "type": "string",
        }),
        "steps" => json!({ "description": "The playbook's steps.", "allOf": [reference("steps")] }),
        _ => return None,
    })
}

fn trigger() -> Value {
    let names: Vec<&str> = TriggerKind::YAML.iter().map(|k| k.as_str()).collect();
    let kinds = json!({
        "description": "What starts the playbook.",
        "enum": names,
        "enumDescriptions": TriggerKind::YAML.iter().map(|k| trigger_description(*k)).collect::<Vec<_>>(),
    });
    let default = names.first().copied().unwrap_or_default();
    let mapping =
        object("The trigger as a mapping.", &[TRIGGER_KIND_KEY], &[TRIGGER_KIND_KEY], |_| Some(kinds.clone()));
    json!({
        "description": format!("What starts the playbook; default {default}."),
        "default": default,
        "oneOf": [kinds, mapping],
    })
}

fn trigger_description(kind: TriggerKind) -> &'static str {
    match kind {
        TriggerKind::Incident => "Microsoft Sentinel incident (the default).",
        TriggerKind::Alert => "Microsoft Sentinel alert.",
        TriggerKind::Entity => "Microsoft Sentinel entity.",
        TriggerKind::Request => "An HTTP request (manual).",
        TriggerKind::Recurrence | TriggerKind::Other => "A schedule.",
    }
}

fn connection() -> Value {
    let mapping = object("A connection with details.", CONNECTION_KEYS, &[], |k| {
        Some(match k {
            "connector" => json!({
                "description": "The connector (managed API: virustotal, teams, office365, ...; custom:Name for a custom connector); default the key.",
                "type": "string", "minLength": 1,
            }),
            "display_name" => {
                json!({ "description": "The connection's display name; default the key.", "type": "string" })
            }
            "secrets" => json!({
                "description": "The connection's secrets by field, each a reference {env: NAME}, never a value.",
                "type": "object",
                "additionalProperties": reference("secret"),
            }),
            _ => return None,
        })
    });
    json!({
        "description": "A connection: its connector's name, or a mapping with the connector, a display name and secret references.",
        "oneOf": [
            { "description": "The connector's name; empty: the key is the connector.", "type": ["string", "null"] },
            mapping,
        ],
    })
}

fn secret() -> Value {
    object("A secret reference: the environment variable that holds the value.", &[ENV_KEY], &[ENV_KEY], |_| {
        Some(json!({ "description": "The environment variable's name.", "type": "string", "minLength": 1 }))
    })
}

/// `runAfter` statuses: one or a list.
fn statuses() -> Value {
    let names: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    json!({
        "description": "Statuses of the step waited for; [] or absent: Succeeded.",
        "oneOf": [{ "enum": names }, { "type": "array", "items": { "enum": names } }],
    })
}

/// The schema of a key every step may have (the longer ones are definitions, not repeated in
/// each kind).
pub(super) fn common_key(key: &str) -> Option<Value> {
    Some(match key {
        "name" => json!({
            "description": "Shown in run logs; the id defaults from it (spaces become `_`).",
            "type": SCALAR,
        }),
        "id" => json!({
            "description": "The action's id, what expressions (body('Id')) and run_after name; default from the name.",
            "type": "string", "minLength": 1,
        }),
        "run_after" | "run_after_previous" | "secure" => reference(key),
        "description" => text("Free text for people."),
        _ => return None,
    })
}

fn run_after() -> Value {
    json!({
        "description": "Run after these steps (ids or names) instead of the previous one: a list (on success), or a mapping id: [statuses]; [] runs at the start of the scope.",
        "oneOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" } },
            { "type": "object", "additionalProperties": reference("statuses") },
        ],
    })
}

fn run_after_previous() -> Value {
    json!({
        "description": "The statuses of the previous step to run after (e.g. [Succeeded, Failed]).",
        "allOf": [reference("statuses")],
    })
}

fn secure() -> Value {
    json!({
        "description": "Hide the step's inputs and/or outputs in run logs.",
        "type": "array", "uniqueItems": true, "items": { "enum": SECURE_PROPERTIES },
    })
}

/// A string that is an expression.
pub(super) fn expression(description: &str) -> Value {
    json!({ "description": description, "type": "string", "pattern": EXPRESSION_PATTERN })
}

/// One of `names`, or an expression that yields one.
pub(super) fn enum_or_expression<S: serde::Serialize>(description: &str, names: &[S]) -> Value {
    json!({
        "description": description,
        "anyOf": [{ "enum": names }, expression("An expression that yields the value.")],
    })
}

/// Any value (rendered by the expression engine).
pub(super) fn any(description: &str) -> Value {
    json!({ "description": description })
}
