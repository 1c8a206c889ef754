//! The JSON Schemas of rule files and rule test files: the committed `schemas/rules.schema.json`
//! and `schemas/tests.schema.json` are exactly what `sentinel-soar schema rules|tests` prints,
//! every example file points at its schema and validates, and each schema agrees with its
//! decoder (the rule loader, the test decoder) on keys and on what they accept and reject.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use assert_cmd::Command;
use sentinel_soar::diagnostic::{Code, Diagnostic};
use sentinel_soar::model::{Classification, ClassificationReason, Severity, Status, UpdatedBySource};
use sentinel_soar::rules::file::{
    ACTION_KEYS, ADD_TASK_KEYS, ASSIGN_OWNER_KEYS, CHANGED_KEYS, CHANGE_STATUS_KEYS, CONDITION_KEYS, FILE_KEYS,
    PROPERTY_KEYS, RULE_KEYS, TRIGGER_KEYS,
};
use sentinel_soar::rules::schema::RULE_REQUIRED;
use sentinel_soar::rules::{self, file, operator, property};
use sentinel_soar::ruletest::{self, EXCLUSIVE_KEYS, EXPECT_KEYS};
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
fn loader_errors(yaml: &str) -> Vec<Code> {
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

/// Asserts that every object schema with `properties` rejects unknown keys, as the decoders do;
/// returns how many such object schemas there are. Object schemas without `properties` accept
/// any mapping (inline incidents); their paths go to `open`.
fn assert_closed(schema: &Value, at: &str, open: &mut Vec<String>) -> usize {
    match schema {
        Value::Object(map) => {
            let mut here = 0;
            if map.get("type") == Some(&Value::from("object")) {
                match map.get("properties") {
                    Some(properties) => {
                        here = 1;
                        assert_eq!(map.get("additionalProperties"), Some(&Value::Bool(false)), "{at}");
                        // A key with no description had no entry in the generator (a key new to the table).
                        for (key, spec) in properties.as_object().unwrap() {
                            assert!(
                                spec["description"].as_str().is_some_and(|d| !d.is_empty()),
                                "{at}: `{key}` has no schema"
                            );
                        }
                    }
                    None => open.push(at.to_owned()),
                }
            }
            here + map.iter().map(|(k, v)| assert_closed(v, &format!("{at}/{k}"), open)).sum::<usize>()
        }
        Value::Array(items) => {
            items.iter().enumerate().map(|(i, v)| assert_closed(v, &format!("{at}/{i}"), open)).sum()
        }
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
    let mut open = Vec::new();
    assert_eq!(assert_closed(&s, "#", &mut open), 3 + CONDITION_KEYS.len() + ACTION_KEYS.len() + 3);
    assert_eq!(open, Vec::<String>::new());
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
    assert_eq!(loader_errors(minimal), Vec::<Code>::new());
    for key in RULE_REQUIRED {
        let without: String = minimal.lines().filter(|l| !l.starts_with(key)).map(|l| format!("{l}\n")).collect();
        assert_eq!(loader_errors(&without), [Code::SR004], "{key}");
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
fn schema_offers_exactly_rules_playbooks_tests_and_config() {
    let out = Command::cargo_bin("sentinel-soar").unwrap().args(["schema", "ruletests"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("[possible values: rules, playbooks, tests, config]"));
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
        assert_eq!(loader_errors(&text), Vec::<Code>::new(), "{}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 6);
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
    assert_eq!(loader_errors(EVERYTHING), Vec::<Code>::new());
    assert_eq!(schema_errors(&validator(), EVERYTHING), Vec::<String>::new());
    let list = format!("rules:\n{}", EVERYTHING.trim_start().replace('\n', "\n    ").replacen("name:", "  - name:", 1));
    assert_eq!(loader_errors(&list), Vec::<Code>::new());
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
        ("unknown rule key", rule_with("description", "d"), "description:", "descripton:", Code::SR003),
        ("missing actions", rule_with("description", "d"), "actions: [{ add_tags: [t] }]\n", "", Code::SR004),
        ("order out of range", rule_with("description", "d"), "order: 1", "order: 0", Code::SR018),
        ("unknown trigger key", rule_with("description", "d"), "when: updated", "wen: updated", Code::SR003),
        ("unknown property", rule_with("conditions", leaf), "HostName", "HostNam", Code::SR006),
        ("unknown operator", rule_with("conditions", leaf), "Equals", "Like", Code::SR007),
        ("extra leaf key", rule_with("conditions", leaf), "[x] }", "[x], note: y }", Code::SR003),
        ("leaf without values", rule_with("conditions", leaf), ", values: [x]", "", Code::SR004),
        (
            "two condition kinds",
            rule_with("conditions", &format!("{{ all: [{leaf}] }}")),
            "] }",
            "], added: Labels }",
            Code::SR030,
        ),
        (
            "bad severity value",
            rule_with("conditions", "{ property: IncidentSeverity, operator: Equals, values: [High] }"),
            "High",
            "Critical",
            Code::SR011,
        ),
        (
            "bad changed value",
            rule_with("conditions", "{ changed: IncidentStatus, to: [Closed] }"),
            "Closed",
            "Done",
            Code::SR011,
        ),
        (
            "bad changed field",
            rule_with("conditions", "{ changed: IncidentStatus, to: [Closed] }"),
            "IncidentStatus",
            "IncidentTitle",
            Code::SR011,
        ),
        ("bad added kind", rule_with("conditions", "{ added: Labels }"), "Labels", "Owners", Code::SR011),
        (
            "expires not a date",
            rule_with("expires", "2030-01-01T00:00:00Z"),
            "2030-01-01T00:00:00Z",
            "next week",
            Code::SR028,
        ),
        ("bad severity action", rule_doing("{ change_severity: Low }"), "Low", "Critical", Code::SR011),
        ("closing without classification", rule_doing("{ change_status: Active }"), "Active", "Closed", Code::SR012),
        (
            "closing mapping without classification",
            rule_doing(closing),
            ", classification: BenignPositive, reason: SuspiciousButExpected",
            "",
            Code::SR012,
        ),
        ("wrong reason", rule_doing(closing), "SuspiciousButExpected", "InaccurateData", Code::SR013),
        ("missing reason", rule_doing(closing), ", reason: SuspiciousButExpected", "", Code::SR013),
        ("classification without closing", rule_doing(closing), "Closed", "Active", Code::SR032),
        ("unknown action", rule_doing("{ add_tags: [t] }"), "add_tags", "add_tag", Code::SR003),
        (
            "two actions in one item",
            rule_doing("{ add_tags: [t] }"),
            "[t] }",
            "[t], change_severity: Low }",
            Code::SR030,
        ),
        ("unknown owner key", rule_doing("{ assign_owner: { email: a@b.c } }"), "email", "mail", Code::SR003),
        ("task without title", rule_doing("{ add_task: { title: T, description: d } }"), "title: T, ", "", Code::SR004),
        ("unknown file key", "rules: []\n".to_owned(), "rules: []", "rules: []\nversion: 2", Code::SR003),
    ];
    for (what, good, from, to, code) in cases {
        let bad = good.replacen(from, to, 1);
        assert_ne!(bad, good, "{what}: the edit does not apply");
        assert_eq!(loader_errors(&good), Vec::<Code>::new(), "{what}: the loader rejects the valid file");
        assert_eq!(schema_errors(&v, &good), Vec::<String>::new(), "{what}: the schema rejects the valid file");
        assert!(loader_errors(&bad).contains(&code), "{what}: the loader reports {:?}", loader_errors(&bad));
        assert!(!schema_errors(&v, &bad).is_empty(), "{what}: the schema accepts it");
    }
}

// ---- Rule test files (`schema tests`) ----

const TESTS_MODELINE: &str = "# yaml-language-server: $schema=../../schemas/tests.schema.json";

fn tests_validator() -> jsonschema::Validator {
    let schema = ruletest::schema::tests();
    jsonschema::draft7::options().should_validate_formats(true).build(&schema).expect("a valid draft-07 schema")
}

/// The test decoder's errors, as codes. Paths and rule names are the runner's to check.
fn decoder_errors(yaml: &str) -> Vec<Code> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    ruletest::decode("t.yaml", yaml, &mut diags);
    diags.iter().filter(|d| d.is_error()).map(|d| d.code).collect()
}

/// Fails when the test decoder's tables and the schema disagree (a key added to one only).
#[test]
fn tests_schema_keys_are_the_decoder_tables() {
    use ruletest::file::{
        CASE_KEYS, CASE_REQUIRED, DEFAULT_UPDATED_BY, FILE_KEYS as TEST_FILE_KEYS, FILE_REQUIRED, TRIGGERS, UPDATE_KEYS,
    };
    let s = ruletest::schema::tests();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(keys(&s), TEST_FILE_KEYS);
    // `rules` is required unless every test is a playbook test (tests/playbook_tests_schema.rs).
    assert_eq!(strings(&s["required"]), [FILE_REQUIRED[1]]);
    assert_eq!(strings(&s["else"]["required"]), [FILE_REQUIRED[0]]);
    let test = &s["definitions"]["test"];
    assert_eq!(s["properties"]["tests"]["items"]["else"]["$ref"], "#/definitions/test");
    assert_eq!(keys(test), CASE_KEYS);
    assert_eq!(strings(&test["required"]), CASE_REQUIRED);
    let case = &test["properties"];
    assert_eq!(strings(&case["trigger"]["enum"]), TRIGGERS);
    assert_eq!(case["trigger"]["default"], TRIGGERS[0]);
    assert_eq!(strings(&case["updated_by"]["enum"]), UpdatedBySource::names());
    assert_eq!(case["updated_by"]["default"], DEFAULT_UPDATED_BY.as_str());
    let dependencies = test["dependencies"].as_object().unwrap();
    assert_eq!(dependencies.keys().map(String::as_str).collect::<Vec<_>>(), UPDATE_KEYS);
    for needs in dependencies.values() {
        assert_eq!(needs["properties"]["trigger"]["const"], TRIGGERS[1]);
        assert_eq!(strings(&needs["required"]), ["trigger"]);
    }
    for key in ["incident", "previous"] {
        let kinds: Vec<&str> =
            case[key]["oneOf"].as_array().unwrap().iter().map(|k| k["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["string", "object"], "{key}: a path or an inline incident");
    }
    assert_eq!(case["expect"]["allOf"][0]["$ref"], "#/definitions/expect");
    let expect = &s["definitions"]["expect"];
    assert_eq!(keys(expect), EXPECT_KEYS);
    assert_eq!(expect.get("required"), None);
    assert_eq!(expect["minProperties"], 1);
    assert_eq!(strings(&expect["not"]["required"]), EXCLUSIVE_KEYS);
    let with_null = |names: Vec<&'static str>| {
        let mut values: Vec<Value> = names.into_iter().map(Value::from).collect();
        values.push(Value::Null);
        Value::Array(values)
    };
    let e = &expect["properties"];
    assert_eq!(e["status"]["enum"], with_null(Status::names()));
    assert_eq!(e["severity"]["enum"], with_null(Severity::names()));
    assert_eq!(e["classification"]["enum"], with_null(Classification::names()));
    assert_eq!(e["classification_reason"]["enum"], with_null(ClassificationReason::names()));
    assert_eq!(e["changes"]["type"], "integer");
    // The file, a test and `expect` are closed; the two inline incidents are open.
    let mut open = Vec::new();
    // With the playbook tests' mappings: a test, its `expect` and a call.
    assert_eq!(assert_closed(&s, "#", &mut open), 6);
    let rule_tests: Vec<&String> = open.iter().filter(|o| o.starts_with("#/definitions/test/")).collect();
    assert_eq!(
        rule_tests,
        ["#/definitions/test/properties/incident/oneOf/1", "#/definitions/test/properties/previous/oneOf/1"]
    );
}

/// The decoder reports exactly the schema's required keys as missing, and both reject their
/// absence.
#[test]
fn tests_required_keys_agree() {
    use ruletest::file::{CASE_REQUIRED, FILE_REQUIRED};
    let v = tests_validator();
    let test_file = |file: &[&str], case: &[&str]| {
        let parts = [("name", "name: T"), ("incident", "incident: i.json"), ("expect", "expect: { changes: 0 }")];
        let case: Vec<&str> = parts.iter().filter(|(k, _)| case.contains(k)).map(|(_, p)| *p).collect();
        let lines = [("rules", "rules: r.yaml".to_owned()), ("tests", format!("tests: [{{ {} }}]", case.join(", ")))];
        lines.iter().filter(|(k, _)| file.contains(k)).map(|(_, l)| format!("{l}\n")).collect::<String>()
    };
    let full = test_file(&FILE_REQUIRED, &CASE_REQUIRED);
    assert_eq!(decoder_errors(&full), Vec::<Code>::new());
    assert_eq!(schema_errors(&v, &full), Vec::<String>::new());
    for key in FILE_REQUIRED {
        let without: Vec<&str> = FILE_REQUIRED.iter().copied().filter(|k| *k != key).collect();
        let text = test_file(&without, &CASE_REQUIRED);
        assert_eq!(decoder_errors(&text), [Code::SR004], "{key}");
        assert!(!schema_errors(&v, &text).is_empty(), "{key}");
    }
    for key in CASE_REQUIRED {
        let without: Vec<&str> = CASE_REQUIRED.iter().copied().filter(|k| *k != key).collect();
        let text = test_file(&FILE_REQUIRED, &without);
        assert_eq!(decoder_errors(&text), [Code::SR004], "{key}");
        assert!(!schema_errors(&v, &text).is_empty(), "{key}");
    }
}

#[test]
fn every_example_test_file_points_at_the_schema_and_validates() {
    let v = tests_validator();
    let mut seen = 0;
    for entry in std::fs::read_dir("examples/tests").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().next(), Some(TESTS_MODELINE), "{}: first line", path.display());
        assert!(Path::new("examples/tests").join("../../schemas/tests.schema.json").exists());
        assert_eq!(schema_errors(&v, &text), Vec::<String>::new(), "{}", path.display());
        assert_eq!(decoder_errors(&text), Vec::<Code>::new(), "{}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 7);
}

/// A test file using every key and every expectation: both accept it.
const EVERY_TEST_KEY: &str = r#"
rules: [../rules/a.yaml, ../rules/b.yaml]
now: 2026-06-01T00:00:00Z
tests:
  - name: created, from a file
    description: every expectation but `fires`
    incident: ../incidents/1.json
    now: 2026-12-31T23:59:59Z
    trigger: created
    expect:
      fired: [A, B]
      not_fired: C
      status: Closed
      severity: null
      classification: BenignPositive
      classification_reason: SuspiciousButExpected
      classification_comment: Red team
      owner: null
      tags: t
      tags_exact: [t, u]
      not_tags: []
      tasks: [Triage]
      tasks_exact: [Triage]
      playbooks: []
      changes: 3
  - name: 42
    incident: { title: Inline, severity: Medium, relatedEntities: [{ kind: Host, properties: { hostName: h } }] }
    trigger: updated
    previous: ../incidents/0.json
    updated_by: User
    expect: { fires: [A], owner: a@b.c, classification_reason: null, classification_comment: null }
  - name: updated without previous
    incident: { properties: { title: T } }
    trigger: updated
    expect: { changes: 0 }
"#;

#[test]
fn both_accept_a_test_file_using_every_key() {
    assert_eq!(decoder_errors(EVERY_TEST_KEY), Vec::<Code>::new());
    assert_eq!(schema_errors(&tests_validator(), EVERY_TEST_KEY), Vec::<String>::new());
}

/// A valid update test that the breakages below edit.
const UPDATE_TEST: &str = r#"
rules: [r.yaml]
now: 2026-06-01T00:00:00Z
tests:
  - name: T
    description: d
    incident: i.json
    now: 2026-06-02T00:00:00Z
    trigger: updated
    previous: { severity: Low }
    updated_by: User
    expect:
      fired: [R]
      status: Closed
      severity: High
      classification_reason: SuspiciousButExpected
      owner: a@b.c
      tags: [t]
      changes: 0
"#;

/// Each case is a one-edit breakage of [`UPDATE_TEST`]: the decoder reports the code and the
/// schema rejects it.
#[test]
fn both_reject_what_the_test_decoder_reports() {
    let v = tests_validator();
    assert_eq!(decoder_errors(UPDATE_TEST), Vec::<Code>::new());
    assert_eq!(schema_errors(&v, UPDATE_TEST), Vec::<String>::new());
    let cases = [
        ("unknown file key", "rules: [r.yaml]", "rules: [r.yaml]\nversion: 2", Code::SR003),
        ("empty rules list", "rules: [r.yaml]", "rules: []", Code::SR029),
        ("rules not a path", "rules: [r.yaml]", "rules: { path: r.yaml }", Code::SR005),
        ("file now not a timestamp", "now: 2026-06-01T00:00:00Z", "now: June 1st", Code::SR028),
        ("tests not a list", "tests:\n  - name: T", "tests:\n    name: T", Code::SR005),
        ("unknown test key", "description: d", "descripton: d", Code::SR003),
        ("name not a scalar", "name: T", "name: [T]", Code::SR005),
        ("incident a list", "incident: i.json", "incident: [i.json]", Code::SR005),
        ("test now not a timestamp", "now: 2026-06-02T00:00:00Z", "now: tomorrow", Code::SR028),
        ("bad trigger", "trigger: updated", "trigger: update", Code::SR011),
        ("previous without trigger updated", "    trigger: updated\n", "", Code::ST005),
        ("previous with trigger created", "trigger: updated", "trigger: created", Code::ST005),
        ("previous a number", "previous: { severity: Low }", "previous: 3", Code::SR005),
        ("bad updated_by", "updated_by: User", "updated_by: Human", Code::SR011),
        ("unknown expectation", "changes: 0", "change: 0", Code::SR003),
        ("fired with fires", "fired: [R]", "fired: [R]\n      fires: [R]", Code::ST005),
        ("bad status", "status: Closed", "status: Close", Code::SR011),
        ("bad severity", "severity: High", "severity: Critical", Code::SR011),
        ("bad classification reason", "SuspiciousButExpected", "Expected", Code::SR011),
        ("empty owner", "owner: a@b.c", "owner: ' '", Code::SR005),
        ("owner a list", "owner: a@b.c", "owner: [a@b.c]", Code::SR005),
        ("tags a mapping", "tags: [t]", "tags: { t: 1 }", Code::SR005),
        ("negative changes", "changes: 0", "changes: -1", Code::SR005),
        ("changes not a number", "changes: 0", "changes: many", Code::SR005),
    ];
    for (what, from, to, code) in cases {
        let bad = UPDATE_TEST.replacen(from, to, 1);
        assert_ne!(bad, UPDATE_TEST, "{what}: the edit does not apply");
        assert!(decoder_errors(&bad).contains(&code), "{what}: the decoder reports {:?}", decoder_errors(&bad));
        assert!(!schema_errors(&v, &bad).is_empty(), "{what}: the schema accepts it");
    }
    // An `expect` that checks nothing.
    let empty = "rules: r.yaml\ntests: [{ name: T, incident: i.json, expect: {} }]\n";
    assert_eq!(decoder_errors(empty), [Code::ST005]);
    assert!(!schema_errors(&v, empty).is_empty());
}
