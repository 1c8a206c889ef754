//! `playbook enable|disable NAME|PATH`: switches a playbook on or off in its file, as the Logic
//! App's state: the YAML `enabled` key, or `properties.state` (`Enabled` / `Disabled`) of the
//! workflow in Logic Apps JSON. The file is edited in place — only that value changes, comments
//! and layout are kept — and replaced atomically. With a settings file that defines roles,
//! `--as NAME` must hold Logic App Operator or Logic App Contributor, as Azure requires to
//! enable or disable a Logic App.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use clap::Args;

use crate::io::AtomicFile;
use crate::playbook::model;
use crate::playbook::settings::Task;
use crate::syntax::{Node, NodeKind};

use crate::cli::prelude::{read_settings, Color, TemplateArgs};
use crate::cli::report::{print_diagnostics, Exit};

use super::Target;

/// Arguments of `playbook enable` and `playbook disable`, as typed.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 the playbook is in the state asked for, 1 the file has errors or the change is not permitted, 2 usage or unreadable input."
)]
pub struct StateArgs {
    #[command(flatten)]
    pub target: Target,
    /// The workspace settings file, or - for standard input; when it defines roles, --as must
    /// hold Logic App Operator or Logic App Contributor.
    #[arg(long, value_name = "PATH|-")]
    pub settings: Option<String>,
    /// Who changes the playbook's state (checked against --settings roles).
    #[arg(long = "as", value_name = "NAME", requires = "settings")]
    pub as_person: Option<String>,
}

/// Runs `playbook enable` (`enable` true) or `playbook disable`.
pub fn run(args: StateArgs, enable: bool, color: Color) -> anyhow::Result<Exit> {
    let command = if enable { "playbook enable" } else { "playbook disable" };
    let (playbook, mut loaded) = args.target.find(command, &[], &TemplateArgs::default())?;
    let settings = match &args.settings {
        Some(path) => Some(read_settings(path, &mut loaded.diagnostics, &mut loaded.sources)?),
        None => None,
    };
    print_diagnostics(&mut loaded.diagnostics, &loaded.sources, color);
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        let what = if settings.is_some() { "playbook and settings files" } else { "playbook file" };
        eprintln!("nothing was changed: fix the {what} first");
        return Ok(Exit::Findings);
    }
    let refusal = settings.and_then(|found| match (&found.roles, args.as_person.as_deref()) {
        (Some(_), None) => Some("the settings file defines roles: say who changes the playbook with --as NAME".into()),
        (_, person) => found.refuse(Task::EnableDisable, person.unwrap_or_default()),
    });
    if let Some(reason) = refusal {
        eprintln!("refused: {reason}");
        return Ok(Exit::Findings);
    }
    let word = if enable { "enabled" } else { "disabled" };
    let path = playbook.source.path.clone();
    if playbook.enabled == enable {
        println!("{} is already {word} ({path})", playbook.name);
        return Ok(Exit::Success);
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read playbook file {path}"))?;
    let edited = if is_json(&path, &text) {
        edit_json(&path, &text, &playbook.name, enable)?
    } else {
        edit_yaml(&text, enable)?
    };
    // The edit must give the same playbook with the new state, or nothing is written.
    let mut diags = Vec::new();
    let again = model::load(&path, &edited, &mut diags);
    let same = again.iter().find(|p| p.name == playbook.name);
    if same.is_none_or(|p| p.enabled != enable) || diags.iter().any(|d| d.is_error()) {
        bail!("{path}: could not set the state of {} (the file was not changed)", playbook.name);
    }
    let mut file = AtomicFile::create(Path::new(&path)).with_context(|| format!("cannot create {path}"))?;
    file.write_all(edited.as_bytes()).and_then(|()| file.commit()).with_context(|| format!("cannot write {path}"))?;
    println!("{} is now {word} ({path})", playbook.name);
    Ok(Exit::Success)
}

fn is_json(path: &str, text: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".json") || text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

/// Replaces the `enabled` value, or adds `enabled: false` after the `name` line.
fn edit_yaml(text: &str, enable: bool) -> anyhow::Result<String> {
    let root = crate::syntax::yaml::parse(text).map_err(|e| anyhow::anyhow!("{}", e.describe()))?;
    let value = if enable { "true" } else { "false" };
    if let Some(node) = root.get("enabled") {
        return splice(text, node.span.start, node.span.end, value);
    }
    let NodeKind::Map(entries) = &root.kind else { bail!("a YAML playbook is a mapping") };
    // After the `name` entry's line (or before the first key), at the top level's indentation.
    let at = match root.get("name") {
        Some(name) => {
            text.get(name.span.end..).and_then(|rest| rest.find('\n')).map_or(text.len(), |i| name.span.end + i + 1)
        }
        None => entries.first().map_or(0, |(key, _)| line_start(text, key.span.start)),
    };
    let indent = entries.first().map_or(0, |(key, _)| key.span.column.saturating_sub(1));
    let line = format!("{}enabled: {value}\n", " ".repeat(indent));
    let prefix = if at == text.len() && !text.ends_with('\n') { "\n" } else { "" };
    splice(text, at, at, &format!("{prefix}{line}"))
}

/// Sets `properties.state` of the file's one workflow.
fn edit_json(path: &str, text: &str, name: &str, enable: bool) -> anyhow::Result<String> {
    let body = text.trim_start_matches('\u{feff}');
    let offset = text.len() - body.len();
    let root = crate::syntax::json::parse(body).map_err(|e| anyhow::anyhow!("{}", e.describe()))?;
    let properties = workflow_properties(&root, name).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
    let value = if enable { "\"Enabled\"" } else { "\"Disabled\"" };
    match properties.get_ignore_case("state") {
        Some(node) => splice(text, offset + node.span.start, offset + node.span.end, value),
        None => {
            let at = offset + properties.span.start + 1;
            splice(text, at, at, &format!(" \"state\": {value},"))
        }
    }
}

/// The `properties` of the workflow named `name` in a Logic Apps JSON file: the one
/// `Microsoft.Logic/workflows` resource of an ARM template (or the one whose literal `name` is
/// `name`), a workflow resource's `properties`, or a properties object itself.
fn workflow_properties<'n>(root: &'n Node, name: &str) -> anyhow::Result<&'n Node> {
    if let Some(resources) = root.get_ignore_case("resources").and_then(Node::items) {
        let is_workflow = |r: &&Node| {
            r.get_ignore_case("type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.Logic/workflows"))
        };
        let workflows: Vec<&Node> = resources.iter().filter(is_workflow).collect();
        let named: Vec<&Node> = workflows
            .iter()
            .copied()
            .filter(|r| r.get_ignore_case("name").and_then(Node::as_str).is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .collect();
        let chosen = match (workflows.as_slice(), named.as_slice()) {
            ([one], _) | (_, [one]) => one,
            ([], _) => bail!("the template deploys no Microsoft.Logic/workflows resource"),
            (many, _) => bail!(
                "the template deploys {} workflows and none is named `{name}` literally (its name is an ARM expression); set `properties.state` of the one you mean by hand",
                many.len()
            ),
        };
        return chosen
            .get_ignore_case("properties")
            .ok_or_else(|| anyhow::anyhow!("the workflow resource has no `properties`"));
    }
    if let Some(properties) = root.get_ignore_case("properties").filter(|p| p.get_ignore_case("definition").is_some()) {
        return Ok(properties);
    }
    if root.get_ignore_case("definition").is_some() {
        return Ok(root);
    }
    bail!("a bare workflow definition has no state; deploy it as a workflow resource to enable or disable it")
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|before| before.rfind('\n')).map_or(0, |i| i + 1)
}

fn splice(text: &str, start: usize, end: usize, with: &str) -> anyhow::Result<String> {
    match (text.get(..start), text.get(end..)) {
        (Some(before), Some(after)) => Ok(format!("{before}{with}{after}")),
        _ => bail!("internal error: an edit outside the file"),
    }
}
