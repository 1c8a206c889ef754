//! Template parameters as a deployment gives them. A template's parameter file is found the way
//! Sentinel Repositories finds it: the `parameterfilemappings` of `sentinel-deployment.config`
//! for the workspace, then `<template>.parameters-<workspaceId>.json`, then
//! `<template>.parameters.json` beside the template. Its values come first, then those of
//! `--params-file` files, then `--param NAME=VALUE`, each overriding the one before.
//!
//! Values are handed to the ARM layer as text: strings as they are, anything else as JSON text,
//! which [`crate::arm::Template`] reads back by the parameter's declared type.
//!
//! Stage: spanned tree -> parameter values; finding a parameter file looks at the file system.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::{Node, NodeKind};

use super::config::DeploymentConfig;

/// A parameter's value as text.
pub type Param = (String, String);

/// The parameter file a template deploys with, if one exists: the config's mapping for the
/// workspace, then `<stem>.parameters-<workspace>.json`, then `<stem>.parameters.json`.
pub fn parameter_file(template: &Path, configs: &[DeploymentConfig], workspace: Option<&str>) -> Option<PathBuf> {
    if let Some(ws) = workspace {
        let config = configs.iter().filter(|c| c.covers(template)).max_by_key(|c| c.root.components().count());
        if let Some(mapped) = config.and_then(|c| c.mapped(template, ws)) {
            return Some(mapped.to_path_buf());
        }
    }
    let stem = template.file_stem()?.to_string_lossy().into_owned();
    let beside = |name: String| template.with_file_name(name);
    if let Some(ws) = workspace {
        let specific = beside(format!("{stem}.parameters-{ws}.json"));
        if specific.is_file() {
            return Some(specific);
        }
    }
    let default = beside(format!("{stem}.parameters.json"));
    default.is_file().then_some(default)
}

/// True for a file name that is a parameter file of another template (`x.parameters.json`,
/// `x.parameters-<id>.json`): never a template itself.
pub fn is_parameter_file_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase();
    name.ends_with(".parameters.json") || name.contains(".parameters-")
}

/// The values of a parsed parameter file; problems (RP004) go to `diags`.
pub fn values(path: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> Vec<Param> {
    let Some(NodeKind::Map(entries)) = root.get_ignore_case("parameters").map(|p| &p.kind) else {
        let message = "not a deployment parameters file: expected a `parameters` object";
        diags.push(
            Diagnostic::error(Code::RP004, path, Some(root.start()), message)
                .with_help("write {\"parameters\": {\"NAME\": {\"value\": ...}}}"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, entry) in entries {
        match entry.get_ignore_case("value") {
            Some(value) => out.push((key.name.clone(), text(value))),
            None if entry.get_ignore_case("reference").is_some() => {}
            None => diags.push(
                Diagnostic::error(
                    Code::RP004,
                    path,
                    Some(entry.span),
                    format!("parameter `{}` has no `value`", key.name),
                )
                .with_help(format!("write \"{}\": {{\"value\": ...}}", key.name)),
            ),
        }
    }
    out
}

/// A value as the text `--param` would give it.
fn text(value: &Node) -> String {
    match &value.kind {
        NodeKind::Str(s) => s.clone(),
        _ => value.to_value().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_files_are_found_as_sentinel_repositories_finds_them() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let t = dir.path().join("playbook.json");
        let write = |name: &str| std::fs::write(dir.path().join(name), "{}").unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(parameter_file(&t, &[], None), None);
        write("playbook.parameters.json");
        write("playbook.parameters-ws1.json");
        assert_eq!(parameter_file(&t, &[], None), Some(dir.path().join("playbook.parameters.json")));
        assert_eq!(parameter_file(&t, &[], Some("ws1")), Some(dir.path().join("playbook.parameters-ws1.json")));
        assert_eq!(parameter_file(&t, &[], Some("ws2")), Some(dir.path().join("playbook.parameters.json")));
        let root = crate::workspace::config::normal(dir.path());
        let mapped = root.join("other.json");
        let config = DeploymentConfig {
            root: root.clone(),
            exclude: Vec::new(),
            mappings: vec![("ws1".into(), root.join("playbook.json"), mapped.clone())],
        };
        assert_eq!(parameter_file(&t, &[config], Some("WS1")), Some(mapped));
        assert!(is_parameter_file_name(Path::new("a/azuredeploy.parameters-1234.json")));
        assert!(!is_parameter_file_name(Path::new("a/azuredeploy.json")));
    }

    #[test]
    fn values_become_text() {
        let src = r#"{"parameters": {"a": {"value": "x"}, "n": {"value": 3}, "o": {"value": {"k": [1]}}, "kv": {"reference": {}}, "bad": {}}}"#;
        let root = crate::syntax::json::parse(src).unwrap_or_else(|e| unreachable!("{e:?}"));
        let mut diags = Vec::new();
        let got = values("p.json", &root, &mut diags);
        let want: Vec<Param> =
            vec![("a".into(), "x".into()), ("n".into(), "3".into()), ("o".into(), r#"{"k":[1]}"#.into())];
        assert_eq!(got, want);
        assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), [Code::RP004]);
    }
}
