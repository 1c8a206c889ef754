//! The kinds of input files ([`FileKind`], [`Other`]) with their names in summaries, and how a
//! file is read from its name alone ([`syntax_of`]). What kind a parsed file is, is decided in
//! [`super::classify`].
//!
//! Stage: plain data. No I/O.

use std::path::Path;

use serde::Serialize;

/// The kind of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// Automation rules: YAML rule files, Sentinel REST/ARM JSON.
    AutomationRules,
    /// Playbooks: YAML, a Logic Apps ARM template (several workflows each) or workflow JSON.
    Playbooks,
    /// Analytic rules: Azure-Sentinel detection YAML, ARM templates of `alertRules`.
    AnalyticRules,
    /// Rule test files (a top-level `tests:`).
    RuleTests,
    /// Mocks of playbook calls (a top-level `mocks:`).
    Mocks,
    /// Workspace settings (roles, playbook resource groups).
    Settings,
    /// Other Sentinel content: counted and skipped, never an error.
    Other(Other),
    /// A YAML or JSON file that is no Sentinel content at all: skipped with a note.
    NotSentinel,
}

/// Sentinel content this tool recognises but does not check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Other {
    HuntingQuery,
    Parser,
    Workbook,
    DataConnector,
    Watchlist,
    SolutionPackage,
    Metadata,
    Bicep,
    ParameterFile,
    DeploymentConfig,
    CustomConnector,
    ArmTemplate,
    /// Incidents and alerts (this tool's own inputs, found next to the rules).
    IncidentData,
}

impl FileKind {
    /// True for the kinds this tool checks.
    pub fn is_checked(self) -> bool {
        !matches!(self, FileKind::Other(_) | FileKind::NotSentinel)
    }

    /// The kind in words, singular: `analytic rule file`.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::AutomationRules => "automation rule file",
            FileKind::Playbooks => "playbook file",
            FileKind::AnalyticRules => "analytic rule file",
            FileKind::RuleTests => "rule test file",
            FileKind::Mocks => "mocks file",
            FileKind::Settings => "settings file",
            FileKind::Other(other) => other.name(),
            FileKind::NotSentinel => "not Sentinel content",
        }
    }

    /// The key of the kind in the JSON summary: `analytic_rules`.
    pub fn key(self) -> &'static str {
        match self {
            FileKind::AutomationRules => "automation_rules",
            FileKind::Playbooks => "playbooks",
            FileKind::AnalyticRules => "analytic_rules",
            FileKind::RuleTests => "rule_tests",
            FileKind::Mocks => "mocks",
            FileKind::Settings => "settings",
            FileKind::Other(other) => other.key(),
            FileKind::NotSentinel => "not_sentinel",
        }
    }
}

impl Serialize for FileKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl Other {
    /// The kind in words, singular.
    pub fn name(self) -> &'static str {
        match self {
            Other::HuntingQuery => "hunting query",
            Other::Parser => "parser",
            Other::Workbook => "workbook",
            Other::DataConnector => "data connector file",
            Other::Watchlist => "watchlist",
            Other::SolutionPackage => "solution package file",
            Other::Metadata => "metadata file",
            Other::Bicep => "Bicep file",
            Other::ParameterFile => "parameter file",
            Other::DeploymentConfig => "deployment config",
            Other::CustomConnector => "custom connector",
            Other::ArmTemplate => "ARM template",
            Other::IncidentData => "incident or alert data",
        }
    }

    /// The key in the JSON summary.
    pub fn key(self) -> &'static str {
        match self {
            Other::HuntingQuery => "hunting_queries",
            Other::Parser => "parsers",
            Other::Workbook => "workbooks",
            Other::DataConnector => "data_connectors",
            Other::Watchlist => "watchlists",
            Other::SolutionPackage => "solution_packages",
            Other::Metadata => "metadata",
            Other::Bicep => "bicep",
            Other::ParameterFile => "parameter_files",
            Other::DeploymentConfig => "deployment_config",
            Other::CustomConnector => "custom_connectors",
            Other::ArmTemplate => "arm_templates",
            Other::IncidentData => "incident_data",
        }
    }
}

/// The file name Sentinel Repositories reads its deployment settings from.
pub const DEPLOYMENT_CONFIG: &str = "sentinel-deployment.config";

/// How a file is read, from its name alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
    /// Not parsed: Bicep files are counted only.
    Unparsed(FileKind),
}

/// The syntax of `path`, or `None` for a file this tool does not read at all.
pub fn syntax_of(path: &Path) -> Option<Syntax> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name.eq_ignore_ascii_case(DEPLOYMENT_CONFIG) {
        return Some(Syntax::Json);
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "yaml" | "yml" => Some(Syntax::Yaml),
        "json" => Some(Syntax::Json),
        "bicep" | "bicepparam" => Some(Syntax::Unparsed(FileKind::Other(Other::Bicep))),
        _ => None,
    }
}

/// The extensions a directory walk collects (`.config` only for [`DEPLOYMENT_CONFIG`]).
pub const WALKED_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "bicep", "bicepparam", "config"];
