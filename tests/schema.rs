//! The rule file JSON Schema: the committed `schemas/rules.schema.json` is exactly what
//! `sentinel-soar schema rules` prints, every example rule file points at it and validates, and
//! schema and loader agree on what they accept and reject.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use assert_cmd::Command;
use sentinel_soar::diagnostic::Diagnostic;
use sentinel_soar::model::{Classification, ClassificationReason, Severity, Status};
use sentinel_soar::rules::file::{
    ACTION_KEYS, ADD_TASK_KEYS, ASSIGN_OWNER_KEYS, CHANGED_KEYS, CHANGE_STATUS_KEYS, CONDITION_KEYS, FILE_KEYS,
    PROPERTY_KEYS, RULE_KEYS, TRIGGER_KEYS,
};
use sentinel_soar::rules::schema::RULE_REQUIRED;
use sentinel_soar::rules::{self, file, operator, property};
use serde_json::Value;

const MODELINE: &str = "# yaml-language-server: $schema=../../schemas/rules.schema.json";

fn validator() -> jsonschema::Validator {
    let schema = rules::schema::rules();
    jsonschema::draft7::options().should_validate_formats(true).build(&schema).expect("a valid draft-07 schema")
}

fn schema_errors(v: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let value: Value = serde_saphyr::from_str(yaml).unwrap();
    v.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// The loader's errors (decode and compile), as codes.
fn loader_errors(yaml: &str) -> Vec<&'static str> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let decoded = file::decode("t.yaml", yaml, &mut diags);
    let (_, compiled) = rules::compile(&[decoded], &rules::Options::default());
    diags.extend(compiled);
    diags.iter().filter(|d| d.is_error()).map(|d| d.code).collect()
}

/// The keys of an object schema, in order.
fn keys(schema: &Value) -> Vec<&str> {
    schema["properties"].as_object().unwrap().keys().map(String::as_str).collect()
}

fn strings(value: &Value) -> Vec<&str> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect()
}

/// Asserts that every object schema rejects unknown keys, as the loader does; returns how many
/// object schemas there are.
fn assert_closed(schema: &Value, at: &str) -> usize {
    match schema {
        Value::Object(map) => {
            let here = usize::from(map.get("type") == Some(&Value::from("object")));
            if here == 1 {
                assert_eq!(map.get("additionalProperties"), Some(&Value::Bool(false)), "{at}");
                // A key with no description had no entry in the generator (a key new to the table).
                for (key, spec) in map["properties"].as_object().unwrap() {
                    assert!(spec["description"].as_str().is_some_and(|d| !d.is_empty()), "{at}: `{key}` has no schema");
                }
            }
            here + map.iter().map(|(k, v)| assert_closed(v, &format!("{at}/{k}"))).sum::<usize>()
        }
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| assert_closed(v, &format!("{at}/{i}"))).sum(),
        _ => 0,
    }
}

/// Fails when the loader's key tables and the schema disagree (a key added to one only).
#[test]
fn schema_keys_are_the_loader_key_tables() {
    let s = rules::schema::rules();
    let d = &s["definitions"];
    assert_eq!(keys(&s["oneOf"][0]), FILE_KEYS);
    assert_eq!(keys(&d["rule"]), RULE_KEYS);
    assert_eq!(strings(&d["rule"]["required"]), RULE_REQUIRED);
    assert_eq!(keys(&d["rule"]["properties"]["trigger"]), TRIGGER_KEYS);
    let conditions: Vec<&Value> = d["condition"]["oneOf"].as_array().unwrap().iter().skip(1).collect();
    let kinds: Vec<&str> = conditions.iter().map(|c| c["required"][0].as_str().unwrap()).collect();
    assert_eq!(kinds, CONDITION_KEYS);
    for (kind, c) in CONDITION_KEYS.iter().zip(&conditions) {
        let expected: &[&str] = match *kind {
            "property" => PROPERTY_KEYS,
            "changed" => CHANGED_KEYS,
            other => &[other][..],
        };
        assert_eq!(keys(c), expected, "{kind}");
    }
    let actions: Vec<&Value> = d["action"]["oneOf"].as_array().unwrap().iter().collect();
    assert_eq!(actions.iter().flat_map(|a| keys(a)).collect::<Vec<_>>(), ACTION_KEYS);
    let value =
        |name: &str| &d["action"]["oneOf"][ACTION_KEYS.iter().position(|k| *k == name).unwrap()]["properties"][name];
    assert_eq!(keys(&value("change_status")["oneOf"][1]), CHANGE_STATUS_KEYS);
    assert_eq!(keys(value("assign_owner")), ASSIGN_OWNER_KEYS);
    assert_eq!(keys(value("add_task")), ADD_TASK_KEYS);
    // The file, a rule, its trigger, each condition kind, each action, and the three mappings
    // inside actions (change_status, assign_owner, add_task).
    assert_eq!(assert_closed(&s, "#"), 3 + CONDITION_KEYS.len() + ACTION_KEYS.len() + 3);
}

#[test]
fn schema_enums_are_the_loader_tables() {
    let s = rules::schema::rules();
    let property =
        &s["definitions"]["condition"]["oneOf"][1 + CONDITION_KEYS.iter().position(|k| *k == "property").unwrap()];
    assert_eq!(strings(&property["properties"]["property"]["enum"]), property::names().collect::<Vec<_>>());
    assert_eq!(strings(&property["properties"]["property"]["enumDescriptions"]).len(), 58);
    assert_eq!(
        strings(&property["properties"]["operator"]["enum"]),
        operator::NAMES.iter().map(|n| n.0).collect::<Vec<_>>()
    );
    let action = |i: usize, name: &str| s["definitions"]["action"]["oneOf"][i]["properties"][name].clone();
    assert_eq!(strings(&action(1, "change_severity")["enum"]), Severity::names());
    let status = action(0, "change_status")["oneOf"][1]["properties"].clone();
    assert_eq!(strings(&status["status"]["enum"]), Status::names());
    assert_eq!(strings(&status["classification"]["enum"]), Classification::names());
    assert_eq!(strings(&status["reason"]["enum"]), ClassificationReason::names());
}

/// The loader reports exactly the schema's required keys as missing.
#[test]
fn required_keys_agree() {
    let minimal = "name: R\norder: 1\nactions: [{ add_tags: [t] }]\n";
    assert_eq!(loader_errors(minimal), Vec::<&str>::new());
    for key in RULE_REQUIRED {
        let without: String = minimal.lines().filter(|l| !l.starts_with(key)).map(|l| format!("{l}\n")).collect();
        assert_eq!(loader_errors(&without), ["SR004"], "{key}");
    }
}

#[test]
fn committed_schema_is_the_generated_one() {
    let out = Command::cargo_bin("sentinel-soar").unwrap().args(["schema", "rules"]).output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string("schemas/rules.schema.json").unwrap();
    assert!(
        printed == committed,
        "schemas/rules.schema.json is stale: run `cargo run -- schema rules > schemas/rules.schema.json`"
    );
}

#[test]
fn committed_tests_schema_is_the_generated_one() {
    let out = Command::cargo_bin("sentinel-soar").unwrap().args(["schema", "tests"]).output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let committed = std::fs::read_to_string("schemas/tests.schema.json").unwrap();
    assert!(
        printed == committed,
        "schemas/tests.schema.json is stale: run `cargo run -- schema tests > schemas/tests.schema.json`"
    );
}

#[test]
fn schema_offers_exactly_rules_and_tests() {
    let out = Command::cargo_bin("sentinel-soar").unwrap().args(["schema", "ruletests"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("[possible values: rules, tests]"));
}

#[test]
fn every_example_rule_file_points_at_the_schema_and_validates() {
    let v = validator();
    let mut seen = 0;
    for entry in std::fs::read_dir("examples/rules").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().next(), Some(MODELINE), "{}: first line", path.display());
        assert!(Path::new("examples/rules").join("../../schemas/rules.schema.json").exists());
        assert_eq!(schema_errors(&v, &text), Vec::<String>::new(), "{}", path.display());
        assert_eq!(loader_errors(&text), Vec::<&str>::new(), "{}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 5);
}

/// A rule using every key, condition kind and action kind: both accept it.
const EVERYTHING: &str = r#"
name: Everything
description: every key
order: 7
enabled: true
expires: 2030-01-01T00:00:00Z
trigger: { on: incidents, when: updated }
analytics_rules: [0b6d1f3e-2a94-4c57-8e1d-6f2a9c3b7e10]
conditions:
  all:
    - { property: IncidentSeverity, operator: NotEquals, values: [Informational] }
    - any:
        - { changed: IncidentSeverity, from: [Low], to: [High] }
        - { added: Labels }
    - not: { property: IPAddress, operator: InCidr, values: 10.0.0.0/8 }
    - any_item:
        - { property: IncidentCustomDetailsKey, operator: Equals, values: [Domain] }
    - all_items:
        - { property: IncidentCustomDetailsValue, operator: NotContains, values: [x] }
    - - { property: IncidentUpdatedBySource, operator: Equals, values: [User] }
      - { property: HostName, operator: Matches, values: ["^dc\\d+$"] }
actions:
  - change_status: { status: Closed, classification: FalsePositive, reason: InaccurateData, comment: c }
  - change_status: Active
  - change_severity: High
  - assign_owner: { upn: a@b.c, object_id: 1, email: a@b.c, name: A }
  - add_tags: one
  - add_task: { title: T, description: D }
  - run_playbook: notify-soc
"#;

#[test]
fn both_accept_a_rule_using_every_key() {
    assert_eq!(loader_errors(EVERYTHING), Vec::<&str>::new());
    assert_eq!(schema_errors(&validator(), EVERYTHING), Vec::<String>::new());
    let list = format!("rules:\n{}", EVERYTHING.trim_start().replace('\n', "\n    ").replacen("name:", "  - name:", 1));
    assert_eq!(loader_errors(&list), Vec::<&str>::new());
    assert_eq!(schema_errors(&validator(), &list), Vec::<String>::new());
}

fn rule_with(key: &str, value: &str) -> String {
    format!("name: R\norder: 1\ntrigger: {{ on: incidents, when: updated }}\n{key}: {value}\nactions: [{{ add_tags: [t] }}]\n")
}

fn rule_doing(action: &str) -> String {
    format!("name: R\norder: 1\nactions: [{action}]\n")
}

/// Each case is a valid file and a one-edit broken variant: both accept the first; the loader
/// reports the code for the second and the schema rejects it, so the edit is what both reject.
#[test]
fn both_reject_what_the_loader_reports() {
    let v = validator();
    let leaf = "{ property: HostName, operator: Equals, values: [x] }";
    let closing =
        "{ change_status: { status: Closed, classification: BenignPositive, reason: SuspiciousButExpected } }";
    let cases = [
        ("unknown rule key", rule_with("description", "d"), "description:", "descripton:", "SR003"),
        ("missing actions", rule_with("description", "d"), "actions: [{ add_tags: [t] }]\n", "", "SR004"),
        ("order out of range", rule_with("description", "d"), "order: 1", "order: 0", "SR018"),
        ("unknown trigger key", rule_with("description", "d"), "when: updated", "wen: updated", "SR003"),
        ("unknown property", rule_with("conditions", leaf), "HostName", "HostNam", "SR006"),
        ("unknown operator", rule_with("conditions", leaf), "Equals", "Like", "SR007"),
        ("extra leaf key", rule_with("conditions", leaf), "[x] }", "[x], note: y }", "SR003"),
        ("leaf without values", rule_with("conditions", leaf), ", values: [x]", "", "SR004"),
        (
            "two condition kinds",
            rule_with("conditions", &format!("{{ all: [{leaf}] }}")),
            "] }",
            "], added: Labels }",
            "SR030",
        ),
        (
            "bad severity value",
            rule_with("conditions", "{ property: IncidentSeverity, operator: Equals, values: [High] }"),
            "High",
            "Critical",
            "SR011",
        ),
        (
            "bad changed value",
            rule_with("conditions", "{ changed: IncidentStatus, to: [Closed] }"),
            "Closed",
            "Done",
            "SR011",
        ),
        (
            "bad changed field",
            rule_with("conditions", "{ changed: IncidentStatus, to: [Closed] }"),
            "IncidentStatus",
            "IncidentTitle",
            "SR011",
        ),
        ("bad added kind", rule_with("conditions", "{ added: Labels }"), "Labels", "Owners", "SR011"),
        (
            "expires not a date",
            rule_with("expires", "2030-01-01T00:00:00Z"),
            "2030-01-01T00:00:00Z",
            "next week",
            "SR028",
        ),
        ("bad severity action", rule_doing("{ change_severity: Low }"), "Low", "Critical", "SR011"),
        ("closing without classification", rule_doing("{ change_status: Active }"), "Active", "Closed", "SR012"),
        (
            "closing mapping without classification",
            rule_doing(closing),
            ", classification: BenignPositive, reason: SuspiciousButExpected",
            "",
            "SR012",
        ),
        ("wrong reason", rule_doing(closing), "SuspiciousButExpected", "InaccurateData", "SR013"),
        ("missing reason", rule_doing(closing), ", reason: SuspiciousButExpected", "", "SR013"),
        ("classification without closing", rule_doing(closing), "Closed", "Active", "SR032"),
        ("unknown action", rule_doing("{ add_tags: [t] }"), "add_tags", "add_tag", "SR003"),
        ("two actions in one item", rule_doing("{ add_tags: [t] }"), "[t] }", "[t], change_severity: Low }", "SR030"),
        ("unknown owner key", rule_doing("{ assign_owner: { email: a@b.c } }"), "email", "mail", "SR003"),
        ("task without title", rule_doing("{ add_task: { title: T, description: d } }"), "title: T, ", "", "SR004"),
        ("unknown file key", "rules: []\n".to_owned(), "rules: []", "rules: []\nversion: 2", "SR003"),
    ];
    for (what, good, from, to, code) in cases {
        let bad = good.replacen(from, to, 1);
        assert_ne!(bad, good, "{what}: the edit does not apply");
        assert_eq!(loader_errors(&good), Vec::<&str>::new(), "{what}: the loader rejects the valid file");
        assert_eq!(schema_errors(&v, &good), Vec::<String>::new(), "{what}: the schema rejects the valid file");
        assert!(loader_errors(&bad).contains(&code), "{what}: the loader reports {:?}", loader_errors(&bad));
        assert!(!schema_errors(&v, &bad).is_empty(), "{what}: the schema accepts it");
    }
}
