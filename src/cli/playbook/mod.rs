//! `sentinel-soar playbook`: run a playbook offline on an incident (`run`), list playbooks
//! (`list`), show one (`show`), enable or disable one. The subcommands that work on one
//! playbook find it the same way ([`Target`]): a file is a YAML playbook or Logic Apps JSON
//! (which may hold several workflows); a NAME is looked up among the playbooks of `--dir`
//! directories.

mod list;
mod outline;
mod run;
mod show;
mod shown;
mod state;
pub mod tree;

use std::path::Path;

use anyhow::bail;
use clap::{Args, Subcommand};

use crate::playbook::model::{self, Playbook};

use super::prelude::{load_files_with, playbooks::Loaded, usage, Color, TemplateArgs};
use super::report::Exit;
use crate::workspace::{self, Expect};

/// Arguments of `playbook`, as typed.
#[derive(Debug, Args)]
pub struct PlaybookArgs {
    #[command(subcommand)]
    pub command: PlaybookCommand,
}

#[derive(Debug, Subcommand)]
pub enum PlaybookCommand {
    /// Run a playbook on an incident or an alert, offline, with mocks, and print the run log.
    #[command(
        override_usage = "sentinel-soar playbook run <NAME|PATH> <--incident <PATH|->|--alert <PATH|->> [OPTIONS]"
    )]
    Run(Box<run::RunArgs>),
    /// List playbooks: name, trigger kind as Sentinel classifies it, state, steps and runs in the history.
    List(list::ListArgs),
    /// Enable a playbook (its Logic App state) in its file.
    #[command(override_usage = "sentinel-soar playbook enable <NAME|PATH> [OPTIONS]")]
    Enable(state::StateArgs),
    /// Disable a playbook (its Logic App state) in its file.
    #[command(override_usage = "sentinel-soar playbook disable <NAME|PATH> [OPTIONS]")]
    Disable(state::StateArgs),
    /// Show one playbook: trigger, state, connections, parameters (secrets as references only)
    /// and the step tree.
    #[command(override_usage = "sentinel-soar playbook show <NAME|PATH> [OPTIONS]")]
    Show(show::ShowArgs),
}

/// The playbook a subcommand works on (`run`, `show`, `enable`, `disable`), as typed. The
/// playbook comes first: `--dir` (and `run`'s `--mocks`) take every value up to the next flag,
/// so a NAME after them is read as one of their paths, and [`Target::name`] says so.
#[derive(Debug, Args)]
pub struct Target {
    /// A playbook file (YAML or Logic Apps JSON), or the name of a playbook in --dir.
    #[arg(value_name = "NAME|PATH")]
    pub playbook: Option<String>,
    /// Where a playbook NAME is looked up (several: --dir A B, or --dir A --dir B).
    #[arg(long = "dir", value_name = "DIR", num_args = 1.., default_values_t = [DEFAULT_DIR.to_owned()])]
    pub dirs: Vec<String>,
}

/// Where a playbook NAME is looked up without `--dir`.
const DEFAULT_DIR: &str = "playbooks";

impl Target {
    /// The NAME|PATH typed; when it is missing, a usage error naming the path flag that read it
    /// (`--dir`, or one of `flags`) and the order that works.
    pub fn name(&self, command: &str, flags: &[(&str, &[String])]) -> anyhow::Result<&str> {
        if let Some(name) = &self.playbook {
            return Ok(name);
        }
        let dirs: &[String] = if self.dirs == [DEFAULT_DIR] { &[] } else { &self.dirs };
        let mut all = flags.to_vec();
        all.push(("--dir", dirs));
        Err(usage::missing_positional(command, "playbook", "NAME|PATH", &all))
    }

    /// Finds the playbook (see [`find`]) with the template parameters of `templates`.
    pub fn find(
        &self,
        command: &str,
        flags: &[(&str, &[String])],
        templates: &TemplateArgs,
    ) -> anyhow::Result<(Playbook, Loaded)> {
        find(self.name(command, flags)?, &self.dirs, &templates.options(Expect::Playbooks))
    }
}

/// Runs `playbook`.
pub fn run(args: PlaybookArgs, color: Color) -> anyhow::Result<Exit> {
    match args.command {
        PlaybookCommand::Run(args) => run::run(*args, color),
        PlaybookCommand::List(args) => list::run(args, color),
        PlaybookCommand::Enable(args) => state::run(args, true, color),
        PlaybookCommand::Disable(args) => state::run(args, false, color),
        PlaybookCommand::Show(args) => show::run(args, color),
    }
}

/// The playbook `target` names: a file (its first workflow, or the one named like the file
/// when it holds several), or a playbook name found under `dirs`; `options` give Logic Apps ARM
/// templates their parameters. A name that several playbooks have is an error listing their
/// files; a name no playbook has, one naming the closest name.
pub fn find(target: &str, dirs: &[String], options: &workspace::Options) -> anyhow::Result<(Playbook, Loaded)> {
    if Path::new(target).is_file() {
        let mut loaded = load_files_with(&[target.to_owned()], options)?;
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
    let mut loaded = load_files_with(&existing, options)?;
    let wanted = |p: &Playbook| {
        p.name.eq_ignore_ascii_case(target)
            || Path::new(&p.source.path).file_stem().is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case(target))
    };
    let found: Vec<usize> =
        (0..loaded.playbooks.len()).filter(|&i| loaded.playbooks.get(i).is_some_and(wanted)).collect();
    match found.as_slice() {
        [i] => {
            let playbook = loaded.playbooks.remove(*i);
            loaded.diagnostics.retain(|d| d.file == playbook.source.path);
            Ok((playbook, loaded))
        }
        [] => {
            let names = loaded.playbooks.iter().map(|p| p.name.as_str());
            match crate::diagnostic::did_you_mean(target, names) {
                Some(near) => bail!("no playbook named {target} in {}; did you mean {near}?", existing.join(", ")),
                None => bail!("no playbook named {target} in {}", existing.join(", ")),
            }
        }
        many => {
            let listed: Vec<String> = many
                .iter()
                .filter_map(|&i| loaded.playbooks.get(i))
                .map(|p| format!("{} ({} trigger)", p.source.path, p.trigger_kind().as_str()))
                .collect();
            bail!(
                "{} playbooks in {} are named {target}: {}; give the file instead of the name",
                many.len(),
                existing.join(", "),
                listed.join(", ")
            )
        }
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
