//! `apply --playbooks`: the playbooks that `run_playbook` actions name run on the incident
//! through the real binary — their changes in the output and the audit log, Sentinel's pacing
//! of the rule's next action on the simulated clock, the run history, permissions, the checks
//! of the rules' references, redaction, and determinism across job counts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use std::path::Path;

use common::{read, root, run, soar, write, NOW};
use serde_json::Value;

/// `apply` in `dir` with the example rules, playbooks and mocks, plus `extra`.
fn apply(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let r = root();
    let mut cmd = soar();
    cmd.current_dir(dir)
        .arg("apply")
        .arg("--rules")
        .arg(r.join("examples/rules"))
        .arg("--playbooks")
        .arg(r.join("examples/playbooks"))
        .arg("--mocks")
        .arg(r.join("examples/mocks"))
        .args(["--now", NOW])
        .args(extra);
    run(&mut cmd)
}

fn incident(name: &str) -> String {
    root().join("examples/incidents").join(name).display().to_string()
}

fn audit_rows(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// (time, source, rule order, playbook, step, action, property, to) of each audit record.
fn timeline(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            let s = |k: &str| match &r[k] {
                Value::Null => "-".to_owned(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!(
                "{} {} {} {} {} {} {}",
                s("time"),
                s("source"),
                s("ruleOrder"),
                s("step"),
                s("action"),
                s("property"),
                s("modifiedBy")
            )
        })
        .collect()
}

#[test]
fn the_playbook_changes_land_and_the_next_action_waits_as_sentinel_paces_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ransomware = incident("4114-ransomware-shadow-copies.json");
    let (code, _, stderr) =
        apply(tmp.path(), &["--incidents", &ransomware, "--out", "out.json", "--audit", "audit.jsonl"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr, "1 incident(s) processed, 1 changed, 13 change(s); 2 playbook run(s): 2 succeeded, 0 failed\n");
    let rows = audit_rows(&read(tmp.path().join("audit.jsonl")));
    // ServiceNow-Sync starts at 00:00:00 and takes 2 s (its mock's duration): the rule's next
    // action (add_tags) waits 10 s after it ended. Contain-Compromised starts then, takes 5 s,
    // and the rule's add_tags waits until 00:00:27. The update rule runs after the queue.
    insta::assert_snapshot!("ransomware_timeline", timeline(&rows).join("\n"));
    let out: Value = serde_json::from_str(&read(tmp.path().join("out.json"))).unwrap();
    let props = &out["properties"];
    assert_eq!(props["status"], "Active");
    assert_eq!(props["owner"]["email"], "soc-oncall@contoso.com");
    assert_eq!(props["lastModifiedTimeUtc"], "2026-06-01T00:00:27Z");
    let labels: Vec<&str> =
        props["labels"].as_array().unwrap().iter().map(|l| l["labelName"].as_str().unwrap()).collect();
    assert!(labels.contains(&"SNOW:INC0010077") && labels.contains(&"contained"), "{labels:?}");
    // Every playbook change names the rule that ran the playbook and the playbook.
    for row in rows.iter().filter(|r| r["source"] == "playbook") {
        assert_eq!(row["modifiedBy"], format!("Playbook - {}", row["playbook"].as_str().unwrap()));
        assert!(row["rule"].is_string() && row["ruleOrder"].is_number(), "{row}");
    }
}

#[test]
fn runs_are_recorded_in_the_history_unless_dry_run_or_no_history() {
    let tmp = tempfile::tempdir().unwrap();
    let ransomware = incident("4114-ransomware-shadow-copies.json");
    let (code, _, _) = apply(tmp.path(), &["--incidents", &ransomware, "--dry-run"]);
    assert_eq!(code, 0);
    assert!(!tmp.path().join(".sentinel-soar").exists(), "a dry run records nothing");
    let (code, _, _) = apply(tmp.path(), &["--incidents", &ransomware, "--out", "out.json", "--no-history"]);
    assert_eq!(code, 0);
    assert!(!tmp.path().join(".sentinel-soar").exists(), "--no-history records nothing");
    let (code, _, _) = apply(tmp.path(), &["--incidents", &ransomware, "--out", "out.json", "--state-dir", "state"]);
    assert_eq!(code, 0);
    let (code, stdout, stderr) =
        run(soar().current_dir(tmp.path()).args(["runs", "list", "--state-dir", "state", "--format", "json"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let runs: Vec<(&str, &str, i64, &str)> = doc["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["playbook"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
                r["incidentNumber"].as_i64().unwrap(),
                r["startTime"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        runs,
        [
            ("ServiceNow-Sync", "Succeeded", 4114, "2026-06-01T00:00:00Z"),
            ("Contain-Compromised", "Succeeded", 4114, "2026-06-01T00:00:12Z"),
        ]
    );
    // The same run again replaces its records (run ids are a function of the inputs).
    apply(tmp.path(), &["--incidents", &ransomware, "--out", "out.json", "--state-dir", "state"]);
    assert_eq!(common::recorded_runs(&tmp.path().join("state")).len(), 2);
    // One store, not a file per run.
    let files: Vec<String> = std::fs::read_dir(tmp.path().join("state"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["history.sqlite"]);
}

#[test]
fn the_dry_run_shows_each_run_and_the_playbooks_changes() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) =
        apply(tmp.path(), &["--incidents", &incident("4111-forwarding-to-gmail.json"), "--dry-run"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("dry_run_4111", stdout);
    let (code, stdout, _) = apply(
        tmp.path(),
        &["--incidents", &incident("4111-forwarding-to-gmail.json"), "--dry-run", "--format", "json"],
    );
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let run = &doc["incidents"][0]["playbookRuns"][0];
    assert_eq!(run["playbook"], "Approve-Block-IP");
    assert_eq!(run["rule"], "Ask to block personal-mail exfiltration");
    assert_eq!(run["status"], "Succeeded");
    // The approval mail's mock takes 12 minutes of simulated time.
    assert_eq!((run["start"].as_str(), run["end"].as_str()), (Some(NOW), Some("2026-06-01T00:12:02Z")));
}

#[test]
fn the_outputs_do_not_depend_on_the_job_count() {
    let tmp = tempfile::tempdir().unwrap();
    let incidents = root().join("examples/incidents").display().to_string();
    let mut seen = Vec::new();
    for jobs in ["1", "3"] {
        let out = format!("out-{jobs}/");
        let audit = format!("audit-{jobs}.jsonl");
        let state = format!("state-{jobs}");
        let (code, _, stderr) = apply(
            tmp.path(),
            &["--incidents", &incidents, "--out", &out, "--audit", &audit, "--jobs", jobs, "--state-dir", &state],
        );
        assert_eq!(code, 0, "{stderr}");
        seen.push((
            common::listing(&tmp.path().join(&out)),
            read(tmp.path().join(&audit)),
            common::history_dump(&tmp.path().join(&state)),
            stderr,
        ));
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(
        seen[0].3,
        "17 incident(s) processed, 13 changed, 77 change(s); 10 playbook run(s): 10 succeeded, 0 failed\n"
    );
}

#[test]
fn a_playbook_in_a_resource_group_without_permission_is_a_failed_run_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let r = root();
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Comment everything\n    order: 1\n    actions:\n      - run_playbook: Comment-It\n      - add_tags: [after]\n",
    );
    write(
        tmp.path().join("playbook.yaml"),
        "name: Comment-It\nresource_group: rg-elsewhere\ntrigger: incident\nsteps:\n  - sentinel.add_comment: { message: hello }\n",
    );
    write(tmp.path().join("settings.yaml"), "playbook_resource_groups: [rg-soc-playbooks]\n");
    let inc = incident("4105-kerberoasting-dc01.json");
    let base = ["apply", "--rules", "rules.yaml", "--playbooks", "playbook.yaml", "--incidents", &inc, "--now", NOW];
    let (code, stdout, stderr) =
        run(soar().current_dir(tmp.path()).args(base).args(["--settings", "settings.yaml", "--dry-run"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("run_playbook: Comment-It (Failed: Microsoft Sentinel has no permission to run playbooks in resource group 'rg-elsewhere' (permissions are granted for: rg-soc-playbooks))"),
        "{stdout}"
    );
    // The refused run changes nothing and takes no time: the rule goes on at once.
    assert!(!stdout.contains("comments"), "{stdout}");
    let (code, stdout, _) = run(soar().current_dir(tmp.path()).args(base).args([
        "--settings",
        "settings.yaml",
        "--audit",
        "-",
        "--out",
        "o.json",
    ]));
    assert_eq!(code, 0);
    let rows = audit_rows(&stdout);
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["time"] == NOW));
    // validate warns about it (SR039), with the same reason.
    let (code, stdout, _) = run(soar().current_dir(tmp.path()).args([
        "validate",
        "rules.yaml",
        "playbook.yaml",
        "--settings",
        "settings.yaml",
    ]));
    assert_eq!(code, 0);
    assert!(
        stdout.contains(
            "warning[SR039]: Microsoft Sentinel has no permission to run playbooks in resource group 'rg-elsewhere'"
        ),
        "{stdout}"
    );
    // Without the settings file everything is allowed: the comment is made.
    let (code, stdout, _) = run(soar().current_dir(tmp.path()).args(base).arg("--dry-run"));
    assert_eq!(code, 0);
    assert!(
        stdout.contains("run_playbook: Comment-It (Succeeded)") && stdout.contains("comments: + hello"),
        "{stdout}"
    );
    let _ = r;
}

#[test]
fn unknown_and_alert_trigger_playbooks_are_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Enrich\n    order: 1\n    actions:\n      - run_playbook: Enrich-IP-VirusTotl\n  - name: Alert one\n    order: 2\n    actions:\n      - run_playbook: On-Alert\n",
    );
    write(tmp.path().join("alert.yaml"), "name: On-Alert\ntrigger: alert\nsteps:\n  - name: Nothing\n    compose: 1\n");
    let playbooks = root().join("examples/playbooks").display().to_string();
    let inc = incident("4105-kerberoasting-dc01.json");
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        "rules.yaml",
        "--playbooks",
        &playbooks,
        "alert.yaml",
        "--incidents",
        &inc,
        "--now",
        NOW,
        "--out",
        "o.json",
    ]));
    assert_eq!((code, stdout.as_str()), (1, ""));
    insta::assert_snapshot!("refused_references", stderr);
    assert!(!tmp.path().join("o.json").exists());
}

#[test]
fn a_secret_value_never_reaches_the_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Page\n    order: 1\n    actions:\n      - run_playbook: Page-OnCall-PagerDuty\n",
    );
    let r = root();
    let secret = "pd-routing-S3CR3T-0042";
    let inc = incident("4109-vip-impossible-travel-ipv6.json");
    let (code, stdout, stderr) = run(soar()
        .current_dir(tmp.path())
        .env("PAGERDUTY_ROUTING_KEY", secret)
        .arg("apply")
        .args(["--rules", "rules.yaml", "--playbooks"])
        .arg(r.join("examples/playbooks/page-oncall-pagerduty.yaml"))
        .arg("--mocks")
        .arg(r.join("examples/mocks/page-oncall-pagerduty.yaml"))
        .args(["--incidents", &inc, "--now", NOW, "--out", "o.json", "--audit", "a.jsonl"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 playbook run(s): 1 succeeded"), "{stderr}");
    let mut everything = stdout + &stderr;
    for (path, bytes) in common::listing(tmp.path()) {
        everything.push_str(&format!("{}\n{}\n", path.display(), String::from_utf8_lossy(&bytes)));
    }
    // The history stores run logs compressed: read the run back as `runs show` gives it.
    let (code, listed, _) = run(soar().current_dir(tmp.path()).args(["runs", "list", "--format", "json"]));
    let listed: Value = serde_json::from_str(&listed).unwrap();
    let id = listed["runs"][0]["runId"].as_str().unwrap_or_default();
    let (shown, logged, _) = run(soar().current_dir(tmp.path()).args(["runs", "show", id, "--format", "json"]));
    assert_eq!((code, shown), (0, 0), "{id}");
    everything.push_str(&logged);
    assert!(logged.contains("events.pagerduty.com"), "the run log is in the history");
    assert!(!everything.contains(secret));
}

#[test]
fn validate_checks_who_attaches_playbooks_and_what_they_name() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Ticket\n    order: 1\n    actions:\n      - run_playbook: ServiceNow-Sync\n",
    );
    write(
        tmp.path().join("settings.yaml"),
        "roles:\n  ada@contoso.com: [Microsoft Sentinel Contributor]\n  rui@contoso.com: [Microsoft Sentinel Responder]\n",
    );
    let playbooks = root().join("examples/playbooks").display().to_string();
    let validate = |extra: &[&str]| {
        run(soar().current_dir(tmp.path()).args(["validate", "rules.yaml", "--playbooks", &playbooks]).args(extra))
    };
    assert_eq!(validate(&[]).0, 0);
    assert_eq!(validate(&["--settings", "settings.yaml", "--as", "ada@contoso.com"]).0, 0);
    let (code, stdout, _) = validate(&["--settings", "settings.yaml", "--as", "rui@contoso.com"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("attach_refused", stdout);
    // Without playbooks to check against, a name cannot be judged: nothing is reported.
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Ticket\n    order: 1\n    actions:\n      - run_playbook: No-Such-Playbook\n",
    );
    let (code, _, _) = run(soar().current_dir(tmp.path()).args(["validate", "rules.yaml"]));
    assert_eq!(code, 0);
    let (code, stdout, _) = validate(&["--format", "json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["code"], "SR026");
}

#[test]
fn explain_runs_the_playbooks_too_so_later_rules_are_explained_as_apply_runs_them() {
    let r = root();
    let (code, stdout, stderr) = run(soar().current_dir(&r).args([
        "explain",
        "--rules",
        "examples/rules",
        "--incident",
        "examples/incidents/4114-ransomware-shadow-copies.json",
        "--now",
        NOW,
        "--playbooks",
        "examples/playbooks",
        "--mocks",
        "examples/mocks",
        "--rule",
        "Contain ransomware",
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("explain_4114_contain", stdout);
}

#[test]
fn validate_checks_settings_and_logic_apps_files_among_the_rules() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Enrich\n    order: 1\n    actions:\n      - run_playbook: AbuseIPDB-EnrichIncidentByIPInfo\n",
    );
    write(
        tmp.path().join("settings.yaml"),
        "roles:\n  ada: Microsoft Sentinel Contributor\nplaybook_resource_group: [rg]\n",
    );
    let template = r#"{
  "resources": [
    {
      "type": "Microsoft.Logic/workflows",
      "name": "AbuseIPDB-EnrichIncidentByIPInfo",
      "properties": {
        "state": "Disabled",
        "definition": {
          "triggers": { "Microsoft_Sentinel_incident": { "type": "ApiConnectionWebhook",
            "inputs": { "host": { "connection": { "name": "@parameters('$connections')['azuresentinel']['connectionId']" } },
                        "path": "/incident-creation" } } },
          "actions": { "Compose": { "type": "Compose", "inputs": "@variables('Nope')", "runAfter": {} } }
        },
        "parameters": { "$connections": { "value": { "azuresentinel": {
          "id": "/subscriptions/s/providers/Microsoft.Web/locations/l/managedApis/azuresentinel" } } } }
      }
    }
  ]
}
"#;
    write(tmp.path().join("playbook.json"), template);
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args(["validate", "."]));
    assert_eq!((code, stderr.as_str()), (1, ""));
    insta::assert_snapshot!("validate_settings_and_logic_apps", stdout);
}

#[test]
fn validate_checks_a_settings_file_with_misspelt_keys_as_settings() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path().join("s2.yaml"), "rolez:\n  ada: [Microsoft Sentinel Responder]\nplaybook_resource_group: [rg]\n");
    let (code, stdout, stderr) = run(soar().current_dir(tmp.path()).args(["validate", "s2.yaml"]));
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(
        stdout,
        "error[PB026]: unknown key `rolez` in a settings file
 --> s2.yaml:1:1
  |
1 | rolez:
  | ^^^^^ unknown key
  |
  = help: did you mean `roles`?

error[PB026]: unknown key `playbook_resource_group` in a settings file
 --> s2.yaml:3:1
  |
3 | playbook_resource_group: [rg]
  | ^^^^^^^^^^^^^^^^^^^^^^^ unknown key
  |
  = help: did you mean `playbook_resource_groups`?

1 settings file checked: 2 errors, 0 warnings
"
    );
}

#[test]
fn alert_rules_run_alert_trigger_playbooks_on_the_alert() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Notify on alerts\n    order: 1\n    trigger: { on: alerts, when: created }\n    actions:\n      - run_playbook: Notify-Teams-On-Alert\n",
    );
    let alert = root().join("examples/alerts/password-spray-vpn.json").display().to_string();
    let r = root();
    let mut cmd = soar();
    cmd.current_dir(tmp.path())
        .args(["apply", "--rules", "rules.yaml", "--alerts", &alert, "--playbooks"])
        .arg(r.join("examples/playbooks"))
        .arg("--mocks")
        .arg(r.join("examples/mocks"))
        .args(["--now", NOW, "--audit", "audit.jsonl", "--state-dir", "state"]);
    let (code, _, stderr) = run(&mut cmd);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "1 alert(s) processed, 1 playbook run(s) requested; 1 playbook run(s): 1 succeeded, 0 failed\n")
    );
    let (code, stdout, _) =
        run(soar().current_dir(tmp.path()).args(["runs", "list", "--state-dir", "state", "--format", "json"]));
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["playbook"], "Notify-Teams-On-Alert");
    assert_eq!(runs[0]["incident"], "8e2d4f61-3a7b-4c95-b0d8-6f1e2a9c7b43", "the alert's name");
    // The Teams post carried the alert's display name, from the alert trigger's payload.
    let (_, shown, _) = run(soar().current_dir(tmp.path()).args([
        "runs",
        "show",
        runs[0]["runId"].as_str().unwrap(),
        "--state-dir",
        "state",
        "--format",
        "json",
    ]));
    assert!(shown.contains("Password spray against the VPN gateway"), "{shown}");
}

#[test]
fn unmocked_calls_and_mock_typos_do_not_pass_unnoticed() {
    let tmp = tempfile::tempdir().unwrap();
    let r = root();
    // The containment playbook without its mocks: the run succeeds, but says which calls ran
    // against nothing, in the dry run and in the closing line.
    std::fs::create_dir(tmp.path().join("mocks")).unwrap();
    for name in ["servicenow-sync.yaml", "enrich-ip-virustotal.yaml"] {
        std::fs::copy(r.join("examples/mocks").join(name), tmp.path().join("mocks").join(name)).unwrap();
    }
    let base = |extra: &[&str]| {
        let mut cmd = soar();
        cmd.current_dir(tmp.path())
            .arg("apply")
            .arg("--rules")
            .arg(r.join("examples/rules"))
            .arg("--playbooks")
            .arg(r.join("examples/playbooks"))
            .args(["--mocks", "mocks", "--incidents", &incident("4114-ransomware-shadow-copies.json"), "--now", NOW])
            .args(extra);
        run(&mut cmd)
    };
    let (code, stdout, _) = base(&["--dry-run"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("run_playbook: Contain-Compromised (Succeeded; 4 call(s) not mocked: Confirm_compromised, Require_MFA, Find_machine, Isolate)"),
        "{stdout}"
    );
    let (code, _, stderr) = base(&["--out", "o.json", "--no-history"]);
    assert_eq!(
        (code, stderr.as_str()),
        (0, "1 incident(s) processed, 1 changed, 13 change(s); 2 playbook run(s): 2 succeeded, 0 failed, 4 call(s) not mocked\n")
    );
    // With --strict-mocks the run fails, and is recorded apart from the lenient one.
    let (code, stdout, _) = base(&["--dry-run", "--strict-mocks"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("run_playbook: Contain-Compromised (Failed: "), "{stdout}");
    base(&["--out", "o.json", "--state-dir", "s"]);
    base(&["--out", "o.json", "--state-dir", "s", "--strict-mocks"]);
    assert_eq!(common::recorded_runs(&tmp.path().join("s")).len(), 4);
    // A typo in a mock's outputs is an error, not an answer without a body.
    write(
        tmp.path().join("mocks/servicenow-sync.yaml"),
        "mocks:\n  - match: { connector: service-now, method: post }\n    outputs: { statusCode: 201, bdy: { result: { number: INC1 } } }\n",
    );
    let (code, _, stderr) = base(&["--dry-run"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error[PB023]: unknown key `bdy` in a mock's `outputs`\n")
            && stderr.contains("= help: did you mean `body`?"),
        "{stderr}"
    );
    assert!(stderr.contains("--> mocks/servicenow-sync.yaml:3:33"), "{stderr}");
}

#[test]
fn a_test_file_names_its_playbook_and_mocks_paths_where_they_are_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    let ex = root().join("examples").display().to_string();
    let text = format!(
        "rules: {ex}/rules\nplaybooks: {ex}/playbooks\nmocks: {ex}/mockz\ntests:\n  - name: t\n    incident: {ex}/incidents/4104-crypto-mining-dev-vm.json\n    expect: {{ playbooks: [] }}\n"
    );
    write(tmp.path().join("t.yaml"), &text);
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args(["test", "t.yaml"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("error[ST001]: mocks path {ex}/mockz does not exist\n --> t.yaml:3:8")),
        "{stderr}"
    );
    write(tmp.path().join("t.yaml"), &text.replace(&format!("playbooks: {ex}/playbooks\n"), ""));
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args(["test", "t.yaml"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("error[ST005]: `mocks` without `playbooks`"), "{stderr}");
}

#[test]
fn the_dry_run_names_each_unmocked_call_once_with_its_count() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path().join("rules.yaml"),
        "rules:\n  - name: Enrich\n    order: 1\n    actions:\n      - run_playbook: Enrich-IP-VirusTotal\n",
    );
    // No mocks: the VirusTotal call of each of the two iterations is not run (and the verdict
    // check after it fails on the empty answer). No VirusTotal key either: the run has a
    // warning. The closing line counts all of it, as the real run's does.
    let dry_run = |extra: &[&str]| {
        run(soar()
            .env_remove("VT_API_KEY")
            .current_dir(tmp.path())
            .arg("apply")
            .args(["--rules", "rules.yaml", "--playbooks"])
            .arg(root().join("examples/playbooks/enrich-ip-virustotal.yaml"))
            .args(["--incidents", &incident("4102-c2-beacon-from-redteam-range.json"), "--now", NOW, "--dry-run"])
            .args(extra))
    };
    let (code, stdout, _) = dry_run(&[]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("; 2 call(s) not mocked: IP_report (x2); "), "{stdout}");
    assert!(
        stdout.ends_with(
            "1 incident(s), 1 would change, 1 change(s); 1 playbook run(s): 0 succeeded, 1 failed, \
             2 call(s) not mocked, 1 run(s) with warnings; dry run: nothing was written\n"
        ),
        "{stdout}"
    );
    let (code, stdout, _) = dry_run(&["--format", "json"]);
    assert_eq!(code, 0);
    let summary = &serde_json::from_str::<Value>(&stdout).unwrap()["summary"];
    assert_eq!(
        summary,
        &serde_json::json!({"incidents": 1, "changed": 1, "changes": 1, "playbookRuns": 1, "playbookRunsFailed": 1,
            "playbookCallsNotMocked": 2, "playbookRunsWithWarnings": 1})
    );
}
