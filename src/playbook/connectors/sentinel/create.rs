//! Operations that make something besides the incident in hand:
//!
//! - Create incident (`PUT /Incidents/subscriptions/{sub}/resourceGroups/{rg}/workspaces/{ws}`,
//!   body `{title, description, severity, status, classification, owner, ownerAction,
//!   tagsToAdd}`): offline there is no workspace to hold it, so the answer is the incident
//!   Sentinel would return, built deterministically: its name a version 5 UUID of the request,
//!   the workspace and the simulated time, its number the next one after the incident in hand's
//!   (1 without one), status New and severity Medium unless given, created and modified at the
//!   simulated time. The audit log records it as `create_incident` (with the new incident's
//!   name and number, its title as `to`); it is not written to `--out`, which holds the incident
//!   in hand.
//! - Create / Delete incident relation (`POST /Incidents/Relation/Create` and `.../Delete`,
//!   body `{incidentArmId, relatedResourceId}`): the incident in hand (checked as Update incident
//!   checks it) gets the relation in the audit log (`create_relation` / `delete_relation`, the
//!   related resource as `to` / `from`); the answer is the relation resource `{id, name,
//!   properties: {relatedResourceId, relatedResourceName, relatedResourceType}}` (the
//!   SecurityInsights REST relation's names).

use serde_json::{json, Map, Value};

use super::{error, modified_by, record, resource, target};
use crate::model::{Change, ChangeSource};
use crate::playbook::connectors::{Effects, Reply};
use crate::playbook::expr::functions::encoding::percent_decode;

pub fn incident(path: &str, body: &Value, effects: &mut Effects<'_>) -> Reply {
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let Some(title) = text("title") else { return error(400, "BadRequest", "The request has no title") };
    let parts: Vec<String> =
        path.split('?').next().unwrap_or(path).trim_matches('/').split('/').map(percent_decode).collect();
    let after = |marker: &str| {
        parts
            .iter()
            .position(|p| p.eq_ignore_ascii_case(marker))
            .and_then(|i| parts.get(i + 1))
            .cloned()
            .unwrap_or_default()
    };
    let (sub, rg, ws) = (after("subscriptions"), after("resourceGroups"), after("workspaces"));
    let held = effects.incident.as_deref().and_then(crate::model::Incident::number).unwrap_or(0);
    let created = effects.changes.iter().filter(|c| c.action == "create_incident").count();
    let number = held + 1 + i64::try_from(created).unwrap_or(0);
    let seed = format!("{sub}/{rg}/{ws}\n{}\n{}\n{number}", effects.now, body);
    let name = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, seed.as_bytes()).to_string();
    let id = format!(
        "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.OperationalInsights/workspaces/{ws}/providers/Microsoft.SecurityInsights/Incidents/{name}"
    );
    let labels: Vec<Value> = body
        .pointer("/tagsToAdd/TagsToAdd")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("Tag").and_then(Value::as_str))
        .map(|t| json!({"labelName": t, "labelType": "User"}))
        .collect();
    let mut props = Map::new();
    props.insert("title".into(), json!(title));
    props.insert("description".into(), json!(text("description").unwrap_or_default()));
    props.insert("severity".into(), json!(text("severity").unwrap_or("Medium")));
    props.insert("status".into(), json!(text("status").unwrap_or("New")));
    if let Some(owner) = text("owner") {
        props.insert("owner".into(), json!({"assignedTo": owner, "userPrincipalName": owner}));
    }
    props.insert("labels".into(), Value::Array(labels));
    props.insert("incidentNumber".into(), json!(number));
    props.insert("createdTimeUtc".into(), json!(effects.now));
    props.insert("lastModifiedTimeUtc".into(), json!(effects.now));
    props.insert(
        "additionalData".into(),
        json!({"alertsCount": 0, "bookmarksCount": 0, "commentsCount": 0, "alertProductNames": [], "tactics": []}),
    );
    effects.changes.push(Change {
        time: effects.now.to_owned(),
        incident: Some(name.clone()),
        incident_number: Some(number),
        source: ChangeSource::Playbook,
        rule: None,
        rule_order: None,
        playbook: Some(effects.playbook.to_owned()),
        step: Some(effects.step.to_owned()),
        action: "create_incident".to_owned(),
        property: None,
        from: Value::Null,
        to: json!(title),
        modified_by: modified_by(effects.playbook),
    });
    Reply::builtin(
        200,
        json!({"id": id, "name": name, "type": "Microsoft.SecurityInsights/Incidents", "properties": props}),
    )
}

pub fn relation(body: &Value, effects: &mut Effects<'_>, create: bool) -> Reply {
    let Some(related) = body.get("relatedResourceId").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
    else {
        return error(400, "BadRequest", "The request has no relatedResourceId");
    };
    let incident = match target(body, effects) {
        Ok(incident) => incident,
        Err(reply) => return *reply,
    };
    let value = resource(incident);
    let incident_id =
        value.get("id").or_else(|| value.get("name")).and_then(Value::as_str).unwrap_or("incident").to_owned();
    let seed = format!("{incident_id}\n{}", related.to_ascii_lowercase());
    let name = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, seed.as_bytes()).to_string();
    let segments: Vec<&str> = related.trim_end_matches('/').split('/').collect();
    let related_name = segments.last().copied().unwrap_or_default();
    let related_type = segments
        .iter()
        .rposition(|s| s.eq_ignore_ascii_case("providers"))
        .map(|p| segments.get(p + 1..segments.len().saturating_sub(1)).unwrap_or_default().join("/"))
        .unwrap_or_default();
    if create {
        record(effects, "create_relation", None, Value::Null, json!(related));
    } else {
        record(effects, "delete_relation", None, json!(related), Value::Null);
        return Reply::builtin(200, json!(""));
    }
    Reply::builtin(
        200,
        json!({
            "id": format!("{incident_id}/relations/{name}"),
            "name": name,
            "type": "Microsoft.SecurityInsights/Incidents/relations",
            "properties": {"relatedResourceId": related, "relatedResourceName": related_name, "relatedResourceType": related_type},
        }),
    )
}
