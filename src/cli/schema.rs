//! `sentinel-soar schema rules|playbooks|tests|config`: prints the JSON Schema (draft-07) of a
//! file format for editors such as VS Code's YAML extension (yaml-language-server) and Even
//! Better TOML (Taplo). Each schema is generated from its decoder's own tables
//! ([`crate::rules::schema`], [`crate::playbook::schema`], [`crate::ruletest::schema`],
//! [`crate::config::schema`]); `schemas/rules.schema.json`, `schemas/playbooks.schema.json`,
//! `schemas/tests.schema.json` and `schemas/config.schema.json` are this output.

use std::io::Write;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::report::Exit;

/// Which file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Automation rule files (YAML).
    Rules,
    /// YAML playbooks (Logic Apps JSON follows Microsoft's workflow definition schema).
    Playbooks,
    /// Rule test files (YAML), run by `sentinel-soar test`.
    Tests,
    /// sentinel-soar.toml, the repository's configuration.
    Config,
}

/// Arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The file format.
    #[arg(value_enum)]
    pub kind: SchemaKind,
}

/// The schema text: pretty JSON and a final newline.
pub fn text(kind: SchemaKind) -> anyhow::Result<String> {
    let schema = match kind {
        SchemaKind::Rules => crate::rules::schema::rules(),
        SchemaKind::Playbooks => crate::playbook::schema::playbooks(),
        SchemaKind::Tests => crate::ruletest::schema::tests(),
        SchemaKind::Config => crate::config::schema::config(),
    };
    let mut text = serde_json::to_string_pretty(&schema).context("cannot serialize the schema")?;
    text.push('\n');
    Ok(text)
}

/// Runs `schema`.
pub fn run(args: SchemaArgs) -> anyhow::Result<Exit> {
    let text = text(args.kind)?;
    std::io::stdout().lock().write_all(text.as_bytes()).context("cannot write the schema")?;
    Ok(Exit::Success)
}
