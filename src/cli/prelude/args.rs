//! Flags several commands share, as typed: the report format, the event the incidents stand for
//! (`--now`, `--trigger`, `--previous`), the playbook inputs, how rules sharing an order run
//! (`--ties`), the portal whose behaviour is emulated (`--portal`), and the arguments of `import
//! sentinel` and `export sentinel`.
//! Every path flag that takes several values takes them both ways: `--mocks A B` and
//! `--mocks A --mocks B`.

use anyhow::bail;
use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};

use crate::model::Portal;
use crate::workspace::{self, Expect};

use super::parse;

/// Output format of reports and lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ReportFormat {
    /// For people: a table or a tree (borders and colour on a terminal).
    #[default]
    Human,
    /// One JSON document, for tools.
    Json,
}

/// Which trigger event the incidents represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TriggerArg {
    /// Incidents were just created: created rules run, then updated rules on their changes.
    Created,
    /// Incidents were updated (compare with --previous to know what changed).
    Updated,
}

/// `--now`, `--trigger` and `--previous` (`apply`, `explain`).
#[derive(Debug, Args)]
pub struct EventArgs {
    /// The simulated clock (RFC 3339, or a date meaning midnight UTC); it decides which rules
    /// have expired. Without it, the wall clock is read once at start.
    #[arg(long, value_name = "TIME", value_parser = parse::time)]
    pub now: Option<DateTime<Utc>>,
    /// The event the incidents represent.
    #[arg(long, value_enum, default_value_t = TriggerArg::Created)]
    pub trigger: TriggerArg,
    /// Earlier versions of the incidents (any incident format), matched by name, for
    /// --trigger updated: what changed between them feeds `changed` and `added` conditions.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub previous: Vec<String>,
}

impl EventArgs {
    /// `--previous` only means something to `--trigger updated`; `--trigger updated` without
    /// it compares every incident with itself, which is said once.
    pub fn check(&self) -> anyhow::Result<()> {
        match (self.trigger, self.previous.is_empty()) {
            (TriggerArg::Created, false) => {
                bail!("--previous is read only for --trigger updated: add --trigger updated, or leave --previous out")
            }
            (TriggerArg::Updated, true) => eprintln!(
                "warning: --trigger updated without --previous: each incident is compared with itself, so nothing changed"
            ),
            _ => {}
        }
        Ok(())
    }
}

/// The help of `--infer-mocks` (`playbook run`, `apply`, `explain`, `test`, `impact`).
pub const INFER_MOCKS_HELP: &str = "Answer every external call that no mock answers from mocks inferred from how the playbook reads its outputs (`mocks scaffold` shows them), marked `inferred` in the run log (default: record it as not run)";

/// The playbooks `run_playbook` actions run, their mocks and the settings (`apply`, `explain`,
/// `impact`).
#[derive(Debug, Args)]
pub struct PlaybookInputs {
    /// Playbooks (YAML or Logic Apps JSON files, directories, globs) that `run_playbook`
    /// actions run; each action must name one of them, with the trigger that fits the rule
    /// (incident rules: incident trigger; alert rules: alert trigger).
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub playbooks: Vec<String>,
    /// Mocks for the playbooks' external calls (files or directories; all are used, in path order).
    #[arg(long, num_args = 1.., value_name = "PATH", requires = "playbooks")]
    pub mocks: Vec<String>,
    /// Fail an external call that has no mock, as a failed call (default: record it as not run).
    #[arg(long, requires = "playbooks")]
    pub strict_mocks: bool,
    #[arg(long, requires = "playbooks", help = INFER_MOCKS_HELP)]
    pub infer_mocks: bool,
    /// The workspace settings file: resource groups where Sentinel may run playbooks (- for
    /// standard input).
    #[arg(long, value_name = "PATH|-", requires = "playbooks")]
    pub settings: Option<String>,
    /// A watchlist the playbooks' Sentinel watchlist operations answer from: its alias and a
    /// CSV file (header row, then one row per item), repeatable. A watchlist not given answers
    /// 404 (not found).
    #[arg(long = "watchlist", value_name = "ALIAS=FILE", value_parser = parse::watchlist, requires = "playbooks")]
    pub watchlists: Vec<(String, String)>,
}

/// How rules of one trigger that share an `order` run (Sentinel runs them in random order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Ties {
    /// By name, in byte order: one deterministic order.
    #[default]
    Name,
    /// Also every other order of each tie group (up to 8 rules a group), reporting each
    /// incident whose outcome depends on the order (apply and test: exit 1).
    Permute,
}

/// `--ties` (`apply`, `test`, `impact`).
#[derive(Debug, Args)]
pub struct TiesArgs {
    /// How rules of one trigger that share an order run (Sentinel picks their order at
    /// random). With `permute` the outputs stay those of the name order.
    #[arg(long, value_enum, value_name = "HOW", default_value_t = Ties::Name)]
    pub ties: Ties,
}

/// The portal whose automation behaviour is emulated (`--portal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum PortalArg {
    /// Microsoft Sentinel in the Azure portal (a workspace not onboarded to Defender).
    #[default]
    Azure,
    /// A workspace onboarded to the Microsoft Defender portal: the Incident provider condition
    /// is removed, alert-trigger rules act only on Sentinel alerts, ...
    Defender,
}

impl PortalArg {
    pub fn portal(self) -> Portal {
        match self {
            PortalArg::Azure => Portal::Azure,
            PortalArg::Defender => Portal::Defender,
        }
    }
}

/// `--portal` (`validate`, `apply`, `test`, `impact`, `explain`, `rules list`, `playbook run`).
#[derive(Debug, Args)]
pub struct PortalArgs {
    /// The portal whose documented automation behaviour applies (docs/defender-portal.md); without
    /// it, the `portal` of sentinel-soar.toml, else azure.
    #[arg(long, value_enum, value_name = "PORTAL")]
    pub portal: Option<PortalArg>,
}

impl PortalArgs {
    /// The portal that applies: the flag, else the configuration's, else Azure.
    pub fn resolve(&self, config: Option<&crate::config::Config>) -> Portal {
        match self.portal {
            Some(arg) => arg.portal(),
            None => config.and_then(|c| c.portal).unwrap_or_default(),
        }
    }
}

/// Arguments of `import sentinel` and `export sentinel`.
#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 success, 1 rules with errors (nothing is written), 2 usage or unreadable input.")]
pub struct SentinelArgs {
    /// Rule files, directories or glob patterns.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Where to write: for import a directory (one YAML file per rule), for export a file.
    /// Standard output when absent.
    #[arg(long, value_name = "PATH")]
    pub out: Option<String>,
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// How ARM templates get their parameters, on every command that reads templates: parameter
/// files found as Sentinel Repositories finds them (for `--workspace`), `--params-file` files,
/// then `--param` values, each overriding the one before.
#[derive(Debug, Clone, Default, Args)]
pub struct TemplateArgs {
    /// A value for an ARM template parameter, NAME=VALUE (repeatable); it overrides parameter
    /// files.
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse::param)]
    pub params: Vec<(String, String)>,
    /// A deployment parameters file ({"parameters": {"NAME": {"value": ...}}}) for every template
    /// read (repeatable).
    #[arg(long = "params-file", value_name = "FILE")]
    pub params_files: Vec<String>,
    /// The workspace id whose parameter files templates deploy with: the parameterfilemappings
    /// of sentinel-deployment.config, then <template>.parameters-<ID>.json (without it, or when
    /// neither exists, <template>.parameters.json).
    #[arg(long, value_name = "ID")]
    pub workspace: Option<String>,
}

impl TemplateArgs {
    /// The workspace options of a command that expects `expect`.
    pub fn options(&self, expect: Expect) -> workspace::Options {
        workspace::Options {
            params: self.params.clone(),
            params_files: self.params_files.clone(),
            workspace: self.workspace.clone(),
            expect,
            filter: None,
        }
    }
}
