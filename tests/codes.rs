//! The code registry (`sentinel_soar::diagnostic::code`) against what the tool does: every code
//! that is not retired has a fixture that produces it, with the registry's severity
//! (`tests/fixtures/broken-rules/` for most SR codes, `tests/fixtures/codes/` for the others,
//! one file or directory per code named after it); the committed `docs/codes.md` is the
//! registry's rendering; SARIF describes every rule from the registry, whatever its family;
//! `validate --explain` prints a code's entry, and an unknown code is a usage error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use sentinel_soar::diagnostic::code::{self, Code};
use sentinel_soar::diagnostic::Severity;
use serde_json::Value;

use crate::common::{self, root, soar, NOW};

const BROKEN_RULES: &str = "tests/fixtures/broken-rules";
const CODES: &str = "tests/fixtures/codes";
/// The incident the run-time fixtures run on.
const INCIDENT: &str = "examples/incidents/4101-pentest-pt-07.json";

/// How a fixture is run.
#[derive(Debug, Clone, Copy)]
enum How {
    /// `validate PATH --now NOW` and these arguments.
    Validate(&'static [&'static str]),
    /// `playbook show PATH`: what loading a playbook on its own reports.
    PlaybookShow,
    /// `playbook run PATH --incident INCIDENT --strict-mocks --format json`: the codes are the
    /// run log's `diagnostic` fields.
    PlaybookRun,
    /// `test PATH`.
    Test,
    /// `export sentinel PATH`.
    Export,
    /// `import sentinel PATH` and these arguments.
    Import(&'static [&'static str]),
}

/// A fixture of `tests/fixtures/codes/`: the code, the file or directory (a directory's
/// `tests.yaml` for `test`), how it runs, and the other codes it reports (the cause of an ST006).
struct Fixture {
    code: Code,
    path: &'static str,
    run: How,
    also: &'static [Code],
}

const fn f(code: Code, path: &'static str, run: How) -> Fixture {
    Fixture { code, path, run, also: &[] }
}

const V: How = How::Validate(&[]);
/// `validate --portal defender`: the Defender portal profile's codes.
const DEFENDER: How = How::Validate(&["--portal", "defender"]);

const FIXTURES: &[Fixture] = &[
    f(Code::SR026, "SR026-unknown-playbook", V),
    f(Code::SR036, "SR036-alert-rule-updated.yaml", V),
    f(Code::SR037, "SR037-alert-rule-condition.yaml", V),
    f(Code::SR038, "SR038-playbook-trigger-mismatch", V),
    f(Code::SR039, "SR039-playbook-not-runnable", V),
    f(Code::SR040, "SR040-attach-not-permitted", How::Validate(&["--as", "bob@contoso.com"])),
    f(Code::SR041, "SR041-defender-provider.yaml", DEFENDER),
    f(Code::SR042, "SR042-defender-description.yaml", DEFENDER),
    f(Code::SR043, "SR043-defender-updated-by.yaml", DEFENDER),
    f(Code::SR044, "SR044-defender-title.yaml", DEFENDER),
    f(Code::SR045, "SR045-analytics-rule-id.yaml", V),
    f(Code::SR046, "SR046-unknown-analytics-rule", V),
    f(Code::PB001, "PB001-syntax.json", How::PlaybookShow),
    f(Code::PB002, "PB002-not-a-playbook.json", How::PlaybookShow),
    f(Code::PB003, "PB003-unknown-key.yaml", V),
    f(Code::PB004, "PB004-missing-key.yaml", V),
    f(Code::PB005, "PB005-wrong-type.yaml", V),
    f(Code::PB006, "PB006-unknown-step-kind.json", V),
    f(Code::PB007, "PB007-duplicate-name.json", V),
    f(Code::PB008, "PB008-run-after-unknown.yaml", V),
    f(Code::PB009, "PB009-run-after-cycle.json", V),
    f(Code::PB010, "PB010-invalid-status.json", V),
    f(Code::PB011, "PB011-expression.yaml", V),
    f(Code::PB012, "PB012-not-before.yaml", V),
    f(Code::PB013, "PB013-unknown-action.yaml", V),
    f(Code::PB014, "PB014-not-in-loop.yaml", V),
    f(Code::PB015, "PB015-undefined-variable.yaml", V),
    f(Code::PB016, "PB016-until-without-limit.yaml", V),
    f(Code::PB017, "PB017-secret-literal.yaml", V),
    f(Code::PB018, "PB018-unknown-connection.json", V),
    f(Code::PB020, "PB020-invalid-value.yaml", V),
    f(Code::PB021, "PB021-mock-only-type.json", V),
    f(Code::PB022, "PB022-unknown-static-result.json", V),
    f(Code::PB023, "PB023-mocks.yaml", V),
    f(Code::PB024, "PB024-nested-initialize.yaml", V),
    f(Code::PB025, "PB025-too-deep.json", V),
    f(Code::PB026, "PB026-settings.yaml", V),
    f(Code::PB040, "PB040-foreach-not-array.yaml", How::PlaybookRun),
    f(Code::PB041, "PB041-evaluation.yaml", How::PlaybookRun),
    f(Code::PB042, "PB042-budget.yaml", How::PlaybookRun),
    f(Code::PB043, "PB043-no-mock.yaml", How::PlaybookRun),
    f(Code::PB044, "PB044-bad-input.yaml", How::PlaybookRun),
    f(Code::SJ001, "SJ001-json-syntax.json", V),
    f(Code::SJ002, "SJ002-not-rules.json", How::Import(&[])),
    f(Code::SJ003, "SJ003-missing-field.json", V),
    f(Code::SJ004, "SJ004-wrong-type.json", V),
    f(Code::SJ005, "SJ005-unknown-value.json", V),
    f(Code::SJ006, "SJ006-unresolved-expression.json", V),
    f(Code::SJ007, "SJ007-unsupported-arm.json", V),
    f(Code::SJ008, "SJ008-array-type-position.json", V),
    f(Code::SJ009, "SJ009-changed-operator.json", V),
    f(Code::SJ010, "SJ010-no-automation-rules.json", How::Import(&[])),
    f(Code::SJ011, "SJ011-not-exportable.yaml", How::Export),
    f(Code::SJ012, "SJ012-playbook-id.json", V),
    f(Code::SJ013, "SJ013-classification-without-status.json", V),
    f(Code::SJ014, "SJ014-bad-param.json", How::Import(&["--param", "workspaceNam=soc"])),
    f(Code::SJ015, "SJ015-same-rule", V),
    f(Code::SJ016, "SJ016-expression-syntax.json", V),
    f(Code::SJ017, "SJ017-undeclared-parameter.json", V),
    f(Code::SJ018, "SJ018-evaluation.json", V),
    f(Code::ST001, "ST001-path-not-found", How::Test),
    f(Code::ST002, "ST002-invalid-incident", How::Test),
    f(Code::ST003, "ST003-unknown-rule", How::Test),
    f(Code::ST004, "ST004-duplicate-test-name", How::Test),
    f(Code::ST005, "ST005-conflicting-keys", How::Test),
    Fixture { code: Code::ST006, path: "ST006-invalid-rules", run: How::Test, also: &[Code::SR006] },
    f(Code::ST007, "ST007-no-tests", How::Test),
    f(Code::ST008, "ST008-unknown-action", How::Test),
    f(Code::ST009, "ST009-unknown-playbook", How::Test),
    f(Code::AR001, "AR001-syntax.yaml", V),
    f(Code::AR002, "AR002-missing-field.yaml", V),
    f(Code::AR003, "AR003-id-not-guid.yaml", V),
    f(Code::AR004, "AR004-invalid-value.yaml", V),
    f(Code::AR005, "AR005-entity-mapping.yaml", V),
    f(Code::AR006, "AR006-duplicate-id", V),
    f(Code::AR007, "AR007-wrong-type.yaml", V),
    f(Code::RP001, "RP001-not-sentinel.json", V),
    f(Code::RP002, "RP002-content-syntax", V),
    f(Code::RP003, "RP003-deployment-config", V),
    f(Code::RP004, "RP004-parameter-file", V),
    f(
        Code::RP005,
        "RP005-expired-suppression",
        How::Validate(&["--config", "tests/fixtures/codes/RP005-expired-suppression/sentinel-soar.toml"]),
    ),
    f(Code::RP006, "RP006-inline-suppression.yaml", V),
];

/// Every fixture: the broken-rules set (its file stems start with their code; SR031 shows
/// under `--sentinel`) and [`FIXTURES`], as (code, path from the crate root, run, also).
fn all_fixtures() -> Vec<(Code, String, How, &'static [Code])> {
    let mut out = Vec::new();
    let mut stems: Vec<String> = std::fs::read_dir(root().join(BROKEN_RULES))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    for name in stems {
        let code = Code::from_id(&name[..5]).unwrap_or_else(|| panic!("{name}: not named after a code"));
        let run = if code == Code::SR031 { How::Validate(&["--sentinel"]) } else { V };
        out.push((code, format!("{BROKEN_RULES}/{name}"), run, &[][..]));
    }
    for fixture in FIXTURES {
        out.push((fixture.code, format!("{CODES}/{}", fixture.path), fixture.run, fixture.also));
    }
    out
}

/// Runs a fixture; returns every (severity, code) it reported and the whole output, for
/// messages.
fn findings(path: &str, run: How) -> (Vec<(Severity, Code)>, String) {
    let mut cmd = soar();
    cmd.current_dir(root());
    match run {
        How::Validate(args) => cmd.args(["validate", path, "--now", NOW]).args(args),
        How::PlaybookShow => cmd.args(["playbook", "show", path]),
        How::PlaybookRun => cmd.args(["playbook", "run", path, "--incident", INCIDENT, "--now", NOW]).args([
            "--strict-mocks",
            "--no-history",
            "--format",
            "json",
        ]),
        How::Test => cmd.args(["test", &format!("{path}/tests.yaml")]),
        How::Export => cmd.args(["export", "sentinel", path]),
        How::Import(args) => cmd.args(["import", "sentinel", path]).args(args),
    };
    let (_, stdout, stderr) = common::run(&mut cmd);
    let mut found = Vec::new();
    if matches!(run, How::PlaybookRun) {
        collect_run_diagnostics(&serde_json::from_str(&stdout).unwrap(), &mut found);
    }
    for line in stdout.lines().chain(stderr.lines()) {
        for (prefix, severity) in
            [("error[", Severity::Error), ("warning[", Severity::Warning), ("info[", Severity::Info)]
        {
            if let Some(id) = line.strip_prefix(prefix).and_then(|rest| rest.split_once(']')).map(|(id, _)| id) {
                found.push((severity, Code::from_id(id).unwrap_or_else(|| panic!("unknown code in {line:?}"))));
            }
        }
    }
    (found, format!("{stdout}{stderr}"))
}

/// The `diagnostic` codes of a run log (every one fails its action: an error).
fn collect_run_diagnostics(value: &Value, found: &mut Vec<(Severity, Code)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("diagnostic", Value::String(id)) => found.push((Severity::Error, Code::from_id(id).unwrap())),
                    _ => collect_run_diagnostics(v, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_run_diagnostics(v, found)),
        _ => {}
    }
}

#[test]
fn every_code_in_use_has_a_fixture_that_produces_it_with_its_severity() {
    let fixtures = all_fixtures();
    // One fixture per code, for exactly the codes that are not retired.
    let covered: Vec<Code> = fixtures.iter().map(|(code, ..)| *code).collect();
    let unique: BTreeSet<&str> = covered.iter().map(|c| c.id()).collect();
    assert_eq!(unique.len(), covered.len(), "a code has two fixtures");
    let active: BTreeSet<&str> = Code::ALL.iter().filter(|c| !c.is_retired()).map(|c| c.id()).collect();
    assert_eq!(unique, active, "fixtures and the registry's codes in use differ");
    // Every file of tests/fixtures/codes is a listed fixture, named after its code.
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join(CODES))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|f| f.path.to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every fixture in {CODES} is listed in FIXTURES");
    for fixture in FIXTURES {
        assert!(fixture.path.starts_with(fixture.code.id()), "{} is not named after {}", fixture.path, fixture.code);
    }
    for (code, path, run, also) in fixtures {
        let (found, output) = findings(&path, run);
        let codes: BTreeSet<Code> = found.iter().map(|(_, c)| *c).collect();
        let expected: BTreeSet<Code> = std::iter::once(code).chain(also.iter().copied()).collect();
        assert_eq!(codes, expected, "{path} ({run:?}) reports other codes than {code}:\n{output}");
        for (severity, _) in found.iter().filter(|(_, c)| *c == code) {
            assert_eq!(*severity, code.severity(), "{path}: {code} is reported as {severity}:\n{output}");
        }
    }
}

#[test]
fn docs_codes_md_is_the_registry_rendering() {
    let path = root().join("docs/codes.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = code::reference();
    if committed != generated {
        // Rewrite it, so that running the test again passes and `git diff` shows the change.
        std::fs::write(&path, &generated).unwrap();
        panic!("docs/codes.md did not match the code registry; it has been regenerated: review and commit it");
    }
}

#[test]
fn sarif_describes_every_family_from_the_registry() {
    let paths = [
        "tests/fixtures/broken-rules/SR003-unknown-key.yaml",
        "tests/fixtures/broken-rules/SR017-shared-order.yaml",
        "tests/fixtures/codes/PB011-expression.yaml",
        "tests/fixtures/codes/PB018-unknown-connection.json",
        "tests/fixtures/codes/SJ005-unknown-value.json",
        "tests/fixtures/codes/ST004-duplicate-test-name/tests.yaml",
    ];
    let (exit, sarif, stderr) =
        common::run(soar().current_dir(root()).arg("validate").args(paths).args(["--now", NOW, "--format", "sarif"]));
    assert_eq!((exit, stderr.as_str()), (1, ""));
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["PB011", "PB018", "SJ005", "SR003", "SR017", "ST004"]);
    for rule in rules {
        let code = Code::from_id(rule["id"].as_str().unwrap()).unwrap();
        assert_eq!(rule["shortDescription"]["text"], code.summary(), "{code}");
        assert_eq!(rule["fullDescription"]["text"], code.description(), "{code}");
        assert_eq!(rule["help"]["markdown"], code.explanation(), "{code}");
        assert_eq!(rule["defaultConfiguration"]["level"], code.severity().to_string(), "{code}");
    }
    insta::assert_snapshot!("sarif_all_families", sarif);
}

#[test]
fn explain_prints_a_code_ignoring_case() {
    let (exit, stdout, stderr) = common::run(soar().args(["validate", "--explain", "PB011"]));
    assert_eq!((exit, stderr.as_str()), (0, ""));
    assert_eq!(stdout, code::explain(Code::PB011));
    insta::assert_snapshot!("explain_pb011", stdout);
    assert_eq!(common::run(soar().args(["validate", "--explain", "pb011"])), (0, stdout, String::new()));
}

#[test]
fn explain_of_an_unknown_code_is_a_usage_error() {
    let (exit, stdout, stderr) = common::run(soar().args(["validate", "--explain", "PB99"]));
    assert_eq!((exit, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("explain_unknown_close", stderr);
    let (exit, stdout, stderr) = common::run(soar().args(["validate", "--explain", "E0308"]));
    assert_eq!((exit, stdout.as_str()), (2, ""));
    insta::assert_snapshot!("explain_unknown_far", stderr);
    // --explain replaces the check: paths with it are a usage error, not ignored.
    let (exit, _, stderr) = common::run(soar().args(["validate", "--explain", "SR003", "rules/"]));
    assert_eq!(exit, 2);
    assert!(stderr.starts_with("error: the argument '--explain <CODE>' cannot be used with '<PATH>...'"), "{stderr}");
}

/// Every code a diagnostic shows, in its header or under its caret, is one `--explain` knows:
/// the label of PB011 was the expression error's inner code (`SX005`), which it did not.
#[test]
fn the_labels_under_carets_name_no_code_outside_the_registry() {
    let looks_like_code = |w: &str| {
        w.len() == 5
            && w.chars().take(2).all(|c| c.is_ascii_uppercase())
            && w.chars().skip(2).all(|c| c.is_ascii_digit())
    };
    let mut labels = 0;
    for (_, path, run, _) in all_fixtures() {
        let (_, output) = findings(&path, run);
        for line in output.lines().filter(|l| l.trim_start().starts_with('|') && l.contains('^')) {
            labels += 1;
            let label = line.rsplit('^').next().unwrap_or_default();
            for word in label.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| looks_like_code(w)) {
                assert!(Code::from_id(word).is_some(), "{path}: `{word}` under a caret is no registry code: {line}");
            }
        }
    }
    assert!(labels > 50, "the fixtures show labels ({labels})");
    let (_, output) = findings("tests/fixtures/codes/PB011-expression.yaml", V);
    assert!(output.contains("^^^^^^^^^^^^^^ unexpected token\n"), "{output}");
}
