//! `sentinel-soar playbook run` and `playbook list` through the binary: golden output, exit
//! codes, the files written (`--out`, `--audit`), lookup by name, and errors that point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use common::{root, run, soar, NOW};
use serde_json::Value;

const PLAYBOOK: &str = "examples/playbooks/enrich-ip-virustotal.yaml";
const INCIDENT: &str = "examples/incidents/4102-c2-beacon-from-redteam-range.json";
const MOCKS: &str = "examples/mocks/enrich-ip-virustotal.yaml";

/// `sentinel-soar playbook ARGS`; runs are not recorded (`--no-history`) unless `ARGS` name a
/// state directory.
fn playbook(args: &[&str]) -> (i32, String, String) {
    let mut cmd = soar();
    cmd.current_dir(root()).arg("playbook").args(args);
    if args.first() == Some(&"run") && !args.contains(&"--state-dir") {
        cmd.arg("--no-history");
    }
    run(&mut cmd)
}

#[test]
fn run_prints_the_run_log_as_a_tree() {
    let (code, stdout, stderr) = playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS, "--now", NOW]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("run_tree", stdout);
}

#[test]
fn run_writes_the_incident_and_the_audit_log_and_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("incident.json");
    let audit = dir.path().join("audit.jsonl");
    let (code, stdout, stderr) = playbook(&[
        "run",
        "Enrich-IP-VirusTotal",
        "--dir",
        "examples/playbooks",
        "--incident",
        INCIDENT,
        "--mocks",
        MOCKS,
        "--now",
        NOW,
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
        "--audit",
        audit.to_str().unwrap(),
    ]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["run"]["status"], "Succeeded");
    assert_eq!(doc["run"]["steps"][2]["iterations"].as_array().unwrap().len(), 2);
    let incident: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(incident["properties"]["labels"][0]["labelName"], "malicious-ip");
    assert_eq!(incident["properties"]["lastModifiedTimeUtc"], "2026-06-01T00:00:02Z");
    let lines: Vec<Value> =
        std::fs::read_to_string(&audit).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["source"], "playbook");
    assert_eq!(lines[0]["modifiedBy"], "Playbook - Enrich-IP-VirusTotal");
    assert_eq!(lines[1]["action"], "add_comment");
}

#[test]
fn strict_mocks_fail_each_unmocked_call_and_every_iteration_runs() {
    let (code, stdout, stderr) = playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--now", NOW, "--strict-mocks"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    // Each iteration fails on its own call, as a failed call would; the loop runs them all.
    assert!(
        stdout.contains(
            "├─ For_each_IP Failed at +00:00:00 took 0s (2 iteration(s), concurrency 1)
"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "│  ├─ #0 Failed at +00:00:00
│  │  ├─ IP_report Failed at +00:00:00 took 0s
"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "│  └─ #1 Failed at +00:00:00
│     ├─ IP_report Failed at +00:00:00 took 0s
"
        ),
        "{stdout}"
    );
    for ip in ["10.99.4.20", "185.220.101.47"] {
        assert!(
            stdout.contains(&format!("error NoMock: no mock for virustotal GET /api/v3/ip_addresses/{ip} (--strict-mocks) [PB043 at examples/playbooks/enrich-ip-virustotal.yaml:25:15]\n")),
            "{stdout}"
        );
    }
    // The actions after the loop are skipped by runAfter, and the run fails naming the call.
    assert!(stdout.contains("├─ Report Skipped at +00:00:00"), "{stdout}");
    assert!(
        stdout.contains("Run Failed at 2026-06-01T00:00:00Z, took 0s, 5 action(s), 2 iteration(s)\n  error ActionFailed: Action 'IP_report' failed: no mock for virustotal GET /api/v3/ip_addresses/10.99.4.20 (--strict-mocks)\n"),
        "{stdout}"
    );
    // A failed call is not a call that did not run.
    assert!(!stdout.contains("Not run (no mock)"), "{stdout}");
    // Without --strict-mocks the calls are recorded as not run and the run goes on (here to
    // fail on the missing reputation, as it would with an empty answer).
    let (code, stdout, _) = playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--now", NOW]);
    assert_eq!(code, 1);
    assert!(stdout.contains("IP_report Succeeded at +00:00:00 took 0s (not-run: no mock)"), "{stdout}");
    assert!(stdout.contains("Not run (no mock): IP_report (x2)\n"), "{stdout}");
}

#[test]
fn without_now_the_run_starts_on_the_wall_clock_in_whole_seconds() {
    let (code, stdout, stderr) = playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let line = stdout.lines().find(|l| l.starts_with("Run Succeeded at ")).unwrap();
    let stamp = line.trim_start_matches("Run Succeeded at ").split(',').next().unwrap();
    // `2026-11-25T22:09:01Z`: no fraction of a second.
    assert_eq!(stamp.len(), "2026-11-25T22:09:01Z".len(), "{line}");
    assert!(chrono::DateTime::parse_from_rfc3339(stamp).is_ok(), "{line}");
}

#[test]
fn a_playbook_with_errors_is_not_run() {
    let (code, stdout, stderr) =
        playbook(&["run", "tests/fixtures/playbooks/bad/unknown-kind.yaml", "--incident", INCIDENT, "--now", NOW]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with(
            "error[PB006]: unknown step kind `post_message`\n --> tests/fixtures/playbooks/bad/unknown-kind.yaml:4:5\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("2 errors, 0 warnings\nnothing was run: fix the playbook, mocks and settings files first\n"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) =
        playbook(&["run", "No-Such-Playbook", "--incident", INCIDENT, "--dir", "examples/playbooks"]);
    assert_eq!((code, stderr.as_str()), (2, "error: no playbook named No-Such-Playbook in examples/playbooks\n"));
    let (code, _, stderr) = playbook(&["run", PLAYBOOK, "--incident", "nope.json", "--now", NOW]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: cannot read incident file nope.json"), "{stderr}");
    let (code, _, stderr) = playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--now", "soon"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: invalid value 'soon' for '--now <TIME>': neither a date (2026-12-31) nor an RFC 3339 timestamp (2026-12-31T23:59:59Z)\n\nFor more information, try '--help'.\n"
        )
    );
}

#[test]
fn list_shows_name_trigger_state_and_steps() {
    let empty = tempfile::tempdir().unwrap();
    let state = empty.path().to_str().unwrap();
    let (code, stdout, stderr) =
        playbook(&["list", "examples/playbooks", "tests/fixtures/playbooks/surface.yaml", "--state-dir", state]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("list_table", stdout);
    let (code, stdout, _) = playbook(&["list", "examples/playbooks", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["playbooks"][0]["trigger"], "Incident");
    assert_eq!(
        (doc["playbooks"][0]["name"].as_str(), doc["playbooks"][0]["steps"].as_u64()),
        (Some("Approve-Block-IP"), Some(12))
    );
}

#[test]
fn list_classifies_playbooks_as_sentinels_playbooks_page_does() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("a-incident.yaml", "name: A\ntrigger: incident\nsteps:\n  - compose: x\n"),
        ("b-entity.yaml", "name: B\ntrigger: entity\nsteps:\n  - compose: x\n"),
        (
            "c-request.yaml",
            "name: C\ntrigger: request\nsteps:\n  - if: \"@equals(1, 1)\"\n    then: [ { sentinel.get_ips: {} } ]\n",
        ),
        ("d-recurrence.yaml", "name: D\ntrigger: recurrence\nsteps:\n  - compose: x\n"),
        ("e-empty.json", r#"{"definition": {"triggers": {}, "actions": {}}}"#),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    let (code, stdout, stderr) = playbook(&["list", path, "--format", "json", "--state-dir", path]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let got: Vec<(&str, &str)> = doc["playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["trigger"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("A", "Incident"),
            ("B", "Entity"),
            ("C", "Using Sentinel action"),
            ("D", "Other"),
            ("e-empty", "Not initialized")
        ]
    );
}

#[test]
fn validate_checks_yaml_playbooks_and_mocks_files() {
    let (code, stdout, stderr) = run(soar().current_dir(root()).args([
        "validate",
        "tests/fixtures/playbooks/bad/until-secret.yaml",
        "--format",
        "json",
    ]));
    assert_eq!((code, stderr.as_str()), (1, ""));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<(String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_owned(), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(found, [("PB016".to_owned(), 4, 5), ("PB017".to_owned(), 11, 24)]);
    let (code, stdout, _) = run(soar().current_dir(root()).args(["validate", "examples/playbooks", "examples/mocks"]));
    assert_eq!((code, stdout.as_str()), (0, "6 playbook files, 6 mocks files checked: no problems\n"));
}

#[test]
fn a_duplicate_key_in_a_playbook_is_a_playbook_error_without_the_parser_s_advice() {
    // A playbook that does not parse is still told apart from a rule file (PB001, not SR002).
    let file = "tests/fixtures/playbooks/bad/duplicate-key.yaml";
    let snippet =
        " --> tests/fixtures/playbooks/bad/duplicate-key.yaml:5:5\n  |\n5 |     compose: 2\n  |     ^^^^^^^ here\n\n";
    let (code, stdout, stderr) = run(soar().current_dir(root()).env("NO_COLOR", "1").args(["validate", file]));
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        format!("error[PB001]: duplicate key `compose`\n{snippet}1 playbook file checked: 1 error, 0 warnings\n")
    );
    let (code, stdout, stderr) = playbook(&["run", file, "--incident", INCIDENT, "--now", NOW]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.starts_with(&format!("error[PB001]: duplicate key `compose`\n{snippet}")), "{stderr}");
}

#[test]
fn a_key_in_the_wrong_case_is_one_unknown_key_and_its_value_is_not_used() {
    // YAML playbooks match keys exactly: `Name` is not `name`. It is reported once, with the
    // suggestion, and `name` is not reported missing again; the playbook has no name, so it is
    // not loaded.
    let file = "tests/fixtures/playbooks/bad/wrong-case-name.yaml";
    let (code, stdout, stderr) = run(soar().current_dir(root()).env("NO_COLOR", "1").args(["validate", file]));
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        "error[PB003]: unknown key `Name` in a playbook
 --> tests/fixtures/playbooks/bad/wrong-case-name.yaml:1:1
  |
1 | Name: Wrong case
  | ^^^^ unknown key
  |
  = help: did you mean `name`?

1 playbook file checked: 1 error, 0 warnings
"
    );
}

#[test]
fn runs_are_recorded_listed_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let state = state.to_str().unwrap();
    for now in [NOW, "2026-06-02T08:30:00Z"] {
        let (code, _, stderr) =
            playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS, "--now", now, "--state-dir", state]);
        assert_eq!((code, stderr.as_str()), (0, ""));
    }
    // The same run again replaces its record.
    playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS, "--now", NOW, "--state-dir", state]);
    let runs = |args: &[&str]| run(soar().current_dir(root()).arg("runs").args(args).args(["--state-dir", state]));
    let (code, stdout, stderr) = runs(&["list", "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let list = doc["runs"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["playbook"].as_str(), list[0]["incidentNumber"].as_u64()),
        (Some("Enrich-IP-VirusTotal"), Some(4102))
    );
    assert_eq!(list[1]["startTime"], "2026-06-02T08:30:00Z");
    assert_ne!(list[0]["runId"], list[1]["runId"]);
    // Durations as the run tree writes them (`took 2s`); JSON keeps ISO 8601.
    assert_eq!(list[0]["duration"], "PT2S");
    let (_, stdout, _) = runs(&["list", "--incident", "4102"]);
    insta::assert_snapshot!("runs_list", stdout);
    let (_, stdout, _) = runs(&["list", "--playbook", "other"]);
    assert!(stdout.ends_with("0 run(s)\n"), "{stdout}");
    let (_, listed, _) = playbook(&["list", "examples/playbooks", "--state-dir", state]);
    assert!(listed.lines().any(|l| l.starts_with(" Enrich-IP-VirusTotal") && l.contains(" 2 ")), "{listed}");
    // show: by id prefix, as a tree (the same text `playbook run` printed) or JSON.
    let id = list[0]["runId"].as_str().unwrap();
    let (code, shown, _) = runs(&["show", &id[..6].to_lowercase()]);
    assert_eq!(code, 0);
    let (_, printed, _) = playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS, "--now", NOW]);
    assert_eq!(shown, printed);
    // A damaged file of the old layout is reported, not fatal.
    std::fs::create_dir_all(dir.path().join("state/runs")).unwrap();
    std::fs::write(dir.path().join("state/runs/0-broken.json"), "{not json").unwrap();
    let (code, stdout, stderr) = runs(&["list"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("2 run(s)\n"), "{stdout}");
    assert!(stderr.starts_with("warning: ") && stderr.contains("0-broken.json: not a run record"), "{stderr}");
    let (code, _, stderr) = runs(&["show", "FFFFFFFF"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("error: no run FFFFFFFF in "), "{stderr}");
}

/// A state directory in the old layout (one file per run, as sentinel-soar wrote it before the
/// history moved into SQLite) holding the example run recorded at `NOW`, and that record's file.
fn recorded_run() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let name = "20260601T000000Z-E747D08B0FAA40B6BA9B0FFC1A0EACB6.json";
    let file = dir.path().join("runs").join(name);
    std::fs::create_dir_all(dir.path().join("runs")).unwrap();
    std::fs::copy(root().join("tests/fixtures/history-v1/state/runs").join(name), &file).unwrap();
    (dir, file)
}

fn runs_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(root()).arg("runs").args(args).arg("--state-dir").arg(dir))
}

#[test]
fn runs_show_names_a_damaged_record_by_the_id_in_its_file_name() {
    let (dir, file) = recorded_run();
    let name = file.file_name().unwrap().to_str().unwrap().to_owned();
    assert_eq!(name, "20260601T000000Z-E747D08B0FAA40B6BA9B0FFC1A0EACB6.json");
    std::fs::File::options().write(true).open(&file).unwrap().set_len(200).unwrap();
    let (code, stdout, stderr) = runs_in(dir.path(), &["show", "e747"]);
    assert_eq!(
        (code, stdout.as_str(), common::normalize(&stderr, dir.path()).as_str()),
        (
            2,
            "",
            "error: run E747D08B0FAA40B6BA9B0FFC1A0EACB6 is damaged: \
             [TMP]/runs/20260601T000000Z-E747D08B0FAA40B6BA9B0FFC1A0EACB6.json:6:1: EOF while parsing a value\n"
        )
    );
    // `list` still reports it and goes on.
    let (code, stdout, stderr) = runs_in(dir.path(), &["list"]);
    assert_eq!((code, stdout.lines().last()), (0, Some("0 run(s)")));
    assert_eq!(
        common::normalize(&stderr, dir.path()),
        "warning: [TMP]/runs/20260601T000000Z-E747D08B0FAA40B6BA9B0FFC1A0EACB6.json: not a run record \
         (EOF while parsing a value at line 6 column 1); skipped\n"
    );
}

#[test]
fn a_record_whose_status_is_not_a_run_status_is_damaged() {
    let (dir, file) = recorded_run();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"status\": \"Succeeded\""), "{text}");
    std::fs::write(&file, text.replacen("\"status\": \"Succeeded\"", "\"status\": \"Running\"", 1)).unwrap();
    let (code, stdout, stderr) = runs_in(dir.path(), &["list"]);
    assert_eq!((code, stdout.lines().last()), (0, Some("0 run(s)")));
    assert_eq!(
        common::normalize(&stderr, dir.path()),
        "warning: [TMP]/runs/20260601T000000Z-E747D08B0FAA40B6BA9B0FFC1A0EACB6.json: not a run record \
         (unknown variant `Running`, expected one of `Succeeded`, `Failed`, `Cancelled` at line 7 column 21); skipped\n"
    );
}

#[test]
fn runs_show_wants_an_id_and_lists_the_runs_an_ambiguous_one_matches() {
    let (code, _, stderr) = run(soar().args(["runs", "show", ""]));
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: invalid value '' for '<ID>': give a run id (or a prefix of one); `runs list` shows them\n\n\
             For more information, try '--help'.\n"
        )
    );
    // Twelve runs whose ids start with AB (copies of one record), one of them damaged.
    let (dir, file) = recorded_run();
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    std::fs::remove_file(&file).unwrap();
    for n in 0..12 {
        let id = format!("AB{n:030}");
        record["runId"] = Value::from(id.clone());
        let path = dir.path().join(format!("runs/20260601T0000{n:02}Z-{id}.json"));
        let text = serde_json::to_string_pretty(&record).unwrap();
        std::fs::write(&path, if n == 1 { &text[..10] } else { &text[..] }).unwrap();
    }
    // The first command moves the eleven records into the store and leaves the damaged file.
    let (code, stdout, stderr) = runs_in(dir.path(), &["list"]);
    assert_eq!((code, stdout.lines().last()), (0, Some("11 run(s)")));
    assert_eq!(
        common::normalize(&stderr, dir.path()),
        "note: moved 11 run(s) from the one-file-per-run history [TMP]/runs into [TMP]/history.sqlite; \
         the old files are removed\n\
         warning: [TMP]/runs/20260601T000001Z-AB000000000000000000000000000001.json: not a run record \
         (EOF while parsing a string at line 2 column 8); skipped\n"
    );
    let (code, stdout, stderr) = runs_in(dir.path(), &["show", "ab"]);
    let mut want = String::from("error: AB matches 12 runs; give more of the id:\n");
    for n in [0, 2, 3, 4, 5, 6, 7, 8, 9, 10] {
        want.push_str(&format!("  AB{n:030}  Enrich-IP-VirusTotal  2026-06-01T00:00:00Z\n"));
    }
    want.push_str("  and 2 more\n");
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", want.as_str()));
    // A prefix that names one good run shows it; one that names only the damaged file says so.
    let (code, _, stderr) = runs_in(dir.path(), &["show", &format!("AB{:030}", 2)]);
    assert_eq!(code, 0);
    assert!(stderr.starts_with("warning: ") && stderr.contains("AB000000000000000000000000000001.json"), "{stderr}");
    let (code, _, stderr) = runs_in(dir.path(), &["show", &format!("AB{:030}", 1)]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with(&format!("error: run AB{:030} is damaged: ", 1)), "{stderr}");
}

/// Every report stops quietly when standard output is closed: the outputs are larger than a
/// pipe's buffer (64 KiB), so each command is still writing when the reader goes away.
#[test]
fn a_closed_standard_output_stops_every_report_quietly_with_the_sigpipe_status() {
    let (dir, file) = recorded_run();
    // A record too big for the pipe: a long playbook name, in the list and in the run log.
    let mut record: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let name = "P".repeat(100_000);
    record["playbook"] = Value::from(name.clone());
    record["run"]["playbook"] = Value::from(name);
    std::fs::write(&file, serde_json::to_string(&record).unwrap()).unwrap();
    let state = dir.path().to_str().unwrap();
    // Moved into the store first, so that the commands below print nothing on standard error.
    assert_eq!(runs_in(dir.path(), &["list"]).0, 0);
    let commands: [&[&str]; 5] = [
        &["runs", "show", "E747", "--format", "json", "--state-dir", state],
        &["runs", "show", "E747", "--state-dir", state],
        &["runs", "list", "--format", "json", "--state-dir", state],
        &["runs", "list", "--state-dir", state],
        &["schema", "playbooks"],
    ];
    for args in commands {
        assert_eq!(common::closed_after_100_bytes(args), (Some(141), String::new()), "{args:?}");
    }
}

#[test]
fn settings_decide_who_may_run_playbooks_and_where() {
    let settings = "tests/fixtures/playbooks/settings.yaml";
    let base = ["run", PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS, "--now", NOW, "--settings", settings];
    let with = |extra: &[&str]| playbook(&[&base[..], extra].concat());
    let (code, _, stderr) = with(&["--as", "ada@contoso.com"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (code, stdout, stderr) = with(&["--as", "bob@contoso.com"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "refused: bob@contoso.com may not run playbooks: running a playbook by hand needs the Microsoft Sentinel Responder, Contributor or Playbook Operator role (has: Microsoft Sentinel Reader)\n"
    );
    let (code, _, stderr) = with(&[]);
    assert_eq!(
        (code, stderr.as_str()),
        (1, "refused: the settings file defines roles: say who runs the playbook with --as NAME\n")
    );
    let (code, _, stderr) = playbook(&[
        "run",
        "tests/fixtures/playbooks/elsewhere.yaml",
        "--incident",
        INCIDENT,
        "--now",
        NOW,
        "--settings",
        settings,
        "--as",
        "ada@contoso.com",
    ]);
    assert_eq!(
        (code, stderr.as_str()),
        (1, "refused: Microsoft Sentinel has no permission to run playbooks in resource group 'rg-app-team' (permissions are granted for: rg-soc-playbooks)\n")
    );
    // Without a settings file everything is allowed.
    let (code, _, _) =
        playbook(&["run", "tests/fixtures/playbooks/elsewhere.yaml", "--incident", INCIDENT, "--now", NOW]);
    assert_eq!(code, 0);
}

#[test]
fn an_unknown_role_in_the_settings_is_an_error_that_names_the_close_one() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("s.yaml");
    std::fs::write(&settings, "roles:\n  ada@contoso.com: [Microsoft Sentinel Responderr]\n").unwrap();
    let settings = settings.display().to_string();
    let (code, stdout, stderr) = playbook(&[
        "run",
        PLAYBOOK,
        "--incident",
        INCIDENT,
        "--mocks",
        MOCKS,
        "--now",
        NOW,
        "--settings",
        &settings,
        "--as",
        "ada@contoso.com",
    ]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr.replace(&settings, "[S]"),
        "error[PB026]: unknown role `Microsoft Sentinel Responderr` (did you mean `Microsoft Sentinel Responder`?)
 --> [S]:2:21
  |
2 |   ada@contoso.com: [Microsoft Sentinel Responderr]
  |                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: known roles: Microsoft Sentinel Reader, Microsoft Sentinel Responder, Microsoft Sentinel Contributor, Microsoft Sentinel Playbook Operator, Microsoft Sentinel Automation Contributor, Logic App Operator, Logic App Contributor, Reader, Contributor, Owner

1 error, 0 warnings
nothing was run: fix the playbook, mocks and settings files first
"
    );
}

#[test]
fn param_gives_a_logic_apps_template_parameter_its_value() {
    let template = "tests/fixtures/playbooks/template-param.json";
    let base = ["run", template, "--incident", INCIDENT, "--now", NOW];
    let with = |extra: &[&str]| playbook(&[&base[..], extra].concat());
    // Without a value the parameter reads as a visible placeholder, and the warning says how to
    // give one.
    let (code, stdout, stderr) = with(&[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("out: \"<no value: NotificationEmail>\""), "{stdout}");
    assert!(
        stderr.contains(
            "= help: pass --param NotificationEmail=VALUE (the template gives `NotificationEmail` no defaultValue); an expression that needs a real value fails at its step"
        ),
        "{stderr}"
    );
    // That hint works: the name matches ignoring case, as in ARM.
    let (code, stdout, stderr) = with(&["--param", "notificationemail=soc@contoso.com"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("\n      out: \"soc@contoso.com\"\n"), "{stdout}");
    // A name the template does not declare is a warning.
    let (code, _, stderr) = with(&["--param", "NotificationEmial=x", "--param", "NotificationEmail=y"]);
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        format!(
            "warning[SJ014]: --param NotificationEmial matches no parameter of the ARM templates read\n--> {template}\n = help: did you mean `NotificationEmail`?\n\n"
        )
    );
    let (code, _, stderr) = with(&["--param", "NotificationEmail"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: invalid value 'NotificationEmail' for '--param <NAME=VALUE>': expected NAME=VALUE\n\nFor more information, try '--help'.\n"
        )
    );
    // `playbook show` takes the same values.
    let (code, _, stderr) = playbook(&["show", template, "--param", "NotificationEmail=soc@contoso.com"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (_, _, stderr) = playbook(&["show", template]);
    assert!(stderr.starts_with("warning[SJ006]: template parameter `NotificationEmail` has no value"), "{stderr}");
}

#[test]
fn mocks_takes_several_paths_either_way_and_the_playbook_comes_first() {
    let teams = "tests/fixtures/playbooks/mocks/teams-post-message-incident.yaml";
    let (code, stdout, stderr) =
        playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--now", NOW, "--mocks", MOCKS, teams]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("IP_report Succeeded at +00:00:00 took 1s [mock-file]"), "{stdout}");
    let (_, repeated, _) =
        playbook(&["run", PLAYBOOK, "--incident", INCIDENT, "--mocks", MOCKS, "--mocks", teams, "--now", NOW]);
    assert_eq!(stdout, repeated);
    // After --mocks, the playbook reads as one more mocks path: the error names the order that works.
    let (code, stdout, stderr) =
        playbook(&["run", "--incident", INCIDENT, "--now", NOW, "--mocks", MOCKS, "--mocks", teams, PLAYBOOK]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (
            2,
            "",
            "error: no playbook given: --mocks read examples/playbooks/enrich-ip-virustotal.yaml as one of its paths \
             (a path flag takes every value up to the next flag); put the playbook first: sentinel-soar playbook run \
             examples/playbooks/enrich-ip-virustotal.yaml --mocks examples/mocks/enrich-ip-virustotal.yaml \
             tests/fixtures/playbooks/mocks/teams-post-message-incident.yaml\n"
        )
    );
}

#[test]
fn a_file_that_is_not_utf8_is_skipped_in_a_directory_and_reported_when_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(PLAYBOOK), dir.path().join("enrich.yaml")).unwrap();
    std::fs::write(dir.path().join("bad.yaml"), b"name: x\xff\n").unwrap();
    let (code, stdout, stderr) = run(soar().current_dir(dir.path()).args(["playbook", "list", "."]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.ends_with("1 playbook(s)\n"), "{stdout}");
    let (code, _, stderr) = run(soar().current_dir(dir.path()).args(["playbook", "list", "bad.yaml"]));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error[SR035]: the file is not UTF-8 text (byte 0xFF)\n--> bad.yaml:1:8\n"), "{stderr}");
}
