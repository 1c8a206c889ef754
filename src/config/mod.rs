//! `sentinel-soar.toml`, the repository's configuration, as linters have one (ruff's
//! `ruff.toml`, conftest's and PSRule's options files): which files a directory walk checks
//! (`include`, `exclude`), the defaults of `--sentinel`, `--strict` and `--portal`, codes
//! ignored everywhere (`ignore`) or under some paths (`per-path-ignores`), and suppressions
//! with a reason and an optional expiry date (`[[suppress]]`). [`find`] looks for the file from
//! the working directory upwards, [`load`] reads it ([`file`]: the toml crate, every mistake an
//! error at its line and column), [`schema`] is its JSON Schema for editors, and [`suppress`]
//! takes the suppressed findings out of a run's problems (with the inline
//! `# sentinel-soar: ignore[CODE] reason` comments of YAML files).
//!
//! Globs are relative to the directory of the file; a glob that matches a directory covers every
//! file under it.
//!
//! Stage: reads one file; below the CLI and the workspace, above the diagnostics.

pub mod file;
pub mod schema;
pub mod suppress;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::diagnostic::Code;
use crate::model::Portal;

/// The file's name.
pub const FILE_NAME: &str = "sentinel-soar.toml";

/// A configuration file read.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file, as messages name it.
    pub path: String,
    /// Its text (diagnostics about it show a snippet).
    pub text: String,
    /// `sentinel = true`: `--sentinel` without the flag.
    pub sentinel: bool,
    /// `strict = true`: `--strict` without the flag.
    pub strict: bool,
    /// `portal`: the `--portal` of commands not given one.
    pub portal: Option<Portal>,
    /// `include` and `exclude`.
    pub paths: PathFilter,
    /// `ignore`: codes suppressed everywhere.
    pub ignore: Vec<Entry<Code>>,
    /// `per-path-ignores`: codes suppressed under a glob.
    pub per_path: Vec<PathIgnore>,
    /// `[[suppress]]` tables.
    pub suppress: Vec<Suppress>,
}

/// A value with the place it is written (`file:line:column`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<T> {
    pub value: T,
    pub at: Place,
}

/// A place in the configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Place {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// Codes suppressed under a glob.
#[derive(Debug, Clone)]
pub struct PathIgnore {
    pub glob: Glob,
    pub codes: Vec<Code>,
    pub at: Place,
}

/// A `[[suppress]]` table.
#[derive(Debug, Clone)]
pub struct Suppress {
    pub codes: Vec<Code>,
    /// Only findings in files this glob matches (all files without it).
    pub path: Option<Glob>,
    pub reason: String,
    /// From this instant on the suppression no longer applies (a date is its midnight UTC),
    /// and is itself reported (RP005); with the date as written.
    pub expires: Option<(DateTime<Utc>, String)>,
    /// Where the table starts.
    pub at: Place,
}

/// A glob of the file, relative to its directory.
#[derive(Debug, Clone)]
pub struct Glob {
    pub text: String,
    pattern: glob::Pattern,
}

impl Glob {
    /// `text` as a glob, or glob's message.
    pub fn new(text: &str) -> Result<Glob, String> {
        let trimmed = text.trim_start_matches("./").trim_end_matches('/');
        glob::Pattern::new(trimmed).map(|pattern| Glob { text: text.to_owned(), pattern }).map_err(|e| e.to_string())
    }

    /// True when the glob matches `rel` (a `/`-separated path relative to the configuration's
    /// directory) or one of the directories it is in.
    pub fn matches(&self, rel: &str) -> bool {
        let options = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        let mut at = rel;
        loop {
            if self.pattern.matches_with(at, options) {
                return true;
            }
            match at.rfind('/') {
                Some(i) => at = at.get(..i).unwrap_or_default(),
                None => return false,
            }
        }
    }
}

/// `include` and `exclude`: which files a directory walk checks.
#[derive(Debug, Clone, Default)]
pub struct PathFilter {
    /// The configuration's directory, absolute and normalised.
    pub root: PathBuf,
    pub include: Vec<Glob>,
    pub exclude: Vec<Glob>,
}

impl PathFilter {
    /// `path` relative to the configuration's directory, `/`-separated; `None` outside it.
    pub fn relative(&self, path: &Path) -> Option<String> {
        relative_to(&self.root, path)
    }

    /// True when a file found by walking a directory is left out: outside every `include` glob
    /// (when there are any), or inside an `exclude` glob. Files outside the configuration's
    /// directory are never left out.
    pub fn excludes(&self, path: &Path) -> bool {
        let Some(rel) = self.relative(path) else { return false };
        (!self.include.is_empty() && !self.include.iter().any(|g| g.matches(&rel)))
            || self.exclude.iter().any(|g| g.matches(&rel))
    }
}

/// `path` relative to `root` (both made absolute against the working directory), `/`-separated.
fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let abs = crate::io::path::absolute(path);
    let rest = abs.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// A configuration file that cannot be read or used: the message names the file and, where
/// known, the line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    /// Line and column (1-based).
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{}:{line}:{column}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The configuration that applies in `start` (the working directory): `sentinel-soar.toml` in it
/// or the nearest directory above it, looking no higher than the repository's root (the first
/// directory holding `.git`) or the file system's root.
pub fn find(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The configuration files [`find`] from `cwd` does not reach but that `paths` hold or lie
/// under, as a user may expect them to apply: a path's own directory, or one between it and
/// the working directory (no higher than its repository's root). Sorted, without `used` (the
/// one in use), absolute. Files deeper under a directory path are not looked for: they are
/// never read, as a fixture's would not be.
pub fn unused_for(paths: &[PathBuf], cwd: &Path, used: Option<&Path>) -> Vec<PathBuf> {
    let cwd = crate::io::path::normal(&crate::io::path::absolute(cwd));
    let used = used.map(|u| crate::io::path::normal(&crate::io::path::absolute(u)));
    let mut found = std::collections::BTreeSet::new();
    for path in paths {
        let abs = crate::io::path::normal(&crate::io::path::absolute(path));
        let start = if abs.is_dir() { abs.as_path() } else { abs.parent().unwrap_or(&abs) };
        for dir in start.ancestors() {
            if cwd.starts_with(dir) {
                break; // the working directory or above: `find` looks there
            }
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                found.insert(candidate);
                break;
            }
            if dir.join(".git").exists() {
                break;
            }
        }
    }
    found.into_iter().filter(|f| Some(f) != used.as_ref()).collect()
}

/// Reads and checks the configuration file at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let label = crate::io::path::display(path);
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: label.clone(),
        at: None,
        message: format!("cannot read the configuration: {e}"),
    })?;
    let root = crate::io::path::absolute(path).parent().map(Path::to_path_buf).unwrap_or_default();
    file::parse(&label, &text, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_cover_the_files_under_a_directory_they_match() {
        let g = |t: &str| Glob::new(t).unwrap();
        assert!(g("Drafts").matches("Drafts/a/b.yaml"));
        assert!(g("Drafts/").matches("Drafts/b.yaml"));
        assert!(g("./Drafts/*.yaml").matches("Drafts/b.yaml"));
        assert!(!g("Drafts/*.yaml").matches("Drafts/x/b.yaml"));
        assert!(g("Drafts/**/*.yaml").matches("Drafts/x/b.yaml"));
        assert!(g("**/legacy").matches("Playbooks/legacy/p.json"));
        assert!(!g("Draft").matches("Drafts/b.yaml"));
        assert!(!g("*.yaml").matches("AutomationRules/a.yaml"));
    }

    #[test]
    fn include_and_exclude_decide_for_files_under_the_root_only() {
        let filter = PathFilter {
            root: PathBuf::from("/repo"),
            include: vec![Glob::new("AutomationRules").unwrap()],
            exclude: vec![Glob::new("AutomationRules/old").unwrap()],
        };
        assert!(!filter.excludes(Path::new("/repo/AutomationRules/a.yaml")));
        assert!(filter.excludes(Path::new("/repo/AutomationRules/old/a.yaml")));
        assert!(filter.excludes(Path::new("/repo/Playbooks/p.json")));
        assert!(!filter.excludes(Path::new("/elsewhere/p.json")));
    }

    #[test]
    fn the_search_stops_at_the_repository_root() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let deep = repo.join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(dir.path().join(FILE_NAME)), "no repository: up to the top");
        std::fs::create_dir(repo.join(".git")).unwrap();
        assert_eq!(find(&deep), None, "the file above the repository does not apply");
        std::fs::write(repo.join("a").join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep), Some(repo.join("a").join(FILE_NAME)));
    }

    #[test]
    fn configurations_of_the_paths_that_the_working_directory_does_not_reach() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        let sentinel = repo.join("sentinel");
        let rules = sentinel.join("rules");
        std::fs::create_dir_all(rules.join("deep")).unwrap();
        std::fs::create_dir(repo.join(".git")).unwrap();
        std::fs::write(sentinel.join(FILE_NAME), "").unwrap();
        std::fs::write(rules.join("deep").join(FILE_NAME), "").unwrap();
        std::fs::write(rules.join("a.yaml"), "").unwrap();
        let unused = |paths: &[&str], used: Option<&Path>| {
            let paths: Vec<PathBuf> = paths.iter().map(|p| repo.join(p)).collect();
            unused_for(&paths, &repo, used)
        };
        // In the path or between it and the working directory; not deeper.
        assert_eq!(unused(&["sentinel/rules/a.yaml"], None), [sentinel.join(FILE_NAME)]);
        assert_eq!(unused(&["sentinel"], None), [sentinel.join(FILE_NAME)]);
        assert_eq!(unused(&["sentinel/rules"], None), [sentinel.join(FILE_NAME)]);
        assert_eq!(
            unused(&["sentinel/rules/deep", "sentinel"], None),
            [rules.join("deep").join(FILE_NAME), sentinel.join(FILE_NAME)]
        );
        assert_eq!(unused(&["."], None), Vec::<PathBuf>::new());
        // The one in use is not listed; nothing above the working directory is.
        assert_eq!(unused(&["sentinel/rules/a.yaml"], Some(&sentinel.join(FILE_NAME))), Vec::<PathBuf>::new());
        assert_eq!(unused_for(&[rules.join("a.yaml")], &sentinel, None), Vec::<PathBuf>::new());
    }
}
