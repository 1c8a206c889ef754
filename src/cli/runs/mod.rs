//! `sentinel-soar runs list | show ID | prune --before TIME`: the run history that `playbook
//! run` and `apply --playbooks` keep in the state directory (`.sentinel-soar/history.sqlite` in
//! the working directory, `--state-dir` to move it; [`crate::playbook::history`]).
//!
//! `list` prints the runs as the query yields them ([`list`]); `show` prints one run's log as
//! `playbook run` does (a tree, or `--format json`), by run id or a prefix of one ([`show`]), or
//! with `--as-test DIR` writes a playbook test that replays it ([`as_test`]);
//! `prune` removes the runs started before a time ([`prune`]). A history in the old layout (one
//! file per run) is moved into the store the first time any of them opens it; an old file that
//! is not a run record is reported on standard error and skipped, except by `show` when its
//! name holds the id asked for: then it is the answer (`run ID is damaged: file:line:column:
//! why`).

mod as_test;
mod list;
mod prune;
mod show;

use clap::{Args, Subcommand, ValueEnum};

use crate::model::RunStatus;
use crate::playbook::history::DEFAULT_STATE_DIR;

use super::prelude::{parse, Color, ReportFormat};
use super::report::Exit;

/// Arguments of `runs`, as typed.
#[derive(Debug, Args)]
pub struct RunsArgs {
    #[command(subcommand)]
    pub command: RunsCommand,
}

#[derive(Debug, Subcommand)]
pub enum RunsCommand {
    /// List recorded playbook runs, oldest first.
    List(ListArgs),
    /// Show one recorded run: its run log and the changes it made.
    Show(ShowArgs),
    /// Remove the runs that started before a time.
    Prune(PruneArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 listed (damaged history files are reported and skipped; no history there is a note), 2 usage or a state directory that is a file."
)]
pub struct ListArgs {
    /// Only runs of this playbook (name, any case).
    #[arg(long, value_name = "NAME")]
    pub playbook: Option<String>,
    /// Only runs on this incident (its name, ARM id or number).
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,
    /// Only runs that ended so (any case: `Succeeded` as the list prints it works too).
    #[arg(long, value_enum, ignore_case = true)]
    pub status: Option<StatusArg>,
    /// Only runs with warnings (a secret that is not set, a name matched only ignoring case):
    /// the runs `apply`'s closing line counts as run(s) with warnings.
    #[arg(long)]
    pub warned: bool,
    /// Only runs that started at or after this time (RFC 3339, or a date meaning midnight UTC).
    #[arg(long, value_name = "TIME", value_parser = parse::time)]
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// The state directory holding the run history.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_STATE_DIR)]
    pub state_dir: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 shown (or the test written), 1 the test made from the run does not pass on the playbook as it is now (nothing written), 2 no such run, a damaged record, an ambiguous id, or files --as-test would overwrite without --force."
)]
pub struct ShowArgs {
    /// A run id, or a unique prefix of one.
    #[arg(value_parser = run_id)]
    pub id: String,
    /// The state directory holding the run history.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_STATE_DIR)]
    pub state_dir: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human, conflicts_with = "as_test")]
    pub format: ReportFormat,
    /// Write a playbook test that replays the run into DIR instead of showing it: the test
    /// (`<playbook>-<id>.yaml`, expecting what the run did), the mocks answering its calls as
    /// they were answered, and the incident or alert it started from. Checked to pass first.
    #[arg(long, value_name = "DIR")]
    pub as_test: Option<String>,
    /// With --as-test: overwrite files of the same names in DIR.
    #[arg(long, requires = "as_test")]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 pruned (or nothing to prune), 2 usage, a state directory that does not exist (or is a file), or a history that cannot be written."
)]
pub struct PruneArgs {
    /// Remove the runs that started before this time (RFC 3339, or a date meaning midnight UTC).
    #[arg(long, required = true, value_name = "TIME", value_parser = parse::time)]
    pub before: chrono::DateTime<chrono::Utc>,
    /// The state directory holding the run history.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_STATE_DIR)]
    pub state_dir: String,
}

/// How a run ended (`--status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    Succeeded,
    Failed,
    Cancelled,
}

impl From<StatusArg> for RunStatus {
    fn from(status: StatusArg) -> RunStatus {
        match status {
            StatusArg::Succeeded => RunStatus::Succeeded,
            StatusArg::Failed => RunStatus::Failed,
            StatusArg::Cancelled => RunStatus::Cancelled,
        }
    }
}

/// A run id as typed: not empty, compared in upper case.
fn run_id(text: &str) -> Result<String, String> {
    let id = text.trim();
    if id.is_empty() {
        return Err("give a run id (or a prefix of one); `runs list` shows them".to_owned());
    }
    Ok(id.to_ascii_uppercase())
}

pub fn run(args: RunsArgs, color: Color) -> anyhow::Result<Exit> {
    match args.command {
        RunsCommand::List(args) => list::run(args),
        RunsCommand::Show(args) => show::run(args, color),
        RunsCommand::Prune(args) => prune::run(args),
    }
}
