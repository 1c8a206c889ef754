//! The playbooks of `apply`: reads `--playbooks`, `--mocks` and `--settings`, checks the rules'
//! `run_playbook` actions against them (SR026 unknown playbook, SR038 wrong trigger, SR039 not
//! runnable), and builds the [`Catalog`] the engine runs them through. Secrets come from the
//! environment, only the variables the playbooks refer to. Also writes the run history.

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::diagnostic::{Diagnostic, Sources};
use crate::engine::RunRecord;
use crate::model::Incident;
use crate::playbook::connectors::mocks::{self, Mocks};
use crate::playbook::host::Catalog;
use crate::playbook::model::Playbook;
use crate::playbook::run::Options;
use crate::playbook::settings::{self, Settings};

use super::super::playbook::{self as playbook_cli, history};
use super::super::rule_files::{self, LoadedRules};
use super::PlaybookInputs;

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
pub fn read(playbooks: &[String], mock_paths: &[String], settings: Option<&str>) -> anyhow::Result<Parts> {
    let found = playbook_cli::load_files(&rule_files::expand_named(playbooks, "playbook")?)?;
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
    let mut all = Mocks::default();
    for (path, _) in rule_files::expand_named(paths, "mocks")? {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read mocks file {label}"))?;
        sources.insert(&label, &text);
        all.mocks.extend(mocks::load(&label, &text, diags).mocks);
    }
    Ok(all)
}

/// Reads a workspace settings file; problems are diagnostics, the text goes to `sources`.
pub fn read_settings(path: &str, diags: &mut Vec<Diagnostic>, sources: &mut Sources) -> anyhow::Result<Settings> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read settings file {path}"))?;
    sources.insert(path, &text);
    Ok(settings::load(path, &text, diags))
}

/// The catalog the engine runs playbooks through; secrets are read from the environment, only
/// the variables the playbooks refer to.
pub fn catalog(
    playbooks: Vec<Playbook>,
    mocks: Mocks,
    settings: Option<Settings>,
    strict_mocks: bool,
    now: DateTime<Utc>,
) -> Catalog {
    let mut catalog = Catalog::new(playbooks, mocks, settings.unwrap_or_default(), Options::new(now));
    let secrets = catalog.env_names().into_iter().filter_map(|n| std::env::var(&n).ok().map(|v| (n, v))).collect();
    catalog.options = Options { strict_mocks, secrets, ..Options::new(now) };
    catalog
}

/// Loads `apply`'s playbooks, mocks and settings into `loaded` (diagnostics and sources),
/// checks the rules' playbook references, and returns the catalog; `None` without
/// `--playbooks`.
pub fn load(args: &PlaybookInputs, now: DateTime<Utc>, loaded: &mut LoadedRules) -> anyhow::Result<Option<Catalog>> {
    if args.playbooks.is_empty() {
        return Ok(None);
    }
    let parts = read(&args.playbooks, &args.mocks, args.settings.as_deref())?;
    loaded.diagnostics.extend(parts.diagnostics);
    loaded.sources.extend(parts.sources);
    let settings = parts.settings.or_else(|| loaded.settings.clone());
    rule_files::check_playbooks(loaded, &parts.playbooks, settings.as_ref());
    let mut playbooks = std::mem::take(&mut loaded.playbooks);
    playbooks.extend(parts.playbooks);
    Ok(Some(catalog(playbooks, parts.mocks, settings, args.strict_mocks, now)))
}

/// A run history record for a playbook run of `apply`.
pub fn record(catalog: &Catalog, run: &RunRecord, incident: &Incident) -> history::Record {
    let log = run.log.get("run").cloned().unwrap_or_default();
    let text = |key: &str| log.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    history::Record {
        run_id: run.run_id.clone(),
        playbook: run.playbook.clone(),
        file: catalog.get(&run.playbook).map(|p| p.source.path.clone()).unwrap_or_default(),
        incident: incident.name().map(str::to_owned),
        incident_number: incident.number(),
        status: run.status,
        start_time: text("startTime"),
        duration: text("duration"),
        changes: run.log.get("changes").cloned().unwrap_or_default(),
        run: log,
    }
}
