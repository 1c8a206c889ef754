//! What a rule test file names, loaded and checked: the rules (through the workspace), the
//! playbooks and mocks, and each test's incidents, as `test` loads them before it runs the
//! file's tests and as `validate` loads them to check the file as deeply (ST001-ST007). Paths are
//! relative to the test file.
//!
//! Stage: CLI (reads the files a test file names).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use crate::diagnostic::{Diagnostic, Sources};
use crate::engine::ties::TieGroup;
use crate::model::{Incident, Portal};
use crate::playbook::host::Catalog;
use crate::rules;
use crate::rules::portal::Adaptation;
use crate::ruletest::{self, codes, IncidentSource, TestFile, Text, Trigger};
use crate::workspace;

use super::incident_file::{read_one, OneIncidentError};
use super::playbook_tests::{self, PlaybookInput, Reading};
use super::playbooks::{catalog, read_playbooks};
use super::portal::adapt_rules_noted;
use crate::cli::rule_files::{self, LoadedRules};

/// A test file with everything it names loaded.
pub struct Loaded {
    pub file: TestFile,
    /// The rules as loaded (rule set, file model, sources), shared by the files naming them;
    /// `None` in a file of playbook tests only.
    pub rules: Option<Rc<LoadedRules>>,
    /// The playbooks the file names, when it names any.
    pub playbooks: Option<Catalog>,
    /// Per rule test: the incident and, for updates, the previous version.
    pub inputs: Vec<(Incident, Option<Incident>)>,
    /// Per playbook test: what its run starts from ([`playbook_tests`]).
    pub playbook_inputs: Vec<PlaybookInput>,
    /// `test --ties permute`: the tie groups of the rules (set by `test`).
    pub ties: Option<Vec<TieGroup>>,
    /// What the portal changed in the rules (`--portal defender`), for the notes of failures.
    pub adapted: Rc<[Adaptation]>,
}

/// A rule set as the test files naming it run it: loaded once, adapted to the portal, with the
/// changes the portal made.
pub type TestRules = (Rc<LoadedRules>, Rc<[Adaptation]>);

/// Where [`prepare`] reports: the rule sets loaded so far (by their paths), the sources, the
/// test file's diagnostics, and those of the rule files it names.
pub struct Found<'a> {
    pub cache: &'a mut BTreeMap<Vec<String>, Option<TestRules>>,
    pub sources: &'a mut Sources,
    pub diags: &'a mut Vec<Diagnostic>,
    pub rules: &'a mut Vec<Diagnostic>,
}

/// Loads the rules, playbooks and incidents a test file names, as `test` does before it runs
/// the file's tests and as `validate` does to check the file as deeply; `None` when something is
/// missing or invalid (reported to `found.diags`; the rule files' own findings to
/// `found.rules`). Every problem is reported at once: one that is found does not stop the
/// checks of the other paths, nor those of the file's unfinished tests (those with errors of
/// their own); only the names that need what could not be loaded go unchecked (rule names
/// without the rules, playbook names without the playbooks). The rules and playbooks are those
/// `portal` runs (`validate` gives [`Portal::Azure`]: the rules as written).
pub fn prepare(file: TestFile, options: &workspace::Options, portal: Portal, found: &mut Found<'_>) -> Option<Loaded> {
    let base = Path::new(&file.path).parent().map(Path::to_path_buf).unwrap_or_default();
    // Without `rules` (a file of playbook tests only, or a missing key reported by the decoder)
    // there is no rule set.
    let rules = (!file.rules.is_empty()).then(|| rule_set(&file, &base, options, portal, found));
    let mut ok = !matches!(rules, Some(None));
    let (rules, adapted) = match rules.flatten() {
        Some((rules, adapted)) => (Some(rules), adapted),
        None => (None, Rc::from([])),
    };
    let Found { sources, diags, .. } = found;
    if let Some(rules) = &rules {
        diags.extend(ruletest::check_rule_names(&file, &rules.set));
    }
    let playbooks = playbooks(&file, &base, rules.as_deref(), sources, diags);
    ok &= playbooks.ok;
    let mut catalog = playbooks.catalog;
    if let Some(c) = catalog.as_mut() {
        c.provider = portal.provider_name();
    }
    let mut inputs = Vec::with_capacity(file.cases.len());
    for case in &file.cases {
        let incident = incident(&file.path, &base, &case.incident, diags);
        let previous = match &case.trigger {
            Trigger::Updated { previous: Some(p), .. } => incident_opt(&file.path, &base, p, diags),
            _ => Some(None),
        };
        match (incident, previous) {
            (Some(i), Some(p)) => inputs.push((i, p)),
            _ => ok = false,
        }
    }
    for case in &file.unfinished_cases {
        for source in case.incident.iter().chain(&case.previous) {
            incident(&file.path, &base, source, diags);
        }
    }
    let names_known = !playbooks.unloaded;
    let reading = Reading { base: &base, catalog: catalog.as_ref(), names_known, portal, sources, diags };
    let playbook_inputs = playbook_tests::load(&file, reading);
    let playbook_inputs = playbook_inputs.filter(|_| ok)?;
    Some(Loaded { file, rules, playbooks: catalog, inputs, playbook_inputs, ties: None, adapted })
}

/// The rule set a test file names (loaded once per set of paths), adapted to `portal`; `None`
/// when it cannot be read or has errors (reported).
fn rule_set(
    file: &TestFile,
    base: &Path,
    options: &workspace::Options,
    portal: Portal,
    found: &mut Found<'_>,
) -> Option<TestRules> {
    let Found { cache, sources, diags, rules: rule_diags } = found;
    let specs: Vec<String> = file.rules.iter().map(|t| relative(base, &t.value)).collect();
    let span = file.rules_span;
    let rules = cache
        .entry(specs.clone())
        .or_insert_with(|| match rule_files::load_with(&specs, &rules::Options::default(), options) {
            Ok(mut l) => {
                let errors = l.diagnostics.iter().filter(|d| d.is_error()).count();
                rule_diags.append(&mut l.diagnostics);
                sources.extend(l.sources.clone());
                let (set, adapted) = adapt_rules_noted(std::mem::take(&mut l.set), portal);
                l.set = set;
                (errors == 0).then(|| (Rc::new(l), Rc::from(adapted)))
            }
            Err(e) => {
                diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, &file.path, span, format!("{e:#}")));
                None
            }
        })
        .clone();
    let Some(rules) = rules else {
        if !diags.iter().any(|d| d.file == file.path && d.code == codes::PATH_NOT_FOUND) {
            let message = "the rule files of this test file have errors (listed above)";
            diags.push(Diagnostic::error(codes::INVALID_RULES, &file.path, span, message));
        }
        return None;
    };
    Some(rules)
}

/// The playbooks of a test file, as far as they loaded.
struct Playbooks {
    catalog: Option<Catalog>,
    /// False when something is missing or has errors (reported).
    ok: bool,
    /// True when the file names playbooks that could not be loaded: playbook tests' names are
    /// not checked then.
    unloaded: bool,
}

/// The playbooks, mocks and the rules' references to them, when the file names playbooks (or
/// mocks for its playbook tests). A mocks path that does not exist leaves the playbooks loaded
/// (for the names of the playbook tests), but not `ok`.
fn playbooks(
    file: &TestFile,
    base: &Path,
    rules: Option<&LoadedRules>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
) -> Playbooks {
    let failed = Playbooks { catalog: None, ok: false, unloaded: !file.playbooks.is_empty() };
    if file.playbooks.is_empty() && (file.mocks.is_empty() || no_playbook_tests(file)) {
        if let Some(first) = file.mocks.first() {
            let message = "`mocks` without `playbooks`: mocks answer the calls of the playbooks the rules run";
            diags.push(
                Diagnostic::error(codes::CONFLICTING_KEYS, &file.path, Some(first.span), message).with_help(
                    "add `playbooks:` (the playbooks the rules' run_playbook actions name), or remove `mocks`",
                ),
            );
            return failed;
        }
        return Playbooks { catalog: None, ok: true, unloaded: false };
    }
    // A path that does not exist is reported where it is written.
    let mut ok = true;
    let mut existing = |kind: &str, texts: &[Text]| -> Vec<String> {
        let mut paths = Vec::with_capacity(texts.len());
        for t in texts {
            let path = relative(base, &t.value);
            if !t.value.contains(['*', '?', '[']) && !base.join(&t.value).exists() {
                let message = format!("{kind} path {path} does not exist");
                diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, &file.path, Some(t.span), message));
                ok = false;
            } else {
                paths.push(path);
            }
        }
        paths
    };
    let paths = existing("playbook", &file.playbooks);
    let mocks = existing("mocks", &file.mocks);
    if paths.len() < file.playbooks.len() {
        return failed;
    }
    let span = file.playbooks.first().map(|t| t.span);
    let parts = match read_playbooks(&paths, &mocks, None) {
        Ok(parts) => parts,
        Err(e) => {
            diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, &file.path, span, format!("{e:#}")));
            return failed;
        }
    };
    let references = rules.map(|r| rule_files::playbook_findings(r, &parts.playbooks, None)).unwrap_or_default();
    let found: Vec<Diagnostic> = parts.diagnostics.into_iter().chain(references).collect();
    sources.extend(parts.sources);
    if let Some(rules) = rules {
        sources.extend(rules.sources.clone());
    }
    let errors = found.iter().any(Diagnostic::is_error);
    diags.extend(found);
    if errors {
        return failed;
    }
    // Each run starts on its case's clock; this is only the catalog's default. (`test` sets
    // `--infer-mocks` and `--watchlist` on the catalog.)
    let now = file.cases.first().map_or(chrono::DateTime::UNIX_EPOCH, |c| c.now);
    let catalog = catalog(parts.playbooks, parts.mocks, None, false, false, now);
    Playbooks { catalog: Some(catalog), ok, unloaded: false }
}

/// True when a file holds no playbook tests, finished or not.
fn no_playbook_tests(file: &TestFile) -> bool {
    file.playbook_cases.is_empty() && file.unfinished_playbook_cases.is_empty()
}

fn incident_opt(
    file: &str,
    base: &Path,
    source: &IncidentSource,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<Incident>> {
    incident(file, base, source, diags).map(Some)
}

/// Reads a test's incident (a file holding exactly one, or inline).
pub(super) fn incident(
    file: &str,
    base: &Path,
    source: &IncidentSource,
    diags: &mut Vec<Diagnostic>,
) -> Option<Incident> {
    let span = Some(source.span());
    let value = match source {
        IncidentSource::Inline { value, .. } => Ok(value.clone()),
        IncidentSource::Path(text) => read_one(&relative(base, &text.value)).map_err(|e| match e {
            OneIncidentError::Unreadable(m) => (codes::PATH_NOT_FOUND, m),
            OneIncidentError::Invalid(m) => (codes::INVALID_INCIDENT, m),
        }),
    };
    let result = value.and_then(|v| {
        Incident::from_value(v).map_err(|e| (codes::INVALID_INCIDENT, format!("not a usable incident: {e}")))
    });
    match result {
        Ok(incident) => Some(incident),
        Err((code, message)) => {
            let mut diag = Diagnostic::error(code, file, span, message);
            if code == codes::INVALID_INCIDENT {
                diag = diag.with_help(
                    "a test takes one incident: a file that holds only it, or an inline mapping with title, severity and status",
                );
            }
            diags.push(diag);
            None
        }
    }
}

/// `rel` resolved against the test file's directory, with `.` and `..` removed lexically so
/// messages show short paths (`examples/rules`, not `examples/tests/../rules`).
pub(super) fn relative(base: &Path, rel: &str) -> String {
    let joined = base.join(rel);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        out.display().to_string()
    }
}
