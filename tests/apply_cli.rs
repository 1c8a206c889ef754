#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! End-to-end tests of `sentinel-soar apply` (SPEC 1.3, 3, 4): the dry-run report, output files
//! and their shapes, standard input, in-place rewriting, malformed records, invalid rules,
//! usage errors, update triggers and rule expiry. Every test asserts exact output, files and
//! exit codes.

use crate::common;

use common::{examples_copy, keys, listing, normalize, read, root, run, soar, write, NOW};
use serde_json::{json, Value};

/// Key order of an audit record (SPEC 3).
const AUDIT_KEYS: [&str; 13] = [
    "time",
    "incident",
    "incidentNumber",
    "source",
    "rule",
    "ruleOrder",
    "playbook",
    "step",
    "action",
    "property",
    "from",
    "to",
    "modifiedBy",
];

fn tag_seen() -> String {
    root().join("tests/fixtures/rules/tag-seen.yaml").display().to_string()
}

/// A small REST-shaped incident.
fn incident(name: &str, title: &str, severity: &str) -> Value {
    json!({
        "name": name,
        "properties": { "title": title, "severity": severity, "status": "New", "labels": [] }
    })
}

/// A full REST incident (`id`, `name`, `etag`, `type`, `properties`) with fields the tool does
/// not know, which must survive in their order.
fn rest_incident() -> Value {
    json!({
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/Incidents/r1",
        "name": "r1",
        "etag": "\"0300bf09-0000-0000-0000-5c37296e0000\"",
        "type": "Microsoft.SecurityInsights/Incidents",
        "properties": {
            "title": "Suspicious sign-in",
            "severity": "Medium",
            "status": "Active",
            "labels": [{ "labelName": "vip", "labelType": "User" }],
            "lastModifiedTimeUtc": "2026-05-01T10:00:00Z",
            "zzUnknown": { "b": 1, "a": [true, null, 1.5] },
            "additionalData": { "alertsCount": 2, "tactics": ["InitialAccess"] }
        },
        "systemData": { "createdBy": "someone" }
    })
}

/// What the tag-seen rule makes of an incident: label `seen` appended (labels created at the end
/// when absent), then `lastModifiedTimeUtc` set to the clock (in place, or appended).
fn tagged(mut value: Value) -> Value {
    let props = if value.get("properties").is_some() { &mut value["properties"] } else { &mut value };
    let map = props.as_object_mut().unwrap();
    let seen = json!({ "labelName": "seen", "labelType": "User" });
    match map.get_mut("labels") {
        Some(Value::Array(labels)) => labels.push(seen),
        _ => {
            map.insert("labels".into(), json!([seen]));
        }
    }
    map.insert("lastModifiedTimeUtc".into(), json!(NOW));
    value
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

fn lines(values: &[Value]) -> String {
    values.iter().map(|v| compact(v) + "\n").collect()
}

/// The rule names that fired per incident in a `--dry-run --format json` report.
fn fired(report: &str) -> Vec<Vec<String>> {
    let report: Value = serde_json::from_str(report).unwrap();
    report["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fired"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Dry run

#[test]
fn dry_run_prints_the_plain_table_and_writes_nothing() {
    let tmp = examples_copy();
    let before = listing(tmp.path());
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        "rules",
        "--incidents",
        "incidents",
        "--now",
        NOW,
        "--dry-run",
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(listing(tmp.path()), before, "a dry run wrote or changed a file");
    insta::assert_snapshot!("dry_run_examples_table", stdout);
}

#[test]
fn dry_run_refuses_out_audit_and_rejects_it_would_not_write() {
    let tmp = examples_copy();
    let before = listing(tmp.path());
    let args = ["apply", "--rules", "rules", "--incidents", "incidents", "--now", NOW, "--dry-run"];
    for (flag, path) in [("--out", "out.jsonl"), ("--audit", "audit.jsonl"), ("--rejects", "rejects.txt")] {
        let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args(args).args([flag, path]));
        let message = format!(
            "error: --dry-run writes nothing, so {flag} would be ignored: drop {flag}, or drop --dry-run to write\n"
        );
        assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", message.as_str()));
    }
    assert_eq!(listing(tmp.path()), before, "a dry run wrote or changed a file");
}

#[test]
fn dry_run_json_report() {
    let tmp = examples_copy();
    let before = listing(tmp.path());
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        "rules",
        "--incidents",
        "incidents/4101-pentest-pt-07.json",
        "incidents/4103-closed-impossible-travel-ceo.json",
        "incidents/4105-kerberoasting-dc01.json",
        "--now",
        NOW,
        "--dry-run",
        "--format",
        "json",
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(listing(tmp.path()), before, "a dry run wrote or changed a file");
    serde_json::from_str::<Value>(&stdout).unwrap();
    insta::assert_snapshot!("dry_run_json_report", stdout);
}

// ---------------------------------------------------------------------------------------------
// --out FILE and --audit FILE

#[test]
fn out_and_audit_files_on_the_examples() {
    let tmp = examples_copy();
    let args = [
        "apply",
        "--rules",
        "rules",
        "--incidents",
        "incidents",
        "--now",
        NOW,
        "--out",
        "out.jsonl",
        "--audit",
        "audit.jsonl",
    ];
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args(args));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "17 incident(s) processed, 13 changed, 55 change(s)\n");

    // Several inputs into one file: JSON Lines, in input order (files sorted by name).
    let out = read(tmp.path().join("out.jsonl"));
    let numbers: Vec<i64> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["properties"]["incidentNumber"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, (4101..=4117).collect::<Vec<_>>());

    let audit = read(tmp.path().join("audit.jsonl"));
    assert_eq!(audit.lines().count(), 55);
    assert!(audit.ends_with('\n'));
    for line in audit.lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        assert_eq!(keys(&record), AUDIT_KEYS, "{line}");
        assert_eq!(record["time"], NOW, "{line}");
        assert_eq!(record["source"], "automation-rule", "{line}");
        let rule = record["rule"].as_str().unwrap();
        assert_eq!(record["modifiedBy"], format!("Automation rule - {rule}"), "{line}");
    }
    let playbooks: Vec<&str> = audit.lines().filter(|l| l.contains(r#""action":"run_playbook""#)).collect();
    assert_eq!(playbooks.len(), 10);
    let expected = json!({
        "time": NOW,
        "incident": "f1f780a5-1fae-4ea1-a769-b85aa8afae8d",
        "incidentNumber": 4102,
        "source": "automation-rule",
        "rule": "Request ServiceNow ticket for High incidents",
        "ruleOrder": 500,
        "playbook": "ServiceNow-Sync",
        "step": null,
        "action": "run_playbook",
        "property": null,
        "from": null,
        "to": "ServiceNow-Sync",
        "modifiedBy": "Automation rule - Request ServiceNow ticket for High incidents"
    });
    assert_eq!(playbooks[1], compact(&expected));
    insta::assert_snapshot!("audit_examples", audit);

    // A second run gives the same bytes.
    let (code, _, _) = run(soar().current_dir(tmp.path()).args(args));
    assert_eq!(code, 0);
    assert_eq!(read(tmp.path().join("out.jsonl")), out);
    assert_eq!(read(tmp.path().join("audit.jsonl")), audit);
}

// ---------------------------------------------------------------------------------------------
// --out DIR/: one file per input, same name and shape

#[test]
fn out_dir_keeps_the_name_shape_and_style_of_every_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    let (a, b) = (incident("a", "Port scan", "Low"), incident("b", "Malware", "High"));
    let bare = json!({ "title": "Bare properties", "severity": "Informational", "status": "New" });
    let list = json!({ "value": [a, b], "nextLink": "https://management.azure.com/next?page=2" });
    let inputs: Vec<(&str, String, String)> = vec![
        ("pretty.json", pretty(&rest_incident()) + "\n", pretty(&tagged(rest_incident())) + "\n"),
        ("single.json", compact(&rest_incident()) + "\n", compact(&tagged(rest_incident())) + "\n"),
        ("bare.json", compact(&bare) + "\n", compact(&tagged(bare.clone())) + "\n"),
        ("lines.jsonl", lines(&[a.clone(), b.clone()]), lines(&[tagged(a.clone()), tagged(b.clone())])),
        ("array.json", compact(&json!([a, b])) + "\n", compact(&json!([tagged(a.clone()), tagged(b.clone())])) + "\n"),
        (
            "pretty-array.json",
            pretty(&json!([a, b])) + "\n",
            pretty(&json!([tagged(a.clone()), tagged(b.clone())])) + "\n",
        ),
        (
            "list.json",
            compact(&list) + "\n",
            compact(&json!({ "value": [tagged(a.clone()), tagged(b.clone())], "nextLink": list["nextLink"] })) + "\n",
        ),
        (
            "list-pretty.json",
            pretty(&list) + "\n",
            pretty(&json!({ "value": [tagged(a.clone()), tagged(b.clone())], "nextLink": list["nextLink"] })) + "\n",
        ),
        ("nested/more.ndjson", compact(&b) + "\n", compact(&tagged(b.clone())) + "\n"),
    ];
    for (name, text, _) in &inputs {
        write(dir.join(name), text);
    }
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "in",
        "--now",
        NOW,
        "--out",
        "out/",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "14 incident(s) processed, 14 changed, 14 change(s)\n");
    let written = listing(&tmp.path().join("out"));
    assert_eq!(written.len(), inputs.len(), "{:?}", written.keys().collect::<Vec<_>>());
    for (name, _, expected) in &inputs {
        assert_eq!(read(tmp.path().join("out").join(name)), *expected, "out/{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Standard input

#[test]
fn stdin_json_lines_go_to_stdout_as_json_lines() {
    let (a, b) = (incident("a", "Port scan", "Low"), incident("b", "Malware", "High"));
    let (code, stdout, stderr) = run(soar()
        .args(["apply", "--rules", &tag_seen(), "--incidents", "-", "--now", NOW])
        .write_stdin(lines(&[a.clone(), b.clone()])));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, lines(&[tagged(a), tagged(b)]));
    assert_eq!(stderr, "2 incident(s) processed, 2 changed, 2 change(s)\n");
}

// ---------------------------------------------------------------------------------------------
// --in-place

#[test]
fn in_place_replaces_each_input_with_its_processed_version() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (incident("a", "Port scan", "Low"), incident("b", "Malware", "High"));
    write(tmp.path().join("pretty.json"), &(pretty(&rest_incident()) + "\n"));
    write(tmp.path().join("lines.jsonl"), &lines(&[a.clone(), b.clone()]));
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "pretty.json",
        "lines.jsonl",
        "--now",
        NOW,
        "--in-place",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "3 incident(s) processed, 3 changed, 3 change(s)\n");
    assert_eq!(read(tmp.path().join("pretty.json")), pretty(&tagged(rest_incident())) + "\n");
    assert_eq!(read(tmp.path().join("lines.jsonl")), lines(&[tagged(a), tagged(b)]));
    assert_eq!(listing(tmp.path()).len(), 2, "no other file is left behind");
}

#[test]
fn in_place_cannot_replace_standard_input() {
    let (code, stdout, stderr) = run(soar()
        .args(["apply", "--rules", &tag_seen(), "--incidents", "-", "--now", NOW, "--in-place"])
        .write_stdin(compact(&incident("a", "T", "Low")) + "\n"));
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("in_place_stdin", stderr);
}

#[test]
fn in_place_keeps_a_malformed_record_raw_and_processes_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, d) = (incident("a", "A", "Low"), incident("b", "B", "High"), incident("d", "D", "Medium"));
    let broken = r#"{"name":"c","properties":{"title": }}"#;
    let text = format!("{}\n{}\n{broken}\n{}\n", compact(&a), compact(&b), compact(&d));
    write(tmp.path().join("incidents.jsonl"), &text);
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "incidents.jsonl",
        "--now",
        NOW,
        "--in-place",
    ]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "error: incidents.jsonl:3:36: invalid JSON: expected value\n\
         3 incident(s) processed, 3 changed, 3 change(s), 1 record(s) could not be processed\n"
    );
    let expected = format!("{}\n{}\n{broken}\n{}\n", compact(&tagged(a)), compact(&tagged(b)), compact(&tagged(d)));
    assert_eq!(read(tmp.path().join("incidents.jsonl")), expected);
}

#[test]
fn in_place_with_a_truncated_json_lines_record_loses_no_line() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, d) = (incident("a", "A", "Low"), incident("b", "B", "High"), incident("d", "D", "Medium"));
    let truncated = r#"{"name":"c","properties":{"title":"C""#;
    let text = format!("{}\n{}\n{truncated}\n{}\n", compact(&a), compact(&b), compact(&d));
    write(tmp.path().join("incidents.jsonl"), &text);
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "incidents.jsonl",
        "--now",
        NOW,
        "--in-place",
    ]));
    assert_eq!(code, 1, "{stderr}");
    let after = read(tmp.path().join("incidents.jsonl"));
    assert!(after.contains(truncated), "the unreadable line was dropped:\n{after}");
    assert!(after.contains(r#""name":"d""#), "the line after it was dropped:\n{after}");
}

// ---------------------------------------------------------------------------------------------
// Malformed records

#[test]
fn malformed_records_are_reported_with_file_line_and_index_and_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, d) = (incident("a", "A", "Low"), incident("b", "B", "High"), incident("d", "D", "Medium"));
    let bad_line = r#"{"name":"c","properties":{"title": }}"#;
    write(
        tmp.path().join("in/lines.jsonl"),
        &format!("{}\n{}\n{bad_line}\n{}\n", compact(&a), compact(&b), compact(&d)),
    );
    let bad_element = r#"{"name":"y","properties":{"title":"Y","severity":Low}}"#;
    let (x, z) = (incident("x", "X", "Low"), incident("z", "Z", "High"));
    write(
        tmp.path().join("in/array.json"),
        &format!("[\n  {},\n  {bad_element},\n  {}\n]\n", compact(&x), compact(&z)),
    );
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "in",
        "--now",
        NOW,
        "--out",
        "out/",
        "--rejects",
        "rejects.txt",
    ]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    insta::assert_snapshot!("malformed_records", stderr);
    assert_eq!(read(tmp.path().join("out/lines.jsonl")), lines(&[tagged(a), tagged(b), tagged(d)]));
    assert_eq!(read(tmp.path().join("out/array.json")), compact(&json!([tagged(x), tagged(z)])) + "\n");
    // Inputs are processed in sorted order: array.json before lines.jsonl.
    assert_eq!(read(tmp.path().join("rejects.txt")), format!("{bad_element}\n{bad_line}\n"));
}

#[test]
fn json_that_is_not_an_incident_is_reported_with_the_field_path() {
    let tmp = tempfile::tempdir().unwrap();
    let a = incident("a", "A", "Low");
    write(tmp.path().join("incidents.jsonl"), &format!("{}\n42\n{}\n", compact(&a), r#"{"properties": {"title": 5}}"#));
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "incidents.jsonl",
        "--now",
        NOW,
        "--rejects",
        "rejects.txt",
    ]));
    assert_eq!(code, 1);
    assert_eq!(stdout, lines(&[tagged(a)]));
    insta::assert_snapshot!("not_an_incident", stderr);
    assert_eq!(read(tmp.path().join("rejects.txt")), "42\n{\"properties\": {\"title\": 5}}\n");
}

#[test]
fn a_truncated_json_lines_record_does_not_hide_the_following_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, d) = (incident("a", "A", "Low"), incident("b", "B", "High"), incident("d", "D", "Medium"));
    let truncated = r#"{"name":"c","properties":{"title":"C""#;
    write(
        tmp.path().join("incidents.jsonl"),
        &format!("{}\n{}\n{truncated}\n{}\n", compact(&a), compact(&b), compact(&d)),
    );
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "incidents.jsonl",
        "--now",
        NOW,
        "--out",
        "out.jsonl",
        "--rejects",
        "rejects.txt",
    ]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("error: incidents.jsonl:3:"), "{stderr}");
    assert_eq!(read(tmp.path().join("out.jsonl")), lines(&[tagged(a), tagged(b), tagged(d)]));
    assert_eq!(read(tmp.path().join("rejects.txt")), format!("{truncated}\n"));
}

#[test]
fn the_summary_counts_what_was_processed_before_a_structural_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (incident("a", "A", "Low"), incident("b", "B", "High"));
    write(tmp.path().join("incidents.jsonl"), &format!("{}\n{}\n{{\"name\":\"c\",\n", compact(&a), compact(&b)));
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "incidents.jsonl",
        "--now",
        NOW,
        "--out",
        "out.jsonl",
    ]));
    assert_eq!(code, 1);
    assert_eq!(read(tmp.path().join("out.jsonl")), lines(&[tagged(a), tagged(b)]));
    let summary = stderr.lines().last().unwrap();
    assert_eq!(summary, "2 incident(s) processed, 2 changed, 2 change(s), 1 record(s) could not be processed");
}

// ---------------------------------------------------------------------------------------------
// Invalid rules

#[test]
fn invalid_rules_print_every_diagnostic_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let audit = tmp.path().join("audit.jsonl");
    let (code, stdout, stderr) = run(soar().current_dir(root()).args([
        "apply",
        "--rules",
        "tests/fixtures/invalid-rules",
        "--incidents",
        "examples/incidents",
        "--now",
        NOW,
        "--out",
        out.to_str().unwrap(),
        "--audit",
        audit.to_str().unwrap(),
    ]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(listing(tmp.path()).is_empty(), "files were written although the rules are invalid");
    for entry in std::fs::read_dir(root().join("tests/fixtures/invalid-rules")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(stderr.contains(&format!("tests/fixtures/invalid-rules/{name}:")), "no diagnostic for {name}");
    }
    insta::assert_snapshot!("invalid_rules", stderr);
}

// ---------------------------------------------------------------------------------------------
// Usage errors and help

/// Runs `apply` with `extra` from the crate root, expects exit 2 with nothing on stdout and
/// nothing written to `tmp`, and returns stderr with `tmp` shown as `[TMP]`.
fn usage_error(tmp: &std::path::Path, extra: &[&str]) -> String {
    let (code, stdout, stderr) = run(soar().current_dir(root()).arg("apply").args(extra));
    assert_eq!((code, stdout.as_str()), (2, ""), "{stderr}");
    assert!(listing(tmp).is_empty(), "a usage error wrote a file");
    normalize(&stderr, tmp)
}

#[test]
fn unknown_incident_path_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing.json");
    let stderr =
        usage_error(tmp.path(), &["--rules", "examples/rules", "--incidents", missing.to_str().unwrap(), "--now", NOW]);
    insta::assert_snapshot!("usage_unknown_incident_path", stderr);
}

#[test]
fn unknown_rule_path_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let stderr = usage_error(
        tmp.path(),
        &[
            "--rules",
            "examples/no-such-rules",
            "--incidents",
            "examples/incidents",
            "--now",
            NOW,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    insta::assert_snapshot!("usage_unknown_rule_path", stderr);
}

#[test]
fn a_glob_that_matches_nothing_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let stderr = usage_error(
        tmp.path(),
        &[
            "--rules",
            "examples/rules",
            "--incidents",
            "examples/incidents/*.xml",
            "--now",
            NOW,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    insta::assert_snapshot!("usage_empty_glob", stderr);
}

#[test]
fn a_bad_now_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.jsonl");
    let stderr = usage_error(
        tmp.path(),
        &[
            "--rules",
            "examples/rules",
            "--incidents",
            "examples/incidents",
            "--now",
            "2026-06-01 noon",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    insta::assert_snapshot!("usage_bad_now", stderr);
}

#[test]
fn in_place_and_dry_run_contradict() {
    let tmp = tempfile::tempdir().unwrap();
    let stderr = usage_error(
        tmp.path(),
        &["--rules", "examples/rules", "--incidents", "examples/incidents", "--now", NOW, "--dry-run", "--in-place"],
    );
    insta::assert_snapshot!("usage_in_place_dry_run", stderr);
}

#[test]
fn audit_and_incidents_cannot_both_go_to_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let stderr = usage_error(
        tmp.path(),
        &["--rules", "examples/rules", "--incidents", "examples/incidents", "--now", NOW, "--audit", "-"],
    );
    insta::assert_snapshot!("usage_audit_and_out_on_stdout", stderr);
}

#[test]
fn apply_help() {
    let (code, stdout, stderr) = run(soar().args(["apply", "--help"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("apply_help", stdout);
}

#[test]
fn out_dir_never_overwrites_one_input_with_another() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path().join("x/incident.json"), &(compact(&incident("a", "A", "Low")) + "\n"));
    write(tmp.path().join("y/incident.json"), &(compact(&incident("b", "B", "Low")) + "\n"));
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &tag_seen(),
        "--incidents",
        "x/incident.json",
        "y/incident.json",
        "--now",
        NOW,
        "--out",
        "out/",
    ]));
    let out = tmp.path().join("out");
    let written = if out.exists() { listing(&out).len() } else { 0 };
    // Either refuse (usage error) or keep both results; never exit 0 with one of them lost.
    assert!(code == 2 || (code == 0 && written == 2), "exit {code}, {written} file(s) written; {stderr}");
}

// ---------------------------------------------------------------------------------------------
// --trigger updated --previous

#[test]
fn update_rule_fires_when_severity_changed_to_high() {
    let tmp = tempfile::tempdir().unwrap();
    // Matched by name: `a` went Medium -> High, `b` was already High, `c` has no previous version.
    write(
        tmp.path().join("previous.jsonl"),
        &lines(&[incident("a", "A", "Medium"), incident("b", "B", "High"), incident("z", "Z", "Low")]),
    );
    write(
        tmp.path().join("current.jsonl"),
        &lines(&[incident("a", "A", "High"), incident("b", "B", "High"), incident("c", "C", "High")]),
    );
    let rule = root().join("tests/fixtures/rules/escalated-to-high.yaml").display().to_string();
    let report = |extra: &[&str]| {
        let (code, stdout, stderr) = run(soar()
            .current_dir(tmp.path())
            .args(["apply", "--rules", &rule, "--incidents", "current.jsonl", "--now", NOW])
            .args(["--dry-run", "--format", "json"])
            .args(extra));
        assert_eq!(code, 0, "{stderr}");
        (fired(&stdout), stderr)
    };
    let none: Vec<String> = Vec::new();
    let escalated = vec!["Escalated to High".to_owned()];
    assert_eq!(
        report(&["--trigger", "updated", "--previous", "previous.jsonl"]),
        (vec![escalated.clone(), none.clone(), none.clone()], String::new())
    );
    // Without a previous version nothing changed, which is said once.
    assert_eq!(
        report(&["--trigger", "updated"]),
        (
            vec![none.clone(), none.clone(), none],
            "warning: --trigger updated without --previous: each incident is compared with itself, so nothing changed\n"
                .to_owned()
        )
    );

    let (code, stdout, _) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        &rule,
        "--incidents",
        "current.jsonl",
        "--now",
        NOW,
        "--trigger",
        "updated",
        "--previous",
        "previous.jsonl",
    ]));
    assert_eq!(code, 0);
    let mut a = incident("a", "A", "High");
    a["properties"]["labels"] = json!([{ "labelName": "escalated", "labelType": "User" }]);
    a["properties"]["lastModifiedTimeUtc"] = json!(NOW);
    assert_eq!(stdout, lines(&[a, incident("b", "B", "High"), incident("c", "C", "High")]));
}

// ---------------------------------------------------------------------------------------------
// Expiry

#[test]
fn a_rule_is_off_from_its_expiry_time_on() {
    let tmp = tempfile::tempdir().unwrap();
    let incident_path = tmp.path().join("incident.json");
    let rule = tmp.path().join("expiring.yaml");
    write(&incident_path, &(compact(&incident("a", "A", "Low")) + "\n"));
    std::fs::copy(root().join("tests/fixtures/rules/expires-2026-06-01.yaml"), &rule).unwrap();
    let apply = |now: &str| {
        let (code, stdout, stderr) = run(soar().args([
            "apply",
            "--rules",
            rule.to_str().unwrap(),
            "--incidents",
            incident_path.to_str().unwrap(),
            "--now",
            now,
            "--dry-run",
            "--format",
            "json",
        ]));
        assert_eq!(code, 0, "{stderr}");
        (fired(&stdout), normalize(&stderr, tmp.path()))
    };
    let (before, warnings) = apply("2026-05-31T23:59:59Z");
    assert_eq!(before, [vec!["Temporary tag".to_owned()]]);
    assert_eq!(warnings, "");
    let (at, warnings) = apply(NOW);
    assert_eq!(at, [Vec::<String>::new()]);
    insta::assert_snapshot!("expired_rule_warning", warnings);
    let (after, _) = apply("2026-06-01T00:00:01Z");
    assert_eq!(after, [Vec::<String>::new()]);
}

#[test]
fn a_closed_standard_output_stops_the_run_quietly_with_the_sigpipe_status() {
    let apply = ["apply", "--rules", "examples/rules", "--incidents", "examples/batch/incidents.jsonl", "--now", NOW];
    assert_eq!(common::closed_after_100_bytes(&apply), (Some(141), String::new()));
}

#[test]
fn an_empty_incident_file_is_warned_about_as_a_document_without_incidents_is() {
    // A truncated export: 0 bytes, or only blank lines. `[]` is a list that holds no incident.
    let tmp = tempfile::tempdir().unwrap();
    let rules = root().join("examples/rules");
    for (name, text) in [("empty.json", ""), ("blank.jsonl", "\n\n"), ("foo.json", "{\"foo\":1}")] {
        write(tmp.path().join(name), text);
        let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
            "apply",
            "--rules",
            rules.to_str().unwrap(),
            "--incidents",
            name,
            "--now",
            NOW,
            "--out",
            "out.json",
        ]));
        assert_eq!((code, stdout.as_str()), (0, ""), "{name}");
        assert_eq!(
            stderr,
            format!(
                "warning: {name}: no incidents found; written back unchanged\n0 incident(s) processed, 0 changed, 0 change(s)\n"
            ),
            "{name}"
        );
    }
    write(tmp.path().join("none.json"), "[]");
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        rules.to_str().unwrap(),
        "--incidents",
        "none.json",
        "--now",
        NOW,
        "--dry-run",
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""));
}
