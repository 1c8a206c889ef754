//! Command-line input arguments to input files ([`expand_inputs`]): `-` for standard input,
//! files, directories searched recursively for `.json`, `.jsonl` and `.ndjson` files (also
//! compressed: `.json.gz`, `.jsonl.zst`...), and glob patterns. Each input keeps the relative path that names its output under `--out DIR`.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::walk::{walk, WalkError};
use super::InputError;

/// File name endings of incident files found under a directory.
pub const INCIDENT_EXTENSIONS: &[&str] =
    &["json", "jsonl", "ndjson", "json.gz", "jsonl.gz", "ndjson.gz", "json.zst", "jsonl.zst", "ndjson.zst"];

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

/// One input as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub source: Source,
    /// For messages: the path as given/expanded, or "<stdin>".
    pub display: String,
    /// Relative path used to name the output under `--out DIR` (file name for files given
    /// directly; path relative to the directory argument for files found under a directory;
    /// for a glob, the file name). Stdin: "stdin.jsonl".
    pub rel: PathBuf,
}

impl InputFile {
    fn stdin() -> Self {
        InputFile { source: Source::Stdin, display: "<stdin>".into(), rel: PathBuf::from("stdin.jsonl") }
    }

    fn file(path: PathBuf, rel: PathBuf) -> Self {
        InputFile { display: path.display().to_string(), source: Source::File(path), rel }
    }

    fn named(path: PathBuf) -> Self {
        let rel = path.file_name().map_or_else(|| path.clone(), PathBuf::from);
        InputFile::file(path, rel)
    }
}

/// Expands command-line arguments into input files: "-" (stdin, at most once), existing files,
/// directories (recursively, files ending .json .jsonl .ndjson, each also with .gz or .zst,
/// sorted by path), glob patterns
/// (only when the argument contains `*`, `?` or `[` and is not an existing path). The result is
/// sorted per argument and de-duplicated (by canonical path), keeping the first occurrence.
pub fn expand_inputs(args: &[String]) -> Result<Vec<InputFile>, InputError> {
    let mut inputs = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stdin_seen = false;
    for arg in args {
        if arg == "-" {
            if stdin_seen {
                return Err(InputError::new("-: standard input can be given only once"));
            }
            stdin_seen = true;
            inputs.push(InputFile::stdin());
            continue;
        }
        for input in expand_one(arg)? {
            if let Source::File(path) = &input.source {
                let key = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                if seen.insert(key) {
                    inputs.push(input);
                }
            }
        }
    }
    Ok(inputs)
}

fn expand_one(arg: &str) -> Result<Vec<InputFile>, InputError> {
    let path = Path::new(arg);
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => expand_dir(arg, path),
        Ok(_) => Ok(vec![InputFile::named(path.to_path_buf())]),
        Err(_) if arg.contains(['*', '?', '[']) => expand_glob(arg),
        Err(e) if e.kind() == ErrorKind::NotFound => Err(InputError::new(format!("{arg}: no such file or directory"))),
        Err(e) => Err(InputError::new(format!("{arg}: {e}"))),
    }
}

fn expand_dir(arg: &str, root: &Path) -> Result<Vec<InputFile>, InputError> {
    let files = walk(root, INCIDENT_EXTENSIONS).map_err(|WalkError { dir, error }| {
        InputError::new(format!("{}: cannot read directory: {error}", dir.display()))
    })?;
    if files.is_empty() {
        return Err(InputError::new(format!(
            "{arg}: directory holds no incident files (.json, .jsonl, .ndjson, or those with .gz or .zst)"
        )));
    }
    Ok(files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(root).map_or_else(|_| path.clone(), Path::to_path_buf);
            InputFile::file(path, rel)
        })
        .collect())
}

fn expand_glob(pattern: &str) -> Result<Vec<InputFile>, InputError> {
    let paths = glob::glob(pattern).map_err(|e| InputError::new(format!("{pattern}: invalid glob pattern: {e}")))?;
    let mut files = Vec::new();
    for entry in paths {
        let path = entry
            .map_err(|e| InputError::new(format!("{pattern}: cannot read {}: {}", e.path().display(), e.error())))?;
        if path.is_file() {
            files.push(path);
        }
    }
    if files.is_empty() {
        return Err(InputError::new(format!("no files match {pattern}")));
    }
    files.sort();
    Ok(files.into_iter().map(InputFile::named).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_once_and_extensions() {
        let inputs = expand_inputs(&["-".to_owned()]).unwrap();
        assert_eq!(inputs, [InputFile::stdin()]);
        assert_eq!(inputs[0].rel, PathBuf::from("stdin.jsonl"));
        let err = expand_inputs(&["-".to_owned(), "-".to_owned()]).unwrap_err();
        assert_eq!(err.message, "-: standard input can be given only once");
        let incident = |p: &str| super::super::walk::has_extension(Path::new(p), INCIDENT_EXTENSIONS);
        assert!(incident("a/b.NDJSON"));
        assert!(incident("a/b.jsonl.gz"));
        assert!(incident("a/b.json.Zst"));
        assert!(!incident("a/b.gz"));
        assert!(!incident("a/b.yaml"));
        assert!(!incident("json"));
    }

    #[test]
    fn invalid_pattern_is_named() {
        let err = expand_inputs(&["/nonexistent-dir-xyz/[a.json".to_owned()]).unwrap_err();
        assert!(err.message.starts_with("/nonexistent-dir-xyz/[a.json: invalid glob pattern: "), "{}", err.message);
    }
}
