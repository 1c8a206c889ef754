//! The ready-made CI integrations run as their CI would run them: the GitHub composite action
//! (`action.yml`), the Azure Pipelines template (`ci/azure-pipelines/validate.yml`) and the
//! pre-commit hook (`.pre-commit-hooks.yaml`) are read with serde-saphyr, the commands that call
//! sentinel-soar are taken out of them (inputs and parameters given their defaults), and run with
//! bash and the binary this `cargo test` built, on a copy of `examples/repo` (a repository of its
//! own, with its `sentinel-soar.toml`) clean and with a broken rule: exit codes, and output in the
//! format each asks for. The CI jobs the guide shows call commands and flags that exist.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::ci_helpers::{issues, parse_all, sarif_validator, Line};
use crate::common::{copy_dir, root};

/// The broken rule added to the repository: SR006 at 5:17.
const BROKEN: &str = "tests/fixtures/broken-rules/SR006-unknown-property.yaml";

fn yaml(path: &str) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(root().join(path)).unwrap()).unwrap()
}

/// A copy of examples/repo in a repository of its own (so that its sentinel-soar.toml is the
/// one found, and nothing above it), optionally with a broken rule.
fn repository(broken: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("examples/repo"), dir.path());
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    if broken {
        std::fs::copy(root().join(BROKEN), dir.path().join("AutomationRules/broken.yaml")).unwrap();
    }
    dir
}

/// `PATH` with the directory of the binary under test first.
fn path_with_binary() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_sentinel-soar"));
    let dir = bin.parent().unwrap().display().to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}

/// Runs `script` with bash as the CI runs it, in `dir`: exit code, stdout, stderr.
fn bash(script: &str, dir: &Path, env: &BTreeMap<String, String>) -> (i32, String, String) {
    let out = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path_with_binary())
        .env("NO_COLOR", "1")
        .envs(env)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), text(out.stdout), text(out.stderr))
}

/// `text` with every `${{ PREFIX.NAME }}` replaced by `values[NAME]`.
fn expand(text: &str, prefix: &str, values: &BTreeMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("${{{{ {prefix}.{name} }}}}"), value);
    }
    assert!(!out.contains(&format!("${{{{ {prefix}.")), "an unknown {prefix} in {text:?}");
    out
}

fn string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        other => panic!("not a scalar: {other}"),
    }
}

// ---- GitHub composite action ----

/// The action's steps, and its inputs' defaults.
fn action() -> (Vec<Value>, BTreeMap<String, String>) {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let defaults =
        action["inputs"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), string(&v["default"]))).collect();
    (action["runs"]["steps"].as_array().unwrap().clone(), defaults)
}

fn step<'a>(steps: &'a [Value], name: &str) -> &'a Value {
    steps.iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("no step `{name}`"))
}

/// Runs the action's validate step with `inputs` on `dir`: its exit code, its outputs, and the
/// SARIF log it wrote.
fn run_validate_step(dir: &Path, inputs: &BTreeMap<String, String>) -> (i32, BTreeMap<String, String>, Value) {
    let (steps, _) = action();
    let validate = step(&steps, "Validate");
    assert_eq!((validate["id"].as_str(), validate["shell"].as_str()), (Some("validate"), Some("bash")));
    let script = string(&validate["run"]);
    assert!(script.contains("sentinel-soar validate $PATHS $ARGS --format sarif"), "{script}");
    let outputs = tempfile::NamedTempFile::new().unwrap();
    let mut env: BTreeMap<String, String> = validate["env"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), expand(&string(v), "inputs", inputs)))
        .collect();
    env.insert("GITHUB_OUTPUT".into(), outputs.path().display().to_string());
    let (exit, _, stderr) = bash(&script, dir, &env);
    let outputs: BTreeMap<String, String> = std::fs::read_to_string(outputs.path())
        .unwrap()
        .lines()
        .map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())).unwrap())
        .collect();
    let sarif = std::fs::read_to_string(dir.join(&inputs["sarif-file"])).unwrap();
    assert_eq!(stderr, "", "sentinel-soar writes nothing to standard error here");
    (exit, outputs, serde_json::from_str(&sarif).unwrap())
}

#[test]
fn the_github_action_validates_uploads_sarif_and_fails_on_findings() {
    let (steps, defaults) = action();
    // Install: cargo from the action's own checkout, the root of this crate.
    let install = step(&steps, "Install sentinel-soar");
    assert_eq!(string(&install["run"]), "cargo install --locked --path \"$GITHUB_ACTION_PATH\"");
    assert_eq!(install["if"], "inputs.install == 'true'");
    assert!(root().join("action.yml").exists() && root().join("Cargo.toml").exists());
    // Upload: code scanning's action, with the log the validate step wrote, unless usage failed.
    let upload = step(&steps, "Upload to code scanning");
    assert!(upload["uses"].as_str().unwrap().starts_with("github/codeql-action/upload-sarif@v"), "{upload}");
    assert_eq!(upload["with"]["sarif_file"], "${{ inputs.sarif-file }}");
    assert_eq!(upload["if"], "inputs.upload == 'true' && steps.validate.outputs.exit-code != '2'");
    let fail = step(&steps, "Fail on findings");
    assert_eq!(fail["if"], "steps.validate.outputs.exit-code != '0'");

    let validator = sarif_validator();
    let clean = repository(false);
    let (exit, outputs, sarif) = run_validate_step(clean.path(), &defaults);
    assert_eq!((exit, outputs.get("exit-code").map(String::as_str)), (0, Some("0")));
    assert!(validator.is_valid(&sarif));
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));

    let broken = repository(true);
    let (exit, outputs, sarif) = run_validate_step(broken.path(), &defaults);
    assert_eq!(exit, 0, "the step itself goes on, so that the log is uploaded");
    assert_eq!(outputs["exit-code"], "1");
    assert!(validator.is_valid(&sarif));
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!((result["ruleId"].as_str(), result["level"].as_str()), (Some("SR006"), Some("error")));
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "AutomationRules/broken.yaml");
    assert_eq!(
        (location["region"]["startLine"].as_u64(), location["region"]["startColumn"].as_u64()),
        (Some(5), Some(17))
    );
    // The last step fails the job with validate's exit code.
    let env: BTreeMap<String, String> = [("CODE".to_owned(), outputs["exit-code"].clone())].into();
    assert_eq!(string(&fail["env"]["CODE"]), "${{ steps.validate.outputs.exit-code }}");
    assert_eq!(bash(&string(&fail["run"]), broken.path(), &env).0, 1);

    // Inputs reach the command: several paths and more flags.
    let mut inputs = defaults.clone();
    inputs.insert("paths".into(), "AutomationRules Playbooks".into());
    inputs.insert("args".into(), "--portal defender".into());
    inputs.insert("sarif-file".into(), "out.sarif".into());
    let (_, outputs, sarif) = run_validate_step(broken.path(), &inputs);
    assert_eq!(outputs["exit-code"], "1");
    assert_eq!(sarif["runs"][0]["results"].as_array().map(Vec::len), Some(1));
}

// ---- Azure Pipelines template ----

/// A step of the template, with the `${{ if }}` condition that inserts it, if any.
type Step = (Option<String>, Value);

/// The template's steps, with `${{ if }}` insertions flattened (and the condition kept), and its
/// parameters' defaults.
fn azure_template() -> (Vec<Step>, BTreeMap<String, String>) {
    let template = yaml("ci/azure-pipelines/validate.yml");
    let defaults = template["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (string(&p["name"]), string(&p["default"])))
        .collect();
    let mut steps = Vec::new();
    for s in template["steps"].as_array().unwrap() {
        match s.as_object().and_then(|o| o.iter().next()) {
            Some((key, inner)) if key.starts_with("${{ if") => {
                for inner in inner.as_array().unwrap() {
                    steps.push((Some(key.clone()), inner.clone()));
                }
            }
            _ => steps.push((None, s.clone())),
        }
    }
    (steps, defaults)
}

#[test]
fn the_azure_pipelines_template_writes_logging_commands_and_fails_the_step() {
    let (steps, defaults) = azure_template();
    let (condition, install) = &steps[0];
    assert_eq!(condition.as_deref(), Some("${{ if ne(parameters.toolPath, '') }}"));
    assert_eq!(string(&install["script"]), "cargo install --locked --path \"${{ parameters.toolPath }}\"");
    let validate: Vec<&Value> =
        steps.iter().map(|(_, s)| s).filter(|s| string(&s["script"]).contains("sentinel-soar validate")).collect();
    assert_eq!(validate.len(), 1);
    assert_eq!(validate[0]["workingDirectory"], "${{ parameters.workingDirectory }}");
    let script = expand(&string(&validate[0]["script"]), "parameters", &defaults);
    assert_eq!(script, "sentinel-soar validate .  --format azuredevops");

    let clean = repository(false);
    let (exit, stdout, stderr) = bash(&script, clean.path(), &BTreeMap::new());
    assert_eq!((exit, stderr.as_str()), (0, ""));
    assert_eq!(
        parse_all(&stdout),
        [Line::Plain("2 automation rule files, 1 playbook file, 2 analytic rule files checked; 4 other files skipped: no problems".into())]
    );

    let broken = repository(true);
    let (exit, stdout, _) = bash(&script, broken.path(), &BTreeMap::new());
    assert_eq!(exit, 1, "the script fails the step");
    let lines = parse_all(&stdout);
    let found = issues(&lines);
    assert_eq!(found.len(), 1, "{stdout}");
    let (kind, path, line, column, code, _) = &found[0];
    assert_eq!(
        (kind.as_str(), path.as_str(), *line, *column, code.as_str()),
        ("error", "AutomationRules/broken.yaml", Some(5), Some(17), "SR006")
    );
    assert_eq!(stdout.lines().last(), Some("##vso[task.complete result=Failed;]"));
}

// ---- pre-commit ----

#[test]
fn the_pre_commit_hook_validates_the_whole_repository() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    assert_eq!(hooks.len(), 1);
    let hook = &hooks[0];
    assert_eq!(hook["id"], "sentinel-soar-validate");
    assert!(hook["language"] == "rust" || hook["language"] == "system", "{hook}");
    assert_eq!(hook["pass_filenames"], false, "cross-references need the whole repository");
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    for name in [
        "AutomationRules/a.yaml",
        "Playbooks/p.json",
        "x.yml",
        "sentinel-deployment.config",
        "sentinel-soar.toml",
        "main.bicep",
    ] {
        assert!(files.is_match(name), "{name}");
    }
    for name in ["README.md", "Cargo.toml", "other.config"] {
        assert!(!files.is_match(name), "{name}");
    }
    let mut command = vec![string(&hook["entry"])];
    command.extend(hook["args"].as_array().unwrap().iter().map(string));
    let script = command.join(" ");
    assert_eq!(script, "sentinel-soar validate .");

    let clean = repository(false);
    let (exit, stdout, stderr) = bash(&script, clean.path(), &BTreeMap::new());
    assert_eq!((exit, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "2 automation rule files, 1 playbook file, 2 analytic rule files checked; 4 other files skipped: no problems\n"
    );

    let broken = repository(true);
    let (exit, stdout, _) = bash(&script, broken.path(), &BTreeMap::new());
    assert_eq!(exit, 1);
    assert!(
        stdout.starts_with("error[SR006]: unknown property `HostNme`\n --> AutomationRules/broken.yaml:5:17\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("checked; 4 other files skipped: 1 error, 0 warnings\n"), "{stdout}");
}

// ---- the CI jobs of the docs ----

/// Every `sentinel-soar COMMAND ...` a CI job of the guide runs (the YAML blocks of README.md and
/// docs/*.md: GitHub workflows, GitLab jobs, Azure Pipelines steps), read with serde-saphyr as
/// the CI reads it (folded `>-` scalars joined), is a command line the parser accepts: the
/// commands and flags exist and take those values. Redirections, pipes and trailing comments
/// are cut; a `${{ expression }}` stands for a value.
#[test]
fn the_ci_jobs_the_docs_show_call_commands_and_flags_that_exist() {
    use clap::Parser;
    let call = regex::Regex::new(r"(?:^|[\s'(])(sentinel-soar [a-z][^\n]*)").unwrap();
    let expression = regex::Regex::new(r"\$\{\{[^}]*\}\}").unwrap();
    let mut pages = vec![root().join("README.md")];
    pages.extend(std::fs::read_dir(root().join("docs")).unwrap().map(|e| e.unwrap().path()));
    let mut checked = Vec::new();
    for page in pages.iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(page).unwrap();
        for block in text.split("```yaml\n").skip(1).map(|b| b.split("```").next().unwrap()) {
            if !call.is_match(block) {
                continue;
            }
            let doc: Value =
                serde_saphyr::from_str(block).unwrap_or_else(|e| panic!("{}: {e}\n{block}", page.display()));
            let mut strings = Vec::new();
            collect_strings(&doc, &mut strings);
            for s in strings {
                for found in call.captures_iter(&s) {
                    let mut line = found[1].to_owned();
                    for cut in [" > ", " | ", " && ", " || ", " # "] {
                        line.truncate(line.find(cut).unwrap_or(line.len()));
                    }
                    let line = expression.replace_all(&line, "X");
                    let parsed = sentinel_soar::cli::Cli::try_parse_from(line.split_whitespace());
                    assert!(parsed.is_ok(), "{}: `{line}`: {}", page.display(), parsed.err().unwrap());
                    checked.push(line.into_owned());
                }
            }
        }
    }
    for want in ["sentinel-soar validate . --format gitlab", "sentinel-soar test --format junit tests/"] {
        assert!(checked.iter().any(|c| c == want), "{want} not found in {checked:#?}");
    }
    assert!(checked.iter().any(|c| c.starts_with("sentinel-soar impact --base git:origin/X")), "{checked:#?}");
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| collect_strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}
