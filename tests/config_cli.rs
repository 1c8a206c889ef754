//! `sentinel-soar.toml` driven as a user would: found from the working directory upwards and no
//! higher than the repository root, `--config` and `--no-config`, every mistake a located usage
//! error (exit 2); `include`/`exclude`, `sentinel`, `strict` and `portal` (validate, test,
//! apply, impact); suppressions (`ignore`, `per-path-ignores`, `[[suppress]]` with expiry, inline
//! comments) counted, listed with `--verbose`, carried by JSON and SARIF, never dropped; and the
//! committed JSON Schema, which every configuration in the repository passes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use serde_json::Value;

use crate::ci_helpers::sarif_validator;
use crate::common::{normalize, root, run, soar, NOW};

/// The configured example (docs/ci.md's): drafts excluded, strict, three suppressions.
const EXAMPLE: &str = "tests/fixtures/config";
const EXAMPLE_CONFIG: &str = "tests/fixtures/config/sentinel-soar.toml";
const TIES: &str = "tests/fixtures/broken-rules/SR017-shared-order.yaml";

fn soar_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(dir).args(args))
}

fn validate_example(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["validate", EXAMPLE, "--config", EXAMPLE_CONFIG, "--now", NOW];
    args.extend(extra);
    soar_in(&root(), &args)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_configuration_is_found_upwards_and_no_higher_than_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let outer = dir.path();
    let repo = outer.join("repo");
    let rules = repo.join("rules");
    write(&outer.join("sentinel-soar.toml"), "strict = true\n");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::copy(root().join(TIES), rules.join("ties.yaml")).unwrap();
    let validate = |args: &[&str]| soar_in(&rules, &[&["validate", ".", "--now", NOW][..], args].concat());
    assert_eq!(validate(&[]).0, 0, "the file above the repository's root does not apply");
    write(&repo.join("sentinel-soar.toml"), "strict = true\n");
    let (exit, stdout, _) = validate(&["--verbose"]);
    assert_eq!(exit, 1, "found two directories up: warnings fail");
    assert!(normalize(&stdout, outer).starts_with("config   [TMP]/repo/sentinel-soar.toml\nchecked  "), "{stdout}");
    assert_eq!(validate(&["--no-config"]).0, 0);
    let (exit, _, _) = soar_in(&rules, &["validate", ".", "--now", NOW, "--config", "../../sentinel-soar.toml"]);
    assert_eq!(exit, 1, "--config names the file");
    let (exit, _, stderr) = validate(&["--config", "x.toml", "--no-config"]);
    assert_eq!(exit, 2);
    assert!(stderr.contains("'--config <PATH>' cannot be used with '--no-config'"), "{stderr}");
}

#[test]
fn a_bad_configuration_is_an_error_at_its_line_and_column_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::copy(root().join(TIES), dir.path().join("ties.yaml")).unwrap();
    let cases = [
        ("strict = true\nstrictt = true\n", "error: sentinel-soar.toml:2:1: unknown field `strictt`, expected one of `include`, `exclude`, `sentinel`, `strict`, `portal`, `ignore`, `per-path-ignores`, `suppress`\n"),
        ("ignore = [\"SR17\"]\n", "error: sentinel-soar.toml:1:11: unknown code `SR17`: did you mean `SR017`?\n"),
        ("portal = \"xdr\"\n", "error: sentinel-soar.toml:1:10: unknown variant `xdr`, expected `azure` or `defender`\n"),
        (
            "[[suppress]]\ncodes = [\"SR017\"]\nreason = \"ties\"\nexpires = \"soon\"\n",
            "error: sentinel-soar.toml:4:11: invalid type: string \"soon\", expected a TOML datetime\n",
        ),
        // The usual TOML mistakes get a hint: a date in quotes, a top-level key below a table.
        (
            "[[suppress]]\ncodes = [\"SR017\"]\nreason = \"ties\"\nexpires = \"2027-01-01\"\n",
            "error: sentinel-soar.toml:4:11: invalid type: string \"2027-01-01\", expected a TOML datetime; TOML writes a date without quotes: expires = 2027-01-01\n",
        ),
        (
            "strict = true\n\n[per-path-ignores]\n\"Playbooks/Legacy\" = [\"PB021\"]\nsentinel = true\n",
            "error: sentinel-soar.toml:5:12: invalid type: boolean `true`, expected a sequence; `sentinel` is below the [per-path-ignores] header, so it is read as part of that table: move it above the first table\n",
        ),
        (
            "[[suppress]]\ncodes = [\"SR017\"]\nreason = \"ties\"\nstrict = true\n",
            "error: sentinel-soar.toml:4:1: unknown field `strict`, expected one of `codes`, `path`, `reason`, `expires`; `strict` is below the [[suppress]] header, so it is read as part of that table: move it above the first table\n",
        ),
    ];
    for (text, want) in cases {
        write(&dir.path().join("sentinel-soar.toml"), text);
        let (exit, stdout, stderr) = soar_in(dir.path(), &["validate", ".", "--now", NOW]);
        assert_eq!((exit, stdout.as_str(), stderr.as_str()), (2, "", want), "{text}");
    }
    let (exit, _, stderr) = soar_in(dir.path(), &["validate", ".", "--config", "missing.toml"]);
    assert_eq!(exit, 2);
    assert!(stderr.starts_with("error: missing.toml: cannot read the configuration: "), "{stderr}");
    // test and apply read it too (for `portal`), and refuse it the same way.
    let (exit, _, stderr) = soar_in(dir.path(), &["test", ".", "--config", "missing.toml"]);
    assert_eq!(exit, 2, "{stderr}");
}

#[test]
fn suppressed_findings_are_counted_listed_and_carried_never_dropped() {
    let (exit, human, stderr) = validate_example(&[]);
    assert_eq!((exit, stderr.as_str()), (1, ""), "strict = true: the two warnings fail the run");
    assert!(
        human
            .ends_with("\n3 automation rule files checked; 1 other file skipped: 0 errors, 2 warnings, 3 suppressed\n"),
        "{human}"
    );
    // --verbose lists the configuration, the excluded draft and each suppressed finding.
    let (_, verbose, _) = validate_example(&["--verbose"]);
    let head: Vec<&str> = verbose.lines().take(9).collect();
    assert_eq!(head[0], "config   tests/fixtures/config/sentinel-soar.toml");
    assert_eq!(head[4], "excluded automation rule file   tests/fixtures/config/Drafts/unfinished.yaml");
    assert_eq!(
        head[5],
        "suppressed  warning[SR024] tests/fixtures/config/AutomationRules/legacy.yaml:3:10: rule `Close legacy scanner incidents` expired on 2026-01-31T00:00:00Z; it will not run (the legacy rule stays off until the migration is signed off; tests/fixtures/config/sentinel-soar.toml:7:1)"
    );
    assert!(
        head[6].starts_with("suppressed  warning[SR017] tests/fixtures/config/AutomationRules/pentest.yaml:3:5: "),
        "{verbose}"
    );
    assert!(head[6].ends_with("(both rules only add tags, so their order does not matter; tests/fixtures/config/AutomationRules/pentest.yaml:2:3)"));
    // SR017 is said at both rules: each place has its comment.
    assert!(
        head[7].starts_with("suppressed  warning[SR017] tests/fixtures/config/AutomationRules/pentest.yaml:9:5: "),
        "{verbose}"
    );
    assert!(head[7].ends_with("(tags only, as above; tests/fixtures/config/AutomationRules/pentest.yaml:9:34)"));
    assert_eq!(head[8], "");

    // JSON: the problems, then what was suppressed and by what.
    let (_, json, _) = validate_example(&["--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let codes = |key: &str| -> Vec<String> {
        report[key].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(codes("diagnostics"), ["SR025", "RP005"]);
    assert_eq!(codes("suppressed"), ["SR024", "SR017", "SR017"]);
    assert_eq!(report["suppressed"][1]["suppression"]["kind"], "inline");
    assert_eq!(report["suppressed"][0]["suppression"]["kind"], "config");
    assert_eq!((report["summary"]["warnings"].as_u64(), report["summary"]["suppressed"].as_u64()), (Some(2), Some(3)));

    // SARIF: every finding a result, the suppressed ones with their suppression; a valid log.
    let (_, sarif, _) = validate_example(&["--format", "sarif"]);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let errors: Vec<String> =
        sarif_validator().iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressions: Vec<(&str, Value)> =
        results.iter().map(|r| (r["ruleId"].as_str().unwrap(), r["suppressions"].clone())).collect();
    assert_eq!(
        suppressions[..2].iter().map(|(id, s)| (*id, s.is_null())).collect::<Vec<_>>(),
        [("SR025", true), ("RP005", true)]
    );
    assert_eq!(suppressions[2].0, "SR024");
    assert_eq!(
        suppressions[2].1,
        serde_json::json!([{"kind": "external", "status": "accepted", "justification": "the legacy rule stays off until the migration is signed off"}])
    );
    assert_eq!(suppressions[3].1[0]["kind"], "inSource");

    // The formats CI annotates with leave suppressed findings out.
    let (_, github, _) = validate_example(&["--format", "github"]);
    assert_eq!(github.lines().count(), 2, "{github}");
    let (_, gitlab, _) = validate_example(&["--format", "gitlab"]);
    assert_eq!(serde_json::from_str::<Value>(&gitlab).unwrap().as_array().map(Vec::len), Some(2), "{gitlab}");

    // Once the second suppression has expired too, its finding is back and so is an RP005.
    let (_, json, _) =
        soar_in(&root(), &["validate", EXAMPLE, "--config", EXAMPLE_CONFIG, "--now", "2026-09-01", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SR025", "SR024", "RP005", "RP005"]);
}

#[test]
fn exclude_leaves_walked_files_out_but_never_named_ones_and_include_keeps_only_its_own() {
    let (_, stdout, _) = validate_example(&["--format", "json"]);
    assert!(!stdout.contains("SR001"), "the broken draft is not read: {stdout}");
    let draft = "tests/fixtures/config/Drafts/unfinished.yaml";
    let (exit, stdout, _) = soar_in(&root(), &["validate", draft, "--config", EXAMPLE_CONFIG, "--now", NOW]);
    assert_eq!(exit, 1);
    assert!(stdout.starts_with("error[SR001]: "), "a file named on the command line is checked: {stdout}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    common_copy(dir.path(), "AutomationRules/ties.yaml", TIES);
    common_copy(dir.path(), "Elsewhere/ties.yaml", TIES);
    write(&dir.path().join("sentinel-soar.toml"), "include = [\"AutomationRules/*.yaml\"]\n");
    let (exit, stdout, _) = soar_in(dir.path(), &["validate", ".", "--now", NOW, "--verbose"]);
    assert_eq!(exit, 0);
    assert!(stdout.contains("\nexcluded automation rule file   Elsewhere/ties.yaml\n"), "{stdout}");
    assert!(stdout.contains("\nchecked  automation rule file   AutomationRules/ties.yaml\n"), "{stdout}");
}

fn common_copy(dir: &Path, to: &str, from: &str) {
    let target = dir.join(to);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(root().join(from), target).unwrap();
}

#[test]
fn ignore_and_per_path_ignores_suppress_by_code_and_by_glob() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    common_copy(dir.path(), "ties.yaml", TIES);
    let expired = |name: &str, order: u32| {
        format!("name: {name}\norder: {order}\nexpires: 2025-12-31T23:59:59Z\nactions:\n  - add_tags: [x]\n")
    };
    write(&dir.path().join("legacy/old.yaml"), &expired("Legacy rule", 1));
    write(&dir.path().join("current/old.yaml"), &expired("Current rule", 2));
    write(
        &dir.path().join("sentinel-soar.toml"),
        "ignore = [\"SR017\"]\n\n[per-path-ignores]\n\"legacy\" = [\"SR024\"]\n",
    );
    let (exit, json, _) = soar_in(dir.path(), &["validate", ".", "--now", NOW, "--format", "json"]);
    assert_eq!(exit, 0);
    let report: Value = serde_json::from_str(&json).unwrap();
    let problems: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(problems, [("SR024", "current/old.yaml")], "the other SR024 is in a file the glob does not match");
    let suppressed: Vec<(&str, &str, &str)> = report["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = &d["suppression"];
            (d["file"].as_str().unwrap(), s["reason"].as_str().unwrap(), s["at"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        suppressed,
        [
            ("legacy/old.yaml", "listed in `per-path-ignores` for `legacy`", "sentinel-soar.toml:4:1"),
            ("ties.yaml", "listed in `ignore`", "sentinel-soar.toml:1:11"),
        ]
    );
}

#[test]
fn sentinel_strict_and_portal_come_from_the_configuration_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let config = dir.path().join("sentinel-soar.toml");
    let config = config.to_str().unwrap();
    let validate = |path: &str, args: &[&str]| -> (i32, String) {
        let (exit, stdout, _) = soar_in(
            &root(),
            &[&["validate", path, "--now", NOW, "--config", config, "--format", "json"][..], args].concat(),
        );
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let codes: Vec<&str> =
            report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
        (exit, codes.join(" "))
    };
    let extension = "tests/fixtures/broken-rules/SR031-extension-operator.yaml";
    write(Path::new(config), "sentinel = true\n");
    assert_eq!(validate(extension, &[]), (1, "SR031".to_owned()));
    write(Path::new(config), "strict = true\n");
    assert_eq!(validate(TIES, &[]), (1, "SR017".to_owned()));
    write(Path::new(config), "portal = \"defender\"\n");
    let provider = "tests/fixtures/codes/SR041-defender-provider.yaml";
    assert_eq!(validate(provider, &[]), (1, "SR041".to_owned()));
    assert_eq!(validate(provider, &["--portal", "azure"]), (0, String::new()), "the flag wins");

    // test and apply run rules as the configured portal runs them.
    let tests = "tests/fixtures/defender/tests.yaml";
    let with_flag = soar_in(&root(), &["test", tests, "--portal", "defender", "--no-config"]);
    assert_eq!(soar_in(&root(), &["test", tests, "--config", config]), with_flag);
    let alerts = [
        "apply",
        "--rules",
        "tests/fixtures/defender/alert-rules.yaml",
        "--alerts",
        "tests/fixtures/defender/alerts.json",
        "--now",
        NOW,
    ];
    let with_flag = soar_in(&root(), &[&alerts[..], &["--portal", "defender", "--no-config"]].concat());
    assert!(with_flag.2.contains("--portal defender"), "{with_flag:?}");
    assert_eq!(soar_in(&root(), &[&alerts[..], &["--config", config]].concat()), with_flag);
    // impact runs both sides as the configured portal runs them.
    let rules = "tests/fixtures/defender/rules.yaml";
    let incidents = "tests/fixtures/defender/incidents.json";
    let impact = ["impact", "--base", rules, "--head", rules, "--incidents", incidents, "--now", NOW];
    let with_flag = soar_in(&root(), &[&impact[..], &["--portal", "defender", "--no-config"]].concat());
    assert!(with_flag.2.contains("(--portal defender)"), "{with_flag:?}");
    assert_eq!(soar_in(&root(), &[&impact[..], &["--config", config]].concat()), with_flag);
    assert_ne!(soar_in(&root(), &[&impact[..], &["--config", config, "--portal", "azure"]].concat()), with_flag);
}

/// A TOML document as JSON, dates as the strings they are written as (how editors check TOML
/// against a JSON Schema).
fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::from(s.as_str()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::from(*b),
        toml::Value::Datetime(d) => Value::from(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(table.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}

#[test]
fn the_committed_schema_is_generated_and_every_configuration_passes_it() {
    let (exit, generated, _) = soar_in(&root(), &["schema", "config"]);
    assert_eq!(exit, 0);
    let committed = std::fs::read_to_string(root().join("schemas/config.schema.json")).unwrap();
    assert_eq!(
        generated, committed,
        "schemas/config.schema.json is stale: run `cargo run -- schema config > schemas/config.schema.json`"
    );
    let schema: Value = serde_json::from_str(&committed).unwrap();
    let keys: Vec<&str> = schema["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, sentinel_soar::config::file::KEYS, "the schema lists what the decoder reads");
    let validator = jsonschema::draft7::options().should_validate_formats(true).build(&schema).unwrap();
    let configs = [
        "examples/repo/sentinel-soar.toml",
        EXAMPLE_CONFIG,
        "tests/fixtures/codes/RP005-expired-suppression/sentinel-soar.toml",
    ];
    for path in configs {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let value = toml_to_json(&toml::Value::Table(toml::from_str(&text).unwrap()));
        let errors: Vec<String> =
            validator.iter_errors(&value).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
        assert!(text.starts_with("#:schema "), "{path}: editors find the schema from the first line");
        let (exit, _, stderr) =
            soar_in(&root(), &["validate", "examples/repo/Detections", "--config", path, "--now", NOW]);
        assert!(exit != 2, "{path}: {stderr}");
    }
    // What the decoder refuses, the schema refuses.
    for bad in [
        serde_json::json!({"strictt": true}),
        serde_json::json!({"ignore": ["SR999"]}),
        serde_json::json!({"suppress": [{"codes": ["SR017"]}]}),
        serde_json::json!({"portal": "xdr"}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}

#[test]
fn a_strict_run_fails_the_junit_test_case_of_a_file_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::copy(root().join(TIES), dir.path().join("ties.yaml")).unwrap();
    let junit = |args: &[&str]| {
        let (exit, stdout, stderr) =
            soar_in(dir.path(), &[&["validate", ".", "--now", NOW, "--format", "junit"][..], args].concat());
        assert_eq!(stderr, "");
        let report = quick_junit::Report::deserialize_from_str(&stdout).unwrap();
        (exit, report.tests, report.failures, stdout)
    };
    let (exit, tests, failures, xml) = junit(&[]);
    assert_eq!((exit, tests, failures), (0, 1, 0), "warnings pass: {xml}");
    assert!(xml.contains("<system-out>warning: ties.yaml:"), "{xml}");
    let (exit, tests, failures, xml) = junit(&["--strict"]);
    assert_eq!((exit, tests, failures), (1, 1, 1), "{xml}");
    assert!(
        xml.contains(r#"<failure message="ties.yaml:3:5 SR017 rules `Fixture SR017 shared order A`, `Fixture SR017 shared order B` share order 617 (warnings fail the run: strict)" type="SR017">"#),
        "{xml}"
    );
    write(&dir.path().join("sentinel-soar.toml"), "strict = true\n");
    assert_eq!(junit(&[]).3, xml, "strict = true in the configuration fails it the same way");
}

#[test]
fn a_configuration_under_the_validated_path_that_is_not_used_gets_a_note() {
    // A monorepo: the Sentinel content and its sentinel-soar.toml (strict) in sentinel/.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let sentinel = dir.path().join("sentinel");
    write(&sentinel.join("sentinel-soar.toml"), "strict = true\n");
    std::fs::copy(root().join(TIES), sentinel.join("ties.yaml")).unwrap();
    let note = "note: sentinel/sentinel-soar.toml is not used: the configuration is looked up from the working directory upwards and none is there; run from sentinel, or give --config sentinel/sentinel-soar.toml\n";
    let (exit, stdout, stderr) = soar_in(dir.path(), &["validate", "sentinel", "--now", NOW, "--verbose"]);
    assert_eq!((exit, stderr.as_str()), (0, note), "the configuration is not used: warnings pass");
    assert!(
        stdout.starts_with("config   none (no sentinel-soar.toml in the working directory or above)\nchecked  "),
        "{stdout}"
    );
    let (exit, _, stderr) = soar_in(dir.path(), &["validate", "sentinel/ties.yaml", "--now", NOW]);
    assert_eq!((exit, stderr.as_str()), (0, note), "a file under it too");
    // Choosing says nothing; from its directory it is used.
    let (exit, _, stderr) =
        soar_in(dir.path(), &["validate", "sentinel", "--now", NOW, "--config", "sentinel/sentinel-soar.toml"]);
    assert_eq!((exit, stderr.as_str()), (1, ""));
    let (exit, _, stderr) = soar_in(dir.path(), &["validate", "sentinel", "--now", NOW, "--no-config"]);
    assert_eq!((exit, stderr.as_str()), (0, ""));
    let (exit, _, stderr) = soar_in(&sentinel, &["validate", ".", "--now", NOW]);
    assert_eq!((exit, stderr.as_str()), (1, ""));
    // One in use at the top, another one in the path: the note says which one is read; one
    // deeper in a walked directory is never read, and not noted.
    write(&dir.path().join("sentinel-soar.toml"), "portal = \"azure\"\n");
    let (exit, _, stderr) = soar_in(dir.path(), &["validate", ".", "--now", NOW]);
    assert_eq!((exit, stderr.as_str()), (0, ""));
    let (exit, _, stderr) = soar_in(dir.path(), &["validate", "sentinel", "--now", NOW]);
    assert_eq!(exit, 0);
    assert_eq!(stderr, "note: sentinel/sentinel-soar.toml is not used: the configuration is looked up from the working directory upwards, which finds sentinel-soar.toml; run from sentinel, or give --config sentinel/sentinel-soar.toml\n");
}
