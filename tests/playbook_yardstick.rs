//! Real templates as the yardstick (issue 12): every Sentinel playbook template of
//! `../shared/corpus` (`playbooks/` and the `Playbooks/` folders of `content-repo/`) with an
//! Incident or Alert trigger runs on a rich incident (`tests/fixtures/yardstick/`: IPs,
//! accounts, hosts, URLs, file hashes, two alerts) with nothing but the tool's own inferred
//! mocks. Each outcome is pinned: a table of template, trigger, status and, for a failure, its
//! reason, which is the snapshot and `docs/playbook-corpus.md` (kept equal to what this test
//! computes, as `tests/codes.rs` keeps `docs/codes.md`). Each template also runs on its written
//! scaffold (`mocks scaffold`, loaded as a mocks file), which must end the same way: the scaffold
//! runs as written. Alert-trigger templates run as Sentinel runs them: on the alert with the
//! incident that holds it (`Start::AlertIn`, as `playbook run --alert A --incident I`; the
//! incident's first alert is `alert.json`), and again on the alert alone, as for an alert no
//! incident holds. Skips with a message when the corpus is not there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

use sentinel_soar::model::{Alert, Incident};
use sentinel_soar::playbook::connectors::mocks::{self, Mocks};
use sentinel_soar::playbook::infer::{self, scaffold};
use sentinel_soar::playbook::model::{self, Playbook, TriggerKind};
use sentinel_soar::playbook::run::{self, Options, Outcome, Start};

use crate::common::{root, NOW};

/// Why a template fails on any incident or alert: a reason in the template itself. A failure
/// whose template is not listed here shows as `unexplained` in the table.
const REASONS: &[(&str, &str)] = &[
    (
        "mde-statistics-incident",
        "its Parse_JSON schema wants the alert trigger's entities ($id, Type) but is given the incident trigger's relatedEntities (kind, properties)",
    ),
    (
        "Illusive Active Defense/Illusive-SentinelIncident-Enrichment",
        "reads the alert's `Custom Details` (the custom details of Illusive's own analytic rule), which other alerts do not carry",
    ),
    (
        "Illusive Active Defense/Illusive-SentinelIncident-Response",
        "reads the alert's `Custom Details` (the custom details of Illusive's own analytic rule), which other alerts do not carry",
    ),
];

/// Template parameters a template leaves empty for its deployer to fill in, and that its
/// operations need: given here as its deployment would give them (`--param NAME=VALUE`).
const DEPLOY: &[(&str, &str, &str)] = &[("watchlist-add-ip-incident", "Watchlist Alias", "BadIPs")];

/// What holds back a run on the alert alone, when its error says so.
const ALONE: &[(&str, &str)] = &[("this run has no incident", "needs the alert's incident")];

fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus");
    if dir.join("playbooks").is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}; skipping", dir.display());
        None
    }
}

/// Every template file: `playbooks/*.json`, then the JSON files under `content-repo/**/Playbooks/`.
fn templates(corpus: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, inside: bool, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            let playbooks = inside || path.file_name().is_some_and(|n| n == "Playbooks");
            if path.is_dir() {
                walk(&path, playbooks, out);
            } else if inside && path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut out: Vec<PathBuf> = std::fs::read_dir(corpus.join("playbooks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("manifest.json"))
        .collect();
    out.sort();
    walk(&corpus.join("content-repo"), false, &mut out);
    out
}

/// A template's name in the table: the file stem for `playbooks/`; for `content-repo/`, the
/// solution and the path under its `Playbooks/` folder without `azuredeploy.json`.
fn name(corpus: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(corpus).unwrap();
    if rel.starts_with("playbooks") {
        return path.file_stem().unwrap().to_string_lossy().into_owned();
    }
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let solution = parts.iter().position(|p| p == "Solutions").map_or(&parts[0], |i| &parts[i + 1]);
    let under = parts.iter().position(|p| p == "Playbooks").unwrap();
    let mut rest: Vec<&str> = parts[under + 1..].iter().map(String::as_str).collect();
    if rest.last() == Some(&"azuredeploy.json") {
        rest.pop();
    } else if let Some(last) = rest.last_mut() {
        *last = last.trim_end_matches(".json");
    }
    if rest.is_empty() {
        solution.clone()
    } else {
        format!("{solution}/{}", rest.join("/"))
    }
}

fn fixture(file: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(root().join("tests/fixtures/yardstick").join(file)).unwrap()).unwrap()
}

fn options(infer: bool) -> Options {
    Options { infer_mocks: infer, ..Options::new(NOW.parse().unwrap()) }
}

/// One line: the error of a failed run, cut.
fn error_line(outcome: &Outcome) -> String {
    let message = outcome.log.error.as_ref().map_or_else(String::new, |e| e.message.replace('\n', " "));
    let cut: String = message.chars().take(160).collect();
    if cut.len() < message.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// The action an error line names (`Action 'X' failed: ...`).
fn failed_action(line: &str) -> &str {
    line.strip_prefix("Action '").and_then(|rest| rest.split_once("' failed")).map_or(line, |(name, _)| name)
}

struct Row {
    template: String,
    trigger: &'static str,
    status: String,
    reason: String,
}

/// The run on the scaffold as written, loaded as a mocks file.
fn on_scaffold(playbook: &Playbook, start: Start) -> Outcome {
    let text = scaffold::render(&[infer::infer(playbook)]);
    let mut diags = Vec::new();
    let mocks = mocks::load("scaffold.yaml", &text, &mut diags);
    assert!(diags.is_empty(), "{}: the scaffold does not load: {diags:#?}\n{text}", playbook.name);
    run::run(playbook, start, &mocks, &options(false))
}

fn table(title: &str, rows: &[Row]) -> String {
    let succeeded = rows.iter().filter(|r| r.status == "Succeeded").count();
    let mut out = format!("{title}: {succeeded} of {} Succeeded\n\n", rows.len());
    out.push_str("| template | trigger | status | reason |\n|---|---|---|---|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.template,
            r.trigger,
            r.status,
            r.reason.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn corpus_templates_run_on_inferred_mocks() {
    let Some(corpus) = corpus() else { return };
    let incident = Incident::from_value(fixture("incident.json")).unwrap();
    let alert = Alert::from_value(fixture("alert.json")).unwrap();
    let mut rows = Vec::new();
    let mut alone = Vec::new();
    for path in templates(&corpus) {
        let text = std::fs::read_to_string(&path).unwrap();
        let params: Vec<(String, String)> = DEPLOY
            .iter()
            .filter(|(t, _, _)| *t == name(&corpus, &path))
            .map(|(_, p, v)| ((*p).to_owned(), (*v).to_owned()))
            .collect();
        let mut diags = Vec::new();
        let playbooks = model::load_with(&path.display().to_string(), &text, &params, &mut diags);
        for playbook in &playbooks {
            // Every workflow's scaffold loads, whatever its trigger.
            let text = scaffold::render(&[infer::infer(playbook)]);
            let mut diags = Vec::new();
            mocks::load("scaffold.yaml", &text, &mut diags);
            assert!(diags.is_empty(), "{}: {diags:#?}", playbook.name);
        }
        let sentinel: Vec<&Playbook> = playbooks
            .iter()
            .filter(|p| matches!(p.trigger_kind(), TriggerKind::Incident | TriggerKind::Alert))
            .collect();
        for playbook in &sentinel {
            let mut template = name(&corpus, &path);
            if sentinel.len() > 1 {
                template = format!("{template} ({})", playbook.name);
            }
            let trigger = playbook.trigger_kind().label();
            // As Sentinel runs them: an incident playbook on the incident, an alert playbook on
            // the alert with the incident that holds it.
            let start = match playbook.trigger_kind() {
                TriggerKind::Alert => Start::AlertIn { alert: alert.clone(), incident: incident.clone() },
                _ => Start::Incident(incident.clone()),
            };
            let outcome = run::run(playbook, start.clone(), &Mocks::default(), &options(true));
            let written = on_scaffold(playbook, start);
            assert_eq!(
                (outcome.log.status, error_line(&outcome)),
                (written.log.status, error_line(&written)),
                "{template}: the scaffold as written ends otherwise than --infer-mocks"
            );
            let status = outcome.log.status.as_str().to_owned();
            let reason = match REASONS.iter().find(|(t, _)| *t == template) {
                _ if status == "Succeeded" => String::new(),
                Some((_, why)) => format!("{why} ({})", error_line(&outcome)),
                None => format!("unexplained: {}", error_line(&outcome)),
            };
            rows.push(Row { template: template.clone(), trigger, status, reason });
            if playbook.trigger_kind() == TriggerKind::Alert {
                let outcome = run::run(playbook, Start::Alert(alert.clone()), &Mocks::default(), &options(true));
                let status = outcome.log.status.as_str().to_owned();
                let line = error_line(&outcome);
                let reason = match ALONE.iter().find(|(m, _)| line.contains(m)) {
                    _ if status == "Succeeded" => String::new(),
                    Some((_, why)) => format!("{why}: `{}` fails without one", failed_action(&line)),
                    None => REASONS
                        .iter()
                        .find(|(t, _)| *t == template)
                        .map_or_else(|| format!("unexplained: {line}"), |(_, why)| format!("{why} ({line})")),
                };
                alone.push(Row { template, trigger, status, reason });
            }
        }
    }
    let total = rows.len();
    let succeeded = rows.iter().filter(|r| r.status == "Succeeded").count();
    let text = format!(
        "{}\n{}",
        table("Incident and alert templates, with their incident", &rows),
        table("Alert templates on the alert alone, as for an alert no incident holds", &alone)
    );
    insta::assert_snapshot!("yardstick", text);
    assert!(succeeded * 10 >= total * 9, "{succeeded} of {total} Succeeded: under 90%");
    assert!(rows.iter().all(|r| !r.reason.starts_with("unexplained")), "a failure has no documented reason");
    check_docs(&text);
}

/// `docs/playbook-corpus.md` is the table this test computes.
fn check_docs(tables: &str) {
    let path = root().join("docs/playbook-corpus.md");
    let generated = format!(
        "# Real playbook templates on inferred mocks\n\n\
         Generated by `tests/playbook_yardstick.rs` (do not edit by hand): every Sentinel playbook template of\n\
         the compatibility corpus (`playbooks/`, and the `Playbooks/` folders of `content-repo/`) with an Incident\n\
         or Alert trigger, run on `tests/fixtures/yardstick/incident.json` (IPs, accounts, hosts, URLs, file\n\
         hashes, two alerts) with nothing but mocks inferred from the template (`--infer-mocks`; the scaffold\n\
         `mocks scaffold` writes ends the same way). An alert-trigger template runs as Sentinel runs it: on the\n\
         incident's first alert (`tests/fixtures/yardstick/alert.json`) with the incident that holds it\n\
         (`playbook run --alert A --incident I`); the second table runs it on the alert alone, as for an alert\n\
         that no incident holds. A template parameter that the template leaves empty for its deployer, and\n\
         that its operations need, is given as its deployment would give it (`watchlist-add-ip-incident`:\n\
         `Watchlist Alias=BadIPs`; there is no `--watchlist`, so the watchlist is not found and the template\n\
         takes its create branch). A failure's reason is in the template itself.\n\n{tables}"
    );
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        // Rewrite it, so that running the test again passes and `git diff` shows the change.
        std::fs::write(&path, &generated).unwrap();
        panic!("docs/playbook-corpus.md did not match the yardstick; it has been regenerated: review and commit it");
    }
}
