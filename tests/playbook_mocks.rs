//! Who answers a connector call: action-name mocks before connector mocks, the first match in
//! file order, matches on method, path templates and rendered inputs, simulated durations,
//! approvals whose body is the chosen option, static results shipped in a template, and the
//! unmocked call (`not-run: no mock`, or a failed run with strict mocks).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::playbook_helpers as helpers;

use sentinel_soar::playbook::connectors::mocks;
use sentinel_soar::playbook::model;
use sentinel_soar::playbook::run::{self, Options, Start};

use helpers::{check, get, log_json, Case, NOW};

const MOCKS: &str = r#"
mocks:
  - match: { connector: virustotal, method: get, path: "/api/v3/ip_addresses/{ip}", inputs: { path: /api/v3/ip_addresses/185.220.101.47 } }
    outputs: { body: { verdict: malicious } }
  - match: { connector: virustotal, method: get, path: "/api/v3/ip_addresses/{ip}" }
    outputs: { body: { verdict: harmless } }
  - match: { connector: virustotal }
    outputs: { body: { verdict: any-virustotal-call } }
  - match: { action: Special }
    outputs: { body: { verdict: by-name } }
    duration: 90
  - match: { connector: http, method: get, path: "https://graph.microsoft.com/v1.0/users/*" }
    outputs: { body: { displayName: Ada } }
  - match: { connector: office365, path: /approvalmail/$subscriptions }
    outputs: { body: { SelectedOption: Block, UserEmailAddress: soc@contoso.com } }
    duration: PT15M
"#;

#[test]
fn mocks_are_matched_by_name_then_call() {
    let case = Case {
        note: "Matching",
        playbook: r#"
steps:
  - { name: Bad, call: { connector: virustotal, method: get, path: /api/v3/ip_addresses/185.220.101.47 } }
  - { name: Good, call: { connector: virustotal, method: get, path: /api/v3/ip_addresses/10.0.0.1 } }
  - { name: Other, call: { connector: virustotal, method: post, path: /api/v3/urls } }
  - { name: Special, call: { connector: virustotal, method: get, path: /api/v3/ip_addresses/185.220.101.47 } }
  - { name: User, http: { method: GET, uri: "https://graph.microsoft.com/v1.0/users/ada@contoso.com/manager" } }
  - name: Approval
    call: { connector: office365, method: post, path: /approvalmail/$subscriptions, webhook: true, body: { Options: "Block, Ignore" } }
  - name: Decide
    if: { equals: ["@body('Approval')?['SelectedOption']", Block] }
    then: [ { name: Block_it, compose: blocked } ]
"#,
        mocks: Some(MOCKS),
        status: "Succeeded",
        steps: &[],
        want: &[
            ("Bad/outputs/body/verdict", r#""malicious""#),
            ("Good/outputs/body/verdict", r#""harmless""#),
            ("Other/outputs/body/verdict", r#""any-virustotal-call""#),
            ("Special/outputs/body/verdict", r#""by-name""#),
            ("Special/duration", r#""PT1M30S""#),
            ("User/outputs/body/displayName", r#""Ada""#),
            ("Approval/type", r#""ApiConnectionWebhook""#),
            ("Approval/duration", r#""PT15M""#),
            ("Decide/note", r#""branch: actions""#),
            ("run/duration", r#""PT16M30S""#),
        ],
    };
    check(&case, false);
}

#[test]
fn unmocked_calls_are_recorded_or_fail_the_run_when_strict() {
    let case = Case {
        note: "Unmocked",
        playbook: r#"
steps:
  - { name: Post, call: { connector: teams, method: post, path: "/v3/beta/teams/t/channels/c/messages", body: { body: { content: "Incident @{triggerBody()?['object']?['properties']?['incidentNumber']}" } } } }
  - { name: After, compose: "@body('Post')" }
"#,
        mocks: None,
        status: "Succeeded",
        steps: &["Post Succeeded", "After Succeeded"],
        want: &[
            ("Post/note", r#""not-run: no mock""#),
            ("Post/inputs/body/body/content", r#""Incident 4102""#),
            ("After/outputs", "null"),
            ("run/unmocked", r#"["Post"]"#),
        ],
    };
    check(&case, false);
    let strict = Case {
        status: "Failed",
        steps: &["Post Failed", "After Skipped"],
        want: &[
            ("Post/error/code", r#""NoMock""#),
            ("Post/error/message", r#""no mock for teams POST /v3/beta/teams/t/channels/c/messages (--strict-mocks)""#),
            ("Post/error/diagnostic", r#""PB043""#),
            ("Post/error/at", r#""case.yaml:4:13""#),
            (
                "run/error/message",
                r#""Action 'Post' failed: no mock for teams POST /v3/beta/teams/t/channels/c/messages (--strict-mocks)""#,
            ),
            ("run/unmocked", "null"),
        ],
        ..case
    };
    check(&strict, true);
}

#[test]
fn strict_mocks_fail_the_action_and_runafter_and_loops_go_on() {
    // Under --strict-mocks an unmocked call is a failed action: every iteration of a loop runs
    // (each fails), a handler that runs after Failed runs, and the run fails only when the
    // failure is not handled.
    let case = Case {
        note: "Strict in a loop",
        playbook: r#"
steps:
  - name: Each
    foreach: "@createArray(1, 2, 3)"
    concurrency: 20
    steps:
      - { name: Ask, call: { connector: intel, method: get, path: "/v1/@{items('Each')}" } }
  - { name: Handle, compose: "@result('Each')", run_after: { Each: [Failed] } }
  - { name: Fetch, http: { method: get, uri: "https://example.test/x" } }
  - { name: Cleanup, compose: done, run_after: { Fetch: [Succeeded, Failed] } }
"#,
        mocks: None,
        status: "Succeeded",
        steps: &[
            "Each Failed",
            "Each#0/Ask Failed",
            "Each#1/Ask Failed",
            "Each#2/Ask Failed",
            "Handle Succeeded",
            "Fetch Failed",
            "Cleanup Succeeded",
        ],
        want: &[
            ("Each/note", r#""3 iteration(s), concurrency 20""#),
            ("Ask/error/message", r#""no mock for intel GET /v1/3 (--strict-mocks)""#),
            ("Fetch/error/message", r#""no mock for http GET https://example.test/x (--strict-mocks)""#),
            ("run/unmocked", "null"),
        ],
    };
    check(&case, true);
}

#[test]
fn static_results_in_a_template_answer_its_actions() {
    let text = r#"{
  "definition": {
    "triggers": { "Microsoft_Sentinel_incident": { "type": "ApiConnectionWebhook", "inputs": { "host": { "connection": { "name": "@parameters('$connections')['azuresentinel']['connectionId']" } }, "path": "/incident-creation" } } },
    "staticResults": {
      "Lookup0": { "status": "Succeeded", "outputs": { "statusCode": "OK", "headers": {}, "body": { "answer": "enabled" } } },
      "Ips0": { "status": "Succeeded", "outputs": { "statusCode": "OK", "headers": {}, "body": { "IPs": [ { "Address": "192.168.11.1" } ] } } }
    },
    "actions": {
      "Lookup": { "type": "Http", "inputs": { "method": "GET", "uri": "https://x.invalid" }, "runAfter": {},
        "runtimeConfiguration": { "staticResult": { "name": "Lookup0", "staticResultOptions": "Enabled" } } },
      "Entities_-_Get_IPs": { "type": "ApiConnection", "runAfter": { "Lookup": ["Succeeded"] },
        "inputs": { "host": { "connection": { "name": "@parameters('$connections')['azuresentinel']['connectionId']" } }, "method": "post", "path": "/entities/ip",
                    "body": "@triggerBody()?['object']?['properties']?['relatedEntities']" },
        "runtimeConfiguration": { "staticResult": { "name": "Ips0", "staticResultOptions": "Disabled" } } }
    },
    "parameters": { "$connections": { "defaultValue": {}, "type": "Object" } }
  },
  "parameters": { "$connections": { "value": { "azuresentinel": { "id": "/subscriptions/s/providers/Microsoft.Web/locations/l/managedApis/azuresentinel" } } } }
}"#;
    let mut diags = Vec::new();
    let playbooks = model::load("static.json", text, &mut diags);
    assert!(diags.is_empty(), "{diags:#?}");
    let options = Options::new(NOW.parse().unwrap());
    let outcome = run::run(&playbooks[0], Start::Incident(helpers::incident()), &mocks::Mocks::default(), &options);
    let log = log_json(&outcome);
    assert_eq!(get(&log, "Lookup/mock"), "static-result");
    assert_eq!(get(&log, "Lookup/code"), "OK");
    assert_eq!(get(&log, "Lookup/outputs/body/answer"), "enabled");
    // Disabled static results come after the built-in Sentinel operations.
    assert_eq!(get(&log, "Entities_-_Get_IPs/mock"), "builtin");
    assert_eq!(get(&log, "Entities_-_Get_IPs/outputs/body/IPs/0/Address"), "10.99.4.20");
}

#[test]
fn bad_mock_files_are_reported() {
    let mut diags = Vec::new();
    // Every problem of an entry is reported, not only the first (the last entry has three).
    let text = "mocks:\n  - match: { acton: X }\n    status: Fine\n  - outputs: {}\n  - match: { action: Y }\n    stauts: Failed\n  - match: { action: Z }\n    status: Fine\n  - match: { action: W }\n    output: { body: 1 }\n    status: Suceeded\n    duration: 10 minutes\n";
    mocks::load("bad-mocks.yaml", text, &mut diags);
    let got: Vec<String> = diags
        .iter()
        .map(|d| {
            let help = d.help.as_deref().map_or(String::new(), |h| format!(" ({h})"));
            format!("{} {}:{} {}{help}", d.code, d.span.unwrap().line, d.span.unwrap().column, d.message)
        })
        .collect();
    assert_eq!(
        got,
        [
            "PB023 2:14 unknown key `acton` in `match` (did you mean `action`?)",
            "PB023 2:5 a mock needs `match` with `action`, or `connector`/`path`",
            "PB023 4:5 a mock needs `match` with `action`, or `connector`/`path`",
            "PB023 6:5 unknown key `stauts` in a mock (did you mean `status`?)",
            "PB023 10:5 unknown key `output` in a mock (did you mean `outputs`?)",
            "PB023 3:13 a result's `status` is Succeeded, Failed or TimedOut",
            "PB023 8:13 a result's `status` is Succeeded, Failed or TimedOut",
            "PB023 11:13 a result's `status` is Succeeded, Failed or TimedOut",
            "PB023 12:15 `duration` is an ISO 8601 duration (PT5S) or a number of seconds",
        ]
    );
}
