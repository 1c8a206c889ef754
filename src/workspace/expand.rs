//! Path arguments -> files: a file as named, a directory walked recursively for the files this
//! tool reads (`*.yaml`, `*.yml`, `*.json`, Bicep, `sentinel-deployment.config`), a glob pattern
//! expanded; sorted within each argument, de-duplicated, each file marked as named or walked.
//!
//! Stage: I/O (directory listings only; no file is read here).

use std::path::{Path, PathBuf};

use crate::io;

use super::kind::{DEPLOYMENT_CONFIG, WALKED_EXTENSIONS};

/// A path argument that gives no file, or a directory that cannot be listed.
#[derive(Debug)]
pub enum LoadError {
    /// The path does not exist (and is no glob pattern).
    NotFound { what: &'static str, path: String },
    /// A directory holds no file this tool reads.
    NoFiles { what: &'static str, path: String },
    /// An invalid glob pattern.
    BadGlob { pattern: String, message: String },
    /// A glob pattern that matches no file.
    NoMatch { pattern: String },
    /// A directory (or a glob match) that cannot be read.
    Unreadable { path: PathBuf, error: std::io::Error },
    /// A file that cannot be read.
    Read { what: &'static str, path: String, error: std::io::Error },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NotFound { what, path } => write!(f, "{what} path {path} does not exist"),
            LoadError::NoFiles { what, path } => write!(f, "no {what} files (*.yaml, *.yml, *.json) under {path}"),
            LoadError::BadGlob { pattern, message } => write!(f, "invalid glob pattern {pattern}: {message}"),
            LoadError::NoMatch { pattern } => write!(f, "no files match {pattern}"),
            LoadError::Unreadable { path, error } => write!(f, "cannot read directory {}: {error}", path.display()),
            LoadError::Read { what, path, error } => write!(f, "cannot read {what} file {path}: {error}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// A file to read and whether a directory walk found it (rather than the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub walked: bool,
}

/// Expands path arguments into files; `what` names them in errors (`rule`, `playbook`).
pub fn expand(args: &[String], what: &'static str) -> Result<Vec<Found>, LoadError> {
    let mut all = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        let mut found = Vec::new();
        if path.is_dir() {
            found = io::walk(path, WALKED_EXTENSIONS)
                .map_err(|e| LoadError::Unreadable { path: e.dir, error: e.error })?
                .into_iter()
                .filter(|p| !io::walk::has_extension(p, &["config"]) || is_deployment_config(p))
                .collect();
            if found.is_empty() {
                return Err(LoadError::NoFiles { what, path: arg.clone() });
            }
        } else if path.exists() {
            found.push(path.to_path_buf());
        } else if arg.contains(['*', '?', '[']) {
            let paths =
                glob::glob(arg).map_err(|e| LoadError::BadGlob { pattern: arg.clone(), message: e.to_string() })?;
            for p in paths {
                let p = p.map_err(|e| LoadError::Unreadable { path: e.path().to_path_buf(), error: e.into() })?;
                if p.is_file() {
                    found.push(p);
                }
            }
            if found.is_empty() {
                return Err(LoadError::NoMatch { pattern: arg.clone() });
            }
        } else {
            return Err(LoadError::NotFound { what, path: arg.clone() });
        }
        found.sort();
        let walked = path.is_dir();
        all.extend(found.into_iter().map(|p| Found { path: p, walked }));
    }
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|f| seen.insert(f.path.clone()));
    Ok(all)
}

fn is_deployment_config(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.eq_ignore_ascii_case(DEPLOYMENT_CONFIG))
}
