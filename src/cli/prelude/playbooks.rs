//! Reading playbooks and what runs them, for every command that does: playbook files (YAML or
//! Logic Apps JSON; a directory's files that hold no playbook are skipped), mocks, workspace
//! settings, and the [`Catalog`] the engine runs `run_playbook` actions through (`apply`,
//! `explain`, `test`, `validate`, `playbook`, `connections`). I/O failures are errors (exit 2);
//! problems inside the files are diagnostics.

use chrono::{DateTime, Utc};

use crate::diagnostic::{Diagnostic, Sources};
use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::host::Catalog;
use crate::playbook::model::Playbook;
use crate::playbook::run::Options;
use crate::playbook::settings::Settings;
use crate::workspace::{self, Expect, FileKind};

use super::args::PlaybookInputs;
use super::inputs::read_text;
use crate::cli::rule_files::{self, LoadedRules};

/// Playbooks loaded from files, with every diagnostic and the sources they point into.
pub struct Loaded {
    pub playbooks: Vec<Playbook>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// Loads every playbook under `paths` (files, directories, globs) through the workspace: a
/// named file is read as a playbook, a directory's files only when they are playbooks.
pub fn load_files(paths: &[String]) -> anyhow::Result<Loaded> {
    load_files_with(paths, &workspace::Options::default())
}

/// [`load_files`] with the template parameters of `options` (`--param`, `--params-file`,
/// `--workspace`).
pub fn load_files_with(paths: &[String], options: &workspace::Options) -> anyhow::Result<Loaded> {
    let options = workspace::Options { expect: Expect::Playbooks, ..options.clone() };
    let ws = workspace::load(paths, &options)?;
    Ok(Loaded { playbooks: ws.playbooks, diagnostics: ws.diagnostics, sources: ws.sources })
}

/// Playbooks, mocks and settings read from their files, with what was found wrong in them.
pub struct Parts {
    pub playbooks: Vec<Playbook>,
    pub mocks: Mocks,
    pub settings: Option<Settings>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// Reads playbook paths (files, directories, globs), mock paths (all mocks are used, in path
/// order) and a settings file. I/O failures are errors; problems in the files diagnostics.
pub fn read_playbooks(playbooks: &[String], mock_paths: &[String], settings: Option<&str>) -> anyhow::Result<Parts> {
    let found = load_files(playbooks)?;
    let mut parts = Parts {
        playbooks: found.playbooks,
        mocks: Mocks::default(),
        settings: None,
        diagnostics: found.diagnostics,
        sources: found.sources,
    };
    parts.mocks = read_mocks(mock_paths, &mut parts.diagnostics, &mut parts.sources)?;
    if let Some(path) = settings {
        parts.settings = Some(read_settings(path, &mut parts.diagnostics, &mut parts.sources)?);
    }
    Ok(parts)
}

/// Reads every mocks file under `paths` (files, directories, globs) into one set, in path
/// order; problems are diagnostics, the texts go to `sources`.
pub fn read_mocks(paths: &[String], diags: &mut Vec<Diagnostic>, sources: &mut Sources) -> anyhow::Result<Mocks> {
    if paths.is_empty() {
        return Ok(Mocks::default());
    }
    let ws = workspace::load(paths, &workspace::Options { expect: Expect::Mocks, ..workspace::Options::default() })?;
    diags.extend(ws.diagnostics);
    sources.extend(ws.sources);
    Ok(ws.mocks)
}

/// Reads a workspace settings file (`-`: standard input); problems are diagnostics, the text
/// goes to `sources`.
pub fn read_settings(path: &str, diags: &mut Vec<Diagnostic>, sources: &mut Sources) -> anyhow::Result<Settings> {
    let (label, text) = read_text(path, "settings file")?;
    let ws = workspace::load_text(&label, &text, FileKind::Settings, &workspace::Options::default())?;
    diags.extend(ws.diagnostics);
    sources.extend(ws.sources);
    Ok(ws.settings.unwrap_or_default())
}

/// The catalog the engine runs playbooks through; secrets are read from the environment, only
/// the variables the playbooks refer to.
pub fn catalog(
    playbooks: Vec<Playbook>,
    mocks: Mocks,
    settings: Option<Settings>,
    strict_mocks: bool,
    infer_mocks: bool,
    now: DateTime<Utc>,
) -> Catalog {
    let mut catalog = Catalog::new(playbooks, mocks, settings.unwrap_or_default(), Options::new(now));
    let secrets = catalog.env_names().into_iter().filter_map(|n| std::env::var(&n).ok().map(|v| (n, v))).collect();
    catalog.options = Options { strict_mocks, infer_mocks, secrets, ..Options::new(now) };
    catalog
}

/// Loads the playbooks, mocks and settings of `--playbooks` into `loaded` (diagnostics and sources),
/// checks the rules' playbook references, and returns the catalog; `None` without
/// `--playbooks`.
pub fn load_catalog(
    args: &PlaybookInputs,
    now: DateTime<Utc>,
    loaded: &mut LoadedRules,
) -> anyhow::Result<Option<Catalog>> {
    if args.playbooks.is_empty() {
        return Ok(None);
    }
    let parts = read_playbooks(&args.playbooks, &args.mocks, args.settings.as_deref())?;
    loaded.diagnostics.extend(parts.diagnostics);
    loaded.sources.extend(parts.sources);
    let settings = parts.settings.or_else(|| loaded.settings.clone());
    rule_files::check_playbooks(loaded, &parts.playbooks, settings.as_ref());
    let mut playbooks = std::mem::take(&mut loaded.playbooks);
    playbooks.extend(parts.playbooks);
    let mut catalog = catalog(playbooks, parts.mocks, settings, args.strict_mocks, args.infer_mocks, now);
    catalog.options.watchlists = super::read_watchlists(&args.watchlists)?;
    Ok(Some(catalog))
}
