//! Secrets are references, resolved from the environment when a run starts, and never appear
//! in anything a run writes: the run log (human and JSON), audit records, the incident, errors.
//! `connections list` reports each connection Connected or Error by its secret references, and a
//! run warns about a parameter or a connection it calls whose variable is not set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use common::{root, run, soar, NOW};

const SECRET: &str = "sup3r-s3cret-value";
const PLAYBOOK: &str = "tests/fixtures/playbooks/secret-header.yaml";
const MOCKS: &str = "tests/fixtures/playbooks/secret-mocks.yaml";
const INCIDENT: &str = "tests/fixtures/playbooks/incidents/c2-beacon.json";

#[test]
fn a_secret_value_never_appears_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("incident.json");
    let audit = dir.path().join("audit.jsonl");
    for format in ["human", "json"] {
        let (code, stdout, stderr) = run(soar().current_dir(root()).env("TEST_SOAR_API_KEY", SECRET).args([
            "playbook",
            "run",
            "--no-history",
            PLAYBOOK,
            "--incident",
            INCIDENT,
            "--mocks",
            MOCKS,
            "--now",
            NOW,
            "--strict-mocks",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--audit",
            audit.to_str().unwrap(),
        ]));
        assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
        // The mock matched on the real header value, so the secret was used...
        assert!(stdout.contains("<redacted: secret>"), "{stdout}");
        // ...and it is written nowhere.
        let files = [std::fs::read_to_string(&out).unwrap(), std::fs::read_to_string(&audit).unwrap()];
        for (what, text) in [("stdout", &stdout), ("stderr", &stderr), ("--out", &files[0]), ("--audit", &files[1])] {
            assert!(!text.contains(SECRET), "{format} {what} leaks the secret:\n{text}");
        }
        assert!(files[0].contains("Looked up with key <redacted: secret>: malicious"), "{}", files[0]);
    }
}

#[test]
fn a_missing_secret_is_a_warning_in_the_run_log() {
    let (code, stdout, _) = run(soar().current_dir(root()).env_remove("TEST_SOAR_API_KEY").args([
        "playbook",
        "run",
        "--no-history",
        PLAYBOOK,
        "--incident",
        INCIDENT,
        "--now",
        NOW,
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        doc["run"]["warnings"][0],
        "secret parameter 'ApiKey': environment variable TEST_SOAR_API_KEY is not set"
    );
}

#[test]
fn connections_list_shows_status_by_secret_references() {
    let list = |token: Option<&str>| {
        let mut cmd = soar();
        cmd.current_dir(root()).args(["connections", "list", PLAYBOOK, "examples/playbooks"]);
        match token {
            Some(t) => cmd.env("TEST_SOAR_INTEL_TOKEN", t),
            None => cmd.env_remove("TEST_SOAR_INTEL_TOKEN"),
        };
        cmd.env_remove("VT_API_KEY");
        run(&mut cmd)
    };
    let (code, stdout, stderr) = list(None);
    assert_eq!((code, stderr.as_str()), (0, ""));
    insta::assert_snapshot!("connections_list_missing", stdout);
    let (code, stdout, _) = list(Some(SECRET));
    assert_eq!(code, 0);
    let intel = stdout.lines().find(|l| l.starts_with(" intel ")).unwrap();
    let cells: Vec<&str> = intel.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(cells, ["intel", "Threat intel (prod)", "custom:ThreatIntel", "Connected", "Secret header"]);
    assert!(!stdout.contains(SECRET));
}

#[test]
fn a_literal_connection_secret_is_an_error() {
    let (code, stdout, _) = run(soar()
        .current_dir(root())
        .args(["validate", "tests/fixtures/playbooks/bad/literal-connection-secret.yaml"]));
    assert_eq!(code, 1);
    assert!(stdout.starts_with("error[PB017]: secret `api_key` of connection `vt` must be a reference `{env: NAME}`, not a value\n --> tests/fixtures/playbooks/bad/literal-connection-secret.yaml:5:25\n"), "{stdout}");
    assert!(!stdout.contains("0123456789abcdef") || stdout.contains("literal secret"), "{stdout}");
}

/// `playbook run examples/playbooks/enrich-ip-virustotal.yaml` in `format`, with VT_API_KEY
/// set to `key` or unset.
fn enrich(key: Option<&str>, format: &str) -> (i32, String, String) {
    let mut cmd = soar();
    cmd.current_dir(root()).args([
        "playbook",
        "run",
        "--no-history",
        "examples/playbooks/enrich-ip-virustotal.yaml",
        "--incident",
        "examples/incidents/4102-c2-beacon-from-redteam-range.json",
        "--mocks",
        "examples/mocks/enrich-ip-virustotal.yaml",
        "--now",
        NOW,
        "--format",
        format,
    ]);
    match key {
        Some(k) => cmd.env("VT_API_KEY", k),
        None => cmd.env_remove("VT_API_KEY"),
    };
    run(&mut cmd)
}

const VT_UNSET: &str = "connection 'virustotal': environment variable VT_API_KEY is not set";

#[test]
fn a_connection_whose_secret_is_not_set_is_a_warning_once_per_run() {
    // The connection is used once per IP (two iterations): one warning, after the run line.
    let (code, stdout, stderr) = enrich(None, "human");
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert_eq!(stdout.matches("warning: ").count(), 1, "{stdout}");
    assert!(stdout.contains(&format!("\nwarning: {VT_UNSET}\n2 change(s) to the incident\n")), "{stdout}");
    let (code, stdout, _) = enrich(None, "json");
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["run"]["warnings"], serde_json::json!([VT_UNSET]));
    // Set, there is nothing to warn about, and the value is written nowhere.
    for format in ["human", "json"] {
        let (code, stdout, _) = enrich(Some(SECRET), format);
        assert_eq!(code, 0);
        assert!(!stdout.contains("warning") && !stdout.contains("VT_API_KEY"), "{stdout}");
        assert!(!stdout.contains(SECRET), "{stdout}");
    }
}

#[test]
fn a_connection_whose_secret_is_not_set_is_a_warning_in_the_dry_run() {
    let apply = |key: Option<&str>| {
        let mut cmd = soar();
        cmd.current_dir(root()).args([
            "apply",
            "--rules",
            "examples/rules",
            "--playbooks",
            "examples/playbooks",
            "--mocks",
            "examples/mocks",
            "--incidents",
            "examples/incidents/4102-c2-beacon-from-redteam-range.json",
            "--now",
            NOW,
            "--dry-run",
        ]);
        match key {
            Some(k) => cmd.env("VT_API_KEY", k),
            None => cmd.env_remove("VT_API_KEY"),
        };
        run(&mut cmd)
    };
    let (code, stdout, _) = apply(None);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains(&format!("run_playbook: Enrich-IP-VirusTotal (Succeeded; {VT_UNSET})")), "{stdout}");
    let (code, stdout, _) = apply(Some(SECRET));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("run_playbook: Enrich-IP-VirusTotal (Succeeded)"), "{stdout}");
    assert!(!stdout.contains("VT_API_KEY"), "{stdout}");
}
