//! The JSON Schema of YAML playbooks: the committed `schemas/playbooks.schema.json` is exactly
//! what `sentinel-soar schema playbooks` prints, every example playbook points at it and
//! validates, the schema is built from the decoder's key tables, and schema and decoder accept
//! and reject the same edits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use std::path::Path;

use common::{root, run, soar};
use sentinel_soar::diagnostic::{Code, Diagnostic};
use sentinel_soar::playbook::model::action::Status;
use sentinel_soar::playbook::model::secret::{CONNECTION_KEYS, ENV_KEY};
use sentinel_soar::playbook::model::step::{TableFormat, TerminateStatus, WAIT_UNITS};
use sentinel_soar::playbook::model::trigger::TriggerKind;
use sentinel_soar::playbook::model::yaml::sentinel::OPS;
use sentinel_soar::playbook::model::yaml::step::{CASE_KEYS, KINDS, SENTINEL_PREFIX};
use sentinel_soar::playbook::model::yaml::{COMMON_KEYS, TOP_KEYS, TRIGGER_KIND_KEY};
use sentinel_soar::playbook::model::{self, codes};
use sentinel_soar::playbook::schema::{self, BODY_REQUIRED, COLUMN_KEYS, DECLARATION_KEYS, LIMIT_KEYS, TOP_REQUIRED};
use serde_json::Value;

const MODELINE: &str = "# yaml-language-server: $schema=../../schemas/playbooks.schema.json";

fn validator() -> jsonschema::Validator {
    let schema = schema::playbooks();
    jsonschema::draft7::options().should_validate_formats(true).build(&schema).expect("a valid draft-07 schema")
}

fn schema_errors(v: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let value: Value = serde_saphyr::from_str(yaml).unwrap();
    v.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// The decoder's and compiler's errors, as codes (warnings left out).
fn decoder_errors(yaml: &str) -> Vec<Code> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    model::load("t.yaml", yaml, &mut diags);
    diags.iter().filter(|d| d.is_error()).map(|d| d.code).collect()
}

/// The keys of an object schema, in order.
fn keys(schema: &Value) -> Vec<&str> {
    schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties: {schema}"))
        .keys()
        .map(String::as_str)
        .collect()
}

fn strings(value: &Value) -> Vec<&str> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect()
}

/// `#/definitions/NAME` followed.
fn resolve<'s>(root: &'s Value, schema: &'s Value) -> &'s Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => &root["definitions"][r.trim_start_matches("#/definitions/")],
        None => schema,
    }
}

/// Asserts that every object schema with `properties` rejects unknown keys (or names the keys
/// it takes with `propertyNames`) and that every property is described; returns how many
/// object schemas with properties there are.
fn assert_closed(root: &Value, schema: &Value, at: &str) -> usize {
    match schema {
        Value::Object(map) => {
            let mut here = 0;
            if let Some(properties) = map.get("properties") {
                here = 1;
                let closed =
                    map.get("additionalProperties") == Some(&Value::Bool(false)) || map.contains_key("propertyNames");
                assert!(closed, "{at}: unknown keys are accepted");
                for (key, spec) in properties.as_object().unwrap() {
                    let spec = resolve(root, spec);
                    assert!(spec["description"].as_str().is_some_and(|d| !d.is_empty()), "{at}: `{key}` has no schema");
                }
            }
            here + map.iter().map(|(k, v)| assert_closed(root, v, &format!("{at}/{k}"))).sum::<usize>()
        }
        Value::Array(items) => {
            items.iter().enumerate().map(|(i, v)| assert_closed(root, v, &format!("{at}/{i}"))).sum()
        }
        _ => 0,
    }
}

#[test]
fn committed_schema_is_the_generated_one() {
    let (code, printed, stderr) = run(soar().args(["schema", "playbooks"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let committed = std::fs::read_to_string(root().join("schemas/playbooks.schema.json")).unwrap();
    assert!(
        printed == committed,
        "schemas/playbooks.schema.json is stale: run `cargo run -- schema playbooks > schemas/playbooks.schema.json`"
    );
}

#[test]
fn every_example_playbook_points_at_the_schema_and_validates() {
    let v = validator();
    let dir = root().join("examples/playbooks");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().next(), Some(MODELINE), "{}: first line", path.display());
        assert!(Path::new(&dir).join("../../schemas/playbooks.schema.json").exists());
        assert_eq!(schema_errors(&v, &text), Vec::<String>::new(), "{}", path.display());
        assert_eq!(decoder_errors(&text), Vec::<Code>::new(), "{}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 6);
}

/// Fails when the decoder's tables and the schema disagree (a key or kind added to one only).
#[test]
fn schema_keys_are_the_decoder_tables() {
    let s = schema::playbooks();
    let d = &s["definitions"];
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(keys(&s), TOP_KEYS);
    assert_eq!(strings(&s["required"]), TOP_REQUIRED);
    let trigger = &s["properties"]["trigger"]["oneOf"];
    let kinds: Vec<&str> = TriggerKind::YAML.iter().map(|k| k.as_str()).collect();
    assert_eq!(strings(&trigger[0]["enum"]), kinds);
    assert_eq!(keys(&trigger[1]), [TRIGGER_KIND_KEY]);
    assert_eq!(s["properties"]["trigger"]["default"], kinds[0]);
    assert_eq!(keys(&d["connection"]["oneOf"][1]), CONNECTION_KEYS);
    assert_eq!(keys(&d["secret"]), [ENV_KEY]);
    assert_eq!(keys(&d["variable"]), DECLARATION_KEYS);

    let steps = d["step"]["oneOf"].as_array().unwrap();
    assert_eq!(steps.len(), KINDS.len() + OPS.len());
    for (kind, step) in KINDS.iter().zip(steps) {
        let expected: Vec<&str> =
            COMMON_KEYS.iter().copied().chain([kind.key]).chain(kind.siblings.iter().copied()).collect();
        assert_eq!(keys(step), expected, "{}", kind.key);
        assert!(strings(&step["required"]).contains(&kind.key), "{}", kind.key);
        if let Some(body) = kind.body {
            assert_eq!(keys(&step["properties"][kind.key]), body, "{}", kind.key);
        }
    }
    for (op, step) in OPS.iter().zip(&steps[KINDS.len()..]) {
        let key = format!("{SENTINEL_PREFIX}{}", op.name);
        let expected: Vec<&str> = COMMON_KEYS.iter().copied().chain([key.as_str()]).collect();
        assert_eq!(keys(step), expected);
        assert_eq!(strings(&step["required"]), [key.as_str()]);
        let body = &step["properties"][key.as_str()];
        let mapping = body.get("oneOf").map_or(body, |o| &o[1]);
        assert_eq!(keys(mapping), op.body, "{key}");
    }
    let step = |key: &str| &steps[KINDS.iter().position(|k| k.key == key).unwrap()]["properties"];
    assert_eq!(keys(&step("switch")["cases"]["additionalProperties"]), CASE_KEYS);
    assert_eq!(keys(&step("until")["limit"]), LIMIT_KEYS);
    assert_eq!(keys(&step("table")["table"]["properties"]["columns"]["items"]), COLUMN_KEYS);
    assert_eq!(
        strings(&step("table")["table"]["properties"]["format"]["enum"]),
        TableFormat::ALL.map(TableFormat::as_str)
    );
    assert_eq!(
        strings(&step("terminate")["terminate"]["properties"]["status"]["enum"]),
        TerminateStatus::ALL.map(TerminateStatus::as_str)
    );
    assert_eq!(strings(&step("wait")["wait"]["properties"]["unit"]["anyOf"][0]["enum"]), WAIT_UNITS);
    assert_eq!(strings(&d["statuses"]["oneOf"][0]["enum"]), Status::ALL.map(Status::as_str));
    // Every body's required keys are keys of that body.
    for (kind, required) in BODY_REQUIRED {
        let step = steps.iter().find(|s| s["properties"].get(*kind).is_some()).unwrap();
        let body = &step["properties"][*kind];
        assert_eq!(strings(&body["required"]), *required, "{kind}");
    }
    let objects = assert_closed(&s, &s, "#");
    assert!(objects > KINDS.len() + OPS.len(), "{objects}");
}

/// A playbook using every top-level key, every step key, every kind and every Sentinel
/// operation: both accept it.
const EVERYTHING: &str = r#"
name: Everything
description: every key, kind and Sentinel operation
enabled: true
trigger: { kind: incident }
resource_group: rg-soc
parameters:
  Channel: "19:abc"
  ApiKey: { env: API_KEY }
connections:
  vt: { connector: virustotal, display_name: VirusTotal, secrets: { api_key: { env: VT_API_KEY } } }
  teams: teams
steps:
  - name: Variables
    id: Variables
    description: the variables
    initialize_variable:
      - { name: Count, type: integer, value: 0 }
      - { name: Notes, type: string }
      - { name: List, type: array, value: [] }
  - sentinel.get_ips: {}
  - sentinel.get_accounts:
  - sentinel.get_hosts: { entities: "@triggerBody()?['object']?['properties']?['relatedEntities']" }
  - sentinel.get_urls: {}
  - sentinel.get_filehashes: {}
  - sentinel.get_dns: {}
  - sentinel.add_relation: { related: /subscriptions/s/resourceGroups/r/providers/Microsoft.SecurityInsights/incidents/i2 }
  - sentinel.get_incident: { incident: "@triggerBody()?['object']?['id']" }
  - sentinel.get_alerts: {}
  - sentinel.alert_get_incident: {}
  - name: Lookup
    call:
      connector: virustotal
      connection: vt
      method: get
      path: /api/v3/ip_addresses/1.2.3.4
      queries: { limit: 1 }
      headers: { accept: application/json }
      body: {}
      webhook: false
  - name: Web
    secure: [inputs, outputs]
    http: { method: GET, uri: "https://example.com", headers: {}, queries: {}, body: null, authentication: { type: ManagedServiceIdentity } }
  - name: Check
    if: { and: [{ equals: ["@variables('Count')", 0] }, { not: { contains: [abc, b] } }, { or: ["@true", false] }] }
    then:
      - set_variable: { name: Notes, value: zero }
    else:
      - increment_variable: { name: Count, value: 2 }
  - name: Pick
    switch: "@variables('Notes')"
    cases:
      Zero: { case: zero, steps: [{ decrement_variable: { name: Count } }] }
      One: { case: 1, steps: [] }
    default:
      - append_to_string: { name: Notes, value: "!" }
  - name: Loop
    foreach: [1, 2]
    concurrency: 1
    steps:
      - append_to_array: { name: List, value: "@items('Loop')" }
  - name: Again
    until: "@greater(variables('Count'), 3)"
    limit: { count: 5, timeout: PT1H }
    steps:
      - increment_variable: { name: Count }
  - name: Group
    scope:
      - compose: { a: 1 }
  - name: Parse
    parse_json: { content: "{}", schema: { type: object } }
  - name: Filter
    query: { from: "@variables('List')", where: "@greater(item(), 1)" }
  - name: Map
    select: { from: "@variables('List')", select: { v: "@item()" } }
  - name: Joined
    join: { from: "@variables('List')", with: ", " }
  - name: Rows
    table: { from: "@body('Map')", format: CSV, columns: [{ header: V, value: "@item()?['v']" }] }
  - name: Pause
    wait: { count: 1, unit: Minute }
  - name: Pause until
    wait: { until: "2026-06-01T01:00:00Z" }
  - name: Raw
    run_after: { Pause_until: [Succeeded, Failed] }
    type: Compose
    inputs: raw
  - name: Comment
    run_after_previous: [Succeeded, Skipped]
    sentinel.add_comment: { message: hi, incident: "@triggerBody()?['object']?['id']" }
  - sentinel.update_incident:
      status: Closed
      severity: Low
      classification: BenignPositive - SuspiciousButExpected
      classification_comment: expected
      owner: a@b.c
      owner_action: Assign
      title: T
      description: D
      add_tags: [a]
      remove_tags: b
  - sentinel.add_task: { title: T, description: D }
  - sentinel.complete_task: { task: "@body('Add_task_to_incident')?['id']" }
  - name: Reply
    response: { status_code: 200, headers: {}, body: done }
  - name: Stop
    run_after: [Reply]
    terminate: { status: Failed, code: E1, message: stopped }
"#;

#[test]
fn both_accept_a_playbook_using_every_key_and_kind() {
    assert_eq!(decoder_errors(EVERYTHING), Vec::<Code>::new());
    assert_eq!(schema_errors(&validator(), EVERYTHING), Vec::<String>::new());
    let value: Value = serde_saphyr::from_str(EVERYTHING).unwrap();
    fn walk<'v>(value: &'v Value, keys: &mut Vec<&'v str>) {
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                keys.push(k);
                walk(v, keys);
            }),
            Value::Array(items) => items.iter().for_each(|v| walk(v, keys)),
            _ => {}
        }
    }
    let mut used: Vec<&str> = Vec::new();
    walk(&value, &mut used);
    for kind in KINDS {
        assert!(used.contains(&kind.key), "{} is not used", kind.key);
    }
    for op in OPS {
        assert!(used.contains(&format!("{SENTINEL_PREFIX}{}", op.name).as_str()), "{} is not used", op.name);
    }
}

/// A valid playbook that the breakages below edit.
const BASE: &str = r#"
name: P
trigger: incident
connections:
  vt: { connector: virustotal, secrets: { api_key: { env: VT_API_KEY } } }
steps:
  - name: Count
    initialize_variable: { name: N, type: integer, value: 0 }
  - name: Ask
    call: { connector: virustotal, connection: vt, method: get, path: /x }
  - name: Loop
    foreach: "@body('Ask')?['items']"
    concurrency: 1
    steps:
      - increment_variable: { name: N }
  - name: Again
    until: "@greater(variables('N'), 3)"
    limit: { count: 5 }
    steps:
      - increment_variable: { name: N }
  - name: Rows
    table: { from: "@body('Ask')?['items']", format: HTML }
  - name: Note
    run_after: { Rows: [Succeeded] }
    sentinel.add_comment: { message: hi }
  - name: Stop
    terminate: { status: Succeeded }
"#;

/// Each case is a one-edit breakage of [`BASE`]: the decoder reports the code and the schema
/// rejects it.
#[test]
fn both_reject_what_the_decoder_reports() {
    let v = validator();
    assert_eq!(decoder_errors(BASE), Vec::<Code>::new());
    assert_eq!(schema_errors(&v, BASE), Vec::<String>::new());
    let cases = [
        ("unknown step key", "  - name: Rows\n", "  - name: Rows\n    colour: red\n", codes::UNKNOWN_KEY),
        ("unknown top-level key", "trigger: incident", "trigger: incident\nversion: 2", codes::UNKNOWN_KEY),
        ("missing name", "name: P\n", "", codes::MISSING_KEY),
        ("unknown trigger", "trigger: incident", "trigger: incidents", codes::INVALID_VALUE),
        ("unknown step kind", "table:", "tabel:", codes::UNKNOWN_STEP_KIND),
        (
            "two kinds",
            "terminate: { status: Succeeded }",
            "terminate: { status: Succeeded }\n    compose: 1",
            codes::UNKNOWN_STEP_KIND,
        ),
        ("unknown Sentinel operation", "sentinel.add_comment", "sentinel.add_comments", codes::UNKNOWN_STEP_KIND),
        ("unknown Sentinel body key", "{ message: hi }", "{ message: hi, colour: red }", codes::UNKNOWN_KEY),
        ("unknown call body key", "path: /x }", "path: /x, verb: get }", codes::UNKNOWN_KEY),
        (
            "unknown sibling",
            "    concurrency: 1\n",
            "    concurrency: 1\n    limit: { count: 1 }\n",
            codes::UNKNOWN_KEY,
        ),
        ("unknown connection key", "secrets:", "secret:", codes::UNKNOWN_KEY),
        ("literal secret", "{ env: VT_API_KEY }", "hunter2", codes::SECRET_LITERAL),
        ("bad run_after status", "[Succeeded]", "[Succeded]", codes::INVALID_STATUS),
        ("concurrency too high", "concurrency: 1", "concurrency: 51", codes::INVALID_VALUE),
        ("until without limit", "    limit: { count: 5 }\n", "", codes::UNTIL_WITHOUT_LIMIT),
        ("limit too high", "count: 5", "count: 5001", codes::INVALID_VALUE),
        ("bad timeout", "{ count: 5 }", "{ count: 5, timeout: 1h }", codes::INVALID_VALUE),
        ("bad table format", "format: HTML", "format: XLS", codes::INVALID_VALUE),
        ("bad terminate status", "status: Succeeded", "status: Done", codes::INVALID_VALUE),
        ("bad variable type", "type: integer", "type: number", codes::INVALID_VALUE),
        (
            "steps not a list",
            "    steps:\n      - increment_variable: { name: N }\n  - name: Again",
            "    steps: { increment_variable: { name: N } }\n  - name: Again",
            codes::WRONG_TYPE,
        ),
    ];
    for (what, from, to, code) in cases {
        let bad = BASE.replacen(from, to, 1);
        assert_ne!(bad, BASE, "{what}: the edit does not apply");
        assert!(decoder_errors(&bad).contains(&code), "{what}: the decoder reports {:?}", decoder_errors(&bad));
        assert!(!schema_errors(&v, &bad).is_empty(), "{what}: the schema accepts it");
    }
}

/// A step of each kind with required body keys: both accept it with them all, and both
/// reject it without any one of them.
#[test]
fn both_require_the_same_body_keys() {
    let v = validator();
    let bodies = [
        ("call", "connector: teams"),
        ("set_variable", "name: N, value: 1"),
        ("increment_variable", "name: N"),
        ("decrement_variable", "name: N"),
        ("append_to_array", "name: A, value: 1"),
        ("append_to_string", "name: S, value: x"),
        ("query", "from: [1], where: \"@true\""),
        ("select", "from: [1], select: x"),
        ("table", "from: [1], format: CSV"),
        ("terminate", "status: Failed"),
        ("sentinel.add_comment", "message: m"),
        ("sentinel.add_task", "title: t"),
    ];
    assert_eq!(bodies.map(|b| b.0), BODY_REQUIRED.iter().map(|r| r.0).collect::<Vec<_>>().as_slice());
    let playbook = |kind: &str, body: &str| {
        format!(
            "name: P\nsteps:\n  - initialize_variable: [{{ name: N, type: integer }}, {{ name: A, type: array }}, {{ name: S, type: string }}]\n  - {kind}: {{ {body} }}\n"
        )
    };
    for ((kind, required), (_, body)) in BODY_REQUIRED.iter().zip(bodies) {
        let full = playbook(kind, body);
        assert_eq!(decoder_errors(&full), Vec::<Code>::new(), "{kind}");
        assert_eq!(schema_errors(&v, &full), Vec::<String>::new(), "{kind}");
        for key in *required {
            let rest: Vec<&str> = body.split(", ").filter(|part| !part.starts_with(&format!("{key}:"))).collect();
            let without = playbook(kind, &rest.join(", "));
            assert!(!decoder_errors(&without).is_empty(), "{kind} without {key}: the decoder accepts it");
            assert!(!schema_errors(&v, &without).is_empty(), "{kind} without {key}: the schema accepts it");
        }
    }
}
