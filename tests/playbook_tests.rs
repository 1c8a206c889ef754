//! Playbook tests in test files (issue 12, point 6), end to end: the example playbook tests
//! pass; each option of a playbook test does what it says; rule tests and playbook tests of one
//! file run in the order written; wrong expectations fail with a readable diff (human and JSON);
//! names the playbook does not have are located errors in `test` and `validate` alike, and
//! nothing runs; `--coverage` counts the actions playbook tests ran.

use serde_json::Value;

use crate::common::{self, root, soar};

const FIXTURES: &str = "tests/fixtures/playbook-tests";

/// The binary from the crate root with `args`.
fn run(args: &[&str]) -> (i32, String, String) {
    common::run(soar().current_dir(root()).args(args))
}

#[test]
fn the_example_playbook_tests_pass() {
    let (code, stdout, stderr) = run(&["test", "examples/tests/playbooks.yaml"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "running 3 tests
test examples/tests/playbooks.yaml::VirusTotal flags the C2 address and the incident is escalated ... ok
test examples/tests/playbooks.yaml::the SOC channel hears of the password spray ... ok
test examples/tests/playbooks.yaml::an ignored approval blocks nothing ... ok

3 passed, 0 failed
"
    );
}

#[test]
fn each_option_of_a_playbook_test_is_used() {
    let (code, stdout, stderr) = run(&["test", &format!("{FIXTURES}/features.yaml")]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.ends_with("\n5 passed, 0 failed; 1 call(s) answered by inferred mocks\n"), "{stdout}");
    // `--infer-mocks` on the command line answers every playbook test's unmocked calls too.
    let (code, stdout, _) = run(&["test", &format!("{FIXTURES}/features.yaml"), "--infer-mocks"]);
    assert_eq!(code, 1, "the strict test now gets an answer: {stdout}");
    assert!(stdout.contains("    actions: Create_ticket: expected Failed, got Succeeded\n"), "{stdout}");
    // `--watchlist` answers the tests that give none.
    let watchlist = "BadIPs=tests/fixtures/playbooks/watchlists/bad-ips.csv";
    let (code, stdout, _) = run(&["test", &format!("{FIXTURES}/features.yaml"), "--watchlist", watchlist]);
    assert_eq!(code, 1);
    assert!(stdout.contains("    run: expected Failed, got Succeeded\n"), "{stdout}");
}

#[test]
fn rule_tests_and_playbook_tests_run_in_the_order_written() {
    let (code, stdout, stderr) = run(&["test", &format!("{FIXTURES}/mixed.yaml")]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let order: Vec<&str> = stdout.lines().filter_map(|l| l.strip_prefix("test ")).collect();
    assert_eq!(
        order,
        [
            "tests/fixtures/playbook-tests/mixed.yaml::a rule test ... ok",
            "tests/fixtures/playbook-tests/mixed.yaml::a playbook test ... ok",
            "tests/fixtures/playbook-tests/mixed.yaml::another rule test ... ok",
        ]
    );
}

#[test]
fn wrong_expectations_fail_with_a_diff() {
    let (code, stdout, stderr) = run(&["test", &format!("{FIXTURES}/wrong-expectations.yaml")]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    insta::assert_snapshot!("wrong_expectations", stdout);
    assert!(stdout.ends_with("\n1 passed, 2 failed\n"));
}

#[test]
fn a_call_whose_inputs_differ_is_a_mismatch_in_json_too() {
    let (code, stdout, _) = run(&["test", "--format", "json", &format!("{FIXTURES}/wrong-expectations.yaml")]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let first = &doc["tests"][0];
    assert_eq!(
        (first["name"].as_str(), first["result"].as_str()),
        (Some("the Teams message names the wrong incident"), Some("failed"))
    );
    let m = &first["mismatches"][0];
    assert_eq!((m["key"].as_str(), m["line"].as_u64(), m["column"].as_u64()), (Some("calls"), Some(10), Some(11)));
    assert_eq!(m["expected"]["action"], "Notify_SOC");
    assert_eq!(m["expected"]["inputs"]["body"]["body"]["content"]["contains"], "Incident 4112");
    let got = m["actual"][0]["body"]["body"]["content"].as_str().unwrap();
    assert!(got.starts_with("<p>Incident 4111 (Medium)"), "{got}");
    assert_eq!(
        m["message"],
        "Notify_SOC was called, but not with these inputs:\nbody.body.content: expected a text containing \"Incident 4112\", got \"<p>Incident 4111 (Medium): Mailbox forwarding rule to external address. Approval requested from soc-leads@contoso.com.</p>\""
    );
    // JUnit carries the same diff lines.
    let (_, xml, _) = run(&["test", "--format", "junit", &format!("{FIXTURES}/wrong-expectations.yaml")]);
    assert!(xml.contains("calls: Notify_SOC was called, but not with these inputs:\n    body.body.content: expected a text containing &quot;Incident 4112&quot;"), "{xml}");
}

#[test]
fn unknown_names_are_located_errors_in_test_and_validate_and_nothing_runs() {
    let path = format!("{FIXTURES}/invalid.yaml");
    let (code, stdout, stderr) = run(&["test", &path]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("invalid_diagnostics", stderr);
    // validate reports the same, from the same checks.
    let (code, stdout, _) = run(&["validate", &path, "--format", "json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}:{}", d["code"].as_str().unwrap(), d["line"], d["column"]))
        .collect();
    assert_eq!(
        found,
        ["ST008 10:18", "ST008 11:15", "ST008 11:33", "ST008 12:18", "ST009 15:15", "ST009 21:12", "ST005 22:31"]
    );
}

#[test]
fn structural_problems_of_a_playbook_test_are_decoder_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.yaml");
    common::write(
        &file,
        "tests:
  - name: T
    playbook: P
    incident: i.json
    trigger: updated
    mocks: [{ match: { action: X }, outputz: {} }]
    infer_mocks: sometimes
    expect: { fired: [R], run: Done, actions: { X: Finished }, calls: { action: X } }
  - name: no start
    playbook: P
    expect: { run: Succeeded }
",
    );
    let (code, stdout, stderr) = common::run(soar().arg("test").arg(&file));
    assert_eq!((code, stdout.as_str()), (2, ""));
    let codes: Vec<&str> = stderr.lines().filter_map(|l| l.strip_prefix("error[")).map(|l| &l[..5]).collect();
    // trigger (ST005), outputz (PB023), infer_mocks (SR005), fired (ST005), run (SR011),
    // X: Finished (SR011), calls not a list (SR005), no incident nor alert (ST005); and no
    // "missing `rules`": a file of playbook tests needs none. In the same run, what the tests
    // name is checked too: playbook P (ST009, twice) and the incident file (ST001).
    assert_eq!(
        codes,
        ["ST009", "ST001", "ST005", "PB023", "SR005", "ST005", "SR011", "SR011", "SR005", "ST005", "ST009"],
        "{stderr}"
    );
    assert!(stderr.contains(&format!("{}:5:5", file.display())), "{stderr}");
    assert!(stderr.contains("`fired` checks the rules; a playbook test runs no rules"), "{stderr}");
}

/// `error[CODE]` and `--> FILE:LINE:COL` lines of `stderr`, with `dir/` left out and the
/// crate root written `<root>`.
fn located(stderr: &str, dir: &std::path::Path) -> Vec<String> {
    let prefix = format!("{}/", dir.display());
    stderr
        .lines()
        .filter(|l| l.starts_with("error[") || l.contains("--> "))
        .map(|l| l.replace(&prefix, "").replace(&root().display().to_string(), "<root>").trim_start().to_owned())
        .collect()
}

/// Review 3, item 4, for playbook tests: a playbook test with a structural error still has its
/// playbook, files and action names checked, in `test` and `validate` alike; a missing
/// playbooks path hides nothing but the names it would answer, and a missing mocks path leaves
/// the playbooks loaded for the names.
#[test]
fn every_mistake_of_a_playbook_test_file_is_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let examples = root().join("examples");
    let text = |playbooks: &str| {
        format!(
            "playbooks: {playbooks}
mocks: no-mocks
tests:
  - name: by name
    playbook: Enrich-IP-VirusTotal
    incident: {examples}/incidents
    alert: no-alert.json
    expect: {{ run: Succeded, actions: {{ IP_reprot: Succeeded }} }}
  - name: by file
    playbook: {examples}/playbooks/notify-teams-on-alert.yaml
    alert: {examples}/alerts/password-spray-vpn.json
    watchlists: {{ vips: no-vips.csv }}
    expect: {{ calls: [Post_to_SOC], status: Closed }}
",
            examples = examples.display()
        )
    };
    let file = dir.path().join("t.yaml");
    // The playbooks path is missing: `Enrich-IP-VirusTotal` cannot be looked up, the rest is
    // checked.
    common::write(&file, &text("no-playbooks"));
    let (code, stdout, stderr) = common::run(soar().arg("test").arg(&file));
    assert_eq!((code, stdout.as_str()), (2, ""));
    let found = located(&stderr, dir.path());
    insta::assert_snapshot!("rounds_playbooks_missing", found.join("\n"));
    let (code, stdout, _) = common::run(soar().arg("validate").arg(&file));
    assert_eq!(code, 1);
    assert_eq!(located(&stdout, dir.path()), found);
    // The playbooks are there, the mocks are not: the names are checked against the playbooks.
    common::write(&file, &text(&examples.join("playbooks").display().to_string()));
    let (code, stdout, stderr) = common::run(soar().arg("test").arg(&file));
    assert_eq!((code, stdout.as_str()), (2, ""));
    let found = located(&stderr, dir.path());
    insta::assert_snapshot!("rounds_playbooks_found", found.join("\n"));
    let (_, stdout, _) = common::run(soar().arg("validate").arg(&file));
    assert_eq!(located(&stdout, dir.path()), found);
}

#[test]
fn coverage_counts_the_actions_playbook_tests_ran() {
    let (code, stdout, _) = run(&["test", &format!("{FIXTURES}/features.yaml"), "--coverage"]);
    assert_eq!(code, 0);
    let report = stdout.split_once(" by inferred mocks\n\n").unwrap().1;
    assert!(report.starts_with("coverage: "), "{report}");
    assert!(
        report.contains(
            "tests/fixtures/playbook-tests/check-bad-ips.yaml: 100.0% (2 of 2)
     6  playbook `Check-Bad-IPs`: ran 2 times
     6    Bad_IPs (ApiConnection): ran 2 times
    11    Known (Compose): ran once
"
        ),
        "{report}"
    );
}
