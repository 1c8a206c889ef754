//! `sentinel-soar export sentinel PATH... [--out FILE] [--param NAME=VALUE]`: rule files (YAML,
//! or Sentinel JSON) -> one deployable ARM template with the workspace as its `workspace`
//! parameter. The rules are compiled as `validate --sentinel` does, so extension operators
//! (Matches, InCidr, ...) are errors that name them; nothing is written when there are errors.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use clap::Args;

use crate::rules;
use crate::sentinel::{self, export::Source};

use super::prelude::{write_file, Color, SentinelArgs};
use super::report::{print_diagnostics, Exit};
use super::rule_files;
use crate::workspace::Expect;

/// `export` and its target formats.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub format: ExportFormat,
}

/// Formats `export` writes.
#[derive(Debug, clap::Subcommand)]
pub enum ExportFormat {
    /// Rule files -> a deployable ARM template of Sentinel automation rules.
    #[command(override_usage = "sentinel-soar export sentinel [OPTIONS] <PATH>...")]
    Sentinel(SentinelArgs),
}

/// Runs `export`.
pub fn run(args: ExportArgs, color: Color) -> anyhow::Result<Exit> {
    let ExportFormat::Sentinel(args) = args.format;
    let decoded = rule_files::decode(&args.paths, &args.templates.options(Expect::Rules))?;
    let mut diagnostics = decoded.diagnostics;
    let (_, compile) = rules::compile(&decoded.rule_files, &rules::Options { now: None, sentinel: true });
    diagnostics.extend(compile);
    if !diagnostics.iter().any(|d| d.is_error()) {
        let sources: Vec<Source<'_>> = decoded
            .rule_files
            .iter()
            .zip(&decoded.rule_ids)
            .flat_map(|(f, ids)| {
                f.rules.iter().zip(ids).map(|(rule, id)| Source { path: &f.path, rule, id: id.as_deref() })
            })
            .collect();
        let template = sentinel::export::template(&sources, &mut diagnostics);
        if !diagnostics.iter().any(|d| d.is_error()) {
            print_diagnostics(&mut diagnostics, &decoded.sources, color);
            let mut text = serde_json::to_string_pretty(&template).context("cannot encode the template")?;
            text.push('\n');
            match &args.out {
                Some(path) if path != "-" => {
                    write_file(Path::new(path), &text)?;
                    eprintln!("{} rule(s) written to {path}", sources.len());
                }
                _ => std::io::stdout().write_all(text.as_bytes()).context("cannot write to standard output")?,
            }
            return Ok(Exit::Success);
        }
    }
    print_diagnostics(&mut diagnostics, &decoded.sources, color);
    eprintln!("nothing was exported: fix the errors first");
    Ok(Exit::Findings)
}
