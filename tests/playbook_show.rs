//! `playbook show NAME|PATH`: one playbook's details, connections, parameters and step tree,
//! for people (snapshot) and as JSON (snapshot); found by path or by name in `--dir`; an
//! unknown name is a usage error (exit 2) naming the closest name, a name two playbooks have
//! one listing both files, a file with errors exit 1 with its diagnostics; a
//! secret is only ever shown as its reference, whatever the environment holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use common::{root, run, soar};
use serde_json::Value;

const PLAYBOOK: &str = "examples/playbooks/enrich-ip-virustotal.yaml";

fn show(args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(root()).args(["playbook", "show"]).args(args))
}

#[test]
fn human_outline() {
    let (code, stdout, stderr) = show(&[PLAYBOOK]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("show_human", stdout);
}

#[test]
fn human_outline_of_a_switch() {
    let (code, stdout, stderr) = show(&["examples/playbooks/approve-block-ip.yaml"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("show_human_switch", stdout);
}

#[test]
fn steps_in_run_order_and_the_template_comments_as_description() {
    // The template writes its actions in name order (as the portal exports them): the tree
    // lists them as a run takes them, and the description is the template's metadata.
    let (code, stdout, stderr) = show(&["tests/fixtures/playbooks/run-order.json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("show_run_order", stdout);
}

#[test]
fn json_document() {
    let (code, stdout, stderr) = show(&[PLAYBOOK, "--format", "json"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        common::keys(&doc),
        [
            "name",
            "file",
            "trigger",
            "enabled",
            "resource_group",
            "description",
            "connections",
            "parameters",
            "actions",
            "steps"
        ]
    );
    insta::assert_snapshot!("show_json", stdout);
}

#[test]
fn a_name_is_looked_up_in_dir_as_playbook_run_does() {
    let (_, by_path, _) = show(&[PLAYBOOK]);
    for name in ["Enrich-IP-VirusTotal", "enrich-ip-virustotal"] {
        let (code, stdout, stderr) = show(&[name, "--dir", "examples/playbooks"]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{name}");
        assert_eq!(stdout, by_path, "{name}");
    }
}

#[test]
fn an_unknown_name_is_a_usage_error() {
    let (code, stdout, stderr) = show(&["No-Such-Playbook", "--dir", "examples/playbooks"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(stderr, "error: no playbook named No-Such-Playbook in examples/playbooks\n");
    let (code, stdout, stderr) = show(&["No-Such-Playbook", "--dir", "no/such/dir"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: No-Such-Playbook is not a playbook file, and no playbook directory exists to look it up in (no/such/dir)\n"
    );
}

#[test]
fn a_misspelt_name_gets_the_closest_one() {
    let (code, stdout, stderr) = show(&["Enrich-IP-VirusTotl", "--dir", "examples/playbooks"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: no playbook named Enrich-IP-VirusTotl in examples/playbooks; did you mean Enrich-IP-VirusTotal?\n"
    );
}

#[test]
fn a_name_two_playbooks_have_is_ambiguous_and_both_files_are_listed() {
    // Sentinel's templates often ship one playbook name for each trigger.
    let dir = tempfile::tempdir().unwrap();
    let playbook = |trigger: &str| format!("name: Isolate-Machine\ntrigger: {trigger}\nsteps:\n  - compose: x\n");
    std::fs::write(dir.path().join("isolate-alert.yaml"), playbook("alert")).unwrap();
    std::fs::write(dir.path().join("isolate-incident.yaml"), playbook("incident")).unwrap();
    for command in [&["playbook", "show"][..], &["playbook", "disable"]] {
        let (code, stdout, stderr) =
            run(soar().current_dir(dir.path()).args(command).args(["isolate-machine", "--dir", "."]));
        assert_eq!((code, stdout.as_str()), (2, ""));
        assert_eq!(
            stderr,
            "error: 2 playbooks in . are named isolate-machine: isolate-alert.yaml (alert trigger), \
             isolate-incident.yaml (incident trigger); give the file instead of the name\n",
            "{command:?}"
        );
    }
    let (code, stdout, _) = run(soar().current_dir(dir.path()).args(["playbook", "show", "isolate-alert.yaml"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("File            isolate-alert.yaml\n"), "{stdout}");
}

#[test]
fn a_file_with_errors_exits_1_with_its_diagnostics() {
    let (code, stdout, stderr) = show(&["tests/fixtures/playbooks/bad/unknown-kind.yaml"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("error[PB006]: unknown step kind `post_message`"), "{stderr}");
    assert!(stderr.contains(" --> tests/fixtures/playbooks/bad/unknown-kind.yaml:4:5"), "{stderr}");
    assert!(
        stderr.ends_with(
            "2 errors, 0 warnings\ntests/fixtures/playbooks/bad/unknown-kind.yaml: the playbook has errors; fix them to show it\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_secret_value_never_appears() {
    const SECRET: &str = "sup3r-s3cret-value";
    const TOKEN: &str = "t0ken-v4lue";
    const IN_FILE: &str = "p4ssw0rd-in-the-file";
    // A Logic Apps secure parameter's value is in the file: it is not shown either.
    let dir = tempfile::tempdir().unwrap();
    let logic_app = dir.path().join("secure-parameter.json");
    let definition = serde_json::json!({
        "definition": {
            "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
            "parameters": {
                "Password": { "type": "securestring", "defaultValue": IN_FILE },
                "Channel": { "type": "string", "defaultValue": "19:abc" }
            },
            "triggers": { "manual": { "type": "Request", "kind": "Http", "inputs": {} } },
            "actions": { "Compose": { "type": "Compose", "inputs": "@parameters('Password')", "runAfter": {} } }
        }
    });
    std::fs::write(&logic_app, serde_json::to_string_pretty(&definition).unwrap()).unwrap();
    let files = ["tests/fixtures/playbooks/secret-header.yaml", logic_app.to_str().unwrap()];
    for (file, format) in files.iter().flat_map(|f| [(f, "human"), (f, "json")]) {
        let (code, stdout, stderr) = run(soar()
            .current_dir(root())
            .env("TEST_SOAR_API_KEY", SECRET)
            .env("TEST_SOAR_INTEL_TOKEN", TOKEN)
            .args(["playbook", "show", file, "--format", format]));
        assert_eq!((code, stderr.as_str()), (0, ""), "{file} {format}");
        for secret in [SECRET, TOKEN, IN_FILE] {
            assert!(!stdout.contains(secret), "{file} {format} shows a secret value:\n{stdout}");
        }
        if file.ends_with(".yaml") {
            let references = if format == "human" {
                ["secret, env: TEST_SOAR_API_KEY", "token: env: TEST_SOAR_INTEL_TOKEN"]
            } else {
                ["\"env\": \"TEST_SOAR_API_KEY\"", "\"env\": \"TEST_SOAR_INTEL_TOKEN\""]
            };
            for reference in references {
                assert!(stdout.contains(reference), "{format}: no `{reference}`:\n{stdout}");
            }
        } else if format == "human" {
            assert!(stdout.contains(" Password  secure parameter (value not shown)\n"), "{stdout}");
            assert!(stdout.contains(" Channel   \"19:abc\"\n"), "{stdout}");
        } else {
            let doc: Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(doc["parameters"][1], serde_json::json!({"name": "Password", "secret": true}));
        }
    }
}
