//! Logic Apps' runAfter rules, status by status: an action runs when each predecessor ended
//! with an allowed status, is Skipped otherwise, skipping propagates, and a run fails only
//! when a failure is not handled by a later action (naming the failing step).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::playbook_helpers as helpers;

use helpers::{check, Case};

const MOCKS: &str = r#"
mocks:
  - match: { action: Fails }
    status: Failed
    outputs: { statusCode: 403, body: { error: { code: Authorization_RequestDenied, message: Insufficient privileges } } }
  - match: { action: Times_out }
    status: TimedOut
    duration: PT2M
  - match: { action: Works }
    outputs: { body: { ok: true } }
"#;

#[test]
fn run_after_statuses() {
    let cases = [
        Case {
            note: "Succeeded: the default; the next step runs after the previous one succeeded",
            playbook: r#"
steps:
  - { name: Works, call: { connector: graph, method: get, path: /a } }
  - { name: Next, compose: "@body('Works')?['ok']" }
"#,
            mocks: Some(MOCKS),
            status: "Succeeded",
            steps: &["Works Succeeded", "Next Succeeded"],
            want: &[("Next/outputs", "true"), ("Works/mock", r#""mock-file""#)],
        },
        Case {
            note: "Failed: a step after a failure is skipped and the run fails naming the failing step",
            playbook: r#"
steps:
  - { name: Fails, call: { connector: azuread, method: patch, path: /v1.0/users/x } }
  - { name: Next, compose: 1 }
  - { name: Then, compose: 2 }
"#,
            mocks: Some(MOCKS),
            status: "Failed",
            steps: &["Fails Failed", "Next Skipped", "Then Skipped"],
            want: &[
                ("Fails/error", r#"{"code": "Authorization_RequestDenied", "message": "Insufficient privileges"}"#),
                ("Fails/code", r#""Forbidden""#),
                ("Next/code", r#""ActionConditionFailed""#),
                (
                    "Next/error/message",
                    r#""The execution of template action 'Next' is skipped: the 'runAfter' condition for action 'Fails' is not satisfied. Expected status values 'Succeeded' and actual value 'Failed'.""#,
                ),
                ("run/error/message", r#""Action 'Fails' failed: Insufficient privileges""#),
            ],
        },
        Case {
            note: "Failed handled: a step that runs after Succeeded or Failed reads the failed body, the run succeeds",
            playbook: r#"
steps:
  - { name: Fails, call: { connector: azuread, method: patch, path: /v1.0/users/x } }
  - name: Handle
    run_after_previous: [Succeeded, Failed]
    compose: "@body('Fails')?['error']?['message']"
"#,
            mocks: Some(MOCKS),
            status: "Succeeded",
            steps: &["Fails Failed", "Handle Succeeded"],
            want: &[("Handle/outputs", r#""Insufficient privileges""#)],
        },
        Case {
            note: "Skipped: a step can run after a skipped one; skipping otherwise propagates",
            playbook: r#"
steps:
  - { name: Fails, call: { connector: azuread, method: patch, path: /v1.0/users/x } }
  - { name: Skips, compose: 1 }
  - { name: Cleanup, run_after: { Skips: [Skipped] }, compose: cleaned }
  - { name: Also_skips, run_after: [Skips], compose: 3 }
"#,
            mocks: Some(MOCKS),
            status: "Failed",
            steps: &["Fails Failed", "Skips Skipped", "Cleanup Succeeded", "Also_skips Skipped"],
            want: &[("run/error/message", r#""Action 'Fails' failed: Insufficient privileges""#)],
        },
        Case {
            note: "Skipped handled: the only path out of the failure runs after Skipped, so the run succeeds",
            playbook: r#"
steps:
  - { name: Fails, call: { connector: azuread, method: patch, path: /v1.0/users/x } }
  - { name: Skips, compose: 1 }
  - { name: Cleanup, run_after: { Skips: [Skipped] }, compose: cleaned }
"#,
            mocks: Some(MOCKS),
            status: "Succeeded",
            steps: &["Fails Failed", "Skips Skipped", "Cleanup Succeeded"],
            want: &[],
        },
        Case {
            note: "TimedOut: a mock can time out; a step allowing TimedOut runs after it",
            playbook: r#"
steps:
  - { name: Times_out, call: { connector: teams, method: post, path: /flowbot/actions/flowcontinuation/recipienttypes/channel/$subscriptions, webhook: true } }
  - { name: Escalate, run_after_previous: [TimedOut], compose: "@actions('Times_out')?['status']" }
  - { name: Normal, run_after: [Times_out], compose: 1 }
"#,
            mocks: Some(MOCKS),
            status: "Failed",
            steps: &["Times_out TimedOut", "Escalate Succeeded", "Normal Skipped"],
            want: &[("Escalate/outputs", r#""TimedOut""#), ("Escalate/startTime", r#""2026-06-01T00:02:00Z""#)],
        },
        Case {
            note: "parallel branches and a join: both branches start together, the join waits for the later one",
            playbook: r#"
steps:
  - { name: Start, compose: 0 }
  - { name: Left, run_after: [Start], wait: { count: 1, unit: Minute } }
  - { name: Right, run_after: [Start], wait: { count: 3, unit: Minute } }
  - { name: Join, run_after: [Left, Right], compose: "@utcNow()" }
"#,
            mocks: None,
            status: "Succeeded",
            steps: &["Start Succeeded", "Left Succeeded", "Right Succeeded", "Join Succeeded"],
            want: &[
                ("Right/startTime", r#""2026-06-01T00:00:00Z""#),
                ("Join/outputs", r#""2026-06-01T00:03:00.0000000Z""#),
                ("run/duration", r#""PT3M""#),
            ],
        },
        Case {
            note: "runAfter with every status: always runs",
            playbook: r#"
steps:
  - { name: Fails, call: { connector: azuread, method: patch, path: /v1.0/users/x } }
  - { name: Always, run_after: { Fails: [Succeeded, Failed, Skipped, TimedOut] }, compose: "@actions('Fails')?['status']" }
"#,
            mocks: Some(MOCKS),
            status: "Succeeded",
            steps: &["Fails Failed", "Always Succeeded"],
            want: &[("Always/outputs", r#""Failed""#)],
        },
        Case {
            note: "containers: a step inside a skipped If is recorded as skipped",
            playbook: r#"
steps:
  - { name: Fails, call: { connector: azuread, method: patch, path: /v1.0/users/x } }
  - name: Branch
    if: "@true"
    then: [ { name: Inner, compose: 1 } ]
  - { name: Look, run_after: { Branch: [Skipped] }, compose: "@actions('Inner')?['status']" }
"#,
            mocks: Some(MOCKS),
            status: "Succeeded",
            steps: &["Fails Failed", "Branch Skipped", "Look Succeeded"],
            want: &[("Look/outputs", r#""Skipped""#)],
        },
    ];
    for case in &cases {
        check(case, false);
    }
}
