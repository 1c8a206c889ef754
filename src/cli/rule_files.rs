//! Rules read for a command: the paths go through the library's [`workspace`] (each file's
//! kind decided once, each file parsed once and decoded by its kind), and the automation rules
//! found are compiled into a rule set. The other kinds the workspace met among the paths
//! (playbooks, analytic rules, rule tests, mocks, settings) come along, so that `validate`
//! checks them and `apply` runs the playbooks that sit beside the rules.

use crate::diagnostic::{Diagnostic, Sources};
use crate::playbook::{model::Playbook, settings::Settings};
use crate::rules::{self, file::RuleFile, playbook_refs::PlaybookFacts, RuleSet};
use crate::workspace::{self, Workspace};

/// Rules loaded from disk, with everything needed to report on them.
pub struct LoadedRules {
    pub set: RuleSet,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    /// The rule files as decoded (for checks that need the source model).
    pub rule_files: Vec<RuleFile>,
    /// Playbooks met among the paths (YAML playbooks, Logic Apps JSON).
    pub playbooks: Vec<Playbook>,
    /// The last workspace settings file met among the paths.
    pub settings: Option<Settings>,
    /// Everything else the workspace read: every file with its kind, analytic rules, rule tests
    /// and mocks.
    pub workspace: Workspace,
}

/// Expands path arguments into files, sorted and de-duplicated (`what` names them in errors:
/// `rule`, `playbook`, `mocks`), telling for each whether a directory walk found it.
pub fn expand_named(args: &[String], what: &'static str) -> anyhow::Result<Vec<(std::path::PathBuf, bool)>> {
    Ok(workspace::expand::expand(args, what)?.into_iter().map(|f| (f.path, f.walked)).collect())
}

/// Reads and decodes every file under `args` (see [`workspace::load`]). I/O failures are
/// errors (exit 2); problems in the files are diagnostics, a warning repeated in several places
/// said once.
pub fn decode(args: &[String], options: &workspace::Options) -> anyhow::Result<Workspace> {
    Ok(workspace::load(args, options)?)
}

/// Reads, decodes and compiles every rule file under `args`, with the workspace options
/// (`--param`, `--params-file`, `--workspace`, what the command expects). I/O failures are
/// errors (exit 2); problems in the files are diagnostics.
pub fn load_with(
    args: &[String],
    options: &rules::Options,
    reading: &workspace::Options,
) -> anyhow::Result<LoadedRules> {
    Ok(compile(decode(args, reading)?, options))
}

/// [`load_with`] for rule files already read (`impact --base git:REV`).
pub fn load_sources(
    sources: Vec<workspace::Source>,
    options: &rules::Options,
    reading: &workspace::Options,
) -> anyhow::Result<LoadedRules> {
    Ok(compile(workspace::load_sources(sources, reading)?, options))
}

/// Compiles the rule files of a workspace.
fn compile(mut ws: Workspace, options: &rules::Options) -> LoadedRules {
    let mut diagnostics = std::mem::take(&mut ws.diagnostics);
    let (set, compile_diags) = rules::compile(&ws.rule_files, options);
    diagnostics.extend(compile_diags);
    LoadedRules {
        set,
        diagnostics,
        sources: std::mem::take(&mut ws.sources),
        rule_files: std::mem::take(&mut ws.rule_files),
        playbooks: std::mem::take(&mut ws.playbooks),
        settings: ws.settings.take(),
        workspace: ws,
    }
}

/// Checks the playbooks the rules' `run_playbook` actions name against the playbooks met
/// among the rule paths and `extra` ones (`--playbooks`), with the settings' permissions
/// (the one given, else one met among the paths). Without any playbook there is nothing to
/// check against, and nothing is reported.
pub fn check_playbooks(loaded: &mut LoadedRules, extra: &[Playbook], settings: Option<&Settings>) {
    let found = playbook_findings(loaded, extra, settings);
    loaded.diagnostics.extend(found);
}

/// The findings of [`check_playbooks`], without adding them to `loaded`.
pub fn playbook_findings(loaded: &LoadedRules, extra: &[Playbook], settings: Option<&Settings>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if loaded.playbooks.is_empty() && extra.is_empty() {
        return found;
    }
    let settings = settings.or(loaded.settings.as_ref());
    let facts: Vec<PlaybookFacts> = loaded.playbooks.iter().chain(extra).map(|p| facts(p, settings)).collect();
    rules::playbook_refs::check(&loaded.rule_files, &facts, &mut found);
    found
}

/// What the rule checks need to know of a playbook.
pub fn facts(p: &Playbook, settings: Option<&Settings>) -> PlaybookFacts {
    let not_runnable = if p.enabled {
        settings.and_then(|s| s.refuse_resource_group(p.resource_group.as_deref()))
    } else {
        Some(format!("playbook `{}` is disabled: Sentinel would record a failed run", p.name))
    };
    PlaybookFacts { name: p.name.clone(), trigger: p.trigger_kind().as_str(), not_runnable }
}
