//! The rule test library without the binary: decoding defaults and inline incidents, and how
//! each kind of expectation compares (case, order, null, reasons a rule did not fire).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use sentinel_soar::model::Incident;
use sentinel_soar::rules::{self, RuleSet};
use sentinel_soar::ruletest::{self, CaseResult, IncidentSource, TestFile, Trigger, DEFAULT_NOW};

const RULES: &str = r#"
rules:
  - name: Close noise
    order: 1
    conditions: { property: IncidentTitle, operator: Contains, values: [noise] }
    actions:
      - change_status: { status: Closed, classification: FalsePositive, reason: InaccurateData, comment: Noise }
      - add_tags: [noise]
  - name: Off
    order: 2
    enabled: false
    actions: [{ add_tags: [never] }]
  - name: Scoped
    order: 3
    analytics_rules: [11111111-2222-3333-4444-555555555555]
    actions: [{ run_playbook: notify-soc }]
  - name: On update
    order: 4
    trigger: { on: incidents, when: updated }
    conditions: { changed: IncidentSeverity }
    actions: [{ assign_owner: { upn: Alice@Contoso.com } }]
"#;

fn rule_set() -> RuleSet {
    let mut diags = Vec::new();
    let file = rules::file::decode("r.yaml", RULES, &mut diags);
    let (set, more) = rules::compile(&[file], &rules::Options::default());
    assert!(diags.is_empty() && more.is_empty(), "{diags:?} {more:?}");
    set
}

fn decode(text: &str) -> TestFile {
    let mut diags = Vec::new();
    let file = ruletest::decode("t.yaml", text, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    file
}

/// Runs every case of `text` (inline incidents only) against [`RULES`].
fn run(text: &str) -> Vec<CaseResult> {
    let (file, set) = (decode(text), rule_set());
    let inline = |s: &IncidentSource| match s {
        IncidentSource::Inline { value, .. } => Incident::from_value(value.clone()).unwrap(),
        IncidentSource::Path(_) => panic!("inline incidents only"),
    };
    file.cases
        .iter()
        .map(|c| {
            let previous = match &c.trigger {
                Trigger::Updated { previous: Some(p), .. } => Some(inline(p)),
                _ => None,
            };
            ruletest::run_case("t.yaml", c, &set, inline(&c.incident), previous.as_ref(), None)
        })
        .collect()
}

fn messages(r: &CaseResult) -> Vec<String> {
    r.mismatches.iter().map(|m| format!("{}: {}", m.key, m.message)).collect()
}

#[test]
fn defaults_and_inline_incidents() {
    let file = decode("rules: [a.yaml, b/]\ntests:\n  - name: n\n    incident: { title: t, incidentNumber: 7, x: [1.5, true, null] }\n    expect: { changes: 0 }\n");
    assert_eq!(file.rules.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(), ["a.yaml", "b/"]);
    let case = &file.cases[0];
    assert_eq!(case.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), DEFAULT_NOW);
    assert_eq!(case.trigger, Trigger::Created);
    let IncidentSource::Inline { value, .. } = &case.incident else { panic!("inline") };
    assert_eq!(value, &serde_json::json!({"title": "t", "incidentNumber": 7, "x": [1.5, true, null]}));
}

#[test]
fn fields_compare_enums_without_case_and_comments_exactly() {
    let results = run(r#"
rules: r.yaml
tests:
  - name: closed
    incident: { title: Some noise, severity: low, status: New }
    expect:
      status: closed
      severity: Low
      classification_reason: InaccurateData
      classification_comment: noise
      owner: null
      tags_exact: [NOISE]
"#);
    assert_eq!(messages(&results[0]), ["classification_comment: expected noise, got Noise"]);
}

#[test]
fn reasons_tell_why_a_rule_did_not_fire() {
    let results = run(r#"
rules: r.yaml
tests:
  - name: reasons
    incident: { title: quiet, severity: Low, status: New }
    expect: { fires: [Close noise, Off, Scoped, On update] }
"#);
    assert_eq!(
        messages(&results[0]),
        ["fires: missing [Close noise (conditions false), Off (disabled), Scoped (not scoped to the incident's analytics rules), On update (update rule: no rule changed the incident)]; fired []"]
    );
}

#[test]
fn updates_run_only_update_rules_and_owner_matches_any_identity() {
    let results = run(r#"
rules: r.yaml
tests:
  - name: severity raised by a user
    incident: { title: noise, severity: High, status: New }
    trigger: updated
    updated_by: User
    previous: { title: noise, severity: Low, status: New }
    expect:
      fired: [On update]
      owner: alice@contoso.com
      status: New
      changes: 1
  - name: nothing changed
    incident: { title: noise, severity: High, status: New }
    trigger: updated
    expect: { fired: [On update], owner: alice@contoso.com }
"#);
    assert!(results[0].passed(), "{:?}", messages(&results[0]));
    assert_eq!(
        messages(&results[1]),
        ["fired: missing [On update (conditions false)]", "owner: expected alice@contoso.com, got unassigned"]
    );
}

#[test]
fn lists_report_missing_and_unexpected_items() {
    let results = run(r#"
rules: r.yaml
tests:
  - name: lists
    incident: { title: noise, severity: Low, status: New, labels: [{ labelName: old }] }
    expect:
      tags: [noise, vip]
      tags_exact: [noise, vip]
      not_tags: [OLD]
      tasks: [Call the user]
      playbooks: [notify-soc]
"#);
    assert_eq!(
        messages(&results[0]),
        [
            "tags: missing [vip]; has [old, noise]",
            "tags_exact: missing [vip]; unexpected [old]",
            "not_tags: present [OLD]",
            "tasks: missing [Call the user]; has []",
            "playbooks: missing [notify-soc]",
        ]
    );
}

/// A test with errors is kept as far as it decoded, for `test` and `validate` to check its files
/// and names in the same run; a file holding one is never a runnable case.
#[test]
fn a_test_with_errors_is_kept_as_far_as_it_decoded() {
    let text = std::fs::read_to_string("tests/fixtures/ruletest-rounds/tests/rounds.yaml").unwrap();
    let mut diags = Vec::new();
    let file = ruletest::decode("t.yaml", &text, &mut diags);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.id()).collect();
    assert_eq!(codes, ["SR011", "SR003"]);
    assert!(file.cases.is_empty());
    let [a, b] = &file.unfinished_cases[..] else { panic!("{:?}", file.unfinished_cases) };
    let path = |c: &ruletest::UnfinishedCase| match &c.incident {
        Some(IncidentSource::Path(t)) => t.value.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!((a.name.as_deref(), path(a).as_str(), a.span.line), (Some("a"), "../incidents", 6));
    // `fired` decoded, `status: Close` did not.
    let [fired] = &a.expect[..] else { panic!("{:?}", a.expect) };
    let ruletest::Check::Fired(names) = &fired.check else { panic!("{fired:?}") };
    let names: Vec<_> = names.iter().map(|t| (t.value.as_str(), t.span.line, t.span.column)).collect();
    assert_eq!(names, [("Tag credential acess", 8, 23)]);
    assert_eq!(
        (b.name.as_deref(), path(b).as_str(), b.expect.len()),
        (Some("b"), "../incidents/4101-pentest-pt-07.json", 0)
    );
}
