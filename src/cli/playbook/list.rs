//! `playbook list PATH...`: one row per playbook (a Logic Apps template may hold several):
//! name, trigger kind as Sentinel's playbooks page classifies it (Incident, Alert, Entity, Using
//! Sentinel action, Other, Not initialized: [`PlaybookClass`](crate::playbook::model::PlaybookClass)), state, the number of
//! actions at every level, the runs recorded in the state directory's history, and the file.
//! `--format json` for tools.

use clap::Args;
use serde::Serialize;

use crate::cli::prelude::{history, load_files_with, Color, ReportFormat, TemplateArgs};
use crate::cli::report::{print_diagnostics, print_list, Exit};
use crate::workspace::Expect;

/// Arguments of `playbook list`, as typed.
#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 listed, 1 a playbook file has errors, 2 usage or unreadable paths.")]
pub struct ListArgs {
    /// Playbook files (YAML, Logic Apps JSON), directories or glob patterns.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// The state directory whose run history is counted.
    #[arg(long, value_name = "DIR", default_value = crate::playbook::history::DEFAULT_STATE_DIR)]
    pub state_dir: String,
    #[command(flatten)]
    pub templates: TemplateArgs,
}

#[derive(Debug, Serialize)]
struct Row {
    name: String,
    trigger: &'static str,
    enabled: bool,
    steps: usize,
    runs: usize,
    file: String,
}

pub fn run(args: ListArgs, color: Color) -> anyhow::Result<Exit> {
    let mut loaded = load_files_with(&args.paths, &args.templates.options(Expect::Playbooks))?;
    print_diagnostics(&mut loaded.diagnostics, &loaded.sources, color);
    let (store, _) = history::open_existing(&args.state_dir)?;
    let runs =
        |p: &crate::playbook::model::Playbook| store.as_ref().map_or(Ok(0), |s| s.count(&p.name, &p.source.path));
    let rows = loaded
        .playbooks
        .iter()
        .map(|p| {
            Ok(Row {
                name: p.name.clone(),
                trigger: p.class().label(),
                enabled: p.enabled,
                steps: p.all_actions().len(),
                runs: runs(p)?,
                file: p.source.path.clone(),
            })
        })
        .collect::<Result<Vec<Row>, crate::playbook::history::Error>>()?;
    let failed = loaded.diagnostics.iter().any(|d| d.is_error());
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let state = if r.enabled { "enabled" } else { "disabled" };
            vec![
                r.name.clone(),
                r.trigger.to_owned(),
                state.to_owned(),
                r.steps.to_string(),
                r.runs.to_string(),
                r.file.clone(),
            ]
        })
        .collect();
    let doc = serde_json::json!({ "playbooks": rows });
    let footer = format!("{} playbook(s)", rows.len());
    let header = ["Name", "Trigger", "State", "Steps", "Runs", "File"];
    print_list(args.format == ReportFormat::Json, &doc, &header, table, &footer)?;
    Ok(if failed { Exit::Findings } else { Exit::Success })
}
