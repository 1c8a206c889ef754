//! `sentinel-soar rules list PATH...`: every rule in run order with its state at `--now`
//! (enabled, disabled, expired), trigger, analytics-rule scope, number of conditions and
//! actions, as a table (borders on a terminal, plain when piped) or as JSON. The rules are
//! listed as the portal of `--portal` (or of sentinel-soar.toml) runs them, as `apply` does.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::model::time::stamp;
use crate::rules::actions::Action;
use crate::rules::{self, Rule, ScopeId};

use super::prelude::{adapt_rules, clock, parse, Color, ConfigArgs, PortalArgs, ReportFormat, TemplateArgs};
use super::report::{new_table, print_diagnostics, write_table, Exit};
use super::rule_files;
use crate::workspace::Expect;

/// `rules` and its subcommands.
#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List rules in run order: order, name, state, trigger, scope, conditions, actions.
    List(ListArgs),
}

/// Arguments of `rules list`, as typed.
#[derive(Debug, Args)]
#[command(
    override_usage = "sentinel-soar rules list [OPTIONS] <PATH>...",
    after_help = "Exit codes: 0 listed, 1 invalid rule files, 2 usage or unreadable paths."
)]
pub struct ListArgs {
    /// Rule files, directories (searched for *.yaml, *.yml) or glob patterns.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// The clock that decides which rules have expired (RFC 3339, or a date meaning midnight
    /// UTC; default: the wall clock).
    #[arg(long, value_name = "TIME", value_parser = parse::time)]
    pub now: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    #[command(flatten)]
    pub templates: TemplateArgs,
    #[command(flatten)]
    pub portal: PortalArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// One rule's row.
#[derive(Debug, Serialize)]
struct Row {
    order: u32,
    name: String,
    /// `enabled`, `enabled until DATE`, `disabled` or `expired on DATE`.
    state: String,
    enabled: bool,
    expires: Option<String>,
    expired: bool,
    trigger: Trigger,
    /// Analytics rule ids (lower-cased); empty: every analytics rule.
    scope: Vec<String>,
    /// Number of condition leaves (Sentinel's per-rule limit counts these).
    conditions: usize,
    actions: Vec<&'static str>,
    file: String,
    line: usize,
}

#[derive(Debug, Serialize)]
struct Trigger {
    on: &'static str,
    when: &'static str,
}

fn action_name(action: &Action) -> &'static str {
    match action {
        Action::ChangeStatus(_) => "change_status",
        Action::ChangeSeverity(_) => "change_severity",
        Action::AssignOwner(_) => "assign_owner",
        Action::AddTags(_) => "add_tags",
        Action::AddTask(_) => "add_task",
        Action::RunPlaybook(_) => "run_playbook",
    }
}

fn row(rule: &Rule, now: DateTime<Utc>) -> Row {
    let expired = rule.expired_at(now);
    let state = match (rule.enabled, expired, rule.expires) {
        (false, _, _) => "disabled".to_owned(),
        (true, true, Some(at)) => format!("expired on {}", stamp(at)),
        (true, _, Some(at)) => format!("enabled until {}", stamp(at)),
        (true, _, None) => "enabled".to_owned(),
    };
    let scope = rule
        .scope
        .iter()
        .map(|s| match s {
            ScopeId::FullId(id) | ScopeId::Guid(id) => id.clone(),
        })
        .collect();
    Row {
        order: rule.order,
        name: rule.name.clone(),
        state,
        enabled: rule.enabled,
        expires: rule.expires.map(stamp),
        expired,
        trigger: Trigger { on: rule.on.as_str(), when: rule.when.as_str() },
        scope,
        conditions: rule.conditions.as_ref().map_or(0, |c| c.leaf_count()),
        actions: rule.actions.iter().map(action_name).collect(),
        file: rule.file.clone(),
        line: rule.span.line,
    }
}

fn scope_text(scope: &[String]) -> String {
    match scope.len() {
        0 => "all analytics rules".to_owned(),
        1 => "1 analytics rule".to_owned(),
        n => format!("{n} analytics rules"),
    }
}

/// Runs `rules` (its only subcommand is `list`).
pub fn run(args: RulesArgs, color: Color) -> anyhow::Result<Exit> {
    let RulesCommand::List(args) = args.command;
    let now = clock(args.now);
    let options = rules::Options { now: Some(now), sentinel: false };
    let mut loaded = rule_files::load_with(&args.paths, &options, &args.templates.options(Expect::Rules))?;
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    print_diagnostics(&mut diagnostics, &loaded.sources, color);
    if diagnostics.iter().any(|d| d.is_error()) {
        eprintln!("no rule was listed: fix the rule files first");
        return Ok(Exit::Findings);
    }
    // The rules as `apply` runs them: the portal of `--portal`, else of sentinel-soar.toml.
    let portal = args.portal.resolve(args.config.load()?.as_ref());
    loaded.set = adapt_rules(std::mem::take(&mut loaded.set), portal);
    let rows: Vec<Row> = loaded.set.rules().iter().map(|r| row(r, now)).collect();
    let mut out = std::io::stdout().lock();
    if args.format == ReportFormat::Json {
        let doc = serde_json::json!({ "now": stamp(now), "rules": rows });
        serde_json::to_writer_pretty(&mut out, &doc).context("cannot write the rule list")?;
        writeln!(out).context("cannot write the rule list")?;
        return Ok(Exit::Success);
    }
    let mut table = new_table(["Order", "Name", "State", "Trigger", "Scope", "Conditions", "Actions"]);
    for r in &rows {
        table.add_row([
            r.order.to_string(),
            r.name.clone(),
            r.state.clone(),
            format!("{} {}", r.trigger.on, r.trigger.when),
            scope_text(&r.scope),
            r.conditions.to_string(),
            r.actions.join(", "),
        ]);
    }
    write_table(&mut out, &table).context("cannot write the rule list")?;
    let off = rows.iter().filter(|r| !r.enabled || r.expired).count();
    writeln!(out, "{} rule(s), {off} disabled or expired", rows.len()).context("cannot write the rule list")?;
    Ok(Exit::Success)
}
