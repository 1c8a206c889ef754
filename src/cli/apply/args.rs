//! The arguments of `apply` as typed, and the checks that no flag is given where it would be
//! ignored: a flag that does nothing in the run asked for is a usage error saying what to do,
//! before anything is read.

use anyhow::bail;
use clap::{Args, ValueEnum};

use crate::cli::prelude::{
    parse, usage, ConfigArgs, EventArgs, PlaybookInputs, PortalArgs, ReportFormat, TemplateArgs, Ties, TiesArgs,
    TriggerArg,
};
use crate::playbook::history::{Counted, Keep, DEFAULT_STATE_DIR, FIRST_KEPT};

use super::audit::AuditFormat;
use super::playbooks::History;

/// Arguments of `apply`, as typed.
#[derive(Debug, Args)]
#[command(
    override_usage = "sentinel-soar apply [OPTIONS] --rules <PATH>... <--incidents <PATH|GLOB|->...|--replay <PATH>...|--alerts <PATH>...>",
    after_help = "Exit codes: 0 success, 1 invalid rules, incidents that could not be processed or (--ties permute) whose outcome depends on the order of tied rules, 2 usage or unreadable input."
)]
pub struct ApplyArgs {
    /// Rule files, directories (searched for *.yaml, *.yml) or glob patterns.
    #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
    pub rules: Vec<String>,
    /// Incident files (JSON, JSON array, JSON Lines, REST list), directories, globs, or - for stdin.
    #[arg(
        long,
        visible_alias = "incident",
        required_unless_present_any = ["replay", "alerts"],
        num_args = 1..,
        value_name = "PATH|GLOB|-"
    )]
    pub incidents: Vec<String>,
    /// Replay exports of the SecurityIncident table (JSON or JSON Lines, one row per
    /// modification): each incident's first row is its creation, every later row an update.
    #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with_all = ["incidents", "alerts", "previous"])]
    pub replay: Vec<String>,
    /// Alerts (SecurityAlert shape) for `on: alerts` rules, instead of incidents. With
    /// --playbooks, --incidents may give the alerts' incidents: an alert's playbooks then run
    /// with the incident whose alerts (or AlertIds) hold its SystemAlertId.
    #[arg(long, visible_alias = "alert", num_args = 1.., value_name = "PATH", conflicts_with_all = ["previous"])]
    pub alerts: Vec<String>,
    /// The shape of the --audit records: jsonl (change records, the default) or
    /// security-incident (table rows).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub audit_format: Option<AuditFormat>,
    #[command(flatten)]
    pub templates: TemplateArgs,
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
    /// Worker threads, 1 or more (default: the number of cores). Output does not depend on it.
    #[arg(long, value_name = "N", value_parser = parse::jobs)]
    pub jobs: Option<usize>,
    /// Write nothing; print the rules that fired and each change for every incident.
    #[arg(long)]
    pub dry_run: bool,
    /// Format of the --dry-run report (default: human).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Show a progress bar (incidents and bytes read) on standard error, if it is a terminal.
    #[arg(long)]
    pub progress: bool,
    #[command(flatten)]
    pub playbooks: PlaybookArgs,
    #[command(flatten)]
    pub ties: TiesArgs,
    #[command(flatten)]
    pub portal: PortalArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// The playbook options of `apply`: with `--playbooks`, `run_playbook` actions run the named
/// playbooks on the incident (otherwise they are only recorded as requested runs).
#[derive(Debug, Args)]
pub struct PlaybookArgs {
    #[command(flatten)]
    pub inputs: PlaybookInputs,
    /// The state directory where playbook runs are recorded (`runs list`, `runs show`)
    /// [default: .sentinel-soar]
    #[arg(long, value_name = "DIR", requires = "playbooks")]
    pub state_dir: Option<String>,
    /// Which playbook runs to record in the history. Default: every run up to the batch's
    /// 1000th, then only the runs that failed, warned or had calls not mocked (the closing line
    /// says how many were left out).
    #[arg(long, value_enum, value_name = "WHICH", requires = "playbooks", conflicts_with = "no_history")]
    pub history: Option<HistoryArg>,
    /// Do not record playbook runs in the history (the same as --history none).
    #[arg(long, requires = "playbooks", conflicts_with = "state_dir")]
    pub no_history: bool,
}

/// Which playbook runs a batch records (`--history`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryArg {
    /// Every run.
    All,
    /// Runs that failed, warned or had calls not mocked.
    Failed,
    /// No run.
    None,
}

impl PlaybookArgs {
    /// Where and which runs are recorded; `None`: none (`--history none`, `--no-history`).
    pub fn history(&self) -> Option<History> {
        let keep = match (self.no_history, self.history) {
            (true, _) | (_, Some(HistoryArg::None)) => return None,
            (false, Some(HistoryArg::All)) => Some(Keep::All),
            (false, Some(HistoryArg::Failed)) => Some(Keep::Failed),
            (false, None) => None,
        };
        let state_dir = self.state_dir.clone().unwrap_or_else(|| DEFAULT_STATE_DIR.to_owned());
        Some(History { state_dir, keep, counted: Counted::default() })
    }
}

/// The default of `--history`, as its help says.
const _: () = assert!(FIRST_KEPT == 1000);

impl ApplyArgs {
    /// The format of the dry-run report.
    pub fn report_format(&self) -> ReportFormat {
        self.format.unwrap_or_default()
    }

    /// Refuses what the parser lets through but the run would not use or could not do: a flag
    /// the run asked for ignores, standard input read twice.
    pub fn check(&self) -> anyhow::Result<()> {
        usage::stdin_once(&[
            ("--incidents", &self.incidents),
            ("--previous", &self.event.previous),
            ("--replay", &self.replay),
            ("--alerts", &self.alerts),
            ("--settings", self.playbooks.inputs.settings.as_slice()),
        ])?;
        if self.in_place && self.dry_run {
            bail!("--in-place and --dry-run contradict each other");
        }
        if self.format.is_some() && !self.dry_run {
            bail!("--format is the format of the --dry-run report: add --dry-run, or leave --format out");
        }
        if self.dry_run {
            let writing = [
                ("--out", self.out.is_some()),
                ("--audit", self.audit.is_some()),
                ("--rejects", self.rejects.is_some()),
            ];
            if let Some((flag, _)) = writing.iter().find(|(_, given)| *given) {
                bail!("--dry-run writes nothing, so {flag} would be ignored: drop {flag}, or drop --dry-run to write");
            }
        }
        if self.dry_run && self.playbooks.history.is_some() {
            bail!("--dry-run records no playbook runs, so --history would be ignored: drop --history, or drop --dry-run to record them");
        }
        if self.dry_run && self.playbooks.state_dir.is_some() {
            bail!("--dry-run records no playbook runs, so --state-dir would be ignored: drop --state-dir, or drop --dry-run to record them");
        }
        if self.playbooks.history == Some(HistoryArg::None) && self.playbooks.state_dir.is_some() {
            bail!("--history none records no playbook runs, so --state-dir would be ignored: drop one of them");
        }
        if self.audit_format.is_some() && self.audit.is_none() {
            bail!("--audit-format is the shape of the --audit log: add --audit PATH, or leave --audit-format out");
        }
        let other = if !self.replay.is_empty() {
            Some("--replay")
        } else if !self.alerts.is_empty() {
            Some("--alerts")
        } else {
            None
        };
        if let Some(mode) = other {
            // `--jobs` is not among them: replay and alerts run on the workers too.
            let only_incidents = [
                ("--in-place", self.in_place),
                ("--rejects", self.rejects.is_some()),
                ("--progress", self.progress),
                ("--trigger", self.event.trigger == TriggerArg::Updated),
                ("--ties permute", self.ties.ties == Ties::Permute),
            ];
            if let Some((flag, _)) = only_incidents.iter().find(|(_, given)| *given) {
                bail!("{flag} applies to --incidents runs; {mode} does not use it: leave {flag} out");
            }
            if mode == "--alerts" && !self.incidents.is_empty() && self.playbooks.inputs.playbooks.is_empty() {
                bail!("--incidents with --alerts gives the alerts' incidents to the playbooks the alert rules run: add --playbooks, or leave --incidents out");
            }
            if mode == "--alerts" && self.audit_format.is_some() {
                bail!("--audit-format applies to incident changes; --alerts writes change records only: leave --audit-format out");
            }
        }
        self.event.check()
    }
}
