//! The command line: clap definitions (what was typed) and one module per command. Commands
//! turn the typed arguments into a resolved configuration (expanded paths, compiled rules,
//! parsed clock, output sinks) and run it. What commands share (flags, value parsers, the
//! colour choice, input readers) is in [`prelude`]; no command imports from another. The only
//! layer that prints.

mod apply;
mod completions;
mod connections;
mod dry_run;
mod explain;
mod explain_code;
mod export;
mod impact;
mod import;
mod mocks;
mod playbook;
mod prelude;
pub mod reference;
mod report;
mod rule_files;
mod rules_list;
mod runs;
mod schema;
mod suppress;
mod test;
mod validate;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use prelude::{usage, Color, ColorChoice};
pub use report::Exit;

/// Microsoft Sentinel automation rules and playbooks, offline and deterministic.
#[derive(Debug, Parser)]
#[command(name = "sentinel-soar", bin_name = "sentinel-soar", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour diagnostics and test results.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, display_order = 1000)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply automation rules to incidents and write the incidents and an audit log.
    Apply(Box<apply::ApplyArgs>),
    /// Check rule files or a whole content repository (automation rules, playbooks, analytic rules, rule tests, mocks, settings) and report every finding (human, JSON, SARIF, JUnit, GitHub, Azure DevOps or GitLab output).
    Validate(validate::ValidateArgs),
    /// Run rule test files: incidents with the outcome the rules must produce.
    Test(test::TestArgs),
    /// Compare two rule sets on the same incidents: what a rule change does, per incident, by field and by rule.
    Impact(impact::ImpactArgs),
    /// Inspect rule sets.
    Rules(rules_list::RulesArgs),
    /// Write a rule that suppresses incidents like the given one until a date.
    Suppress(suppress::SuppressArgs),
    /// Explain, rule by rule, why each rule did or did not change an incident.
    Explain(explain::ExplainArgs),
    /// Print the JSON Schema of a file format, for editors (yaml-language-server).
    Schema(schema::SchemaArgs),
    /// Convert rules from another format into YAML rule files.
    Import(import::ImportArgs),
    /// Convert rule files into another format.
    Export(export::ExportArgs),
    /// Run playbooks offline on an incident or alert (mocked connectors, simulated clock); list, show, enable and disable them.
    Playbook(playbook::PlaybookArgs),
    /// Write mocks for playbooks, inferred from how each playbook reads its calls' outputs.
    Mocks(mocks::MocksArgs),
    /// List the connections playbooks use, with their status.
    Connections(connections::ConnectionsArgs),
    /// The playbook run history: list runs and show one.
    Runs(runs::RunsArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
}

/// The command line as help, the reference and completions show it: the clap definitions of
/// [`Cli`], every usage line naming the program `sentinel-soar`.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Parses the process arguments and runs the command; the colour is decided here, once.
pub fn run() -> anyhow::Result<Exit> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = match command().try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => {
            // Help and version come from the definitions as they are; what they refuse is read
            // again with the other commands' spellings accepted (hidden), so that those are
            // refused by name, with the command line that works ([`usage::misplaced`]).
            if let Ok(lenient) = usage::parser(command()).try_get_matches_from(&args) {
                usage::misplaced(&lenient)?;
            }
            error.exit()
        }
    };
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let color = Color::resolve(cli.color);
    match cli.command {
        Command::Apply(args) => apply::run(*args, color),
        Command::Validate(args) => validate::run(args, color),
        Command::Test(args) => test::run(args, color),
        Command::Impact(args) => impact::run(args, color),
        Command::Rules(args) => rules_list::run(args, color),
        Command::Suppress(args) => suppress::run(args),
        Command::Explain(args) => explain::run(args, color),
        Command::Schema(args) => schema::run(args),
        Command::Import(args) => import::run(args, color),
        Command::Export(args) => export::run(args, color),
        Command::Playbook(args) => playbook::run(args, color),
        Command::Mocks(args) => mocks::run(args, color),
        Command::Connections(args) => connections::run(args, color),
        Command::Runs(args) => runs::run(args, color),
        Command::Completions(args) => completions::run(args),
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
