//! The command line: clap definitions (what was typed) and one module per command. Commands
//! turn the typed arguments into a resolved configuration (expanded paths, compiled rules,
//! parsed clock, output sinks) and run it. The only layer that prints.

mod apply;
mod dry_run;
mod explain;
mod report;
mod rule_files;
mod schema;

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
    /// Explain, rule by rule, why each rule did or did not change an incident.
    Explain(explain::ExplainArgs),
    /// Print the JSON Schema of a file format, for editors (yaml-language-server).
    Schema(schema::SchemaArgs),
}

/// Parses the process arguments and runs the command.
pub fn run() -> anyhow::Result<Exit> {
    let cli = Cli::parse();
    match cli.command {
        Command::Apply(args) => apply::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Schema(args) => schema::run(args),
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
