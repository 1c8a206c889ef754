//! Reading the one incident of a file (`test` incidents, `suppress --incident`): any shape
//! `apply` reads (one object, an array, JSON Lines, a REST list or example file), holding
//! exactly one incident record.

use std::io::Cursor;

use serde_json::Value;

use crate::io::{self, Opened};

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

/// The single incident record (as JSON) of the file at `path`.
pub fn read_one(path: &str) -> Result<Value, OneIncidentError> {
    let bytes = std::fs::read(path)
        .map_err(|e| OneIncidentError::Unreadable(format!("cannot read incident file {path}: {e}")))?;
    let invalid = OneIncidentError::Invalid;
    let mut values = Vec::new();
    match io::open_reader(Box::new(Cursor::new(bytes)), path).map_err(|e| invalid(e.to_string()))? {
        Opened::Stream(mut stream) => {
            while let Some(record) = stream.next_record().map_err(|e| invalid(e.to_string()))? {
                values.push(record.parse().map_err(|e| invalid(format!("{path}:{}: {e}", record.line)))?);
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
