//! The run history of `apply --playbooks` (incidents and alerts alike): each playbook run's
//! record, encoded on the worker that ran it ([`runs`]), and which of them are recorded, in
//! input order, committed one transaction per window ([`Recorder`], `--history`). Reading the
//! playbooks, mocks and settings is shared: [`crate::cli::prelude`].

use crate::engine::RunRecord;
use crate::model::Incident;
use crate::playbook::history::{Counted, Keep, Policy, Record, Row, Writer, FIRST_KEPT};
use crate::playbook::host::Catalog;

use crate::cli::prelude::history::migration_lines;

/// Where and which runs a batch records.
#[derive(Debug, Clone)]
pub struct History {
    pub state_dir: String,
    /// `--history` (`None`: not given, the default).
    pub keep: Option<Keep>,
    /// The runs the writer has counted, for the workers.
    pub counted: Counted,
}

/// One playbook run of a record, for the history.
pub struct Run {
    /// Whether it needs a look ([`RunRecord::needs_look`]).
    needs_look: bool,
    /// Its record, when `--history` may keep it.
    row: Option<Row>,
}

/// The history record of a playbook run of `apply` (its run log is moved, not copied).
fn record(catalog: &Catalog, run: RunRecord, incident: &Incident) -> Record {
    let mut log = run.log;
    let mut take = |key: &str| log.get_mut(key).map(serde_json::Value::take).unwrap_or_default();
    let (changes, run_log, input) = (take("changes"), take("run"), take("input"));
    let text = |key: &str| run_log.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    Record {
        file: catalog.get(&run.playbook).map(|p| p.source.path.clone()).unwrap_or_default(),
        run_id: run.run_id,
        playbook: run.playbook,
        incident: incident.name().map(str::to_owned),
        incident_number: incident.number(),
        status: run.status,
        start_time: text("startTime"),
        duration: text("duration"),
        changes,
        run: run_log,
        input: (!input.is_null()).then_some(input),
    }
}

/// The playbook runs of one incident (or alert), on the worker: each encoded when `history`
/// may record it.
pub fn runs(
    catalog: &Catalog,
    runs: Vec<RunRecord>,
    incident: &Incident,
    history: &History,
) -> Result<Vec<Run>, String> {
    runs.into_iter()
        .map(|run| {
            let needs_look = run.needs_look();
            let row = history
                .counted
                .may_keep(history.keep, needs_look)
                .then(|| Row::encode(&record(catalog, run, incident)))
                .transpose()
                .map_err(|e| e.to_string())?;
            Ok(Run { needs_look, row })
        })
        .collect()
}

/// The runs a batch records, chosen in input order and committed window by window.
pub struct Recorder {
    writer: Writer,
    policy: Policy,
}

impl Recorder {
    pub fn new(history: &History) -> Recorder {
        Recorder { writer: Writer::new(&history.state_dir), policy: Policy::new(history.keep, history.counted.clone()) }
    }

    /// The runs of the next record.
    pub fn add(&mut self, runs: Vec<Run>) {
        for run in runs {
            if let (true, Some(row)) = (self.policy.keeps(run.needs_look), run.row) {
                self.writer.push(row);
            }
        }
    }

    /// Commits the runs added since the last commit, in one transaction; the lines to say on
    /// standard error when this opened the history and moved the old layout in.
    pub fn commit(&mut self) -> anyhow::Result<Vec<String>> {
        let Some(migration) = self.writer.commit()? else { return Ok(Vec::new()) };
        let mut lines = migration_lines(&migration);
        lines.extend(migration.damaged.iter().map(|d| format!("warning: {d}")));
        Ok(lines)
    }

    /// The closing line's part about the history when runs were left out of it, empty
    /// otherwise: `; history: N of M run(s) recorded (why; how to keep them all)`.
    pub fn clause(&self) -> String {
        let kept = self.policy.kept();
        if kept.recorded == kept.runs {
            return String::new();
        }
        let why = match self.policy.keep() {
            None => format!(
                "past the first {FIRST_KEPT}, only runs that failed, warned or had calls not mocked; \
                 --history all records every run"
            ),
            Some(_) => "--history failed: runs that failed, warned or had calls not mocked".to_owned(),
        };
        format!("; history: {} of {} run(s) recorded ({why})", kept.recorded, kept.runs)
    }
}
