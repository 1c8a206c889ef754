//! [`Row`]: a [`Record`] encoded for the store, on the thread that made it, so that the thread
//! writing the store only inserts; and back.
//!
//! The run log and the input (the bulk of a record: in the batch of docs/batch.md, 14.7 and
//! 4.4 KB of JSON a run on average) are stored zstd-compressed ([`Doc::Packed`]: 2.5 and 1.4 KB),
//! so the history of a batch is a third to a quarter of its size on disk, and the rows a worker
//! hands to the writer thread are small. A
//! worker serializes and compresses in buffers of its own, kept for its next run, so that only
//! the compressed bytes are allocated for the writer to free: big blocks made on one thread and
//! freed on another are what kept a two-worker batch's peak above 64 MB (issue 13).

use std::cell::RefCell;

use chrono::DateTime;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use super::{Error, Record};
use crate::model::RunStatus;

/// The zstd level of stored documents: zstd's default.
const LEVEL: i32 = 3;

/// A JSON document as the store keeps it.
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    /// zstd-compressed JSON text (a BLOB): what this build writes.
    Packed(Vec<u8>),
    /// JSON text (TEXT): the records of histories written before format 3.
    Text(String),
}

/// A record as the store keeps it: the listed fields as columns, the run log and the input
/// compressed, the changes as JSON text.
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
    /// How many warnings the run log has (`runs list --warned`).
    pub warnings: i64,
    /// The run log.
    pub run: Doc,
    /// The audit records, compact JSON.
    pub changes: String,
    /// What the run started from.
    pub input: Option<Doc>,
}

impl Row {
    /// Encodes a record.
    pub fn encode(record: &Record) -> Result<Row, Error> {
        let json = |value: &serde_json::Value| {
            serde_json::to_string(value).map_err(|source| Error::Json { run_id: record.run_id.clone(), source })
        };
        let pack = |value: &serde_json::Value| Doc::pack(value, &record.run_id);
        let warnings = record.run.get("warnings").and_then(serde_json::Value::as_array).map_or(0, Vec::len);
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
            warnings: i64::try_from(warnings).unwrap_or(i64::MAX),
            run: pack(&record.run)?,
            changes: json(&record.changes)?,
            input: record.input.as_ref().map(pack).transpose()?,
        })
    }

    /// The record back.
    pub fn decode(self) -> Result<Record, Error> {
        let json = |text: &str| {
            serde_json::from_str(text).map_err(|source| Error::Json { run_id: self.run_id.clone(), source })
        };
        let unpack = |doc: &Doc| doc.unpack(&self.run_id);
        Ok(Record {
            run: unpack(&self.run)?,
            changes: json(&self.changes)?,
            input: self.input.as_ref().map(unpack).transpose()?,
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

/// A worker's buffers for [`Doc::pack`]: the compressor and the JSON text and compressed bytes
/// of the last document, kept for the next one.
struct Packer {
    zstd: zstd::bulk::Compressor<'static>,
    json: Vec<u8>,
    packed: Vec<u8>,
}

thread_local! {
    static PACKER: RefCell<Option<Packer>> = const { RefCell::new(None) };
}

impl Doc {
    /// `value` as compact JSON, compressed.
    fn pack(value: &serde_json::Value, run_id: &str) -> Result<Doc, Error> {
        let packing = |source| Error::Pack { run_id: run_id.to_owned(), source };
        PACKER.with(|cell| {
            let mut cell = cell.borrow_mut();
            let packer = match &mut *cell {
                Some(packer) => packer,
                None => cell.insert(Packer {
                    zstd: zstd::bulk::Compressor::new(LEVEL).map_err(packing)?,
                    json: Vec::new(),
                    packed: Vec::new(),
                }),
            };
            packer.json.clear();
            serde_json::to_writer(&mut packer.json, value)
                .map_err(|source| Error::Json { run_id: run_id.to_owned(), source })?;
            packer.packed.clear();
            packer.packed.reserve(zstd::compress_bound(packer.json.len()));
            packer.zstd.compress_to_buffer(&packer.json, &mut packer.packed).map_err(packing)?;
            // Exactly as long as it is: this is what crosses to the writer thread.
            Ok(Doc::Packed(packer.packed.as_slice().to_vec()))
        })
    }

    /// The document back.
    fn unpack(&self, run_id: &str) -> Result<serde_json::Value, Error> {
        let json = |source| Error::Json { run_id: run_id.to_owned(), source };
        match self {
            Doc::Text(text) => serde_json::from_str(text).map_err(json),
            Doc::Packed(bytes) => {
                let text = zstd::stream::decode_all(bytes.as_slice())
                    .map_err(|source| Error::Pack { run_id: run_id.to_owned(), source })?;
                serde_json::from_slice(&text).map_err(json)
            }
        }
    }
}

impl ToSql for Doc {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Doc::Packed(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
            Doc::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        })
    }
}

impl FromSql for Doc {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Blob(bytes) => Ok(Doc::Packed(bytes.to_vec())),
            ValueRef::Text(_) => String::column_result(value).map(Doc::Text),
            _ => Err(FromSqlError::InvalidType),
        }
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
            run: json!({"z": 1, "a": [1.5, {"b": null}], "s": "é\n", "warnings": ["x", "y"]}),
            changes: json!([]),
            input: Some(json!({"incident": {"name": "i"}})),
        };
        let row = Row::encode(&record).unwrap();
        assert_eq!(row.key, "20260601T0000005Z-E747");
        assert_eq!(row.start_ms, Some(1_780_272_000_500));
        assert_eq!(row.warnings, 2);
        let Doc::Packed(packed) = &row.run else { panic!("the run log is stored compressed: {:?}", row.run) };
        let text = zstd::stream::decode_all(packed.as_slice()).unwrap();
        assert_eq!(String::from_utf8(text).unwrap(), r#"{"z":1,"a":[1.5,{"b":null}],"s":"é\n","warnings":["x","y"]}"#);
        assert_eq!(row.clone().decode().unwrap(), record);
        // A record of an older history, stored as text, reads the same.
        let old =
            Row { run: Doc::Text(r#"{"z":1,"a":[1.5,{"b":null}],"s":"é\n","warnings":["x","y"]}"#.into()), ..row };
        assert_eq!(old.decode().unwrap(), record);
        for s in [RunStatus::Succeeded, RunStatus::Failed, RunStatus::Cancelled] {
            assert_eq!(status("x", s.as_str()).unwrap(), s);
        }
        assert!(status("x", "Running").is_err());
    }
}
