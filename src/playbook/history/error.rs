//! Why the run history cannot be opened, read or written.

use std::fmt;
use std::path::PathBuf;

/// Why the run history cannot be opened, read or written.
#[derive(Debug)]
pub enum Error {
    /// The state directory or the database cannot be created or opened.
    Open { path: PathBuf, source: OpenError },
    /// The state directory is a file.
    NotADirectory(PathBuf),
    /// The database was written by a newer version of this tool.
    Newer { path: PathBuf, version: i64 },
    /// A query or a write failed (the database is damaged, the disk is full, ...).
    Sql { path: PathBuf, source: rusqlite::Error },
    /// A record cannot be encoded, or a stored one decoded.
    Json { run_id: String, source: serde_json::Error },
    /// A record's run log or input cannot be compressed, or a stored one decompressed.
    Pack { run_id: String, source: std::io::Error },
    /// A stored record's status is not a run status.
    Status { run_id: String, status: String },
}

/// What failed when opening: the directory, or the database.
#[derive(Debug)]
pub enum OpenError {
    Io(std::io::Error),
    Sql(rusqlite::Error),
}

impl Error {
    /// A query or write error of the database at `path`.
    pub(super) fn sql(path: &std::path::Path) -> impl FnOnce(rusqlite::Error) -> Error + '_ {
        move |source| Error::Sql { path: path.to_path_buf(), source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Open { path, source: OpenError::Io(e) } => {
                write!(f, "cannot open the run history {}: {e}", path.display())
            }
            Error::Open { path, source: OpenError::Sql(e) } => {
                write!(f, "cannot open the run history {}: {e}", path.display())
            }
            Error::NotADirectory(path) => write!(
                f,
                "cannot open the run history {}: it is a file, not a directory (--state-dir names a directory)",
                path.display()
            ),
            Error::Newer { path, version } => write!(
                f,
                "the run history {} has format {version}, written by a newer sentinel-soar; use that version",
                path.display()
            ),
            Error::Sql { path, source } => write!(f, "run history {}: {source}", path.display()),
            Error::Json { run_id, source } => write!(f, "run {run_id}: cannot encode or decode its record: {source}"),
            Error::Pack { run_id, source } => {
                write!(f, "run {run_id}: cannot compress or decompress its record: {source}")
            }
            Error::Status { run_id, status } => write!(f, "run {run_id}: `{status}` is not a run status"),
        }
    }
}

impl std::error::Error for Error {}
