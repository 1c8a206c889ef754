//! The playbook model: every real corpus template loads into the compiled model without an
//! error, the YAML surface desugars to the same model, and bad input gets a PB diagnostic at
//! the right file:line:column.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use sentinel_soar::diagnostic::Diagnostic;
use sentinel_soar::playbook::model::{self, Step, TriggerKind};

fn corpus() -> Option<Vec<std::path::PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/playbooks");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus not found at {}; skipping", dir.display());
        return None;
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("manifest.json"))
        .collect();
    paths.sort();
    Some(paths)
}

#[test]
fn every_corpus_template_loads_without_errors() {
    let Some(paths) = corpus() else { return };
    let mut failures = Vec::new();
    let (mut workflows, mut actions, mut warnings) = (0, 0, 0);
    let mut kinds = std::collections::BTreeMap::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let mut diags = Vec::new();
        let playbooks = model::load(&path.display().to_string(), &text, &mut diags);
        for d in &diags {
            if d.is_error() {
                failures.push(format!("{} {} {}", d.location(), d.code, d.message));
            } else {
                eprintln!("warning: {} {} {}", d.location(), d.code, d.message);
                warnings += 1;
            }
        }
        workflows += playbooks.len();
        for p in &playbooks {
            actions += p.all_actions().len();
            *kinds.entry(p.class().label()).or_insert(0) += 1;
        }
    }
    eprintln!("{} files, {workflows} workflows, {actions} actions, {warnings} warnings, {kinds:?}", paths.len());
    assert!(failures.is_empty(), "{} errors:\n{}", failures.len(), failures.join("\n"));
    assert!(workflows >= 50, "{workflows}");
}

fn load_fixture(name: &str) -> (Vec<model::Playbook>, Vec<Diagnostic>) {
    let path = format!("tests/fixtures/playbooks/{name}");
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    let mut diags = Vec::new();
    let playbooks = model::load(&path, &text, &mut diags);
    sentinel_soar::diagnostic::sort(&mut diags);
    (playbooks, diags)
}

/// `code line:column message (help: ...)` for each diagnostic.
fn summary(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let (line, column) = d.span.map_or((0, 0), |s| (s.line, s.column));
            let help = d.help.as_ref().map_or(String::new(), |h| format!(" (help: {h})"));
            format!("{} {line}:{column} {}{help}", d.code, d.message)
        })
        .collect()
}

#[test]
fn bad_input_is_reported_with_codes_and_positions() {
    let cases: &[(&str, &[&str])] = &[
        (
            "bad/unknown-kind.yaml",
            &[
                "PB006 4:5 unknown step kind `post_message`",
                "PB006 8:5 unknown Sentinel operation `sentinel.add_coment` (help: did you mean `sentinel.add_comment`?)",
            ],
        ),
        (
            "bad/references.yaml",
            &[
                "PB012 4:21 `First` reads action `Second`, which does not run before it (help: add `Second` (or an action after it) to the runAfter of `First` or of a container around it)",
                "PB014 8:30 items('Loop') in `Third` is not inside a Foreach loop named `Loop`",
                "PB015 8:55 `Third` reads variable `missing`, which no InitializeVariable declares",
                "PB013 8:78 `Third` reads action `Nope`, which does not exist",
                "PB008 10:17 `Waits` runs after `Frist`, which is not an action of the same scope (help: did you mean `First`?)",
            ],
        ),
        (
            "bad/until-secret.yaml",
            &[
                "PB016 4:5 Until loop `Poll` has no `limit.count`; every loop needs a bound (help: add `limit: {count: N}` (Logic Apps allows up to 5000))",
                "PB017 11:24 `headers.x-api-key` of `Call` is a secret written as a literal (help: reference it instead: a workflow parameter (`@parameters('ApiKey')`) or a connection)",
            ],
        ),
        (
            "bad/expression.json",
            &[
                "PB011 7:49 expected `,` or `)`, found a string",
                "PB010 14:48 a runAfter status is one of Succeeded, Failed, Skipped, TimedOut",
                "PB006 16:26 unknown action type `Frobnicate` in `Weird`",
            ],
        ),
        (
            "bad/structure.json",
            &[
                "PB009 5:7 `A` is part of a runAfter cycle and can never run",
                "PB009 6:7 `B` is part of a runAfter cycle and can never run",
                "PB007 11:11 an action named `a` already exists (line 5)",
                "PB024 12:11 `Init` initializes variables inside a container; Logic Apps only allows InitializeVariable at the top level",
                "PB020 12:101 a variable's `type` is string, integer, float, boolean, array or object",
            ],
        ),
        (
            // The did-you-mean of a runAfter names neither the action itself (`Step_B`) nor one
            // that runs after it (`Step_A`: a cycle); the Until hint is written as JSON; a
            // variable action points at the variable's name and suggests a declared one.
            "bad/run-after.json",
            &[
                "PB008 6:65 `Step_B` runs after `Step_D`, which is not an action of the same scope (help: did you mean `Step_C`?)",
                "PB015 9:65 `Add` sets variable `Cuont`, which no InitializeVariable declares (help: did you mean `Count`?)",
                r#"PB016 10:25 Until loop `Poll` has no `limit.count`; every loop needs a bound (help: add `"limit": {"count": N}` (Logic Apps allows up to 5000))"#,
            ],
        ),
        (
            // The same in YAML (`Step_C` runs after `Step_A` by default, so it is no candidate
            // either); a misspelt step key gets a did-you-mean; a duplicate id points at the
            // second `id`.
            "bad/steps.yaml",
            &[
                "PB008 8:17 `Step_B` runs after `Step_D`, which is not an action of the same scope (help: did you mean `Step_E`?)",
                "PB003 14:5 unknown key `run_afer` in a `compose` step (help: did you mean `run_after`?)",
                "PB007 15:9 an action named `Step_C` already exists (line 12)",
                "PB015 16:33 `Step_C` sets variable `Cuont`, which no InitializeVariable declares (help: did you mean `Count`?)",
                "PB016 18:5 Until loop `Poll` has no `limit.count`; every loop needs a bound (help: add `limit: {count: N}` (Logic Apps allows up to 5000))",
                "PB015 18:31 `Poll` reads variable `Cout`, which no InitializeVariable declares (help: did you mean `Count`?)",
                "PB015 20:27 `Set_variable` sets variable `Coutn`, which no InitializeVariable declares (help: did you mean `Count`?)",
            ],
        ),
        (
            // serde-saphyr's advice about its own options is not shown.
            "bad/duplicate-key.yaml",
            &["PB001 5:5 duplicate key `compose`"],
        ),
    ];
    for (file, want) in cases {
        let (_, diags) = load_fixture(file);
        let got = summary(&diags);
        assert_eq!(got.len(), want.len(), "{file}: {got:#?}");
        assert_eq!(got, *want, "{file}");
    }
}

#[test]
fn keys_in_the_wrong_case_are_reported_once_and_never_used() {
    // The top-level `Name` is not the name: no playbook is loaded.
    let (playbooks, diags) = load_fixture("bad/wrong-case-name.yaml");
    assert_eq!(summary(&diags), ["PB003 1:1 unknown key `Name` in a playbook (help: did you mean `name`?)"]);
    assert!(playbooks.is_empty());
    // In a step body: `Connector` is reported, `connector` is not reported missing again, and
    // the step is left out rather than built from the misspelt key.
    let text = "name: P\nsteps:\n  - name: Call\n    call: { Connector: vt, method: get, path: /x }\n";
    let mut diags = Vec::new();
    let playbooks = model::load("p.yaml", text, &mut diags);
    assert_eq!(summary(&diags), ["PB003 4:13 unknown key `Connector` in `call` (help: did you mean `connector`?)"]);
    assert_eq!(playbooks.len(), 1);
    assert!(playbooks[0].all_actions().is_empty());
    // Logic Apps JSON matches keys ignoring case, as Azure does.
    let json = r#"{"definition": {"Triggers": {}, "ACTIONS": {"Note": {"Type": "Compose", "Inputs": "hi"}}}}"#;
    let mut diags = Vec::new();
    let playbooks = model::load("p.json", json, &mut diags);
    assert!(diags.is_empty(), "{:#?}", summary(&diags));
    assert_eq!(playbooks[0].all_actions().len(), 1);
}

#[test]
fn the_yaml_surface_desugars_into_the_workflow_model() {
    let (playbooks, diags) = load_fixture("surface.yaml");
    assert!(diags.is_empty(), "{:#?}", summary(&diags));
    let p = &playbooks[0];
    assert_eq!((p.name.as_str(), p.trigger_kind()), ("Surface tour", TriggerKind::Incident));
    let names: Vec<&str> = p.all_actions().iter().map(|a| a.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Get_IPs",
            "For_each_IP",
            "Report",
            "Condition",
            "Add_comment_to_incident_(V3)",
            "Add_comment_to_incident_(V3)_2",
            "Always"
        ]
    );
    let top = &p.actions.actions;
    assert!(top[0].run_after.is_empty());
    assert_eq!(top[1].run_after[0].action, "Get_IPs");
    assert_eq!(top[2].run_after[0].statuses.to_string(), "Succeeded, Failed");
    let Step::Foreach(each) = &top[1].step else { panic!("foreach") };
    assert_eq!(each.concurrency, 1);
    let Step::Connector(call) = &each.actions.actions[0].step else { panic!("connector") };
    assert_eq!((call.connection.as_str(), call.api.as_str()), ("virustotal", "virustotal"));
    let Step::Connector(ips) = &top[0].step else { panic!("connector") };
    assert_eq!(ips.api, "azuresentinel");
    assert_eq!(p.parameters["Channel"], "19:abc@thread.skype");
}
