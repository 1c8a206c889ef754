//! [`Row`]: a [`Record`] encoded for the store, on the thread that made it, so that the thread
//! writing the store only inserts; and back.

use chrono::DateTime;

use super::{Error, Record};
use crate::model::RunStatus;

/// A record as the store keeps it: the listed fields as columns, the run log and the changes
/// as JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `<start>-<run id>`, the start as `YYYYMMDDTHHMMSSZ` (its letters and digits): the
    /// history's order, oldest first, and what makes a record unique (the old layout's file
    /// name, so the order is the one `runs list` always had).
    pub key: String,
    pub run_id: String,
    pub playbook: String,
    pub file: String,
    pub incident: Option<String>,
    pub incident_number: Option<i64>,
    pub status: RunStatus,
    pub start_time: String,
    /// The start in milliseconds since 1970 (`--since`, `prune --before`); `None` when the
    /// start time is not RFC 3339.
    pub start_ms: Option<i64>,
    pub duration: String,
    /// The run log, compact JSON.
    pub run: String,
    /// The audit records, compact JSON.
    pub changes: String,
    /// What the run started from, compact JSON.
    pub input: Option<String>,
}

impl Row {
    /// Encodes a record.
    pub fn encode(record: &Record) -> Result<Row, Error> {
        let json = |value: &serde_json::Value| {
            serde_json::to_string(value).map_err(|source| Error::Json { run_id: record.run_id.clone(), source })
        };
        Ok(Row {
            key: key(&record.start_time, &record.run_id),
            run_id: record.run_id.clone(),
            playbook: record.playbook.clone(),
            file: record.file.clone(),
            incident: record.incident.clone(),
            incident_number: record.incident_number,
            status: record.status,
            start_time: record.start_time.clone(),
            start_ms: DateTime::parse_from_rfc3339(&record.start_time).ok().map(|t| t.timestamp_millis()),
            duration: record.duration.clone(),
            run: json(&record.run)?,
            changes: json(&record.changes)?,
            input: record.input.as_ref().map(json).transpose()?,
        })
    }

    /// The record back.
    pub fn decode(self) -> Result<Record, Error> {
        let json = |text: &str| {
            serde_json::from_str(text).map_err(|source| Error::Json { run_id: self.run_id.clone(), source })
        };
        Ok(Record {
            run: json(&self.run)?,
            changes: json(&self.changes)?,
            input: self.input.as_deref().map(json).transpose()?,
            run_id: self.run_id,
            playbook: self.playbook,
            file: self.file,
            incident: self.incident,
            incident_number: self.incident_number,
            status: self.status,
            start_time: self.start_time,
            duration: self.duration,
        })
    }
}

/// `<start letters and digits>-<run id>`.
pub(super) fn key(start_time: &str, run_id: &str) -> String {
    let start: String = start_time.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{start}-{run_id}")
}

/// A status as stored (`Succeeded`).
pub(super) fn status(run_id: &str, text: &str) -> Result<RunStatus, Error> {
    match text {
        "Succeeded" => Ok(RunStatus::Succeeded),
        "Failed" => Ok(RunStatus::Failed),
        "Cancelled" => Ok(RunStatus::Cancelled),
        _ => Err(Error::Status { run_id: run_id.to_owned(), status: text.to_owned() }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_record_comes_back_as_it_went_in_keyed_like_the_old_file_names() {
        let record = Record {
            run_id: "E747".into(),
            playbook: "P".into(),
            file: "p.yaml".into(),
            incident: Some("i".into()),
            incident_number: Some(7),
            status: RunStatus::Failed,
            start_time: "2026-06-01T00:00:00.5Z".into(),
            duration: "PT2S".into(),
            run: json!({"z": 1, "a": [1.5, {"b": null}], "s": "é\n"}),
            changes: json!([]),
            input: Some(json!({"incident": {"name": "i"}})),
        };
        let row = Row::encode(&record).unwrap();
        assert_eq!(row.key, "20260601T0000005Z-E747");
        assert_eq!(row.start_ms, Some(1_780_272_000_500));
        assert_eq!(row.run, r#"{"z":1,"a":[1.5,{"b":null}],"s":"é\n"}"#);
        assert_eq!(row.decode().unwrap(), record);
        for s in [RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled] {
            assert_eq!(status("x", s.as_str()).unwrap(), s);
        }
        assert!(status("x", "Running").is_err());
    }
}
