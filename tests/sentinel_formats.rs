//! Sentinel's automation rule JSON: every corpus file decodes and compiles, import (JSON ->
//! YAML) and export (YAML -> ARM) round-trip, ARM expressions resolve from `--param`, and
//! diagnostics point into the JSON text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

use sentinel_soar::diagnostic::{self, Code, Diagnostic, Sources};
use sentinel_soar::rules::{self, file::RuleFile};
use sentinel_soar::sentinel::{self, canon, export, import};
use serde_json::Value;

fn corpus(dir: &str) -> Option<Vec<PathBuf>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus").join(dir);
    if !root.is_dir() {
        println!("skipped: {} is absent", root.display());
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    Some(files)
}

fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn errors(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().filter(|d| d.is_error()).map(|d| format!("{}: {} {}", d.location(), d.code, d.message)).collect()
}

/// Decodes JSON rules, which must have no errors and compile.
fn decode_json(path: &str, text: &str, given: &[(String, String)]) -> sentinel::Decoded {
    let mut diags = Vec::new();
    let decoded = sentinel::decode(path, text, given, &mut diags);
    let (_, compile) = rules::compile(std::slice::from_ref(&decoded.file), &rules::Options::default());
    diags.extend(compile);
    assert_eq!(errors(&diags), Vec::<String>::new(), "{path}");
    decoded
}

/// import: JSON rules -> YAML text -> file model; the same rules.
fn imported(decoded: &sentinel::Decoded) -> (RuleFile, Vec<Option<String>>) {
    let rules: Vec<_> = decoded.file.rules.iter().zip(decoded.ids.iter().map(Option::as_deref)).collect();
    let text = import::rules_file(&rules);
    let mut diags = Vec::new();
    let file = rules::file::decode("imported.yaml", &text, &mut diags);
    assert_eq!(errors(&diags), Vec::<String>::new(), "{text}");
    assert_eq!(canon::rules(&file.rules), canon::rules(&decoded.file.rules), "{text}");
    let ids = file.rules.iter().map(|r| import::source_comment_id(&text, r.span.line)).collect();
    (file, ids)
}

/// export: file-model rules -> ARM template text.
fn exported(file: &RuleFile, ids: &[Option<String>]) -> String {
    let sources: Vec<export::Source<'_>> = file
        .rules
        .iter()
        .zip(ids)
        .map(|(rule, id)| export::Source { path: &file.path, rule, id: id.as_deref() })
        .collect();
    let mut diags = Vec::new();
    let template = export::template(&sources, &mut diags);
    assert_eq!(errors(&diags), Vec::<String>::new());
    serde_json::to_string_pretty(&template).unwrap()
}

#[test]
fn every_corpus_rule_file_loads_and_round_trips() {
    let Some(files) = corpus("automation-rules") else { return };
    assert!(files.len() >= 7);
    let mut total = 0;
    for path in files {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let decoded = decode_json(&display, &text, &[]);
        assert!(!decoded.file.rules.is_empty(), "{display}");
        total += decoded.file.rules.len();
        let (yaml, ids) = imported(&decoded);
        let template = exported(&yaml, &ids);
        let again = decode_json("exported.json", &template, &[]);
        assert_eq!(canon::rules(&again.file.rules), canon::rules(&decoded.file.rules), "{display}\n{template}");
        // Rule ids survive the round trip through the `# source:` comment.
        let last = |id: &Option<String>| id.as_deref().map(|i| i.rsplit('/').next().unwrap().to_lowercase());
        if decoded.ids.iter().all(|id| last(id).is_some_and(|l| l.len() == 36)) {
            assert_eq!(
                again.ids.iter().map(last).collect::<Vec<_>>(),
                decoded.ids.iter().map(last).collect::<Vec<_>>()
            );
        }
    }
    assert_eq!(total, 11);
}

#[test]
fn rest_example_files_yield_their_rule_once_and_keep_every_field() {
    let Some(files) = corpus("automation-rules") else { return };
    let find = |name: &str| files.iter().find(|p| p.ends_with(name)).unwrap();
    let path = find("restapi-2025-09-01-AutomationRules_CreateOrUpdate.json");
    let decoded = decode_json("x.json", &std::fs::read_to_string(path).unwrap(), &[]);
    assert_eq!(decoded.shape, Some(sentinel::detect::Shape::Example));
    let rule = canon::rule(&decoded.file.rules[0]);
    assert_eq!(rule["name"], "Suspicious user sign-in events");
    assert_eq!(rule["analytics_rules"].as_array().map(Vec::len), Some(2));
    assert_eq!(rule["actions"][0]["add_task"]["title"], "Reset user passwords");
    let list = find("azure-powershell-recording-2021-09-01-preview-AutomationRules_List-response-body.json");
    let decoded = decode_json("x.json", &std::fs::read_to_string(list).unwrap(), &[]);
    assert_eq!(decoded.file.rules.len(), 5);
    assert_eq!(canon::rule(&decoded.file.rules[0])["actions"][0]["run_playbook"], "Block-AADUser-Incident");
}

#[test]
fn the_quickstart_template_resolves_its_parameters() {
    let Some(files) = corpus("automation-rules") else { return };
    let path = files.iter().find(|p| p.to_string_lossy().contains("quickstart")).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    // Without parameters: warnings naming each parameter, the text kept, no errors.
    let mut diags = Vec::new();
    let bare = sentinel::decode("q.json", &text, &[], &mut diags);
    let warned: Vec<&str> = diags.iter().filter_map(|d| d.help.as_deref()).collect();
    assert!(warned.iter().any(|h| h.starts_with("pass --param automationRuleName=VALUE")), "{warned:?}");
    assert_eq!(canon::rule(&bare.file.rules[0])["name"], "[parameters('automationRuleName')]");
    let given = params(&[
        ("existingWorkspaceName", "soc"),
        ("automationRuleName", "Close urgent"),
        ("existingRuleId", "0b2f8f5e-1c1e-4ad9-8e2c-6a3c2f0a9a11"),
    ]);
    let decoded = decode_json("q.json", &text, &given);
    let rule = canon::rule(&decoded.file.rules[0]);
    assert_eq!(rule["name"], "Close urgent");
    assert_eq!(rule["analytics_rules"], serde_json::json!(["0b2f8f5e-1c1e-4ad9-8e2c-6a3c2f0a9a11"]));
    assert_eq!(decoded.ids, [Some(sentinel_soar::arm::hash::unique_string(&["Close urgent"]))]);
    assert_eq!(rule["actions"][0]["change_status"]["classification"], "Undetermined");
    assert_eq!(rule["actions"][0]["change_status"]["reason"], Value::Null);
    assert_eq!(rule["actions"][1]["add_tags"], serde_json::json!(["tag"]));
    // Its export names the analytics rule through the workspace parameter and comes back.
    let (yaml, ids) = imported(&decoded);
    let template = exported(&yaml, &ids);
    assert!(template
        .contains("parameters('workspace'), 'Microsoft.SecurityInsights', '0b2f8f5e-1c1e-4ad9-8e2c-6a3c2f0a9a11')]"));
    let again = decode_json("e.json", &template, &params(&[("workspace", "soc")]));
    assert_eq!(canon::rules(&again.file.rules), canon::rules(&decoded.file.rules));
}

fn example_rules() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[test]
fn every_example_rule_survives_export_then_import() {
    for path in example_rules() {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut diags = Vec::new();
        let file = rules::file::decode(&display, &text, &mut diags);
        let (_, compile) = rules::compile(std::slice::from_ref(&file), &rules::Options { now: None, sentinel: true });
        if display.ends_with("pentest-suppression.yaml") {
            // InCidr has no Sentinel form: the compiler (SR031) and the exporter (SJ011) name it.
            assert!(compile.iter().any(|d| d.code == Code::SR031 && d.message.contains("InCidr")));
            let sources = [export::Source { path: &display, rule: &file.rules[0], id: None }];
            let mut diags = Vec::new();
            export::template(&sources, &mut diags);
            assert!(diags.iter().any(|d| d.code == Code::SJ011 && d.message.contains("`InCidr`")), "{diags:?}");
            continue;
        }
        assert_eq!(errors(&compile), Vec::<String>::new());
        let ids = vec![None; file.rules.len()];
        let template = exported(&file, &ids);
        let again = decode_json("exported.json", &template, &params(&[("workspace", "soc")]));
        assert_eq!(canon::rules(&again.file.rules), canon::rules(&file.rules), "{display}\n{template}");
        // Deterministic ids from the names, stable across runs.
        let v: Value = serde_json::from_str(&template).unwrap();
        let first = &v["resources"][0];
        assert_eq!(first["name"], sentinel::export::rule_guid(first["properties"]["displayName"].as_str().unwrap()));
    }
}

const BAD: &str = r#"{
  "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/automationRules/r1",
  "name": "r1",
  "type": "Microsoft.SecurityInsights/automationRules",
  "properties": {
    "displayName": "Broken rule",
    "order": 1,
    "triggeringLogic": {
      "isEnabled": true,
      "triggersOn": "Incidents",
      "triggersWhen": "Created",
      "conditions": [
        { "conditionType": "Property", "conditionProperties": { "propertyName": "IncidentTitel", "operator": "Contains", "propertyValues": ["x"] } },
        { "conditionType": "PropertyMatches", "conditionProperties": {} },
        { "conditionType": "Boolean", "conditionProperties": { "operator": "Xor", "innerConditions": [] } }
      ]
    },
    "actions": [
      { "order": 1, "actionType": "ModifyProperties", "actionConfiguration": { "severity": "Critical", "classification": "TruePositive" } },
      { "order": 2, "actionType": "SendEmail", "actionConfiguration": {} },
      { "order": 3, "actionType": "AddIncidentTask", "actionConfiguration": { "description": "no title" } }
    ]
  }
}"#;

#[test]
fn diagnostics_point_at_the_json_line_and_column() {
    let mut diags = Vec::new();
    let decoded = sentinel::decode("bad-rule.json", BAD, &[], &mut diags);
    let (_, compile) = rules::compile(std::slice::from_ref(&decoded.file), &rules::Options::default());
    diags.extend(compile);
    diagnostic::sort(&mut diags);
    let mut sources = Sources::default();
    sources.insert("bad-rule.json", BAD);
    insta::assert_snapshot!(diagnostic::render_human(&diags, &sources, false));
}

#[test]
fn a_json_file_that_is_not_rules_is_a_clear_diagnostic() {
    let mut diags = Vec::new();
    let decoded =
        sentinel::decode("incident.json", r#"{"properties": {"title": "t", "severity": "High"}}"#, &[], &mut diags);
    assert!(decoded.file.rules.is_empty());
    assert_eq!(
        diags.iter().map(|d| (d.code, d.message.as_str())).collect::<Vec<_>>(),
        [(Code::SJ002, "this JSON file holds no Sentinel automation rule")]
    );
    let mut diags = Vec::new();
    sentinel::decode("broken.json", "{\"value\": [1,\n", &[], &mut diags);
    assert_eq!(diags[0].code, Code::SJ001);
    assert!(diags[0].span.is_some());
}

/// Every condition type and action type of the API, as in the reference's full shape.
const FULL: &str = r#"{
  "properties": {
    "displayName": "Close pentest noise", "order": 10,
    "triggeringLogic": {
      "isEnabled": false, "expirationTimeUtc": "2026-01-01T00:00:00Z",
      "triggersOn": "incidents", "triggersWhen": "UPDATED",
      "conditions": [
        { "conditionType": "PropertyChanged", "conditionProperties": { "propertyName": "IncidentStatus", "changeType": "ChangedTo", "operator": "Equals", "propertyValues": ["active"] } },
        { "conditionType": "PropertyChanged", "conditionProperties": { "propertyName": "IncidentSeverity", "changeType": "ChangedFrom", "operator": "NotEquals", "propertyValues": ["High"] } },
        { "conditionType": "PropertyChanged", "conditionProperties": { "propertyName": "IncidentOwner", "changeType": "ChangedTo", "operator": null, "propertyValues": [] } },
        { "conditionType": "PropertyArrayChanged", "conditionProperties": { "arrayType": "Alerts", "changeType": "Added" } },
        { "conditionType": "Boolean", "conditionProperties": { "operator": "Or", "innerConditions": [
          { "conditionType": "Property", "conditionProperties": { "propertyName": "HostName", "operator": "Equals", "propertyValues": ["SUPER_SECURE_STATION"] } },
          { "conditionType": "Property", "conditionProperties": { "propertyName": "IncidentTactics", "operator": "Contains", "propertyValues": ["InitialAccess", "Execution"] } } ] } },
        { "conditionType": "PropertyArray", "conditionProperties": { "arrayType": "CustomDetails", "arrayConditionType": "AnyItem", "itemConditions": [
          { "conditionType": "Property", "conditionProperties": { "propertyName": "IncidentCustomDetailsKey", "operator": "Equals", "propertyValues": ["DestinationEmail"] } },
          { "conditionType": "PropertyArray", "conditionProperties": { "arrayType": "CustomDetailValues", "arrayConditionType": "AllItems", "itemConditions": [
            { "conditionType": "Property", "conditionProperties": { "propertyName": "IncidentCustomDetailsValue", "operator": "NotContains", "propertyValues": ["contoso.com"] } } ] } } ] } }
      ]
    },
    "actions": [
      { "order": 3, "actionType": "AddIncidentTask", "actionConfiguration": { "title": "Confirm with red team", "description": null } },
      { "order": 2, "actionType": "RunPlaybook", "actionConfiguration": { "logicAppResourceId": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Logic/workflows/notify", "tenantId": "00000000-0000-0000-0000-000000000000" } },
      { "order": 1, "actionType": "ModifyProperties", "actionConfiguration": { "severity": "", "status": "Closed", "classification": "BenignPositive", "classificationReason": "SuspiciousButExpected", "classificationComment": "pentest", "owner": { "objectId": null, "userPrincipalName": "alice@contoso.com", "ownerType": "User" }, "labels": [ { "labelName": "pentest" } ] } }
    ]
  }
}"#;

#[test]
fn every_condition_and_action_type_decodes_and_round_trips() {
    let decoded = decode_json("full.json", FULL, &[]);
    assert_eq!(decoded.shape, Some(sentinel::detect::Shape::Resource));
    let rule = canon::rule(&decoded.file.rules[0]);
    let want = serde_json::json!({
        "name": "Close pentest noise", "description": null, "order": 10, "enabled": false,
        "expires": "2026-01-01T00:00:00Z", "on": "incidents", "when": "updated", "analytics_rules": [],
        "conditions": { "all": [
            { "changed": "IncidentStatus", "from": [], "to": ["Active"] },
            { "all": [ { "changed": "IncidentSeverity", "from": [], "to": [] },
                       { "not": { "changed": "IncidentSeverity", "from": ["High"], "to": [] } } ] },
            { "changed": "IncidentOwner", "from": [], "to": [] },
            { "added": "Alerts" },
            { "any": [ { "property": "HostName", "operator": "Equals", "values": ["SUPER_SECURE_STATION"] },
                       { "property": "IncidentTactics", "operator": "Contains", "values": ["InitialAccess", "Execution"] } ] },
            { "any_item": [ { "property": "IncidentCustomDetailsKey", "operator": "Equals", "values": ["DestinationEmail"] },
                            { "all_items": [ { "property": "IncidentCustomDetailsValue", "operator": "NotContains", "values": ["contoso.com"] } ] } ] }
        ] },
        "actions": [
            { "change_status": { "status": "Closed", "classification": "BenignPositive", "reason": "SuspiciousButExpected", "comment": "pentest" } },
            { "assign_owner": { "object_id": null, "email": null, "upn": "alice@contoso.com", "name": null } },
            { "add_tags": ["pentest"] },
            { "run_playbook": "notify" },
            { "add_task": { "title": "Confirm with red team", "description": null } }
        ]
    });
    assert_eq!(rule, want);
    let (yaml, ids) = imported(&decoded);
    let template = exported(&yaml, &ids);
    let again = decode_json("exported.json", &template, &[]);
    assert_eq!(canon::rules(&again.file.rules), canon::rules(&decoded.file.rules), "{template}");
    let v: Value = serde_json::from_str(&template).unwrap();
    let conditions = &v["resources"][0]["properties"]["triggeringLogic"]["conditions"];
    assert_eq!(conditions[1]["conditionProperties"]["operator"], "NotEquals");
    assert_eq!(conditions[2]["conditionProperties"].get("operator"), None);
    assert_eq!(
        conditions[5]["conditionProperties"]["itemConditions"][1]["conditionProperties"]["arrayType"],
        "CustomDetailValues"
    );
}

#[test]
fn export_pushes_not_into_the_leaves() {
    let yaml = "name: n\norder: 1\nconditions:\n  not:\n    any:\n      - { property: HostName, operator: StartsWith, values: [PT-] }\n      - { property: IncidentTitle, operator: NotContains, values: [drill] }\nactions:\n  - add_tags: [x]\n";
    let mut diags = Vec::new();
    let file = rules::file::decode("n.yaml", yaml, &mut diags);
    let template: Value = serde_json::from_str(&exported(&file, &[None])).unwrap();
    let conditions = &template["resources"][0]["properties"]["triggeringLogic"]["conditions"];
    let ops: Vec<&str> =
        conditions.as_array().unwrap().iter().map(|c| c["conditionProperties"]["operator"].as_str().unwrap()).collect();
    assert_eq!(ops, ["NotStartsWith", "Contains"]);
    let changed = "name: n\norder: 1\ntrigger: { when: updated }\nconditions: { not: { changed: IncidentStatus } }\nactions:\n  - add_tags: [x]\n";
    let file = rules::file::decode("c.yaml", changed, &mut diags);
    let mut diags = Vec::new();
    export::template(&[export::Source { path: "c.yaml", rule: &file.rules[0], id: None }], &mut diags);
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::SJ011]);
}

#[test]
fn a_param_no_template_declares_is_a_warning_with_a_suggestion() {
    let mut diags = Vec::new();
    let declared = vec!["existingWorkspaceName".to_owned()];
    sentinel::unknown_params(
        &params(&[("existingWorkspaceNam", "soc"), ("EXISTINGWORKSPACENAME", "x")]),
        &declared,
        &mut diags,
    );
    assert_eq!(diags.len(), 1);
    assert_eq!((diags[0].code, diags[0].help.as_deref()), (Code::SJ014, Some("did you mean `existingWorkspaceName`?")));
}
