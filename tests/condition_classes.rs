//! Rules with the same conditions share one evaluation per incident state (condition classes):
//! a rule whose conditions are those of a rule that already failed is passed over, and a change
//! to a property the conditions read makes them be evaluated again. The engine gives what it
//! gives when every rule is evaluated on its own (`explain`, which never shares).

use chrono::{DateTime, Utc};
use serde_json::json;

use sentinel_soar::engine::{self, Clock, Event, Options};
use sentinel_soar::model::Incident;
use sentinel_soar::rules::{self, RuleSet};

const RULES: &str = r#"
rules:
  - name: low-to-high
    order: 1
    conditions: { property: IncidentSeverity, operator: Equals, values: [Low] }
    actions: [{ change_severity: High }, { add_tags: [first] }]
  - name: still-low
    order: 2
    conditions: { property: IncidentSeverity, operator: Equals, values: [low] }
    actions: [{ add_tags: [second] }]
  - name: scan
    order: 3
    conditions: { all: [{ property: IncidentTitle, operator: Contains, values: [scan] }] }
    actions: [{ add_tags: [scan-a] }]
  - name: scan-again
    order: 4
    conditions: { all: [{ property: IncidentTitle, operator: Contains, values: [SCAN] }] }
    actions: [{ add_tags: [scan-b] }]
  - name: not-scan
    order: 5
    conditions: { not: { property: IncidentTitle, operator: Contains, values: [scan] } }
    actions: [{ add_tags: [never] }]
  - name: not-scan-again
    order: 6
    conditions: { not: { property: IncidentTitle, operator: Contains, values: [scan] } }
    actions: [{ add_tags: [never-again] }]
  - name: expired-scan
    order: 7
    expires: 2026-01-01T00:00:00Z
    conditions: { all: [{ property: IncidentTitle, operator: Contains, values: [scan] }] }
    actions: [{ add_tags: [expired] }]
  - name: high-now
    order: 8
    conditions: { property: IncidentSeverity, operator: Equals, values: [High] }
    actions: [{ add_tags: [high] }]
"#;

fn rule_set() -> RuleSet {
    let mut diags = Vec::new();
    let file = rules::file::decode("r.yaml", RULES, &mut diags);
    let (set, more) = rules::compile(&[file], &rules::Options::default());
    assert!(diags.is_empty(), "{diags:?}");
    let names: Vec<_> = set.rules().iter().map(|r| r.name.clone()).collect();
    assert_eq!(names.len(), 8, "{names:?} {more:?}");
    set
}

fn fired(set: &RuleSet, explain: bool) -> Vec<String> {
    let incident = Incident::from_value(json!({
        "name": "i-1",
        "properties": { "title": "Internal port scan", "severity": "Low", "status": "New", "labels": [] }
    }))
    .unwrap();
    let now: DateTime<Utc> = "2026-06-01T00:00:00Z".parse().unwrap();
    let outcome = engine::process(set, incident, &Event::Created, Clock::new(now), Options { explain });
    outcome.fired.iter().map(|f| f.rule.clone()).collect()
}

#[test]
fn rules_with_the_same_conditions_are_answered_together_until_what_they_read_changes() {
    let set = rule_set();
    let classes: Vec<_> = set.rules().iter().enumerate().map(|(i, _)| set.head(i).unwrap().class).collect();
    // The two severity rules share a class (values are compared case-folded), so do the two
    // scan rules and the expired one, and the two negations; `high-now` has its own.
    assert_eq!(classes[0], classes[1]);
    assert_eq!((classes[2], classes[2]), (classes[3], classes[6]));
    assert_eq!(classes[4], classes[5]);
    assert_ne!(classes[2], classes[4]);
    assert_ne!(classes[0], classes[7]);
    let shared = fired(&set, false);
    assert_eq!(shared, ["low-to-high", "scan", "scan-again", "high-now"]);
    assert_eq!(shared, fired(&set, true), "evaluated rule by rule");
}
