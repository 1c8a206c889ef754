//! `sentinel-soar import sentinel PATH... [--out DIR] [--param NAME=VALUE]`: Sentinel's
//! automation rule JSON (REST resources, lists, API examples, ARM templates) -> YAML rule files,
//! one per rule, named from the display name. Without `--out`, one `rules:` document goes to
//! standard output. Nothing is written when a rule has errors.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, Subcommand};

use crate::rules::{self, file::RuleDef};
use crate::sentinel;

use super::prelude::{write_file, Color, SentinelArgs};
use super::report::{print_diagnostics, Exit};
use super::rule_files;
use crate::workspace::Expect;

/// `import` and its source formats.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub format: ImportFormat,
}

/// Formats `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportFormat {
    /// Sentinel automation rule JSON (REST, API examples, ARM templates) -> YAML rule files.
    #[command(override_usage = "sentinel-soar import sentinel [OPTIONS] <PATH>...")]
    Sentinel(SentinelArgs),
}

/// Runs `import`.
pub fn run(args: ImportArgs, color: Color) -> anyhow::Result<Exit> {
    let ImportFormat::Sentinel(args) = args.format;
    let json: Vec<String> = rule_files::expand_named(&args.paths, "rule")?
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| sentinel::is_json_path(p))
        .map(|p| p.display().to_string())
        .collect();
    if json.is_empty() {
        bail!("no Sentinel JSON files (*.json) among {}", args.paths.join(" "));
    }
    let decoded = rule_files::decode(&json, &args.templates.options(Expect::AutomationRules))?;
    let mut diagnostics = decoded.diagnostics;
    let (_, compile) = rules::compile(&decoded.rule_files, &rules::Options::default());
    diagnostics.extend(compile);
    print_diagnostics(&mut diagnostics, &decoded.sources, color);
    if diagnostics.iter().any(|d| d.is_error()) {
        eprintln!("nothing was imported: fix the errors first");
        return Ok(Exit::Findings);
    }
    let rules: Vec<(&RuleDef, Option<&str>)> = decoded
        .rule_files
        .iter()
        .zip(&decoded.rule_ids)
        .flat_map(|(f, ids)| f.rules.iter().zip(ids.iter().map(Option::as_deref)))
        .collect();
    match &args.out {
        None => {
            let text = sentinel::import::rules_file(&rules);
            std::io::stdout().write_all(text.as_bytes()).context("cannot write to standard output")?;
        }
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_file() {
                bail!("--out {} is a file; import writes one file per rule into a directory", dir.display());
            }
            let names = sentinel::import::file_names(
                rules.iter().map(|(r, _)| r.name.as_ref().map_or("", |n| n.value.as_str())),
            );
            for ((rule, id), name) in rules.iter().zip(&names) {
                write_file(&dir.join(name), &sentinel::import::rule_file(rule, *id))?;
            }
            eprintln!("{} rule file(s) written to {}", names.len(), dir.display());
        }
    }
    Ok(Exit::Success)
}
