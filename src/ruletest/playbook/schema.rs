//! The JSON Schema definitions of playbook tests (`playbookTest`, `playbookExpect`), part of
//! `schema tests` ([`crate::ruletest::schema`]), generated from the decoder's own tables (the
//! keys of [`super`], the run and action statuses) so they cannot drift. The incident
//! expectations are the rule tests' ([`crate::ruletest::schema`]). Inline mocks, inline
//! incidents and alerts, and expected subsets are open: any mapping.

use serde_json::{json, Value};

use crate::playbook::model::Status;
use crate::rules::schema::{object, reference, text};

use super::{CALL_KEYS, CASE_KEYS, CASE_REQUIRED, EXPECT_KEYS, RUN_STATUSES};

/// A path or an inline mapping (an incident or an alert, any shape the commands read).
fn source(what: &str, description: &str) -> Value {
    json!({
        "description": description,
        "oneOf": [
            { "description": format!("A file holding one {what}, relative to this file."), "type": "string" },
            { "description": format!("The {what} inline, in any shape the commands read."), "type": "object" },
        ],
    })
}

/// `definitions.playbookTest`.
pub fn test(timestamp: &dyn Fn(&str) -> Value) -> Value {
    let mut schema = object(
        "A playbook test: a playbook run on an incident or an alert, with mocks, and what the run must do.",
        CASE_KEYS,
        &CASE_REQUIRED,
        |k| {
            Some(match k {
                "name" => {
                    json!({ "description": "Unique in the file; reports name the test by it.", "type": crate::rules::schema::SCALAR })
                }
                "description" => text("Free text for people."),
                "playbook" => {
                    json!({ "description": "A playbook of the file's `playbooks` by name, or a playbook file relative to this file.", "type": "string" })
                }
                "incident" => source(
                    "incident",
                    "The incident the playbook runs on; with `alert`, the incident holding the alert.",
                ),
                "alert" => {
                    source("alert", "An alert (SecurityAlert) the playbook runs on: alert-trigger playbooks only.")
                }
                "mocks" => json!({
                    "description": "This test's mocks, tried before the file's `mocks`: mocks files relative to this file, and mocks written inline (as a mocks file's entries).",
                    "oneOf": [
                        { "type": "string" },
                        { "type": "array", "items": { "oneOf": [
                            { "description": "A mocks file.", "type": "string" },
                            { "description": "A mock: `match` and its answer (`status`, `outputs`, `error`, `code`, `duration`).", "type": "object", "required": ["match"] },
                        ] } },
                    ],
                }),
                "infer_mocks" => {
                    json!({ "description": "Answer the calls no mock answers from the playbook itself (`--infer-mocks`).", "type": "boolean", "default": false })
                }
                "strict_mocks" => {
                    json!({ "description": "A call no mock answers fails its action (`--strict-mocks`).", "type": "boolean", "default": false })
                }
                "watchlists" => json!({
                    "description": "Watchlists the Sentinel watchlist operations answer from: alias -> CSV file relative to this file.",
                    "type": "object", "additionalProperties": { "type": "string" },
                }),
                "now" => {
                    timestamp("The run's clock (RFC 3339, or a date meaning midnight UTC); default the file's `now`.")
                }
                "expect" => {
                    json!({ "description": "What the run must do; at least one expectation.", "allOf": [reference("playbookExpect")] })
                }
                _ => return None,
            })
        },
    );
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("anyOf".into(), json!([{ "required": ["incident"] }, { "required": ["alert"] }]));
    }
    schema
}

/// `definitions.playbookExpect`; `incident_key` gives the rule tests' incident expectations.
pub fn expect(incident_key: &dyn Fn(&str) -> Option<Value>) -> Value {
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    let subset = "A subset of the value: mappings by key, lists item by item, scalars equal; `{contains: TEXT}` a text holding TEXT or a list with a matching item.";
    let mut schema = object("Expectations of a playbook test: each key checks the run.", EXPECT_KEYS, &[], |k| {
        Some(match k {
            "run" => json!({ "description": "How the run ended.", "enum": RUN_STATUSES }),
            "actions" => json!({
                "description": "Actions by name (as the run log names them) and their status: one for every run of the action, or a list of one per run. An action that did not run is Skipped.",
                "type": "object",
                "additionalProperties": { "oneOf": [{ "enum": statuses }, { "type": "array", "items": { "enum": statuses }, "minItems": 1 }] },
            }),
            "calls" => json!({
                "description": "Calls the run made, in this order (other calls may come between): an action name, or the action and a subset of its rendered inputs.",
                "type": "array",
                "items": { "oneOf": [
                    { "description": "An action that made a call.", "type": "string" },
                    object("A call: its action and a subset of its rendered inputs.", CALL_KEYS, &["action"], |k| Some(match k {
                        "action" => json!({ "description": "The action that made the call.", "type": "string" }),
                        "inputs" => json!({ "description": subset }),
                        _ => return None,
                    })),
                ] },
            }),
            "outputs" => json!({
                "description": format!("Actions by name and their outputs: some run of the action has outputs matching. {subset}"),
                "type": "object",
                "additionalProperties": true,
            }),
            other => incident_key(other)?,
        })
    });
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("minProperties".into(), json!(1));
    }
    schema
}
