//! Messages as a user reads them: a warning repeated in several places is said once, naming the
//! places; a duplicate rule name names both definitions; a YAML syntax error gets a plain-words
//! hint (indentation, tabs, a missing colon, an unquoted `: `) in every file kind.

use crate::common::run_args;

const REPEATED: &str = "tests/fixtures/repeated-warnings";

/// Four Sentinel JSON files: three rules share order 1 (SR017), and one rule is read three
/// times (SJ015, twice the same message).
const REPEATED_WARNINGS: &str = "\
warning[SR017]: rules `Tag malware`, `Tag pentest`, `Tag phishing` share order 1
 --> tests/fixtures/repeated-warnings/get.json:2:3
  |
2 |   \"id\": \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspaces/so...
  |   ^^^^
  |
  = note: also at tests/fixtures/repeated-warnings/list.json:30:7, tests/fixtures/repeated-warnings/other.json:2:3
  = help: Sentinel runs rules with the same order in random order; sentinel-soar runs them by name, and `apply`, `test` and `impact` with `--ties permute` try every order. Give each its own order

warning[SJ015]: rule 11111111-1111-1111-1111-111111111111 is the same as in tests/fixtures/repeated-warnings/get.json
 --> tests/fixtures/repeated-warnings/list.json:4:7
  |
4 |       \"id\": \"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/soc/providers/Microsoft.OperationalInsights/workspace...
  |       ^^^^ read once
  |
  = note: also at tests/fixtures/repeated-warnings/upsert.json:2:3

";

#[test]
fn validate_says_a_repeated_warning_once_naming_every_place() {
    let (code, stdout, stderr) = run_args(&["validate", REPEATED]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (0, format!("{REPEATED_WARNINGS}4 automation rule files checked: 0 errors, 2 warnings\n").as_str(), "")
    );
}

#[test]
fn import_says_a_repeated_warning_once() {
    let (code, stdout, stderr) = run_args(&["import", "sentinel", REPEATED]);
    assert_eq!((code, stderr.as_str()), (0, REPEATED_WARNINGS));
    assert_eq!(stdout.matches("\n  - name: ").count(), 3, "{stdout}");
}

#[test]
fn json_lists_every_other_place_of_a_repeated_warning() {
    let (code, stdout, _) = run_args(&["validate", REPEATED, "--format", "json"]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let also: Vec<&serde_json::Value> = report["diagnostics"].as_array().unwrap().iter().map(|d| &d["also"]).collect();
    assert_eq!(
        also,
        [
            &serde_json::json!([
                "tests/fixtures/repeated-warnings/list.json:30:7",
                "tests/fixtures/repeated-warnings/other.json:2:3"
            ]),
            &serde_json::json!(["tests/fixtures/repeated-warnings/upsert.json:2:3"]),
        ]
    );
}

#[test]
fn a_duplicate_rule_name_names_both_definitions() {
    let (code, stdout, stderr) = run_args(&["validate", "tests/fixtures/duplicate-names"]);
    assert_eq!(
        (code, stdout.as_str(), stderr.as_str()),
        (
            1,
            "\
error[SR016]: duplicate rule name `Tag pentest`: also defined at tests/fixtures/duplicate-names/a.yaml:3:5
 --> tests/fixtures/duplicate-names/b.yaml:7:5
  |
7 |   - name: Tag pentest
  |     ^^^^ second rule with this name
  |
  = help: names must be unique across the rule set; rename one of the rules

2 automation rule files checked: 1 error, 0 warnings
",
            ""
        )
    );
}

/// One broken file per hint, in every file kind read as YAML: rules, a playbook, a rule test
/// file, mocks and workspace settings.
#[test]
fn yaml_syntax_errors_get_a_plain_words_hint_in_every_file_kind() {
    let (code, stdout, stderr) = run_args(&["validate", "tests/fixtures/yaml-syntax"]);
    assert_eq!((code, stderr.as_str()), (1, ""));
    insta::assert_snapshot!("yaml_syntax_hints", stdout);
}

#[test]
fn commands_that_read_one_playbook_or_test_file_give_the_hint_too() {
    let (code, _, stderr) = run_args(&["playbook", "show", "tests/fixtures/yaml-syntax/playbook-dedented-step.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            " --> tests/fixtures/yaml-syntax/playbook-dedented-step.yaml:7:2\n  |\n7 |  - id: Done\n  |  ^ here\n  |\n  \
             = help: check the indentation of this line against the one above\n"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = run_args(&["test", "tests/fixtures/yaml-syntax/test-tab.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(
            "error[SR001]: invalid YAML: while scanning a plain scalar, found a tab\n \
             --> tests/fixtures/yaml-syntax/test-tab.yaml:4:11\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("  = help: YAML indentation uses spaces, not tabs (line 5)\n"), "{stderr}");
}

/// The trial that found it: importing the corpus's automation rules said SR017 six times.
/// Skipped when the corpus (`../shared/corpus`, next to the crate) is absent.
#[test]
fn importing_the_corpus_says_the_shared_order_once() {
    let corpus = crate::common::root().join("../shared/corpus/automation-rules");
    if !corpus.is_dir() {
        println!("skipped: {} is absent", corpus.display());
        return;
    }
    let (code, _, stderr) = run_args(&["import", "sentinel", corpus.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let said: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning[")).collect();
    assert_eq!(said.iter().filter(|l| l.starts_with("warning[SR017]")).count(), 1, "{stderr}");
    assert!(stderr.contains("  = note: also at "), "{stderr}");
}
