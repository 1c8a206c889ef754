//! `sentinel-soar connections list PATH...`: the connections the playbooks under PATH declare
//! or use, one row each: key, display name, connector, status (Connected when every secret it
//! refers to is set in the environment, Error naming the missing variables otherwise) and the
//! playbooks that use it. Secret values are never printed.

use std::collections::BTreeMap;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::prelude::{load_files, Color, ReportFormat};
use super::report::{print_diagnostics, print_list, Exit};

/// Arguments of `connections`, as typed.
#[derive(Debug, Args)]
pub struct ConnectionsArgs {
    #[command(subcommand)]
    pub command: ConnectionsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConnectionsCommand {
    /// List connections with their status (Connected / Error) and the playbooks using them.
    List(ListArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 listed, 1 a playbook file has errors, 2 usage or unreadable paths.")]
pub struct ListArgs {
    /// Playbook files (YAML, Logic Apps JSON), directories or glob patterns.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Serialize)]
struct Row {
    key: String,
    display_name: String,
    connector: String,
    status: &'static str,
    /// Environment variables referenced but not set.
    missing: Vec<String>,
    playbooks: Vec<String>,
}

pub fn run(args: ConnectionsArgs, color: Color) -> anyhow::Result<Exit> {
    let ConnectionsCommand::List(args) = args.command;
    let mut loaded = load_files(&args.paths)?;
    print_diagnostics(&mut loaded.diagnostics, &loaded.sources, color);
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for playbook in &loaded.playbooks {
        for (key, api) in &playbook.connections {
            let declared = playbook.secrets.connections.get(key);
            let row = rows.entry(key.clone()).or_insert_with(|| Row {
                key: key.clone(),
                display_name: declared.map_or_else(|| key.clone(), |c| c.display_name.clone()),
                connector: api.clone(),
                status: "Connected",
                missing: Vec::new(),
                playbooks: Vec::new(),
            });
            for reference in declared.map(|c| c.secrets.as_slice()).unwrap_or_default() {
                if std::env::var_os(&reference.env).is_none() && !row.missing.contains(&reference.env) {
                    row.missing.push(reference.env.clone());
                }
            }
            if !row.missing.is_empty() {
                row.status = "Error";
            }
            if !row.playbooks.contains(&playbook.name) {
                row.playbooks.push(playbook.name.clone());
            }
        }
    }
    let rows: Vec<Row> = rows.into_values().collect();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let status = if r.missing.is_empty() {
                r.status.to_owned()
            } else {
                format!("Error: {} not set", r.missing.join(", "))
            };
            vec![r.key.clone(), r.display_name.clone(), r.connector.clone(), status, r.playbooks.join(", ")]
        })
        .collect();
    let errors = rows.iter().filter(|r| !r.missing.is_empty()).count();
    let footer = format!("{} connection(s), {errors} with errors", rows.len());
    let header = ["Connection", "Display name", "Connector", "Status", "Used by"];
    let doc = serde_json::json!({ "connections": rows });
    print_list(args.format == ReportFormat::Json, &doc, &header, table, &footer)?;
    Ok(if loaded.diagnostics.iter().any(|d| d.is_error()) { Exit::Findings } else { Exit::Success })
}
