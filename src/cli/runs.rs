//! `sentinel-soar runs list [--playbook NAME] [--incident ID]` and `runs show ID`: the run
//! history `playbook run` keeps in the state directory (`.sentinel-soar/` in the working
//! directory, `--state-dir` to move it). `show` prints the run log as `playbook run` does (a
//! tree, or `--format json`); an ID is a run id or a prefix of one. A damaged history file is
//! reported on standard error and skipped, except by `show` when its name holds the id asked
//! for: then it is the answer (`run ID is damaged: file:line:column: why`).

use std::io::Write;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};

use super::playbook::history::{self, Damaged, Record, DEFAULT_STATE_DIR};
use super::playbook::tree::{self, human};
use super::prelude::ReportFormat;
use super::report::{print_list, Exit};

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
}

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 listed (damaged history files are reported and skipped), 2 usage.")]
pub struct ListArgs {
    /// Only runs of this playbook (name, any case).
    #[arg(long, value_name = "NAME")]
    pub playbook: Option<String>,
    /// Only runs on this incident (its name, ARM id or number).
    #[arg(long, value_name = "ID")]
    pub incident: Option<String>,
    /// The state directory holding the run history.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_STATE_DIR)]
    pub state_dir: String,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 shown, 2 no such run, a damaged record or an ambiguous id.")]
pub struct ShowArgs {
    /// A run id, or a unique prefix of one.
    #[arg(value_parser = run_id)]
    pub id: String,
    /// The state directory holding the run history.
    #[arg(long, value_name = "DIR", default_value = DEFAULT_STATE_DIR)]
    pub state_dir: String,
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

/// A run id as typed: not empty, compared in upper case.
fn run_id(text: &str) -> Result<String, String> {
    let id = text.trim();
    if id.is_empty() {
        return Err("give a run id (or a prefix of one); `runs list` shows them".to_owned());
    }
    Ok(id.to_ascii_uppercase())
}

/// Matching ids listed when an id is ambiguous; the rest are counted.
const LISTED: usize = 10;

pub fn run(args: RunsArgs) -> anyhow::Result<Exit> {
    match args.command {
        RunsCommand::List(args) => list(args),
        RunsCommand::Show(args) => show(args),
    }
}

fn load(state_dir: &str) -> Vec<Record> {
    let (records, damaged) = history::read_all(state_dir);
    for d in damaged {
        eprintln!("warning: {d}");
    }
    records
}

fn about_incident(record: &Record, wanted: &str) -> bool {
    let number = record.incident_number.map(|n| n.to_string());
    let ids = [record.incident.as_deref(), number.as_deref()];
    let wanted_lower = wanted.to_ascii_lowercase();
    let found = ids
        .into_iter()
        .flatten()
        .any(|id| id.eq_ignore_ascii_case(wanted) || wanted_lower.ends_with(&format!("/{}", id.to_ascii_lowercase())));
    found
}

fn list(args: ListArgs) -> anyhow::Result<Exit> {
    let records: Vec<Record> = load(&args.state_dir)
        .into_iter()
        .filter(|r| args.playbook.as_deref().is_none_or(|p| r.playbook.eq_ignore_ascii_case(p)))
        .filter(|r| args.incident.as_deref().is_none_or(|i| about_incident(r, i)))
        .collect();
    let rows: Vec<serde_json::Value> = records
        .iter()
        .map(|r| {
            serde_json::json!({"runId": r.run_id, "playbook": r.playbook, "incident": r.incident,
                "incidentNumber": r.incident_number, "status": r.status, "startTime": r.start_time, "duration": r.duration})
        })
        .collect();
    let table: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let incident = r.incident_number.map_or_else(|| r.incident.clone().unwrap_or_default(), |n| n.to_string());
            vec![
                r.run_id.clone(),
                r.playbook.clone(),
                incident,
                r.status.to_string(),
                r.start_time.clone(),
                human(&r.duration),
            ]
        })
        .collect();
    let header = ["Run", "Playbook", "Incident", "Status", "Start", "Duration"];
    let footer = format!("{} run(s)", records.len());
    print_list(args.format == ReportFormat::Json, &serde_json::json!({ "runs": rows }), &header, table, &footer)?;
    Ok(Exit::Success)
}

fn show(args: ShowArgs) -> anyhow::Result<Exit> {
    let (records, damaged) = history::read_all(&args.state_dir);
    // Damaged files that may be the run asked for are named in the answer, not warned about.
    let (suspects, others): (Vec<Damaged>, Vec<Damaged>) =
        damaged.into_iter().partition(|d| d.run_id().is_some_and(|id| id.to_ascii_uppercase().starts_with(&args.id)));
    for d in others {
        eprintln!("warning: {d}");
    }
    let mut found: Vec<Record> = records.into_iter().filter(|r| r.run_id.starts_with(&args.id)).collect();
    let record = match (found.len(), suspects.as_slice()) {
        (0, []) => bail!("no run {} in {}", args.id, args.state_dir),
        (0, [d]) => bail!("run {} is damaged: {}", d.run_id().unwrap_or(&args.id), d.located()),
        (1, []) => found.remove(0),
        (n, _) => bail!("{}", ambiguous(&args.id, &found, &suspects, n + suspects.len())),
    };
    let mut out = std::io::stdout().lock();
    if args.format == ReportFormat::Json {
        let doc = serde_json::json!({"run": record.run, "changes": record.changes});
        serde_json::to_writer_pretty(&mut out, &doc).context("cannot write the run")?;
        writeln!(out).context("cannot write the run")?;
        return Ok(Exit::Success);
    }
    out.write_all(tree::render(&record.run, &record.changes).as_bytes()).context("cannot write the run")?;
    Ok(Exit::Success)
}

/// `ID matches N runs; give more of the id:` and the first [`LISTED`] of them, one a line (id,
/// playbook and start, or the damaged file), then `and N more`.
fn ambiguous(id: &str, found: &[Record], damaged: &[Damaged], total: usize) -> String {
    let good = found.iter().map(|r| format!("{}  {}  {}", r.run_id, r.playbook, r.start_time));
    let bad = damaged.iter().map(|d| format!("{}  damaged: {}", d.run_id().unwrap_or_default(), d.path.display()));
    let mut text = format!("{id} matches {total} runs; give more of the id:");
    for line in good.chain(bad).take(LISTED) {
        text.push_str(&format!("\n  {line}"));
    }
    if total > LISTED {
        text.push_str(&format!("\n  and {} more", total - LISTED));
    }
    text
}
