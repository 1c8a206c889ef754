//! `apply --replay PATH...`: replays exports of the SecurityIncident table through the rules
//! ([`crate::engine::replay`]) and writes the final incidents (REST shape: a JSON array, or JSON
//! Lines when `--out` ends in `.jsonl`/`.ndjson`), the audit log of the whole history, or with
//! `--dry-run` the report of every rule that fired on every event.
//!
//! An incident's history is spread over the export (rows of many incidents interleave, and
//! are sorted by time), so every row is read before the first history can be replayed. The
//! histories then go through the batch's workers ([`batch::each`]) and are written in order
//! as they come, like any batch.

use std::io::Write;

use anyhow::{bail, Context};

use crate::batch::{self, Dest};
use crate::engine::replay::{replay, Replayed};
use crate::engine::Options as EngineOptions;
use crate::io::{RecordWriter, Shape, Style};
use crate::rules::RuleSet;

use super::audit::{self, AuditFormat};
use super::{ApplyArgs, Exit, Processed};
use crate::cli::dry_run::{IncidentReport, ReportWriter, Stdout};
pub(super) use crate::cli::prelude::histories::read_texts as read_inputs;
use crate::cli::prelude::histories::{read_histories, History};
use crate::cli::prelude::RunCounts;

fn report(file: &str, replayed: &Replayed) -> IncidentReport {
    let incident = &replayed.incident;
    let events = &replayed.events;
    IncidentReport::new(
        file,
        Processed {
            incident: incident.clone(),
            changes: events.iter().flat_map(|e| e.changes.iter().cloned()).collect(),
            fired: events.iter().flat_map(|e| e.fired.iter().cloned()).collect(),
            before: None,
            runs: Vec::new(),
            ties: Vec::new(),
        },
    )
}

/// Where a replay writes: the report of a dry run, or the incidents and the audit log.
enum Output {
    Report(ReportWriter<'static, Stdout>),
    Written { incidents: RecordWriter<Dest>, audit: Option<(Dest, AuditFormat)> },
}

/// Counts for the closing line.
#[derive(Default)]
struct Counts {
    incidents: usize,
    events: usize,
    changes: usize,
}

impl Output {
    fn open(args: &ApplyArgs) -> anyhow::Result<Output> {
        if args.dry_run {
            return Ok(Output::Report(ReportWriter::stdout(args.report_format(), None)));
        }
        let out = args.out.as_deref().unwrap_or("-");
        let shape = if out.ends_with(".jsonl") || out.ends_with(".ndjson") { Shape::Lines } else { Shape::Array };
        let incidents = RecordWriter::new(Dest::target(out)?, shape, Style { pretty: true });
        let audit =
            args.audit.as_deref().map(Dest::target).transpose()?.map(|d| (d, args.audit_format.unwrap_or_default()));
        Ok(Output::Written { incidents, audit })
    }

    fn write(&mut self, history: &History, replayed: Replayed, counts: &mut Counts) -> anyhow::Result<()> {
        counts.incidents += 1;
        for event in &replayed.events {
            counts.events += 1;
            counts.changes += event.changes.len();
        }
        match self {
            Output::Report(writer) => writer.push(report(&history.file, &replayed)),
            Output::Written { incidents, audit } => {
                if let Some((dest, format)) = audit {
                    for event in &replayed.events {
                        let lines = audit::encode(*format, Some(&event.before), &event.changes);
                        dest.write_all(&lines.map_err(anyhow::Error::msg)?).context("cannot write the audit log")?;
                    }
                }
                incidents.write_value(replayed.incident.as_value()).context("cannot write the incidents")
            }
        }
    }
}

/// Runs `apply --replay` on `jobs` worker threads.
pub fn run(args: &ApplyArgs, rules: &RuleSet, jobs: usize) -> anyhow::Result<Exit> {
    if args.audit.as_deref() == Some("-") && !args.dry_run && args.out.as_deref().is_none_or(|o| o == "-") {
        bail!("--audit - and the incidents cannot both go to standard output; give --out or --audit a file");
    }
    let mut bad = 0;
    let (histories, rows) = read_histories(&args.replay, &mut bad)?;
    let mut output = Output::open(args)?;
    let mut counts = Counts::default();
    let work = |h: &History| replay(rules, &h.steps, EngineOptions::default());
    batch::each(jobs, histories, work, |history, result| match result {
        Ok(Some(replayed)) => output.write(&history, replayed, &mut counts),
        Ok(None) => Ok(()),
        Err(e) => {
            eprintln!("error: incident {}: {e}", history.name);
            bad += 1;
            Ok(())
        }
    })?;
    match output {
        Output::Report(writer) => writer.finish(RunCounts::default(), 0)?, // replay runs no playbooks
        Output::Written { incidents, audit } => {
            incidents.finish().context("cannot write the incidents")?.commit()?;
            if let Some((dest, _)) = audit {
                dest.commit()?;
            }
            let Counts { incidents, events, changes } = counts;
            let bad = if bad > 0 { format!(", {bad} row(s) could not be read") } else { String::new() };
            eprintln!(
                "{incidents} incident(s) replayed from {rows} row(s): {events} event(s), {changes} change(s){bad}"
            );
        }
    }
    Ok(if bad > 0 { Exit::Findings } else { Exit::Success })
}
