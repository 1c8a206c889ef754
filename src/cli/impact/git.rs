//! `--base git:REV [PATH...]`: the base rules as they are at a git revision, read through the
//! `git` command (which must be installed), so a pull request job compares its rules with the
//! target branch's in one command.
//!
//! The paths are those given after the revision, or else the `--head` paths, relative to the
//! current directory (which must be inside the repository), and they are looked up at the
//! revision as `--head` looks them up on disk: a file, a directory (its `*.yaml`, `*.yml` and
//! `*.json` files, recursively) or a glob pattern. Each file is named `REV:PATH` in messages,
//! PATH from the repository root (git's own notation). A revision that does not exist, a path
//! that does not exist there, a missing `git` or a directory outside a repository is an error
//! (exit 2).
//!
//! Stage: CLI (reading inputs).

use std::path::{Component, Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

use crate::workspace::Source;

/// The prefix that makes a `--base` value a git revision.
pub const PREFIX: &str = "git:";

/// The extensions of rule files found under a directory.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Where the base rules come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// Files, directories or globs on disk.
    Paths(Vec<String>),
    /// These paths at a git revision.
    Git { rev: String, paths: Vec<String> },
}

impl Base {
    /// Reads `--base` as typed: `git:REV` first, then optional paths (the `--head` paths when
    /// none); or paths.
    pub fn of(base: &[String], head: &[String]) -> anyhow::Result<Base> {
        let git = |v: &String| v.strip_prefix(PREFIX).map(str::to_owned);
        if let Some(later) = base.iter().skip(1).find(|v| v.starts_with(PREFIX)) {
            bail!("--base {later}: a git revision comes first, as in --base git:REV [PATH...], and only one");
        }
        match base.split_first() {
            Some((first, rest)) => match git(first) {
                Some(rev) if rev.is_empty() || rev.starts_with('-') => {
                    bail!("--base {first}: give a revision after git:, as in --base git:origin/main")
                }
                Some(rev) => Ok(Base::Git { rev, paths: if rest.is_empty() { head.to_vec() } else { rest.to_vec() } }),
                None => Ok(Base::Paths(base.to_vec())),
            },
            None => Ok(Base::Paths(Vec::new())),
        }
    }

    /// How reports name it: the paths, or `git:REV`.
    pub fn label(&self) -> String {
        match self {
            Base::Paths(paths) => paths.join(" "),
            Base::Git { rev, .. } => format!("{PREFIX}{rev}"),
        }
    }
}

/// Runs `git ARGS` in the current directory; its standard output, or why it failed.
fn git(rev: &str, args: &[&str]) -> anyhow::Result<Result<Vec<u8>, String>> {
    let output = match Command::new("git").args(args).output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("--base git:{rev} reads the rules through the git command, which is not installed (or not on PATH)")
        }
        Err(e) => return Err(e).with_context(|| format!("--base git:{rev}: cannot run git")),
    };
    if output.status.success() {
        return Ok(Ok(output.stdout));
    }
    let message = String::from_utf8_lossy(&output.stderr);
    let first = message.lines().map(|l| l.trim_start_matches("fatal: ")).find(|l| !l.trim().is_empty());
    Ok(Err(first.unwrap_or("git failed").to_owned()))
}

/// The text of git's answer, without the closing newline.
fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim_end_matches('\n').to_owned()
}

/// Every rule file of `paths` at `rev`.
pub fn read(rev: &str, paths: &[String]) -> anyhow::Result<Vec<Source>> {
    let at = format!("{PREFIX}{rev}");
    let prefix = git(rev, &["rev-parse", "--show-prefix"])?
        .map_err(|e| anyhow::anyhow!("--base {at}: the current directory is not in a git repository ({e})"))?;
    let prefix = text(prefix);
    let commit = git(rev, &["rev-parse", "--verify", "--quiet", "--end-of-options", &format!("{rev}^{{commit}}")])?
        .map_err(|_| {
            anyhow::anyhow!(
                "--base {at}: the repository has no revision {rev} (a shallow CI checkout may need it fetched: git fetch origin <branch>, or actions/checkout with fetch-depth: 0)"
            )
        })?;
    let commit = text(commit);
    let listing = git(rev, &["ls-tree", "-r", "-z", "--full-name", "--name-only", &commit])?
        .map_err(|e| anyhow::anyhow!("--base {at}: cannot list the files of {rev} ({e})"))?;
    let files: Vec<String> =
        listing.split(|b| *b == 0).filter(|f| !f.is_empty()).map(|f| String::from_utf8_lossy(f).into_owned()).collect();
    let toplevel = || -> anyhow::Result<PathBuf> {
        let top = git(rev, &["rev-parse", "--show-toplevel"])?.map_err(|e| anyhow::anyhow!("--base {at}: {e}"))?;
        Ok(PathBuf::from(text(top)))
    };
    let mut found: Vec<(String, bool)> = Vec::new();
    for arg in paths {
        let path = in_repository(arg, &prefix, &toplevel)
            .ok_or_else(|| anyhow::anyhow!("--base {at}: {arg} is outside the repository"))?;
        found.extend(select(&files, &path, arg).map_err(|e| anyhow::anyhow!("--base {at}: {e}"))?);
    }
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|(f, _)| seen.insert(f.clone()));
    let mut sources = Vec::new();
    for (file, walked) in found {
        let bytes = git(rev, &["cat-file", "blob", &format!("{commit}:{file}")])?
            .map_err(|e| anyhow::anyhow!("--base {at}: cannot read {file} ({e})"))?;
        sources.push(Source { label: format!("{rev}:{file}"), walked, bytes });
    }
    Ok(sources)
}

/// `arg` (relative to the current directory, `prefix` below the repository root, or absolute)
/// as a path from the repository root, `/`-separated; `None` outside the repository.
fn in_repository(arg: &str, prefix: &str, toplevel: &dyn Fn() -> anyhow::Result<PathBuf>) -> Option<String> {
    let path = Path::new(arg);
    let relative = if path.is_absolute() {
        let top = toplevel().ok()?;
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        match path.strip_prefix(&top) {
            Ok(rest) => rest.to_path_buf(),
            Err(_) => canonical(path).strip_prefix(canonical(&top)).ok()?.to_path_buf(),
        }
    } else {
        Path::new(prefix).join(path)
    };
    let mut parts: Vec<String> = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir | Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(parts.join("/"))
}

/// A rule file by its extension (case-insensitively).
fn is_rule_file(file: &str) -> bool {
    file.rsplit_once('.').is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// The files of `files` that `path` (from the root; `arg` as typed) names, sorted, each with
/// whether it was found by walking a directory.
fn select(files: &[String], path: &str, arg: &str) -> Result<Vec<(String, bool)>, String> {
    let mut out: Vec<(String, bool)> = Vec::new();
    if arg.contains(['*', '?', '[']) {
        let pattern = glob::Pattern::new(path).map_err(|e| format!("invalid glob pattern {arg}: {e}"))?;
        out.extend(files.iter().filter(|f| pattern.matches(f)).map(|f| (f.clone(), false)));
        if out.is_empty() {
            return Err(format!("no files match {arg} at that revision"));
        }
    } else if files.iter().any(|f| f == path) {
        out.push((path.to_owned(), false));
    } else {
        let dir = if path.is_empty() { String::new() } else { format!("{path}/") };
        let under: Vec<&String> = files.iter().filter(|f| f.starts_with(&dir)).collect();
        if under.is_empty() {
            return Err(format!("rule path {arg} does not exist at that revision"));
        }
        out.extend(under.into_iter().filter(|f| is_rule_file(f)).map(|f| (f.clone(), true)));
        if out.is_empty() {
            return Err(format!("no rule files (*.yaml, *.yml, *.json) under {arg} at that revision"));
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn base_is_a_revision_first_or_paths() {
        let head = owned(&["rules/"]);
        assert_eq!(
            Base::of(&owned(&["git:origin/main"]), &head).unwrap(),
            Base::Git { rev: "origin/main".into(), paths: head.clone() }
        );
        assert_eq!(
            Base::of(&owned(&["git:HEAD~1", "old/"]), &head).unwrap(),
            Base::Git { rev: "HEAD~1".into(), paths: owned(&["old/"]) }
        );
        assert_eq!(Base::of(&owned(&["a.yaml"]), &head).unwrap(), Base::Paths(owned(&["a.yaml"])));
        assert!(Base::of(&owned(&["git:"]), &head).unwrap_err().to_string().contains("give a revision after git:"));
        assert!(Base::of(&owned(&["a.yaml", "git:x"]), &head).unwrap_err().to_string().contains("comes first"));
    }

    #[test]
    fn paths_are_taken_from_the_repository_root() {
        let top = || -> anyhow::Result<PathBuf> { Ok(PathBuf::from("/repo")) };
        assert_eq!(in_repository("rules/", "", &top).as_deref(), Some("rules"));
        assert_eq!(in_repository("./a/../rules", "sub/", &top).as_deref(), Some("sub/rules"));
        assert_eq!(in_repository("..", "sub/", &top).as_deref(), Some(""));
        assert_eq!(in_repository("../..", "sub/", &top), None);
        assert_eq!(in_repository("/repo/rules/a.yaml", "", &top).as_deref(), Some("rules/a.yaml"));
    }

    #[test]
    fn files_directories_and_globs_are_found_as_on_disk() {
        let files = owned(&["README.md", "rules/a.yaml", "rules/b.json", "rules/notes.txt", "x/y.yml"]);
        let walked = |v: &[&str]| v.iter().map(|f| ((*f).to_owned(), true)).collect::<Vec<_>>();
        assert_eq!(select(&files, "rules", "rules/").unwrap(), walked(&["rules/a.yaml", "rules/b.json"]));
        assert_eq!(select(&files, "rules/a.yaml", "rules/a.yaml").unwrap(), [("rules/a.yaml".to_owned(), false)]);
        assert_eq!(select(&files, "", ".").unwrap(), walked(&["rules/a.yaml", "rules/b.json", "x/y.yml"]));
        assert_eq!(select(&files, "*/*.y*ml", "*/*.y*ml").unwrap().len(), 2);
        assert_eq!(select(&files, "nope", "nope").unwrap_err(), "rule path nope does not exist at that revision");
        assert!(select(&files, "README.md/", "README.md/").is_err());
    }
}
