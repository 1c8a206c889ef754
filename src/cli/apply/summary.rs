//! What `apply` counts for its closing line and exit code: the batch's record counts, the
//! changes, and the playbook runs (the same clause for incidents, alerts and the dry run).

use crate::batch::Counts;
use crate::engine::RunRecord;
use crate::model::Change;

use super::Exit;
use crate::cli::prelude::RunCounts;

/// Counts for the closing line and the exit code.
#[derive(Debug, Default)]
pub struct Summary {
    /// Records processed, not processed, inputs broken off (from the batch).
    pub records: Counts,
    /// Incidents with at least one property changed.
    pub changed: usize,
    pub changes: usize,
    pub runs: RunCounts,
    /// Incidents whose outcome depends on the order of tied rules (`--ties permute`).
    pub order_dependent: usize,
}

/// One incident's share of the summary, counted on the worker.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    changes: usize,
    changed: bool,
    runs: RunCounts,
}

impl Tally {
    /// The incident's playbook runs.
    pub fn runs(&self) -> RunCounts {
        self.runs
    }

    pub fn of(changes: &[Change], runs: &[RunRecord]) -> Tally {
        Tally {
            changes: changes.len(),
            changed: changes.iter().any(|c| c.property.is_some()),
            runs: RunCounts::of(runs),
        }
    }
}

impl Summary {
    /// Counts one processed incident.
    pub fn add(&mut self, tally: Tally) {
        self.changes += tally.changes;
        self.changed += usize::from(tally.changed);
        self.runs.add(tally.runs);
    }

    /// The closing line; `history` as in [`RunCounts::clause`].
    pub fn line(&self, history: bool) -> String {
        let Counts { ok, bad, broken } = self.records;
        let mut line = format!("{ok} incident(s) processed, {} changed, {} change(s)", self.changed, self.changes);
        if bad > 0 {
            line.push_str(&format!(", {bad} record(s) could not be processed"));
        }
        if broken > 0 {
            line.push_str(&format!(", {broken} file(s) could not be read to the end"));
        }
        line.push_str(&self.runs.clause(history));
        if self.order_dependent > 0 {
            line.push_str(&format!(
                "; {} incident(s) whose outcome depends on the order of tied rules",
                self.order_dependent
            ));
        }
        line
    }

    pub fn exit(&self) -> Exit {
        if self.records.clean() && self.order_dependent == 0 {
            Exit::Success
        } else {
            Exit::Findings
        }
    }
}
