//! `playbook show` for people: the details as aligned lines, connections and parameters as
//! tables (borders on a terminal, plain columns in a pipe, as the lists print), and the steps
//! as a tree drawn like the run log's: each action with its type, connector and `runAfter`
//! (`at start` when a later step has none and so starts with its scope), the branches of If and Switch as labelled nodes, the actions of Foreach, Until and Scope
//! right under them.

use std::io::{self, Write};

use crate::playbook::model::Status;

use super::shown::{BlockDoc, Shown, StepDoc};
use super::tree::{branch, cut};
use crate::cli::report::{new_table, write_table};

/// Writes the whole outline.
pub fn write(out: &mut impl Write, shown: &Shown) -> io::Result<()> {
    let trigger = shown.trigger.as_ref().map_or_else(
        || "none".to_owned(),
        |t| {
            let kind = if t.class.eq_ignore_ascii_case(t.kind) { String::new() } else { format!(" ({})", t.kind) };
            format!("{}{kind}: {} ({})", t.class, t.name, t.type_name)
        },
    );
    let details = [
        ("Playbook", shown.name.clone()),
        ("File", shown.file.clone()),
        ("Trigger", trigger),
        ("State", if shown.enabled { "enabled" } else { "disabled" }.to_owned()),
        ("Resource group", shown.resource_group.clone().unwrap_or_else(|| "-".to_owned())),
        ("Description", shown.description.clone().unwrap_or_else(|| "-".to_owned())),
    ];
    for (label, value) in details {
        writeln!(out, "{label:<16}{value}")?;
    }
    writeln!(out)?;
    if shown.connections.is_empty() {
        writeln!(out, "Connections: none")?;
    } else {
        writeln!(out, "Connections")?;
        let mut table = new_table(["Name", "Connector", "Display name", "Secrets"]);
        for c in &shown.connections {
            let secrets: Vec<String> = c.secrets.iter().map(|s| format!("{}: env: {}", s.field, s.env)).collect();
            table.add_row([
                c.name.clone(),
                c.connector.clone(),
                c.display_name.clone().unwrap_or_else(|| "-".to_owned()),
                if secrets.is_empty() { "-".to_owned() } else { secrets.join(", ") },
            ]);
        }
        write_table(out, &table)?;
    }
    writeln!(out)?;
    if shown.parameters.is_empty() {
        writeln!(out, "Parameters: none")?;
    } else {
        writeln!(out, "Parameters")?;
        let mut table = new_table(["Name", "Value"]);
        for p in &shown.parameters {
            let value = match (&p.env, &p.value) {
                (Some(env), _) if p.secret => format!("secret, env: {env}"),
                _ if p.secret => "secure parameter (value not shown)".to_owned(),
                (_, Some(v)) => cut(v),
                _ => "null".to_owned(),
            };
            table.add_row([p.name.clone(), value]);
        }
        write_table(out, &table)?;
    }
    writeln!(out)?;
    writeln!(out, "Steps ({} action(s))", shown.actions)?;
    steps(out, &shown.steps, "")
}

fn steps(out: &mut impl Write, items: &[StepDoc], prefix: &str) -> io::Result<()> {
    for (i, step) in items.iter().enumerate() {
        let (fork, pad) = branch(i + 1 == items.len());
        // Without runAfter a step starts with its scope, in parallel with the ones before it.
        let start = if i > 0 && step.run_after.is_empty() { "  at start" } else { "" };
        writeln!(out, "{prefix}{fork}{}{start}", line(step))?;
        let inner = format!("{prefix}{pad}");
        match step.blocks.as_slice() {
            [only] if only.block == "actions" => steps(out, &only.steps, &inner)?,
            blocks => {
                for (j, block) in blocks.iter().enumerate() {
                    let (b, p) = branch(j + 1 == blocks.len());
                    let empty = if block.steps.is_empty() { " (no steps)" } else { "" };
                    writeln!(out, "{inner}{b}{}{empty}", label(block))?;
                    steps(out, &block.steps, &format!("{inner}{p}"))?;
                }
            }
        }
    }
    Ok(())
}

/// `Name  Type connector  after A, B (Succeeded, Failed)  secure inputs`.
fn line(step: &StepDoc) -> String {
    let mut text = format!("{}  {}", step.name, step.type_name);
    if let Some(connector) = &step.connector {
        text.push_str(&format!(" {connector}"));
    }
    if !step.run_after.is_empty() {
        let after: Vec<String> = step
            .run_after
            .iter()
            .map(|d| match d.statuses.as_slice() {
                [Status::Succeeded] => d.action.clone(),
                statuses => {
                    let names: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
                    format!("{} ({})", d.action, names.join(", "))
                }
            })
            .collect();
        text.push_str(&format!("  after {}", after.join(", ")));
    }
    if !step.secure.is_empty() {
        text.push_str(&format!("  secure {}", step.secure.join(", ")));
    }
    text
}

fn label(block: &BlockDoc) -> String {
    match (&block.name, &block.value) {
        (Some(name), Some(value)) => format!("{} {name} = {}", block.block, cut(value)),
        (Some(name), None) => format!("{} {name}", block.block),
        _ => block.block.to_owned(),
    }
}
