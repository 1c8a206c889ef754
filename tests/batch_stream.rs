//! Every mode streams (issue 13): past 200 incidents the human dry run prints one block per
//! incident that would change, as it goes, instead of the table; the JSON dry run and `explain`
//! write one document incident by incident, byte for byte the document built whole; and every
//! output is the same whatever `--jobs`.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::common::{self, root, run, soar, write, NOW};

/// The example batch (40 incidents, 36 of them changed by the example rules) `copies` times,
/// as JSON Lines in `dir/batch.jsonl`.
fn batch(dir: &Path, copies: usize) -> PathBuf {
    let lines = common::read(root().join("examples/batch/incidents.jsonl"));
    let path = dir.join("batch.jsonl");
    write(&path, &lines.repeat(copies));
    path
}

/// One example incident as one compact line.
fn line(file: &str) -> String {
    let value: Value = serde_json::from_str(&common::read(root().join("examples/incidents").join(file))).unwrap();
    format!("{}\n", serde_json::to_string(&value).unwrap())
}

/// `apply --dry-run` on `input` in `dir` with the example rules.
fn dry_run(dir: &Path, input: &str, extra: &[&str]) -> (i32, String, String) {
    let rules = root().join("examples/rules");
    let mut cmd = soar();
    cmd.current_dir(dir).args(["apply", "--rules", rules.to_str().unwrap(), "--incidents", input, "--now", NOW]);
    run(cmd.arg("--dry-run").args(extra))
}

/// 4101 (changed), `quiet` copies of 4103 (no rule fires), 4105 (changed), in `mixed.jsonl`.
fn mixed(dir: &Path, quiet: usize) {
    let text = line("4101-pentest-pt-07.json")
        + &line("4103-closed-impossible-travel-ceo.json").repeat(quiet)
        + &line("4105-kerberoasting-dc01.json");
    write(dir.join("mixed.jsonl"), &text);
}

#[test]
fn past_200_incidents_the_human_dry_run_prints_a_block_per_changed_incident() {
    let tmp = tempfile::tempdir().unwrap();
    mixed(tmp.path(), 200);
    let (code, stdout, stderr) = dry_run(tmp.path(), "mixed.jsonl", &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("dry_run_blocks", stdout);
}

#[test]
fn up_to_200_incidents_the_human_dry_run_is_one_table() {
    let tmp = tempfile::tempdir().unwrap();
    mixed(tmp.path(), 198);
    let (code, stdout, stderr) = dry_run(tmp.path(), "mixed.jsonl", &[]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.starts_with(" Incident  Title"), "{stdout}");
    assert_eq!(stdout.matches("no rule fired").count(), 198);
    assert!(stdout.ends_with("\n200 incident(s), 2 would change, 13 change(s); dry run: nothing was written\n"));
}

#[test]
fn the_streamed_json_dry_run_is_the_document_built_whole() {
    let tmp = tempfile::tempdir().unwrap();
    batch(tmp.path(), 7);
    let (code, stdout, stderr) = dry_run(tmp.path(), "batch.jsonl", &["--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(common::keys(&doc), ["dryRun", "incidents", "summary"]);
    assert_eq!(doc["dryRun"], true);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 280);
    assert_eq!(doc["summary"], json!({"incidents": 280, "changed": 259, "changes": 763}));
    assert_eq!(stdout, format!("{}\n", serde_json::to_string_pretty(&doc).unwrap()));
    // Each copy of the batch reports the same as the first.
    let (_, one, _) =
        dry_run(tmp.path(), root().join("examples/batch/incidents.jsonl").to_str().unwrap(), &["--format", "json"]);
    let one: Value = serde_json::from_str(&one).unwrap();
    let first = &doc["incidents"].as_array().unwrap()[..40];
    let strip = |i: &Value| json!([i["incident"], i["incidentNumber"], i["title"], i["fired"]]);
    assert_eq!(
        first.iter().map(strip).collect::<Vec<_>>(),
        one["incidents"].as_array().unwrap().iter().map(strip).collect::<Vec<_>>()
    );
}

#[test]
fn dry_run_outputs_are_the_same_whatever_the_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    batch(tmp.path(), 8);
    // A bad record in the middle: reported at its line, left out, the same with any --jobs.
    let mut text = common::read(tmp.path().join("batch.jsonl"));
    text.insert_str(text.match_indices('\n').nth(150).unwrap().0 + 1, "{\"name\": tru}\n");
    write(tmp.path().join("batch.jsonl"), &text);
    for format in ["human", "json"] {
        let one = dry_run(tmp.path(), "batch.jsonl", &["--format", format, "--jobs", "1"]);
        let four = dry_run(tmp.path(), "batch.jsonl", &["--format", format, "--jobs", "4"]);
        assert_eq!(one, four, "--format {format}");
        assert_eq!(one.0, 1);
        assert_eq!(one.2, "error: batch.jsonl:152:13: invalid JSON: expected ident\n");
    }
}

#[test]
fn a_closed_standard_output_stops_a_streaming_dry_run_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let input = batch(tmp.path(), 10);
    let args =
        ["apply", "--rules", "examples/rules", "--incidents", input.to_str().unwrap(), "--now", NOW, "--dry-run"];
    assert_eq!(common::closed_after_100_bytes(&args), (Some(141), String::new()));
}

/// `explain` over `input` with the example rules.
fn explain(input: &Path, extra: &[&str]) -> (i32, String, String) {
    let rules = root().join("examples/rules");
    let args = ["explain", "--rules", rules.to_str().unwrap(), "--incident", input.to_str().unwrap(), "--now", NOW];
    run(soar().args(args).args(extra))
}

#[test]
fn explain_over_many_incidents_streams_one_document() {
    let tmp = tempfile::tempdir().unwrap();
    let input = batch(tmp.path(), 6);
    let (code, stdout, stderr) = explain(&input, &["--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(common::keys(&doc), ["now", "event", "incidents"]);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 240);
    assert_eq!(stdout, format!("{}\n", serde_json::to_string_pretty(&doc).unwrap()));
    // The human form: each incident's tree, a blank line between them.
    let (code, text, _) = explain(&input, &["--rule", "Tag credential access"]);
    assert_eq!(code, 0);
    let blocks: Vec<&str> = text.split("\n\nIncident ").collect();
    assert_eq!(blocks.len(), 240);
    assert!(blocks[0].starts_with("Incident 4201: "), "{}", blocks[0]);
}

#[test]
fn explain_reports_records_it_cannot_read_and_explains_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("three.jsonl");
    let text = line("4101-pentest-pt-07.json")
        + "{\"name\": tru}\n"
        + "{\"name\":\"x\",\"properties\":{\"title\":\"T\",\"labels\":[{\"labelName\":42}]}}\n"
        + &line("4105-kerberoasting-dc01.json");
    write(&input, &text);
    let (code, stdout, stderr) = explain(&input, &["--format", "json"]);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let numbers: Vec<&Value> = doc["incidents"].as_array().unwrap().iter().map(|i| &i["incidentNumber"]).collect();
    assert_eq!(numbers, [4101, 4105]);
    let path = input.display();
    assert_eq!(
        (code, stderr),
        (
            2,
            format!(
                "error: {path}:2:13: invalid JSON: expected ident\n\
                 error: {path}:3:1: invalid incident: properties.labels[0].labelName: expected a string, found a number\n"
            )
        )
    );
}

#[test]
fn alerts_go_through_the_batch_with_located_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let alerts: Value =
        serde_json::from_str(&common::read(root().join("tests/fixtures/sentinel/alerts.json"))).unwrap();
    let lines: Vec<String> = alerts.as_array().unwrap().iter().map(|a| serde_json::to_string(a).unwrap()).collect();
    let text = format!("{}\n{{\"kind\": \"SecurityAlert\",\n{}\n", lines[0], lines[1]);
    write(tmp.path().join("alerts.jsonl"), &text);
    let rules = root().join("tests/fixtures/sentinel/alert-rules.yaml");
    let alerts = |jobs: &str| {
        let args = ["apply", "--rules", rules.to_str().unwrap(), "--alerts", "alerts.jsonl", "--now", NOW];
        run(soar().current_dir(tmp.path()).args(args).args(["--audit", "-", "--jobs", jobs]))
    };
    let (code, stdout, stderr) = alerts("1");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: alerts.jsonl:2:25: invalid JSON: EOF while parsing a value\n\
         2 alert(s) processed, 1 playbook run(s) requested\n"
    );
    let audit: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["playbook"], "block-aad-user-alert");
    assert_eq!(alerts("3"), (code, stdout, stderr));
}
