//! `sentinel-soar explain`: why each rule did or did not change an incident. For every
//! incident of the file and every rule in run order: fired or skipped and why (disabled,
//! expired, trigger, analytics-rule scope, conditions), the condition tree with each node's
//! result and the values each leaf saw, and the changes the rule made. A tree on a terminal,
//! plain text when piped, `--format json` for tools ([`explanation`] documents the structure).

mod explanation;
mod render;
mod tree;

use std::collections::HashMap;
use std::io::Write;

use anyhow::{anyhow, bail, Context};
use clap::Args;

use crate::diagnostic::distance;
use crate::engine::{Clock, Event, PlaybookHost};
use crate::io;
use crate::model::{Incident, Update, UpdatedBySource};
use crate::rules::{self, RuleSet};

use super::prelude::{clock, load_catalog, load_previous, read_all, usage};
use super::prelude::{Color, EventArgs, PlaybookInputs, ReportFormat, TemplateArgs, TriggerArg};
use super::report::{print_diagnostics, stdout_is_terminal, Exit};
use super::rule_files;
use crate::workspace::Expect;
use explanation::Explanation;

/// Arguments of `explain`, as typed.
#[derive(Debug, Args)]
#[command(
    override_usage = "sentinel-soar explain [OPTIONS] --rules <PATH>... --incident <PATH|->...",
    after_help = "Exit codes: 0 success, 1 invalid rule files, 2 usage or unreadable input (including an unknown --rule)."
)]
pub struct ExplainArgs {
    /// Rule files, directories (searched for *.yaml, *.yml) or glob patterns.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    pub rules: Vec<String>,
    /// The incident files (any incident format; every incident in them is explained),
    /// directories, globs, or - for stdin.
    #[arg(long, visible_alias = "incidents", required = true, num_args = 1.., value_name = "PATH|-")]
    pub incident: Vec<String>,
    /// Explain only the rule with this name.
    #[arg(long, value_name = "NAME")]
    pub rule: Option<String>,
    #[command(flatten)]
    pub event: EventArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub playbooks: PlaybookInputs,
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// The rule `--rule` names: exact, else the only case-insensitive match; an error listing
/// close names otherwise.
fn find_rule(set: &RuleSet, wanted: &str) -> anyhow::Result<String> {
    let names: Vec<&str> = set.rules().iter().map(|r| r.name.as_str()).collect();
    if let Some(name) = names.iter().find(|n| **n == wanted) {
        return Ok((*name).to_owned());
    }
    let folded: Vec<&&str> = names.iter().filter(|n| n.eq_ignore_ascii_case(wanted.trim())).collect();
    if let [one] = folded.as_slice() {
        return Ok((**one).to_owned());
    }
    let needle = wanted.trim().to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = names
        .iter()
        .map(|n| (distance(n, wanted), *n))
        .filter(|(d, n)| *d <= limit || (!needle.is_empty() && n.to_lowercase().contains(&needle)))
        .collect();
    close.sort();
    let shown: Vec<String> = close.iter().take(5).map(|(_, n)| format!("\"{n}\"")).collect();
    if shown.is_empty() {
        bail!("no rule named \"{wanted}\" among the {} loaded rule(s)", names.len());
    }
    bail!("no rule named \"{wanted}\"; close names: {}", shown.join(", "))
}

/// Every incident of the `--incident` inputs, with where it came from.
fn read_incidents(paths: &[String]) -> anyhow::Result<Vec<(String, Incident)>> {
    let inputs = io::expand_inputs(paths).map_err(|e| anyhow!("{e}"))?;
    let mut incidents = Vec::new();
    for input in &inputs {
        for (index, value) in read_all(input)?.into_iter().enumerate() {
            let incident =
                Incident::from_value(value).map_err(|e| anyhow!("{}: incident {}: {e}", input.display, index + 1))?;
            incidents.push((input.display.clone(), incident));
        }
    }
    if incidents.is_empty() {
        bail!("no incident found in {}", paths.join(" "));
    }
    Ok(incidents)
}

fn event_for(incident: &Incident, trigger: TriggerArg, previous: &HashMap<String, Incident>) -> Event {
    match trigger {
        TriggerArg::Created => Event::Created,
        TriggerArg::Updated => {
            let before = incident.name().and_then(|n| previous.get(&n.to_lowercase())).unwrap_or(incident);
            Event::Updated(Box::new(Update::between(before, incident, UpdatedBySource::Other)))
        }
    }
}

/// Runs `explain`.
pub fn run(args: ExplainArgs, color: Color) -> anyhow::Result<Exit> {
    usage::stdin_once(&[
        ("--incident", &args.incident),
        ("--previous", &args.event.previous),
        ("--settings", args.playbooks.settings.as_slice()),
    ])?;
    args.event.check()?;
    let now = clock(args.event.now);
    let options = rules::Options { now: Some(now), sentinel: false };
    let mut loaded = rule_files::load_with(&args.rules, &options, &args.templates.options(Expect::Rules))?;
    let catalog = load_catalog(&args.playbooks, now, &mut loaded)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    print_diagnostics(&mut diagnostics, &loaded.sources, color);
    if diagnostics.iter().any(|d| d.is_error()) {
        let what = if catalog.is_some() { "rule, playbook and mocks files" } else { "rule files" };
        eprintln!("nothing was explained: fix the {what} first");
        return Ok(Exit::Findings);
    }
    let host = catalog.as_ref().map(|c| c as &dyn PlaybookHost);
    let only = args.rule.as_deref().map(|r| find_rule(&loaded.set, r)).transpose()?;
    let incidents = read_incidents(&args.incident)?;
    let previous = load_previous(&args.event.previous)?;
    let clock = Clock::new(now);
    let mut doc = Explanation {
        now: clock.stamp(),
        event: match args.event.trigger {
            TriggerArg::Created => "created",
            TriggerArg::Updated => "updated",
        },
        incidents: Vec::new(),
    };
    for (file, incident) in incidents {
        let event = event_for(&incident, args.event.trigger, &previous);
        let mut explained = explanation::explain_incident(&loaded.set, &file, incident, &event, clock, host);
        if let Some(name) = &only {
            explained.rules.retain(|r| &r.rule == name);
        }
        doc.incidents.push(explained);
    }
    let mut out = std::io::stdout().lock();
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &doc).context("cannot write the explanation")?;
            writeln!(out).context("cannot write the explanation")?;
        }
        ReportFormat::Human => {
            out.write_all(render::render(&doc, stdout_is_terminal()).as_bytes())
                .context("cannot write the explanation")?;
        }
    }
    Ok(Exit::Success)
}
