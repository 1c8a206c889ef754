//! `sentinel-soar apply`: the typed arguments, the resolved run configuration built from them
//! (compiled rules, expanded inputs, parsed clock, output sinks), and the run itself.

mod alerts;
mod audit;
pub mod playbooks;
pub(super) mod progress;
mod replay;
mod sink;
mod step;
mod summary;

use std::collections::HashMap;
use std::path::Path;

use anyhow::bail;
use chrono::{DateTime, SubsecRound, Utc};
use clap::{Args, ValueEnum};

use crate::batch::{self, OutTarget};
use crate::engine::{Clock, Options as EngineOptions};
use crate::io::{self, InputFile, Source};
use crate::model::Incident;
use crate::playbook::host::Catalog;
use crate::rules::{self, RuleSet};

pub use super::event_args::{EventArgs, TriggerArg};

use super::dry_run::ReportWriter;
use super::report::{print_diagnostics, Exit};
use super::rule_files;

pub use audit::AuditFormat;
pub use step::Processed;
pub use summary::RunCounts;
use summary::Summary;

/// Output format of the dry-run report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
}

/// Arguments of `apply`, as typed.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 success, 1 invalid rules or incidents that could not be processed, 2 usage or unreadable input."
)]
pub struct ApplyArgs {
    /// Rule files, directories (searched for *.yaml, *.yml) or glob patterns.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    pub rules: Vec<String>,
    /// Incident files (JSON, JSON array, JSON Lines, REST list), directories, globs, or - for stdin.
    #[arg(long, required_unless_present_any = ["replay", "alerts"], num_args = 1.., value_name = "PATH|GLOB|-")]
    pub incidents: Vec<String>,
    /// Replay exports of the SecurityIncident table (JSON or JSON Lines, one row per
    /// modification): each incident's first row is its creation, every later row an update.
    #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with_all = ["incidents", "alerts", "previous"])]
    pub replay: Vec<String>,
    /// Alerts (SecurityAlert shape) for `on: alerts` rules, instead of incidents.
    #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with_all = ["incidents", "previous"])]
    pub alerts: Vec<String>,
    /// The shape of audit records: jsonl (change records) or security-incident (table rows).
    #[arg(long, value_enum, default_value_t = AuditFormat::Jsonl)]
    pub audit_format: AuditFormat,
    /// A value for a parameter of ARM template rule files, NAME=VALUE (repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Where to write the incidents: a file, a directory (one file per input; must exist or end
    /// with /), or - for standard output (the default).
    #[arg(long, value_name = "PATH|-")]
    pub out: Option<String>,
    /// Where to write the audit log (JSON Lines, one record per change), or - for stdout.
    #[arg(long, value_name = "PATH|-")]
    pub audit: Option<String>,
    #[command(flatten)]
    pub event: EventArgs,
    /// Replace each input file with its processed version (atomically).
    #[arg(long, conflicts_with = "out")]
    pub in_place: bool,
    /// Write the raw bytes of records that could not be processed to this file.
    #[arg(long, value_name = "PATH")]
    pub rejects: Option<String>,
    /// Worker threads (default: the number of cores). Output does not depend on it.
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Write nothing; print the rules that fired and each change for every incident.
    #[arg(long)]
    pub dry_run: bool,
    /// Format of the --dry-run report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Show a progress bar (incidents and bytes read) on standard error, if it is a terminal.
    #[arg(long)]
    pub progress: bool,
    #[command(flatten)]
    pub playbooks: PlaybookArgs,
}

/// The playbook options of `apply`: with `--playbooks`, `run_playbook` actions run the named
/// playbooks on the incident (otherwise they are only recorded as requested runs).
#[derive(Debug, Args)]
pub struct PlaybookArgs {
    #[command(flatten)]
    pub inputs: PlaybookInputs,
    /// The state directory where playbook runs are recorded (`runs list`, `runs show`).
    #[arg(long, value_name = "DIR", default_value = super::playbook::history::DEFAULT_STATE_DIR)]
    pub state_dir: String,
    /// Do not record playbook runs in the history.
    #[arg(long)]
    pub no_history: bool,
}

/// The playbooks `run_playbook` actions run, their mocks and the settings (`apply`, `explain`).
#[derive(Debug, Args)]
pub struct PlaybookInputs {
    /// Playbooks (YAML or Logic Apps JSON files, directories, globs) that `run_playbook`
    /// actions run; each action must name one of them, with the trigger that fits the rule
    /// (incident rules: incident trigger; alert rules: alert trigger).
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub playbooks: Vec<String>,
    /// Mocks for the playbooks' external calls (files or directories; all are used, in path order).
    #[arg(long, num_args = 1.., value_name = "PATH", requires = "playbooks")]
    pub mocks: Vec<String>,
    /// Fail an external call that has no mock, as a failed call (default: record it as not run).
    #[arg(long, requires = "playbooks")]
    pub strict_mocks: bool,
    /// The workspace settings file: resource groups where Sentinel may run playbooks.
    #[arg(long, value_name = "PATH", requires = "playbooks")]
    pub settings: Option<String>,
}

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
    /// Where playbook runs are recorded (none for dry runs and `--no-history`).
    pub history: Option<String>,
}

/// Parses `--now`; without it, the wall clock, read once and cut to whole seconds as every
/// time this tool writes.
pub fn parse_now(text: Option<&str>) -> anyhow::Result<DateTime<Utc>> {
    match text {
        Some(t) => DateTime::parse_from_rfc3339(t.trim())
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| anyhow::anyhow!("--now \"{t}\" is not an RFC 3339 timestamp (like 2026-06-01T00:00:00Z)")),
        None => Ok(Utc::now().trunc_subsecs(0)),
    }
}

/// Earlier versions of incidents for --trigger updated, by lower-cased name.
pub fn load_previous(args: &[String]) -> anyhow::Result<HashMap<String, Incident>> {
    let mut map = HashMap::new();
    if args.is_empty() {
        return Ok(map);
    }
    for input in io::expand_inputs(args).map_err(|e| anyhow::anyhow!("--previous {e}"))? {
        for value in io::read_all(&input)? {
            let incident = Incident::from_value(value).map_err(|e| anyhow::anyhow!("{}: {e}", input.display))?;
            if let Some(name) = incident.name() {
                map.insert(name.to_lowercase(), incident.clone());
            }
        }
    }
    Ok(map)
}

/// Runs `apply`.
pub fn run(args: ApplyArgs) -> anyhow::Result<Exit> {
    let now = parse_now(args.event.now.as_deref())?;
    let params = crate::sentinel::parse_params(&args.params).map_err(anyhow::Error::msg)?;
    let options = rules::Options { now: Some(now), sentinel: false };
    let mut loaded = rule_files::load_with(&args.rules, &options, &params)?;
    let catalog = playbooks::load(&args.playbooks.inputs, now, &mut loaded)?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    print_diagnostics(&mut diagnostics, &loaded.sources);
    if diagnostics.iter().any(|d| d.is_error()) {
        let what = if catalog.is_some() { "rule, playbook, mocks and settings files" } else { "rule files" };
        eprintln!("no incident was processed: fix the {what} first");
        return Ok(Exit::Findings);
    }
    if catalog.is_some() && !args.replay.is_empty() {
        bail!(
            "--playbooks cannot be combined with --replay: a replay re-runs past events, whose playbooks already ran"
        );
    }
    if !args.replay.is_empty() {
        return replay::run(&args, &loaded.set, jobs(args.jobs));
    }
    if !args.alerts.is_empty() {
        let history = (!args.playbooks.no_history).then_some(args.playbooks.state_dir.as_str());
        return alerts::run(&args, &loaded.set, Clock::new(now), catalog.as_ref(), history, jobs(args.jobs));
    }
    let mut inputs = io::expand_inputs(&args.incidents).map_err(|e| anyhow::anyhow!("{e}"))?;
    // One order whatever order the paths were given in, so outputs are byte-identical.
    inputs.sort_by(|a, b| {
        (!matches!(a.source, Source::Stdin), &a.display).cmp(&(!matches!(b.source, Source::Stdin), &b.display))
    });
    let stdin = inputs.iter().any(|i| matches!(i.source, Source::Stdin));
    if args.in_place && stdin {
        bail!("--in-place cannot replace standard input; use --out");
    }
    if args.in_place && args.dry_run {
        bail!("--in-place and --dry-run contradict each other");
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
        jobs: jobs(args.jobs),
        dry_run: args.dry_run.then_some(args.format),
        audit_format: args.audit_format,
        progress: args.progress,
        history: (catalog.is_some() && !args.dry_run && !args.playbooks.no_history)
            .then(|| args.playbooks.state_dir.clone()),
        playbooks: catalog,
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

/// Worker threads: `--jobs`, or the number of cores.
pub(super) fn jobs(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

/// Runs the batch: the incidents through the rules, written with their audit log and run
/// history, or the dry run's report.
fn execute(config: &ApplyConfig) -> anyhow::Result<Exit> {
    let progress = progress::Progress::new(config.progress, &config.inputs);
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
        sink.report.finish(sink.runs)?;
        return Ok(Summary { records, ..Summary::default() }.exit());
    }
    batch.out = Some(config.out.clone());
    batch.rejects = config.rejects.as_deref();
    let mut sink = sink::ApplySink::open(config, &progress)?;
    let step = step::ApplyStep { config, audit: sink.has_audit() };
    let records = batch::run(&batch, &step, &mut sink)?;
    progress.finish();
    let summary = Summary { records, ..sink.finish()? };
    eprintln!("{}", summary.line(config.history.is_some()));
    Ok(summary.exit())
}
