//! Loading Logic Apps JSON: an ARM template deploying `Microsoft.Logic/workflows` resources
//! (also nested in `Microsoft.Resources/deployments`), a workflow resource's `properties`
//! (`{definition, parameters}`), or a bare workflow definition (`{triggers, actions, ...}`).
//!
//! ARM template expressions left inside a workflow (`[parameters('x')]`, `[concat(...)]`,
//! 14 of the 50 corpus templates) are resolved from the template's parameter defaults first;
//! a parameter without a value (no default, no `--param`) reads as the visible placeholder
//! `<no value: NAME>` with one warning per parameter (SJ006), so the playbook loads and runs
//! and an expression that needs the real value fails at its step naming the parameter; what
//! else cannot be resolved offline is a warning and stays as written. `$connections` keys are
//! resolved to connector APIs through each connection's `id` (`.../managedApis/<api>`), never
//! through the key (`microsoftsentinel` is the `azuresentinel` API).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::arm::{self, Resolved};
use crate::diagnostic::Diagnostic;
use crate::syntax::{Node, NodeKind};

use super::canned;
use super::codes;
use super::compile::{Compiler, Surface};
use super::compile_step::connection_key;
use super::input::Source;
use super::secret::Secrets;
use super::secrets;
use super::trigger::{Trigger, TriggerKind};
use super::{check, Playbook};

/// True when `root` looks like Logic Apps JSON rather than the YAML surface.
pub fn is_logic_apps(root: &Node) -> bool {
    ["resources", "definition", "triggers", "actions"].iter().any(|k| root.get_ignore_case(k).is_some())
}

/// The parameters an ARM template declares (none for a workflow resource or definition, whose
/// `parameters` are the workflow's own).
pub fn template_parameters(root: &Node) -> Vec<String> {
    match (root.get_ignore_case("resources"), root.get_ignore_case("parameters").map(|p| &p.kind)) {
        (Some(_), Some(NodeKind::Map(entries))) => entries.iter().map(|(k, _)| k.name.clone()).collect(),
        _ => Vec::new(),
    }
}

/// Loads every workflow of a Logic Apps JSON document; `params` are `--param` values for the
/// ARM template's parameters.
pub fn load(source: &Source, root: &Node, params: &[(String, String)], diags: &mut Vec<Diagnostic>) -> Vec<Playbook> {
    let stem =
        std::path::Path::new(&source.path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if root.get_ignore_case("resources").is_some() {
        let mut template = arm::Template::new(&source.path, root, params).with_placeholders();
        let mut out = Vec::new();
        for resource in workflows(root) {
            // Secrets are checked as written: a value that an ARM expression supplies is a
            // parameter, not a literal.
            if let Some(def) = resource.get_ignore_case("properties").and_then(|p| p.get_ignore_case("definition")) {
                secrets::check(def.get_ignore_case("actions"), source, diags);
            }
            let resolved = resolve(resource, &mut template, diags);
            let name = resolved
                .get_ignore_case("name")
                .and_then(Node::as_str)
                .filter(|n| !n.starts_with('['))
                .unwrap_or(&stem)
                .to_owned();
            let Some(properties) = resolved.get_ignore_case("properties") else { continue };
            if let Some(mut p) = workflow(source, &name, properties, diags) {
                p.description = p.description.or_else(|| described(root));
                out.push(p);
            }
        }
        if out.is_empty() {
            let message = "this ARM template deploys no Logic Apps workflow (`Microsoft.Logic/workflows`)";
            diags.push(Diagnostic::error(codes::NOT_A_PLAYBOOK, &source.path, Some(root.span), message));
        }
        return out;
    }
    let properties = if root.get_ignore_case("definition").is_some() { root.clone() } else { wrap_definition(root) };
    if let Some(def) = properties.get_ignore_case("definition") {
        secrets::check(def.get_ignore_case("actions"), source, diags);
    }
    workflow(source, &stem, &properties, diags).into_iter().collect()
}

/// What a Sentinel template says the playbook does: its `metadata.description` (Content hub
/// templates), else `metadata.comments` (the older community templates).
fn described(root: &Node) -> Option<String> {
    let metadata = root.get_ignore_case("metadata")?;
    ["description", "comments"]
        .iter()
        .find_map(|key| metadata.get_ignore_case(key).and_then(Node::as_str))
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

/// `{definition: root}` for a bare definition.
fn wrap_definition(root: &Node) -> Node {
    Node::map(root.span, vec![("definition", root.clone())])
}

/// The workflow resources of a template, in order, including nested deployments.
fn workflows(root: &Node) -> Vec<&Node> {
    let resources: Vec<&Node> = match root.get_ignore_case("resources").map(|r| &r.kind) {
        Some(NodeKind::Seq(items)) => items.iter().collect(),
        Some(NodeKind::Map(entries)) => entries.iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    for r in resources {
        let kind = r.get_ignore_case("type").and_then(Node::as_str).unwrap_or_default();
        if kind.eq_ignore_ascii_case("Microsoft.Logic/workflows") {
            out.push(r);
        } else if kind.eq_ignore_ascii_case("Microsoft.Resources/deployments") {
            if let Some(t) = r.get_ignore_case("properties").and_then(|p| p.get_ignore_case("template")) {
                out.extend(workflows(t));
            }
        }
    }
    out
}

/// A copy of `node` with every ARM expression string replaced by its value.
fn resolve(node: &Node, template: &mut arm::Template, diags: &mut Vec<Diagnostic>) -> Node {
    let kind = match &node.kind {
        NodeKind::Str(s) if arm::expr::body(s).is_some() => match template.resolve(s, node.span, diags) {
            Resolved::Value(v) => return Node::from_value(&v.value, node.span),
            Resolved::Unresolved => node.kind.clone(),
        },
        NodeKind::Seq(items) => NodeKind::Seq(items.iter().map(|i| resolve(i, template, diags)).collect()),
        NodeKind::Map(entries) => {
            NodeKind::Map(entries.iter().map(|(k, v)| (k.clone(), resolve(v, template, diags))).collect())
        }
        other => other.clone(),
    };
    Node { kind, span: node.span }
}

/// The managed API a connection `id` names: `.../managedApis/<api>`, `custom:<name>` for
/// `.../customApis/<name>`.
pub fn api_of(id: &str) -> Option<String> {
    let last = |marker: &str| {
        let lower = id.to_ascii_lowercase();
        let i = lower.rfind(marker)?;
        id.get(i + marker.len()..).map(|rest| rest.split('/').next().unwrap_or(rest).to_owned())
    };
    last("/managedapis/").or_else(|| last("/customapis/").map(|name| format!("custom:{name}")))
}

/// Compiles one workflow from a resource's `properties` (`definition`, `parameters`,
/// `state`).
fn workflow(source: &Source, name: &str, properties: &Node, diags: &mut Vec<Diagnostic>) -> Option<Playbook> {
    let Some(definition) = properties.get_ignore_case("definition") else {
        let message = "no workflow definition (`properties.definition`, or `triggers` and `actions`)";
        diags.push(Diagnostic::error(codes::NOT_A_PLAYBOOK, &source.path, Some(properties.span), message));
        return None;
    };
    let (parameters, secrets) = parameters(definition, properties);
    let mut connections = BTreeMap::new();
    if let Some(Value::Object(map)) = parameters.get("$connections") {
        for (key, conn) in map {
            let api = conn.get("id").and_then(Value::as_str).and_then(api_of).unwrap_or_else(|| key.clone());
            connections.insert(key.clone(), api);
        }
    }
    let trigger = trigger(definition, &connections);
    let mut static_results = BTreeMap::new();
    if let Some(NodeKind::Map(entries)) = definition.get_ignore_case("staticResults").map(|s| &s.kind) {
        for (key, result) in entries {
            if let Some(canned) = canned::parse(result, super::JSON_FORMAT.case, &source.path, codes::WRONG_TYPE, diags)
            {
                static_results.insert(key.name.clone(), canned);
            }
        }
    }
    let enabled =
        properties.get_ignore_case("state").and_then(Node::as_str).is_none_or(|s| !s.eq_ignore_ascii_case("Disabled"));
    let mut compiler = Compiler::new(source, Surface::LogicApps, diags, &connections);
    compiler.static_results = static_results.keys().cloned().collect();
    let actions = compiler.block(definition.get_ignore_case("actions"));
    let playbook = Playbook {
        name: name.to_owned(),
        description: None,
        resource_group: None,
        source: source.clone(),
        enabled,
        trigger,
        parameters,
        connections,
        secrets,
        static_results,
        actions,
    };
    check::check(&playbook, diags);
    Some(playbook)
}

/// The workflow's parameters: each declared one's default, then the values the resource
/// gives; `securestring` and `secureobject` parameters are secrets.
fn parameters(definition: &Node, properties: &Node) -> (BTreeMap<String, Value>, Secrets) {
    let mut parameters = BTreeMap::new();
    let mut secrets = Secrets::default();
    if let Some(NodeKind::Map(entries)) = definition.get_ignore_case("parameters").map(|p| &p.kind) {
        for (key, decl) in entries {
            parameters
                .insert(key.name.clone(), decl.get_ignore_case("defaultValue").map_or(Value::Null, Node::to_value));
            let kind = decl.get_ignore_case("type").and_then(Node::as_str).unwrap_or_default();
            if kind.eq_ignore_ascii_case("securestring") || kind.eq_ignore_ascii_case("secureobject") {
                secrets.parameters.insert(key.name.clone(), None);
            }
        }
    }
    if let Some(NodeKind::Map(entries)) = properties.get_ignore_case("parameters").map(|p| &p.kind) {
        for (key, decl) in entries {
            if let Some(value) = decl.get_ignore_case("value") {
                parameters.insert(key.name.clone(), value.to_value());
            }
        }
    }
    (parameters, secrets)
}

/// The workflow's (first) trigger, its kind told from its type, connection API and path.
fn trigger(definition: &Node, connections: &BTreeMap<String, String>) -> Option<Trigger> {
    definition.get_ignore_case("triggers").and_then(|t| match &t.kind {
        NodeKind::Map(entries) => entries.first().map(|(key, def)| {
            let type_name = def.get_ignore_case("type").and_then(Node::as_str).unwrap_or_default().to_owned();
            let inputs = def.get_ignore_case("inputs");
            let reference = inputs
                .and_then(|i| i.get_ignore_case("host"))
                .and_then(|h| h.get_ignore_case("connection"))
                .and_then(|c| c.get_ignore_case("name"))
                .and_then(Node::as_str);
            let api = reference.map(|r| {
                let key = connection_key(r);
                connections.get(&key).cloned().unwrap_or(key)
            });
            let path = inputs.and_then(|i| i.get_ignore_case("path")).and_then(Node::as_str);
            let kind = TriggerKind::classify(&type_name, api.as_deref(), path);
            Trigger { name: key.name.clone(), type_name, kind, span: key.span }
        }),
        _ => None,
    })
}
