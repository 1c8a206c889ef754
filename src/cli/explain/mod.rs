//! `sentinel-soar explain`: why each rule did or did not change an incident. For every
//! incident of the file and every rule in run order: fired or skipped and why (disabled,
//! expired, trigger, analytics-rule scope, conditions), the condition tree with each node's
//! result and the values each leaf saw, and the changes the rule made. A tree on a terminal,
//! plain text when piped, `--format json` for tools ([`explanation`] documents the structure).
//! Every incident of the input is explained, through the batch pipeline ([`step`]), and printed
//! as it comes.

mod explanation;
mod render;
mod step;
mod tree;

use anyhow::{anyhow, bail};
use clap::Args;

use crate::batch;
use crate::diagnostic::distance;
use crate::engine::Clock;
use crate::io;
use crate::rules::{self, RuleSet};

use super::prelude::{adapt_rules, clock, load_catalog, load_previous, usage};
use super::prelude::{
    Color, ConfigArgs, EventArgs, PlaybookInputs, PortalArgs, ReportFormat, TemplateArgs, TriggerArg,
};
use super::report::{print_diagnostics, stdout_is_terminal, Exit};
use super::rule_files;
use crate::workspace::Expect;
use explanation::Explanation;
use step::{ExplainSink, ExplainStep};

/// Incidents per worker in one window of the batch.
const EXPLAIN_WINDOW_PER_JOB: usize = 16;

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
    #[command(flatten)]
    pub portal: PortalArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
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
    let mut catalog = load_catalog(&args.playbooks, now, &mut loaded)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    print_diagnostics(&mut diagnostics, &loaded.sources, color);
    if diagnostics.iter().any(|d| d.is_error()) {
        let what = if catalog.is_some() { "rule, playbook and mocks files" } else { "rule files" };
        eprintln!("nothing was explained: fix the {what} first");
        return Ok(Exit::Findings);
    }
    // The rules as `apply` runs them: the portal of `--portal`, else of sentinel-soar.toml.
    let portal = args.portal.resolve(args.config.load()?.as_ref());
    loaded.set = adapt_rules(std::mem::take(&mut loaded.set), portal);
    if let Some(c) = catalog.as_mut() {
        c.provider = portal.provider_name();
    }
    let only = args.rule.as_deref().map(|r| find_rule(&loaded.set, r)).transpose()?;
    let inputs = io::expand_inputs(&args.incident).map_err(|e| anyhow!("{e}"))?;
    let previous = load_previous(&args.event.previous)?;
    let clock = Clock::new(now);
    let trigger = args.event.trigger;
    let event = match trigger {
        TriggerArg::Created => "created",
        TriggerArg::Updated => "updated",
    };
    let head = Explanation { now: clock.stamp(), event };
    let step = ExplainStep {
        rules: &loaded.set,
        trigger,
        previous: &previous,
        clock,
        catalog: catalog.as_ref(),
        only: only.as_deref(),
    };
    let mut sink = ExplainSink {
        head: &head,
        format: args.format,
        unicode: stdout_is_terminal(),
        out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
        json: None,
        count: 0,
    };
    // An explanation holds every rule's condition tree (tens of kilobytes): small windows.
    let config = batch::Config {
        inputs: &inputs,
        jobs: crate::cli::prelude::parse::workers(None),
        window_per_job: EXPLAIN_WINDOW_PER_JOB,
        out: None,
        rejects: None,
    };
    let records = batch::run(&config, &step, &mut sink)?;
    sink.finish()?;
    if records.ok == 0 && records.clean() {
        bail!("no incident found in {}", args.incident.join(" "));
    }
    // An incident that could not be read is unreadable input, as before explain streamed.
    Ok(if records.clean() { Exit::Success } else { Exit::Usage })
}
