//! `sentinel-deployment.config`, read as Sentinel Repositories reads it: `excludecontentfiles`
//! (paths left out of the deployment, so not checked either), `parameterfilemappings` (per
//! workspace id, the parameter file each template deploys with) and `prioritizedcontentfiles`
//! (only checked for shape). Section names compare ignoring case; other sections are ignored,
//! as Sentinel ignores them. Paths are relative to the folder of the config file, the
//! repository root.
//!
//! Stage: spanned tree -> deployment settings.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::{Node, NodeKind};

/// One `sentinel-deployment.config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentConfig {
    /// The folder of the file: paths in it are relative to this.
    pub root: PathBuf,
    /// Files or folders left out of the deployment, resolved against `root`.
    pub exclude: Vec<PathBuf>,
    /// (workspace id lower-cased, template, parameter file), paths resolved against `root`.
    pub mappings: Vec<(String, PathBuf, PathBuf)>,
}

impl DeploymentConfig {
    /// True when `path` is under the config's root (the config applies to it).
    pub fn covers(&self, path: &Path) -> bool {
        normal(path).starts_with(&self.root)
    }

    /// True when the deployment leaves `path` out.
    pub fn excludes(&self, path: &Path) -> bool {
        let path = normal(path);
        self.exclude.iter().any(|e| path == *e || path.starts_with(e))
    }

    /// The parameter file the mappings give `template` for `workspace`.
    pub fn mapped(&self, template: &Path, workspace: &str) -> Option<&Path> {
        let template = normal(template);
        self.mappings
            .iter()
            .find(|(ws, t, _)| ws.eq_ignore_ascii_case(workspace) && *t == template)
            .map(|(_, _, p)| p.as_path())
    }
}

/// `path` with `.` and `..` removed lexically and `\` read as a separator, so paths written in
/// the config and paths found by walking compare equal.
pub fn normal(path: &Path) -> PathBuf {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = PathBuf::new();
    for c in Path::new(&text).components() {
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

/// Reads a parsed config; problems (RP003) go to `diags`.
pub fn read(path: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> DeploymentConfig {
    let dir = normal(Path::new(path).parent().unwrap_or(Path::new("")));
    let mut config = DeploymentConfig { root: dir.clone(), ..DeploymentConfig::default() };
    let mut bad = |node: &Node, message: String| {
        diags.push(Diagnostic::error(Code::RP003, path, Some(node.span), message));
    };
    let Some(entries) = root.entries() else {
        bad(root, format!("expected an object of sections, found {}", root.describe()));
        return config;
    };
    for (key, value) in entries {
        match key.name.to_ascii_lowercase().as_str() {
            section @ ("excludecontentfiles" | "prioritizedcontentfiles") => {
                let Some(items) = value.items() else {
                    bad(value, format!("`{}` is a list of paths, found {}", key.name, value.describe()));
                    continue;
                };
                for item in items {
                    match item.as_str() {
                        Some(p) if section == "excludecontentfiles" => config.exclude.push(normal(&dir.join(p))),
                        Some(_) => {}
                        None => bad(item, format!("a path in `{}` is text, found {}", key.name, item.describe())),
                    }
                }
            }
            "parameterfilemappings" => mappings(&dir, key.name.as_str(), value, &mut config, &mut bad),
            _ => {}
        }
    }
    config
}

fn mappings(
    dir: &Path,
    section: &str,
    value: &Node,
    config: &mut DeploymentConfig,
    bad: &mut dyn FnMut(&Node, String),
) {
    let Some(workspaces) = value.entries() else {
        bad(value, format!("`{section}` maps workspace ids to objects, found {}", value.describe()));
        return;
    };
    for (workspace, files) in workspaces {
        let NodeKind::Map(files) = &files.kind else {
            bad(
                files,
                format!(
                    "workspace `{}` maps template paths to parameter files, found {}",
                    workspace.name,
                    files.describe()
                ),
            );
            continue;
        };
        for (template, parameters) in files {
            match parameters.as_str() {
                Some(p) => config.mappings.push((
                    workspace.name.to_ascii_lowercase(),
                    normal(&dir.join(&template.name)),
                    normal(&dir.join(p)),
                )),
                None => bad(
                    parameters,
                    format!("the parameter file of `{}` is a path, found {}", template.name, parameters.describe()),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_read_and_unknown_ones_ignored() {
        let text = r#"{
  "prioritizedcontentfiles": ["Parsers/a.json"],
  "ExcludeContentFiles": ["Detections/old.yaml", "Workbooks"],
  "parameterfilemappings": { "WS-1": { "Playbooks/p.json": "Playbooks/p.ws1.json" } },
  "DummySection": "ignored"
}"#;
        let root = crate::syntax::json::parse(text).unwrap_or_else(|e| unreachable!("{e:?}"));
        let mut diags = Vec::new();
        let c = read("repo/sentinel-deployment.config", &root, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(c.excludes(Path::new("repo/Detections/old.yaml")));
        assert!(c.excludes(Path::new("repo/./Workbooks/w.json")));
        assert!(!c.excludes(Path::new("repo/Detections/new.yaml")));
        assert_eq!(c.mapped(Path::new("repo/Playbooks/p.json"), "ws-1"), Some(Path::new("repo/Playbooks/p.ws1.json")));
        assert!(c.covers(Path::new("repo/x.yaml")) && !c.covers(Path::new("other/x.yaml")));
        let root = crate::syntax::json::parse(r#"{"excludecontentfiles": "a.yaml"}"#)
            .unwrap_or_else(|e| unreachable!("{e:?}"));
        read("sentinel-deployment.config", &root, &mut diags);
        assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::RP003]);
    }
}
