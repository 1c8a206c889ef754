//! `sentinel-soar apply`: the run configuration resolved from the typed arguments ([`args`],
//! checked there first): compiled rules, expanded inputs, the clock, output sinks; and the run.

mod alerts;
mod args;
mod audit;
pub mod playbooks;
mod replay;
mod sink;
mod step;
mod summary;
pub mod ties;

use std::collections::HashMap;
use std::path::Path;

use anyhow::bail;

use crate::batch::{self, OutTarget};
use crate::engine::ties::{self as tie_groups, TieGroup};
use crate::engine::{Clock, Options as EngineOptions};
use crate::io::{InputFile, Source};
use crate::model::Incident;
use crate::playbook::host::Catalog;
use crate::rules::{self, RuleSet};

use super::dry_run::ReportWriter;
use super::prelude::parse::workers;
use super::prelude::Progress;
use super::prelude::{
    adapt_rules, clock, incident_inputs, load_catalog, load_previous, Color, ReportFormat, Ties, TriggerArg,
};
use super::report::{print_diagnostics, Exit};
use super::rule_files;
use crate::workspace::Expect;

pub use args::ApplyArgs;
pub use audit::AuditFormat;
pub use playbooks::History;
pub use step::Processed;
use summary::Summary;
pub use ties::OrderDependence;

/// Everything a run needs, resolved from the arguments.
pub struct ApplyConfig {
    pub rules: RuleSet,
    pub inputs: Vec<InputFile>,
    pub clock: Clock,
    pub trigger: TriggerArg,
    pub previous: HashMap<String, Incident>,
    pub engine: EngineOptions,
    pub out: OutTarget,
    pub audit: Option<String>,
    pub rejects: Option<String>,
    pub jobs: usize,
    pub dry_run: Option<ReportFormat>,
    pub audit_format: AuditFormat,
    pub progress: bool,
    /// The playbooks `run_playbook` actions run (`--playbooks`).
    pub playbooks: Option<Catalog>,
    /// Where and which playbook runs are recorded (none for dry runs and `--history none`).
    pub history: Option<History>,
    /// `--ties permute`: the tie groups whose every order is run on each incident.
    pub ties: Option<Vec<TieGroup>>,
}

/// Runs `apply`.
pub fn run(args: ApplyArgs, color: Color) -> anyhow::Result<Exit> {
    args.check()?;
    let now = clock(args.event.now);
    let options = rules::Options { now: Some(now), sentinel: false };
    let mut loaded = rule_files::load_with(&args.rules, &options, &args.templates.options(Expect::Rules))?;
    let mut catalog = load_catalog(&args.playbooks.inputs, now, &mut loaded)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    print_diagnostics(&mut diagnostics, &loaded.sources, color);
    if diagnostics.iter().any(|d| d.is_error()) {
        let what = if catalog.is_some() { "rule, playbook, mocks and settings files" } else { "rule files" };
        eprintln!("no incident was processed: fix the {what} first");
        return Ok(Exit::Findings);
    }
    let portal = args.portal.resolve(args.config.load()?.as_ref());
    loaded.set = adapt_rules(std::mem::take(&mut loaded.set), portal);
    if let Some(c) = catalog.as_mut() {
        c.provider = portal.provider_name();
    }
    let ties = match args.ties.ties {
        Ties::Name => None,
        Ties::Permute => {
            let groups = tie_groups::groups(&loaded.set);
            tie_groups::check(&loaded.set, &groups).map_err(|e| anyhow::anyhow!(e))?;
            Some(groups)
        }
    };
    if catalog.is_some() && !args.replay.is_empty() {
        bail!(
            "--playbooks cannot be combined with --replay: a replay re-runs past events, whose playbooks already ran"
        );
    }
    if !args.replay.is_empty() {
        return replay::run(&args, &loaded.set, workers(args.jobs));
    }
    if !args.alerts.is_empty() {
        let history = args.playbooks.history().filter(|_| catalog.is_some() && !args.dry_run);
        return alerts::run(
            &args,
            &loaded.set,
            Clock::new(now),
            catalog.as_ref(),
            history.as_ref(),
            workers(args.jobs),
        );
    }
    let inputs = incident_inputs(&args.incidents)?;
    let stdin = inputs.iter().any(|i| matches!(i.source, Source::Stdin));
    if args.in_place && stdin {
        bail!("--in-place cannot replace standard input; use --out");
    }
    if args.audit.as_deref() == Some("-")
        && !args.dry_run
        && args.out.as_deref().is_none_or(|o| o == "-")
        && !args.in_place
    {
        bail!("--audit - and the incidents cannot both go to standard output; give --out or --audit a file");
    }
    let out = OutTarget::resolve(args.out.as_deref(), args.in_place);
    check_destinations(&args)?;
    if let OutTarget::Dir(dir) = &out {
        let mut seen = std::collections::BTreeMap::new();
        for input in &inputs {
            if let Some(other) = seen.insert(&input.rel, &input.display) {
                bail!(
                    "{} and {} would both be written to {}; process them in separate runs or give --out a file",
                    other,
                    input.display,
                    dir.join(&input.rel).display()
                );
            }
        }
    }
    let config = ApplyConfig {
        rules: loaded.set,
        inputs,
        clock: Clock::new(now),
        trigger: args.event.trigger,
        previous: load_previous(&args.event.previous)?,
        engine: EngineOptions { explain: false },
        out,
        audit: args.audit,
        rejects: args.rejects,
        jobs: workers(args.jobs),
        dry_run: args.dry_run.then_some(args.format.unwrap_or_default()),
        audit_format: args.audit_format.unwrap_or_default(),
        progress: args.progress,
        history: args.playbooks.history().filter(|_| catalog.is_some() && !args.dry_run),
        playbooks: catalog,
        ties,
    };
    execute(&config)
}

/// Refuses, before anything is read or written, destinations that cannot be written: a file
/// flag naming a directory, or `--out DIR/` naming a file.
fn check_destinations(args: &ApplyArgs) -> anyhow::Result<()> {
    for (flag, path) in [("--audit", &args.audit), ("--rejects", &args.rejects)] {
        if let Some(p) = path.as_deref().filter(|p| *p != "-" && Path::new(p).is_dir()) {
            bail!("{flag} {p}: is a directory; give a file path (or - for standard output)");
        }
    }
    if let Some(out) = args.out.as_deref().filter(|o| o.ends_with('/')) {
        let bare = out.trim_end_matches('/');
        if !bare.is_empty() && Path::new(bare).is_file() {
            bail!("--out {out}: {bare} is a file, not a directory (a path ending in / names a directory)");
        }
    }
    Ok(())
}

/// Runs the batch: the incidents through the rules, written with their audit log and run
/// history, or the dry run's report.
fn execute(config: &ApplyConfig) -> anyhow::Result<Exit> {
    let progress = Progress::new(config.progress, &config.inputs);
    let mut batch = batch::Config {
        inputs: &config.inputs,
        jobs: config.jobs,
        window_per_job: batch::WINDOW_PER_JOB,
        out: None,
        rejects: None,
    };
    if let Some(format) = config.dry_run {
        let mut sink = sink::DryRunSink::new(ReportWriter::stdout(format, Some(&progress)), &progress);
        let records = batch::run(&batch, &step::DryRunStep { config }, &mut sink)?;
        progress.finish();
        sink.report.finish(sink.runs, sink.order_dependent)?;
        return Ok(Summary { records, order_dependent: sink.order_dependent, ..Summary::default() }.exit());
    }
    batch.out = Some(config.out.clone());
    batch.rejects = config.rejects.as_deref();
    let mut sink = sink::ApplySink::open(config, &progress)?;
    let step = step::ApplyStep { config, audit: sink.has_audit() };
    let records = batch::run(&batch, &step, &mut sink)?;
    progress.finish();
    let (summary, history) = sink.finish()?;
    let summary = Summary { records, ..summary };
    eprintln!("{}{history}", summary.line(config.history.is_some()));
    Ok(summary.exit())
}
