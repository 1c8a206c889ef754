//! The Workflow Definition Language complete (issue 12): `docs/wdl-functions.md` is the
//! rendering of the function reference table, and the functions and literals once rejected
//! run through the binary (a lone `"@"` was PB011 "the expression is empty"; `xml()` was
//! unsupported). Function semantics are table-driven in `tests/cases/expr/complete.yaml`.

use serde_json::{json, Value};

use crate::common::{root, run, soar, NOW};

#[test]
fn docs_wdl_functions_md_is_the_reference_rendering() {
    let path = root().join("docs/wdl-functions.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = sentinel_soar::playbook::expr::functions::reference::markdown();
    if committed != generated {
        // Rewrite it, so that running the test again passes and `git diff` shows the change.
        std::fs::write(&path, &generated).unwrap();
        panic!(
            "docs/wdl-functions.md did not match the function reference; it has been regenerated: review and commit it"
        );
    }
}

#[test]
fn a_lone_at_is_a_literal_and_xml_runs() {
    let (code, stdout, stderr) = run(soar().current_dir(root()).args([
        "playbook",
        "run",
        "tests/fixtures/playbooks/wdl-literal-and-xml.json",
        "--incident",
        "tests/fixtures/playbooks/incidents/c2-beacon.json",
        "--no-history",
        "--format",
        "json",
        "--now",
        NOW,
    ]));
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let outputs: Vec<(&Value, &Value)> =
        doc["run"]["steps"].as_array().unwrap().iter().map(|s| (&s["name"], &s["outputs"])).collect();
    assert_eq!(
        outputs,
        [
            (&json!("Separator"), &json!("@")),
            (&json!("Joined"), &json!("analyst@contoso.com")),
            (&json!("Verdict"), &json!("malware")),
            (&json!("As_JSON"), &json!({"report": {"@id": "7", "verdict": "malware"}})),
        ]
    );
}
