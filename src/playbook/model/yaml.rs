//! The YAML surface: a friendlier way to write the same Logic Apps workflow. It desugars into
//! the WDL action tree ([`super::compile`] compiles both), keeping every span, so
//! diagnostics point into the YAML file.
//!
//! ```yaml
//! name: Enrich-IPs                  # required; the playbook's name
//! description: ...                  # optional
//! enabled: true                     # optional (default true)
//! resource_group: rg-soc-playbooks   # optional: where it is deployed (for permissions)
//! trigger: incident                 # incident (default) | alert | entity | request | recurrence
//! parameters: { Channel: "19:abc" } # workflow parameters, read with parameters('Channel')
//! connections: { vt: virustotal }   # optional: connection key -> connector (defaults to the
//!                                   # connector's own name)
//! steps:                            # run in order: each after the previous one succeeded
//!   - name: Get IPs                 # id defaults from the name: spaces become `_` (Get_IPs)
//!     sentinel.get_ips: {}          # built-in Sentinel operations have short names
//!   - name: For each IP
//!     foreach: "@body('Get_IPs')?['IPs']"
//!     steps:
//!       - name: Report
//!         call: { connector: virustotal, method: get,
//!                 path: "/api/v3/ip_addresses/@{encodeURIComponent(items('For_each_IP')?['Address'])}" }
//! ```
//!
//! Every step has one kind key and may have `name`, `id`, `run_after` (a list of step ids
//! run after on success, or a mapping `id: [Succeeded, Failed]`; `[]` = at the start of the
//! scope), `run_after_previous` (the statuses of the previous step to run after, e.g.
//! `[Succeeded, Failed]`) and `secure: [inputs, outputs]` (redacted in run logs). The kinds
//! are listed in [`super::yaml_step`]; `type:` with Logic Apps keys (`inputs`, `expression`,
//! `actions`, ...) writes any WDL action as is.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Span};
use crate::rules::yaml::{Key, Node, NodeKind};
use crate::sentinel::json;

use super::action::Block;
use super::codes;
use super::compile::{Compiler, Surface};
use super::input::Source;
use super::secret::{self, SecretRef, Secrets};
use super::trigger::{Trigger, TriggerKind};
use super::{check, secrets, Playbook};

/// Top-level keys.
pub const TOP_KEYS: &[&str] =
    &["name", "description", "enabled", "trigger", "parameters", "connections", "resource_group", "steps"];

/// The one key of the mapping form of `trigger` (`trigger: {kind: alert}`).
pub const TRIGGER_KIND_KEY: &str = "kind";

/// Keys every step may have besides its kind.
pub const COMMON_KEYS: &[&str] = &["name", "id", "run_after", "run_after_previous", "secure", "description"];

/// The desugaring state: ids given so far and connections used.
pub struct Desugar<'a> {
    pub source: &'a Source,
    pub diags: &'a mut Vec<Diagnostic>,
    pub trigger: TriggerKind,
    pub connections: BTreeMap<String, String>,
    ids: BTreeSet<String>,
}

/// True when `root` is the YAML surface (it has `steps`).
pub fn is_yaml_surface(root: &Node) -> bool {
    json::get(root, "steps").is_some()
}

/// Loads a YAML playbook.
pub fn load(source: &Source, root: &Node, diags: &mut Vec<Diagnostic>) -> Option<Playbook> {
    let NodeKind::Map(entries) = &root.kind else {
        diags.push(Diagnostic::error(codes::NOT_A_PLAYBOOK, &source.path, Some(root.span), "a playbook is a mapping"));
        return None;
    };
    for (key, _) in entries {
        if !TOP_KEYS.contains(&key.name.as_str()) {
            let mut d = Diagnostic::error(
                codes::UNKNOWN_KEY,
                &source.path,
                Some(key.span),
                format!("unknown key `{}`", key.name),
            );
            if let Some(near) = did_you_mean(&key.name, TOP_KEYS.iter().copied()) {
                d = d.with_help(format!("did you mean `{near}`?"));
            }
            diags.push(d);
        }
    }
    let name = match json::get(root, "name").and_then(json::as_str) {
        Some(n) if !n.trim().is_empty() => n.to_owned(),
        _ => {
            diags.push(Diagnostic::error(
                codes::MISSING_KEY,
                &source.path,
                Some(root.span),
                "a playbook needs a `name`",
            ));
            return None;
        }
    };
    let trigger_node = json::get(root, "trigger");
    let kind_text =
        trigger_node.and_then(|t| json::as_str(t).or_else(|| json::get(t, TRIGGER_KIND_KEY).and_then(json::as_str)));
    let kind = match kind_text {
        None => TriggerKind::Incident,
        Some(text) => TriggerKind::parse(text).unwrap_or_else(|| {
            let span = trigger_node.map_or(root.span, |n| n.span);
            let message = format!("unknown trigger `{text}`: incident, alert, entity, request or recurrence");
            diags.push(Diagnostic::error(codes::INVALID_VALUE, &source.path, Some(span), message));
            TriggerKind::Other
        }),
    };
    let trigger = Trigger {
        name: trigger_name(kind).to_owned(),
        type_name: if matches!(kind, TriggerKind::Request | TriggerKind::Recurrence) {
            kind_title(kind)
        } else {
            "ApiConnectionWebhook".into()
        },
        kind,
        span: trigger_node.map_or(root.span, |n| n.span),
    };
    let mut secrets = Secrets::default();
    let mut parameters: BTreeMap<String, Value> = BTreeMap::new();
    if let Some(NodeKind::Map(entries)) = json::get(root, "parameters").map(|p| &p.kind) {
        for (key, value) in entries {
            match secret::env_ref(value) {
                Some(env) => {
                    let reference = SecretRef { field: key.name.clone(), env: env.to_owned(), span: value.span };
                    secrets.parameters.insert(key.name.clone(), Some(reference));
                    parameters.insert(key.name.clone(), Value::Null);
                }
                None => {
                    parameters.insert(key.name.clone(), json::to_value(value));
                }
            }
        }
    }
    let mut desugar = Desugar { source, diags, trigger: kind, connections: BTreeMap::new(), ids: BTreeSet::new() };
    if let Some(NodeKind::Map(conns)) = json::get(root, "connections").map(|c| &c.kind) {
        for (key, value) in conns {
            let connection = secret::connection(&key.name, value, &source.path, desugar.diags);
            desugar.connections.insert(key.name.clone(), connection.connector.clone());
            secrets.connections.insert(key.name.clone(), connection);
        }
    }
    let actions = match json::get(root, "steps") {
        Some(steps) => desugar.steps(steps),
        None => {
            desugar.diags.push(Diagnostic::error(
                codes::MISSING_KEY,
                &source.path,
                Some(root.span),
                "a playbook needs `steps`",
            ));
            return None;
        }
    };
    let connections = desugar.connections;
    secrets::check(Some(&actions), source, diags);
    let mut compiler = Compiler::new(source, Surface::Yaml, diags, &connections);
    let block: Block = compiler.block(Some(&actions));
    let mut parameters = parameters;
    parameters.insert("$connections".into(), connections_value(&connections));
    let playbook = Playbook {
        name,
        description: json::get(root, "description").and_then(json::as_str).map(str::to_owned),
        resource_group: json::get(root, "resource_group").and_then(json::as_str).map(str::to_owned),
        source: source.clone(),
        enabled: !matches!(json::get(root, "enabled").map(|e| &e.kind), Some(NodeKind::Bool(false))),
        trigger: Some(trigger),
        parameters,
        connections,
        secrets,
        static_results: BTreeMap::new(),
        actions: block,
    };
    check::check(&playbook, diags);
    Some(playbook)
}

/// The trigger name Sentinel's designer gives each kind.
fn trigger_name(kind: TriggerKind) -> &'static str {
    match kind {
        TriggerKind::Incident => "Microsoft_Sentinel_incident",
        TriggerKind::Alert => "Microsoft_Sentinel_alert",
        TriggerKind::Entity => "Microsoft_Sentinel_entity",
        TriggerKind::Request => "manual",
        TriggerKind::Recurrence | TriggerKind::Other => "Recurrence",
    }
}

fn kind_title(kind: TriggerKind) -> String {
    if kind == TriggerKind::Request {
        "Request".into()
    } else {
        "Recurrence".into()
    }
}

/// `$connections` as a Logic App holds it: key -> `{connectionId, connectionName, id}`.
fn connections_value(connections: &BTreeMap<String, String>) -> Value {
    let map = connections
        .iter()
        .map(|(key, api)| {
            let id = match api.strip_prefix("custom:") {
                Some(custom) => format!("/offline/providers/Microsoft.Web/customApis/{custom}"),
                None => format!("/offline/providers/Microsoft.Web/locations/offline/managedApis/{api}"),
            };
            let value = serde_json::json!({"connectionId": format!("/offline/connections/{key}"), "connectionName": key, "id": id});
            (key.clone(), value)
        })
        .collect();
    Value::Object(map)
}

impl Desugar<'_> {
    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, &self.source.path, Some(span), message));
    }

    /// A step list -> a WDL `actions` mapping.
    pub fn steps(&mut self, node: &Node) -> Node {
        let items: &[Node] = match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            _ => {
                self.error(codes::WRONG_TYPE, node.span, format!("steps are a list, found {}", node.describe()));
                &[]
            }
        };
        let mut entries: Vec<(Key, Node)> = Vec::new();
        let mut names: Vec<(String, String)> = Vec::new();
        for item in items {
            let previous = entries.last().map(|(k, _)| k.name.clone());
            if let Some((key, action)) = self.step(item, previous.as_deref(), &names) {
                if let Some(name) = self.name(item) {
                    names.push((name, key.name.clone()));
                }
                entries.push((key, action));
            }
        }
        Node { kind: NodeKind::Map(entries), span: node.span }
    }

    /// The step's `name` as written (`name: No` is the text `No`, not YAML 1.1's false).
    pub fn name(&self, step: &Node) -> Option<String> {
        json::get(step, "name").and_then(|n| n.scalar_text(&self.source.text))
    }

    /// The step's id: `id`, else the name with spaces as `_`, else `default`; made unique.
    pub fn id(&mut self, step: &Node, default: &str) -> String {
        if let Some(id) = json::get(step, "id").and_then(json::as_str) {
            self.ids.insert(id.to_lowercase());
            return id.to_owned();
        }
        let base = self.name(step).map_or_else(|| default.to_owned(), |n| n.trim().replace(' ', "_"));
        let mut id = base.clone();
        let mut n = 2;
        while !self.ids.insert(id.to_lowercase()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        id
    }

    /// `runAfter` for a step: its `run_after`, or the previous step of the same list.
    pub fn run_after(&mut self, step: &Node, previous: Option<&str>, names: &[(String, String)]) -> Node {
        let span = step.span;
        let resolve =
            |name: &str| names.iter().find(|(n, _)| n == name).map_or_else(|| name.to_owned(), |(_, id)| id.clone());
        let statuses = |node: Option<&Node>| -> Node {
            match node {
                Some(n) if json::as_str(n).is_some() => seq(n.span, vec![n.clone()]),
                Some(n) => n.clone(),
                None => seq(span, vec![text(span, "Succeeded")]),
            }
        };
        let entries: Vec<(Key, Node)> = match json::get(step, "run_after") {
            Some(node) => match &node.kind {
                NodeKind::Seq(items) => items
                    .iter()
                    .filter_map(|i| json::as_str(i).map(|s| (Key { name: resolve(s), span: i.span }, statuses(None))))
                    .collect(),
                NodeKind::Map(map) => {
                    map.iter().map(|(k, v)| (Key { name: resolve(&k.name), span: k.span }, statuses(Some(v)))).collect()
                }
                NodeKind::Str(s) => vec![(Key { name: resolve(s), span: node.span }, statuses(None))],
                _ => {
                    self.error(
                        codes::WRONG_TYPE,
                        node.span,
                        "`run_after` is a list of step ids or a mapping id: [statuses]",
                    );
                    Vec::new()
                }
            },
            None => previous
                .map(|p| vec![(Key { name: p.to_owned(), span }, statuses(json::get(step, "run_after_previous")))])
                .unwrap_or_default(),
        };
        Node { kind: NodeKind::Map(entries), span }
    }
}

/// A string node.
pub fn text(span: Span, s: &str) -> Node {
    Node { kind: NodeKind::Str(s.to_owned()), span }
}

/// A list node.
pub fn seq(span: Span, items: Vec<Node>) -> Node {
    Node { kind: NodeKind::Seq(items), span }
}

/// A mapping node from (key, value) pairs; all keys get `span`.
pub fn map(span: Span, entries: Vec<(&str, Node)>) -> Node {
    Node {
        kind: NodeKind::Map(entries.into_iter().map(|(k, v)| (Key { name: k.to_owned(), span }, v)).collect()),
        span,
    }
}
