//! `playbook show NAME|PATH`: one playbook as loaded: name, file, trigger, state, resource
//! group, description, connections, parameters and the step tree (each action's type, connector
//! and `runAfter`, nested blocks of If / Switch / Foreach / Until / Scope). Found as `playbook
//! run` finds it. Secrets appear only as references (`env: NAME`): nothing here reads the
//! environment, and the values of Logic Apps secure parameters are left out. `--format json`
//! prints the same document for tools.

use std::io::Write;

use anyhow::Context;
use clap::Args;

use crate::cli::prelude::{Color, ReportFormat, TemplateArgs};
use crate::cli::report::{print_diagnostics, Exit};

use super::Target;

/// Arguments of `playbook show`, as typed.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 shown, 1 the playbook file has errors, 2 usage, unknown name or unreadable file."
)]
pub struct ShowArgs {
    #[command(flatten)]
    pub target: Target,
    #[command(flatten)]
    pub templates: TemplateArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

pub fn run(args: ShowArgs, color: Color) -> anyhow::Result<Exit> {
    let (playbook, mut loaded) = args.target.find("playbook show", &[], &args.templates)?;
    print_diagnostics(&mut loaded.diagnostics, &loaded.sources, color);
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        eprintln!("{}: the playbook has errors; fix them to show it", playbook.source.path);
        return Ok(Exit::Findings);
    }
    let shown = super::shown::shown(&playbook);
    let mut out = std::io::stdout().lock();
    if args.format == ReportFormat::Json {
        serde_json::to_writer_pretty(&mut out, &shown).context("cannot write the playbook")?;
        writeln!(out).context("cannot write the playbook")?;
    } else {
        super::outline::write(&mut out, &shown).context("cannot write the playbook")?;
    }
    Ok(Exit::Success)
}
