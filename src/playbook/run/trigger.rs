//! The trigger payload a run starts with. Sentinel delivers the incident (or alert, or entity)
//! to the playbook's webhook; offline, the payload is built from the incident in hand, in the
//! shapes the reference records (section 3):
//!
//! - incident trigger: `{eventUniqueId, objectSchemaType: Incident, objectEventType: Create,
//!   workspaceInfo: {SubscriptionId, ResourceGroupName, WorkspaceName}, workspaceId, object}`
//!   where `object` is the incident resource; the workspace parts come from its ARM id;
//! - alert trigger: a SecurityAlert-shaped object (`SystemAlertId`, `AlertDisplayName`,
//!   `Severity`, `Workspace*`, `Entities` in graph form) for the incident's first alert;
//! - entity trigger: `{Entity, IncidentArmID}` with the incident's first entity;
//! - request and other triggers: the incident resource as the body.

use serde_json::{json, Map, Value};

use crate::model::Incident;
use crate::playbook::connectors::sentinel::{entities::pascal, resource};
use crate::playbook::model::TriggerKind;

/// The trigger body for `kind`, from the incident.
pub fn body(kind: TriggerKind, incident: &Incident) -> Value {
    let object = resource(incident);
    let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
    let part = |marker: &str| segment_after(id, marker);
    let props = object.get("properties").cloned().unwrap_or(Value::Null);
    match kind {
        TriggerKind::Incident => json!({
            "eventUniqueId": object.get("name").cloned().unwrap_or(Value::Null),
            "objectSchemaType": "Incident",
            "objectEventType": "Create",
            "workspaceInfo": {
                "SubscriptionId": part("subscriptions"),
                "ResourceGroupName": part("resourceGroups"),
                "WorkspaceName": part("workspaces"),
            },
            "workspaceId": part("workspaces"),
            "object": object,
        }),
        TriggerKind::Alert => {
            let alert = props
                .get("alerts")
                .or_else(|| props.get("Alerts"))
                .and_then(|a| a.get(0))
                .cloned()
                .unwrap_or(Value::Null);
            let alert_props = alert.get("properties").cloned().unwrap_or(Value::Null);
            let pick = |key: &str, fallback: &str| {
                alert_props.get(key).or_else(|| props.get(fallback)).cloned().unwrap_or(Value::Null)
            };
            json!({
                "SystemAlertId": alert.get("name").or_else(|| object.get("name")).cloned().unwrap_or(Value::Null),
                "AlertDisplayName": pick("alertDisplayName", "title"),
                "Description": pick("description", "description"),
                "Severity": pick("severity", "severity"),
                "ProviderAlertId": pick("providerAlertId", "providerIncidentId"),
                "ProductName": pick("productName", "providerName"),
                "TimeGenerated": pick("timeGenerated", "createdTimeUtc"),
                "WorkspaceSubscriptionId": part("subscriptions"),
                "WorkspaceResourceGroup": part("resourceGroups"),
                "WorkspaceId": part("workspaces"),
                "Entities": graph_entities(props.get("relatedEntities")),
            })
        }
        TriggerKind::Entity => json!({
            "Entity": props.get("relatedEntities").and_then(|e| e.get(0)).cloned().unwrap_or(Value::Null),
            "IncidentArmID": object.get("id").cloned().unwrap_or(Value::Null),
        }),
        TriggerKind::Request | TriggerKind::Recurrence | TriggerKind::Other => object,
    }
}

/// The ARM id segment after `/<marker>/`, ignoring case.
fn segment_after(id: &str, marker: &str) -> Value {
    let mut parts = id.split('/');
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case(marker) {
            return parts.next().map_or(Value::Null, |s| Value::String(s.to_owned()));
        }
    }
    Value::Null
}

/// Incident entities (ARM form) in the alert's graph form: `$id`, lower-case `Type`,
/// PascalCase properties.
fn graph_entities(list: Option<&Value>) -> Value {
    let items = list.and_then(Value::as_array).into_iter().flatten();
    let out = items
        .enumerate()
        .filter_map(|(i, e)| {
            let kind = e.get("kind").and_then(Value::as_str)?;
            let mut map = Map::new();
            map.insert("$id".into(), Value::String((i + 1).to_string()));
            map.insert("Type".into(), Value::String(kind.to_ascii_lowercase()));
            for (k, v) in e.get("properties").and_then(Value::as_object).into_iter().flatten() {
                map.insert(pascal(k), v.clone());
            }
            Some(Value::Object(map))
        })
        .collect();
    Value::Array(out)
}
