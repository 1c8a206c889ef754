//! Suppression rules: the generated YAML loads without diagnostics, closes its source incident
//! before the expiry and not after, leaves other incidents alone, quotes any title safely, and
//! the CLI writes it (snapshot) and feeds `test` end to end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use chrono::{DateTime, Utc};
use common::run_args as run;
use proptest::prelude::*;
use sentinel_soar::engine::{self, Clock, Event, Options as EngineOptions};
use sentinel_soar::model::time::{NotATime, Written};
use sentinel_soar::model::Incident;
use sentinel_soar::rules::suppress::{self, quote, Options, Suppression};
use sentinel_soar::rules::{self, file, RuleSet};
use sentinel_soar::syntax::{yaml, NodeKind};
use serde_json::json;

fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
}

fn options(entities: bool) -> Options {
    Options { name: None, until: time("2026-12-31T23:59:59Z"), order: 1000, entities }
}

/// Decodes and compiles generated YAML; it must load without a single diagnostic.
fn compile(yaml: &str) -> RuleSet {
    let mut diags = Vec::new();
    let decoded = file::decode("s.yaml", yaml, &mut diags);
    let (set, more) = rules::compile(&[decoded], &rules::Options::default());
    diags.extend(more);
    assert!(diags.is_empty(), "{diags:?}\n{yaml}");
    set
}

fn example(path: &str) -> Incident {
    Incident::from_value(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()).unwrap()
}

/// (status, classification, rule fired) after applying `set` to `incident` at `now`.
fn apply(set: &RuleSet, incident: Incident, now: &str) -> (String, String, bool) {
    let out = engine::process(set, incident, &Event::Created, Clock::new(time(now)), EngineOptions::default());
    let field = |k: &str| out.incident.field(k).unwrap_or("-").to_owned();
    let fired = out.fired.iter().any(|f| f.rule.starts_with("Suppress: "));
    let tagged = out.incident.labels().any(|l| l == suppress::TAG);
    assert_eq!(fired, tagged);
    (field("status"), field("classification"), fired)
}

#[test]
fn every_example_incident_gets_a_rule_that_closes_it_until_the_expiry() {
    for entry in std::fs::read_dir("examples/incidents").unwrap() {
        let path = entry.unwrap().path().display().to_string();
        for entities in [false, true] {
            let rule = Suppression::from_incident(&example(&path), &options(entities)).unwrap();
            let set = compile(&rule.to_yaml());
            let (status, class, fired) = apply(&set, example(&path), "2026-12-31T23:59:58Z");
            assert_eq!((status.as_str(), class.as_str(), fired), ("Closed", "BenignPositive", true), "{path}");
            let (_, _, fired) = apply(&set, example(&path), "2026-12-31T23:59:59Z");
            assert!(!fired, "{path}: the rule runs after its expiry");
        }
    }
}

#[test]
fn other_incidents_are_not_suppressed() {
    let rule =
        Suppression::from_incident(&example("examples/incidents/4101-pentest-pt-07.json"), &options(false)).unwrap();
    let set = compile(&rule.to_yaml());
    for other in ["4113-pentest-title-outside-redteam", "4108-red-team-drill-ipv6", "4116-malware-low-endpoint"] {
        let (status, _, fired) =
            apply(&set, example(&format!("examples/incidents/{other}.json")), "2026-06-01T00:00:00Z");
        assert_eq!((status.as_str(), fired), ("New", false), "{other}");
    }
    // Same title, same analytics rule, another host: only the --entities rule tells them apart.
    let mut twin = example("examples/incidents/4101-pentest-pt-07.json").into_value();
    twin["properties"]["relatedEntities"][0]["properties"]["hostName"] = json!("PT-08");
    let strict = compile(
        &Suppression::from_incident(&example("examples/incidents/4101-pentest-pt-07.json"), &options(true))
            .unwrap()
            .to_yaml(),
    );
    assert!(apply(&set, Incident::from_value(twin.clone()).unwrap(), "2026-06-01T00:00:00Z").2);
    assert!(!apply(&strict, Incident::from_value(twin).unwrap(), "2026-06-01T00:00:00Z").2);
}

#[test]
fn awkward_titles_are_quoted_and_long_names_cut() {
    let title =
        "Alert: \"quoted\" #hash - [x] {y} 'single' \\ back\\slash: tab\tand\nnewline ".to_owned() + &"é".repeat(600);
    let incident = Incident::from_value(json!({"title": title, "severity": "Low", "status": "New"})).unwrap();
    let rule = Suppression::from_incident(&incident, &options(true)).unwrap();
    assert_eq!(rule.name.chars().count(), 500);
    assert!(rule.analytics_rules.is_empty());
    let set = compile(&rule.to_yaml());
    assert_eq!(set.rules()[0].name, rule.name);
    assert!(apply(&set, incident, "2026-06-01T00:00:00Z").2);
    let long = Options { name: Some("n".repeat(501)), ..options(false) };
    assert_eq!(
        Suppression::from_incident(&Incident::from_value(json!({"title": "t", "status": "New"})).unwrap(), &long).err(),
        Some("a rule name has 1 to 500 characters, --name has 501".to_owned())
    );
}

#[test]
fn until_takes_a_date_to_its_last_second_or_a_timestamp() {
    let until = |text: &str| Written::parse(text).map(Written::end_of_day);
    assert_eq!(until("2026-12-31"), Ok(time("2026-12-31T23:59:59Z")));
    assert_eq!(until("2026-07-01T12:00:00+02:00"), Ok(time("2026-07-01T10:00:00Z")));
    assert_eq!(until("31/12/2026"), Err(NotATime));
}

proptest! {
    #[test]
    fn any_text_survives_quoting(text in any::<String>()) {
        let parsed = yaml::parse(&format!("k: {}\n", quote(&text))).unwrap();
        let NodeKind::Map(entries) = parsed.kind else { panic!("map") };
        prop_assert_eq!(&entries[0].1.kind, &NodeKind::Str(text));
    }
}

#[test]
fn the_cli_writes_the_rule_for_an_example_incident() {
    let incident = "examples/incidents/4101-pentest-pt-07.json";
    let (code, stdout, stderr) = run(&["suppress", "--incident", incident, "--until", "2026-12-31", "--entities"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("suppress_4101_entities", stdout);
}

#[test]
fn the_written_rule_passes_a_rule_test() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("suppress.yaml");
    let incident = std::fs::canonicalize("examples/incidents/4105-kerberoasting-dc01.json").unwrap();
    let args = [
        "suppress",
        "--incident",
        incident.to_str().unwrap(),
        "--until",
        "2026-09-30",
        "--order",
        "1",
        "--name",
        "Kerberoasting: known scanner # CHG1",
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("wrote "), "{stderr}");
    let test = format!(
        "rules: suppress.yaml\ntests:\n  - name: closed before the expiry\n    incident: {0}\n    now: 2026-09-30T23:59:58Z\n    expect: {{ fired: [\"Kerberoasting: known scanner # CHG1\"], status: Closed, classification_reason: SuspiciousButExpected, tags: [suppressed] }}\n  - name: open after it\n    incident: {0}\n    now: 2026-10-01T00:00:00Z\n    expect: {{ fired: [], status: New }}\n",
        incident.display()
    );
    std::fs::write(dir.path().join("t.yaml"), test).unwrap();
    let (code, stdout, stderr) = run(&["test", dir.path().join("t.yaml").to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with("2 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let (code, _, stderr) =
        run(&["suppress", "--incident", "examples/incidents/4101-pentest-pt-07.json", "--until", "soon"]);
    assert_eq!(
        (code, stderr.trim()),
        (
            2,
            "error: invalid value 'soon' for '--until <DATE>': neither a date (2026-12-31) nor an RFC 3339 timestamp (2026-12-31T23:59:59Z)\n\nFor more information, try '--help'."
        )
    );
    let (code, _, stderr) = run(&["suppress", "--incident", "examples/batch/incidents.jsonl", "--until", "2026-12-31"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("holds 40 incidents, not one"), "{stderr}");
    let (code, _, _) = run(&[
        "suppress",
        "--incident",
        "examples/incidents/4101-pentest-pt-07.json",
        "--until",
        "2026-12-31",
        "--order",
        "0",
    ]);
    assert_eq!(code, 2);
}
