//! The JSON Schema (draft-07) of rule test files, for editors (yaml-language-server), as
//! [`crate::rules::schema`] is for rule files. Generated from the tables the test decoder itself
//! uses (the key tables of [`super::file`] and [`super::expect`], the trigger values, the model
//! enums), so the schema cannot drift from what `sentinel-soar test` accepts. Every mapping the
//! decoder checks for unknown keys has `additionalProperties: false`; inline incidents are open,
//! as they take any shape `apply` reads.
//!
//! The decoder reads enum values case-insensitively (`closed`, `UPDATED`); the schema lists the
//! canonical spellings, so an editor suggests and accepts those. Some things only the runner
//! checks: that paths exist, that an incident is one usable incident, that `fired` names rules
//! of the rule set.

use serde_json::{json, Map, Value};

use crate::model::{Classification, ClassificationReason, Severity, Status, UpdatedBySource};
use crate::rules::schema::{object, reference, text, texts, SCALAR};

use super::expect::{EXCLUSIVE_KEYS, EXPECT_KEYS};
use super::file::PLAYBOOK_KEY;
use super::file::{CASE_KEYS, CASE_REQUIRED, DEFAULT_UPDATED_BY, FILE_KEYS, FILE_REQUIRED, TRIGGERS, UPDATE_KEYS};
use super::{playbook, DEFAULT_NOW};

/// The schema of rule test files.
pub fn tests() -> Value {
    let description = "Tests of Microsoft Sentinel automation rules: incidents and the outcome the rules must produce (`sentinel-soar test`).";
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    schema.insert("title".into(), json!("sentinel-soar rule tests"));
    let [rules, tests] = FILE_REQUIRED;
    if let Value::Object(file) = object(description, FILE_KEYS, &[tests], file_key) {
        schema.extend(file);
    }
    // `rules` is required unless every test is a playbook test.
    let all_playbook_tests = json!({ "properties": { tests: { "items": { "required": [PLAYBOOK_KEY] } } } });
    schema.insert("if".into(), all_playbook_tests);
    schema.insert("else".into(), json!({ "required": [rules] }));
    let definitions = json!({
        "test": test(),
        "expect": expect(),
        "playbookTest": playbook::schema::test(&timestamp),
        "playbookExpect": playbook::schema::expect(&expect_key),
    });
    schema.insert("definitions".into(), definitions);
    Value::Object(schema)
}

fn file_key(key: &str) -> Option<Value> {
    Some(match key {
        "rules" => json!({
            "description": "The rules under test: rule files, directories or globs, relative to this file; one or a list. Required unless every test is a playbook test.",
            "oneOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" }, "minItems": 1 }],
        }),
        "playbooks" => json!({
            "description": "Playbooks the rules' run_playbook actions run, and the playbook tests name (files, directories or globs, relative to this file; one or a list). Without it, a rule's run is only recorded as requested.",
            "oneOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" }, "minItems": 1 }],
        }),
        "mocks" => json!({
            "description": "Mocks for the playbooks' external calls (files or directories, relative to this file; one or a list); a playbook test's own mocks come first.",
            "oneOf": [{ "type": "string" }, { "type": "array", "items": { "type": "string" }, "minItems": 1 }],
        }),
        "now" => timestamp(&format!(
            "The clock of every test in the file (RFC 3339, or a date meaning midnight UTC); default {DEFAULT_NOW}."
        )),
        "tests" => json!({
            "description": "The tests, run in the order written: rule tests, and playbook tests (with `playbook`).",
            "type": "array",
            "items": { "if": { "required": [PLAYBOOK_KEY] }, "then": reference("playbookTest"), "else": reference("test") },
        }),
        _ => return None,
    })
}

fn timestamp(description: &str) -> Value {
    json!({ "description": description, "type": "string", "anyOf": [{ "format": "date-time" }, { "format": "date" }] })
}

/// A path to a file holding one incident, or the incident written inline (any shape).
fn incident(description: &str) -> Value {
    json!({
        "description": description,
        "oneOf": [
            { "description": "A file holding one incident, relative to this file.", "type": "string" },
            { "description": "The incident inline: the REST shape or a bare properties object.", "type": "object" },
        ],
    })
}

fn test() -> Value {
    let [created, updated] = TRIGGERS;
    let mut schema = object(
        "One test: an incident, an event and the expected outcome.",
        CASE_KEYS,
        &CASE_REQUIRED,
        |k| {
            Some(match k {
                "name" => json!({ "description": "Unique in the file; reports name the test by it.", "type": SCALAR }),
                "description" => text("Free text for people."),
                "incident" => incident("The incident the rules see: a path or an inline incident."),
                "now" => timestamp(
                    "The clock of this test (RFC 3339, or a date meaning midnight UTC), to test expiry; default the file's `now`.",
                ),
                "trigger" => json!({
                    "description": format!("The event: {created} (default) or {updated}."),
                    "enum": TRIGGERS, "default": created,
                }),
                "previous" => incident(&format!(
                    "`trigger: {updated}` only: the incident before the update; without it nothing changed."
                )),
                "updated_by" => json!({
                    "description": format!("`trigger: {updated}` only: who made the update (IncidentUpdatedBySource); default {DEFAULT_UPDATED_BY}."),
                    "enum": UpdatedBySource::names(), "default": DEFAULT_UPDATED_BY.as_str(),
                }),
                "expect" => {
                    json!({ "description": "What the rules must produce; at least one expectation.", "allOf": [reference("expect")] })
                }
                _ => return None,
            })
        },
    );
    let needs_update: Map<String, Value> = UPDATE_KEYS
        .iter()
        .map(|k| {
            let when = json!({ "properties": { "trigger": { "const": updated } }, "required": ["trigger"] });
            ((*k).to_owned(), when)
        })
        .collect();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("dependencies".into(), Value::Object(needs_update));
    }
    schema
}

/// One of `names`, or `null` for "unset".
fn enum_or_null(description: &str, names: Vec<&str>) -> Value {
    let mut values: Vec<Value> = names.into_iter().map(Value::from).collect();
    values.push(Value::Null);
    json!({ "description": format!("{description} (case-insensitive); null: unset."), "enum": values })
}

/// Non-empty text, or `null` for "unset".
fn text_or_null(description: &str) -> Value {
    let mut types: Vec<&str> = SCALAR.to_vec();
    types.push("null");
    json!({ "description": description, "type": types, "pattern": "\\S" })
}

fn expect_key(key: &str) -> Option<Value> {
    Some(match key {
        "fired" => texts("Exactly these rule names fired, in run order ([]: none)."),
        "fires" => texts("At least these rules fired (not together with `fired`)."),
        "not_fired" => texts("None of these rules fired."),
        "status" => enum_or_null("The final status", Status::names()),
        "severity" => enum_or_null("The final severity", Severity::names()),
        "classification" => enum_or_null("The final classification", Classification::names()),
        "classification_reason" => enum_or_null("The final classification reason", ClassificationReason::names()),
        "classification_comment" => text_or_null("The final closing comment (exact match); null: unset."),
        "owner" => text_or_null("The owner's UPN, e-mail, name or object id (case-insensitive); null: unassigned."),
        "tags" => texts("At least these tags (case-insensitive)."),
        "tags_exact" => texts("Exactly these tags, in any order (case-insensitive)."),
        "not_tags" => texts("None of these tags (case-insensitive)."),
        "tasks" => texts("At least these task titles (case-insensitive)."),
        "tasks_exact" => texts("Exactly these task titles, in any order (case-insensitive)."),
        "playbooks" => texts("Exactly these run_playbook requests, in order ([]: none)."),
        "changes" => json!({ "description": "The number of audit records.", "type": "integer", "minimum": 0 }),
        _ => return None,
    })
}

fn expect() -> Value {
    let mut schema = object("Expectations: each key checks the outcome.", EXPECT_KEYS, &[], expect_key);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("minProperties".into(), json!(1));
        obj.insert("not".into(), json!({ "required": EXCLUSIVE_KEYS }));
    }
    schema
}
