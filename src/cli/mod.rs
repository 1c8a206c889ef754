//! The command line: clap definitions (what was typed) and one module per command. Commands
//! turn the typed arguments into a resolved configuration (expanded paths, compiled rules,
//! parsed clock, output sinks) and run it. The only layer that prints.

mod apply;
mod dry_run;
mod export;
mod import;
mod report;
mod rule_files;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use report::Exit;

/// Microsoft Sentinel automation rules and playbooks, offline and deterministic.
#[derive(Debug, Parser)]
#[command(name = "sentinel-soar", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply automation rules to incidents and write the incidents and an audit log.
    Apply(apply::ApplyArgs),
    /// Convert rules from another format into YAML rule files.
    Import(import::ImportArgs),
    /// Convert rule files into another format.
    Export(export::ExportArgs),
}

/// Parses the process arguments and runs the command.
pub fn run() -> anyhow::Result<Exit> {
    let cli = Cli::parse();
    match cli.command {
        Command::Apply(args) => apply::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
