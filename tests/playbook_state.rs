//! `playbook enable|disable`: the state is changed in the file itself (nothing else in it
//! moves), atomically, and only by people holding a Logic Apps role when the settings define
//! roles.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use common::{read, root, run, soar, write, NOW};

fn playbook(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(dir).arg("playbook").args(args))
}

#[test]
fn a_yaml_playbook_gets_an_enabled_line_and_keeps_everything_else() {
    let tmp = tempfile::tempdir().unwrap();
    let original = read(root().join("examples/playbooks/servicenow-sync.yaml"));
    write(tmp.path().join("p.yaml"), &original);
    let (code, stdout, stderr) = playbook(tmp.path(), &["disable", "p.yaml"]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "ServiceNow-Sync is now disabled (p.yaml)\n", ""));
    let disabled = read(tmp.path().join("p.yaml"));
    let expected = original.replacen("name: ServiceNow-Sync\n", "name: ServiceNow-Sync\nenabled: false\n", 1);
    assert_eq!(disabled, expected);
    let (code, stdout, _) = playbook(tmp.path(), &["disable", "p.yaml"]);
    assert_eq!((code, stdout.as_str()), (0, "ServiceNow-Sync is already disabled (p.yaml)\n"));
    // A disabled playbook still runs by hand, with a warning saying Sentinel would not run it.
    let incident = root().join("examples/incidents/4102-c2-beacon-from-redteam-range.json");
    let manual = ["run", "p.yaml", "--incident", incident.to_str().unwrap(), "--no-history", "--now", NOW];
    let (code, _, stderr) = playbook(tmp.path(), &manual);
    let warning =
        "warning: playbook 'ServiceNow-Sync' is disabled: Sentinel would not run it (`playbook enable` turns it on)\n";
    assert_eq!((code, stderr.as_str()), (0, warning));
    let (code, _, _) = playbook(tmp.path(), &["enable", "ServiceNow-Sync", "--dir", "."]);
    assert_eq!(code, 0);
    assert_eq!(read(tmp.path().join("p.yaml")), expected.replace("enabled: false", "enabled: true"));
    let (code, _, stderr) = playbook(tmp.path(), &manual);
    assert_eq!((code, stderr.as_str()), (0, ""));
    let (_, stdout, _) = playbook(tmp.path(), &["list", "p.yaml"]);
    assert!(stdout.contains("ServiceNow-Sync  Incident  enabled"), "{stdout}");
}

#[test]
fn a_logic_apps_template_changes_only_its_state_value() {
    let tmp = tempfile::tempdir().unwrap();
    let template = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "resources": [
    {
      "type": "Microsoft.Logic/workflows",
      "name": "Notify",
      "properties": {
        "state": "Enabled",
        "definition": {
          "triggers": { "manual": { "type": "Request", "kind": "Http", "inputs": {} } },
          "actions": {}
        }
      }
    }
  ]
}
"#;
    write(tmp.path().join("t.json"), template);
    let (code, stdout, _) = playbook(tmp.path(), &["disable", "t.json"]);
    assert_eq!((code, stdout.as_str()), (0, "Notify is now disabled (t.json)\n"));
    assert_eq!(read(tmp.path().join("t.json")), template.replace(r#""state": "Enabled""#, r#""state": "Disabled""#));
    let (code, _, _) = playbook(tmp.path(), &["enable", "t.json"]);
    assert_eq!(code, 0);
    assert_eq!(read(tmp.path().join("t.json")), template);
}

#[test]
fn the_logic_apps_roles_are_required_when_the_settings_define_roles() {
    let tmp = tempfile::tempdir().unwrap();
    let original = read(root().join("examples/playbooks/servicenow-sync.yaml"));
    write(tmp.path().join("p.yaml"), &original);
    write(
        tmp.path().join("s.yaml"),
        "roles:\n  ops@contoso.com: [Logic App Operator]\n  rui@contoso.com: [Microsoft Sentinel Responder]\n",
    );
    let (code, stdout, stderr) =
        playbook(tmp.path(), &["disable", "p.yaml", "--settings", "s.yaml", "--as", "rui@contoso.com"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "refused: rui@contoso.com may not enable or disable playbooks: enabling or disabling a playbook needs the Logic App Operator or Logic App Contributor role (has: Microsoft Sentinel Responder)\n"
    );
    let (code, _, stderr) = playbook(tmp.path(), &["disable", "p.yaml", "--settings", "s.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("say who changes the playbook with --as NAME"), "{stderr}");
    assert_eq!(read(tmp.path().join("p.yaml")), original, "a refused change writes nothing");
    let (code, _, _) = playbook(tmp.path(), &["disable", "p.yaml", "--settings", "s.yaml", "--as", "OPS@contoso.com"]);
    assert_eq!(code, 0);
    assert!(read(tmp.path().join("p.yaml")).contains("\nenabled: false\n"));
}
