//! The run history records of `apply`'s playbook runs (reading the playbooks, mocks and
//! settings is shared: [`crate::cli::prelude`]).

use crate::engine::RunRecord;
use crate::model::Incident;
use crate::playbook::host::Catalog;

use crate::cli::playbook::history;

/// A run history record for a playbook run of `apply`.
pub fn record(catalog: &Catalog, run: &RunRecord, incident: &Incident) -> history::Record {
    let log = run.log.get("run").cloned().unwrap_or_default();
    let text = |key: &str| log.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    history::Record {
        run_id: run.run_id.clone(),
        playbook: run.playbook.clone(),
        file: catalog.get(&run.playbook).map(|p| p.source.path.clone()).unwrap_or_default(),
        incident: incident.name().map(str::to_owned),
        incident_number: incident.number(),
        status: run.status,
        start_time: text("startTime"),
        duration: text("duration"),
        changes: run.log.get("changes").cloned().unwrap_or_default(),
        run: log,
    }
}
