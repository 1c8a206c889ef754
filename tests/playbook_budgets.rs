//! The run never hangs: each budget (actions executed, loop iterations, simulated duration,
//! expression steps) stops a run that spends it, as a failed run whose error names the budget
//! and the action (PB042), and nothing runs after.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::playbook_helpers as helpers;

use chrono::Duration;
use serde_json::Value;

use sentinel_soar::playbook::run::{Limits, Options};

use helpers::{get, log_json, run_with, NOW};

fn options(limits: Limits) -> Options {
    Options { limits, ..Options::new(NOW.parse().unwrap()) }
}

fn failed_with(text: &str, limits: Limits, message: &str) -> Value {
    let log = log_json(&run_with(text, None, &options(limits)));
    assert_eq!(log["status"], "Failed", "{log:#}");
    assert_eq!(log["error"]["code"], "BudgetExceeded", "{log:#}");
    assert_eq!(log["error"]["diagnostic"], "PB042");
    assert_eq!(log["error"]["message"], message, "{log:#}");
    log
}

#[test]
fn the_actions_budget() {
    let text = r#"
name: Many
steps:
  - name: Loop
    foreach: "@range(0, 50)"
    steps:
      - { name: One, compose: 1 }
      - { name: Two, compose: 2 }
  - { name: After, compose: 3 }
"#;
    let log = failed_with(
        text,
        Limits { max_actions: 20, ..Limits::default() },
        "the run budget of 20 executed actions is spent (at action 'Two')",
    );
    assert_eq!(log["spent"]["actions"], 21);
    assert_eq!(get(&log, "Loop/iterations").as_array().unwrap().len(), 10);
    assert!(helpers::step(&log, "After").is_none());
}

#[test]
fn the_iterations_budget() {
    let text = r#"
name: Spin
steps:
  - name: Poll
    until: "@equals(1, 2)"
    limit: { count: 5000 }
    steps: [ { name: Tick, compose: 1 } ]
"#;
    let log = failed_with(
        text,
        Limits { max_iterations: 100, ..Limits::default() },
        "the run budget of 100 loop iterations is spent (at action 'Poll')",
    );
    assert_eq!(log["spent"]["iterations"], 101);
}

#[test]
fn the_duration_budget() {
    let text = r#"
name: Slow
steps:
  - name: Poll
    until: "@equals(1, 2)"
    limit: { count: 5000 }
    steps: [ { name: Nap, wait: { count: 1, unit: Day } } ]
"#;
    let limits = Limits { max_duration: Duration::days(3), ..Limits::default() };
    let log = failed_with(text, limits, "the run budget of PT72H of simulated time is spent (at action 'Nap')");
    assert_eq!(log["endTime"], "2026-06-05T00:00:00Z");
    // The default budget is Logic Apps' 90 days.
    let log = log_json(&run_with(text, None, &options(Limits::default())));
    assert_eq!(log["error"]["message"], "the run budget of PT2160H of simulated time is spent (at action 'Nap')");
}

#[test]
fn the_expression_budget() {
    let text = r#"
name: Heavy
steps:
  - name: Loop
    foreach: "@range(0, 100)"
    steps:
      - { name: Work, compose: "@length(string(range(0, 1000)))" }
"#;
    let limits = Limits {
        expressions: sentinel_soar::playbook::expr::Limits { max_steps: 500, ..Default::default() },
        ..Limits::default()
    };
    let log = log_json(&run_with(text, None, &options(limits)));
    assert_eq!(log["status"], "Failed");
    assert_eq!(log["error"]["code"], "BudgetExceeded");
    assert!(
        log["error"]["message"].as_str().unwrap().contains("the expression budget of 500 evaluation steps is spent"),
        "{log:#}"
    );
    assert_eq!(log["error"]["at"], "case.yaml:7:41");
}
