//! `sentinel-soar impact`: two rule sets on the same incidents. The incidents it reports are
//! exactly those whose `apply` output (the incident written, the playbook runs requested in the
//! audit log) differs between the two rule sets, in every format; `--base git:REV` reads the
//! base at a revision of a repository made here; exit codes for changes and bad input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{copy_dir, examples_copy, read, run, soar, write, NOW};

/// `examples/rules` changed three ways, into `head/` of `dir` (a copy of `examples/`): one rule
/// removed, one order changed, one condition widened.
fn head_copy(dir: &Path) {
    copy_dir(&dir.join("rules"), &dir.join("head"));
    let edit = |file: &str, from: &str, to: &str| {
        let path = dir.join("head").join(file);
        let text = read(&path);
        assert_eq!(text.matches(from).count(), 1, "{file}: {from}");
        write(&path, &text.replace(from, to));
    };
    edit(
        "tag-by-tactic.yaml",
        "  - name: Tag lateral movement\n    order: 210\n    conditions: { property: IncidentTactics, operator: Contains, values: [LateralMovement] }\n    actions:\n      - add_tags: [\"tactic:lateral-movement\"]\n\n",
        "",
    );
    edit("assign-by-platform.yaml", "    order: 120\n", "    order: 90\n");
    edit("pentest-suppression.yaml", "values: [PT-] }", "values: [PT-, web-] }");
}

/// A temporary copy of `examples/` with the changed rules in `head/`.
fn setup() -> tempfile::TempDir {
    let dir = examples_copy();
    head_copy(dir.path());
    dir
}

/// `impact` in `dir` on `incidents` with `extra` flags: (exit code, stdout, stderr).
fn impact(dir: &Path, incidents: &[&str], extra: &[&str]) -> (i32, String, String) {
    let mut cmd = soar();
    cmd.current_dir(dir).args(["impact", "--base", "rules", "--head", "head", "--now", NOW, "--incidents"]);
    run(cmd.args(incidents).args(extra))
}

/// Per incident name: the incident `apply` writes (as JSON) and the playbook runs its audit
/// log requests, with the rules of `rules`.
fn apply_outputs(dir: &Path, rules: &str, incidents: &[&str]) -> BTreeMap<String, (Value, Vec<String>)> {
    let out = dir.join(format!("out-{rules}"));
    std::fs::create_dir_all(&out).unwrap();
    let audit = dir.join(format!("audit-{rules}.jsonl"));
    let mut cmd = soar();
    cmd.current_dir(dir).args(["apply", "--rules", rules, "--now", NOW, "--incidents"]).args(incidents);
    let (code, _, stderr) = run(cmd.args(["--out", &format!("{}/", out.display()), "--audit"]).arg(&audit));
    assert_eq!(code, 0, "{stderr}");
    let mut found: BTreeMap<String, (Value, Vec<String>)> = BTreeMap::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let text = read(entry.unwrap().path());
        let values: Vec<Value> = match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(items)) => items,
            Ok(one) => vec![one],
            Err(_) => text.lines().map(|l| serde_json::from_str(l).unwrap()).collect(),
        };
        for v in values {
            found.insert(v["name"].as_str().unwrap().to_owned(), (v, Vec::new()));
        }
    }
    for line in read(&audit).lines() {
        let record: Value = serde_json::from_str(line).unwrap();
        if record["action"] == "run_playbook" && record["source"] == "automation-rule" {
            let name = record["incident"].as_str().unwrap();
            found.get_mut(name).unwrap().1.push(record["playbook"].as_str().unwrap().to_owned());
        }
    }
    found
}

/// The names of the incidents whose `apply` outputs differ between `rules/` and `head/`.
fn differing_apply_outputs(dir: &Path, incidents: &[&str]) -> BTreeSet<String> {
    let (base, head) = (apply_outputs(dir, "rules", incidents), apply_outputs(dir, "head", incidents));
    assert_eq!(base.len(), head.len());
    base.iter().filter(|(name, outputs)| head.get(*name) != Some(*outputs)).map(|(name, _)| name.clone()).collect()
}

#[test]
fn impact_reports_exactly_the_incidents_whose_apply_output_differs_in_every_format() {
    let dir = setup();
    let incidents = ["incidents", "batch/incidents.jsonl"];
    let expected = differing_apply_outputs(dir.path(), &incidents);
    assert!(expected.len() >= 5, "the three changes change incidents: {expected:?}");

    let (code, stdout, stderr) = impact(dir.path(), &incidents, &["--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let names: BTreeSet<String> =
        doc["incidents"].as_array().unwrap().iter().map(|i| i["incident"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, expected);
    assert_eq!(doc["summary"]["changed"], expected.len());
    assert_eq!(doc["summary"]["incidents"], 57);

    // The incidents by number, as the human and markdown reports name them.
    let numbers: BTreeSet<String> =
        doc["incidents"].as_array().unwrap().iter().map(|i| i["incidentNumber"].to_string()).collect();
    let (_, human, _) = impact(dir.path(), &incidents, &[]);
    let blocks: BTreeSet<String> = human
        .lines()
        .filter_map(|l| l.strip_prefix("Incident "))
        .map(|l| l.split(' ').next().unwrap().to_owned())
        .collect();
    assert_eq!(blocks, numbers);
    let (_, markdown, _) = impact(dir.path(), &incidents, &["--format", "markdown", "--max-rows", "1000"]);
    let rows: BTreeSet<String> = markdown
        .split("| Incident | Changes |")
        .nth(1)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter(|l| !l.starts_with("---"))
        .map(|l| l.split(':').next().unwrap().to_owned())
        .collect();
    assert_eq!(rows, numbers);
    let (_, github, _) = impact(dir.path(), &incidents, &["--format", "github"]);
    let headline = format!("::notice title=sentinel-soar impact::{} of 57 incidents change", expected.len());
    assert!(github.lines().any(|l| l == headline), "{github}");
}

#[test]
fn every_format_reads_as_the_snapshots_show() {
    let dir = setup();
    for (name, extra) in [
        ("impact_human", &[][..]),
        ("impact_json", &["--format", "json"][..]),
        ("impact_markdown", &["--format", "markdown", "--max-rows", "3"][..]),
        ("impact_github", &["--format", "github"][..]),
    ] {
        let (code, stdout, stderr) = impact(dir.path(), &["incidents"], extra);
        assert_eq!((code, stderr.as_str()), (0, ""), "{name}");
        insta::assert_snapshot!(name, stdout);
    }
}

#[test]
fn the_report_is_the_same_whatever_the_jobs() {
    let dir = setup();
    // 600 incidents: several windows of every size.
    let lines: Vec<String> = read(dir.path().join("batch/incidents.jsonl")).lines().map(str::to_owned).collect();
    let many: String = (0..15).flat_map(|_| lines.iter().map(|l| format!("{l}\n"))).collect();
    write(dir.path().join("many.jsonl"), &many);
    for format in ["human", "json", "markdown", "github"] {
        let one = impact(dir.path(), &["many.jsonl"], &["--format", format, "--jobs", "1"]);
        let three = impact(dir.path(), &["many.jsonl"], &["--format", format, "--jobs", "3"]);
        assert_eq!(one, three, "{format}");
        assert_eq!(one.0, 0);
    }
}

#[test]
fn changes_fail_the_run_only_when_asked() {
    let dir = setup();
    let (code, _, stderr) = impact(dir.path(), &["incidents"], &["--fail-on-change", "--format", "github"]);
    assert_eq!((code, stderr.as_str()), (1, "error: 5 of 17 incidents change (--fail-on-change)\n"));
    let (code, stdout, _) = impact(dir.path(), &["incidents"], &["--max-changed", "5", "--format", "github"]);
    assert_eq!(code, 0);
    assert!(stdout.ends_with("::notice title=sentinel-soar impact::5 of 17 incidents change\n"), "{stdout}");
    let (code, stdout, stderr) = impact(dir.path(), &["incidents"], &["--max-changed", "4", "--format", "github"]);
    assert_eq!((code, stderr.as_str()), (1, "error: 5 of 17 incidents change, more than --max-changed 4 allows\n"));
    assert!(stdout.ends_with("::error title=sentinel-soar impact::5 of 17 incidents change\n"), "{stdout}");
    // The same rules on both sides: nothing changes, nothing fails.
    let (code, stdout, stderr) = run(soar()
        .current_dir(dir.path())
        .args(["impact", "--base", "rules", "--head", "rules", "--now", NOW])
        .args(["--incidents", "incidents", "--fail-on-change"]));
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "0 of 17 incidents change\n", ""));
}

/// Variables that would point git elsewhere than the current directory's repository (a test
/// run from a git hook has them).
const GIT_VARIABLES: [&str; 3] = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"];

/// Runs git in `dir`, with an identity and no signing (whatever the machine's configuration).
fn git(dir: &Path, args: &[&str]) {
    let mut cmd = Command::new("git");
    for variable in GIT_VARIABLES {
        cmd.env_remove(variable);
    }
    let out = cmd
        .current_dir(dir)
        .args(["-c", "user.name=impact test", "-c", "user.email=impact@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn base_at_a_git_revision_reads_the_rules_committed_there() {
    let dir = setup();
    let repo = dir.path().join("repo");
    copy_dir(&dir.path().join("rules"), &repo.join("rules"));
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "rules"]);
    git(&repo, &["commit", "-q", "-m", "the rules before the change"]);
    // The change, in the working tree.
    std::fs::remove_dir_all(repo.join("rules")).unwrap();
    copy_dir(&dir.path().join("head"), &repo.join("rules"));
    let at = |base: &[&str], cwd: &Path, head: &str| {
        let mut cmd = soar();
        for variable in GIT_VARIABLES {
            cmd.env_remove(variable);
        }
        cmd.current_dir(cwd).args(["impact", "--now", NOW, "--format", "json", "--base"]).args(base);
        let incidents = dir.path().join("incidents");
        run(cmd.args(["--head", head, "--incidents"]).arg(incidents))
    };
    let original = dir.path().join("rules");
    let on_disk = at(&[original.to_str().unwrap()], &repo, "rules");
    let on_disk: Value = serde_json::from_str(&on_disk.1).unwrap();
    assert_eq!(on_disk["summary"]["changed"], 5);
    let from_head = at(&["git:HEAD"], &repo, "rules");
    let explicit = at(&["git:HEAD", "rules/"], &repo, "rules");
    let from_subdir = at(&["git:HEAD", "."], &repo.join("rules"), ".");
    for (code, stdout, stderr) in [&from_head, &explicit, &from_subdir] {
        assert_eq!((*code, stderr.as_str()), (0, ""));
        let doc: Value = serde_json::from_str(stdout).unwrap();
        assert_eq!(doc["base"], "git:HEAD");
        assert_eq!(doc["incidents"], on_disk["incidents"]);
        assert_eq!(doc["summary"]["byField"], on_disk["summary"]["byField"]);
        let texts = |d: &Value| {
            d["summary"]["byRule"].as_array().unwrap().iter().map(|r| r["text"].clone()).collect::<Vec<_>>()
        };
        assert_eq!(texts(&doc), texts(&on_disk));
    }
    let (code, stdout, stderr) = at(&["git:no-such-branch"], &repo, "rules");
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: --base git:no-such-branch: the repository has no revision no-such-branch (a shallow CI checkout may need it fetched: git fetch origin <branch>, or actions/checkout with fetch-depth: 0)\n"
    );
    let (code, _, stderr) = at(&["git:HEAD", "policies/"], &repo, "rules");
    assert_eq!(
        (code, stderr.as_str()),
        (2, "error: --base git:HEAD: rule path policies/ does not exist at that revision\n")
    );
}

#[test]
fn bad_input_is_a_usage_error() {
    let dir = setup();
    write(dir.path().join("empty.json"), "[]");
    let (code, stdout, stderr) = impact(dir.path(), &["empty.json"], &[]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (2, "", "error: no incident found in empty.json: nothing to compare\n")
    );
    let (code, _, stderr) = impact(dir.path(), &["incidents"], &["--max-rows", "5"]);
    assert_eq!(
        (code, stderr.as_str()),
        (2, "error: --max-rows caps the tables of --format markdown: add --format markdown, or leave --max-rows out\n")
    );
    let (code, _, stderr) = run(soar().current_dir(dir.path()).args([
        "impact",
        "--base",
        "nowhere/",
        "--head",
        "head",
        "--incidents",
        "incidents",
    ]));
    assert_eq!((code, stderr.as_str()), (2, "error: rule path nowhere/ does not exist\n"));
    // A record that cannot be read is reported, the others compared, and the run fails.
    let mut lines = read(dir.path().join("batch/incidents.jsonl"));
    lines.push_str("{not json\n");
    write(dir.path().join("bad.jsonl"), &lines);
    let (code, stdout, stderr) = impact(dir.path(), &["bad.jsonl"], &["--format", "github"]);
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: bad.jsonl:41:2: invalid JSON: "), "{stderr}");
    assert!(stdout.ends_with("incidents change; 1 record was not processed\n"), "{stdout}");
}

#[test]
fn replayed_histories_compare_every_event() {
    let dir = setup();
    let fixtures = crate::common::root().join("tests/fixtures/sentinel");
    let base = fixtures.join("replay-rules.yaml");
    let widened: String =
        read(&base).lines().filter(|l| !l.contains("IncidentUpdatedBySource")).map(|l| format!("{l}\n")).collect();
    write(dir.path().join("replay-head.yaml"), &widened);
    let history = fixtures.join("security-incident-history.jsonl");
    let (code, stdout, stderr) = run(soar()
        .current_dir(dir.path())
        .args(["impact", "--base"])
        .arg(&base)
        .args(["--head", "replay-head.yaml", "--replay"])
        .arg(&history)
        .args(["--format", "json"]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["summary"]["text"], "1 of 2 incidents changes");
    let incident = &doc["incidents"][0];
    assert_eq!(incident["incidentNumber"], 202);
    assert_eq!(
        incident["firedAfter"],
        serde_json::json!(["Tag new incidents for triage", "Task when severity is raised to High"])
    );
    assert_eq!(
        incident["differences"],
        serde_json::json!([
            {"field": "tasks", "added": [{"value": "Triage the escalation", "rule": "Task when severity is raised to High"}], "removed": []}
        ])
    );
}

#[test]
fn playbook_requests_and_fired_only_changes_are_told_apart() {
    let dir = examples_copy();
    copy_dir(&dir.path().join("rules"), &dir.path().join("head"));
    let ticketing = dir.path().join("head/ticketing.yaml");
    // No ticket rule; a new rule that adds a tag the incidents it fires on already have.
    let text = read(&ticketing);
    let start = text.find("  - name: Request ServiceNow ticket").unwrap();
    let end = text.find("  # Disabled on").unwrap();
    write(&ticketing, &format!("{}{}", &text[..start], &text[end..]));
    let tactics = dir.path().join("head/tag-by-tactic.yaml");
    let again = "  - name: Tag credential access again\n    order: 205\n    conditions: { property: IncidentTactics, operator: Contains, values: [CredentialAccess] }\n    actions:\n      - add_tags: [\"tactic:credential-access\"]\n";
    write(&tactics, &format!("{}\n{again}", read(&tactics)));
    let expected = differing_apply_outputs(dir.path(), &["incidents"]);
    let (code, stdout, _) = impact(dir.path(), &["incidents"], &["--format", "json"]);
    assert_eq!(code, 0);
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let names: BTreeSet<String> =
        doc["incidents"].as_array().unwrap().iter().map(|i| i["incident"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, expected);
    let lines: Vec<&str> =
        doc["summary"]["byField"].as_array().unwrap().iter().map(|f| f["text"].as_str().unwrap()).collect();
    assert!(lines.contains(&"7 incidents no longer request a run of `ServiceNow-Sync`"), "{lines:?}");
    assert!(lines.contains(&"7 incidents lose the `ticket-requested` tag"), "{lines:?}");
    // 4101 is closed before the ticket rule would run: only the rules that fire differ.
    let summary = doc["summary"]["text"].as_str().unwrap();
    assert!(summary.ends_with("; on 1 more, other rules fire with the same outcome"), "{summary}");
    let again =
        doc["summary"]["byRule"].as_array().unwrap().iter().find(|r| r["rule"] == "Tag credential access again");
    assert_eq!(again.unwrap()["text"], serde_json::json!(["now fires on 2 incidents it did not"]));
    assert_eq!(again.unwrap()["status"], "new");
}

#[test]
fn rule_files_with_errors_stop_the_comparison_and_are_said_once() {
    let dir = setup();
    let broken = crate::common::root().join("tests/fixtures/broken-rules/SR003-unknown-key.yaml");
    std::fs::copy(&broken, dir.path().join("broken.yaml")).unwrap();
    let expected = "error[SR003]: unknown key `descripton` in a rule\n --> broken.yaml:3:1\n";
    // In the head, in the base, and in both (one file, one report).
    for (base, head) in [("rules", "broken.yaml"), ("broken.yaml", "head"), ("broken.yaml", "broken.yaml")] {
        let (code, stdout, stderr) = run(soar().current_dir(dir.path()).args([
            "impact",
            "--base",
            base,
            "--head",
            head,
            "--incidents",
            "incidents",
            "--now",
            NOW,
        ]));
        assert_eq!((code, stdout.as_str()), (1, ""), "{base} {head}");
        assert!(stderr.starts_with(expected), "{stderr}");
        assert_eq!(stderr.matches("error[SR003]").count(), 1, "{stderr}");
        assert!(
            stderr.ends_with("1 error, 0 warnings\nno incident was compared: fix the rule files first\n"),
            "{stderr}"
        );
    }
}

#[test]
fn the_markdown_comment_shows_incident_text_as_text_not_html() {
    // Incident titles come from alerts, which an attacker may word; the pull request comment
    // must not render them as HTML.
    let dir = tempfile::tempdir().unwrap();
    let rule =
        |tag: &str| format!("rules:\n  - name: Tag all\n    order: 1\n    actions:\n      - add_tags: [\"{tag}\"]\n");
    write(dir.path().join("base/r.yaml"), &rule("seen"));
    write(dir.path().join("head/r.yaml"), &rule("<img src=x>"));
    let incident = serde_json::json!({"name": "inc-1", "properties": {"incidentNumber": 9999,
        "title": "Pipe | in <b>title</b> & <script>alert(1)</script>", "severity": "High", "status": "New"}});
    write(dir.path().join("incidents.json"), &incident.to_string());
    let mut cmd = soar();
    cmd.current_dir(dir.path()).args(["impact", "--base", "base", "--head", "head", "--now", NOW]);
    let (code, stdout, stderr) = run(cmd.args(["--incidents", "incidents.json", "--format", "markdown"]));
    assert_eq!(code, 0, "{stderr}");
    let row = stdout.lines().find(|l| l.starts_with("| 9999")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        row.starts_with("| 9999: Pipe \\| in &lt;b>title&lt;/b> &amp; &lt;script>alert(1)&lt;/script> | "),
        "{row}"
    );
    assert!(!stdout.contains("<b>") && !stdout.contains("<script>"), "{stdout}");
    assert!(!stdout.replace("`<img src=x>`", "").contains("<img"), "a tag outside code: {stdout}");
}
