//! The built-in Sentinel operations' short names in YAML, and the `azuresentinel` calls they
//! stand for (the wire form real templates use):
//!
//! | step key | operation | body |
//! |---|---|---|
//! | `sentinel.add_comment` | Add comment to incident (V3): `POST /Incidents/Comment` | `{message, incident?}` |
//! | `sentinel.update_incident` | Update incident: `PUT /Incidents` | `{incident?, status?, severity?, classification?, classification_comment?, owner?, owner_action?, title?, description?, add_tags?, remove_tags?}` |
//! | `sentinel.add_task` | Add task to incident: `POST /Incidents/CreateTask` | `{title, description?, incident?}` |
//! | `sentinel.get_ips`, `get_accounts`, `get_hosts`, `get_urls`, `get_filehashes` | Entities - Get IPs / ...: `POST /entities/ip` / ... | `{entities?}` |
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

use crate::diagnostic::Span;
use crate::rules::yaml::{Key, Node, NodeKind};
use crate::sentinel::json;

use super::codes;
use super::trigger::TriggerKind;
use super::yaml::{map, seq, text, Desugar};
use super::yaml_step::host;

/// (short name, default id, method, path).
const OPS: &[(&str, &str, &str, &str)] = &[
    ("add_comment", "Add_comment_to_incident_(V3)", "post", "/Incidents/Comment"),
    ("update_incident", "Update_incident", "put", "/Incidents"),
    ("add_task", "Add_task_to_incident", "post", "/Incidents/CreateTask"),
    ("get_ips", "Entities_-_Get_IPs", "post", "/entities/ip"),
    ("get_accounts", "Entities_-_Get_Accounts", "post", "/entities/account"),
    ("get_hosts", "Entities_-_Get_Hosts", "post", "/entities/host"),
    ("get_urls", "Entities_-_Get_URLs", "post", "/entities/url"),
    ("get_filehashes", "Entities_-_Get_FileHashes", "post", "/entities/filehash"),
    ("get_incident", "Get_incident", "post", "/Incidents"),
    ("alert_get_incident", "Alert_-_Get_incident", "get", ALERT_PATH),
    ("get_alerts", "Get_alerts", "post", "/Incidents/Alerts"),
];

const ALERT_PATH: &str = "/Incidents/subscriptions/@{encodeURIComponent(triggerBody()?['WorkspaceSubscriptionId'])}/resourceGroups/@{encodeURIComponent(triggerBody()?['WorkspaceResourceGroup'])}/workspaces/@{encodeURIComponent(triggerBody()?['WorkspaceId'])}/alerts/@{encodeURIComponent(triggerBody()?['SystemAlertId'])}";

/// The designer's id for a short operation name.
pub fn default_id(op: &str) -> Option<&'static str> {
    OPS.iter().find(|(n, ..)| *n == op).map(|(_, id, ..)| *id)
}

impl Desugar<'_> {
    /// Builds the `azuresentinel` ApiConnection for `sentinel.<op>`.
    pub fn sentinel(&mut self, op: &str, key: &Key, body: &Node) -> Option<Node> {
        let Some((_, _, method, path)) = OPS.iter().find(|(n, ..)| *n == op) else {
            let names: Vec<String> = OPS.iter().map(|(n, ..)| format!("sentinel.{n}")).collect();
            let mut d = crate::diagnostic::Diagnostic::error(
                codes::UNKNOWN_STEP_KIND,
                &self.source.path,
                Some(key.span),
                format!("unknown Sentinel operation `{}`", key.name),
            );
            if let Some(near) = crate::diagnostic::did_you_mean(&key.name, names.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{near}`?"));
            }
            self.diags.push(d);
            return None;
        };
        self.connections.entry("azuresentinel".into()).or_insert_with(|| "azuresentinel".into());
        let span = key.span;
        let payload = match op {
            "add_comment" => {
                self.check_keys(body, &["message", "incident"]);
                let message = self.required(body, "message")?;
                Some(map(body.span, vec![("incidentArmId", self.incident(body, span)?), ("message", message)]))
            }
            "update_incident" => Some(self.update(body, span)?),
            "add_task" => {
                self.check_keys(body, &["title", "description", "incident"]);
                let mut fields =
                    vec![("incidentArmId", self.incident(body, span)?), ("taskTitle", self.required(body, "title")?)];
                if let Some(d) = json::get(body, "description") {
                    fields.push(("taskDescription", d.clone()));
                }
                Some(map(body.span, fields))
            }
            "get_incident" | "get_alerts" => {
                self.check_keys(body, &["incident"]);
                Some(map(body.span, vec![("incidentArmId", self.incident(body, span)?)]))
            }
            "alert_get_incident" => {
                self.check_keys(body, &[]);
                None
            }
            _ => {
                self.check_keys(body, &["entities"]);
                Some(json::get(body, "entities").cloned().unwrap_or_else(|| text(span, self.default_entities())))
            }
        };
        let mut inputs =
            vec![("host", host(span, "azuresentinel")), ("method", text(span, method)), ("path", text(span, path))];
        if let Some(payload) = payload {
            inputs.push(("body", payload));
        }
        Some(map(span, vec![("type", text(span, "ApiConnection")), ("inputs", map(span, inputs))]))
    }

    fn update(&mut self, body: &Node, span: Span) -> Option<Node> {
        self.check_keys(
            body,
            &[
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
            ],
        );
        let mut fields = vec![("incidentArmId", self.incident(body, span)?)];
        for (from, to) in
            [("status", "status"), ("severity", "severity"), ("title", "title"), ("description", "description")]
        {
            if let Some(v) = json::get(body, from) {
                fields.push((to, v.clone()));
            }
        }
        let mut classification = Vec::new();
        if let Some(v) = json::get(body, "classification") {
            classification.push(("ClassificationAndReason", v.clone()));
        }
        if let Some(v) = json::get(body, "classification_comment") {
            classification.push(("ClassificationReasonText", v.clone()));
        }
        if !classification.is_empty() {
            fields.push(("classification", map(body.span, classification)));
        }
        if let Some(owner) = json::get(body, "owner") {
            fields.push(("owner", owner.clone()));
            let action = json::get(body, "owner_action").cloned().unwrap_or_else(|| text(owner.span, "Assign"));
            fields.push(("ownerAction", action));
        }
        for (from, outer, inner) in
            [("add_tags", "tagsToAdd", "TagsToAdd"), ("remove_tags", "tagsToRemove", "TagsToRemove")]
        {
            if let Some(list) = json::get(body, from) {
                let tags: Vec<Node> = match &list.kind {
                    NodeKind::Seq(items) => items.iter().map(|t| map(t.span, vec![("Tag", t.clone())])).collect(),
                    _ => vec![map(list.span, vec![("Tag", list.clone())])],
                };
                fields.push((outer, map(list.span, vec![(inner, seq(list.span, tags))])));
            }
        }
        Some(map(body.span, fields))
    }

    fn required(&mut self, body: &Node, field: &str) -> Option<Node> {
        match json::get(body, field) {
            Some(v) => Some(v.clone()),
            None => {
                self.error(codes::MISSING_KEY, body.span, format!("this step needs `{field}`"));
                None
            }
        }
    }

    /// The `incident` field, or the trigger's incident ARM id.
    fn incident(&mut self, body: &Node, span: Span) -> Option<Node> {
        if let Some(v) = json::get(body, "incident") {
            return Some(v.clone());
        }
        match self.trigger {
            TriggerKind::Incident => Some(text(span, "@triggerBody()?['object']?['id']")),
            TriggerKind::Entity => Some(text(span, "@triggerBody()?['IncidentArmID']")),
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
