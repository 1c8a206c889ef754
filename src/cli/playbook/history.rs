//! The run history: one JSON file per run under `<state dir>/runs/`, named
//! `<start>-<run id>.json` (start as `YYYYMMDDTHHMMSSZ`, so names sort by time), written
//! atomically. A record holds the run log, the audit records and what the run was about
//! (playbook, file, incident). Reading tolerates damage: a file that is not a record is
//! reported and skipped, never fatal. Run ids are a function of the run's inputs (playbook,
//! payload, clock, mocks), so running the same run again replaces its record.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::io::AtomicFile;
use crate::model::RunStatus;

/// The default state directory, in the working directory.
pub const DEFAULT_STATE_DIR: &str = ".sentinel-soar";

/// One stored run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub run_id: String,
    pub playbook: String,
    /// The playbook's file.
    pub file: String,
    /// The incident's name (ARM GUID) and number.
    pub incident: Option<String>,
    pub incident_number: Option<i64>,
    pub status: RunStatus,
    pub start_time: String,
    pub duration: String,
    /// The run log as `--format json` prints it.
    pub run: Value,
    pub changes: Value,
}

/// Writes a record; returns its path.
pub fn write(state_dir: &str, record: &Record) -> anyhow::Result<PathBuf> {
    let dir = Path::new(state_dir).join("runs");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the run history directory {}", dir.display()))?;
    let start: String = record.start_time.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let path = dir.join(format!("{start}-{}.json", record.run_id));
    let mut text = serde_json::to_string_pretty(record).context("cannot encode the run record")?;
    text.push('\n');
    let mut file = AtomicFile::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.commit())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// A file in the history that is not a record: why, and where when the JSON is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub path: PathBuf,
    pub message: String,
    /// Line and column (1-based) of a JSON or record-shape error.
    pub at: Option<(usize, usize)>,
}

impl Damaged {
    /// The run id the file's name gives (`<start>-<run id>.json`), when it has that shape.
    pub fn run_id(&self) -> Option<&str> {
        let stem = self.path.file_stem()?.to_str()?;
        stem.split_once('-').map(|(_, id)| id).filter(|id| !id.is_empty())
    }

    /// `path:line:column: message`, or `path: message` without a position.
    pub fn located(&self) -> String {
        match self.at {
            Some((line, column)) => format!("{}:{line}:{column}: {}", self.path.display(), self.message),
            None => format!("{}: {}", self.path.display(), self.message),
        }
    }

    fn parse_error(path: PathBuf, e: &serde_json::Error) -> Self {
        let text = e.to_string();
        if e.line() == 0 {
            return Self { path, message: text, at: None };
        }
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(&suffix).unwrap_or(&text).to_owned();
        Self { path, message, at: Some((e.line(), e.column())) }
    }
}

/// The warning `runs` and `playbook list` print: `<file>: not a run record (<why>); skipped`.
impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: not a run record ({}", self.path.display(), self.message)?;
        if let Some((line, column)) = self.at {
            write!(f, " at line {line} column {column}")?;
        }
        write!(f, "); skipped")
    }
}

/// Every readable record, oldest first, and each file that is not one.
pub fn read_all(state_dir: &str) -> (Vec<Record>, Vec<Damaged>) {
    let dir = Path::new(state_dir).join("runs");
    let Ok(entries) = std::fs::read_dir(&dir) else { return (Vec::new(), Vec::new()) };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut records = Vec::new();
    let mut damaged = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Err(e) => damaged.push(Damaged { path, message: e.to_string(), at: None }),
            Ok(text) => match serde_json::from_str::<Record>(&text) {
                Ok(record) => records.push(record),
                Err(e) => damaged.push(Damaged::parse_error(path, &e)),
            },
        }
    }
    (records, damaged)
}
