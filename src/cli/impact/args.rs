//! The arguments of `impact` as typed, and the checks the parser cannot make: a flag the run
//! would ignore is a usage error, before anything is read.

use anyhow::bail;
use clap::{Args, ValueEnum};

use crate::cli::prelude::{
    parse, usage, ConfigArgs, EventArgs, PlaybookInputs, PortalArgs, TemplateArgs, Ties, TiesArgs,
};

/// How the comparison is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ImpactFormat {
    /// A block per changed incident as it comes, then the totals by field and by rule.
    #[default]
    Human,
    /// One JSON document: the changed incidents, then the totals.
    Json,
    /// A pull request comment: the totals and the changed incidents, largest first, at most
    /// --max-rows rows a table.
    Markdown,
    /// GitHub Actions workflow commands: a notice on each rule whose outcomes changed, in the
    /// head files, and the totals.
    Github,
}

/// Arguments of `impact`, as typed.
#[derive(Debug, Args)]
#[command(
    override_usage = "sentinel-soar impact [OPTIONS] --base <RULES|git:REV>... --head <RULES>... <--incidents <PATH|GLOB|->...|--replay <PATH>...>",
    after_help = "Exit codes: 0 success (changes are reported, not failed, unless --fail-on-change or --max-changed say so), 1 invalid rules, incidents that could not be processed, or more changed incidents than --fail-on-change/--max-changed allow (with --ties permute, an incident whose outcome with the head rules depends on the order of tied rules counts as changed), 2 usage or unreadable input (an empty incident set, a git revision that does not exist, a tie of more than 8 rules with --ties permute)."
)]
pub struct ImpactArgs {
    /// The rules before the change: rule files, directories or globs; or git:REV, the --head
    /// paths (or the paths given after it) as they are at the git revision REV (needs git).
    #[arg(long, required = true, num_args = 1.., value_name = "RULES|git:REV")]
    pub base: Vec<String>,
    /// The rules after the change: rule files, directories or globs.
    #[arg(long, required = true, num_args = 1.., value_name = "RULES")]
    pub head: Vec<String>,
    /// Incident files (any shape apply reads), directories, globs, or - for stdin.
    #[arg(long, visible_alias = "incident", required_unless_present = "replay", num_args = 1.., value_name = "PATH|GLOB|-")]
    pub incidents: Vec<String>,
    /// Exports of the SecurityIncident table to replay (one row per modification) instead of
    /// incidents: each incident's whole history runs through both rule sets.
    #[arg(long, num_args = 1.., value_name = "PATH", conflicts_with_all = ["incidents", "previous"])]
    pub replay: Vec<String>,
    /// The form of the report.
    #[arg(long, value_enum, default_value_t = ImpactFormat::Human)]
    pub format: ImpactFormat,
    /// --format markdown: the most rows of each table (default 20); a line says how many more.
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,
    /// Exit 1 when any incident changes.
    #[arg(long, conflicts_with = "max_changed")]
    pub fail_on_change: bool,
    /// Exit 1 when more than N incidents change.
    #[arg(long, value_name = "N")]
    pub max_changed: Option<usize>,
    /// Parameters of ARM template rule files (both sides).
    #[command(flatten)]
    pub templates: TemplateArgs,
    #[command(flatten)]
    pub event: EventArgs,
    /// Worker threads, 1 or more (default: the number of cores). Output does not depend on it.
    #[arg(long, value_name = "N", value_parser = parse::jobs)]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub playbooks: PlaybookInputs,
    /// Both sides: how rules sharing an order run; with `permute`, the incidents whose outcome
    /// depends on the order, on either side, are reported too.
    #[command(flatten)]
    pub ties: TiesArgs,
    /// Both sides: the portal whose automation behaviour applies.
    #[command(flatten)]
    pub portal: PortalArgs,
    // The sentinel-soar.toml whose `portal` applies when --portal is not given.
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// The rows a markdown table shows when `--max-rows` is not given.
pub const MAX_ROWS: usize = 20;

impl ImpactArgs {
    /// Refuses what the parser lets through but the run would not use.
    pub fn check(&self) -> anyhow::Result<()> {
        usage::stdin_once(&[
            ("--incidents", &self.incidents),
            ("--previous", &self.event.previous),
            ("--replay", &self.replay),
            ("--settings", self.playbooks.settings.as_slice()),
        ])?;
        if self.max_rows.is_some() && self.format != ImpactFormat::Markdown {
            bail!("--max-rows caps the tables of --format markdown: add --format markdown, or leave --max-rows out");
        }
        if !self.replay.is_empty() {
            if !self.playbooks.playbooks.is_empty() {
                bail!("--playbooks cannot be combined with --replay: a replay re-runs past events, whose playbooks already ran");
            }
            if self.event.trigger == crate::cli::prelude::TriggerArg::Updated {
                bail!("--trigger applies to --incidents runs; --replay does not use it: leave --trigger out");
            }
            if self.ties.ties == Ties::Permute {
                bail!("--ties permute applies to --incidents runs; --replay does not use it: leave --ties permute out");
            }
        }
        self.event.check()
    }

    /// The most changed incidents the run allows before it fails, if it fails on any.
    pub fn allowed(&self) -> Option<usize> {
        if self.fail_on_change {
            Some(0)
        } else {
            self.max_changed
        }
    }
}
