//! What a file is, decided once from its extension, its top-level keys and the types of the
//! ARM resources it deploys ([`classify`]), never from the diagnostics of a trial decode. A file
//! that does not parse is told by the lines that start with `key:` (YAML) or by the folder it
//! sits in (JSON), so its syntax error is reported with its own kind's code. The folders of a
//! content repository (`Hunting Queries/`, `Data Connectors/`, ...) break ties and name files
//! that say nothing of themselves (a Functions App's `host.json`).
//!
//! Stage: spanned tree -> file kind. No I/O.

use std::path::Path;

use crate::arm;
use crate::diagnostic::did_you_mean;
use crate::playbook::settings;
use crate::rules::file::{FILE_KEYS, RULE_KEYS};
use crate::sentinel::detect;
use crate::syntax::{Node, NodeKind};

#[cfg(test)]
use super::kind::syntax_of;
use super::kind::{FileKind, Other, Syntax, DEPLOYMENT_CONFIG};

/// The kind of a parsed file.
pub fn classify(path: &Path, syntax: Syntax, root: &Node) -> FileKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    if name.eq_ignore_ascii_case(DEPLOYMENT_CONFIG) {
        return FileKind::Other(Other::DeploymentConfig);
    }
    match syntax {
        Syntax::Unparsed(kind) => kind,
        Syntax::Yaml => match &root.kind {
            NodeKind::Map(entries) => {
                let keys: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
                yaml_kind(path, &keys)
            }
            NodeKind::Null => FileKind::AutomationRules,
            NodeKind::Seq(items) if items.iter().all(|i| i.entries().is_some_and(rule_shaped_entries)) => {
                FileKind::AutomationRules
            }
            _ => FileKind::NotSentinel,
        },
        Syntax::Json => json_kind(path, root),
    }
}

/// The kind of a YAML file that does not parse, from the keys its lines start with.
pub fn classify_unparsed(path: &Path, syntax: Syntax, keys: &[String]) -> FileKind {
    match syntax {
        Syntax::Yaml => {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            match yaml_kind(path, &keys) {
                FileKind::NotSentinel => FileKind::AutomationRules,
                kind => kind,
            }
        }
        Syntax::Json => match folder(path) {
            Some(Folder::Playbooks) => FileKind::Playbooks,
            Some(Folder::AnalyticRules) => FileKind::AnalyticRules,
            Some(Folder::AutomationRules) | None => FileKind::AutomationRules,
            Some(Folder::Other(other)) => FileKind::Other(other),
        },
        Syntax::Unparsed(kind) => kind,
    }
}

fn has(keys: &[&str], key: &str) -> bool {
    keys.contains(&key)
}

fn has_any(keys: &[&str], wanted: &[&str]) -> bool {
    wanted.iter().any(|w| keys.contains(w))
}

/// Keys only an automation rule (or a rule file) has: `name` and `description` say nothing.
const RULE_SHAPED: &[&str] =
    &["rules", "order", "enabled", "expires", "trigger", "analytics_rules", "conditions", "actions"];

fn rule_shaped(key: &str) -> bool {
    RULE_SHAPED.contains(&key)
        || did_you_mean(key, RULE_KEYS.iter().chain(FILE_KEYS).copied()).is_some_and(|k| RULE_SHAPED.contains(&k))
}

fn rule_shaped_entries(entries: &[(crate::syntax::Key, Node)]) -> bool {
    entries.iter().any(|(k, _)| rule_shaped(&k.name))
}

/// Keys of a scheduled analytic rule that a hunting query does not have.
const SCHEDULE_KEYS: &[&str] = &["triggerOperator", "triggerThreshold", "queryFrequency", "queryPeriod"];
/// Keys of an ASIM parser or a KQL function.
const PARSER_KEYS: &[&str] =
    &["Parser", "ParserName", "ParserQuery", "Function", "FunctionName", "FunctionQuery", "FunctionAlias"];

fn yaml_kind(path: &Path, keys: &[&str]) -> FileKind {
    if has(keys, "tests") {
        return FileKind::RuleTests;
    }
    if has(keys, "steps") {
        return FileKind::Playbooks;
    }
    if has(keys, "mocks") {
        return FileKind::Mocks;
    }
    let sentinel_item = has(keys, "id") && has(keys, "name");
    let query = has(keys, "query") && !has_any(keys, RULE_SHAPED);
    if (query || sentinel_item) && has_any(keys, SCHEDULE_KEYS) {
        return FileKind::AnalyticRules;
    }
    if sentinel_item && has(keys, "kind") && !has_any(keys, RULE_SHAPED) {
        return FileKind::AnalyticRules;
    }
    if query {
        // Hunting queries carry a severity too; their folder tells them from rules without a
        // schedule.
        let hunting = matches!(folder(path), Some(Folder::Other(Other::HuntingQuery)));
        return if has(keys, "severity") && !hunting {
            FileKind::AnalyticRules
        } else {
            FileKind::Other(Other::HuntingQuery)
        };
    }
    if has_any(keys, PARSER_KEYS) {
        return FileKind::Other(Other::Parser);
    }
    if has_any(keys, &["watchlistAlias", "WatchlistAlias"]) {
        return FileKind::Other(Other::Watchlist);
    }
    let owned: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    if settings::is_settings(&owned) {
        return FileKind::Settings;
    }
    if keys.iter().any(|k| rule_shaped(k)) {
        return FileKind::AutomationRules;
    }
    FileKind::NotSentinel
}

/// Resource types, compared ignoring case, and the kind a template deploying them is.
const TEMPLATE_KINDS: &[(&str, FileKind)] = &[
    ("/automationrules", FileKind::AutomationRules),
    ("microsoft.logic/workflows", FileKind::Playbooks),
    ("/alertrules", FileKind::AnalyticRules),
    ("microsoft.insights/workbooks", FileKind::Other(Other::Workbook)),
    ("/watchlists", FileKind::Other(Other::Watchlist)),
    ("/dataconnectors", FileKind::Other(Other::DataConnector)),
    ("microsoft.web/sites", FileKind::Other(Other::DataConnector)),
    ("savedsearches", FileKind::Other(Other::Parser)),
    ("microsoft.web/customapis", FileKind::Other(Other::CustomConnector)),
    ("/metadata", FileKind::Other(Other::Metadata)),
];

/// Every resource type a template deploys, lower-cased, nested deployments and solution
/// content templates included.
pub fn resource_types(root: &Node) -> Vec<String> {
    let mut out = Vec::new();
    collect_types(root, &mut out, 0);
    out
}

fn collect_types(template: &Node, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    for r in arm::resources::resources(template) {
        if let Some(t) = r.get_ignore_case("type").and_then(Node::as_str) {
            out.push(t.trim().to_ascii_lowercase());
        }
        let props = r.get_ignore_case("properties");
        for key in ["template", "mainTemplate"] {
            if let Some(inner) = props.and_then(|p| p.get_ignore_case(key)) {
                collect_types(inner, out, depth + 1);
            }
        }
        if r.get_ignore_case("resources").is_some() {
            collect_types(r, out, depth + 1);
        }
    }
}

fn template_kind(path: &Path, root: &Node) -> FileKind {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let types = resource_types(root);
    let packaged = types.iter().any(|t| t.ends_with("/contentpackages") || t.ends_with("/contenttemplates"));
    if packaged || name.eq_ignore_ascii_case("mainTemplate.json") {
        return FileKind::Other(Other::SolutionPackage);
    }
    for (suffix, kind) in TEMPLATE_KINDS {
        if types.iter().any(|t| t.ends_with(suffix)) {
            return *kind;
        }
    }
    FileKind::Other(Other::ArmTemplate)
}

fn json_kind(path: &Path, root: &Node) -> FileKind {
    let schema = root.get_ignore_case("$schema").and_then(Node::as_str).unwrap_or_default().to_ascii_lowercase();
    match &root.kind {
        NodeKind::Map(_) => {}
        NodeKind::Seq(items) if !items.is_empty() && items.iter().all(is_incident_or_alert) => {
            return FileKind::Other(Other::IncidentData);
        }
        _ => return folder_kind(path).unwrap_or(FileKind::NotSentinel),
    }
    let typed_resources = !arm::resources::resources(root).is_empty()
        && arm::resources::resources(root).iter().all(|r| r.get_ignore_case("type").is_some());
    if arm::is_template(root) || typed_resources {
        return template_kind(path, root);
    }
    if schema.contains("deploymentparameters")
        || (root.get_ignore_case("parameters").is_some()
            && root.get_ignore_case("contentVersion").is_some()
            && root.get_ignore_case("resources").is_none())
    {
        return FileKind::Other(Other::ParameterFile);
    }
    if schema.contains("createuidefinition") || root.get_ignore_case("handler").is_some() {
        return FileKind::Other(Other::SolutionPackage);
    }
    if root.get_ignore_case("version").and_then(Node::as_str).is_some_and(|v| v.starts_with("Notebook/")) {
        return FileKind::Other(Other::Workbook);
    }
    if detect::detect(root).is_some() {
        return FileKind::AutomationRules;
    }
    let workflow_resource = root.get_ignore_case("properties").and_then(|p| p.get_ignore_case("definition")).is_some();
    if root.get_ignore_case("definition").is_some()
        || workflow_resource
        || (root.get_ignore_case("triggers").is_some() && root.get_ignore_case("actions").is_some())
    {
        return FileKind::Playbooks;
    }
    let has_key = |k: &str| root.get_ignore_case(k).is_some();
    if has_key("publisherId") && has_key("offerId") {
        return FileKind::Other(Other::Metadata);
    }
    if has_key("Name")
        && ["BasePath", "Analytic Rules", "Workbooks", "Playbooks", "Data Connectors", "Parsers", "Hunting Queries"]
            .iter()
            .any(|k| has_key(k))
    {
        return FileKind::Other(Other::SolutionPackage);
    }
    if has_key("connectivityCriterias") || has_key("instructionSteps") || has_key("graphQueries") {
        return FileKind::Other(Other::DataConnector);
    }
    if has_key("swagger") || has_key("openapi") {
        return FileKind::Other(Other::CustomConnector);
    }
    if is_incident_or_alert(root) || in_example(root) {
        return FileKind::Other(Other::IncidentData);
    }
    folder_kind(path).unwrap_or(FileKind::NotSentinel)
}

/// An incident or an alert in any shape this tool reads them: a REST resource or bare
/// properties (`title` and `severity`, `alertDisplayName`), a SecurityIncident or SecurityAlert
/// row, a `{"value": [...]}` list of them.
fn is_incident_or_alert(node: &Node) -> bool {
    let has = |n: &Node, k: &str| n.get_ignore_case(k).is_some();
    let props = node.get_ignore_case("properties").filter(|p| p.is_map()).unwrap_or(node);
    (has(props, "title") && has(props, "severity"))
        || has(props, "alertDisplayName")
        || has(node, "IncidentNumber")
        || has(node, "SystemAlertId")
        || (has(node, "AlertName") && has(node, "AlertSeverity"))
        || node
            .get_ignore_case("value")
            .and_then(Node::items)
            .is_some_and(|i| !i.is_empty() && i.iter().all(is_incident_or_alert))
}

/// A REST API example file whose responses hold incidents, entities or the like.
fn in_example(root: &Node) -> bool {
    root.get_ignore_case("parameters").is_some()
        && root.get_ignore_case("responses").and_then(Node::entries).is_some_and(|e| !e.is_empty())
}

/// What the folders of a content repository say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Folder {
    AutomationRules,
    Playbooks,
    AnalyticRules,
    Other(Other),
}

/// The innermost folder of `path` that a content repository layout names.
fn folder(path: &Path) -> Option<Folder> {
    let folders: Vec<String> = path
        .parent()
        .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase()).collect())
        .unwrap_or_default();
    folders.iter().rev().find_map(|f| match f.as_str() {
        "automationrules" | "automation rules" => Some(Folder::AutomationRules),
        "playbooks" => Some(Folder::Playbooks),
        "analytic rules" | "analytics rules" | "detections" => Some(Folder::AnalyticRules),
        "data connectors" | "dataconnectors" => Some(Folder::Other(Other::DataConnector)),
        "workbooks" => Some(Folder::Other(Other::Workbook)),
        "parsers" => Some(Folder::Other(Other::Parser)),
        "hunting queries" | "hunting" => Some(Folder::Other(Other::HuntingQuery)),
        "package" => Some(Folder::Other(Other::SolutionPackage)),
        "watchlists" => Some(Folder::Other(Other::Watchlist)),
        _ => None,
    })
}

/// The kind of other content the folders give a parsed file no content of its own names (a
/// Functions App's `host.json` under `Data Connectors/`).
fn folder_kind(path: &Path) -> Option<FileKind> {
    match folder(path)? {
        Folder::Other(other) => Some(FileKind::Other(other)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str, text: &str) -> FileKind {
        let path = Path::new(path);
        let syntax = syntax_of(path).unwrap_or(Syntax::Yaml);
        let root = match syntax {
            Syntax::Json => crate::syntax::json::parse(text),
            _ => crate::syntax::yaml::parse(text),
        }
        .unwrap_or_else(|e| unreachable!("{e:?}"));
        classify(path, syntax, &root)
    }

    #[test]
    fn yaml_files_are_told_by_their_keys() {
        assert_eq!(kind("a.yaml", "rules: []\n"), FileKind::AutomationRules);
        assert_eq!(kind("a.yaml", "name: x\norder: 1\n"), FileKind::AutomationRules);
        assert_eq!(kind("a.yaml", "name: x\nordr: 1\n"), FileKind::AutomationRules);
        assert_eq!(kind("a.yaml", "name: x\nsteps: []\n"), FileKind::Playbooks);
        assert_eq!(kind("a.yaml", "rules: [a]\ntests: []\n"), FileKind::RuleTests);
        assert_eq!(kind("a.yaml", "mocks: []\n"), FileKind::Mocks);
        assert_eq!(kind("a.yaml", "roles: {}\n"), FileKind::Settings);
        let analytic = "id: 1\nname: x\nseverity: Low\nquery: T\nkind: Scheduled\n";
        assert_eq!(kind("a.yaml", analytic), FileKind::AnalyticRules);
        assert_eq!(kind("a.yaml", "id: 1\nname: x\nquery: T\n"), FileKind::Other(Other::HuntingQuery));
        assert_eq!(kind("a.yaml", "Parser:\n  Title: x\nParserQuery: T\n"), FileKind::Other(Other::Parser));
        assert_eq!(kind("k.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {}\n"), FileKind::NotSentinel);
        assert_eq!(kind("w.yml", "name: CI\non: push\njobs: {}\n"), FileKind::NotSentinel);
    }

    #[test]
    fn json_files_are_told_by_their_shape_and_resource_types() {
        let template = |t: &str| {
            format!(
                r#"{{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": [{{"type": "{t}"}}]}}"#
            )
        };
        assert_eq!(kind("a.json", &template("Microsoft.Logic/workflows")), FileKind::Playbooks);
        assert_eq!(kind("a.json", &template("Microsoft.SecurityInsights/automationRules")), FileKind::AutomationRules);
        let alert_rules = template("Microsoft.OperationalInsights/workspaces/providers/alertRules");
        assert_eq!(kind("a.json", &alert_rules), FileKind::AnalyticRules);
        assert_eq!(kind("Package/mainTemplate.json", &alert_rules), FileKind::Other(Other::SolutionPackage));
        assert_eq!(kind("a.json", &template("Microsoft.Insights/workbooks")), FileKind::Other(Other::Workbook));
        assert_eq!(kind("a.json", &template("Microsoft.Storage/storageAccounts")), FileKind::Other(Other::ArmTemplate));
        let params = r#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {}}"#;
        assert_eq!(kind("a.parameters.json", params), FileKind::Other(Other::ParameterFile));
        assert_eq!(kind("w.json", r#"{"version": "Notebook/1.0", "items": []}"#), FileKind::Other(Other::Workbook));
        assert_eq!(
            kind("i.json", r#"{"properties": {"title": "t", "severity": "High"}}"#),
            FileKind::Other(Other::IncidentData)
        );
        assert_eq!(kind("package.json", r#"{"name": "x", "version": "1.0.0", "scripts": {}}"#), FileKind::NotSentinel);
        assert_eq!(kind("Data Connectors/host.json", r#"{"version": "2.0"}"#), FileKind::Other(Other::DataConnector));
        assert_eq!(kind("sentinel-deployment.config", "{}"), FileKind::Other(Other::DeploymentConfig));
        assert_eq!(kind("p.json", r#"{"definition": {"triggers": {}}}"#), FileKind::Playbooks);
    }
}
