//! `runs show ID --as-test DIR` (issue 12, point 6: "create a test from a run"), end to end on a
//! copy of `examples/`: a recorded run (by `playbook run` or `apply --playbooks`, on an incident,
//! an alert or with watchlists) becomes a test, its mocks and its input, and `test` passes on
//! what was written; a hand-broken expectation then fails with its diff. Nothing is written when
//! files exist (without `--force`), when the test would not pass, or when the run cannot become
//! a test.

use std::path::Path;

use crate::common::{self, listing, recorded_runs, soar, NOW};

/// `sentinel-soar ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    common::run(soar().current_dir(dir).args(args))
}

/// Records the VirusTotal enrichment of incident 4102 in `state` (in `dir`).
fn record_enrichment(dir: &Path) {
    let (code, _, stderr) = run_in(
        dir,
        &[
            "playbook",
            "run",
            "playbooks/enrich-ip-virustotal.yaml",
            "--incident",
            "incidents/4102-c2-beacon-from-redteam-range.json",
            "--mocks",
            "mocks/enrich-ip-virustotal.yaml",
            "--now",
            NOW,
            "--state-dir",
            "state",
        ],
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn a_recorded_run_becomes_a_test_that_passes_and_a_broken_expectation_fails() {
    let dir = common::examples_copy();
    record_enrichment(dir.path());
    let (code, stdout, stderr) =
        run_in(dir.path(), &["runs", "show", "e747", "--state-dir", "state", "--as-test", "from-runs"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "wrote from-runs/Enrich-IP-VirusTotal-E747D08B.incident.json
wrote from-runs/Enrich-IP-VirusTotal-E747D08B.mocks.yaml
wrote from-runs/Enrich-IP-VirusTotal-E747D08B.yaml
2 mock(s); run it: sentinel-soar test from-runs/Enrich-IP-VirusTotal-E747D08B.yaml
"
    );
    let test = common::read(dir.path().join("from-runs/Enrich-IP-VirusTotal-E747D08B.yaml"));
    insta::assert_snapshot!("enrichment_test", test);
    insta::assert_snapshot!(
        "enrichment_mocks",
        common::read(dir.path().join("from-runs/Enrich-IP-VirusTotal-E747D08B.mocks.yaml"))
    );
    // The input is the incident as the run got it.
    let input: serde_json::Value =
        serde_json::from_str(&common::read(dir.path().join("from-runs/Enrich-IP-VirusTotal-E747D08B.incident.json")))
            .unwrap();
    let given: serde_json::Value =
        serde_json::from_str(&common::read(dir.path().join("incidents/4102-c2-beacon-from-redteam-range.json")))
            .unwrap();
    assert_eq!(input, given);
    let (code, stdout, stderr) = run_in(dir.path(), &["test", "from-runs"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "running 1 test\ntest from-runs/Enrich-IP-VirusTotal-E747D08B.yaml::Enrich-IP-VirusTotal run E747D08B ... ok\n\n1 passed, 0 failed\n"
    );
    // Break two expectations by hand: the test fails with their diff.
    let broken = test
        .replacen("path: \"/api/v3/ip_addresses/185.220.101.47\"", "path: \"/api/v3/ip_addresses/185.220.101.48\"", 1)
        .replacen("tags: [malicious-ip]", "tags: [benign]", 1);
    assert_ne!(broken, test);
    common::write(dir.path().join("from-runs/Enrich-IP-VirusTotal-E747D08B.yaml"), &broken);
    let (code, stdout, _) = run_in(dir.path(), &["test", "from-runs"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "    calls: IP_report was called after IP_report, but not with these inputs:
        path: expected \"/api/v3/ip_addresses/185.220.101.48\", got \"/api/v3/ip_addresses/185.220.101.47\"
    tags: missing [benign]; has [malicious-ip]
"
        ),
        "{stdout}"
    );
}

#[test]
fn every_run_of_an_apply_batch_replays_as_a_test() {
    let dir = common::examples_copy();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "apply",
            "--rules",
            "rules",
            "--incidents",
            "incidents",
            "--playbooks",
            "playbooks",
            "--mocks",
            "mocks",
            "--now",
            NOW,
            "--out",
            "/dev/null",
            "--state-dir",
            "state",
            "--history",
            "all",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let runs = recorded_runs(&dir.path().join("state"));
    assert_eq!(runs.len(), 10);
    for r in &runs {
        let id = r["runId"].as_str().unwrap();
        let (code, _, stderr) =
            run_in(dir.path(), &["runs", "show", id, "--state-dir", "state", "--as-test", "from-runs"]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{id}");
    }
    let (code, stdout, stderr) = run_in(dir.path(), &["test", "from-runs"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.ends_with("\n10 passed, 0 failed\n"), "{stdout}");
    // The runs started after the rules' earlier actions replay at their own clock.
    let contain = std::fs::read_dir(dir.path().join("from-runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with("Contain-Compromised-")
                && p.extension().unwrap() == "yaml"
                && !p.to_string_lossy().ends_with(".mocks.yaml")
        })
        .unwrap();
    assert!(common::read(contain).contains("    now: \"2026-06-01T00:00:12Z\"\n"));
}

#[test]
fn alert_runs_and_watchlist_runs_replay_without_their_flags() {
    let dir = common::examples_copy();
    let watchlists = common::root().join("tests/fixtures/playbooks/watchlists/bad-ips.csv");
    let check = common::root().join("tests/fixtures/playbook-tests/check-bad-ips.yaml");
    std::fs::copy(&check, dir.path().join("playbooks/check-bad-ips.yaml")).unwrap();
    let runs: [&[&str]; 2] = [
        &[
            "playbooks/notify-teams-on-alert.yaml",
            "--alert",
            "alerts/password-spray-vpn.json",
            "--mocks",
            "mocks/notify-teams-on-alert.yaml",
        ],
        &[
            "playbooks/check-bad-ips.yaml",
            "--incident",
            "incidents/4102-c2-beacon-from-redteam-range.json",
            "--watchlist",
            &format!("BadIPs={}", watchlists.display()),
        ],
    ];
    for args in runs {
        let (code, _, stderr) =
            run_in(dir.path(), &[&["playbook", "run"][..], args, &["--now", NOW, "--state-dir", "state"]].concat());
        assert_eq!((code, stderr.as_str()), (0, ""));
    }
    for r in recorded_runs(&dir.path().join("state")) {
        let id = r["runId"].as_str().unwrap();
        let (code, _, stderr) = run_in(dir.path(), &["runs", "show", id, "--state-dir", "state", "--as-test", "t"]);
        assert_eq!((code, stderr.as_str()), (0, ""));
    }
    let files: Vec<String> = listing(&dir.path().join("t")).keys().map(|p| p.display().to_string()).collect();
    assert_eq!(files.len(), 6, "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("Notify-Teams-On-Alert-") && f.ends_with(".alert.json")), "{files:?}");
    let mocks = files.iter().find(|f| f.starts_with("Check-Bad-IPs-") && f.ends_with(".mocks.yaml")).unwrap();
    let mocks = common::read(dir.path().join("t").join(mocks));
    assert!(
        mocks.contains("  - match: { action: Bad_IPs }\n    status: Succeeded\n"),
        "the watchlist answer is a mock: {mocks}"
    );
    let (code, stdout, stderr) = run_in(dir.path(), &["test", "t"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.ends_with("\n2 passed, 0 failed\n"), "{stdout}");
}

#[test]
fn files_that_exist_are_kept_unless_force_is_given() {
    let dir = common::examples_copy();
    record_enrichment(dir.path());
    let args = ["runs", "show", "E747D08B", "--state-dir", "state", "--as-test", "t"];
    assert_eq!(run_in(dir.path(), &args).0, 0);
    let test = dir.path().join("t/Enrich-IP-VirusTotal-E747D08B.yaml");
    common::write(&test, "# edited\n");
    let before = listing(&dir.path().join("t"));
    let (code, stdout, stderr) = run_in(dir.path(), &args);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: t/Enrich-IP-VirusTotal-E747D08B.incident.json, t/Enrich-IP-VirusTotal-E747D08B.mocks.yaml, t/Enrich-IP-VirusTotal-E747D08B.yaml already exist(s): nothing was written (--force overwrites them)\n"
    );
    assert_eq!(listing(&dir.path().join("t")), before);
    let (code, _, _) = run_in(dir.path(), &[&args[..], &["--force"]].concat());
    assert_eq!(code, 0);
    assert!(common::read(&test).starts_with("# A test of playbook Enrich-IP-VirusTotal"));
}

#[test]
fn nothing_is_written_when_the_test_would_not_pass_on_the_playbook_as_it_is() {
    let dir = common::examples_copy();
    record_enrichment(dir.path());
    let playbook = dir.path().join("playbooks/enrich-ip-virustotal.yaml");
    let changed = common::read(&playbook).replace("add_tags: [malicious-ip]", "add_tags: [bad-ip]");
    common::write(&playbook, &changed);
    let (code, stdout, stderr) =
        run_in(dir.path(), &["runs", "show", "E747", "--state-dir", "state", "--as-test", "t"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "    calls: Escalate was called after IP_report, but not with these inputs:
        body.tagsToAdd.TagsToAdd[0].Tag: expected \"malicious-ip\", got \"bad-ip\"
    tags: missing [malicious-ip]; has [bad-ip]
error: the test made from run E747D08B0FAA40B6BA9B0FFC1A0EACB6 does not pass on playbook Enrich-IP-VirusTotal as it is now (changed since the run?): nothing was written
"
    );
    assert!(!dir.path().join("t").exists());
}

#[test]
fn runs_that_cannot_become_tests_are_refused() {
    // A run recorded before runs kept their input (the old one-file-per-run history).
    let old = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("tests/fixtures/history-v1/state"), old.path());
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = common::run(
        soar()
            .current_dir(common::root())
            .args(["runs", "show", "E747D08B", "--as-test"])
            .arg(out.path())
            .arg("--state-dir")
            .arg(old.path()),
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.ends_with("error: run E747D08B0FAA40B6BA9B0FFC1A0EACB6 was recorded before runs kept what they started from: run the playbook again, then make the test from the new run\n"), "{stderr}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    // A playbook file that is not where the run found it.
    let dir = common::examples_copy();
    record_enrichment(dir.path());
    let (code, _, stderr) = common::run(
        soar()
            .current_dir(out.path())
            .args(["runs", "show", "E747", "--as-test", "t", "--state-dir"])
            .arg(dir.path().join("state")),
    );
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: the playbook file playbooks/enrich-ip-virustotal.yaml of run E747D08B0FAA40B6BA9B0FFC1A0EACB6 does not exist here: make the test from the directory the run was recorded in\n");
    // Usage: --format with --as-test, --force without it.
    let (code, _, stderr) =
        run_in(dir.path(), &["runs", "show", "E747", "--state-dir", "state", "--as-test", "t", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: the argument '--as-test <DIR>' cannot be used with '--format <FORMAT>'"),
        "{stderr}"
    );
    let (code, _, stderr) = run_in(dir.path(), &["runs", "show", "E747", "--state-dir", "state", "--force"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: the following required arguments were not provided:\n  --as-test <DIR>"),
        "{stderr}"
    );
}
