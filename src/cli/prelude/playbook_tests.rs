//! What the playbook tests of a test file name, loaded and checked, as `test` loads them before
//! it runs them and as `validate` loads them to check the file as deeply: each test's playbook
//! (by name among the file's `playbooks`, or a file), its incident and alert, its mocks (its own,
//! then the file's), its watchlists, and the names its expectations use (ST001, ST002, ST005,
//! ST008, ST009, and the playbook and mocks files' own PB codes). Paths are relative to the
//! test file.
//!
//! Stage: CLI (reads the files a test file names).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic, Sources};
use crate::model::{Alert, Portal};
use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::connectors::watchlists::{Watchlist, Watchlists};
use crate::playbook::host::Catalog;
use crate::playbook::model::Playbook;
use crate::playbook::run::{Options, Start};
use crate::ruletest::playbook::{check_names, MockSource, Names};
use crate::ruletest::{codes, IncidentSource, TestFile, Text};

use super::incident_file::{read_one_alert, OneIncidentError};
use super::playbooks::{read_mocks, read_playbooks};
use super::rule_tests::{incident, relative};

/// What one playbook test's run starts from.
pub struct PlaybookInput {
    pub playbook: Playbook,
    pub start: Start,
    /// The test's own mocks, then the file's.
    pub mocks: Mocks,
    /// Its clock, mock flags, secrets (from the environment) and watchlists.
    pub options: Options,
}

/// Where [`load`] reads and reports: the test file's directory, the file's playbooks and mocks
/// (`names_known` false when the file names playbooks that could not be loaded: a name not found
/// is then not reported), the portal whose provider name the incident carries, the sources and
/// the diagnostics.
pub struct Reading<'a> {
    pub base: &'a Path,
    pub catalog: Option<&'a Catalog>,
    pub names_known: bool,
    pub portal: Portal,
    pub sources: &'a mut Sources,
    pub diags: &'a mut Vec<Diagnostic>,
}

/// The inputs of every playbook test of `file`, in order; `None` when one of them cannot run
/// (reported). What the file's unfinished playbook tests name is checked too.
pub fn load(file: &TestFile, mut r: Reading<'_>) -> Option<Vec<PlaybookInput>> {
    let mut files: BTreeMap<String, Option<Vec<Playbook>>> = BTreeMap::new();
    let mut out = Vec::with_capacity(file.playbook_cases.len());
    let mut ok = true;
    for case in &file.playbook_cases {
        match read_case(&file.path, case.names(), &mut r, &mut files) {
            Some((playbook, start, mocks, watchlists)) => {
                let secrets = playbook
                    .secrets
                    .env_names()
                    .into_iter()
                    .filter_map(|n| std::env::var(&n).ok().map(|v| (n, v)))
                    .collect();
                let options = Options {
                    strict_mocks: case.strict_mocks,
                    infer_mocks: case.infer_mocks,
                    secrets,
                    watchlists,
                    ..Options::new(case.now)
                };
                out.push(PlaybookInput { playbook, start, mocks, options });
            }
            None => ok = false,
        }
    }
    for case in &file.unfinished_playbook_cases {
        read_case(&file.path, case.names(), &mut r, &mut files);
    }
    ok.then_some(out)
}

/// What one playbook test names, read and checked: its playbook, its start, its mocks and its
/// watchlists; `None` when something is missing or invalid (reported).
fn read_case(
    path: &str,
    case: Names<'_>,
    r: &mut Reading<'_>,
    files: &mut BTreeMap<String, Option<Vec<Playbook>>>,
) -> Option<(Playbook, Start, Mocks, Watchlists)> {
    let errors = r.diags.iter().filter(|d| d.is_error()).count();
    let playbook = case.playbook.and_then(|named| find(path, named, r, files));
    if let Some(p) = &playbook {
        r.diags.extend(check_names(path, case, p));
    }
    let start = start(path, case, r);
    let mocks = mocks(path, case.mocks, r);
    let watchlists = watchlists(path, case.watchlists, r);
    let failed = r.diags.iter().filter(|d| d.is_error()).count() > errors;
    match (playbook, start, mocks, watchlists) {
        (Some(playbook), Some(start), Some(mocks), Some(watchlists)) if !failed => {
            Some((playbook, start, mocks, watchlists))
        }
        _ => None,
    }
}

/// The test's playbook: a playbook of the file's `playbooks` by name, else a playbook file.
fn find(
    path: &str,
    named: &Text,
    r: &mut Reading<'_>,
    files: &mut BTreeMap<String, Option<Vec<Playbook>>>,
) -> Option<Playbook> {
    if let Some(p) = r.catalog.and_then(|c| c.get(&named.value)) {
        return Some(p.clone());
    }
    let file = relative(r.base, &named.value);
    if !Path::new(&file).exists() {
        if !r.names_known {
            // The file's playbooks could not be loaded (reported): it may be one of them.
            return None;
        }
        let names: Vec<&str> =
            r.catalog.map(|c| c.playbooks().iter().map(|p| p.name.as_str()).collect()).unwrap_or_default();
        let help = match did_you_mean(&named.value, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if names.is_empty() => {
                "name a playbook of the file's `playbooks:`, or give a playbook file relative to the test file"
                    .to_owned()
            }
            None => {
                format!("the file's playbooks: {}; or give a playbook file relative to the test file", names.join(", "))
            }
        };
        let message = format!("no playbook named `{}` is loaded, and there is no file {file}", named.value);
        r.diags.push(Diagnostic::error(codes::UNKNOWN_PLAYBOOK, path, Some(named.span), message).with_help(help));
        return None;
    }
    let loaded =
        files.entry(file.clone()).or_insert_with(|| match read_playbooks(std::slice::from_ref(&file), &[], None) {
            Ok(parts) => {
                let failed = parts.diagnostics.iter().any(Diagnostic::is_error);
                r.diags.extend(parts.diagnostics);
                r.sources.extend(parts.sources);
                (!failed).then_some(parts.playbooks)
            }
            Err(e) => {
                r.diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, path, Some(named.span), format!("{e:#}")));
                None
            }
        });
    match loaded.as_deref()? {
        [one] => Some(one.clone()),
        many => {
            let names: Vec<&str> = many.iter().map(|p| p.name.as_str()).collect();
            let message = format!("{file} holds {} playbooks, not one: {}", names.len(), names.join(", "));
            let d = Diagnostic::error(codes::UNKNOWN_PLAYBOOK, path, Some(named.span), message)
                .with_help("load the file with `playbooks:` and name one of its playbooks here");
            r.diags.push(d);
            None
        }
    }
}

/// What the run starts on: the incident, the alert, or the alert with its incident (the
/// incident carries the portal's provider name, as playbooks see it).
fn start(path: &str, case: Names<'_>, r: &mut Reading<'_>) -> Option<Start> {
    // Both are read (and reported) before either is given up on.
    let incident = case.incident.map(|source| incident(path, r.base, source, r.diags));
    let alert = case.alert.map(|source| alert(path, r.base, source, r.diags));
    if matches!(incident, Some(None)) || matches!(alert, Some(None)) {
        return None;
    }
    let (mut incident, alert) = (incident.flatten(), alert.flatten());
    if let (Some(provider), Some(i)) = (r.portal.provider_name(), incident.as_mut()) {
        i.set_field("providerName", provider);
    }
    match (alert, incident) {
        (Some(alert), Some(incident)) => Some(Start::AlertIn { alert, incident }),
        (Some(alert), None) => Some(Start::Alert(alert)),
        (None, Some(incident)) => Some(Start::Incident(incident)),
        (None, None) => None,
    }
}

/// Reads a test's alert (a file holding exactly one, or inline).
fn alert(path: &str, base: &Path, source: &IncidentSource, diags: &mut Vec<Diagnostic>) -> Option<Alert> {
    let read = match source {
        IncidentSource::Inline { value, .. } => Alert::from_value(value.clone())
            .map_err(|e| (codes::INVALID_INCIDENT, format!("not a usable alert: {}", e.message))),
        IncidentSource::Path(text) => read_one_alert(&relative(base, &text.value)).map_err(|e| match e {
            OneIncidentError::Unreadable(m) => (codes::PATH_NOT_FOUND, m),
            OneIncidentError::Invalid(m) => (codes::INVALID_INCIDENT, m),
        }),
    };
    read.map_err(|(code, message)| diags.push(Diagnostic::error(code, path, Some(source.span()), message))).ok()
}

/// The test's own mocks, in the order written, then the file's.
fn mocks(path: &str, sources: &[MockSource], r: &mut Reading<'_>) -> Option<Mocks> {
    let mut out = Mocks::default();
    let mut ok = true;
    for source in sources {
        match source {
            MockSource::Inline(m) => out.mocks.extend(m.mocks.iter().cloned()),
            MockSource::Path(text) => {
                let file = relative(r.base, &text.value);
                if !text.value.contains(['*', '?', '[']) && !Path::new(&file).exists() {
                    let message = format!("mocks path {file} does not exist");
                    r.diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, path, Some(text.span), message));
                    ok = false;
                    continue;
                }
                let before = r.diags.iter().filter(|d| d.is_error()).count();
                match read_mocks(std::slice::from_ref(&file), r.diags, r.sources) {
                    Ok(m) => out.mocks.extend(m.mocks),
                    Err(e) => {
                        r.diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, path, Some(text.span), format!("{e:#}")))
                    }
                }
                ok &= r.diags.iter().filter(|d| d.is_error()).count() == before;
            }
        }
    }
    if let Some(catalog) = r.catalog {
        out.mocks.extend(catalog.mocks.mocks.iter().cloned());
    }
    ok.then_some(out)
}

/// The test's watchlists, read from their CSV files; a broken row is reported at its
/// `FILE:LINE`, where the test names the file.
fn watchlists(path: &str, named: &[(Text, Text)], r: &mut Reading<'_>) -> Option<Watchlists> {
    let mut out = Watchlists::default();
    let mut ok = true;
    for (alias, csv) in named {
        let file = relative(r.base, &csv.value);
        let read = std::fs::read_to_string(&file)
            .map_err(|e| (codes::PATH_NOT_FOUND, format!("cannot read watchlist file {file}: {e}")))
            .and_then(|text| {
                Watchlist::from_csv(&alias.value, &file, &text).map_err(|e| {
                    (codes::PATH_NOT_FOUND, format!("{file}:{}: {} (watchlist {})", e.line, e.message, alias.value))
                })
            });
        match read {
            Ok(w) => out.insert(w),
            Err((code, message)) => {
                r.diags.push(Diagnostic::error(code, path, Some(csv.span), message));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}
