//! A content repository as `validate .` meets it: `examples/repo/` (a small Sentinel
//! Repositories layout) validates clean with its files counted by kind; each kind of mistake a
//! repository holds is found with file, line and code; `--workspace` picks the workspace's
//! parameter file; exported rules read back fire as the YAML does without `--param`; files
//! that are no Sentinel content are skipped with a note; and the real content repository of
//! the corpus (`../shared/corpus`) reports no error.

use std::path::Path;

use serde_json::Value;

use crate::common::{copy_dir, root, run, soar, NOW};

const REPO: &str = "examples/repo";
const WORKSPACE: &str = "8c5ab3a1-2f1e-4d0a-9b7c-5e6f7a8b9c0d";

/// `validate ARGS` in `dir`, without colour: exit code, stdout, stderr.
fn validate_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(dir).arg("validate").args(args).args(["--now", NOW]))
}

#[test]
fn the_example_repository_validates_clean_with_its_files_counted_by_kind() {
    let (exit, stdout, stderr) = validate_in(&root(), &[REPO, "--verbose"]);
    // Its sentinel-soar.toml applies when validate runs there, not from the crate's root.
    assert_eq!((exit, stderr.as_str()), (0, "note: examples/repo/sentinel-soar.toml is not used: the configuration is looked up from the working directory upwards and none is there; run from examples/repo, or give --config examples/repo/sentinel-soar.toml\n"));
    assert_eq!(
        stdout,
        format!(
            "\
config   none (no sentinel-soar.toml in the working directory or above)
checked  automation rule file   examples/repo/AutomationRules/close-informational.json
checked  automation rule file   examples/repo/AutomationRules/triage-rare-operations.yaml
checked  analytic rule file     examples/repo/Detections/RareOperations.yaml
checked  analytic rule file     examples/repo/Detections/ShadowCopyDeletion.yaml
checked  playbook file          examples/repo/Playbooks/Comment-Rare-Operations.json
skipped  parameter file         examples/repo/Playbooks/Comment-Rare-Operations.parameters-{WORKSPACE}.json
skipped  parameter file         examples/repo/Playbooks/Comment-Rare-Operations.parameters.json
skipped  workbook               examples/repo/Workbooks/SOC-Overview.json
skipped  deployment config      examples/repo/sentinel-deployment.config

2 automation rule files, 1 playbook file, 2 analytic rule files checked; 4 other files skipped: no problems
"
        )
    );
    let (exit, json, _) = validate_in(&root(), &[REPO, "--format", "json"]);
    assert_eq!(exit, 0);
    let summary = &serde_json::from_str::<Value>(&json).unwrap()["summary"];
    assert_eq!(
        *summary,
        serde_json::json!({
            "errors": 0, "warnings": 0, "files": 9,
            "checked": {"automation_rules": 2, "playbooks": 1, "analytic_rules": 2},
            "skipped": {"workbooks": 1, "parameter_files": 2, "deployment_config": 1},
            "suppressed": 0
        })
    );
}

/// A copy of the example repository with one mistake of each kind a repository holds.
fn broken_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(REPO), dir.path());
    let edit = |rel: &str, from: &str, to: &str| {
        let path = dir.path().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("AutomationRules/triage-rare-operations.yaml", "run_playbook: Comment-Rare", "run_playbook: Coment-Rare");
    edit(
        "Playbooks/Comment-Rare-Operations.json",
        r#""incidentArmId": "@triggerBody()?['object']?['id']""#,
        r#""incidentArmId": "@triggerBody()?['object']?['id'""#,
    );
    std::fs::write(
        dir.path().join("AutomationRules/tag-rare-rdp.yaml"),
        "name: Tag rare operations\norder: 30\nanalytics_rules: [Rare subscription-level operations in Azure]\nactions:\n  - add_tags: [rare]\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("tests")).unwrap();
    std::fs::copy(root().join("examples/incidents/4101-pentest-pt-07.json"), dir.path().join("tests/incident.json"))
        .unwrap();
    std::fs::write(
        dir.path().join("tests/triage.yaml"),
        "rules: ../AutomationRules/triage-rare-operations.yaml\ntests:\n  - name: rare operations are triaged\n    incident: incident.json\n    expect:\n      fired: [Triage rare operation]\n",
    )
    .unwrap();
    dir
}

#[test]
fn validate_dot_finds_each_repository_mistake_with_file_line_and_code() {
    let dir = broken_repo();
    let (exit, json, stderr) = validate_in(dir.path(), &[".", "--format", "json"]);
    assert_eq!((exit, stderr.as_str()), (1, ""));
    let report: Value = serde_json::from_str(&json).unwrap();
    let found: Vec<(String, String, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap().to_owned();
            (text("code"), text("file"), d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
        })
        .collect();
    let want = [
        ("SR045", "AutomationRules/tag-rare-rdp.yaml", 3, 19),
        ("SR026", "AutomationRules/triage-rare-operations.yaml", 9, 23),
        ("PB011", "Playbooks/Comment-Rare-Operations.json", 62, 68),
        ("ST003", "tests/triage.yaml", 6, 15),
    ];
    let want: Vec<(String, String, u64, u64)> =
        want.iter().map(|(c, f, l, col)| ((*c).to_owned(), (*f).to_owned(), *l, *col)).collect();
    assert_eq!(found, want, "{json}");
    let messages: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["help"].as_str().unwrap_or("")).collect();
    assert_eq!(messages[0], "use the analytic rule's id: `23de46ea-c425-4a77-b456-511ae4855d69` is the id of `Rare subscription-level operations in Azure`");
    assert_eq!(messages[1], "did you mean `Comment-Rare-Operations`?");
    assert_eq!(messages[3], "did you mean `Triage rare operations`?");
    assert_eq!(
        report["summary"]["checked"],
        serde_json::json!({"automation_rules": 3, "playbooks": 1, "analytic_rules": 2, "rule_tests": 1})
    );
}

#[test]
fn arm_expressions_a_deployment_refuses_are_errors() {
    // Deploying either template fails in ARM: an expression that does not parse, and a
    // parameter the template does not declare. Only a parameter without a value is a warning.
    let case = |to: &str| {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&root().join(REPO), dir.path());
        let path = dir.path().join("Playbooks/Comment-Rare-Operations.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let from = "[concat('<p>', parameters('CommentText'), '</p>')]";
        assert!(text.contains(from));
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        let (exit, stdout, stderr) = validate_in(dir.path(), &["Playbooks", "--no-config"]);
        assert_eq!(stderr, "");
        let first: Vec<&str> = stdout.lines().take(6).collect();
        (exit, first.join("\n"))
    };
    assert_eq!(
        case("[concat('<p>', parameters('CommentText'), '</p>']"),
        (
            1,
            "\
error[SJ016]: this ARM expression does not parse: expected `,` or `)`, found the end of the expression
  --> Playbooks/Comment-Rare-Operations.json:63:30
   |
63 |                   \"message\": \"[concat('<p>', parameters('CommentText'), '</p>']\"
   |                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not an expression
   |"
            .to_owned()
        )
    );
    let (exit, text) = case("[concat('<p>', parameters('CommentTxt'), '</p>')]");
    assert_eq!(exit, 1);
    assert!(text.starts_with("error[SJ017]: the template declares no parameter `CommentTxt`\n"), "{text}");
    assert!(text.contains("^ unknown parameter"), "{text}");
}

#[test]
fn an_analytic_rule_file_that_cannot_be_read_gives_no_false_sr046() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(REPO), dir.path());
    let path = dir.path().join("Detections/RareOperations.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("\nname:", "\n  name:", 1)).unwrap();
    let (exit, json, _) = validate_in(dir.path(), &[".", "--no-config", "--format", "json"]);
    assert_eq!(exit, 1);
    let report: Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    // The rule whose id the automation rules name is in the file that does not parse.
    assert_eq!(codes, ["AR001"], "{json}");
    // Once it parses, an id no analytic rule has is reported again, at the GUID inside the
    // JSON rule's `resourceId(...)` expression.
    std::fs::write(&path, text.replacen("id: 23de46ea", "id: 33de46ea", 1)).unwrap();
    let (_, json, _) = validate_in(dir.path(), &[".", "--no-config", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let found: Vec<(&str, &str, u64, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let n = |k: &str| d[k].as_u64().unwrap();
            (d["code"].as_str().unwrap(), d["file"].as_str().unwrap(), n("line"), n("column"))
        })
        .collect();
    assert_eq!(found, [("SR046", "AutomationRules/close-informational.json", 27, 153)], "{json}");
    // The caret under the GUID only.
    let (_, human, _) = validate_in(dir.path(), &[".", "--no-config"]);
    assert!(human.contains(&format!("{}{} unknown analytic rule\n", " ".repeat(39), "^".repeat(36))), "{human}");
}

#[test]
fn workspace_picks_the_workspace_parameter_file() {
    let comment = |extra: &[&str]| {
        let (exit, stdout, stderr) = run(soar()
            .current_dir(root())
            .args([
                "playbook",
                "run",
                "examples/repo/Playbooks/Comment-Rare-Operations.json",
                "--incident",
                "examples/incidents/4101-pentest-pt-07.json",
                "--no-history",
                "--now",
                NOW,
            ])
            .args(extra));
        assert_eq!((exit, stderr.as_str()), (0, ""), "{stdout}");
        stdout.lines().find(|l| l.contains("add_comment comments:")).unwrap().trim().to_owned()
    };
    assert_eq!(
        comment(&[]),
        r#"Add_comment_to_incident add_comment comments: null -> "<p>Rare operation: check it with the subscription owner.</p>""#
    );
    assert_eq!(
        comment(&["--workspace", WORKSPACE]),
        r#"Add_comment_to_incident add_comment comments: null -> "<p>Rare operation in production: page the subscription owner.</p>""#
    );
    // --param overrides the parameter file; --params-file applies to every template read.
    assert!(comment(&["--workspace", WORKSPACE, "--param", "CommentText=by hand"]).ends_with(r#"-> "<p>by hand</p>""#));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(&file, r#"{"parameters": {"CommentText": {"value": "from a file"}}}"#).unwrap();
    assert!(comment(&["--params-file", file.to_str().unwrap()]).ends_with(r#"-> "<p>from a file</p>""#));
}

/// The rules that fire on each example incident, by incident number (a dry run as JSON).
fn fired(rules: &str) -> Vec<(u64, Vec<String>)> {
    let (exit, stdout, stderr) = run(soar().current_dir(root()).args([
        "apply",
        "--rules",
        rules,
        "--incidents",
        "examples/incidents",
        "--dry-run",
        "--format",
        "json",
        "--now",
        NOW,
    ]));
    assert_eq!((exit, stderr.as_str()), (0, ""), "{rules}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    doc["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let names = i["fired"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_owned()).collect();
            (i["incidentNumber"].as_u64().unwrap(), names)
        })
        .collect()
}

#[test]
fn exported_rules_read_back_fire_as_the_yaml_does_without_any_param() {
    let dir = tempfile::tempdir().unwrap();
    let mut exported = 0;
    for entry in std::fs::read_dir(root().join("examples/rules")).unwrap() {
        let path = entry.unwrap().path();
        let rel = format!("examples/rules/{}", path.file_name().unwrap().to_string_lossy());
        let out = dir.path().join(path.file_name().unwrap()).with_extension("json");
        let (exit, _, stderr) =
            run(soar().current_dir(root()).args(["export", "sentinel", &rel, "--out", out.to_str().unwrap()]));
        if exit != 0 {
            // Only rules with this tool's extension operators have no Sentinel form.
            assert!(stderr.contains("error[SR031]"), "{rel}: {stderr}");
            continue;
        }
        exported += 1;
        assert_eq!(fired(&rel), fired(out.to_str().unwrap()), "{rel}");
    }
    assert!(exported >= 5, "{exported} example rule files exported");
}

#[test]
fn files_that_are_no_sentinel_content_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join(REPO), dir.path());
    std::fs::write(dir.path().join("package.json"), "{\"name\": \"soc\", \"version\": \"1.0.0\"}\n").unwrap();
    std::fs::create_dir_all(dir.path().join("deploy")).unwrap();
    std::fs::write(dir.path().join("deploy/pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n").unwrap();
    let (exit, stdout, stderr) = validate_in(dir.path(), &["."]);
    assert_eq!((exit, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "\
info[RP001]: not Sentinel content: skipped
--> deploy/pod.yaml
 = note: also at package.json
 = help: none of the file kinds sentinel-soar reads or recognises has this shape

2 automation rule files, 1 playbook file, 2 analytic rule files checked; 6 other files skipped: no problems
"
    );
    // A note fails nothing, even with --strict.
    assert_eq!(validate_in(dir.path(), &[".", "--strict"]).0, 0);
}

#[test]
fn excluded_content_files_are_not_checked() {
    let dir = broken_repo();
    std::fs::write(
        dir.path().join("sentinel-deployment.config"),
        r#"{"excludecontentfiles": ["AutomationRules/tag-rare-rdp.yaml", "tests"], "SomethingNew": true}"#,
    )
    .unwrap();
    let (_, json, _) = validate_in(dir.path(), &[".", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SR026", "PB011"]);
}

#[test]
fn the_corpus_content_repository_reports_no_error() {
    let corpus = root().join("../shared/corpus");
    if !corpus.join("content-repo").is_dir() {
        eprintln!("skipped: no corpus at {}", corpus.display());
        return;
    }
    let (exit, stdout, stderr) = validate_in(&corpus, &["content-repo", "playbooks", "automation-rules"]);
    assert_eq!((exit, stderr.as_str()), (0, ""), "{stdout}");
    let last = stdout.lines().last().unwrap();
    assert_eq!(
        last,
        "7 automation rule files, 59 playbook files, 27 analytic rule files checked; 112 other files skipped: 0 errors, 22 warnings"
    );
    // The built-in Date Time actions (type Expression) run on the simulated clock: no PB021.
    assert!(!stdout.contains("`Expression` actions"), "{stdout}");
    assert!(!stdout.contains("error["), "{stdout}");
    // A parameter name with spaces is quoted, so that the help can be pasted into a shell.
    assert!(stdout.contains("= help: pass --param 'Network Object Group object ID=VALUE' (the template"), "{stdout}");
}

/// Every JSON file of the examples, the fixtures and the corpus: the JSON reader behind
/// `syntax::json::parse` gives exactly the tree, spans included, that the YAML reader gives.
#[test]
fn the_json_reader_gives_the_yaml_readers_tree_on_every_json_file() {
    // The YAML reader recurses once per level: deep fixtures need more than a test thread's
    // stack in a debug build, so this runs with the 8 MiB the CLI's main thread has.
    std::thread::Builder::new().stack_size(8 << 20).spawn(compare_readers).unwrap().join().unwrap();
}

fn compare_readers() {
    let mut dirs = vec![root().join("examples"), root().join("tests/fixtures")];
    let corpus = root().join("../shared/corpus");
    let with_corpus = corpus.is_dir();
    if with_corpus {
        dirs.push(corpus);
    } else {
        eprintln!("the corpus next to the crate is absent: comparing the examples and fixtures only");
    }
    let mut compared = 0;
    for dir in dirs {
        for path in sentinel_soar::io::walk(&dir, &["json"]).unwrap() {
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Ok(general) = sentinel_soar::syntax::yaml::parse(&text) else { continue };
            assert_eq!(sentinel_soar::syntax::json::parse(&text).unwrap(), general, "{}", path.display());
            compared += 1;
        }
    }
    // The examples and fixtures hold about 80 JSON files, the corpus about 140 more.
    assert!(compared > if with_corpus { 150 } else { 60 }, "{compared} files compared");
}
