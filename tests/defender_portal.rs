//! `--portal defender` (issue 14): one test per row of the table in docs/defender-portal.md
//! that the tool applies, each run under both portals so that the difference is the portal's.
//! Source of every row: Microsoft Learn, "Automation in Microsoft Sentinel", section
//! "Automation in the Microsoft Defender portal"
//! (https://learn.microsoft.com/en-us/azure/sentinel/automation/automation).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{self, root, soar, NOW};

const DIR: &str = "tests/fixtures/defender";
const CODES: &str = "tests/fixtures/codes";

/// The rules fired on each incident (or alert) of an `apply --dry-run --format json`.
fn fired(args: &[&str], portal: &str) -> BTreeMap<String, Vec<String>> {
    let (code, stdout, stderr) = common::run(soar().current_dir(root()).arg("apply").args(args).args([
        "--now",
        NOW,
        "--dry-run",
        "--format",
        "json",
        "--portal",
        portal,
    ]));
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let rules = i["fired"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned());
            (i["incident"].as_str().unwrap().to_owned(), rules.collect())
        })
        .collect()
}

fn rules_on_incidents(portal: &str) -> BTreeMap<String, Vec<String>> {
    fired(&["--rules", &format!("{DIR}/rules.yaml"), "--incidents", &format!("{DIR}/incidents.json")], portal)
}

/// `validate PATH --portal PORTAL`: exit code and the `code: message` of each finding.
fn validate(path: &str, portal: &str) -> (i32, Vec<String>) {
    let (code, stdout, _) = common::run(
        soar().current_dir(root()).args(["validate", path, "--now", NOW, "--format", "json", "--portal", portal]),
    );
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let found = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}: {}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    (code, found)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn row_incident_provider_condition_is_an_error_in_validate() {
    let path = format!("{CODES}/SR041-defender-provider.yaml");
    assert_eq!(
        validate(&path, "defender"),
        (1, strings(&["error SR041: the Incident provider condition is removed once the workspace is onboarded to the Defender portal"]))
    );
    assert_eq!(validate(&path, "azure"), (0, Vec::new()));
}

#[test]
fn row_incident_provider_condition_is_removed_when_rules_run() {
    // Azure portal: the provider leaf is evaluated; the High incident comes from Microsoft XDR.
    let azure = rules_on_incidents("azure");
    assert_eq!(azure["xdr-high"][..1], strings(&["Sentinel incidents or High ones"]));
    assert!(!azure["xdr-high"].contains(&"High Sentinel incidents".to_owned()));
    assert_eq!(azure["sentinel-low"][..1], strings(&["Sentinel incidents or High ones"]));
    // Defender portal: the leaf is gone. `all` keeps its other condition (the High incident, of
    // any provider, fires); `any` keeps its other condition too (the Low incident no longer
    // fires through the provider).
    let defender = rules_on_incidents("defender");
    assert_eq!(defender["xdr-high"][..2], strings(&["High Sentinel incidents", "Sentinel incidents or High ones"]));
    assert!(!defender["sentinel-low"].iter().any(|r| r.contains("Sentinel incidents")));
}

#[test]
fn row_incident_provider_name_is_microsoft_xdr_for_playbooks() {
    let run = |portal: &str| -> Vec<(String, String, Vec<String>)> {
        let (code, stdout, stderr) = common::run(soar().current_dir(root()).args([
            "apply",
            "--rules",
            &format!("{DIR}/provider-rules.yaml"),
            "--playbooks",
            &format!("{DIR}/provider-playbook.yaml"),
            "--no-history",
            "--incidents",
            &format!("{DIR}/incidents.json"),
            "--now",
            NOW,
            "--portal",
            portal,
        ]));
        assert_eq!(code, 0, "{stderr}");
        let incidents: Value = serde_json::from_str(&stdout).unwrap();
        let props = |i: &Value| {
            let p = &i["properties"];
            let labels = p["labels"].as_array().unwrap().iter().map(|l| l["labelName"].as_str().unwrap().to_owned());
            (i["name"].as_str().unwrap().to_owned(), p["providerName"].as_str().unwrap().to_owned(), labels.collect())
        };
        incidents.as_array().unwrap().iter().map(props).collect()
    };
    let row = |name: &str, provider: &str, tag: &str| (name.to_owned(), provider.to_owned(), vec![tag.to_owned()]);
    assert_eq!(
        run("azure"),
        [
            row("sentinel-low", "Azure Sentinel", "provider:Azure Sentinel"),
            row("xdr-high", "Microsoft XDR", "provider:Microsoft XDR")
        ]
    );
    // The playbook reads Microsoft XDR; the incident written keeps the provider it was given.
    assert_eq!(
        run("defender"),
        [
            row("sentinel-low", "Azure Sentinel", "provider:Microsoft XDR"),
            row("xdr-high", "Microsoft XDR", "provider:Microsoft XDR")
        ]
    );
}

#[test]
fn row_description_is_absent_for_creation_rules() {
    let path = format!("{CODES}/SR042-defender-description.yaml");
    assert_eq!(
        validate(&path, "defender"),
        (0, strings(&["warning SR042: incidents have no description when creation rules run in the Defender portal"]))
    );
    // Azure portal: the description "ransomware note found on a share" is read.
    let azure = rules_on_incidents("azure");
    assert!(azure["sentinel-low"].contains(&"Ransomware in the description".to_owned()));
    assert!(!azure["sentinel-low"].contains(&"No ransomware in the description".to_owned()));
    // Defender portal: a creation rule reads no description, so Contains fails and NotContains
    // holds; the update rule still reads it (the documented difference is for creation rules).
    let defender = rules_on_incidents("defender");
    assert_eq!(
        defender["sentinel-low"],
        strings(&["No ransomware in the description", "Ransomware in the description on update"])
    );
}

#[test]
fn row_alert_trigger_rules_act_only_on_sentinel_alerts() {
    let args = ["--rules", &format!("{DIR}/alert-rules.yaml"), "--alerts", &format!("{DIR}/alerts.json")];
    let both = strings(&["Notify on every alert"]);
    let azure = fired(&args, "azure");
    assert_eq!((&azure["sentinel-alert"], &azure["mde-alert"]), (&both, &both));
    let defender = fired(&args, "defender");
    assert_eq!((&defender["sentinel-alert"], &defender["mde-alert"]), (&both, &Vec::new()));
    let (code, _, stderr) =
        common::run(soar().current_dir(root()).arg("apply").args(args).args(["--now", NOW, "--portal", "defender"]));
    assert_eq!(
        (code, stderr.as_str()),
        (
            0,
            "note: 1 alert(s) are not Microsoft Sentinel alerts: in the Defender portal, alert-trigger rules act only on Sentinel alerts, so no rule ran on them (--portal defender)\n2 alert(s) processed, 1 playbook run(s) requested\n"
        )
    );
}

#[test]
fn row_updated_by_microsoft_365_defender_reads_as_other() {
    let path = format!("{CODES}/SR043-defender-updated-by.yaml");
    assert_eq!(
        validate(&path, "defender"),
        (
            0,
            strings(&[
                "warning SR043: the Defender portal replaces the updated-by value Microsoft 365 Defender with Other"
            ])
        )
    );
    let tests = format!("{DIR}/tests.yaml");
    let (code, stdout, _) = common::run(soar().current_dir(root()).args(["test", &tests, "--portal", "azure"]));
    assert_eq!((code, stdout.lines().last()), (0, Some("2 passed, 0 failed")));
    // Defender portal: the rule on Microsoft 365 Defender compares Other, so it also fires on
    // an update by any other source.
    let (code, stdout, _) = common::run(soar().current_dir(root()).args(["test", &tests, "--portal", "defender"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "---- tests/fixtures/defender/tests.yaml::an update by another source (line 10) ----\n    fired: unexpected [Updated by Microsoft 365 Defender]\n"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("1 passed, 1 failed\n"));
}

/// Review 3, item 35: a test that fails under the Defender portal says so once, with what the
/// portal changed in the rules the test ran (the notes of `--portal defender`), in human, JSON
/// and JUnit output; a test it changed nothing for says that.
#[test]
fn a_test_failing_under_the_defender_portal_says_what_the_portal_changed() {
    let tests = format!("{DIR}/tests.yaml");
    let (code, stdout, stderr) = common::run(soar().current_dir(root()).args(["test", &tests, "--portal", "defender"]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "---- tests/fixtures/defender/tests.yaml::an update by another source (line 10) ----
    fired: unexpected [Updated by Microsoft 365 Defender]
    note: run with --portal defender (docs/defender-portal.md), which changed what this test ran:
        tests/fixtures/defender/rules.yaml:45:11: rule `Updated by Microsoft 365 Defender`: updated by Microsoft 365 Defender is Other in the Defender portal; compared as Other

failures:
"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.matches("note: ").count(), 1, "{stdout}");
    // The notes of the whole rule set are said once, when the rules are loaded.
    assert_eq!(stderr.lines().filter(|l| l.starts_with("note: ")).count(), 5, "{stderr}");
    let (_, json, _) =
        common::run(soar().current_dir(root()).args(["test", &tests, "--portal", "defender", "--format", "json"]));
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["tests"][0].get("note"), None);
    assert_eq!(
        report["tests"][1]["note"],
        "run with --portal defender (docs/defender-portal.md), which changed what this test ran:\ntests/fixtures/defender/rules.yaml:45:11: rule `Updated by Microsoft 365 Defender`: updated by Microsoft 365 Defender is Other in the Defender portal; compared as Other"
    );
    let (_, xml, _) =
        common::run(soar().current_dir(root()).args(["test", &tests, "--portal", "defender", "--format", "junit"]));
    assert!(xml.contains("\nnote: run with --portal defender (docs/defender-portal.md), which changed what this test ran:\n    tests/fixtures/defender/rules.yaml:45:11"), "{xml}");
}

/// The note lists only the changes to rules of the queues the test ran, the update a test says
/// Microsoft 365 Defender made, and the provider playbooks read; the configuration's
/// `portal = "defender"` gives it as the flag does; under the Azure portal there is none.
#[test]
fn the_portal_note_names_what_the_test_ran() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.yaml");
    common::write(
        &file,
        &format!(
            "rules: {rules}
tests:
  - name: a creation passes the description rules
    incident: {{ title: t, description: ransomware, severity: Low, status: New, providerName: Azure Sentinel }}
    expect: {{ fires: [Ransomware in the description] }}
  - name: an update by Microsoft 365 Defender, expected wrong
    trigger: updated
    updated_by: MicrosoftDefenderXDR
    incident: {{ title: t, description: quiet, severity: Low, status: New }}
    expect: {{ fired: [] }}
  - name: a creation, expected wrong
    incident: {{ title: t, severity: Low, status: New }}
    expect: {{ status: Closed }}
",
            rules = root().join(DIR).join("rules.yaml").display()
        ),
    );
    let config = dir.path().join("sentinel-soar.toml");
    common::write(&config, "portal = \"defender\"\n");
    let path = file.to_str().unwrap();
    let (code, stdout, _) = common::run(soar().args(["test", path, "--config", config.to_str().unwrap()]));
    assert_eq!(code, 1);
    let notes: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("failures:"))
        .filter(|l| l.starts_with("    note: ") || l.starts_with("        "))
        .collect();
    let head = "    note: run with --portal defender (docs/defender-portal.md), which changed what this test ran:";
    let provider = |line: usize, column: usize, rule: &str| {
        format!("        {DIR}/rules.yaml:{line}:{column}: rule `{rule}`: the Incident provider condition is removed in the Defender portal; the rule runs as if it were not there")
    };
    let description = |line: usize, rule: &str| {
        format!("        {DIR}/rules.yaml:{line}:11: rule `{rule}`: a creation rule sees no description in the Defender portal; the condition reads it as absent")
    };
    let updated_by = format!("        {DIR}/rules.yaml:45:11: rule `Updated by Microsoft 365 Defender`: updated by Microsoft 365 Defender is Other in the Defender portal; compared as Other");
    // A creation runs the creation rules, and the update rules once a rule changed the incident.
    let creation = [
        head.to_owned(),
        provider(8, 11, "High Sentinel incidents"),
        provider(16, 13, "Sentinel incidents or High ones"),
        description(24, "Ransomware in the description"),
        description(30, "No ransomware in the description"),
        updated_by.clone(),
    ];
    let update =
        [head.to_owned(), updated_by, "        the test's update by MicrosoftDefenderXDR arrives as Other".to_owned()];
    let expected: Vec<String> = creation.iter().chain(&update).chain(&creation).cloned().collect();
    assert_eq!(notes, expected, "{stdout}");
    // The first test fails only because of the portal: under Azure it passes, and no failure
    // has a note.
    let (code, stdout, _) = common::run(soar().args(["test", path, "--portal", "azure"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("a creation passes the description rules ... ok"), "{stdout}");
    assert!(!stdout.contains("note: "), "{stdout}");
    // A rule set the portal changes nothing in: the note says so.
    let (code, stdout, _) = common::run(soar().current_dir(root()).args([
        "test",
        "tests/fixtures/ruletest-failing/wrong-expectations.yaml",
        "--portal",
        "defender",
    ]));
    assert_eq!(code, 1);
    assert_eq!(
        stdout
            .matches(
                "    note: run with --portal defender (docs/defender-portal.md), which changed nothing this test ran\n"
            )
            .count(),
        3,
        "{stdout}"
    );
    // A failing playbook test on an incident: the playbook reads the provider Microsoft XDR.
    let (code, stdout, _) = common::run(soar().current_dir(root()).args([
        "test",
        "tests/fixtures/playbook-tests/wrong-expectations.yaml",
        "--portal",
        "defender",
    ]));
    assert_eq!(code, 1);
    assert!(
        stdout.contains("    note: run with --portal defender (docs/defender-portal.md), which changed what this test ran:\n        the playbook reads the incident provider Microsoft XDR\n"),
        "{stdout}"
    );
}

#[test]
fn row_incident_titles_may_change_is_a_warning() {
    let path = format!("{CODES}/SR044-defender-title.yaml");
    assert_eq!(
        validate(&path, "defender"),
        (0, strings(&["warning SR044: the Defender portal may rename incidents when it correlates alerts"]))
    );
    assert_eq!(validate(&path, "azure"), (0, Vec::new()));
}

#[test]
fn the_azure_portal_is_the_default_and_changes_nothing() {
    let with_default = common::run(soar().current_dir(root()).args([
        "apply",
        "--rules",
        &format!("{DIR}/rules.yaml"),
        "--incidents",
        &format!("{DIR}/incidents.json"),
        "--now",
        NOW,
    ]));
    let azure = common::run(soar().current_dir(root()).args([
        "apply",
        "--rules",
        &format!("{DIR}/rules.yaml"),
        "--incidents",
        &format!("{DIR}/incidents.json"),
        "--now",
        NOW,
        "--portal",
        "azure",
    ]));
    assert_eq!(with_default, azure);
    assert_eq!(with_default.0, 0);
}

/// The rules `explain --format json` says fired on each incident.
fn explained(dir: &std::path::Path, args: &[&str]) -> BTreeMap<String, Vec<String>> {
    let (code, stdout, stderr) =
        common::run(soar().current_dir(dir).arg("explain").args(args).args(["--now", NOW, "--format", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let fired = i["rules"].as_array().unwrap().iter().filter(|r| r["outcome"] == "fired");
            (
                i["incident"].as_str().unwrap().to_owned(),
                fired.map(|r| r["rule"].as_str().unwrap().to_owned()).collect(),
            )
        })
        .collect()
}

#[test]
fn explain_runs_the_rules_of_the_portal_of_the_flag_or_of_the_configuration_as_apply_does() {
    let rules = format!("{DIR}/rules.yaml");
    let incidents = format!("{DIR}/incidents.json");
    let by_flag = |portal: &str| explained(&root(), &["--rules", &rules, "--incident", &incidents, "--portal", portal]);
    assert_eq!(by_flag("defender"), rules_on_incidents("defender"));
    assert_eq!(by_flag("azure"), rules_on_incidents("azure"));
    assert_ne!(rules_on_incidents("defender"), rules_on_incidents("azure"));
    // `portal = "defender"` in the sentinel-soar.toml of the working directory; `--portal`
    // and `--no-config` override it.
    let repo = tempfile::tempdir().unwrap();
    std::fs::create_dir(repo.path().join(".git")).unwrap();
    std::fs::write(repo.path().join("sentinel-soar.toml"), "portal = \"defender\"\n").unwrap();
    for file in ["rules.yaml", "incidents.json"] {
        std::fs::copy(root().join(DIR).join(file), repo.path().join(file)).unwrap();
    }
    let here = ["--rules", "rules.yaml", "--incident", "incidents.json"];
    assert_eq!(explained(repo.path(), &here), rules_on_incidents("defender"));
    assert_eq!(explained(repo.path(), &[&here[..], &["--portal", "azure"]].concat()), rules_on_incidents("azure"));
    assert_eq!(explained(repo.path(), &[&here[..], &["--no-config"]].concat()), rules_on_incidents("azure"));
    // apply agrees, from the same directory.
    let (code, stdout, stderr) = common::run(soar().current_dir(repo.path()).args([
        "apply",
        "--rules",
        "rules.yaml",
        "--incidents",
        "incidents.json",
        "--now",
        NOW,
        "--dry-run",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("(--portal defender)"), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let fired: Vec<&str> =
        report["incidents"][0]["fired"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(fired, rules_on_incidents("defender")["sentinel-low"]);
}

#[test]
fn rules_list_counts_the_conditions_the_portal_runs() {
    let list = |portal: &str| {
        let (code, stdout, stderr) = common::run(soar().current_dir(root()).args([
            "rules",
            "list",
            &format!("{DIR}/rules.yaml"),
            "--now",
            NOW,
            "--format",
            "json",
            "--portal",
            portal,
        ]));
        assert_eq!(code, 0, "{stderr}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let first = &report["rules"][0];
        (first["name"].as_str().unwrap().to_owned(), first["conditions"].as_u64().unwrap(), stderr)
    };
    let (name, conditions, stderr) = list("azure");
    assert_eq!((name.as_str(), conditions, stderr.as_str()), ("High Sentinel incidents", 2, ""));
    let (_, conditions, stderr) = list("defender");
    assert_eq!(conditions, 1, "the Incident provider condition is removed");
    assert!(stderr.starts_with("note: tests/fixtures/defender/rules.yaml:8:11: rule `High Sentinel incidents`: the Incident provider condition is removed"), "{stderr}");
}

#[test]
fn playbook_run_gives_the_playbook_the_provider_of_the_portal() {
    let dir = tempfile::tempdir().unwrap();
    let all: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(DIR).join("incidents.json")).unwrap()).unwrap();
    let incident = dir.path().join("incident.json");
    std::fs::write(&incident, all[0].to_string()).unwrap();
    let run = |portal: &str| {
        let out = dir.path().join(format!("{portal}.json"));
        let (code, stdout, stderr) = common::run(soar().current_dir(root()).args([
            "playbook",
            "run",
            &format!("{DIR}/provider-playbook.yaml"),
            "--incident",
            incident.to_str().unwrap(),
            "--no-history",
            "--now",
            NOW,
            "--portal",
            portal,
            "--out",
            out.to_str().unwrap(),
        ]));
        assert_eq!(code, 0, "{stderr}");
        let written: Value = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        let tags: Vec<String> = written["properties"]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["labelName"].as_str().unwrap().to_owned())
            .collect();
        (stdout.contains("Succeeded"), tags, written["properties"]["providerName"].clone())
    };
    assert_eq!(run("azure"), (true, strings(&["provider:Azure Sentinel"]), Value::from("Azure Sentinel")));
    // The playbook sees Microsoft XDR; the incident written keeps its own provider.
    assert_eq!(run("defender"), (true, strings(&["provider:Microsoft XDR"]), Value::from("Azure Sentinel")));
}
