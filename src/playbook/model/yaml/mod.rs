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
//! are listed in [`step`]; `type:` with Logic Apps keys (`inputs`, `expression`,
//! `actions`, ...) writes any WDL action as is.

mod data;
pub mod sentinel;
pub mod step;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::{Deref, DerefMut};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::syntax::{Case, Codes, Decoder, Fields, Format, Key, Node, NodeKind, Span};

use super::action::Block;
use super::codes;
use super::compile::{Compiler, Surface};
use super::input::Source;
use super::secret::{self, SecretRef, Secrets};
use super::trigger::{Trigger, TriggerKind};
use super::{check, secrets, Playbook};

/// YAML playbooks: PB codes, keys spelt exactly (`Name:` is an unknown key, not `name`).
pub const FORMAT: Format = Format {
    codes: Codes {
        syntax: codes::SYNTAX,
        duplicate_key: codes::SYNTAX,
        unknown_key: Some(codes::UNKNOWN_KEY),
        missing_key: codes::MISSING_KEY,
        wrong_type: codes::WRONG_TYPE,
        invalid_value: codes::INVALID_VALUE,
    },
    case: Case::Exact,
};

/// Top-level keys.
pub const TOP_KEYS: &[&str] =
    &["name", "description", "enabled", "trigger", "parameters", "connections", "resource_group", "steps"];

/// The one key of the mapping form of `trigger` (`trigger: {kind: alert}`).
pub const TRIGGER_KIND_KEY: &str = "kind";

/// Keys every step may have besides its kind.
pub const COMMON_KEYS: &[&str] = &["name", "id", "run_after", "run_after_previous", "secure", "description"];

/// The desugaring state: the shared [`Decoder`], ids given so far and connections used.
pub struct Desugar<'a> {
    pub d: Decoder<'a>,
    pub trigger: TriggerKind,
    pub connections: BTreeMap<String, String>,
    ids: BTreeSet<String>,
}

impl<'a> Deref for Desugar<'a> {
    type Target = Decoder<'a>;
    fn deref(&self) -> &Decoder<'a> {
        &self.d
    }
}

impl DerefMut for Desugar<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.d
    }
}

/// True when `root` is the YAML surface (it has `steps`). The key is told ignoring case, so
/// that a playbook with `Steps:` is decoded, and its misspelt key reported, as a playbook.
pub fn is_yaml_surface(root: &Node) -> bool {
    root.get_ignore_case("steps").is_some()
}

/// Loads a YAML playbook. Every problem is reported; `None` when the playbook has no name or no
/// steps (what it has is still checked).
pub fn load(source: &Source, root: &Node, diags: &mut Vec<Diagnostic>) -> Option<Playbook> {
    let mut d = Decoder::new(&source.path, &source.text, FORMAT, diags);
    if !root.is_map() {
        d.error(codes::NOT_A_PLAYBOOK, root.span, "a playbook is a mapping");
        return None;
    }
    let f = d.fields(root, "a playbook", TOP_KEYS)?;
    let name = match d.required(&f, "name", "playbook") {
        Some(n) => match d.text(n, "a playbook name") {
            Some(t) if t.value.trim().is_empty() => {
                d.missing(t.span, "name", "playbook");
                None
            }
            text => text.map(|t| t.value),
        },
        None => None,
    };
    let trigger = trigger(&mut d, &f, root.span);
    let (parameters, mut secrets) = parameters(f.get("parameters"));
    let mut desugar = Desugar { d, trigger: trigger.kind, connections: BTreeMap::new(), ids: BTreeSet::new() };
    if let Some(NodeKind::Map(conns)) = f.get("connections").map(|c| &c.kind) {
        for (key, value) in conns {
            let connection = secret::connection(&key.name, value, &mut desugar.d);
            desugar.connections.insert(key.name.clone(), connection.connector.clone());
            secrets.connections.insert(key.name.clone(), connection);
        }
    }
    let steps = desugar.required(&f, "steps", "playbook");
    let actions = steps.map(|s| desugar.steps(s));
    let Desugar { d, connections, .. } = desugar;
    let diags = d.diags;
    let actions = actions?;
    secrets::check(Some(&actions), source, diags);
    let mut compiler = Compiler::new(source, Surface::Yaml, diags, &connections);
    let block: Block = compiler.block(Some(&actions));
    let mut parameters = parameters;
    parameters.insert("$connections".into(), connections_value(&connections));
    let playbook = Playbook {
        name: name.clone().unwrap_or_default(),
        description: f.get("description").and_then(Node::as_str).map(str::to_owned),
        resource_group: f.get("resource_group").and_then(Node::as_str).map(str::to_owned),
        source: source.clone(),
        enabled: !matches!(f.get("enabled").map(|e| &e.kind), Some(NodeKind::Bool(false))),
        trigger: Some(trigger),
        parameters,
        connections,
        secrets,
        static_results: BTreeMap::new(),
        actions: block,
    };
    check::check(&playbook, diags);
    name.is_some().then_some(playbook)
}

/// The trigger: `trigger: alert` or `trigger: {kind: alert}`; an incident trigger when absent.
fn trigger(d: &mut Decoder<'_>, f: &Fields<'_>, root: Span) -> Trigger {
    let node = f.get("trigger").filter(|t| t.kind != NodeKind::Null);
    let text = match node {
        Some(t) if t.is_map() => d
            .fields(t, "`trigger`", &[TRIGGER_KIND_KEY])
            .and_then(|tf| tf.get(TRIGGER_KIND_KEY))
            .and_then(|k| d.text(k, "a trigger kind")),
        Some(t) => d.text(t, "a trigger kind"),
        None => None,
    };
    let kind = match text {
        None => TriggerKind::Incident,
        Some(text) => TriggerKind::parse(&text.value).unwrap_or_else(|| {
            let names = TriggerKind::YAML.map(TriggerKind::as_str);
            d.invalid_value(&text, "trigger", &names);
            TriggerKind::Other
        }),
    };
    Trigger {
        name: trigger_name(kind).to_owned(),
        type_name: if matches!(kind, TriggerKind::Request | TriggerKind::Recurrence) {
            kind_title(kind)
        } else {
            "ApiConnectionWebhook".into()
        },
        kind,
        span: node.map_or(root, |n| n.span),
    }
}

/// The workflow parameters, `{env: NAME}` ones as secret references.
fn parameters(node: Option<&Node>) -> (BTreeMap<String, Value>, Secrets) {
    let mut secrets = Secrets::default();
    let mut parameters: BTreeMap<String, Value> = BTreeMap::new();
    for (key, value) in node.and_then(Node::entries).unwrap_or_default() {
        match secret::env_ref(value) {
            Some(env) => {
                let reference = SecretRef { field: key.name.clone(), env: env.to_owned(), span: value.span };
                secrets.parameters.insert(key.name.clone(), Some(reference));
                parameters.insert(key.name.clone(), Value::Null);
            }
            None => {
                parameters.insert(key.name.clone(), value.to_value());
            }
        }
    }
    (parameters, secrets)
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
    /// A step list -> a WDL `actions` mapping.
    pub fn steps(&mut self, node: &Node) -> Node {
        let items: &[Node] = match &node.kind {
            NodeKind::Seq(items) => items,
            NodeKind::Null => &[],
            _ => {
                self.wrong_type(node, "a list of steps");
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
        step.get("name").and_then(|n| n.scalar_text(self.d.source))
    }

    /// The step's id: `id`, else the name with spaces as `_`, else `default`; made unique.
    pub fn id(&mut self, step: &Node, default: &str) -> String {
        if let Some(id) = step.get("id").and_then(Node::as_str) {
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
                Some(n) if n.as_str().is_some() => Node::seq(n.span, vec![n.clone()]),
                Some(n) => n.clone(),
                None => Node::seq(span, vec![Node::text(span, "Succeeded")]),
            }
        };
        let entries: Vec<(Key, Node)> = match step.get("run_after") {
            Some(node) => match &node.kind {
                NodeKind::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(|s| (Key { name: resolve(s), span: i.span }, statuses(None))))
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
                .map(|p| vec![(Key { name: p.to_owned(), span }, statuses(step.get("run_after_previous")))])
                .unwrap_or_default(),
        };
        Node { kind: NodeKind::Map(entries), span }
    }
}
