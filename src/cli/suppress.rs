//! `sentinel-soar suppress --incident PATH --until DATE`: writes a suppression rule (YAML) for
//! the incident, scoped to its analytics rules, matching its title (and with `--entities` its
//! entities), closing matches as BenignPositive / SuspiciousButExpected until DATE. The rule is
//! compiled before it is written, so what is written always loads.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use clap::Args;

use crate::io::AtomicFile;
use crate::model::Incident;
use crate::rules::suppress::{self, Suppression};
use crate::rules::{self, file};

use super::prelude::inputs::label;
use super::prelude::{parse, read_one};
use super::report::Exit;

/// Arguments of `suppress`, as typed.
#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 written, 2 usage or unreadable input.")]
pub struct SuppressArgs {
    /// The incident to suppress (a file holding one incident, in any shape `apply` reads), or -
    /// for standard input.
    #[arg(long, visible_alias = "incidents", value_name = "PATH|-")]
    pub incident: String,
    /// When the rule stops: RFC 3339, or a date (YYYY-MM-DD) meaning 23:59:59Z that day.
    #[arg(long, value_name = "DATE", value_parser = parse::until)]
    pub until: chrono::DateTime<chrono::Utc>,
    /// The rule's name (default: "Suppress: <title>").
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Also match the incident's entities (hosts, IPs, accounts, mailboxes, URLs, hashes,
    /// domains, Azure resources): every kind present must match one of its values.
    #[arg(long)]
    pub entities: bool,
    /// Where to write the rule file, or - for standard output.
    #[arg(long, value_name = "PATH|-", default_value = "-")]
    pub out: String,
    /// The rule's order (1..1000); the default runs it after the other rules.
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub order: u32,
}

/// Runs `suppress`.
pub fn run(args: SuppressArgs) -> anyhow::Result<Exit> {
    let incident = read_incident(&args.incident)?;
    let options = suppress::Options { name: args.name, until: args.until, order: args.order, entities: args.entities };
    let rule = Suppression::from_incident(&incident, &options)
        .map_err(|e| anyhow::anyhow!("{}: {e}", label(&args.incident)))?;
    if rule.analytics_rules.is_empty() {
        eprintln!("warning: the incident names no analytics rule; the suppression applies to every analytics rule");
    }
    if args.entities && rule.conditions.len() == 1 {
        eprintln!("warning: the incident has no entities to match; only the title is matched");
    }
    let yaml = rule.to_yaml();
    let mut diags = Vec::new();
    let decoded = file::decode("<suppression>", &yaml, &mut diags);
    let (_, more) = rules::compile(&[decoded], &rules::Options::default());
    diags.extend(more);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        bail!("the generated rule does not load ({}: {}); please report this", d.code, d.message);
    }
    if args.out == "-" {
        std::io::stdout().lock().write_all(yaml.as_bytes()).context("cannot write the rule")?;
    } else {
        let mut out =
            AtomicFile::create(Path::new(&args.out)).with_context(|| format!("cannot create {}", args.out))?;
        out.write_all(yaml.as_bytes())
            .and_then(|()| out.commit())
            .with_context(|| format!("cannot write {}", args.out))?;
        eprintln!("wrote {} ({})", args.out, rule.name);
    }
    Ok(Exit::Success)
}

/// The one incident in `path`.
fn read_incident(path: &str) -> anyhow::Result<Incident> {
    let value = read_one(path).map_err(|e| anyhow::anyhow!("{e}"))?;
    Incident::from_value(value).map_err(|e| anyhow::anyhow!("{}: not a usable incident: {e}", label(path)))
}
