#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Specification cases (SPEC 1.1 and 2), one YAML file per topic under `tests/cases/<feature>/`.
//!
//! Each file holds `cases:`, a list of cases. A case names its rules (the text of a rule file,
//! decoded as `rules.yaml`), an incident and an event, and states what must come out: which rules
//! fire, the final fields, the change records, the diagnostics. Every case runs; at the end the
//! test fails listing every failing case, so one failure never hides another.
//!
//! Case keys:
//! - `note` (required): what the case shows. `bug`: a known defect; the case states the correct
//!   behaviour, so it fails until the code is fixed (and then fails until `bug` is removed).
//! - `now`: RFC 3339 (default 2026-06-01T00:00:00Z). `sentinel: true` compiles as
//!   `validate --sentinel`.
//! - `rules`: rule file text. `incident`: the incident (REST shape or bare).
//! - `trigger`: `created` (default) or `updated`, with `previous` (the incident before) and
//!   `updated_by` (default Other).
//! - `want_fired`, `want_not_fired`, `want` (severity, status, classification,
//!   classificationReason, owner, labels, tasks, or any other properties key), `want_changes`
//!   (a count or a list of partial change records), `want_last_modified`, `want_output`.
//! - `want_errors` / `want_warnings`: every error / warning, in position order, by `code`,
//!   `line`, `column` and optionally `message`, `help`, `label`, `also` (the other places of a
//!   warning said once, `rules.yaml:line:column`). Without `want_errors` a case requires zero
//!   errors.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use sentinel_soar::diagnostic::{self, Diagnostic};
use sentinel_soar::engine::{self, Clock, Event, Outcome};
use sentinel_soar::model::{Incident, Update, UpdatedBySource};
use sentinel_soar::rules;

const DEFAULT_NOW: &str = "2026-06-01T00:00:00Z";

const CASE_KEYS: &[&str] = &[
    "note",
    "bug",
    "now",
    "sentinel",
    "rules",
    "incident",
    "trigger",
    "previous",
    "updated_by",
    "want_fired",
    "want_not_fired",
    "want",
    "want_changes",
    "want_last_modified",
    "want_output",
    "want_errors",
    "want_warnings",
];

const ENGINE_KEYS: &[&str] =
    &["want_fired", "want_not_fired", "want", "want_changes", "want_last_modified", "want_output"];

const DIAG_KEYS: &[&str] = &["code", "line", "column", "message", "help", "label", "also"];

/// Every `*.yaml` under `dir`, recursively, in sorted order; `tests/cases/expr/` belongs to
/// the expression harnesses (`tests/expr_cases.rs`, and `tests/expr_front_end.rs` for its
/// `front_end/`).
fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() && path.file_name().is_some_and(|n| n == "expr") {
            continue;
        } else if path.is_dir() {
            out.extend(case_files(&path));
        } else if path.extension().is_some_and(|x| x == "yaml") {
            out.push(path);
        }
    }
    out
}

fn show(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

/// The properties object of an incident record (REST shape or bare).
fn props(record: &Value) -> &Value {
    match record.get("properties") {
        Some(p @ Value::Object(_)) => p,
        _ => record,
    }
}

fn show_diag(d: &Diagnostic) -> String {
    let at = d.span.map_or_else(|| "-".to_owned(), |s| format!("{}:{}", s.line, s.column));
    let mut s = format!("{} {at} {:?}", d.code, d.message);
    if let Some(h) = &d.help {
        let _ = write!(s, " help={h:?}");
    }
    s
}

fn diag_field(d: &Diagnostic, key: &str) -> Value {
    match key {
        "code" => json!(d.code),
        "line" => d.span.map_or(Value::Null, |s| json!(s.line)),
        "column" => d.span.map_or(Value::Null, |s| json!(s.column)),
        "message" => json!(d.message),
        "help" => d.help.as_ref().map_or(Value::Null, |h| json!(h)),
        "label" => d.label.as_ref().map_or(Value::Null, |l| json!(l)),
        "also" => json!(d.also),
        _ => Value::Null,
    }
}

/// Compares every diagnostic of one severity with the expectation, in order.
fn check_diags(what: &str, want: &Value, got: &[&Diagnostic], problems: &mut Vec<String>) {
    let Some(want) = want.as_array() else {
        problems.push(format!("{what}: expected a list"));
        return;
    };
    let listing = || got.iter().map(|d| format!("\n      {}", show_diag(d))).collect::<String>();
    if want.len() != got.len() {
        problems.push(format!("{what}: expected {} {}, got {}:{}", want.len(), what, got.len(), listing()));
        return;
    }
    for (i, (w, d)) in want.iter().zip(got).enumerate() {
        let Some(w) = w.as_object() else {
            problems.push(format!("{what}[{i}]: expected a mapping"));
            continue;
        };
        for (key, expected) in w {
            if !DIAG_KEYS.contains(&key.as_str()) {
                problems.push(format!("{what}[{i}]: unknown key `{key}`"));
                continue;
            }
            let actual = diag_field(d, key);
            if &actual != expected {
                problems.push(format!(
                    "{what}[{i}].{key}: expected {}, got {} ({})",
                    show(expected),
                    show(&actual),
                    show_diag(d)
                ));
            }
        }
    }
}

fn check_eq(what: &str, expected: &Value, actual: &Value, problems: &mut Vec<String>) {
    if expected != actual {
        problems.push(format!("{what}: expected {}, got {}", show(expected), show(actual)));
    }
}

/// The value of one `want` key in the output incident.
fn want_field(incident: &Incident, key: &str) -> Value {
    match key {
        "owner" => incident.owner().display().map_or(Value::Null, |s| json!(s)),
        "labels" => json!(incident.labels().collect::<Vec<_>>()),
        "tasks" => json!(incident.task_titles().collect::<Vec<_>>()),
        other => props(incident.as_value()).get(other).cloned().unwrap_or(Value::Null),
    }
}

fn incident(case: &Value, key: &str) -> Result<Incident, String> {
    let value = case.get(key).cloned().ok_or_else(|| format!("`{key}` is missing"))?;
    Incident::from_value(value).map_err(|e| format!("`{key}` is not an incident: {e}"))
}

fn check_outcome(case: &Value, out: &Outcome, problems: &mut Vec<String>) {
    let fired: Vec<&str> = out.fired.iter().map(|f| f.rule.as_str()).collect();
    if let Some(want) = case.get("want_fired") {
        check_eq("want_fired", want, &json!(fired), problems);
    }
    if let Some(want) = case.get("want_not_fired") {
        for name in want.as_array().into_iter().flatten() {
            if fired.iter().any(|f| Some(*f) == name.as_str()) {
                problems.push(format!("want_not_fired: {} fired (fired: {})", show(name), show(&json!(fired))));
            }
        }
    }
    if let Some(want) = case.get("want") {
        match want.as_object() {
            Some(fields) => {
                for (key, expected) in fields {
                    check_eq(&format!("want.{key}"), expected, &want_field(&out.incident, key), problems);
                }
            }
            None => problems.push("want: expected a mapping".into()),
        }
    }
    let changes: Vec<Value> = out.changes.iter().map(|c| serde_json::to_value(c).unwrap()).collect();
    let listing = || changes.iter().map(|c| format!("\n      {}", show(c))).collect::<String>();
    let want_changes: Option<(usize, &[Value])> = match case.get("want_changes") {
        None => None,
        Some(Value::Number(n)) => Some((usize::try_from(n.as_u64().unwrap_or(u64::MAX)).unwrap(), &[])),
        Some(Value::Array(want)) => Some((want.len(), want.as_slice())),
        Some(_) => {
            problems.push("want_changes: expected a number or a list".into());
            None
        }
    };
    if let Some((count, partials)) = want_changes {
        if count != changes.len() {
            problems.push(format!("want_changes: expected {count} changes, got {}:{}", changes.len(), listing()));
        } else {
            for (i, (w, c)) in partials.iter().zip(&changes).enumerate() {
                for (key, expected) in w.as_object().into_iter().flatten() {
                    let actual = c.get(key).cloned().unwrap_or(Value::Null);
                    check_eq(&format!("want_changes[{i}].{key}"), expected, &actual, problems);
                }
            }
        }
    }
    if let Some(want) = case.get("want_last_modified") {
        let actual = props(out.incident.as_value()).get("lastModifiedTimeUtc").cloned().unwrap_or(Value::Null);
        check_eq("want_last_modified", want, &actual, problems);
    }
    if let Some(want) = case.get("want_output") {
        let (expected, actual) = (show(want), show(out.incident.as_value()));
        if expected != actual {
            problems.push(format!("want_output:\n      expected {expected}\n      got      {actual}"));
        }
    }
}

/// Runs one case; returns what did not hold.
fn run_case(case: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(map) = case.as_object() else { return vec!["a case is a mapping".into()] };
    for key in map.keys() {
        if !CASE_KEYS.contains(&key.as_str()) {
            problems.push(format!("unknown case key `{key}`"));
        }
    }
    if !map.get("note").is_some_and(Value::is_string) {
        problems.push("`note` is missing".into());
    }
    let now_text = map.get("now").and_then(Value::as_str).unwrap_or(DEFAULT_NOW);
    let now: DateTime<Utc> = match DateTime::parse_from_rfc3339(now_text) {
        Ok(t) => t.with_timezone(&Utc),
        Err(e) => return vec![format!("`now` {now_text:?}: {e}")],
    };
    let Some(source) = map.get("rules").and_then(Value::as_str) else {
        problems.push("`rules` (a string) is missing".into());
        return problems;
    };

    let mut diags = Vec::new();
    let file = rules::file::decode("rules.yaml", source, &mut diags);
    let options =
        rules::Options { now: Some(now), sentinel: map.get("sentinel").and_then(Value::as_bool) == Some(true) };
    let (set, more) = rules::compile(&[file], &options);
    diags.extend(more);
    diagnostic::sort(&mut diags);
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    let warnings: Vec<&Diagnostic> = diags.iter().filter(|d| !d.is_error()).collect();
    match map.get("want_errors") {
        Some(want) => check_diags("errors", want, &errors, &mut problems),
        None if !errors.is_empty() => {
            let listing: String = errors.iter().map(|d| format!("\n      {}", show_diag(d))).collect();
            problems.push(format!("expected no errors, got {}:{listing}", errors.len()));
        }
        None => {}
    }
    if let Some(want) = map.get("want_warnings") {
        check_diags("warnings", want, &warnings, &mut problems);
    }

    let wants_engine = ENGINE_KEYS.iter().any(|k| map.contains_key(*k));
    if !wants_engine {
        return problems;
    }
    if !errors.is_empty() {
        if map.get("want_errors").is_some() {
            problems.push("engine expectations on a rule set with errors".into());
        }
        return problems;
    }
    let current = match incident(case, "incident") {
        Ok(i) => i,
        Err(e) => {
            problems.push(e);
            return problems;
        }
    };
    let event = match map.get("trigger").and_then(Value::as_str).unwrap_or("created") {
        "created" => Event::Created,
        "updated" => {
            let previous = match incident(case, "previous") {
                Ok(i) => i,
                Err(e) => {
                    problems.push(e);
                    return problems;
                }
            };
            let by = map.get("updated_by").and_then(Value::as_str).unwrap_or("Other");
            let Some(source) = UpdatedBySource::parse(by) else {
                problems.push(format!("`updated_by` {by:?} is not an IncidentUpdatedBySource"));
                return problems;
            };
            Event::Updated(Box::new(Update::between(&previous, &current, source)))
        }
        other => {
            problems.push(format!("`trigger` {other:?}: expected created or updated"));
            return problems;
        }
    };
    let out = engine::process(&set, current, &event, Clock::new(now), engine::Options { explain: false });
    check_outcome(case, &out, &mut problems);
    problems
}

#[test]
fn cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("cases");
    let files = case_files(&root);
    assert!(!files.is_empty(), "no case files under {}", root.display());
    let mut report = String::new();
    let (mut total, mut failed) = (0, 0);
    for path in &files {
        let shown = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).display().to_string();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let doc: Value = match serde_saphyr::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failed += 1;
                let _ = writeln!(report, "{shown}: not a case file: {e}");
                continue;
            }
        };
        let Some(cases) = doc.get("cases").and_then(Value::as_array) else {
            failed += 1;
            let _ = writeln!(report, "{shown}: expected `cases:` with a list");
            continue;
        };
        for (i, case) in cases.iter().enumerate() {
            total += 1;
            let mut problems = run_case(case);
            if problems.is_empty() && case.get("bug").is_some() {
                problems.push("the case passes: the bug is fixed, remove `bug:`".into());
            }
            if problems.is_empty() {
                continue;
            }
            failed += 1;
            let note = case.get("note").and_then(Value::as_str).unwrap_or("?");
            let _ = writeln!(report, "{shown} case {i}: {note}");
            if let Some(bug) = case.get("bug").and_then(Value::as_str) {
                let _ = writeln!(report, "    bug: {bug}");
            }
            for p in problems {
                let _ = writeln!(report, "    - {p}");
            }
        }
    }
    if failed > 0 {
        panic!("{failed} of {total} cases failed:\n{report}");
    }
}
