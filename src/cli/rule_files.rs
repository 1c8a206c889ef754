//! Finding, reading and compiling rule files: paths, directories (recursively, `*.yaml` and
//! `*.yml`) and glob patterns, in a sorted order so the rule set never depends on how the
//! files were named on the command line.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::diagnostic::{Diagnostic, Sources};
use crate::rules::{self, codes, file::RuleFile, RuleSet};

/// Rules loaded from disk, with everything needed to report on them.
pub struct LoadedRules {
    pub set: RuleSet,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    /// Rule test files found under the paths (a top-level `tests:` key), as (path, text):
    /// they are not rules, and `validate` checks them with the test-file decoder.
    pub test_files: Vec<(String, String)>,
}

/// True when a YAML text is a rule test file rather than a rule file.
fn is_test_file(text: &str) -> bool {
    match rules::yaml::parse(text) {
        Ok(root) => match root.kind {
            rules::yaml::NodeKind::Map(entries) => entries.iter().any(|(k, _)| k.name == "tests"),
            _ => false,
        },
        Err(_) => false,
    }
}

fn is_rule_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read directory {}", dir.display()))?;
    for entry in entries {
        let path = entry.with_context(|| format!("cannot read directory {}", dir.display()))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_rule_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// Expands rule path arguments into files, sorted and de-duplicated.
pub fn expand(args: &[String]) -> anyhow::Result<Vec<PathBuf>> {
    let mut all = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        let mut found = Vec::new();
        if path.is_dir() {
            walk(path, &mut found)?;
            if found.is_empty() {
                bail!("no rule files (*.yaml, *.yml) under {arg}");
            }
        } else if path.exists() {
            found.push(path.to_path_buf());
        } else if arg.contains(['*', '?', '[']) {
            let paths = glob::glob(arg).with_context(|| format!("invalid glob pattern {arg}"))?;
            for p in paths {
                let p = p.with_context(|| format!("cannot read a match of {arg}"))?;
                if p.is_file() {
                    found.push(p);
                }
            }
            if found.is_empty() {
                bail!("no files match {arg}");
            }
        } else {
            bail!("rule path {arg} does not exist");
        }
        found.sort();
        all.extend(found);
    }
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|p| seen.insert(p.clone()));
    Ok(all)
}

/// Reads, decodes and compiles every rule file under `args`. I/O failures are errors (exit 2);
/// problems in the files are diagnostics.
pub fn load(args: &[String], options: &rules::Options) -> anyhow::Result<LoadedRules> {
    let paths = expand(args)?;
    let mut diagnostics = Vec::new();
    let mut sources = Sources::default();
    let mut files: Vec<RuleFile> = Vec::new();
    let mut test_files = Vec::new();
    for path in &paths {
        let display = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read rule file {display}"))?;
        let Ok(text) = String::from_utf8(bytes) else {
            diagnostics.push(Diagnostic::error(codes::UNREADABLE, &display, None, "the file is not UTF-8 text"));
            continue;
        };
        sources.insert(&display, &text);
        if is_test_file(&text) {
            test_files.push((display, text));
            continue;
        }
        files.push(rules::file::decode(&display, &text, &mut diagnostics));
    }
    let (set, compile_diags) = rules::compile(&files, options);
    diagnostics.extend(compile_diags);
    Ok(LoadedRules { set, diagnostics, sources, test_files })
}
