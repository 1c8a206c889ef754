//! The old layout of the run history, before [`super::Store`]: one JSON file per run under
//! `<state dir>/runs/`, named `<start>-<run id>.json` (start as `YYYYMMDDTHHMMSSZ`), each a
//! pretty-printed [`Record`]. Opening the store moves those records in ([`migrate`]): each file
//! read is inserted (a few hundred per transaction) and then removed, and the directory too
//! once empty, so it happens once. A file that is not a record ([`Damaged`]) is left where it is
//! and reported each time, as the old layout always did, until it is removed by hand.

use std::path::{Path, PathBuf};

use super::{Error, Record, Row, Store};

/// The old layout's directory in a state directory.
const DIR: &str = "runs";

/// Records moved per transaction.
const CHUNK: usize = 500;

/// What opening the store did with the old layout.
#[derive(Debug, Default)]
pub struct Migration {
    /// Records moved into the store.
    pub moved: usize,
    /// The old layout's directory.
    pub from: PathBuf,
    /// The store's file.
    pub to: PathBuf,
    /// Files that are not records, left where they are.
    pub damaged: Vec<Damaged>,
    /// Files moved in that could not be removed, and why (they are moved again next time).
    pub not_removed: Vec<(PathBuf, std::io::Error)>,
}

/// A file of the old layout that is not a record: why, and where when the JSON is broken.
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

/// The old layout's files (`runs/*.json`) of `state_dir`, in name order (oldest first).
fn files(state_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(state_dir.join(DIR)) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
}

/// Whether `state_dir` holds files of the old layout.
pub(super) fn present(state_dir: &Path) -> bool {
    std::fs::read_dir(state_dir.join(DIR))
        .is_ok_and(|mut entries| entries.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "json"))))
}

/// Reads one file of the old layout.
fn read(path: PathBuf) -> Result<(PathBuf, Record), Damaged> {
    match std::fs::read_to_string(&path) {
        Err(e) => Err(Damaged { path, message: e.to_string(), at: None }),
        Ok(text) => match serde_json::from_str::<Record>(&text) {
            Ok(record) => Ok((path, record)),
            Err(e) => Err(Damaged::parse_error(path, &e)),
        },
    }
}

/// Moves the old layout's records of `state_dir` into `store`.
pub(super) fn migrate(store: &mut Store, state_dir: &Path) -> Result<Migration, Error> {
    let mut migration = Migration { from: state_dir.join(DIR), to: store.path().to_path_buf(), ..Migration::default() };
    let paths = files(state_dir);
    if paths.is_empty() {
        return Ok(migration);
    }
    for chunk in paths.chunks(CHUNK) {
        let mut rows = Vec::new();
        let mut moved = Vec::new();
        for path in chunk {
            match read(path.clone()) {
                Ok((path, record)) => {
                    rows.push(Row::encode(&record)?);
                    moved.push(path);
                }
                Err(damaged) => migration.damaged.push(damaged),
            }
        }
        store.insert(&rows)?;
        migration.moved += rows.len();
        for path in moved {
            if let Err(e) = std::fs::remove_file(&path) {
                migration.not_removed.push((path, e));
            }
        }
    }
    // Gone once empty; a directory still holding damaged or other files stays.
    let _ = std::fs::remove_dir(&migration.from);
    Ok(migration)
}
