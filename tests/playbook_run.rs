//! The runtime, step kind by step kind: small YAML playbooks run against a fixed incident,
//! with the run log asserted (statuses, outputs, errors and their PB codes).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::playbook_helpers as helpers;

use helpers::{check, Case};

#[test]
fn data_steps() {
    let cases = [
        Case {
            note: "compose renders templates against the trigger",
            playbook: r##"
steps:
  - name: Title
    compose: "#@{triggerBody()?['object']?['properties']?['incidentNumber']}: @{toUpper(triggerBody()?['object']?['properties']?['severity'])}"
  - name: Whole
    compose: { n: "@add(1, 2)", list: "@createArray('a', 'b')", now: "@utcNow()" }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &["Title Succeeded", "Whole Succeeded"],
            want: &[
                ("Title/outputs", r##""#4102: HIGH""##),
                ("Whole/outputs", r#"{"n": 3, "list": ["a", "b"], "now": "2026-06-01T00:00:00.0000000Z"}"#),
            ],
        },
        Case {
            note: "variables of every kind",
            playbook: r##"
steps:
  - initialize_variable:
      - { name: Count, type: integer, value: 1 }
      - { name: Names, type: array, value: [] }
      - { name: Text, type: string, value: "a" }
      - { name: Ratio, type: float, value: 0.5 }
  - increment_variable: { name: Count, value: 4 }
  - decrement_variable: { name: count }
  - append_to_array: { name: Names, value: x }
  - append_to_array: { name: Names, value: "@variables('Count')" }
  - append_to_string: { name: Text, value: "@variables('Count')" }
  - set_variable: { name: Ratio, value: 2 }
  - increment_variable: { name: Ratio, value: 0.25 }
  - name: Result
    compose: { count: "@variables('Count')", names: "@variables('Names')", text: "@variables('Text')", ratio: "@variables('Ratio')" }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[("Result/outputs", r#"{"count": 4, "names": ["x", 4], "text": "a4", "ratio": 2.25}"#)],
        },
        Case {
            note: "variables declared without a value start empty for their type",
            playbook: r##"
steps:
  - initialize_variable: [ { name: List, type: array }, { name: Text, type: string }, { name: N, type: integer } ]
  - append_to_array: { name: List, value: 1 }
  - append_to_string: { name: Text, value: a }
  - increment_variable: { name: N }
  - name: Result
    compose: ["@variables('List')", "@variables('Text')", "@variables('N')"]
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[("Result/outputs", r#"[[1], "a", 1]"#)],
        },
        Case {
            note: "a value of the wrong type fails the variable action",
            playbook: r##"
steps:
  - initialize_variable: { name: Count, type: integer, value: "three" }
"##,
            mocks: None,
            status: "Failed",
            steps: &["Initialize_variable Failed"],
            want: &[
                ("Initialize_variable/error/diagnostic", r#""PB044""#),
                (
                    "Initialize_variable/error/message",
                    r#""The variable 'Count' of type 'Integer' cannot be initialized or updated with value of type 'String'.""#,
                ),
                (
                    "run/error/message",
                    r#""Action 'Initialize_variable' failed: The variable 'Count' of type 'Integer' cannot be initialized or updated with value of type 'String'.""#,
                ),
            ],
        },
    ];
    for case in &cases {
        check(case, false);
    }
}

#[test]
fn more_data_steps() {
    let cases = [
        Case {
            note: "parse json with a schema",
            playbook: r##"
steps:
  - name: Parse
    parse_json:
      content: '{"user": "ada", "risk": 3}'
      schema: { type: object, required: [user], properties: { user: { type: string }, risk: { type: integer } } }
  - name: Bad
    parse_json:
      content: { user: null }
      schema: { type: object, properties: { user: { type: string } } }
"##,
            mocks: None,
            status: "Failed",
            steps: &["Parse Succeeded", "Bad Failed"],
            want: &[
                ("Parse/outputs", r#"{"body": {"user": "ada", "risk": 3}}"#),
                (
                    "Bad/error",
                    r#"{"code": "ValidationFailed", "message": "The schema validation failed: Invalid type. Expected String but got Null. Path 'user'."}"#,
                ),
            ],
        },
        Case {
            note: "query select join and tables",
            playbook: r##"
steps:
  - name: Items
    compose: [ { ip: 1.1.1.1, bad: true }, { ip: 2.2.2.2, bad: false }, { ip: 3.3.3.3, bad: true } ]
  - name: Filter
    query: { from: "@outputs('Items')", where: "@equals(item()?['bad'], true)" }
  - name: Pick
    select: { from: "@body('Filter')", select: "@item()?['ip']" }
  - name: Joined
    join: { from: "@body('Pick')", with: "; " }
  - name: Html
    table: { from: "@body('Filter')", format: HTML }
  - name: Csv
    table: { from: "@outputs('Items')", format: CSV, columns: [ { header: Address, value: "@item()?['ip']" }, { header: Verdict, value: "@if(item()?['bad'], 'block, now', 'ok')" } ] }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[
                ("Filter/outputs/body", r#"[{"ip": "1.1.1.1", "bad": true}, {"ip": "3.3.3.3", "bad": true}]"#),
                ("Pick/outputs/body", r#"["1.1.1.1", "3.3.3.3"]"#),
                ("Joined/outputs/body", r#""1.1.1.1; 3.3.3.3""#),
                (
                    "Html/outputs/body",
                    r#""<table><thead><tr><th>ip</th><th>bad</th></tr></thead><tbody><tr><td>1.1.1.1</td><td>True</td></tr><tr><td>3.3.3.3</td><td>True</td></tr></tbody></table>""#,
                ),
                (
                    "Csv/outputs/body",
                    r#""Address,Verdict\r\n1.1.1.1,\"block, now\"\r\n2.2.2.2,ok\r\n3.3.3.3,\"block, now\"\r\n""#,
                ),
            ],
        },
        Case {
            note: "a query over something that is not an array fails",
            playbook: r##"
steps:
  - name: Filter
    query: { from: "@triggerBody()?['object']?['properties']?['title']", where: "@true" }
"##,
            mocks: None,
            status: "Failed",
            steps: &["Filter Failed"],
            want: &[("Filter/error/diagnostic", r#""PB044""#), ("Filter/error/at", r#""case.yaml:4:11""#)],
        },
        Case {
            note: "wait moves the simulated clock, utcNow reads it",
            playbook: r##"
steps:
  - wait: { count: 5, unit: Minute }
  - name: After
    compose: "@utcNow()"
  - wait: { until: "2026-06-01T01:00:00Z" }
  - name: Later
    compose: "@utcNow('yyyy-MM-dd HH:mm')"
"##,
            mocks: None,
            status: "Succeeded",
            steps: &["Delay Succeeded", "After Succeeded", "Delay_2 Succeeded", "Later Succeeded"],
            want: &[
                ("After/outputs", r#""2026-06-01T00:05:00.0000000Z""#),
                ("Delay/duration", r#""PT5M""#),
                ("Later/outputs", r#""2026-06-01 01:00""#),
                ("run/duration", r#""PT1H""#),
            ],
        },
        Case {
            note: "terminate ends the run with its status and error",
            playbook: r##"
steps:
  - name: Stop
    terminate: { status: Failed, code: NotAllowed, message: "Incident @{triggerBody()?['object']?['properties']?['incidentNumber']} is out of scope" }
  - name: Never
    compose: x
"##,
            mocks: None,
            status: "Failed",
            steps: &["Stop Succeeded"],
            want: &[("run/error", r#"{"code": "NotAllowed", "message": "Incident 4102 is out of scope"}"#)],
        },
        Case {
            note: "terminate cancelled",
            playbook: r##"
steps:
  - terminate: { status: Cancelled }
"##,
            mocks: None,
            status: "Cancelled",
            steps: &["Terminate Succeeded"],
            want: &[],
        },
        Case {
            note: "response is kept as the run's response",
            playbook: r##"
trigger: request
steps:
  - response: { status_code: 202, body: { accepted: "@triggerBody()?['name']" } }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &["Response Succeeded"],
            want: &[(
                "run/response",
                r#"{"statusCode": 202, "headers": {}, "body": {"accepted": "f1f780a5-1fae-4ea1-a769-b85aa8afae8d"}}"#,
            )],
        },
        Case {
            note: "guid is deterministic per run, workflow() names the playbook",
            playbook: r##"
steps:
  - name: Ids
    compose: { a: "@guid()", b: "@guid()", name: "@workflow()?['name']" }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[("Ids/outputs/name", r#""guid is deterministic per run, workflow() names the playbook""#)],
        },
        Case {
            note: "an expression that fails at run time points at the file",
            playbook: r##"
steps:
  - name: Broken
    compose: "x @{int(triggerBody()?['object']?['properties']?['title'])}"
"##,
            mocks: None,
            status: "Failed",
            steps: &["Broken Failed"],
            want: &[
                ("Broken/error/code", r#""InvalidTemplate""#),
                ("Broken/error/diagnostic", r#""PB041""#),
                ("Broken/error/at", r#""case.yaml:5:23""#),
            ],
        },
    ];
    for case in &cases {
        check(case, false);
    }
}

#[test]
fn guids_repeat_from_run_to_run() {
    let case = Case {
        note: "guids",
        playbook: "steps:\n  - name: Ids\n    compose: [\"@guid()\", \"@guid()\"]\n",
        mocks: None,
        status: "Succeeded",
        steps: &[],
        want: &[],
    };
    let a = helpers::log_json(&check(&case, false));
    let b = helpers::log_json(&check(&case, false));
    let ids = helpers::get(&a, "Ids/outputs");
    assert_eq!(ids, helpers::get(&b, "Ids/outputs"));
    assert_ne!(ids[0], ids[1]);
    assert_eq!(a["runId"], b["runId"]);
}

const SLOW_MOCKS: &str = r#"
mocks:
  - match: { connector: virustotal }
    outputs: { body: { ok: true } }
    duration: PT10S
"#;

#[test]
fn control_flow() {
    let cases = [
        Case {
            note: "if with an object predicate runs the matching branch and records the other as skipped",
            playbook: r##"
steps:
  - name: Check
    if: { and: [ { equals: ["@triggerBody()?['object']?['properties']?['severity']", High] }, { not: { contains: ["@triggerBody()?['object']?['properties']?['title']", "pentest"] } } ] }
    then:
      - name: Yes
        compose: high
    else:
      - name: No
        compose: other
  - name: After
    compose: "@actions('No')?['status']"
"##,
            mocks: None,
            status: "Succeeded",
            steps: &["Check Succeeded", "Check/Yes Succeeded", "After Succeeded"],
            want: &[
                ("Check/note", r#""branch: actions""#),
                ("Check/inputs", r#"{"expressionResult": true}"#),
                ("After/outputs", r#""Skipped""#),
            ],
        },
        Case {
            note: "if with an expression string takes else",
            playbook: r##"
steps:
  - name: Check
    if: "@greater(length(triggerBody()?['object']?['properties']?['relatedEntities']), 10)"
    then: [ { name: Yes, compose: 1 } ]
    else: [ { name: No, compose: 2 } ]
"##,
            mocks: None,
            status: "Succeeded",
            steps: &["Check Succeeded", "Check/No Succeeded"],
            want: &[("Check/note", r#""branch: else""#)],
        },
        Case {
            note: "a condition that is not a boolean fails the If",
            playbook: r##"
steps:
  - name: Check
    if: "@triggerBody()?['object']?['properties']?['severity']"
    then: [ { compose: 1 } ]
"##,
            mocks: None,
            status: "Failed",
            steps: &["Check Failed"],
            want: &[("Check/error/code", r#""InvalidTemplate""#)],
        },
        Case {
            note: "switch picks the case equal to the value, else default",
            playbook: r##"
steps:
  - name: By severity
    switch: "@triggerBody()?['object']?['properties']?['severity']"
    cases:
      Low: { case: Low, steps: [ { name: L, compose: 3 } ] }
      High: { case: High, steps: [ { name: H, compose: 1 } ] }
    default: [ { name: D, compose: 0 } ]
  - name: By number
    switch: "@triggerBody()?['object']?['properties']?['incidentNumber']"
    cases:
      Text: { case: "4102", steps: [ { name: T, compose: text } ] }
    default: [ { name: D2, compose: number } ]
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[
                "By_severity Succeeded",
                "By_severity/H Succeeded",
                "By_number Succeeded",
                "By_number/D2 Succeeded",
            ],
            want: &[("By_severity/note", r#""case: High""#), ("By_number/note", r#""case: default""#)],
        },
        Case {
            note: "foreach runs its actions per item with items()",
            playbook: r##"
steps:
  - initialize_variable: { name: Seen, type: array, value: [] }
  - name: Each entity
    foreach: "@triggerBody()?['object']?['properties']?['relatedEntities']"
    concurrency: 1
    steps:
      - append_to_array: { name: Seen, value: "@items('each_entity')?['kind']" }
  - name: Result
    compose: "@variables('Seen')"
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[
                ("Result/outputs", r#"["Host", "Ip", "Ip", "DnsResolution", "Url", "Process"]"#),
                ("Each_entity/note", r#""6 iteration(s), concurrency 1""#),
            ],
        },
        Case {
            note: "foreach over a non-array fails with PB040 at the expression",
            playbook: r##"
steps:
  - name: Loop
    foreach: "@triggerBody()?['object']?['properties']?['title']"
    steps: [ { compose: 1 } ]
"##,
            mocks: None,
            status: "Failed",
            steps: &["Loop Failed"],
            want: &[("Loop/error/diagnostic", r#""PB040""#), ("Loop/error/at", r#""case.yaml:5:14""#)],
        },
        Case {
            note: "sequential foreach: iterations follow each other on the clock",
            playbook: r##"
steps:
  - name: Loop
    foreach: "@createArray(1, 2, 3)"
    concurrency: 1
    steps:
      - name: Call
        call: { connector: virustotal, method: get, path: "/x/@{items('Loop')}" }
"##,
            mocks: Some(SLOW_MOCKS),
            status: "Succeeded",
            steps: &[],
            want: &[("Loop/duration", r#""PT30S""#)],
        },
        Case {
            note: "concurrent foreach: up to two iterations overlap on the clock, results in input order",
            playbook: r##"
steps:
  - name: Loop
    foreach: "@createArray(1, 2, 3)"
    concurrency: 2
    steps:
      - name: Call
        call: { connector: virustotal, method: get, path: "/x/@{items('Loop')}" }
"##,
            mocks: Some(SLOW_MOCKS),
            status: "Succeeded",
            steps: &["Loop Succeeded", "Loop#0/Call Succeeded", "Loop#1/Call Succeeded", "Loop#2/Call Succeeded"],
            want: &[
                ("Loop/duration", r#""PT20S""#),
                ("Loop/iterations/2/startTime", r#""2026-06-01T00:00:10Z""#),
                ("Call/inputs/path", r#""/x/3""#),
            ],
        },
        Case {
            note: "until stops when its condition holds",
            playbook: r##"
steps:
  - initialize_variable: { name: N, type: integer, value: 0 }
  - name: Poll
    until: "@greaterOrEquals(variables('N'), 3)"
    limit: { count: 10 }
    steps:
      - increment_variable: { name: N }
      - name: Index
        compose: "@iterationIndexes('Poll')"
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[("Poll/note", r#""condition met after 3 iteration(s)""#), ("Index/outputs", "2")],
        },
        Case {
            note: "until stops at its count",
            playbook: r##"
steps:
  - name: Poll
    until: "@equals(1, 2)"
    limit: { count: 4 }
    steps: [ { compose: 1 } ]
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[],
            want: &[("Poll/note", r#""stopped at limit.count 4 without the condition holding""#)],
        },
        Case {
            note: "until times out on the simulated clock",
            playbook: r##"
steps:
  - name: Poll
    until: "@equals(1, 2)"
    limit: { count: 100, timeout: PT1H }
    steps:
      - wait: { count: 25, unit: Minute }
"##,
            mocks: None,
            status: "Failed",
            steps: &[],
            want: &[
                ("Poll/status", r#""TimedOut""#),
                ("Poll/note", r#""timed out after 3 iteration(s) (limit.timeout PT1H)""#),
            ],
        },
        Case {
            note: "a scope fails when an inner action fails; result() lists its actions",
            playbook: r##"
steps:
  - name: Try
    scope:
      - name: Ok
        compose: 1
      - name: Boom
        compose: "@div(1, 0)"
  - name: Catch
    run_after: { Try: [Failed] }
    compose: "@length(result('Try'))"
"##,
            mocks: None,
            status: "Succeeded",
            steps: &["Try Failed", "Try/Ok Succeeded", "Try/Boom Failed", "Catch Succeeded"],
            want: &[
                ("Try/error/message", r#""An action failed. No dependent actions succeeded.""#),
                ("Catch/outputs", "2"),
            ],
        },
    ];
    for case in &cases {
        check(case, false);
    }
}

#[test]
fn raw_actions_mock_only_types_and_secure_data() {
    let cases = [Case {
        note: "a raw Logic Apps action in YAML, a Workflow action answered by a mock, secure outputs redacted",
        playbook: r##"
steps:
  - name: Raw
    type: Compose
    inputs: { severity: "@triggerBody()?['object']?['properties']?['severity']" }
  - name: Child
    type: Workflow
    inputs: { host: { workflow: { id: /subscriptions/s/workflows/child } }, body: { id: "@outputs('Raw')?['severity']" } }
  - name: Token
    secure: [outputs]
    compose: s3cr3t-token
  - name: Unanswered
    type: Function
    inputs: { function: { id: /x } }
"##,
        mocks: Some("mocks:\n  - match: { action: Child }\n    outputs: { body: { done: true } }\n"),
        status: "Succeeded",
        steps: &["Raw Succeeded", "Child Succeeded", "Token Succeeded", "Unanswered Succeeded"],
        want: &[
            ("Raw/outputs", r#"{"severity": "High"}"#),
            ("Child/outputs/body", r#"{"done": true}"#),
            ("Child/inputs/body", r#"{"id": "High"}"#),
            ("Token/outputs", r#""<redacted: secureData>""#),
            ("Token/inputs", r#""s3cr3t-token""#),
            ("Unanswered/note", r#""not-run: no mock""#),
        ],
    }];
    for case in &cases {
        check(case, false);
    }
}

#[test]
fn date_time_actions_run_on_the_simulated_clock() {
    let cases = [
        Case {
            note: "the built-in Date Time actions (type Expression) give the timestamp as their body",
            playbook: r##"
steps:
  - name: Current time
    type: Expression
    kind: CurrentTime
    inputs: {}
  - name: 14 Days From Incident
    type: Expression
    kind: SubtractFromTime
    inputs: { baseTime: "@triggerBody()?['object']?['properties']?['createdTimeUtc']", interval: 14, timeUnit: Day }
  - name: In a week
    type: Expression
    kind: addToTime
    inputs: { baseTime: "@body('Current_time')", interval: 1, timeUnit: Week }
  - name: Soon
    type: Expression
    kind: GetFutureTime
    inputs: { interval: 2, timeUnit: Hour }
  - name: Ago
    type: Expression
    kind: GetPastTime
    inputs: { interval: 3, timeUnit: Minute }
  - name: In UTC
    type: Expression
    kind: ConvertTimeZone
    inputs: { baseTime: "@body('Current_time')", sourceTimeZone: UTC, destinationTimeZone: UTC, formatString: "yyyy-MM-dd" }
"##,
            mocks: None,
            status: "Succeeded",
            steps: &[
                "Current_time Succeeded",
                "14_Days_From_Incident Succeeded",
                "In_a_week Succeeded",
                "Soon Succeeded",
                "Ago Succeeded",
                "In_UTC Succeeded",
            ],
            want: &[
                ("Current_time/outputs", r#"{"body": "2026-06-01T00:00:00.0000000Z"}"#),
                ("14_Days_From_Incident/outputs/body", r#""2026-04-22T22:47:51.0000000Z""#),
                ("In_a_week/outputs/body", r#""2026-06-08T00:00:00.0000000Z""#),
                ("Soon/outputs/body", r#""2026-06-01T02:00:00.0000000Z""#),
                ("Ago/outputs/body", r#""2026-05-31T23:57:00.0000000Z""#),
                ("In_UTC/outputs/body", r#""2026-06-01""#),
            ],
        },
        Case {
            note: "a base time that is not one fails the action with the function's message",
            playbook: r##"
steps:
  - name: Bad
    type: Expression
    kind: AddToTime
    inputs: { baseTime: yesterday, interval: 1, timeUnit: Day }
"##,
            mocks: None,
            status: "Failed",
            steps: &["Bad Failed"],
            want: &[("Bad/error/code", r#""BadRequest""#), ("Bad/error/diagnostic", r#""PB041""#)],
        },
    ];
    for case in &cases {
        check(case, false);
    }
}
