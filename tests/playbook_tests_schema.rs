//! The JSON Schema of playbook tests (`schema tests`, `definitions.playbookTest`) against the
//! test decoder: the same keys, the same required keys, a file using every key accepted by
//! both, and each one-edit breakage rejected by both. (The rule tests' half is
//! tests/schema.rs.)

use sentinel_soar::diagnostic::{Code, Diagnostic};
use sentinel_soar::ruletest::{self, playbook};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let schema = ruletest::schema::tests();
    jsonschema::draft7::options().should_validate_formats(true).build(&schema).expect("a valid draft-07 schema")
}

fn schema_errors(v: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let value: Value = serde_saphyr::from_str(yaml).unwrap();
    v.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

fn decoder_errors(yaml: &str) -> Vec<Code> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    ruletest::decode("t.yaml", yaml, &mut diags);
    diags.iter().filter(|d| d.is_error()).map(|d| d.code).collect()
}

fn keys(schema: &Value) -> Vec<&str> {
    schema["properties"].as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn the_schema_has_the_decoder_keys() {
    let s = ruletest::schema::tests();
    assert_eq!(s["properties"]["tests"]["items"]["then"]["$ref"], "#/definitions/playbookTest");
    assert_eq!(s["properties"]["tests"]["items"]["if"]["required"][0], "playbook");
    let test = &s["definitions"]["playbookTest"];
    assert_eq!(keys(test), playbook::CASE_KEYS);
    assert_eq!(test["required"], serde_json::json!(playbook::CASE_REQUIRED));
    let expect = &s["definitions"]["playbookExpect"];
    assert_eq!(keys(expect), playbook::EXPECT_KEYS);
    assert_eq!(expect["properties"]["run"]["enum"], serde_json::json!(playbook::RUN_STATUSES));
    let call = &expect["properties"]["calls"]["items"]["oneOf"][1];
    assert_eq!(keys(call), playbook::CALL_KEYS);
}

/// A file of playbook tests (no `rules`) using every key and every expectation.
const EVERY_KEY: &str = r#"
playbooks: ../playbooks
mocks: ../mocks
now: 2026-06-01
tests:
  - name: every key
    description: d
    playbook: P
    incident: ../incidents/1.json
    alert: { SystemAlertId: a, AlertDisplayName: A }
    mocks: [m.yaml, { match: { action: X }, outputs: { statusCode: 200 } }]
    infer_mocks: true
    strict_mocks: false
    watchlists: { BadIPs: bad.csv }
    now: 2026-06-02T00:00:00Z
    expect:
      run: Succeeded
      actions: { A: Succeeded, B: [Skipped, Failed] }
      calls: [A, { action: B, inputs: { body: { text: { contains: x } } } }]
      outputs: { C: { body: [1] }, D: 3 }
      status: Active
      severity: High
      classification: null
      classification_reason: null
      classification_comment: null
      owner: a@b.c
      tags: [t]
      tags_exact: [t]
      not_tags: [u]
      tasks: [T]
      tasks_exact: [T]
      changes: 2
  - name: an alert alone
    playbook: ../playbooks/p.yaml
    alert: a.json
    mocks: m.yaml
    expect: { run: Failed }
"#;

#[test]
fn both_accept_a_file_using_every_key() {
    assert_eq!(decoder_errors(EVERY_KEY), Vec::<Code>::new());
    assert_eq!(schema_errors(&validator(), EVERY_KEY), Vec::<String>::new());
}

/// Each case is a one-edit breakage of [`EVERY_KEY`]: the decoder reports the code and the
/// schema rejects it.
#[test]
fn both_reject_what_the_decoder_reports() {
    let v = validator();
    let cases = [
        ("unknown test key", "description: d", "descripton: d", Code::SR003),
        ("a rule test key", "description: d", "trigger: updated", Code::ST005),
        ("no incident nor alert", "    alert: a.json\n", "", Code::ST005),
        ("playbook not a text", "playbook: P", "playbook: [P]", Code::SR005),
        ("alert a number", "alert: a.json", "alert: 3", Code::SR005),
        ("a flag not a boolean", "infer_mocks: true", "infer_mocks: often", Code::SR005),
        ("watchlists a list", "watchlists: { BadIPs: bad.csv }", "watchlists: [bad.csv]", Code::SR005),
        ("an inline mock without match", "{ match: { action: X }, outputs", "{ outputs", Code::PB023),
        ("a bad run status", "run: Succeeded", "run: Done", Code::SR011),
        ("a bad action status", "A: Succeeded", "A: Finished", Code::SR011),
        (
            "calls a mapping",
            "calls: [A, { action: B, inputs: { body: { text: { contains: x } } } }]",
            "calls: { action: B }",
            Code::SR005,
        ),
        ("a call without action", "{ action: B, inputs", "{ inputs", Code::SR004),
        ("an unknown call key", "{ action: B, inputs", "{ action: B, input", Code::SR003),
        ("a rule expectation", "run: Failed", "fired: [R]", Code::ST005),
        ("an unknown expectation", "run: Failed", "runs: Failed", Code::SR003),
        ("a bad incident status", "status: Active", "status: Open", Code::SR011),
        ("an empty expect", "{ run: Failed }", "{}", Code::ST005),
    ];
    for (what, from, to, code) in cases {
        let bad = EVERY_KEY.replacen(from, to, 1);
        assert_ne!(bad, EVERY_KEY, "{what}: the edit does not apply");
        assert!(decoder_errors(&bad).contains(&code), "{what}: the decoder reports {:?}", decoder_errors(&bad));
        assert!(!schema_errors(&v, &bad).is_empty(), "{what}: the schema accepts it");
    }
    // A rule test in the file needs `rules`, in both.
    let with_rule_test = format!("{EVERY_KEY}  - {{ name: R, incident: i.json, expect: {{ changes: 0 }} }}\n");
    assert_eq!(decoder_errors(&with_rule_test), [Code::SR004]);
    assert!(!schema_errors(&v, &with_rule_test).is_empty());
}
