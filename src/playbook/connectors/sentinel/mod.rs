//! The built-in `azuresentinel` operations, acting on the incident in hand. Recognised by
//! method and path, as real templates write them (the playbook reference, table 4.1, and the
//! research note on the connector's operations), current and legacy:
//!
//! | operation | wire form | file |
//! |---|---|---|
//! | Add comment to incident (V3) | `POST /Incidents/Comment` | [`comment`] |
//! | Add comment to incident (V2, legacy) | `PUT /Comment/{sub}/{ws}/{rg}/{kind}/{id}` | [`comment`] |
//! | Update incident | `PUT /Incidents` | [`update`] |
//! | Create incident | `PUT /Incidents/subscriptions/{sub}/resourceGroups/{rg}/workspaces/{ws}` | [`create`] |
//! | Create / Delete incident relation | `POST /Incidents/Relation/Create`, `.../Delete` | [`create`] |
//! | Add task to incident | `POST /Incidents/CreateTask` | [`task`] |
//! | Mark a task as completed | `POST /Incidents/CompleteTask` | [`task`] |
//! | Entities - Get IPs / Accounts / Hosts / URLs / FileHashes / DNS | `POST /entities/{kind}` | [`entities`] |
//! | Get incident | `POST /Incidents` | [`lookup`] |
//! | Alert - Get incident | `GET /Incidents/subscriptions/.../alerts/{systemAlertId}` | [`lookup`] |
//! | Get alerts (this tool's path) | `POST /Incidents/Alerts` | [`lookup`] |
//! | Alert - Get incident (V1, legacy) | `GET /Cases/{systemAlertId}/{sub}/{ws}/{rg}` | [`legacy`] |
//! | Change incident status / severity / title / description, add / remove labels (V1, legacy) | `PUT /Case/{sub}/{ws}/{rg}/{kind}/{id}/...` | [`legacy`] |
//! | Watchlists: get, create, delete, list / add / get / update / delete items | `/Watchlists/...`, `/V2/Watchlists/...` | [`watchlist`] |
//!
//! Operations that change the incident check that `incidentArmId` names the incident in hand
//! (its ARM id or name, ignoring case) and answer 404 otherwise, as the service does for an
//! unknown incident. Every real change is a [`Change`] with `source: playbook`, the playbook
//! and step names and `modifiedBy: Playbook - <name>`; the incident's `lastModifiedTimeUtc`
//! moves to the simulated time. The bookmark operations (no template calls them) are left to
//! mocks.

pub mod comment;
pub mod create;
pub mod entities;
pub mod legacy;
pub mod lookup;
pub mod task;
pub mod update;
pub mod watchlist;

use serde_json::{json, Map, Value};

use crate::model::{Change, ChangeSource, Incident};

use super::{Call, Effects, Reply};

/// Answers a call to the `azuresentinel` API, or `None` for operations left to mocks.
pub fn answer(call: &Call<'_>, effects: &mut Effects<'_>) -> Option<Reply> {
    let path = call.path.split('?').next().unwrap_or(call.path).to_ascii_lowercase();
    let body = call.inputs.get("body").unwrap_or(&Value::Null);
    let reply = match (call.method, path.as_str()) {
        ("post", "/incidents/comment") => comment::add(body, effects),
        ("put", p) if p.starts_with("/comment/") => comment::add_legacy(body, effects),
        ("put", "/incidents") => update::update(body, effects),
        ("put", p) if p.starts_with("/incidents/subscriptions/") => create::incident(call.path, body, effects),
        ("post", "/incidents/createtask") => task::add(body, effects),
        ("post", "/incidents/completetask") => task::complete(body, effects),
        ("post", "/incidents/relation/create") => create::relation(body, effects, true),
        ("post", "/incidents/relation/delete") => create::relation(body, effects, false),
        ("post", p) if p.starts_with("/entities/") => entities::get(p.trim_start_matches("/entities/"), body)?,
        ("post", "/incidents") => lookup::get_incident(body, effects),
        ("post", "/incidents/alerts") => lookup::get_alerts(body, effects),
        ("get", p) if p.starts_with("/incidents/subscriptions/") && p.contains("/alerts/") => {
            lookup::alert_get_incident(call.path, effects)
        }
        ("get", p) if p.starts_with("/cases/") => legacy::get_case(call.path, effects),
        ("put", p) if p.starts_with("/case/") => legacy::change(call.path, body, effects),
        (m, p) if p.starts_with("/watchlists/") || p.starts_with("/v2/watchlists/") => {
            watchlist::answer(m, call.path, body, effects)?
        }
        _ => return None,
    };
    Some(reply)
}

/// A 400/404 reply with the service's error shape.
pub fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
    Reply::builtin(status, json!({"error": {"code": code, "message": message.into()}}))
}

/// The incident `incidentArmId` names, when it is the one in hand.
pub fn target<'e>(body: &Value, effects: &'e mut Effects<'_>) -> Result<&'e mut Incident, Box<Reply>> {
    let arm = body.get("incidentArmId").and_then(Value::as_str).map(str::trim).unwrap_or_default();
    if arm.is_empty() {
        return Err(Box::new(error(400, "BadRequest", "The request has no incidentArmId")));
    }
    let Some(incident) = effects.incident.as_deref_mut() else {
        return Err(Box::new(error(
            404,
            "NotFound",
            format!("Incident '{arm}' was not found: this run has no incident"),
        )));
    };
    if !names_incident(incident, arm) {
        let held = incident.name().unwrap_or("?").to_owned();
        let message = format!("Incident '{arm}' was not found: this run holds incident '{held}'");
        return Err(Box::new(error(404, "NotFound", message)));
    }
    Ok(incident)
}

/// True when `arm` is the incident's ARM id or ends with its name (case-insensitively). A
/// bare incident without id or name accepts any id.
pub fn names_incident(incident: &Incident, arm: &str) -> bool {
    let id = incident.as_value().get("id").and_then(Value::as_str);
    let name = incident.name();
    if id.is_none() && name.is_none() {
        return true;
    }
    let arm = arm.trim_end_matches('/').to_ascii_lowercase();
    id.is_some_and(|id| id.eq_ignore_ascii_case(&arm))
        || name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            arm == n || arm.ends_with(&format!("/{n}"))
        })
}

/// True when `alert` (a SystemAlertId) is one of the incident's alerts, or the alert the run
/// started from (`run_alert`, given with its incident), or when the incident lists no alerts
/// to check.
pub fn holds_alert(incident: &Incident, alert: &str, run_alert: Option<&str>) -> bool {
    if run_alert.is_some_and(|a| a.eq_ignore_ascii_case(alert)) {
        return true;
    }
    let listed = lookup::alerts(&resource(incident));
    let ids: Vec<&str> = listed
        .iter()
        .filter_map(|a| {
            a.get("properties").and_then(|p| p.get("systemAlertId")).or_else(|| a.get("name")).and_then(Value::as_str)
        })
        .collect();
    ids.is_empty() || ids.iter().any(|id| id.eq_ignore_ascii_case(alert))
}

/// Records one change (and moves `lastModifiedTimeUtc` when a property changed).
pub fn record(effects: &mut Effects<'_>, action: &str, property: Option<&str>, from: Value, to: Value) {
    let Some(incident) = effects.incident.as_deref_mut() else { return };
    if property.is_some() {
        incident.touch(effects.now);
    }
    effects.changes.push(Change {
        time: effects.now.to_owned(),
        incident: incident.name().map(str::to_owned),
        incident_number: incident.number(),
        source: ChangeSource::Playbook,
        rule: None,
        rule_order: None,
        playbook: Some(effects.playbook.to_owned()),
        step: Some(effects.step.to_owned()),
        action: action.to_owned(),
        property: property.map(str::to_owned),
        from,
        to,
        modified_by: modified_by(effects.playbook),
    });
}

/// `Playbook - <name>`, as the SecurityIncident table's ModifiedBy reads.
pub fn modified_by(playbook: &str) -> String {
    format!("Playbook - {playbook}")
}

/// Edits the incident's properties object through its JSON (for the fields the incident model
/// has no accessor for: comments and label removal), keeping key order; the result is
/// checked again as an incident.
pub fn edit(incident: &mut Incident, f: impl FnOnce(&mut Map<String, Value>)) {
    let mut value = incident.as_value().clone();
    let nested = matches!(value.get("properties"), Some(Value::Object(_)));
    let props = if nested { value.get_mut("properties").and_then(Value::as_object_mut) } else { value.as_object_mut() };
    if let Some(props) = props {
        f(props);
    }
    if let Ok(edited) = Incident::from_value(value) {
        *incident = edited;
    }
}

/// The incident in the REST shape (`{id, name, type, properties}`), for outputs.
pub fn resource(incident: &Incident) -> Value {
    let value = incident.as_value();
    if value.get("properties").is_some_and(Value::is_object) {
        value.clone()
    } else {
        json!({"type": "Microsoft.SecurityInsights/Incidents", "properties": value})
    }
}
