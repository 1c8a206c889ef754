//! Mocks inferred from a playbook (`sentinel_soar::playbook::infer`): which calls get an
//! answer, and what each answer holds, from how the playbook reads it. Each test is a small
//! Logic Apps workflow and the exact inferred outputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::{json, Value};

use sentinel_soar::playbook::connectors::mocks::{self, Mocks};
use sentinel_soar::playbook::infer::{self, Inference};
use sentinel_soar::playbook::model;
use sentinel_soar::playbook::run::{self, Options, Start};

/// Infers the mocks of a workflow with these actions (Request trigger, no connections but
/// `azuresentinel` and `virustotal`).
fn infer(actions: Value) -> Inference {
    infer_with(actions, json!({}))
}

/// [`infer`] with more of the definition (`staticResults`).
fn infer_with(actions: Value, more: Value) -> Inference {
    let mut doc = json!({
        "definition": {
            "triggers": {"manual": {"type": "Request", "kind": "Http"}},
            "parameters": {"$connections": {"defaultValue": {}, "type": "Object"}},
            "actions": actions,
        },
        "parameters": {"$connections": {"value": {
            "azuresentinel": {"connectionId": "/c/s", "id": "/subscriptions/s/providers/Microsoft.Web/locations/l/managedApis/azuresentinel"},
            "virustotal": {"connectionId": "/c/v", "id": "/subscriptions/s/providers/Microsoft.Web/locations/l/managedApis/virustotal"},
        }}},
    });
    for (key, value) in more.as_object().unwrap() {
        doc["definition"][key] = value.clone();
    }
    let mut diags = Vec::new();
    let playbooks = model::load("wf.json", &doc.to_string(), &mut diags);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
    infer::infer(&playbooks[0])
}

fn http(uri: &str) -> Value {
    json!({"type": "Http", "inputs": {"method": "GET", "uri": uri}})
}

/// A Compose after `after` (none: first in its scope).
fn compose(value: Value, after: &str) -> Value {
    let run_after = if after.is_empty() { json!({}) } else { json!({after: ["Succeeded"]}) };
    json!({"type": "Compose", "inputs": value, "runAfter": run_after})
}

fn connector(connection: &str, method: &str, path: &str, body: Value) -> Value {
    json!({"type": "ApiConnection", "inputs": {
        "host": {"connection": {"name": format!("@parameters('$connections')['{connection}']['connectionId']")}},
        "method": method, "path": path, "body": body}})
}

fn call<'i>(inference: &'i Inference, action: &str) -> &'i infer::InferredCall {
    inference.calls.iter().find(|c| c.action == action).unwrap_or_else(|| panic!("no call {action}: {inference:#?}"))
}

fn body<'i>(inference: &'i Inference, action: &str) -> &'i Value {
    &call(inference, action).outputs["body"]
}

#[test]
fn reads_become_placeholders_typed_by_what_they_are_given_to() {
    let inference = infer(json!({
        "X": http("https://api.example.com/x"),
        "Use": compose(json!({
            "name": "@body('X')?['data']?['name']",
            "seen": "@formatDateTime(body('X')?['data']?['seen'], 'yyyy-MM-dd')",
            "count": "@add(int(body('X')?['count']), 1)",
            "where": "@outputs('X')?['headers']?['Location']",
            "tags": "@length(body('X')?['tags'])",
            "third": "@body('X')?['items']?[2]",
            "low": "@toLower(body('X')?['kind'])",
        }), "X"),
        "Check": {"type": "If", "runAfter": {"Use": ["Succeeded"]}, "actions": {},
            "expression": {"and": [{"greater": ["@body('X')?['data']?['score']", 5]}, {"equals": ["@body('X')?['ok']", true]}]}},
    }));
    assert_eq!(
        call(&inference, "X").outputs,
        json!({
            "statusCode": 200,
            "headers": {"Location": "<headers.Location>"},
            "body": {
                "count": 0,
                "data": {"name": "<body.data.name>", "score": 0, "seen": "2024-01-01T00:00:00Z"},
                "items": ["<body.items[0]>", "<body.items[0]>", "<body.items[0]>"],
                "kind": "<body.kind>",
                "ok": false,
                "tags": ["<body.tags[0]>"],
            }
        })
    );
    let x = call(&inference, "X");
    assert_eq!(
        (x.connector.as_deref(), x.method.as_deref(), x.path.as_deref()),
        (Some("http"), Some("get"), Some("https://api.example.com/x"))
    );
    let readers: Vec<(&str, &str, Vec<&str>)> = x
        .readings
        .iter()
        .map(|(r, paths)| (r.action.as_str(), r.expression.as_str(), paths.iter().map(String::as_str).collect()))
        .collect();
    assert!(
        readers.contains(&("Check", "greater(body('X')?['data']?['score'], 5)", vec!["body.data.score"])),
        "{readers:#?}"
    );
    assert!(readers.contains(&("Use", "toLower(body('X')?['kind'])", vec!["body.kind"])), "{readers:#?}");
}

#[test]
fn items_of_loops_filters_selects_and_tables_are_items_of_the_call() {
    let inference = infer(json!({
        "X": http("https://api.example.com/x"),
        "Loop": {"type": "Foreach", "foreach": "@body('X')?['value']", "runAfter": {"X": ["Succeeded"]},
            "actions": {"Each": compose(json!("@items('Loop')?['id']"), "")}},
        "Keep": {"type": "Query", "runAfter": {"X": ["Succeeded"]},
            "inputs": {"from": "@body('X')?['hits']", "where": "@equals(item()?['kind'], 'ip')"}},
        "Pick": {"type": "Select", "runAfter": {"X": ["Succeeded"]},
            "inputs": {"from": "@body('X')?['rows']", "select": {"a": "@item()?['col']"}}},
        "Kept": compose(json!("@first(body('Keep'))?['address']"), "Keep"),
    }));
    assert_eq!(
        body(&inference, "X"),
        &json!({
            "hits": [{"address": "<body.hits[0].address>", "kind": "ip"}],
            "rows": [{"col": "<body.rows[0].col>"}],
            "value": [{"id": "<body.value[0].id>"}],
        })
    );
}

#[test]
fn values_are_followed_through_parse_json_compose_variables_and_scopes() {
    let schema = json!({"type": "object", "required": ["id", "flags"], "properties": {
        "id": {"type": "integer"}, "flags": {"type": "array", "items": {"type": "boolean"}}, "name": {"type": "string"}}});
    let inference = infer(json!({
        "X": http("https://api.example.com/x"),
        "Parse": {"type": "ParseJson", "runAfter": {"X": ["Succeeded"]}, "inputs": {"content": "@body('X')", "schema": schema}},
        "Name": compose(json!("@body('Parse')?['name']"), "Parse"),
        "Y": {"type": "Http", "runAfter": {"Name": ["Succeeded"]}, "inputs": {"method": "GET", "uri": "https://y"}},
        "Inner": compose(json!({"wrapped": "@body('Y')?['inner']"}), "Y"),
        "Deep": compose(json!("@outputs('Inner')?['wrapped']?['deep']"), "Inner"),
        "Z": {"type": "Http", "runAfter": {"Deep": ["Succeeded"]}, "inputs": {"method": "GET", "uri": "https://z"}},
        "List": {"type": "InitializeVariable", "runAfter": {"Z": ["Succeeded"]},
            "inputs": {"variables": [{"name": "list", "type": "array", "value": "@body('Z')?['list']"}]}},
        "Each": {"type": "Foreach", "foreach": "@variables('list')", "runAfter": {"List": ["Succeeded"]},
            "actions": {"Use": compose(json!("@items('Each')?['name']"), "")}},
        "Try": {"type": "Scope", "runAfter": {"Each": ["Succeeded"]}, "actions": {"W": http("https://w")}},
        "Failed": {"type": "Query", "runAfter": {"Try": ["Succeeded", "Failed"]},
            "inputs": {"from": "@result('Try')", "where": "@equals(item()?['status'], 'Failed')"}},
        "Why": compose(json!("@body('Failed')?[0]?['outputs']?['body']?['message']"), "Failed"),
        "Text": {"type": "Http", "runAfter": {"Why": ["Succeeded"]}, "inputs": {"method": "GET", "uri": "https://t"}},
        "Decoded": compose(json!("@json(string(body('Text')))?['a']"), "Text"),
        "Raw": compose(json!("@json(body('Text')?['raw'])?['b']"), "Decoded"),
    }));
    assert_eq!(body(&inference, "X"), &json!({"flags": [false], "id": 0, "name": "<body.name>"}));
    assert_eq!(body(&inference, "Y"), &json!({"inner": {"deep": "<body.inner.deep>"}}));
    assert_eq!(body(&inference, "Z"), &json!({"list": [{"name": "<body.list[0].name>"}]}));
    assert_eq!(body(&inference, "W"), &json!({"message": "<body.message>"}));
    assert_eq!(body(&inference, "Text"), &json!({"a": "<body.a>", "raw": "{\"b\":\"<body.raw{json}.b>\"}"}));
}

#[test]
fn conditions_that_must_hold_get_values_that_make_them_hold() {
    let inference = infer(json!({
        "Card": http("https://card"),
        "Tools": {"type": "Http", "runAfter": {"Card": ["Succeeded"]}, "inputs": {"method": "GET", "uri": "https://tools"}},
        "Mine": {"type": "Query", "runAfter": {"Tools": ["Succeeded"]},
            "inputs": {"from": "@body('Tools')?['value']", "where": "@equals(item()?['name'], body('Card')?['choice'])"}},
        "Use": compose(json!("@body('Mine')[0]['url']"), "Mine"),
        "Poll": {"type": "Until", "runAfter": {"Use": ["Succeeded"]}, "limit": {"count": 5, "timeout": "PT1H"},
            "expression": "@and(equals(body('Status')?['state'], 'completed'), greater(body('Status')?['progress'], 99), not(equals(body('Status')?['error'], 'none')))",
            "actions": {"Status": http("https://status")}},
    }));
    assert_eq!(body(&inference, "Card"), &json!({"choice": "<body.choice>"}));
    assert_eq!(body(&inference, "Tools"), &json!({"value": [{"name": "<body.choice>", "url": "<body.value[0].url>"}]}));
    assert_eq!(body(&inference, "Status"), &json!({"progress": 100, "state": "completed"}));
}

#[test]
fn a_value_compared_with_a_variable_takes_the_variable_s_type() {
    // As in the IngestionCostAlert template: a query's rows compared with a Float variable
    // set from a literal (a string placeholder there made `greater` fail on String vs Integer).
    let inference = infer(json!({
        "Limit": {"type": "InitializeVariable", "inputs": {"variables": [{"name": "limit", "type": "Float", "value": 5}]}},
        "Name": {"type": "InitializeVariable", "runAfter": {"Limit": ["Succeeded"]},
            "inputs": {"variables": [{"name": "who", "type": "String", "value": "x"}]}},
        "Rows": {"type": "Http", "runAfter": {"Name": ["Succeeded"]}, "inputs": {"method": "GET", "uri": "https://rows"}},
        "Each": {"type": "Foreach", "foreach": "@body('Rows')?['value']", "runAfter": {"Rows": ["Succeeded"]},
            "actions": {"Over": {"type": "If", "actions": {},
                "expression": {"and": [
                    {"greater": ["@items('Each')?['Total']", "@variables('limit')"]},
                    {"equals": ["@items('Each')?['Owner']", "@variables('who')"]},
                ]}}}},
    }));
    assert_eq!(body(&inference, "Rows"), &json!({"value": [{"Owner": "<body.value[0].Owner>", "Total": 0}]}));
}

#[test]
fn strings_cut_by_split_have_the_pieces_the_index_needs() {
    let inference = infer(json!({
        "X": http("https://x"),
        "Sub": compose(json!("@split(body('X')?['id'], '/')[add(length(split(body('X')?['id'], '/')), -7)]"), "X"),
        "Domain": compose(json!("@split(body('X')?['upn'], '@')[1]"), "Sub"),
        "Each": {"type": "Foreach", "foreach": "@split(body('X')?['names'], ',')", "runAfter": {"Domain": ["Succeeded"]},
            "actions": {"Low": compose(json!("@toLower(items('Each'))"), "")}},
    }));
    assert_eq!(
        body(&inference, "X"),
        &json!({
            "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/<resource-group>/providers/<provider>/<type>/<body.id>",
            "names": "<body.names>",
            "upn": "<body.upn>@<body.upn>",
        })
    );
}

#[test]
fn what_a_failed_answer_holds_is_left_out_and_a_null_checked_body_is_null() {
    let inference = infer(json!({
        "Disable": {"type": "Http", "inputs": {"method": "PATCH", "uri": "https://graph/users/@{triggerBody()?['upn']}", "body": {"accountEnabled": false}}},
        "Worked": {"type": "If", "runAfter": {"Disable": ["Succeeded", "Failed"]},
            "expression": {"and": [{"equals": ["@body('Disable')", null]}]},
            "actions": {}, "else": {"actions": {"Why": compose(json!("@body('Disable')['error']['message']"), "")}}},
        "Alarm": {"type": "Http", "runAfter": {"Disable": ["TimedOut"]}, "inputs": {"method": "POST", "uri": "https://pager"}},
    }));
    let disable = call(&inference, "Disable");
    assert_eq!(disable.outputs, json!({"statusCode": 200, "body": null}));
    assert_eq!(disable.path.as_deref(), Some("https://graph/users/*"));
    let paths: Vec<&str> = disable.readings.iter().flat_map(|(_, p)| p.iter().map(String::as_str)).collect();
    assert_eq!(paths, ["body.error.message (when it fails)", "body"]);
    let branches: Vec<(String, String)> = disable.branches.iter().map(|(a, s)| (a.clone(), s.to_string())).collect();
    assert_eq!(
        branches,
        [("Alarm".to_owned(), "TimedOut".to_owned()), ("Worked".to_owned(), "Succeeded, Failed".to_owned())]
    );
}

#[test]
fn builtin_sentinel_operations_and_static_results_are_not_mocked() {
    // The connector builds in the legacy Cases operations, DNS entities, watchlists and Create
    // incident: they are not external calls, so no scaffold lists them.
    let list =
        "/Watchlists/subscriptions/s/resourceGroups/r/workspaces/w/watchlists/@{triggerBody()?['w']}/watchlistItems";
    let inference = infer_with(
        json!({
            "Comment": connector("azuresentinel", "post", "/Incidents/Comment", json!({"incidentArmId": "x", "message": "m"})),
            "IPs": connector("azuresentinel", "post", "/entities/ip", json!("@triggerBody()")),
            "Dns": connector("azuresentinel", "post", "/entities/dnsresolution", json!("@triggerBody()")),
            "Case": connector("azuresentinel", "get", "/Cases/@{triggerBody()?['a']}/s/w/r", json!(null)),
            "Status": connector("azuresentinel", "put", "/Case/s/w/r/Incident/@{triggerBody()?['n']}/Status/Closed", json!(null)),
            "Items": connector("azuresentinel", "get", list, json!(null)),
            "Create": connector("azuresentinel", "put", "/Incidents/subscriptions/s/resourceGroups/r/workspaces/w", json!({"title": "t"})),
            "Report": connector("virustotal", "get", "/api/v3/ip_addresses/@{triggerBody()?['ip']}", json!(null)),
            "Canned": {"type": "Http", "inputs": {"method": "GET", "uri": "https://c"},
                "runtimeConfiguration": {"staticResult": {"name": "Canned0", "staticResultOptions": "Disabled"}}},
        }),
        json!({"staticResults": {"Canned0": {"status": "Succeeded", "outputs": {"statusCode": "OK"}}}}),
    );
    let names: Vec<&str> = inference.calls.iter().map(|c| c.action.as_str()).collect();
    assert_eq!(names, ["Report"]);
    assert_eq!(
        body(&inference, "Report")["data"]["attributes"]["last_analysis_stats"],
        json!({"harmless": 0, "malicious": 0, "suspicious": 0, "undetected": 0})
    );
}

#[test]
fn values_fed_to_update_incident_are_values_sentinel_takes() {
    let update = connector(
        "azuresentinel",
        "put",
        "/Incidents",
        json!({"incidentArmId": "@triggerBody()?['object']?['id']",
            "severity": "@{body('Card')?['data']?['severity']}", "status": "@body('Card')?['data']?['status']",
            "classification": {"ClassificationAndReason": "@{body('Card')?['data']?['why']}"}}),
    );
    let mut update = update;
    update["runAfter"] = json!({"Card": ["Succeeded"]});
    let inference = infer(json!({"Card": http("https://card"), "Update": update}));
    assert_eq!(
        body(&inference, "Card"),
        &json!({"data": {"severity": "High", "status": "Active", "why": "Undetermined"}})
    );
}

/// 48 cases, or `PROPTEST_CASES` for a longer hunt.
fn config() -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48);
    proptest::test_runner::Config { cases, failure_persistence: None, ..Default::default() }
}

/// Expressions built from what playbooks read: calls, loop items, variables, selections and
/// the functions inference follows or types by.
fn expression() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let atom = prop_oneof![
        Just("body('X')".to_owned()),
        Just("outputs('X')".to_owned()),
        Just("body('Y')".to_owned()),
        Just("body('Parse')".to_owned()),
        Just("outputs('Shape')".to_owned()),
        Just("body('Keep')".to_owned()),
        Just("actions('X')".to_owned()),
        Just("result('Try')".to_owned()),
        Just("variables('v')".to_owned()),
        Just("'a/b'".to_owned()),
        Just("2".to_owned()),
        Just("null".to_owned()),
    ];
    atom.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("{e}?['k']")),
            inner.clone().prop_map(|e| format!("{e}?[1]")),
            inner.clone().prop_map(|e| format!("first({e})")),
            inner.clone().prop_map(|e| format!("json({e})")),
            inner.clone().prop_map(|e| format!("string({e})")),
            inner.clone().prop_map(|e| format!("split({e}, '/')")),
            inner.clone().prop_map(|e| format!("length({e})")),
            inner.clone().prop_map(|e| format!("toLower({e})")),
            inner.clone().prop_map(|e| format!("createArray({e})")),
            inner.clone().prop_map(|e| format!("int({e})")),
            inner.clone().prop_map(|e| format!("formatDateTime({e})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("coalesce({a}, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("equals({a}, {b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("union({a}, {b})")),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(config())]

    /// Whatever a playbook reads, and however values pass between its actions (in cycles too),
    /// inference ends, its scaffold loads as a mocks file, and a run on the scaffold as written
    /// ends as a run with --infer-mocks does.
    #[test]
    fn inference_ends_and_its_scaffold_runs_as_written(
        exprs in proptest::collection::vec(expression(), 7),
    ) {
        let at = |i: usize| format!("@{}", exprs[i]);
        let actions = json!({
            "X": http("https://x"),
            "Y": {"type": "Http", "runAfter": {"X": ["Succeeded"]}, "inputs": {"method": "GET", "uri": "https://y/@{encodeURIComponent(string(body('X')))}"}},
            "Init": {"type": "InitializeVariable", "runAfter": {"Y": ["Succeeded"]},
                "inputs": {"variables": [{"name": "v", "type": "array"}]}},
            "Parse": {"type": "ParseJson", "runAfter": {"Init": ["Succeeded"]}, "inputs": {"content": at(0), "schema": {}}},
            "Shape": compose(json!({"a": at(1), "b": [at(2)]}), "Parse"),
            "Keep": {"type": "Query", "runAfter": {"Shape": ["Succeeded"]}, "inputs": {"from": at(3), "where": at(4)}},
            "Loop": {"type": "Foreach", "foreach": at(5), "runAfter": {"Keep": ["Succeeded"]},
                "actions": {"Add": {"type": "AppendToArrayVariable", "inputs": {"name": "v", "value": at(6)}}}},
            "Try": {"type": "Scope", "runAfter": {"Loop": ["Succeeded", "Failed"]}, "actions": {"Z": http("https://z")}},
        });
        let doc = json!({"definition": {"triggers": {"manual": {"type": "Request", "kind": "Http"}}, "actions": actions}});
        // Reading an action that has not run yet is a finding of the playbook, not of inference.
        let playbooks = model::load("wf.json", &doc.to_string(), &mut Vec::new());
        let mut diags = Vec::new();
        let inference = infer::infer(&playbooks[0]);
        let text = infer::scaffold::render(std::slice::from_ref(&inference));
        let mocks = mocks::load("scaffold.yaml", &text, &mut diags);
        proptest::prop_assert!(diags.is_empty(), "{diags:#?}\n{text}");
        let now = "2026-06-01T00:00:00Z".parse().unwrap();
        let inferred = run::run(&playbooks[0], Start::Body(json!({})), &Mocks::default(), &Options { infer_mocks: true, ..Options::new(now) });
        let written = run::run(&playbooks[0], Start::Body(json!({})), &mocks, &Options::new(now));
        proptest::prop_assert_eq!(inferred.log.status, written.log.status);
        proptest::prop_assert_eq!(inferred.log.error.map(|e| e.message), written.log.error.map(|e| e.message));
    }
}
