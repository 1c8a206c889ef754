//! Paths as every output names them: relative to the working directory when the file is under
//! it, without `./` (`validate .` reports `AutomationRules/a.yaml`, as `validate
//! AutomationRules` does), and absolute paths lexically normalised for comparison (no `.`,
//! `..` folded into its parent), which configuration globs are matched against.
//!
//! Stage: io, a leaf (reads the working directory, never the file system otherwise).

use std::path::{Component, Path, PathBuf};

/// The name messages give a file: `path` relative to the working directory when it is under it
/// (an absolute path outside it stays absolute), with no `.` component.
pub fn display(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    display_from(path, cwd.as_deref())
}

/// [`display`] against a given working directory.
pub fn display_from(path: &Path, cwd: Option<&Path>) -> String {
    if path.is_absolute() {
        if let Some(rest) = cwd.and_then(|cwd| normal(path).strip_prefix(normal(cwd)).ok().map(Path::to_path_buf)) {
            if rest.as_os_str().is_empty() {
                return ".".to_owned();
            }
            return rest.display().to_string();
        }
        return path.display().to_string();
    }
    let kept: PathBuf = path.components().filter(|c| !matches!(c, Component::CurDir)).collect();
    if kept.as_os_str().is_empty() {
        return ".".to_owned();
    }
    kept.display().to_string()
}

/// `path` made absolute against the working directory and lexically normalised.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return normal(path);
    }
    match std::env::current_dir() {
        Ok(cwd) => normal(&cwd.join(path)),
        Err(_) => normal(path),
    }
}

/// Drops `.` components and folds `..` into the component before it (lexically: a symbolic
/// link is not followed).
pub fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_relative_to_the_working_directory_without_dot() {
        let cwd = Some(Path::new("/repo"));
        let shown = |p: &str| display_from(Path::new(p), cwd);
        assert_eq!(shown("./AutomationRules/a.yaml"), "AutomationRules/a.yaml");
        assert_eq!(shown("AutomationRules/./a.yaml"), "AutomationRules/a.yaml");
        assert_eq!(shown("/repo/Playbooks/p.json"), "Playbooks/p.json");
        assert_eq!(shown("/repo/./x/../Playbooks/p.json"), "Playbooks/p.json");
        assert_eq!(shown("/elsewhere/p.json"), "/elsewhere/p.json");
        assert_eq!(shown("../up/p.json"), "../up/p.json");
        assert_eq!(shown("."), ".");
        assert_eq!(shown("/repo"), ".");
    }

    #[test]
    fn normal_folds_parents_lexically() {
        assert_eq!(normal(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normal(Path::new("../a/b/..")), PathBuf::from("../a"));
    }
}
