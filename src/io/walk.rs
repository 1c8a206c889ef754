//! The one directory walker: every file under a directory whose extension is one of a list,
//! sorted by path so what a command reads never depends on the order the file system lists
//! a directory in. Incident inputs ([`super::expand_inputs`]) and rule, playbook and mocks
//! paths (`cli::rule_files`) are both found with it; each caller words its own errors.

use std::fs;
use std::path::{Path, PathBuf};

/// A directory under the walk that could not be read.
#[derive(Debug)]
pub struct WalkError {
    pub dir: PathBuf,
    pub error: std::io::Error,
}

/// Every file under `root` (recursively) whose extension is one of `extensions` (compared
/// ignoring ASCII case), sorted by path. Symbolic links to files are followed, symbolic links
/// to directories are not (no cycles).
pub fn walk(root: &Path, extensions: &[&str]) -> Result<Vec<PathBuf>, WalkError> {
    let mut files = Vec::new();
    collect(root, extensions, &mut files)?;
    files.sort();
    Ok(files)
}

fn collect(dir: &Path, extensions: &[&str], files: &mut Vec<PathBuf>) -> Result<(), WalkError> {
    let unreadable = |error| WalkError { dir: dir.to_path_buf(), error };
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(unreadable)?;
        if kind.is_dir() {
            collect(&path, extensions, files)?;
        } else if has_extension(&path, extensions) && (kind.is_file() || path.is_file()) {
            files.push(path);
        }
    }
    Ok(())
}

/// Whether `path`'s name ends in `.` and one of `extensions` (which may have several parts, as
/// `jsonl.gz`) after a name of at least one character, ignoring ASCII case.
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    extensions.iter().any(|x| {
        name.len() > x.len() + 1
            && name
                .get(name.len() - x.len() - 1..)
                .is_some_and(|end| end.starts_with('.') && end.get(1..).is_some_and(|e| e.eq_ignore_ascii_case(x)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_recursive_and_filtered_by_extension_ignoring_case() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/c")).unwrap();
        for name in ["z.yaml", "a.YML", "b/c/d.json", "b/skip.txt", "b/a.yaml", "yaml", ".yaml", "e.json.GZ", "f.gz"] {
            fs::write(root.join(name), "").unwrap();
        }
        let found = walk(root, &["yaml", "yml", "json", "json.gz"]).unwrap();
        let names: Vec<String> = found.iter().map(|p| p.strip_prefix(root).unwrap().display().to_string()).collect();
        assert_eq!(names, ["a.YML", "b/a.yaml", "b/c/d.json", "e.json.GZ", "z.yaml"]);
        let error = walk(&root.join("missing"), &["yaml"]).unwrap_err();
        assert_eq!(error.dir, root.join("missing"));
    }
}
