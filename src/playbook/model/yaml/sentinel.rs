//! The built-in Sentinel operations' short names in YAML, and the `azuresentinel` calls they
//! stand for (the wire form real templates use):
//!
//! | step key | operation | body |
//! |---|---|---|
//! | `sentinel.add_comment` | Add comment to incident (V3): `POST /Incidents/Comment` | `{message, incident?}` |
//! | `sentinel.update_incident` | Update incident: `PUT /Incidents` | `{incident?, status?, severity?, classification?, classification_comment?, owner?, owner_action?, title?, description?, add_tags?, remove_tags?}` |
//! | `sentinel.add_task` | Add task to incident: `POST /Incidents/CreateTask` | `{title, description?, incident?}` |
//! | `sentinel.complete_task` | Mark a task as completed: `POST /Incidents/CompleteTask` | `{task}` (the task's id, as Add task answers it) |
//! | `sentinel.add_relation` | Create incident relation: `POST /Incidents/Relation/Create` | `{related, incident?}` (the related resource's ARM id) |
//! | `sentinel.get_ips`, `get_accounts`, `get_hosts`, `get_urls`, `get_filehashes`, `get_dns` | Entities - Get IPs / ... / DNS: `POST /entities/ip` / ... / `dnsresolution` | `{entities?}` |
//! | `sentinel.get_incident` | Get incident: `POST /Incidents` | `{incident?}` |
//! | `sentinel.alert_get_incident` | Alert - Get incident: `GET /Incidents/subscriptions/.../alerts/{id}` | none |
//! | `sentinel.get_alerts` | Get alerts of the incident: `POST /Incidents/Alerts` | `{incident?}` |
//!
//! `incident` (the incident ARM id) defaults to the trigger's incident
//! (`@triggerBody()?['object']?['id']`; entity trigger: `IncidentArmID`); an alert playbook
//! names it, usually `"@body('Alert_-_Get_incident')?['id']"`. `entities` defaults to the
//! trigger's entities (`relatedEntities` of the incident, `Entities` of the alert).
//! `classification` is the connector's `ClassificationAndReason` text (`TruePositive -
//! SuspiciousActivity`, `FalsePositive - IncorrectAlertLogic`, `Undetermined`, ...).

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::{Key, Node, NodeKind, Span};

use super::super::codes;
use super::super::trigger::TriggerKind;
use super::step::{host, SENTINEL_PREFIX};
use super::Desugar;

/// A built-in Sentinel operation: its short name (the step key is `sentinel.<name>`), the
/// designer's id for it, the `azuresentinel` call it stands for, and the keys of its body. The
/// decoder and the JSON Schema ([`crate::playbook::schema`]) both read this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub name: &'static str,
    pub default_id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub body: &'static [&'static str],
}

const fn op(
    name: &'static str,
    default_id: &'static str,
    method: &'static str,
    path: &'static str,
    body: &'static [&'static str],
) -> Op {
    Op { name, default_id, method, path, body }
}

/// The keys of `sentinel.update_incident`.
pub const UPDATE_KEYS: &[&str] = &[
    "incident",
    "status",
    "severity",
    "classification",
    "classification_comment",
    "owner",
    "owner_action",
    "title",
    "description",
    "add_tags",
    "remove_tags",
];

const ENTITIES: &[&str] = &["entities"];

pub const OPS: &[Op] = &[
    op("add_comment", "Add_comment_to_incident_(V3)", "post", "/Incidents/Comment", &["message", "incident"]),
    op("update_incident", "Update_incident", "put", "/Incidents", UPDATE_KEYS),
    op("add_task", "Add_task_to_incident", "post", "/Incidents/CreateTask", &["title", "description", "incident"]),
    op("complete_task", "Mark_a_task_as_completed", "post", "/Incidents/CompleteTask", &["task"]),
    op("add_relation", "Create_incident_relation", "post", "/Incidents/Relation/Create", &["related", "incident"]),
    op("get_ips", "Entities_-_Get_IPs", "post", "/entities/ip", ENTITIES),
    op("get_accounts", "Entities_-_Get_Accounts", "post", "/entities/account", ENTITIES),
    op("get_hosts", "Entities_-_Get_Hosts", "post", "/entities/host", ENTITIES),
    op("get_urls", "Entities_-_Get_URLs", "post", "/entities/url", ENTITIES),
    op("get_filehashes", "Entities_-_Get_FileHashes", "post", "/entities/filehash", ENTITIES),
    op("get_dns", "Entities_-_Get_DNS", "post", "/entities/dnsresolution", ENTITIES),
    op("get_incident", "Get_incident", "post", "/Incidents", &["incident"]),
    op("alert_get_incident", "Alert_-_Get_incident", "get", ALERT_PATH, &[]),
    op("get_alerts", "Get_alerts", "post", "/Incidents/Alerts", &["incident"]),
];

const ALERT_PATH: &str = "/Incidents/subscriptions/@{encodeURIComponent(triggerBody()?['WorkspaceSubscriptionId'])}/resourceGroups/@{encodeURIComponent(triggerBody()?['WorkspaceResourceGroup'])}/workspaces/@{encodeURIComponent(triggerBody()?['WorkspaceId'])}/alerts/@{encodeURIComponent(triggerBody()?['SystemAlertId'])}";

/// The operation with the short name `name`.
pub fn find_op(name: &str) -> Option<&'static Op> {
    OPS.iter().find(|o| o.name == name)
}

impl Desugar<'_> {
    /// Builds the `azuresentinel` ApiConnection for `sentinel.<op>`.
    pub fn sentinel(&mut self, op: &str, key: &Key, body: &Node) -> Option<Node> {
        let Some(found) = find_op(op) else {
            let names: Vec<String> = OPS.iter().map(|o| format!("{SENTINEL_PREFIX}{}", o.name)).collect();
            let mut d = Diagnostic::error(
                codes::UNKNOWN_STEP_KIND,
                self.path,
                Some(key.span),
                format!("unknown Sentinel operation `{}`", key.name),
            );
            if let Some(near) = did_you_mean(&key.name, names.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{near}`?"));
            }
            self.push(d);
            return None;
        };
        self.connections.entry("azuresentinel".into()).or_insert_with(|| "azuresentinel".into());
        let what = format!("`{}`", key.name);
        let checked = self.body(body, &what, found.body);
        let body = &checked.node;
        let span = key.span;
        let payload = match op {
            "add_comment" => {
                let message = self.required_field(&checked, "message", &what)?;
                Some(Node::map(body.span, vec![("incidentArmId", self.incident(body, span)?), ("message", message)]))
            }
            "update_incident" => Some(self.update(body, span)?),
            "add_task" => {
                let mut fields = vec![
                    ("incidentArmId", self.incident(body, span)?),
                    ("taskTitle", self.required_field(&checked, "title", &what)?),
                ];
                if let Some(d) = body.get("description") {
                    fields.push(("taskDescription", d.clone()));
                }
                Some(Node::map(body.span, fields))
            }
            "complete_task" => {
                Some(Node::map(body.span, vec![("taskArmId", self.required_field(&checked, "task", &what)?)]))
            }
            "add_relation" => Some(Node::map(
                body.span,
                vec![
                    ("incidentArmId", self.incident(body, span)?),
                    ("relatedResourceId", self.required_field(&checked, "related", &what)?),
                ],
            )),
            "get_incident" | "get_alerts" => {
                Some(Node::map(body.span, vec![("incidentArmId", self.incident(body, span)?)]))
            }
            "alert_get_incident" => None,
            _ => Some(body.get("entities").cloned().unwrap_or_else(|| Node::text(span, self.default_entities()))),
        };
        let mut inputs = vec![
            ("host", host(span, "azuresentinel")),
            ("method", Node::text(span, found.method)),
            ("path", Node::text(span, found.path)),
        ];
        if let Some(payload) = payload {
            inputs.push(("body", payload));
        }
        Some(Node::map(span, vec![("type", Node::text(span, "ApiConnection")), ("inputs", Node::map(span, inputs))]))
    }

    fn update(&mut self, body: &Node, span: Span) -> Option<Node> {
        let mut fields = vec![("incidentArmId", self.incident(body, span)?)];
        for (from, to) in
            [("status", "status"), ("severity", "severity"), ("title", "title"), ("description", "description")]
        {
            if let Some(v) = body.get(from) {
                fields.push((to, v.clone()));
            }
        }
        let mut classification = Vec::new();
        if let Some(v) = body.get("classification") {
            classification.push(("ClassificationAndReason", v.clone()));
        }
        if let Some(v) = body.get("classification_comment") {
            classification.push(("ClassificationReasonText", v.clone()));
        }
        if !classification.is_empty() {
            fields.push(("classification", Node::map(body.span, classification)));
        }
        if let Some(owner) = body.get("owner") {
            fields.push(("owner", owner.clone()));
            let action = body.get("owner_action").cloned().unwrap_or_else(|| Node::text(owner.span, "Assign"));
            fields.push(("ownerAction", action));
        }
        for (from, outer, inner) in
            [("add_tags", "tagsToAdd", "TagsToAdd"), ("remove_tags", "tagsToRemove", "TagsToRemove")]
        {
            if let Some(list) = body.get(from) {
                let tags: Vec<Node> = match &list.kind {
                    NodeKind::Seq(items) => items.iter().map(|t| Node::map(t.span, vec![("Tag", t.clone())])).collect(),
                    _ => vec![Node::map(list.span, vec![("Tag", list.clone())])],
                };
                fields.push((outer, Node::map(list.span, vec![(inner, Node::seq(list.span, tags))])));
            }
        }
        Some(Node::map(body.span, fields))
    }

    /// The `incident` field, or the trigger's incident ARM id.
    fn incident(&mut self, body: &Node, span: Span) -> Option<Node> {
        if let Some(v) = body.get("incident") {
            return Some(v.clone());
        }
        match self.trigger {
            TriggerKind::Incident => Some(Node::text(span, "@triggerBody()?['object']?['id']")),
            TriggerKind::Entity => Some(Node::text(span, "@triggerBody()?['IncidentArmID']")),
            _ => {
                let message = "name the incident: `incident: \"@body('Alert_-_Get_incident')?['id']\"` (only incident playbooks have a default)";
                self.error(codes::MISSING_KEY, span, message);
                None
            }
        }
    }

    fn default_entities(&self) -> &'static str {
        match self.trigger {
            TriggerKind::Alert => "@triggerBody()?['Entities']",
            _ => "@triggerBody()?['object']?['properties']?['relatedEntities']",
        }
    }
}
