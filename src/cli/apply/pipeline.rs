//! The record pipeline of `apply`: read a window of records, process them on the worker pool
//! (order kept), write them in input order. Memory is bounded by the window, not the input.

use serde_json::Value;

use crate::engine::{self, Change, Event, Fired, PlaybookHost, RunRecord};
use crate::io::{self, Encoder, InputFile, Opened, Record};
use crate::model::{Incident, Update, UpdatedBySource};

use super::audit::{self, AuditFormat};
use super::progress::Progress;
use super::sink::Outputs;
use super::{ApplyConfig, TriggerArg};
use crate::cli::dry_run::{IncidentReport, Report};
use crate::cli::playbook::history;

/// Records per worker in one window.
const WINDOW_PER_JOB: usize = 128;

/// One processed incident.
pub struct Processed {
    /// The incident as the rules left it.
    pub incident: Incident,
    pub changes: Vec<Change>,
    pub fired: Vec<Fired>,
    /// The incident before the rules ran (kept only for `--audit-format security-incident`).
    pub before: Option<Incident>,
    /// The playbook runs, in the order they ran (with `--playbooks`).
    pub runs: Vec<RunRecord>,
}

/// Counts for the closing line and the exit code.
#[derive(Debug, Default)]
pub struct Summary {
    /// Incidents processed.
    pub ok: usize,
    pub changed: usize,
    pub changes: usize,
    /// Records that could not be processed.
    pub bad: usize,
    /// Files whose structure broke off (the records after the break could not be read).
    pub broken: usize,
    pub runs: RunCounts,
}

/// Playbook runs counted for the closing line.
#[derive(Debug, Default, Clone, Copy)]
pub struct RunCounts {
    pub runs: usize,
    /// Runs that did not succeed.
    pub failed: usize,
    /// External calls of those runs that had no mock.
    pub unmocked: usize,
    /// External calls of those runs answered by inferred mocks (`--infer-mocks`).
    pub inferred: usize,
    /// Runs with warnings (a secret that did not resolve, ...).
    pub warned: usize,
}

impl RunCounts {
    pub fn of(runs: &[RunRecord]) -> RunCounts {
        RunCounts {
            runs: runs.len(),
            failed: runs.iter().filter(|r| r.status != "Succeeded").count(),
            unmocked: runs.iter().map(|r| r.unmocked).sum(),
            inferred: runs.iter().map(|r| r.inferred).sum(),
            warned: runs.iter().filter(|r| r.warnings > 0).count(),
        }
    }

    /// The closing line's part about runs, the same for incidents, alerts and the dry run:
    /// `; N playbook run(s): x succeeded, y failed[, n call(s) not mocked][, n call(s) answered
    /// by inferred mocks][, n run(s) with warnings]`, empty without runs. `history` says a run can be looked up with `runs show`.
    pub fn clause(&self, history: bool) -> String {
        if self.runs == 0 {
            return String::new();
        }
        let mut line =
            format!("; {} playbook run(s): {} succeeded, {} failed", self.runs, self.runs - self.failed, self.failed);
        if self.unmocked > 0 {
            line.push_str(&format!(", {} call(s) not mocked", self.unmocked));
        }
        if self.inferred > 0 {
            line.push_str(&format!(", {} call(s) answered by inferred mocks", self.inferred));
        }
        if self.warned > 0 {
            line.push_str(&format!(", {} run(s) with warnings", self.warned));
            if history {
                line.push_str(" (runs show ID)");
            }
        }
        line
    }

    pub fn add(&mut self, other: RunCounts) {
        self.runs += other.runs;
        self.failed += other.failed;
        self.unmocked += other.unmocked;
        self.inferred += other.inferred;
        self.warned += other.warned;
    }
}

impl Summary {
    fn count(&mut self, changes: &[Change], runs: &[RunRecord]) {
        self.ok += 1;
        self.changes += changes.len();
        self.changed += usize::from(changes.iter().any(|c| c.property.is_some()));
        self.runs.add(RunCounts::of(runs));
    }

    /// The closing line; `history` as in [`RunCounts::clause`].
    pub fn line(&self, history: bool) -> String {
        let mut line =
            format!("{} incident(s) processed, {} changed, {} change(s)", self.ok, self.changed, self.changes);
        if self.bad > 0 {
            line.push_str(&format!(", {} record(s) could not be processed", self.bad));
        }
        if self.broken > 0 {
            line.push_str(&format!(", {} file(s) could not be read to the end", self.broken));
        }
        line.push_str(&self.runs.clause(history));
        line
    }

    pub fn exit(&self) -> super::Exit {
        if self.bad > 0 || self.broken > 0 {
            super::Exit::Findings
        } else {
            super::Exit::Success
        }
    }
}

/// Processes one incident value with the configured event.
pub fn process_value(config: &ApplyConfig, value: Value) -> Result<Processed, String> {
    let incident = Incident::from_value(value).map_err(|e| format!("invalid incident: {e}"))?;
    let event = match config.trigger {
        TriggerArg::Created => Event::Created,
        TriggerArg::Updated => {
            let previous = incident.name().and_then(|n| config.previous.get(&n.to_lowercase()));
            let update = match previous {
                Some(prev) => Update::between(prev, &incident, UpdatedBySource::Other),
                None => Update::between(&incident, &incident, UpdatedBySource::Other),
            };
            Event::Updated(Box::new(update))
        }
    };
    let before = (config.audit_format == AuditFormat::SecurityIncident).then(|| incident.clone());
    let host = config.playbooks.as_ref().map(|c| c as &dyn PlaybookHost);
    let outcome = engine::process_with(&config.rules, incident, &event, config.clock, config.engine, host);
    Ok(Processed {
        incident: outcome.incident,
        changes: outcome.changes,
        fired: outcome.fired,
        before,
        runs: outcome.runs,
    })
}

/// Reads every record of an input into memory (small files such as --previous).
pub fn read_all(input: &InputFile) -> anyhow::Result<Vec<Value>> {
    let mut values = Vec::new();
    match io::open(input).map_err(|e| anyhow::anyhow!("{e}"))? {
        Opened::Stream(mut stream) => {
            while let Some(record) = stream.next_record().map_err(|e| anyhow::anyhow!("{e}"))? {
                let value = record.parse().map_err(|e| anyhow::anyhow!("{}:{}: {e}", input.display, record.line))?;
                values.push(value);
            }
        }
        Opened::Document(doc) => {
            for slot in &doc.slots {
                if let Some(v) = doc.root.pointer(slot) {
                    values.push(v.clone());
                }
            }
        }
    }
    Ok(values)
}

fn where_(input: &InputFile, record: &Record, array: bool) -> String {
    if array {
        format!("{}:{}: array index {}", input.display, record.line, record.index)
    } else {
        format!("{}:{}", input.display, record.line)
    }
}

/// A record processed on a worker: its output bytes, its audit lines and its counts.
struct Done {
    bytes: Vec<u8>,
    audit: Vec<u8>,
    changes: usize,
    changed: bool,
    report: Option<IncidentReport>,
    runs: RunCounts,
    history: Vec<history::Record>,
}

/// A window of records and the workers' results for it, waiting to be written.
type Window = (Vec<Record>, Vec<Result<Done, String>>);

/// Everything a worker needs besides the record.
#[derive(Clone, Copy)]
struct Work<'a> {
    config: &'a ApplyConfig,
    encoder: Option<Encoder>,
    audit: bool,
    report: bool,
    display: &'a str,
}

fn work(w: Work<'_>, record: &Record) -> Result<Done, String> {
    let value = record.parse().map_err(|e| format!("invalid JSON: {e}"))?;
    let p = process_value(w.config, value)?;
    let mut bytes = Vec::with_capacity(record.raw.len() + 1024);
    if let Some(encoder) = w.encoder {
        encoder.encode(p.incident.as_value(), &mut bytes).map_err(|e| format!("cannot encode the incident: {e}"))?;
    }
    let audit = if w.audit { audit::encode(w.config.audit_format, p.before.as_ref(), &p.changes)? } else { Vec::new() };
    let changes = p.changes.len();
    let changed = p.changes.iter().any(|c| c.property.is_some());
    let history = history_records(w.config, &p);
    let runs = RunCounts::of(&p.runs);
    let report = w.report.then(|| IncidentReport::new(w.display, p));
    Ok(Done { bytes, audit, changes, changed, report, runs, history })
}

/// The run history records of an incident's playbook runs, when the history is kept.
fn history_records(config: &ApplyConfig, p: &Processed) -> Vec<history::Record> {
    match (&config.playbooks, &config.history) {
        (Some(catalog), Some(_)) => p.runs.iter().map(|r| super::playbooks::record(catalog, r, &p.incident)).collect(),
        _ => Vec::new(),
    }
}

/// Writes one processed window in input order: records, audit lines, counts and errors.
#[allow(clippy::too_many_arguments)]
fn write_batch(
    input: &InputFile,
    array: bool,
    batch: &[Record],
    results: Vec<Result<Done, String>>,
    outputs: &mut Outputs,
    summary: &mut Summary,
    report: &mut Report,
    progress: &Progress,
    history_dir: Option<&str>,
) -> anyhow::Result<()> {
    for (record, result) in batch.iter().zip(results) {
        match result {
            Ok(done) => {
                outputs.write_encoded(&done.bytes)?;
                outputs.write_audit(&done.audit)?;
                summary.ok += 1;
                summary.changes += done.changes;
                summary.changed += usize::from(done.changed);
                summary.runs.add(done.runs);
                write_history(history_dir, &done.history)?;
                if let Some(r) = done.report {
                    report.push(|| r);
                }
            }
            Err(message) => {
                progress.eprintln(&format!("error: {}: {message}", where_(input, record, array)));
                summary.bad += 1;
                outputs.pass_through(&record.raw)?;
                outputs.reject(&record.raw)?;
            }
        }
    }
    Ok(())
}

/// Records playbook runs in the history of the state directory.
fn write_history(dir: Option<&str>, records: &[history::Record]) -> anyhow::Result<()> {
    if let Some(dir) = dir {
        for record in records {
            history::write(dir, record)?;
        }
    }
    Ok(())
}

/// Processes one input file, stream or document.
pub fn process_input(
    config: &ApplyConfig,
    pool: &rayon::ThreadPool,
    input: &InputFile,
    outputs: &mut Outputs,
    summary: &mut Summary,
    report: &mut Report,
    progress: &Progress,
) -> anyhow::Result<()> {
    let opened = io::open(input).map_err(|e| anyhow::anyhow!("{e}"))?;
    match opened {
        Opened::Stream(mut stream) => {
            let array = stream.shape() == io::Shape::Array;
            outputs.start_stream(input, stream.shape(), stream.style())?;
            let window = WINDOW_PER_JOB * config.jobs;
            // Three stages overlap: a reader thread scans the next window, the workers process
            // this one, and this thread writes the previous one. At most three windows are in
            // memory at once.
            std::thread::scope(|threads| -> anyhow::Result<()> {
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                threads.spawn(move || loop {
                    let batch = stream.next_batch(window);
                    let last = batch.as_ref().map_or(true, Vec::is_empty);
                    if tx.send(batch).is_err() || last {
                        break;
                    }
                });
                let w = Work {
                    config,
                    encoder: outputs.encoder(),
                    audit: outputs.has_audit(),
                    report: report.enabled,
                    display: &input.display,
                };
                let history = config.history.as_deref();
                let mut write = |done: &[Record], results| {
                    write_batch(input, array, done, results, outputs, summary, report, progress, history)
                };
                let mut pending: Option<Window> = None;
                let mut broke = false;
                for batch in rx {
                    let batch = match batch {
                        Ok(b) => b,
                        Err(e) => {
                            // The file is structurally broken here: what came before is kept,
                            // the rest cannot be read.
                            progress.eprintln(&format!("error: {e}"));
                            broke = true;
                            break;
                        }
                    };
                    if batch.is_empty() {
                        break;
                    }
                    let mut results = Vec::new();
                    let mut written = Ok(());
                    pool.in_place_scope(|scope| {
                        scope.spawn(|_| {
                            use rayon::prelude::*;
                            results = batch.par_iter().map(|record| work(w, record)).collect();
                        });
                        if let Some((done, res)) = pending.take() {
                            written = write(&done, res);
                        }
                    });
                    written?;
                    progress.advance(batch.len(), batch.iter().map(|r| r.raw.len() as u64 + 1).sum());
                    pending = Some((batch, results));
                }
                if let Some((done, res)) = pending.take() {
                    write(&done, res)?;
                }
                summary.broken += usize::from(broke);
                Ok(())
            })?;
            outputs.end_stream()
        }
        Opened::Document(mut doc) => {
            if doc.slots.is_empty() {
                progress.eprintln(&format!("warning: {}: no incidents found; written back unchanged", input.display));
            }
            let mut incidents = Vec::new();
            for slot in &doc.slots {
                let Some(target) = doc.root.pointer_mut(slot) else { continue };
                let value = std::mem::take(target);
                match process_value(config, value.clone()) {
                    Ok(p) => {
                        *target = p.incident.as_value().clone();
                        incidents.push(p.incident.as_value().clone());
                        let lines = audit::encode(config.audit_format, p.before.as_ref(), &p.changes)
                            .map_err(anyhow::Error::msg)?;
                        outputs.write_audit(&lines)?;
                        summary.count(&p.changes, &p.runs);
                        write_history(config.history.as_deref(), &history_records(config, &p))?;
                        report.push(|| IncidentReport::new(&input.display, p));
                    }
                    Err(message) => {
                        *target = value;
                        progress.eprintln(&format!("error: {}: incident at {slot}: {message}", input.display));
                        summary.bad += 1;
                    }
                }
            }
            progress.advance(doc.slots.len(), 0);
            outputs.write_document(input, &doc.root, doc.style, &incidents)
        }
    }
}
