#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! The run history in one SQLite store per state directory (issue 13): the old one-file-per-run
//! layout moved in once with the same output as before, `runs list` filters and streaming,
//! `runs prune`, which runs a batch records (`--history`), and a batch killed mid-way.

use std::path::Path;

use serde_json::Value;

use crate::common;

use common::{read, recorded_runs, root, run, soar, NOW};

/// The fixture made by the binary before the store (see its README).
const OLD: &str = "tests/fixtures/history-v1";

fn runs_in(state: &Path, args: &[&str]) -> (i32, String, String) {
    run(soar().arg("runs").args(args).arg("--state-dir").arg(state))
}

/// A copy of the fixture's old-layout state directory.
fn old_history() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&root().join(OLD).join("state"), dir.path());
    dir
}

#[test]
fn an_old_history_is_moved_into_the_store_once_and_prints_as_before() {
    let dir = old_history();
    let want = |name: &str| read(root().join(OLD).join("want").join(name));
    let (code, stdout, stderr) = runs_in(dir.path(), &["list"]);
    assert_eq!((code, stdout.as_str()), (0, want("list.txt").as_str()));
    assert_eq!(
        common::normalize(&stderr, dir.path()),
        "note: moved 3 run(s) from the one-file-per-run history [TMP]/runs into [TMP]/history.sqlite; \
         the old files are removed\n"
    );
    // Once: the old files and their directory are gone, and nothing more is said.
    let left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["history.sqlite"]);
    assert_eq!(runs_in(dir.path(), &["list"]), (0, want("list.txt"), String::new()));
    assert_eq!(runs_in(dir.path(), &["list", "--format", "json"]), (0, want("list.json"), String::new()));
    assert_eq!(runs_in(dir.path(), &["show", "E747D08B"]), (0, want("show-E747D08B.txt"), String::new()));
    assert_eq!(
        runs_in(dir.path(), &["show", "d38863cf", "--format", "json"]),
        (0, want("show-D38863CF.json"), String::new())
    );
    // `playbook list` counts the moved runs.
    let (code, listed, _) =
        run(soar().current_dir(root()).args(["playbook", "list", "examples/playbooks", "--state-dir"]).arg(dir.path()));
    assert_eq!(code, 0);
    assert!(listed.lines().any(|l| l.starts_with(" Enrich-IP-VirusTotal") && l.contains(" 2 ")), "{listed}");
}

#[test]
fn the_old_layout_is_moved_by_whichever_command_opens_it_first() {
    for command in [&["prune", "--before", "2000-01-01"][..], &["show", "D388"]] {
        let dir = old_history();
        let (code, _, stderr) = runs_in(dir.path(), command);
        assert_eq!(code, 0);
        assert!(stderr.starts_with("note: moved 3 run(s) "), "{command:?}: {stderr}");
        assert_eq!(recorded_runs(dir.path()).len(), 3);
    }
    // Recording a run moves them too, and adds it.
    let dir = old_history();
    let (code, _, stderr) = run(soar().current_dir(root()).args([
        "playbook",
        "run",
        "examples/playbooks/enrich-ip-virustotal.yaml",
        "--incident",
        "examples/incidents/4102-c2-beacon-from-redteam-range.json",
        "--mocks",
        "examples/mocks/enrich-ip-virustotal.yaml",
        "--now",
        "2026-06-05T00:00:00Z",
        "--state-dir",
        dir.path().to_str().unwrap(),
    ]));
    assert_eq!(code, 0);
    assert!(stderr.starts_with("note: moved 3 run(s) "), "{stderr}");
    assert_eq!(recorded_runs(dir.path()).len(), 4);
}

fn ids(runs: &[Value]) -> Vec<&str> {
    runs.iter().map(|r| &r["runId"].as_str().unwrap()[..8]).collect()
}

#[test]
fn runs_list_filters_by_playbook_incident_status_and_start() {
    let dir = old_history();
    let list = |args: &[&str]| {
        let (code, stdout, _) = runs_in(dir.path(), &[&["list", "--format", "json"], args].concat());
        assert_eq!(code, 0);
        let doc: Value = serde_json::from_str(&stdout).unwrap();
        doc["runs"].as_array().unwrap().clone()
    };
    assert_eq!(ids(&list(&[])), ["E747D08B", "6B364C77", "D38863CF"]);
    assert_eq!(ids(&list(&["--status", "failed"])), ["D38863CF"]);
    assert_eq!(ids(&list(&["--status", "succeeded", "--since", "2026-06-02"])), ["6B364C77"]);
    assert_eq!(ids(&list(&["--since", "2026-06-02T08:30:00Z"])), ["6B364C77", "D38863CF"]);
    assert_eq!(ids(&list(&["--playbook", "comment-IT"])), ["D38863CF"]);
    assert_eq!(ids(&list(&["--incident", "4102"])), ["E747D08B", "6B364C77"]);
    let arm = "/subscriptions/x/providers/Microsoft.SecurityInsights/Incidents/2A3C882D-2B1E-4D52-AE78-1176F2C0518A";
    assert_eq!(ids(&list(&["--incident", arm])), ["D38863CF"]);
    assert_eq!(ids(&list(&["--incident", "4102", "--status", "cancelled"])), Vec::<&str>::new());
    // Any case: the list prints `Succeeded`.
    assert_eq!(ids(&list(&["--status", "Succeeded"])), ["E747D08B", "6B364C77"]);
    assert_eq!(ids(&list(&["--status", "FAILED"])), ["D38863CF"]);
    let (code, _, stderr) = runs_in(dir.path(), &["list", "--status", "running"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'running' for '--status <STATUS>'"), "{stderr}");
}

#[test]
fn runs_prune_removes_the_runs_started_before_a_time() {
    let dir = old_history();
    let (code, stdout, _) = runs_in(dir.path(), &["prune", "--before", "2026-06-02"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "removed 1 run(s) that started before 2026-06-02T00:00:00Z; 2 run(s) kept\n")
    );
    assert_eq!(ids(&recorded_runs(dir.path())), ["6B364C77", "D38863CF"]);
    let (code, stdout, stderr) = runs_in(dir.path(), &["prune", "--before", "2026-06-02"]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, "removed 0 run(s) that started before 2026-06-02T00:00:00Z; 2 run(s) kept\n", "")
    );
    // Nothing recorded: nothing to prune, and no store is created.
    let empty = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = runs_in(empty.path(), &["prune", "--before", "2026-06-02"]);
    assert_eq!(
        (code, stdout.as_str(), common::normalize(&stderr, empty.path()).as_str()),
        (
            0,
            "removed 0 run(s) that started before 2026-06-02T00:00:00Z; 0 run(s) kept\n",
            "note: no run history in [TMP]: no run was recorded there (`playbook run` and `apply --playbooks` record runs)\n"
        )
    );
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    let (code, _, stderr) = runs_in(dir.path(), &["prune"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--before <TIME>"), "{stderr}");
}

const WORKSPACE: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights";

/// What loading the batch's rules says: the refused playbook's runs will fail.
const REFUSED: &str = "warning[SR039]: Microsoft Sentinel has no permission to run playbooks in resource group 'rg-elsewhere' (permissions are granted for: rg-soc)
  --> rules.yaml:10:23
   |
10 |       - run_playbook: Refused-Playbook
   |                       ^^^^^^^^^^^^^^^^ the run would fail

";

/// A scratch directory with a batch of `n` incidents, every `failing`th one High: a rule runs
/// `Ok-Playbook` on every incident and another `Refused-Playbook` (a resource group Sentinel
/// has no permission on: a failed run) on the High ones.
fn batch(n: usize, failing: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    file(
        "rules.yaml",
        "rules:
  - name: Everyone
    order: 1
    actions:
      - run_playbook: Ok-Playbook
  - name: High ones
    order: 2
    conditions: { property: IncidentSeverity, operator: Equals, values: [High] }
    actions:
      - run_playbook: Refused-Playbook
",
    );
    let playbook = |name: &str, group: &str| {
        format!("name: {name}\nresource_group: {group}\ntrigger: incident\nsteps:\n  - sentinel.add_comment: {{ message: hi }}\n")
    };
    std::fs::create_dir(dir.path().join("playbooks")).unwrap();
    file("playbooks/ok.yaml", &playbook("Ok-Playbook", "rg-soc"));
    file("playbooks/refused.yaml", &playbook("Refused-Playbook", "rg-elsewhere"));
    file("settings.yaml", "playbook_resource_groups: [rg-soc]\n");
    let mut incidents = String::new();
    for i in 0..n {
        let severity = if failing > 0 && i % failing == 0 { "High" } else { "Low" };
        incidents.push_str(&format!(
            "{{\"id\":\"{WORKSPACE}/Incidents/inc-{i:05}\",\"name\":\"inc-{i:05}\",\
             \"properties\":{{\"title\":\"t\",\"incidentNumber\":{i},\"severity\":\"{severity}\"}}}}\n"
        ));
    }
    file("incidents.jsonl", &incidents);
    dir
}

/// `apply` on the batch of `dir`, with `extra` flags.
fn apply(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let base = ["apply", "--rules", "rules.yaml", "--playbooks", "playbooks", "--settings", "settings.yaml"];
    let more = ["--incidents", "incidents.jsonl", "--now", NOW, "--out", "/dev/null"];
    run(soar().current_dir(dir).args(base).args(more).args(extra))
}

#[test]
fn past_the_first_1000_runs_a_batch_records_only_the_runs_that_need_a_look() {
    let dir = batch(1100, 10);
    // 1100 runs of Ok-Playbook and 110 failed ones, incident by incident.
    let mut runs = Vec::new();
    for i in 0..1100 {
        runs.push(false);
        if i % 10 == 0 {
            runs.push(true);
        }
    }
    let by_default = runs.iter().enumerate().filter(|(n, failed)| *n < 1000 || **failed).count();
    assert_eq!(by_default, 1019);
    let line = format!(
        "{REFUSED}1100 incident(s) processed, 1100 changed, 2310 change(s); 1210 playbook run(s): 1100 succeeded, \
         110 failed"
    );
    let (code, _, stderr) = apply(dir.path(), &["--state-dir", "default", "--jobs", "2"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            0,
            format!(
                "{line}; history: 1019 of 1210 run(s) recorded (past the first 1000, only runs that failed, warned or \
                 had calls not mocked; --history all records every run)\n"
            )
            .as_str()
        )
    );
    let recorded = recorded_runs(&dir.path().join("default"));
    assert_eq!(recorded.len(), 1019);
    // The same runs whatever the workers (they skip encoding what the writer will not keep).
    for jobs in ["1", "3"] {
        let state = format!("default-{jobs}");
        assert_eq!(apply(dir.path(), &["--state-dir", &state, "--jobs", jobs]).0, 0);
        assert_eq!(recorded_runs(&dir.path().join(&state)), recorded, "--jobs {jobs}");
    }
    assert_eq!(recorded.iter().filter(|r| r["status"] == "Failed").count(), 110);
    let (code, _, stderr) = apply(dir.path(), &["--state-dir", "all", "--history", "all"]);
    assert_eq!((code, stderr.as_str()), (0, format!("{line}\n").as_str()));
    assert_eq!(recorded_runs(&dir.path().join("all")).len(), 1210);
    let (code, _, stderr) = apply(dir.path(), &["--state-dir", "failed", "--history", "failed"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            0,
            format!(
                "{line}; history: 110 of 1210 run(s) recorded (--history failed: runs that failed, warned or had \
                 calls not mocked)\n"
            )
            .as_str()
        )
    );
    assert_eq!(recorded_runs(&dir.path().join("failed")).len(), 110);
    for none in [&["--history", "none"][..], &["--no-history"]] {
        let (code, _, stderr) = apply(dir.path(), none);
        assert_eq!((code, stderr.as_str()), (0, format!("{line}\n").as_str()));
        assert!(!dir.path().join(".sentinel-soar").exists(), "{none:?}");
    }
}

#[test]
fn history_flags_the_run_would_ignore_are_usage_errors() {
    let dir = batch(3, 0);
    for flag in [&["--history", "all"], &["--state-dir", "s"]] {
        let (code, _, stderr) = run(soar()
            .current_dir(dir.path())
            .args(["apply", "--rules", "rules.yaml", "--playbooks", "playbooks", "--incidents", "incidents.jsonl"])
            .arg("--dry-run")
            .args(flag));
        let name = flag[0];
        assert_eq!(
            (code, stderr),
            (
                2,
                format!(
                    "error: --dry-run records no playbook runs, so {name} would be ignored: drop {name}, or drop \
                     --dry-run to record them\n"
                )
            )
        );
    }
    assert!(!dir.path().join("s").exists());
    let cases: [(&[&str], &str); 2] = [
        (
            &["--history", "none", "--state-dir", "s"],
            "error: --history none records no playbook runs, so --state-dir would be ignored: drop one of them\n",
        ),
        (&["--history", "some"], "error: invalid value 'some' for '--history <WHICH>'\n  [possible values: all, failed, none]\n\nFor more information, try '--help'.\n"),
    ];
    for (args, want) in cases {
        let (code, _, stderr) = apply(dir.path(), args);
        assert_eq!((code, stderr.as_str()), (2, want), "{args:?}");
    }
    let (code, _, stderr) = apply(dir.path(), &["--history", "all", "--no-history"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("'--history <WHICH>' cannot be used with '--no-history'"), "{stderr}");
}

#[test]
fn a_state_directory_that_does_not_exist_or_is_a_file_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nostate");
    let (code, stdout, stderr) = runs_in(&missing, &["list"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("0 run(s)\n"), "{stdout}");
    assert_eq!(
        common::normalize(&stderr, dir.path()),
        "note: no run history in [TMP]/nostate: the directory does not exist (--state-dir)\n"
    );
    let (code, stdout, stderr) = runs_in(&missing, &["prune", "--before", "2099-01-01"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        common::normalize(&stderr, dir.path()),
        "error: no run history in [TMP]/nostate: the directory does not exist (--state-dir)\n"
    );
    assert!(!missing.exists(), "nothing created");
    let file = dir.path().join("empty.yaml");
    std::fs::write(&file, "").unwrap();
    let refused = "error: cannot open the run history [TMP]/empty.yaml: it is a file, not a directory (--state-dir names a directory)\n";
    for args in [&["list"][..], &["prune", "--before", "2099-01-01"]] {
        let (code, stdout, stderr) = runs_in(&file, args);
        assert_eq!(
            (code, stdout.as_str(), common::normalize(&stderr, dir.path()).as_str()),
            (2, "", refused),
            "{args:?}"
        );
    }
    // apply, recording runs there, says the same.
    let batch = batch(1, 0);
    let (code, _, stderr) = apply(batch.path(), &["--state-dir", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(common::normalize(&stderr, dir.path()).ends_with(refused), "{stderr}");
}

#[test]
fn the_runs_with_warnings_the_closing_line_counts_are_listed_with_warned() {
    let dir = batch(3, 0);
    // The playbook names an action in another case: every run succeeds with a warning.
    std::fs::write(
        dir.path().join("playbooks/ok.yaml"),
        "name: Ok-Playbook\nresource_group: rg-soc\ntrigger: incident\nsteps:\n  - name: Compute\n    compose: x\n  - sentinel.add_comment: { message: \"@{outputs('compute')}\" }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules.yaml"),
        "rules:\n  - name: Everyone\n    order: 1\n    actions:\n      - run_playbook: Ok-Playbook\n",
    )
    .unwrap();
    let (code, _, stderr) = apply(dir.path(), &["--state-dir", "s"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("3 playbook run(s): 3 succeeded, 0 failed, 3 run(s) with warnings (runs list --warned)\n"),
        "{stderr}"
    );
    let (code, stdout, _) = runs_in(&dir.path().join("s"), &["list", "--warned", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["runs"].as_array().unwrap().len(), 3);
    let (code, stdout, _) = runs_in(&dir.path().join("s"), &["list", "--warned", "--status", "failed"]);
    assert_eq!((code, stdout.lines().last()), (0, Some("0 run(s)")));
}

#[test]
fn a_long_list_streams_in_plain_columns_past_200_runs() {
    let dir = batch(250, 0);
    let (code, _, _) = apply(dir.path(), &["--state-dir", "s"]);
    assert_eq!(code, 0);
    let (code, stdout, stderr) = runs_in(&dir.path().join("s"), &["list"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 252);
    assert_eq!(
        lines[0],
        " Run                               Playbook     Incident  Status     Start                 Duration"
    );
    assert_eq!(lines[251], "250 run(s)");
    assert!(
        lines[1..251].iter().all(|l| l.len() == 93
            && l.contains("  Ok-Playbook  ")
            && l.ends_with("  Succeeded  2026-06-01T00:00:00Z  0s")),
        "{stdout}"
    );
    // The JSON document, written run by run, is the one built whole.
    let (_, json, _) = runs_in(&dir.path().join("s"), &["list", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(format!("{}\n", serde_json::to_string_pretty(&doc).unwrap()), json);
    assert_eq!(doc["runs"].as_array().unwrap().len(), 250);
}

#[test]
fn a_batch_killed_mid_way_leaves_a_history_that_lists_every_run_committed() {
    let n = 30_000;
    let dir = batch(n, 0);
    let state = dir.path().join("state");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sentinel-soar"))
        .current_dir(dir.path())
        .args(["apply", "--rules", "rules.yaml", "--playbooks", "playbooks", "--settings", "settings.yaml"])
        .args(["--incidents", "incidents.jsonl", "--now", NOW, "--out", "/dev/null", "--jobs", "1"])
        .args(["--state-dir", "state", "--history", "all"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until a window is committed, reading while the batch writes.
    let start = std::time::Instant::now();
    let seen = loop {
        if state.join("history.sqlite").exists() {
            let runs = recorded_runs(&state).len();
            if runs > 0 {
                break runs;
            }
        }
        assert!(start.elapsed().as_secs() < 120, "no run committed");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(child.try_wait().unwrap().is_none(), "the batch ended before it could be killed");
    child.kill().unwrap();
    child.wait().unwrap();
    let runs = recorded_runs(&state);
    assert!(runs.len() >= seen && runs.len() < n, "{} runs after {seen}", runs.len());
    // Windows are committed in input order: the runs are those of the first incidents.
    let mut incidents: Vec<&str> = runs.iter().map(|r| r["incident"].as_str().unwrap()).collect();
    incidents.sort_unstable();
    let first: Vec<String> = (0..runs.len()).map(|i| format!("inc-{i:05}")).collect();
    assert_eq!(incidents, first);
    let last = runs.last().unwrap()["runId"].as_str().unwrap();
    assert_eq!(runs_in(&state, &["show", last]).0, 0);
    // The history is still written to.
    std::fs::write(dir.path().join("one.jsonl"), "{\"name\":\"one\",\"properties\":{\"title\":\"t\"}}\n").unwrap();
    let (code, _, stderr) = run(soar().current_dir(dir.path()).args([
        "apply",
        "--rules",
        "rules.yaml",
        "--playbooks",
        "playbooks",
        "--incidents",
        "one.jsonl",
        "--now",
        NOW,
        "--out",
        "/dev/null",
        "--state-dir",
        "state",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(recorded_runs(&state).len(), runs.len() + 1);
}
