//! Reading the one incident of a file (`test` incidents, `suppress --incident`, `playbook run
//! --incident`): any shape `apply` reads (one object, an array, JSON Lines, a REST list or
//! example file), holding exactly one incident record; and the one alert of a file (`playbook
//! run --alert`), in any shape `apply --alerts` reads. `-` is standard input.

use std::io::Cursor;

use serde_json::Value;

use crate::io::{self, Opened};
use crate::model::{alert, Alert};
use crate::sentinel::security_incident;

use super::inputs::read_bytes;

/// Why a file did not give one incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneIncidentError {
    /// The file cannot be read.
    Unreadable(String),
    /// The file is read but holds no incident, several, or malformed JSON.
    Invalid(String),
}

impl std::fmt::Display for OneIncidentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OneIncidentError::Unreadable(m) | OneIncidentError::Invalid(m) => f.write_str(m),
        }
    }
}

/// The single incident record (as JSON) of the file at `path` (`-`: standard input).
pub fn read_one(path: &str) -> Result<Value, OneIncidentError> {
    let (path, bytes) =
        read_bytes(path).map_err(|e| OneIncidentError::Unreadable(format!("cannot read incident file {path}: {e}")))?;
    let path = path.as_str();
    let invalid = OneIncidentError::Invalid;
    let mut values = Vec::new();
    match io::open_reader(Box::new(Cursor::new(bytes)), path).map_err(|e| invalid(e.to_string()))? {
        Opened::Stream(mut stream) => {
            while let Some(record) = stream.next_record().map_err(|e| invalid(e.to_string()))? {
                values.push(
                    record.parse().map_err(|e| invalid(io::input::located(path, record.line, record.column, &e)))?,
                );
            }
        }
        Opened::Document(doc) => values.extend(doc.slots.iter().filter_map(|s| doc.root.pointer(s)).cloned()),
    }
    match values.len() {
        0 => Err(invalid(format!("{path} holds no incident"))),
        1 => values.pop().ok_or_else(|| invalid(format!("{path} holds no incident"))),
        n => Err(invalid(format!("{path} holds {n} incidents, not one"))),
    }
}

/// The single alert of the file at `path`: a SecurityAlert REST entity, bare properties or a
/// SecurityAlert table row (in a document, an array, JSON Lines, a `{"value": [...]}` list, a
/// REST example file or a Log Analytics query result), found as `apply --alerts` finds them.
pub fn read_one_alert(path: &str) -> Result<Alert, OneIncidentError> {
    let (path, bytes) =
        read_bytes(path).map_err(|e| OneIncidentError::Unreadable(format!("cannot read alert file {path}: {e}")))?;
    let path = path.as_str();
    let text = String::from_utf8(bytes).map_err(|e| {
        let why = crate::io::compress::describe_binary(e.as_bytes())
            .map_or_else(|| e.utf8_error().to_string(), |binary| format!("it is {binary}, not text"));
        OneIncidentError::Unreadable(format!("cannot read alert file {path}: {why}"))
    })?;
    let invalid = OneIncidentError::Invalid;
    let rows = security_incident::rows_of(&text).map_err(|e| invalid(format!("{path}: {e}")))?;
    let mut found: Vec<Value> = rows.iter().flat_map(alert::find_alerts).cloned().collect();
    let value = match found.len() {
        1 => found.pop().ok_or_else(|| invalid(format!("{path} holds no alert")))?,
        0 => {
            let hint = "expected a SecurityAlert: kind SecurityAlert, systemAlertId or alertDisplayName";
            return Err(invalid(format!("{path} holds no alert ({hint})")));
        }
        n => return Err(invalid(format!("{path} holds {n} alerts, not one"))),
    };
    Alert::from_value(value).map_err(|e| invalid(format!("{path}: {}", e.message)))
}
