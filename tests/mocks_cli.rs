//! `sentinel-soar mocks scaffold` and `--infer-mocks` through the binary: the scaffolds of real
//! templates (pinned; they read well to a person), scaffolds of the example playbooks that run
//! as written, where scaffolds are written, bad input that writes nothing, and inferred answers
//! marked and counted by `playbook run`, `apply` and `test`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use serde_json::Value;

use crate::common::{root, run, soar, NOW};

fn scaffold(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(dir).args(["mocks", "scaffold"]).args(args))
}

/// The scaffolds of three corpus templates: a loop over an enrichment call with a shape the
/// reference knows; a Parse JSON with failure branches and a body only tested for null; an
/// adaptive card whose answers feed Update incident.
#[test]
fn scaffolds_of_corpus_templates_name_what_each_value_feeds() {
    if !root().join("../shared/corpus/playbooks").is_dir() {
        eprintln!("corpus not found at ../shared/corpus; skipping");
        return;
    }
    for name in ["vt-ip-report-incident", "block-aaduser-incident", "teams-adaptive-card-incident"] {
        let path = format!("../shared/corpus/playbooks/{name}.json");
        let (code, stdout, stderr) = scaffold(&root(), &[&path]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{name}");
        insta::assert_snapshot!(format!("scaffold_{name}"), stdout);
    }
}

/// Every example playbook, scaffolded to a file and run with nothing but that file, succeeds
/// and leaves no call unanswered.
#[test]
fn example_playbooks_run_on_their_scaffolds_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let mut paths: Vec<_> =
        std::fs::read_dir(root().join("examples/playbooks")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let out = tmp.path().join(format!("{stem}.mocks.yaml"));
        let (code, _, stderr) = scaffold(&root(), &[path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        assert_eq!(code, 0, "{stem}: {stderr}");
        let text = std::fs::read_to_string(&path).unwrap();
        let subject = if text.contains("trigger: alert") {
            ["--alert", "examples/alerts/password-spray-vpn.json"]
        } else {
            ["--incident", "examples/incidents/4102-c2-beacon-from-redteam-range.json"]
        };
        let (code, stdout, stderr) =
            run(soar().current_dir(root()).args(["playbook", "run", path.to_str().unwrap()]).args(subject).args([
                "--mocks",
                out.to_str().unwrap(),
                "--strict-mocks",
                "--now",
                NOW,
                "--no-history",
                "--format",
                "json",
            ]));
        assert_eq!((code, stderr.as_str()), (0, ""), "{stem}");
        let log: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(log["run"]["status"], "Succeeded", "{stem}");
        assert!(log["run"].get("unmocked").is_none(), "{stem}");
    }
}

#[test]
fn scaffolds_go_to_one_file_or_one_file_per_playbook() {
    let tmp = tempfile::tempdir().unwrap();
    let r = root();
    let a = r.join("examples/playbooks/enrich-ip-virustotal.yaml");
    let b = r.join("examples/playbooks/servicenow-sync.yaml");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let (code, _, stderr) = scaffold(tmp.path(), &[a, b, "--out", "all.yaml"]);
    assert_eq!((code, stderr.as_str()), (0, "2 external call(s) of 2 playbook(s) scaffolded in all.yaml\n"));
    let all = std::fs::read_to_string(tmp.path().join("all.yaml")).unwrap();
    assert!(all.contains("      action: IP_report\n") && all.contains("      action: Create_ticket\n"), "{all}");
    let (code, _, stderr) = scaffold(tmp.path(), &[a, b, "--out", "per/"]);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "2 external call(s) of 2 playbook(s) scaffolded in per/Enrich-IP-VirusTotal.mocks.yaml, per/ServiceNow-Sync.mocks.yaml\n")
    );
    let one = std::fs::read_to_string(tmp.path().join("per/ServiceNow-Sync.mocks.yaml")).unwrap();
    assert!(one.contains("action: Create_ticket") && !one.contains("action: IP_report"), "{one}");
    // A playbook that makes no external call gets a valid, empty mocks file.
    let only = "name: Comment-Only\ntrigger: incident\nsteps:\n  - sentinel.add_comment: { message: seen }\n";
    std::fs::write(tmp.path().join("only.yaml"), only).unwrap();
    let (code, stdout, _) = scaffold(tmp.path(), &["only.yaml"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("# Playbook Comment-Only (only.yaml) makes no external call.\nmocks: []\n"), "{stdout}");
}

#[test]
fn an_existing_mocks_file_is_replaced_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let a = root().join("examples/playbooks/enrich-ip-virustotal.yaml");
    let b = root().join("examples/playbooks/servicenow-sync.yaml");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    // Answers filled in by hand, in one file and in one of a directory's files.
    std::fs::write(tmp.path().join("all.yaml"), "mocks: []  # edited\n").unwrap();
    std::fs::create_dir(tmp.path().join("per")).unwrap();
    std::fs::write(tmp.path().join("per/ServiceNow-Sync.mocks.yaml"), "mocks: []  # edited\n").unwrap();
    let (code, _, stderr) = scaffold(tmp.path(), &[a, b, "--out", "all.yaml"]);
    assert_eq!(
        (code, stderr.as_str()),
        (2, "error: all.yaml exist(s) already and may hold answers filled in by hand: nothing was written; give --force to replace, or another --out\n")
    );
    let (code, _, stderr) = scaffold(tmp.path(), &[a, b, "--out", "per/"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("error: per/ServiceNow-Sync.mocks.yaml exist(s) already"), "{stderr}");
    assert!(!tmp.path().join("per/Enrich-IP-VirusTotal.mocks.yaml").exists(), "nothing was written");
    assert_eq!(std::fs::read_to_string(tmp.path().join("all.yaml")).unwrap(), "mocks: []  # edited\n");
    let (code, _, stderr) = scaffold(tmp.path(), &[a, b, "--out", "all.yaml", "--force"]);
    assert_eq!((code, stderr.as_str()), (0, "2 external call(s) of 2 playbook(s) scaffolded in all.yaml\n"));
    assert!(std::fs::read_to_string(tmp.path().join("all.yaml")).unwrap().contains("action: IP_report"));
    let (code, _, stderr) = scaffold(tmp.path(), &[a, "--force"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--out <FILE|DIR>"), "{stderr}");
}

#[test]
fn a_file_that_is_not_a_playbook_is_a_located_error_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let r = root();
    let good = r.join("examples/playbooks/enrich-ip-virustotal.yaml");
    let bad = r.join("examples/incidents/4102-c2-beacon-from-redteam-range.json");
    let (code, stdout, stderr) = scaffold(
        &r,
        &[
            good.to_str().unwrap(),
            "examples/incidents/4102-c2-beacon-from-redteam-range.json",
            "--out",
            tmp.path().join("m.yaml").to_str().unwrap(),
        ],
    );
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        stderr.starts_with("error[PB002]: not a playbook: expected YAML `steps`, or Logic Apps JSON")
            && stderr.contains("--> examples/incidents/4102-c2-beacon-from-redteam-range.json:1:1")
            && stderr.ends_with("nothing was written: fix the playbook files first\n"),
        "{stderr}"
    );
    assert!(bad.is_file());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    let (code, _, stderr) = scaffold(&r, &["no/such/playbook.json"]);
    assert_eq!((code, stderr.as_str()), (2, "error: playbook path no/such/playbook.json does not exist\n"));
}

#[test]
fn playbook_run_marks_and_counts_calls_answered_by_inferred_mocks() {
    let base = ["playbook", "run", "examples/playbooks/enrich-ip-virustotal.yaml", "--incident"];
    let incident = "examples/incidents/4102-c2-beacon-from-redteam-range.json";
    let (code, stdout, stderr) =
        run(soar().current_dir(root()).args(base).args([incident, "--now", NOW, "--no-history", "--infer-mocks"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("├─ IP_report Succeeded at +00:00:00 took 0s [inferred]\n"), "{stdout}");
    assert!(
        stdout.contains("Run Succeeded at 2026-06-01T00:00:00Z, took 0s, 11 action(s), 2 iteration(s), 2 call(s) answered by inferred mocks\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("Not run (no mock)"), "{stdout}");
    let (_, json, _) = run(soar().current_dir(root()).args(base).args([
        incident,
        "--now",
        NOW,
        "--no-history",
        "--infer-mocks",
        "--format",
        "json",
    ]));
    let log: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(log["run"]["inferred"], serde_json::json!(["IP_report", "IP_report"]));
    // A mock given for the call answers it; inference answers only what nothing else does.
    let (_, stdout, _) = run(soar().current_dir(root()).args(base).args([
        incident,
        "--now",
        NOW,
        "--no-history",
        "--infer-mocks",
        "--mocks",
        "examples/mocks/enrich-ip-virustotal.yaml",
    ]));
    assert!(
        stdout.contains("IP_report Succeeded at +00:00:00 took 1s [mock-file]") && !stdout.contains("[inferred]"),
        "{stdout}"
    );
}

#[test]
fn apply_counts_inferred_answers_in_its_closing_line() {
    let tmp = tempfile::tempdir().unwrap();
    let r = root();
    let base = |extra: &[&str]| {
        let mut cmd = soar();
        cmd.current_dir(tmp.path())
            .arg("apply")
            .arg("--rules")
            .arg(r.join("examples/rules"))
            .arg("--playbooks")
            .arg(r.join("examples/playbooks"))
            .arg("--incidents")
            .arg(r.join("examples/incidents/4114-ransomware-shadow-copies.json"))
            .args(["--now", NOW, "--infer-mocks"])
            .args(extra);
        run(&mut cmd)
    };
    let (code, _, stderr) = base(&["--out", "o.json", "--no-history"]);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "1 incident(s) processed, 1 changed, 13 change(s); 2 playbook run(s): 2 succeeded, 0 failed, 5 call(s) answered by inferred mocks\n")
    );
    let (code, stdout, _) = base(&["--dry-run"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("run_playbook: Contain-Compromised (Succeeded; 4 call(s) answered by inferred mocks: Confirm_compromised, Require_MFA, Find_machine, Isolate)"),
        "{stdout}"
    );
}

#[test]
fn test_answers_calls_from_inferred_mocks_with_the_flag() {
    let (code, stdout, stderr) =
        run(soar().current_dir(root()).args(["test", "tests/fixtures/infer-mocks", "--infer-mocks"]));
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.ends_with("1 passed, 0 failed; 1 call(s) answered by inferred mocks\n"), "{stdout}");
    // Without it the call is not run: no ticket number.
    let (code, stdout, _) = run(soar().current_dir(root()).args(["test", "tests/fixtures/infer-mocks"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("tags: missing [SNOW:<body.result.number>]"), "{stdout}");
    // Where no test names playbooks, the flag has nothing to answer, and says so.
    let (code, _, stderr) =
        run(soar().current_dir(root()).args(["test", "examples/tests/tag-by-tactic.yaml", "--infer-mocks"]));
    assert_eq!((code, stderr.as_str()), (0, "warning: --infer-mocks is not used: no test file names playbooks\n"));
}
