//! The playbook runs of a batch, counted for the closing line: the same clause for `apply`, its
//! alerts, its dry run and `explain --playbooks`.
//!
//! Stage: CLI.

use crate::engine::RunRecord;
use crate::model::RunStatus;

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
            failed: runs.iter().filter(|r| r.status != RunStatus::Succeeded).count(),
            unmocked: runs.iter().map(|r| r.unmocked).sum(),
            inferred: runs.iter().map(|r| r.inferred).sum(),
            warned: runs.iter().filter(|r| r.warnings > 0).count(),
        }
    }

    /// The closing line's part about runs, the same for incidents, alerts and the dry run:
    /// `; N playbook run(s): x succeeded, y failed[, n call(s) not mocked][, n call(s) answered
    /// by inferred mocks][, n run(s) with warnings]`, empty without runs. `history` says a run
    /// can be looked up with `runs show`.
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
                line.push_str(" (runs list --warned)");
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
