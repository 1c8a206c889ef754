//! `sentinel-soar playbook`: run a playbook offline on an incident (`run`), list playbooks
//! (`list`) and show one (`show`). Loading is shared: a file is a YAML playbook or Logic Apps
//! JSON (which may hold several workflows); a NAME is looked up among the playbooks of `--dir`
//! directories.

pub mod history;
mod list;
mod outline;
pub mod output;
mod run;
mod show;
mod shown;
mod state;
pub mod tree;

use std::path::Path;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};

use crate::diagnostic::{Diagnostic, Sources};
use crate::playbook::model::{self, Playbook};

use super::report::Exit;

/// Arguments of `playbook`, as typed.
#[derive(Debug, Args)]
pub struct PlaybookArgs {
    #[command(subcommand)]
    pub command: PlaybookCommand,
}

#[derive(Debug, Subcommand)]
pub enum PlaybookCommand {
    /// Run a playbook on an incident or an alert, offline, with mocks, and print the run log.
    Run(Box<run::RunArgs>),
    /// List playbooks: name, trigger kind as Sentinel classifies it, state, steps and runs in the history.
    List(list::ListArgs),
    /// Enable a playbook (its Logic App state) in its file.
    Enable(state::StateArgs),
    /// Disable a playbook (its Logic App state) in its file.
    Disable(state::StateArgs),
    /// Show one playbook: trigger, state, connections, parameters (secrets as references only)
    /// and the step tree.
    Show(show::ShowArgs),
}

/// Runs `playbook`.
pub fn run(args: PlaybookArgs) -> anyhow::Result<Exit> {
    match args.command {
        PlaybookCommand::Run(args) => run::run(*args),
        PlaybookCommand::List(args) => list::run(args),
        PlaybookCommand::Enable(args) => state::run(args, true),
        PlaybookCommand::Disable(args) => state::run(args, false),
        PlaybookCommand::Show(args) => show::run(args),
    }
}

/// Playbooks loaded from files, with every diagnostic and the sources they point into.
pub struct Loaded {
    pub playbooks: Vec<Playbook>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// Loads every playbook of `files`. A file found by walking a directory that holds no
/// playbook (an incident, a mocks file) is skipped rather than reported.
pub fn load_files(files: &[(std::path::PathBuf, bool)]) -> anyhow::Result<Loaded> {
    load_files_with(files, &[])
}

/// [`load_files`] with `--param` values for Logic Apps ARM templates.
pub fn load_files_with(files: &[(std::path::PathBuf, bool)], params: &[(String, String)]) -> anyhow::Result<Loaded> {
    let mut loaded = Loaded { playbooks: Vec::new(), diagnostics: Vec::new(), sources: Sources::default() };
    for (file, walked) in files {
        let label = file.display().to_string();
        let bytes = std::fs::read(file).with_context(|| format!("cannot read playbook file {label}"))?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            // Found by walking a directory: not a playbook. Named: reported at the bad byte.
            Err(_) if *walked => continue,
            Err(e) => {
                loaded.diagnostics.push(super::rule_files::not_utf8(&label, &e));
                continue;
            }
        };
        let mut diags = Vec::new();
        let found = model::load_with(&label, &text, params, &mut diags);
        if *walked && found.is_empty() && diags.iter().any(|d| d.code == model::codes::NOT_A_PLAYBOOK) {
            continue;
        }
        loaded.sources.insert(&label, &text);
        loaded.playbooks.extend(found);
        loaded.diagnostics.extend(diags);
    }
    Ok(loaded)
}

/// The playbook `target` names: a file (its first workflow, or the one named like the file
/// when it holds several), or a playbook name found under `dirs`; `params` are `--param`
/// values for Logic Apps ARM templates.
pub fn find(target: &str, dirs: &[String], params: &[(String, String)]) -> anyhow::Result<(Playbook, Loaded)> {
    if Path::new(target).is_file() {
        let mut loaded = load_files_with(&[(target.into(), false)], params)?;
        let playbook = match loaded.playbooks.len() {
            0 => None,
            _ => Some(loaded.playbooks.remove(0)),
        };
        return match playbook {
            Some(p) => Ok((p, loaded)),
            None => Ok((empty(target), loaded)),
        };
    }
    let existing: Vec<String> = dirs.iter().filter(|d| Path::new(d.as_str()).is_dir()).cloned().collect();
    if existing.is_empty() {
        bail!(
            "{target} is not a playbook file, and no playbook directory exists to look it up in ({})",
            dirs.join(", ")
        );
    }
    let files = super::rule_files::expand_named(&existing, "playbook")?;
    let mut loaded = load_files_with(&files, params)?;
    let wanted = |p: &Playbook| {
        p.name.eq_ignore_ascii_case(target)
            || Path::new(&p.source.path).file_stem().is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case(target))
    };
    match loaded.playbooks.iter().position(wanted) {
        Some(i) => {
            let playbook = loaded.playbooks.remove(i);
            loaded.diagnostics.retain(|d| d.file == playbook.source.path);
            Ok((playbook, loaded))
        }
        None => bail!("no playbook named {target} in {}", existing.join(", ")),
    }
}

/// A placeholder when a file held no playbook (its diagnostics say why).
fn empty(path: &str) -> Playbook {
    Playbook {
        name: path.to_owned(),
        description: None,
        resource_group: None,
        source: model::Source::new(path, ""),
        enabled: false,
        trigger: None,
        parameters: Default::default(),
        connections: Default::default(),
        secrets: Default::default(),
        static_results: Default::default(),
        actions: Default::default(),
    }
}
