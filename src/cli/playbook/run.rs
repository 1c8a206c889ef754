//! `playbook run NAME|PATH --incident PATH|--alert PATH`: runs one playbook offline on the
//! incident or the alert, with mocks for external connectors, on a simulated clock starting at
//! `--now`; prints the run log (a tree, or `--format json`), and writes the changed incident
//! (`--out`) and the audit records of its changes (`--audit`, JSON Lines). Every run is
//! recorded in the run history of the state directory unless `--no-history` is given.
//!
//! On an alert, only an alert-trigger playbook runs, as in Sentinel. `--alert A --incident I`
//! gives the alert with the incident that holds it (in Sentinel an alert that starts a playbook
//! belongs to an incident): the payload is the alert's, the incident is in hand ("Alert - Get
//! incident" answers it, the incident operations change it, `--out` writes it). An alert alone
//! holds no incident, so `--out` is refused and the Sentinel operations that need an incident
//! fail (404). On an incident alone, an alert-trigger playbook gets the incident's first alert
//! as its payload (as when it is run from an incident's alerts in the portal) and the incident
//! in hand. `--watchlist ALIAS=FILE` gives the watchlists the Sentinel watchlist operations
//! answer from. Under `--portal defender` (or `portal = "defender"` in sentinel-soar.toml) the
//! incident's provider is Microsoft XDR during the run, as `apply` runs playbooks there.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use clap::{ArgGroup, Args};

use crate::io::AtomicFile;
use crate::model::{Incident, RunStatus};
use crate::playbook::run::{self as runtime, trigger, Options, Start};
use crate::playbook::settings;

use crate::cli::prelude::inputs::label;
use crate::cli::prelude::{
    clock, parse, read_mocks, read_one, read_one_alert, read_settings, read_watchlists, usage, Color, ConfigArgs,
    PortalArgs, ReportFormat, TemplateArgs, INFER_MOCKS_HELP,
};
use crate::cli::report::{print_diagnostics, Exit};

use super::{tree, Target};
use crate::cli::prelude::history;
use crate::playbook::history::{Record, Row, DEFAULT_STATE_DIR};

/// Arguments of `playbook run`, as typed.
#[derive(Debug, Args)]
#[command(
    group(ArgGroup::new("subject").required(true).multiple(true).args(["incident", "alert"])),
    after_help = "Exit codes: 0 the run succeeded, 1 the playbook, mocks or settings have errors, the run is not permitted (or the playbook does not run on what was given), or it failed or was cancelled, 2 usage or unreadable input."
)]
pub struct RunArgs {
    #[command(flatten)]
    pub target: Target,
    /// The incident (a file holding one incident, in any shape `apply` reads), or - for
    /// standard input.
    #[arg(long, visible_alias = "incidents", value_name = "PATH|-")]
    pub incident: Option<String>,
    /// The alert (a file holding one SecurityAlert, in any shape `apply --alerts` reads), or -
    /// for standard input; only alert-trigger playbooks run on alerts. With --incident, that
    /// incident is the one holding the alert.
    #[arg(long, visible_alias = "alerts", value_name = "PATH|-")]
    pub alert: Option<String>,
    /// Mocks for external connector calls (YAML or JSON, Logic Apps static-results shape):
    /// files or directories (--mocks A B, or --mocks A --mocks B), all used, in path order.
    /// Give the playbook before --mocks: a NAME after the mocks is read as one more mocks path.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub mocks: Vec<String>,
    /// Start of the simulated clock (RFC 3339, or a date meaning midnight UTC); default: the
    /// current time.
    #[arg(long, value_name = "TIME", value_parser = parse::time)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Fail an external call that has no mock, as a failed call (default: record it as not run).
    #[arg(long)]
    pub strict_mocks: bool,
    #[arg(long, help = INFER_MOCKS_HELP)]
    pub infer_mocks: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Write the incident as the playbook left it (JSON); needs --incident (an alert alone
    /// holds no incident).
    #[arg(long, value_name = "PATH", requires = "incident")]
    pub out: Option<String>,
    /// Write one audit record per change (JSON Lines).
    #[arg(long, value_name = "PATH")]
    pub audit: Option<String>,
    /// The state directory where the run is recorded (`runs list`, `runs show`).
    #[arg(long, value_name = "DIR", default_value = DEFAULT_STATE_DIR)]
    pub state_dir: String,
    /// Do not record the run in the history.
    #[arg(long, conflicts_with = "state_dir")]
    pub no_history: bool,
    /// Who runs the playbook by hand (checked against --settings roles).
    #[arg(long = "as", value_name = "NAME", requires = "settings")]
    pub as_person: Option<String>,
    /// The workspace settings file (roles, resource groups with playbook permissions), or - for
    /// standard input; without one, everything is allowed.
    #[arg(long, value_name = "PATH|-")]
    pub settings: Option<String>,
    #[command(flatten)]
    pub templates: TemplateArgs,
    /// A watchlist the Sentinel watchlist operations answer from: its alias and a CSV file
    /// (header row, then one row per item), repeatable. A watchlist not given answers 404.
    #[arg(long = "watchlist", value_name = "ALIAS=FILE", value_parser = parse::watchlist)]
    pub watchlists: Vec<(String, String)>,
    #[command(flatten)]
    pub portal: PortalArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

pub fn run(args: RunArgs, color: Color) -> anyhow::Result<Exit> {
    usage::stdin_once(&[
        ("--incident", args.incident.as_slice()),
        ("--alert", args.alert.as_slice()),
        ("--settings", args.settings.as_slice()),
    ])?;
    let (playbook, mut loaded) = args.target.find("playbook run", &[("--mocks", &args.mocks)], &args.templates)?;
    let now = clock(args.now);
    let mocks = read_mocks(&args.mocks, &mut loaded.diagnostics, &mut loaded.sources)?;
    let watchlists = read_watchlists(&args.watchlists)?;
    let settings = match &args.settings {
        Some(path) => read_settings(path, &mut loaded.diagnostics, &mut loaded.sources)?,
        None => settings::Settings::default(),
    };
    print_diagnostics(&mut loaded.diagnostics, &loaded.sources, color);
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        eprintln!("nothing was run: fix the playbook, mocks and settings files first");
        return Ok(Exit::Findings);
    }
    let refusal = args
        .alert
        .as_ref()
        .and_then(|_| trigger::refuse_alert(&playbook))
        .or_else(|| settings.refuse_manual_run(args.as_person.as_deref()))
        .or_else(|| settings.refuse_resource_group(playbook.resource_group.as_deref()));
    if let Some(reason) = refusal {
        eprintln!("refused: {reason}");
        return Ok(Exit::Findings);
    }
    if !playbook.enabled {
        // Run anyway: trying a playbook before enabling it is what a local run is for. Sentinel
        // would not trigger it, and `apply` records a failed run for it.
        eprintln!(
            "warning: playbook '{}' is disabled: Sentinel would not run it (`playbook enable` turns it on)",
            playbook.name
        );
    }
    let mut start = start(&args)?;
    // In the Defender portal every incident's provider is Microsoft XDR, as `apply` runs
    // playbooks there; the incident written keeps its own.
    let provider = args.portal.resolve(args.config.load()?.as_ref()).provider_name();
    let own_provider = match (&mut start, provider) {
        (Start::Incident(incident), Some(name)) => {
            let own = incident.field_value("providerName");
            incident.set_field("providerName", name);
            Some(own)
        }
        _ => None,
    };
    // What the history says the run was about: the incident, or the alert in its place.
    let alert_name = match &start {
        Start::Alert(alert) => alert.name().map(str::to_owned),
        Start::AlertIn { .. } | Start::Incident(_) | Start::Body(_) => None,
    };
    // Secrets come from the environment, and only the ones the playbook refers to.
    let secrets =
        playbook.secrets.env_names().into_iter().filter_map(|n| std::env::var(&n).ok().map(|v| (n, v))).collect();
    let options = Options {
        strict_mocks: args.strict_mocks,
        infer_mocks: args.infer_mocks,
        secrets,
        watchlists,
        ..Options::new(now)
    };
    let input = (!args.no_history).then(|| runtime::start_input(&start));
    let mut outcome = runtime::run(&playbook, start, &mocks, &options);
    if let (Some(own), Some(incident)) = (own_provider, outcome.incident.as_mut()) {
        incident.restore_field("providerName", own);
    }
    let log = serde_json::to_value(&outcome.log).context("cannot encode the run log")?;
    let changes = serde_json::to_value(&outcome.changes).context("cannot encode the audit records")?;
    let mut out = std::io::stdout().lock();
    if args.format == ReportFormat::Json {
        let doc = serde_json::json!({"run": log, "changes": changes});
        serde_json::to_writer_pretty(&mut out, &doc).context("cannot write the run log")?;
        writeln!(out).context("cannot write the run log")?;
    } else {
        out.write_all(tree::render(&log, &changes).as_bytes()).context("cannot write the run log")?;
    }
    if !args.no_history {
        let incident = outcome.incident.as_ref();
        let record = Record {
            run_id: outcome.log.run_id.clone(),
            playbook: playbook.name.clone(),
            file: playbook.source.path.clone(),
            incident: incident.and_then(|i| i.name()).map(str::to_owned).or(alert_name),
            incident_number: incident.and_then(|i| i.number()),
            status: outcome.log.status,
            start_time: outcome.log.start_time.clone(),
            duration: outcome.log.duration.clone(),
            run: log,
            changes,
            input,
        };
        history::open(&args.state_dir)?.insert(&[Row::encode(&record)?])?;
    }
    if let (Some(path), Some(incident)) = (&args.out, &outcome.incident) {
        let mut text = serde_json::to_string_pretty(incident.as_value()).context("cannot encode the incident")?;
        text.push('\n');
        write(path, &text)?;
    }
    if let Some(path) = &args.audit {
        let mut text = String::new();
        for change in &outcome.changes {
            text.push_str(&serde_json::to_string(change).context("cannot encode an audit record")?);
            text.push('\n');
        }
        write(path, &text)?;
    }
    Ok(if outcome.log.status == RunStatus::Succeeded { Exit::Success } else { Exit::Findings })
}

/// Reads what the run starts from: `--incident`, `--alert`, or both (clap requires one).
fn start(args: &RunArgs) -> anyhow::Result<Start> {
    let incident = match args.incident.as_deref() {
        Some(path) => {
            let value = read_one(path).map_err(|e| anyhow::anyhow!("{e}"))?;
            let incident = Incident::from_value(value)
                .map_err(|e| anyhow::anyhow!("{}: not a usable incident: {e}", label(path)))?;
            Some(incident)
        }
        None => None,
    };
    let alert = match &args.alert {
        Some(path) => read_one_alert(path).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => return incident.map(Start::Incident).ok_or_else(|| anyhow::anyhow!("give --incident or --alert")),
    };
    let Some(incident) = incident else { return Ok(Start::Alert(alert)) };
    let listed = crate::model::alert::incident_alert_ids(incident.as_value());
    let id =
        crate::playbook::run::trigger::alert(&alert).get("SystemAlertId").and_then(|v| v.as_str().map(str::to_owned));
    if let Some(id) = id.filter(|id| !listed.is_empty() && !listed.iter().any(|l| l.eq_ignore_ascii_case(id))) {
        eprintln!(
            "warning: incident {} does not list alert {id} among its alerts; it is taken as the alert's incident",
            incident.name().unwrap_or("?")
        );
    }
    Ok(Start::AlertIn { alert, incident })
}

fn write(path: &str, text: &str) -> anyhow::Result<()> {
    let mut file = AtomicFile::create(Path::new(path)).with_context(|| format!("cannot create {path}"))?;
    file.write_all(text.as_bytes()).and_then(|()| file.commit()).with_context(|| format!("cannot write {path}"))
}
