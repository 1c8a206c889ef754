//! `impact` with the flags it shares with `apply`: `--ties permute` (each side's tie groups run in
//! every order, the incidents whose outcome depends on the order reported in every format, and
//! what that does to the exit code), `--portal defender` (both rule sets and the playbooks as an
//! onboarded workspace runs them) and `--infer-mocks` (the playbooks' calls answered from
//! inferred mocks on both sides).

use std::path::Path;

use serde_json::{json, Value};

use crate::common::{read, root, run, soar, write, NOW};

/// The base of the ties example: a conflicting tie (order 5) and a commuting one (order 9).
const TIES_BASE: [&str; 2] = ["tests/fixtures/ties/conflict.yaml", "tests/fixtures/ties/commute.yaml"];
/// Its head: the conflict resolved, a new conflicting tie (order 30), the commuting tie kept.
const TIES_HEAD: [&str; 2] = ["tests/fixtures/impact/ties/rules.yaml", "tests/fixtures/ties/commute.yaml"];
const TIES_INCIDENTS: &str = "tests/fixtures/ties/incidents.json";

/// `impact` from the crate root: (exit code, stdout, stderr).
fn impact(base: &[&str], head: &[&str], incidents: &str, extra: &[&str]) -> (i32, String, String) {
    let mut cmd = soar();
    cmd.current_dir(root()).args(["impact", "--now", NOW, "--incidents", incidents, "--base"]).args(base);
    run(cmd.arg("--head").args(head).args(extra))
}

/// The SR017 warnings of the head's two ties (the base's findings other than errors are not
/// reported).
fn tie_warnings(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("warning[")).collect()
}

#[test]
fn ties_permute_reports_the_incidents_whose_outcome_depends_on_the_order_on_either_side() {
    let permute =
        |format: &str| impact(&TIES_BASE, &TIES_HEAD, TIES_INCIDENTS, &["--ties", "permute", "--format", format]);
    let (code, human, stderr) = permute("human");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        tie_warnings(&stderr),
        [
            "warning[SR017]: rules `Assign every incident to triage`, `Assign scans to the network team` share order 30",
            "warning[SR017]: rules `Tag for triage`, `Tag scans` share order 9",
        ]
    );
    insta::assert_snapshot!("impact_ties_human", human);

    // JSON: the base's tie (resolved by the change) and the head's (new) on incident 1; the
    // commuting tie on neither incident.
    let (code, stdout, _) = permute("json");
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let ties: Vec<(Value, Value, Value)> = doc["incidents"][0]["orderDependence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["side"].clone(), t["rules"].clone(), t["fields"].clone()))
        .collect();
    assert_eq!(
        ties,
        [
            (json!("base"), json!(["Close scanner noise", "Escalate open incidents"]), json!(["severity"])),
            (
                json!("head"),
                json!(["Assign every incident to triage", "Assign scans to the network team"]),
                json!(["owner"])
            ),
        ]
    );
    assert_eq!(
        doc["incidents"][0]["orderDependence"][1]["orders"],
        json!([{"rules": ["Assign scans to the network team", "Assign every incident to triage"],
                "changes": [{"field": "owner", "nameOrder": "network-team@contoso.com", "thisOrder": "triage@contoso.com"}]}])
    );
    assert_eq!(doc["incidents"][1]["orderDependence"], json!([]));
    let summary = &doc["summary"]["orderDependent"];
    assert_eq!((&summary["incidents"], &summary["base"], &summary["head"]), (&json!(1), &json!(1), &json!(1)));
    // The commuting tie (`Tag for triage`, `Tag scans`, order 9) is in no total either.
    let by_tie: Vec<&Value> = summary["byTie"].as_array().unwrap().iter().map(|t| &t["rules"]).collect();
    assert_eq!(by_tie, [&ties[1].1, &ties[0].1]);

    let (code, markdown, _) = permute("markdown");
    assert_eq!(code, 0);
    assert!(markdown.contains(
        "**2 of 2 incidents change**; the outcome of 1 incident depends on the order of tied rules: 1 with the head, 1 with the base (base "
    ), "{markdown}");
    assert!(markdown.contains(
        "| Order tie (--ties permute) | Outcome |\n| --- | --- |\n\
         | head: `Assign every incident to triage`, `Assign scans to the network team` (order 30, incidents created) | decides the owner of 1 incident |\n\
         | base: `Close scanner noise`, `Escalate open incidents` (order 5, incidents created) | decides the severity of 1 incident |\n"
    ), "{markdown}");

    let (code, github, _) = permute("github");
    assert_eq!(code, 0);
    let tied: Vec<&str> = github.lines().filter(|l| l.contains("rules tied")).collect();
    let head_line = "head: the order of `Assign every incident to triage` and `Assign scans to the network team` (order 30, incidents created) decides the owner of 1 incident";
    assert_eq!(
        tied,
        [
            format!("::warning file=tests/fixtures/impact/ties/rules.yaml,line=24,endLine=27,title=impact%3A rules tied at order 30 (--ties permute)::{head_line}"),
            format!("::warning file=tests/fixtures/impact/ties/rules.yaml,line=18,endLine=23,title=impact%3A rules tied at order 30 (--ties permute)::{head_line}"),
            "::notice title=impact%3A rules tied at order 5 (--ties permute)::base: the order of `Close scanner noise` and `Escalate open incidents` (order 5, incidents created) decides the severity of 1 incident".to_owned(),
        ]
    );

    // Without the flag, nothing of it.
    let (code, plain, _) = impact(&TIES_BASE, &TIES_HEAD, TIES_INCIDENTS, &["--format", "json"]);
    assert_eq!(code, 0);
    assert!(!plain.contains("orderDependence") && !plain.contains("orderDependent"), "{plain}");
}

#[test]
fn the_ties_report_is_the_same_whatever_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let incidents: Vec<Value> = serde_json::from_str(&read(root().join(TIES_INCIDENTS))).unwrap();
    let many: String = (0..300)
        .map(|i| {
            let mut incident = incidents[i % 2].clone();
            incident["name"] = json!(format!("incident-{i}"));
            incident["properties"]["incidentNumber"] = json!(i);
            format!("{incident}\n")
        })
        .collect();
    let path = dir.path().join("many.jsonl");
    write(&path, &many);
    let path = path.to_str().unwrap();
    for format in ["human", "json", "markdown", "github"] {
        let with = |jobs: &str| {
            impact(&TIES_BASE, &TIES_HEAD, path, &["--ties", "permute", "--format", format, "--jobs", jobs])
        };
        let one = with("1");
        assert_eq!(one, with("3"), "{format}");
        assert_eq!(one.0, 0);
    }
}

#[test]
fn an_order_dependence_with_the_head_rules_fails_the_run_only_with_fail_on_change() {
    // The same rules on both sides: nothing changes, but the head's outcome on the scan depends
    // on the order of its tie.
    let same = |extra: &[&str]| {
        let mut args = vec!["--ties", "permute", "--format", "github"];
        args.extend_from_slice(extra);
        impact(&TIES_BASE, &TIES_BASE, TIES_INCIDENTS, &args)
    };
    let (code, stdout, _) = same(&[]);
    assert_eq!(code, 0);
    let headline = "0 of 2 incidents change; the outcome of 1 incident depends on the order of tied rules: 1 with the head, 1 with the base";
    assert!(stdout.ends_with(&format!("::notice title=sentinel-soar impact::{headline}\n")), "{stdout}");
    assert!(stdout.contains("::warning file=tests/fixtures/ties/conflict.yaml,line=5,"), "{stdout}");
    assert!(stdout.contains(") decides the severity of 1 incident\n"), "{stdout}");
    let (code, stdout, stderr) = same(&["--fail-on-change"]);
    assert_eq!(code, 1);
    assert!(stdout.ends_with(&format!("::error title=sentinel-soar impact::{headline}\n")), "{stdout}");
    assert_eq!(
        stderr.lines().last(),
        Some("error: 0 of 2 incidents change and the outcome of 1 more depends on the order of tied head rules (--fail-on-change)")
    );
    assert_eq!(same(&["--max-changed", "1"]).0, 0);
    let (code, _, stderr) = same(&["--max-changed", "0"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr.lines().last(),
        Some("error: 0 of 2 incidents change and the outcome of 1 more depends on the order of tied head rules, more than --max-changed 0 allows")
    );

    // A tie whose orders commute decides nothing: said, and no failure.
    let commute = [TIES_BASE[1]];
    let (code, stdout, _) = impact(&commute, &commute, TIES_INCIDENTS, &["--ties", "permute", "--fail-on-change"]);
    assert_eq!(
        (code, stdout.as_str()),
        (0, "0 of 2 incidents change\n\nOrder ties (--ties permute):\n  no outcome depends on the order of tied rules\n")
    );

    // Only the base's outcome depends on the order (the head moved the escalation after the
    // close, which is what the name order did): not a failure.
    let dir = tempfile::tempdir().unwrap();
    let resolved = read(root().join(TIES_BASE[0])).replace(
        "    order: 5\n    conditions:\n      - { property: IncidentStatus",
        "    order: 6\n    conditions:\n      - { property: IncidentStatus",
    );
    assert!(resolved.contains("order: 6"));
    let head = dir.path().join("resolved.yaml");
    write(&head, &resolved);
    let (code, stdout, stderr) =
        impact(&TIES_BASE[..1], &[head.to_str().unwrap()], TIES_INCIDENTS, &["--ties", "permute", "--fail-on-change"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "Incident 1 (tests/fixtures/ties/incidents.json): Port scan from 10.0.0.5\n  fired: Close scanner noise\n  \
         with --ties permute, base: incident 1's severity depends on the order of `Close scanner noise` and `Escalate open incidents` (order 5, incidents created)\n    \
         run as `Escalate open incidents`, `Close scanner noise`: severity Medium -> High\n\n\
         0 of 2 incidents change; the outcome of 1 incident depends on the order of tied base rules\n\n\
         By rule:\n  `Escalate open incidents` (order 5 -> 6)\n    changes no outcome here\n\n\
         Order ties (--ties permute):\n  base: the order of `Close scanner noise` and `Escalate open incidents` (order 5, incidents created) decides the severity of 1 incident\n"
    );
}

#[test]
fn ties_permute_refuses_a_tie_of_more_than_eight_rules_on_either_side_and_replays() {
    let nine = "tests/fixtures/ties/nine.yaml";
    let refusal = "--ties permute runs every order of a tie of at most 8 rules; 9 rules (`Tag 1`, `Tag 2`, `Tag 3`, `Tag 4`, `Tag 5`, `Tag 6`, `Tag 7`, `Tag 8`, `Tag 9`) share order 1 on incidents created: give some of them their own order";
    for (base, head, side) in [(nine, TIES_BASE[0], "base"), (TIES_BASE[0], nine, "head")] {
        let (code, stdout, stderr) = impact(&[base], &[head], TIES_INCIDENTS, &["--ties", "permute"]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{side}");
        assert_eq!(stderr.lines().last(), Some(format!("error: {side}: {refusal}").as_str()), "{stderr}");
    }
    // By name, the nine rules run as they always did.
    assert_eq!(impact(&[nine], &[nine], TIES_INCIDENTS, &[]).0, 0);
    let (code, stdout, stderr) = run(soar().current_dir(root()).args([
        "impact",
        "--base",
        TIES_BASE[0],
        "--head",
        TIES_BASE[0],
        "--replay",
        "tests/fixtures/sentinel/security-incident-history.jsonl",
        "--ties",
        "permute",
    ]));
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (
            2,
            "",
            "error: --ties permute applies to --incidents runs; --replay does not use it: leave --ties permute out\n"
        )
    );
}

/// Writes `text` as `name` in `dir` and returns the path as a string.
fn file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    write(&path, text);
    path.to_str().unwrap().to_owned()
}

#[test]
fn portal_defender_runs_both_rule_sets_and_the_playbooks_as_an_onboarded_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = read(root().join("tests/fixtures/defender/rules.yaml"));
    std::fs::copy(root().join("tests/fixtures/defender/incidents.json"), dir.path().join("incidents.json")).unwrap();
    file(dir.path(), "base.yaml", &fixture);
    // The change: the provider conditions name Microsoft XDR instead of Azure Sentinel.
    file(dir.path(), "head.yaml", &fixture.replace("values: [Azure Sentinel]", "values: [Microsoft XDR]"));
    let at = |base: &str, head: &str, extra: &[&str]| {
        let mut cmd = soar();
        cmd.current_dir(dir.path()).args(["impact", "--now", NOW, "--incidents", "incidents.json"]);
        run(cmd.args(["--base", base, "--head", head]).args(extra))
    };
    let (code, stdout, stderr) = at("base.yaml", "head.yaml", &["--portal", "azure"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("\n2 of 2 incidents change\n"), "{stdout}");
    // Onboarded, the provider condition is gone on both sides: the change changes nothing, and
    // each side's adapted conditions are noted as apply notes them.
    let (code, stdout, stderr) = at("base.yaml", "head.yaml", &["--portal", "defender"]);
    assert_eq!((code, stdout.as_str()), (0, "0 of 2 incidents change\n"));
    let notes = |file: &str| {
        [
            format!("note: {file}:8:11: rule `High Sentinel incidents`: the Incident provider condition is removed in the Defender portal; the rule runs as if it were not there (--portal defender)"),
            format!("note: {file}:16:13: rule `Sentinel incidents or High ones`: the Incident provider condition is removed in the Defender portal; the rule runs as if it were not there (--portal defender)"),
            format!("note: {file}:24:11: rule `Ransomware in the description`: a creation rule sees no description in the Defender portal; the condition reads it as absent (--portal defender)"),
            format!("note: {file}:30:11: rule `No ransomware in the description`: a creation rule sees no description in the Defender portal; the condition reads it as absent (--portal defender)"),
            format!("note: {file}:45:11: rule `Updated by Microsoft 365 Defender`: updated by Microsoft 365 Defender is Other in the Defender portal; compared as Other (--portal defender)"),
        ]
    };
    let expected: Vec<String> = notes("head.yaml").into_iter().chain(notes("base.yaml")).collect();
    assert_eq!(stderr.lines().collect::<Vec<_>>(), expected);
    // A file both sides read is noted once.
    let (code, _, stderr) = at("base.yaml", "base.yaml", &["--portal", "defender"]);
    assert_eq!((code, stderr.lines().map(str::to_owned).collect::<Vec<_>>()), (0, notes("base.yaml").to_vec()));

    // The playbooks see the provider Microsoft XDR.
    let playbook = root().join("tests/fixtures/defender/provider-playbook.yaml");
    std::fs::copy(root().join("tests/fixtures/defender/provider-rules.yaml"), dir.path().join("provider.yaml"))
        .unwrap();
    file(dir.path(), "none.yaml", "rules:\n  - name: Tag nothing\n    order: 1\n    conditions:\n      - { property: IncidentTitle, operator: Equals, values: [no such title] }\n    actions:\n      - add_tags: [never]\n");
    let tags = |portal: &str| {
        let (code, stdout, stderr) = at(
            "none.yaml",
            "provider.yaml",
            &["--playbooks", playbook.to_str().unwrap(), "--portal", portal, "--format", "json"],
        );
        assert_eq!((code, stderr.as_str()), (0, ""));
        let doc: Value = serde_json::from_str(&stdout).unwrap();
        doc["summary"]["byField"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["text"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        tags("azure"),
        [
            "2 incidents now request a run of `Tag-Provider`",
            "1 incident gains the `provider:Azure Sentinel` tag",
            "1 incident gains the `provider:Microsoft XDR` tag",
        ]
    );
    assert_eq!(
        tags("defender"),
        ["2 incidents gain the `provider:Microsoft XDR` tag", "2 incidents now request a run of `Tag-Provider`"]
    );
}

#[test]
fn infer_mocks_answers_the_playbooks_calls_on_both_sides() {
    let dir = tempfile::tempdir().unwrap();
    let head = dir.path().join("head");
    crate::common::copy_dir(&root().join("examples/rules"), &head);
    // The change: no ServiceNow ticket rule.
    let ticketing = head.join("ticketing.yaml");
    let text = read(&ticketing);
    let (start, end) =
        (text.find("  - name: Request ServiceNow ticket").unwrap(), text.find("  # Disabled on").unwrap());
    write(&ticketing, &format!("{}{}", &text[..start], &text[end..]));
    let tags = |extra: &[&str]| {
        let mut args = vec!["--playbooks", "examples/playbooks", "--format", "json"];
        args.extend_from_slice(extra);
        let incident = "examples/incidents/4105-kerberoasting-dc01.json";
        let (code, stdout, stderr) = impact(&["examples/rules"], &[head.to_str().unwrap()], incident, &args);
        assert_eq!((code, stderr.as_str()), (0, ""));
        let doc: Value = serde_json::from_str(&stdout).unwrap();
        let lines = doc["summary"]["byField"].as_array().unwrap().iter();
        lines.map(|l| l["text"].as_str().unwrap().to_owned()).filter(|t| t.contains("tag")).collect::<Vec<_>>()
    };
    // Without a mock the ServiceNow call is not run and the ticket number is empty; inferred,
    // it is the placeholder the playbook's reads give.
    assert_eq!(tags(&[]), ["1 incident loses the `SNOW:` tag", "1 incident loses the `ticket-requested` tag"]);
    assert_eq!(
        tags(&["--infer-mocks"]),
        ["1 incident loses the `SNOW:<body.result.number>` tag", "1 incident loses the `ticket-requested` tag"]
    );
}
