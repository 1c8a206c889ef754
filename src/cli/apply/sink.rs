//! What `apply` writes for each incident, in input order, besides the incident itself (which
//! the batch writes): the audit log, the run history and the closing line's counts
//! ([`ApplySink`]); or, for a dry run, the report ([`DryRunSink`]). Records that could not be
//! processed are reported on standard error, above the progress bar.

use std::io::IoSlice;

use anyhow::Context;

use crate::batch::{Dest, Problem, Sink};
use crate::io::output::write_all_vectored;
use crate::io::InputFile;

use super::playbooks::Recorder;
use super::step::Applied;
use super::summary::Summary;
use super::ties;
use super::ApplyConfig;
use crate::cli::dry_run::{IncidentReport, ReportWriter, Stdout};
use crate::cli::prelude::Progress;
use crate::cli::prelude::RunCounts;

/// Reports a problem of the batch: `error: <where>: <why>`; a document without incidents is a
/// warning.
pub fn report_problem(progress: &Progress, problem: &Problem<'_>) {
    match problem {
        Problem::Empty(_) => progress.eprintln(&format!("warning: {problem}; written back unchanged")),
        _ => progress.eprintln(&format!("error: {problem}")),
    }
}

/// The audit log, the run history and the counts of a run.
pub struct ApplySink<'a> {
    audit: Option<Dest>,
    /// The audit lines of the window's incidents, written together when it is done.
    pending_audit: Vec<Vec<u8>>,
    history: Option<Recorder>,
    summary: Summary,
    progress: &'a Progress,
}

impl<'a> ApplySink<'a> {
    /// Opens the audit log, if there is one.
    pub fn open(config: &'a ApplyConfig, progress: &'a Progress) -> anyhow::Result<ApplySink<'a>> {
        Ok(ApplySink {
            audit: config.audit.as_deref().map(Dest::target).transpose()?,
            pending_audit: Vec::new(),
            history: config.history.as_ref().map(Recorder::new),
            summary: Summary::default(),
            progress,
        })
    }

    pub fn has_audit(&self) -> bool {
        self.audit.is_some()
    }

    /// Commits the audit log and the last runs; the counts, and the closing line's part about
    /// runs left out of the history.
    pub fn finish(mut self) -> anyhow::Result<(Summary, String)> {
        self.window_done()?;
        if let Some(audit) = self.audit {
            audit.commit()?;
        }
        Ok((self.summary, self.history.map(|h| h.clause()).unwrap_or_default()))
    }
}

impl Sink<Applied> for ApplySink<'_> {
    type Error = anyhow::Error;

    fn write(&mut self, item: Applied) -> anyhow::Result<()> {
        if self.audit.is_some() && !item.audit.is_empty() {
            self.pending_audit.push(item.audit);
        }
        self.summary.add(item.tally);
        for message in &item.ties {
            self.progress.eprintln(message);
        }
        self.summary.order_dependent += usize::from(!item.ties.is_empty());
        self.progress.runs(item.tally.runs());
        if let Some(history) = &mut self.history {
            history.add(item.history);
        }
        Ok(())
    }

    fn problem(&mut self, problem: &Problem<'_>) {
        report_problem(self.progress, problem);
    }

    fn read(&mut self, records: usize, bytes: u64) {
        self.progress.advance(records, bytes);
    }

    /// The window's audit lines in one vectored write; one transaction of the history per
    /// window.
    fn window_done(&mut self) -> anyhow::Result<()> {
        if let Some(dest) = &mut self.audit {
            let mut slices: Vec<IoSlice<'_>> = self.pending_audit.iter().map(|a| IoSlice::new(a)).collect();
            write_all_vectored(dest, &mut slices).context("cannot write the audit log")?;
            self.pending_audit.clear();
        }
        if let Some(history) = &mut self.history {
            for line in history.commit()? {
                self.progress.eprintln(&line);
            }
        }
        Ok(())
    }

    fn input_done(&mut self, input: &InputFile) -> anyhow::Result<()> {
        self.progress.input_done(input);
        Ok(())
    }
}

/// The report of a dry run, printed as it comes, and its playbook runs.
pub struct DryRunSink<'a> {
    pub report: ReportWriter<'a, Stdout>,
    pub runs: RunCounts,
    /// Incidents whose outcome depends on the order of tied rules (`--ties permute`).
    pub order_dependent: usize,
    progress: &'a Progress,
}

impl<'a> DryRunSink<'a> {
    pub fn new(report: ReportWriter<'a, Stdout>, progress: &'a Progress) -> Self {
        DryRunSink { report, runs: RunCounts::default(), order_dependent: 0, progress }
    }
}

impl Sink<(IncidentReport, RunCounts)> for DryRunSink<'_> {
    type Error = anyhow::Error;

    fn write(&mut self, (report, runs): (IncidentReport, RunCounts)) -> anyhow::Result<()> {
        self.runs.add(runs);
        let incident = report.incident.as_deref();
        if ties::report(self.progress, &report.file, incident, &report.order_dependence) {
            self.order_dependent += 1;
        }
        self.progress.runs(runs);
        self.report.push(report)
    }

    fn problem(&mut self, problem: &Problem<'_>) {
        report_problem(self.progress, problem);
    }

    fn read(&mut self, records: usize, bytes: u64) {
        self.progress.advance(records, bytes);
    }

    fn input_done(&mut self, input: &InputFile) -> anyhow::Result<()> {
        self.progress.input_done(input);
        Ok(())
    }
}
