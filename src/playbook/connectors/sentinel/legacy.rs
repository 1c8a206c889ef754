//! The deprecated "Cases API" operations, still in real templates (Aggregate-ServiceNow-tickets,
//! update-bulk-incidents-manual, Watchlist-ChangeIncidentSeverityandTitleIFUserVIP), acting on
//! the incident in hand as their replacement, Update incident, does:
//!
//! - `GET /Cases/{systemAlertId}/{sub}/{ws}/{rg}` (Alert - Get incident, V1): the incident in
//!   the old PascalCase shape (`CaseNumber`, `Title`, `Severity`, `Status` with Active as
//!   InProgress, `Labels` as names, `RelatedAlertIds`, the times), or 404 when the alert is not
//!   the incident's;
//! - `PUT /Case/{sub}/{ws}/{rg}/{Incident|Alert}/{number|systemAlertId}/...`: `Status/{s}`
//!   (New, InProgress = Active, Closed; body `{CloseReason?, CloseReasonText?}`), `Severity/{s}`,
//!   `Title` and `Description` (body `{Value}`), `AddLabels` and `RemoveLabels` (body
//!   `{Labels: [{Label}]}`). Each is carried out as the Update incident request it stands for
//!   ([`super::update`]), so its changes, checks and audit records are the same. The target is
//!   checked: `Incident/{n}` must be the incident's number, `Alert/{id}` one of its alerts (or
//!   the alert the run started from); otherwise 404.
//!
//! This tool's choices where the old API is not documented any more: closing without a
//! `CloseReason` classifies the incident Undetermined (the one classification without a
//! reason) with `CloseReasonText` as the comment; `CloseReason` TruePositive, BenignPositive
//! and FalsePositive get the reasons SuspiciousActivity, SuspiciousButExpected and
//! IncorrectAlertLogic; the old severity Critical becomes High, with a run warning.

use serde_json::{json, Map, Value};

use super::{error, holds_alert, lookup, resource, update};
use crate::playbook::connectors::{Effects, Reply};
use crate::playbook::expr::functions::encoding::percent_decode;

/// The path's segments after its first one, URL-decoded.
fn segments(path: &str) -> Vec<String> {
    let path = path.split('?').next().unwrap_or(path);
    path.trim_matches('/').split('/').skip(1).map(percent_decode).collect()
}

/// `GET /Cases/{systemAlertId}/...`.
pub fn get_case(path: &str, effects: &mut Effects<'_>) -> Reply {
    let parts = segments(path);
    let alert = parts.first().map_or("", String::as_str);
    let reply = lookup::alert_get_incident_by_id(alert, effects);
    if reply.status != crate::playbook::model::Status::Succeeded {
        return reply;
    }
    let current = reply.outputs.get("body").cloned().unwrap_or(Value::Null);
    Reply::builtin(200, old_incident(&current))
}

/// The incident resource in the old PascalCase shape.
fn old_incident(current: &Value) -> Value {
    let empty = Map::new();
    let p = current.get("properties").and_then(Value::as_object).unwrap_or(&empty);
    let get = |k: &str| p.get(k).cloned().unwrap_or(Value::Null);
    let status = match p.get("status").and_then(Value::as_str) {
        Some(s) if s.eq_ignore_ascii_case("Active") => json!("InProgress"),
        _ => get("status"),
    };
    let labels: Vec<Value> = p
        .get("labels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.get("labelName").or(Some(l)).filter(|n| n.is_string()).cloned())
        .collect();
    let alert_ids: Vec<Value> = p
        .get("alerts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("properties").and_then(|p| p.get("systemAlertId")).or_else(|| a.get("name")).cloned())
        .collect();
    json!({
        "id": current.get("id").cloned().unwrap_or(Value::Null),
        "name": current.get("name").cloned().unwrap_or(Value::Null),
        "properties": {
            "CaseNumber": get("incidentNumber"),
            "Title": get("title"),
            "Description": get("description"),
            "Severity": get("severity"),
            "Status": status,
            "Labels": labels,
            "AssignedTo": p.get("owner").and_then(|o| o.get("assignedTo")).cloned().unwrap_or(Value::Null),
            "CreatedTimeUtc": get("createdTimeUtc"),
            "StartTimeUtc": get("firstActivityTimeUtc"),
            "EndTimeUtc": get("lastActivityTimeUtc"),
            "LastUpdatedTimeUtc": get("lastModifiedTimeUtc"),
            "RelatedAlertIds": alert_ids,
        }
    })
}

/// `PUT /Case/{sub}/{ws}/{rg}/{kind}/{id}/{operation}[/{value}]`.
pub fn change(path: &str, body: &Value, effects: &mut Effects<'_>) -> Reply {
    let parts = segments(path);
    let (Some(kind), Some(id), Some(operation)) = (parts.get(3), parts.get(4), parts.get(5)) else {
        return error(
            400,
            "BadRequest",
            format!(
                "'{path}' is not a Case operation: /Case/{{sub}}/{{ws}}/{{rg}}/{{Incident|Alert}}/{{id}}/{{operation}}"
            ),
        );
    };
    let value = parts.get(6).map(String::as_str);
    if let Err(reply) = check_target(kind, id, effects) {
        return *reply;
    }
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
    let labels = || -> Vec<Value> {
        body.get("Labels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|l| l.get("Label").or(Some(l)).and_then(Value::as_str))
            .map(|l| json!({"Tag": l}))
            .collect()
    };
    let mut request = Map::new();
    match (operation.to_ascii_lowercase().as_str(), value) {
        ("status", Some(status)) => {
            let status = if status.eq_ignore_ascii_case("InProgress") { "Active" } else { status };
            request.insert("status".into(), json!(status));
            if status.eq_ignore_ascii_case("Closed") {
                let reason = text("CloseReason");
                let classification = match reason.as_deref().map(str::trim) {
                    None | Some("") => "Undetermined".to_owned(),
                    Some(r) if r.contains('-') => r.to_owned(),
                    Some(r) => match r.to_ascii_lowercase().replace(' ', "").as_str() {
                        "truepositive" => "TruePositive - SuspiciousActivity".to_owned(),
                        "benignpositive" => "BenignPositive - SuspiciousButExpected".to_owned(),
                        "falsepositive" => "FalsePositive - IncorrectAlertLogic".to_owned(),
                        _ => r.to_owned(),
                    },
                };
                let mut c = json!({"ClassificationAndReason": classification});
                if let (Some(comment), Some(map)) = (text("CloseReasonText"), c.as_object_mut()) {
                    map.insert("ClassificationReasonText".into(), json!(comment));
                }
                request.insert("classification".into(), c);
            }
        }
        ("severity", Some(severity)) => {
            let severity = if severity.eq_ignore_ascii_case("Critical") {
                let warning = format!(
                    "{}: the old severity 'Critical' is not a severity of current incidents; it was set as High",
                    effects.step
                );
                if !effects.warnings.contains(&warning) {
                    effects.warnings.push(warning);
                }
                "High"
            } else {
                severity
            };
            request.insert("severity".into(), json!(severity));
        }
        ("title", _) => {
            let Some(title) = text("Value") else { return error(400, "BadRequest", "The request has no Value") };
            request.insert("title".into(), json!(title));
        }
        ("description", _) => {
            let Some(d) = text("Value") else { return error(400, "BadRequest", "The request has no Value") };
            request.insert("description".into(), json!(d));
        }
        ("addlabels", _) => {
            request.insert("tagsToAdd".into(), json!({"TagsToAdd": labels()}));
        }
        ("removelabels", _) => {
            request.insert("tagsToRemove".into(), json!({"TagsToRemove": labels()}));
        }
        (other, _) => {
            return error(400, "BadRequest", format!("'{other}' is not a Case operation this tool knows (Status, Severity, Title, Description, AddLabels, RemoveLabels)"))
        }
    }
    let arm = effects.incident.as_deref().map(|i| {
        let r = resource(i);
        r.get("id").or_else(|| r.get("name")).and_then(Value::as_str).unwrap_or("incident-in-hand").to_owned()
    });
    request.insert("incidentArmId".into(), json!(arm.unwrap_or_default()));
    update::update(&Value::Object(request), effects)
}

/// `Incident/{number}` must be the incident in hand's number, `Alert/{id}` one of its alerts.
fn check_target(kind: &str, id: &str, effects: &Effects<'_>) -> Result<(), Box<Reply>> {
    let Some(incident) = effects.incident.as_deref() else {
        return Err(Box::new(error(404, "NotFound", format!("{kind} '{id}' was not found: this run has no incident"))));
    };
    let found = if kind.eq_ignore_ascii_case("Incident") {
        incident.number().is_none_or(|n| n.to_string() == id.trim())
    } else if kind.eq_ignore_ascii_case("Alert") {
        holds_alert(incident, id, effects.alert_id)
    } else {
        return Err(Box::new(error(400, "BadRequest", format!("'{kind}' is not Incident or Alert"))));
    };
    if found {
        Ok(())
    } else {
        let held = incident.number().map_or_else(|| incident.name().unwrap_or("?").to_owned(), |n| n.to_string());
        Err(Box::new(error(404, "NotFound", format!("{kind} '{id}' is not the incident in hand (incident {held})"))))
    }
}
