//! Finding, reading and compiling rule files: paths, directories (recursively, `*.yaml` and
//! `*.yml`) and glob patterns, in a sorted order so the rule set never depends on how the
//! files were named on the command line.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::diagnostic::{Diagnostic, Sources, Span};
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

/// The error for a file that is not UTF-8, at the first bad byte (line and character column of
/// the valid text before it).
fn not_utf8(display: &str, e: &std::string::FromUtf8Error) -> Diagnostic {
    let bytes = e.as_bytes();
    let at = e.utf8_error().valid_up_to();
    let valid = std::str::from_utf8(bytes.get(..at).unwrap_or_default()).unwrap_or_default();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let line = valid.matches('\n').count() + 1;
    let column = valid.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    let byte = bytes.get(at).map_or(String::new(), |b| format!(" (byte 0x{b:02X})"));
    Diagnostic::error(
        codes::UNREADABLE,
        display,
        Some(Span { start: at, end: at, line, column }),
        format!("the file is not UTF-8 text{byte}"),
    )
    .with_help("save the file as UTF-8")
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
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                diagnostics.push(not_utf8(&display, &e));
                continue;
            }
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
