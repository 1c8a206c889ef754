//! The trigger payload a run starts with. Sentinel delivers the incident (or alert, or entity)
//! to the playbook's webhook; offline, the payload is built from the incident or alert in hand,
//! in the shapes the reference records (section 3):
//!
//! - incident trigger: `{eventUniqueId, objectSchemaType: Incident, objectEventType: Create,
//!   workspaceInfo: {SubscriptionId, ResourceGroupName, WorkspaceName}, workspaceId, object}`
//!   where `object` is the incident resource; the workspace parts come from its ARM id;
//! - alert trigger: a SecurityAlert-shaped object ([`alert`]), from an alert file or from the
//!   incident's first alert, the incident filling in what that alert lacks;
//! - entity trigger: `{Entity, IncidentArmID}` with the incident's first entity;
//! - request and other triggers: the incident resource as the body.

use serde_json::{json, Map, Value};

use crate::model::alert::{fields, get};
use crate::model::{Alert, Incident};
use crate::playbook::connectors::sentinel::{entities::pascal, resource};
use crate::playbook::model::{Playbook, TriggerKind};

/// The trigger body for `kind`, from the incident.
pub fn body(kind: TriggerKind, incident: &Incident) -> Value {
    let object = resource(incident);
    let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
    let part = |marker: &str| segment_after(id, marker);
    let props = object.get("properties");
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
            "object": with_lists(object),
        }),
        TriggerKind::Alert => {
            let first = props.and_then(|p| p.get("alerts").or_else(|| p.get("Alerts"))).and_then(|a| a.get(0));
            security_alert(first.unwrap_or(&Value::Null), Some(&object))
        }
        TriggerKind::Entity => json!({
            "Entity": props.and_then(|p| p.get("relatedEntities")).and_then(|e| e.get(0)).cloned().unwrap_or(Value::Null),
            "IncidentArmID": object.get("id").cloned().unwrap_or(Value::Null),
        }),
        TriggerKind::Request | TriggerKind::Recurrence | TriggerKind::Other => object,
    }
}

/// The lists Sentinel's incident trigger always carries in `object.properties`, empty when the
/// incident has none (reference section 3.1: alerts, bookmarks, relatedEntities, comments,
/// relatedAnalyticRuleIds). An exported incident often lacks them, and real templates loop over
/// `triggerBody()?['object']?['properties']?['Alerts']` (comment-remediation-steps,
/// email-formatted-incident-report), which fails on null but runs zero times on `[]`. A list
/// present under any casing is kept as it is.
const INCIDENT_LISTS: &[&str] = &["alerts", "bookmarks", "relatedEntities", "comments", "relatedAnalyticRuleIds"];

fn with_lists(mut object: Value) -> Value {
    if let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) {
        for list in INCIDENT_LISTS {
            if !props.keys().any(|k| k.eq_ignore_ascii_case(list)) {
                props.insert((*list).to_owned(), Value::Array(Vec::new()));
            }
        }
    }
    object
}

/// The alert trigger's body for an alert read from a file (REST entity, bare properties or a
/// SecurityAlert table row).
pub fn alert(alert: &Alert) -> Value {
    security_alert(alert.as_value(), None)
}

/// The alert trigger's body for an alert given with the incident that holds it: the alert's
/// own fields; the incident only fills in the workspace when the alert does not name it.
pub fn alert_in(alert: &Alert, incident: &Incident) -> Value {
    let mut body = security_alert(alert.as_value(), None);
    let id = resource(incident).get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
    for (key, marker) in [
        ("WorkspaceSubscriptionId", "subscriptions"),
        ("WorkspaceResourceGroup", "resourceGroups"),
        ("WorkspaceId", "workspaces"),
    ] {
        if body.get(key).is_none_or(Value::is_null) {
            if let Some(map) = body.as_object_mut() {
                map.insert(key.to_owned(), segment_after(&id, marker));
            }
        }
    }
    body
}

/// Why `playbook` does not run on an alert, or `None` for an alert-trigger playbook: Sentinel
/// runs only alert-trigger playbooks on alerts (an incident-trigger playbook runs on incidents,
/// an entity-trigger one on entities, the others on their own triggers).
pub fn refuse_alert(playbook: &Playbook) -> Option<String> {
    const WHY: &str = "Sentinel runs only alert-trigger playbooks on alerts";
    let name = &playbook.name;
    let kind = playbook.trigger.as_ref().map(|t| t.kind);
    let reason = match kind {
        Some(TriggerKind::Alert) => return None,
        Some(TriggerKind::Incident) => {
            format!("playbook {name} has an incident trigger; it runs on incidents, not alerts")
        }
        Some(TriggerKind::Entity) => format!("playbook {name} has an entity trigger; it runs on entities, not alerts"),
        Some(k @ (TriggerKind::Request | TriggerKind::Recurrence)) => {
            format!("playbook {name} has a {} trigger; it does not run on alerts", k.as_str())
        }
        Some(TriggerKind::Other) => format!("playbook {name} has no Sentinel trigger; it does not run on alerts"),
        None => format!("playbook {name} has no trigger; it does not run on alerts"),
    };
    Some(format!("{reason} ({WHY})"))
}

/// The alert trigger payload's keys, each with the alert fields it is read from (camelCase REST
/// names and PascalCase SecurityAlert table columns, compared ignoring case) and the incident
/// property that stands in when an incident's alert lacks it: every field of the SecurityAlert
/// schema the alert trigger delivers. `ExtendedProperties`, `ExtendedLinks`,
/// `RemediationSteps`, `ResourceIdentifiers` and `ConfidenceReasons` are JSON strings in the
/// table and parsed in the payload ([`decoded`]).
const FIELDS: &[(&str, &[&str], Option<&str>)] = &[
    ("SystemAlertId", &["systemAlertId"], None),
    ("AlertDisplayName", &["alertDisplayName", "displayName", "alertName"], Some("title")),
    ("AlertType", &["alertType"], None),
    ("Description", &["description"], Some("description")),
    ("Severity", &["severity", "alertSeverity"], Some("severity")),
    ("Status", &["status"], None),
    ("ProviderAlertId", &["providerAlertId", "vendorOriginalId"], Some("providerIncidentId")),
    ("ProductName", &["productName"], Some("providerName")),
    ("ProductComponentName", &["productComponentName"], None),
    ("VendorName", &["vendorName"], None),
    ("ConfidenceLevel", &["confidenceLevel"], None),
    ("StartTimeUtc", &["startTimeUtc", "startTime"], None),
    ("EndTimeUtc", &["endTimeUtc", "endTime"], None),
    ("TimeGenerated", &["timeGenerated"], Some("createdTimeUtc")),
    ("AlertUri", &["alertUri", "alertLink"], None),
    ("CompromisedEntity", &["compromisedEntity"], None),
    ("RemediationSteps", &["remediationSteps"], None),
    ("ExtendedProperties", &["extendedProperties", "additionalData"], None),
    ("ExtendedLinks", &["extendedLinks"], None),
    ("ConfidenceScore", &["confidenceScore"], None),
    ("ConfidenceReasons", &["confidenceReasons"], None),
    ("Intent", &["intent"], None),
    ("Tactics", &["tactics"], None),
    ("Techniques", &["techniques"], None),
    ("SubTechniques", &["subTechniques"], None),
    ("IsIncident", &["isIncident"], None),
    ("ProcessingEndTime", &["processingEndTime"], None),
    ("ResourceIdentifiers", &["resourceIdentifiers"], None),
    ("VendorOriginalId", &["vendorOriginalId"], None),
    ("ResourceId", &["resourceId"], None),
    ("SourceComputerId", &["sourceComputerId"], None),
    ("SourceSystem", &["sourceSystem"], None),
];

/// The one builder of the alert trigger's SecurityAlert-shaped body: the [`FIELDS`], the
/// workspace (`Workspace*` fields of a table row, else the ARM ids of the alert and then of the
/// incident, and a row's `TenantId`, which is the workspace id) and `Entities` in graph form
/// (the alert's own, else the incident's `relatedEntities`). A missing field is null, so
/// `triggerBody()?['X']` reads the same as in Sentinel's payload.
fn security_alert(alert: &Value, incident: Option<&Value>) -> Value {
    let empty = Map::new();
    let own = fields(alert).unwrap_or(&empty);
    let props = incident.and_then(|i| i.get("properties")).and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Map::new();
    for (key, names, fallback) in FIELDS {
        let value = get(own, names).or_else(|| fallback.and_then(|f| props.get(f)));
        let value = match *key {
            "ExtendedProperties"
            | "ExtendedLinks"
            | "RemediationSteps"
            | "ResourceIdentifiers"
            | "ConfidenceReasons" => value.map(decoded),
            _ => value.cloned(),
        };
        out.insert((*key).to_owned(), value.unwrap_or(Value::Null));
    }
    let name = |v: Option<&Value>| v.and_then(|v| v.get("name")).filter(|n| n.is_string()).cloned();
    if out.get("SystemAlertId").is_none_or(Value::is_null) {
        let id = name(Some(alert)).or_else(|| name(incident)).unwrap_or(Value::Null);
        out.insert("SystemAlertId".into(), id);
    }
    let ids: Vec<&str> = [Some(alert), incident].into_iter().flatten().filter_map(|v| v.get("id")?.as_str()).collect();
    let workspace = |names: &[&str], marker: &str| {
        let named = names.iter().find_map(|n| get(own, &[n]).filter(|v| !v.is_null()).cloned());
        named.or_else(|| ids.iter().map(|id| segment_after(id, marker)).find(|v| !v.is_null())).unwrap_or(Value::Null)
    };
    out.insert("WorkspaceSubscriptionId".into(), workspace(&["WorkspaceSubscriptionId"], "subscriptions"));
    out.insert("WorkspaceResourceGroup".into(), workspace(&["WorkspaceResourceGroup"], "resourceGroups"));
    out.insert("WorkspaceId".into(), workspace(&["WorkspaceId", "TenantId"], "workspaces"));
    let entities = get(own, &["entities", "relatedEntities"]).map(decoded).filter(|e| !e.is_null());
    let entities = entities.or_else(|| props.get("relatedEntities").cloned());
    out.insert("Entities".into(), graph_entities(entities.as_ref()));
    Value::Object(out)
}

/// A JSON column as the payload carries it: the SecurityAlert table holds `ExtendedProperties`,
/// `Entities` and `RemediationSteps` as JSON strings; the trigger gives them parsed. A string
/// that is not JSON stays as it is.
fn decoded(value: &Value) -> Value {
    match value {
        Value::String(text) if text.trim_start().starts_with(['{', '[']) => {
            serde_json::from_str(text).unwrap_or_else(|_| value.clone())
        }
        other => other.clone(),
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

/// Entities in the alert's graph form: `$id`, lower-case `Type`, PascalCase properties. Items
/// already in graph form (a `Type`, or a `$ref`) are kept as they are; ARM-form items (`kind`,
/// camelCase `properties`) are converted and numbered by position.
fn graph_entities(list: Option<&Value>) -> Value {
    let items = list.and_then(Value::as_array).into_iter().flatten();
    let out = items
        .enumerate()
        .filter_map(|(i, e)| {
            if e.get("Type").is_some() || e.get("$ref").is_some() {
                return Some(e.clone());
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    const WS: &str =
        "/subscriptions/sub-1/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc";

    fn incident(alerts: Value) -> Incident {
        Incident::from_value(json!({
            "id": format!("{WS}/providers/Microsoft.SecurityInsights/Incidents/inc-1"),
            "name": "inc-1",
            "properties": {
                "title": "Incident title", "description": "Incident text", "severity": "High",
                "providerName": "Azure Sentinel", "providerIncidentId": "7", "createdTimeUtc": "2026-05-01T10:00:00Z",
                "alerts": alerts,
                "relatedEntities": [{"kind": "Ip", "properties": {"address": "10.0.0.1"}}]
            }
        }))
        .unwrap()
    }

    #[test]
    fn an_incident_without_alerts_gives_its_own_fields() {
        let body = body(TriggerKind::Alert, &incident(json!([])));
        assert_eq!(body["SystemAlertId"], "inc-1");
        assert_eq!(body["AlertDisplayName"], "Incident title");
        assert_eq!(body["Severity"], "High");
        assert_eq!(body["ProviderAlertId"], "7");
        assert_eq!(body["TimeGenerated"], "2026-05-01T10:00:00Z");
        assert_eq!(body["AlertType"], Value::Null);
        assert_eq!(
            (&body["WorkspaceSubscriptionId"], &body["WorkspaceResourceGroup"], &body["WorkspaceId"]),
            (&json!("sub-1"), &json!("rg-soc"), &json!("law-soc"))
        );
        assert_eq!(body["Entities"], json!([{"$id": "1", "Type": "ip", "Address": "10.0.0.1"}]));
    }

    #[test]
    fn the_incident_trigger_always_carries_sentinels_lists() {
        let bare = Incident::from_value(
            json!({"name": "inc-2", "properties": {"title": "t", "Comments": [{"message": "m"}]}}),
        )
        .unwrap();
        let props = &body(TriggerKind::Incident, &bare)["object"]["properties"];
        assert_eq!(props["alerts"], json!([]));
        assert_eq!(props["bookmarks"], json!([]));
        assert_eq!(props["relatedEntities"], json!([]));
        assert_eq!(props["relatedAnalyticRuleIds"], json!([]));
        assert_eq!(props["Comments"], json!([{"message": "m"}]), "a list present under another casing is kept");
        assert!(props.get("comments").is_none());
        let full = body(TriggerKind::Incident, &incident(json!([{"name": "al-1"}])));
        assert_eq!(full["object"]["properties"]["alerts"], json!([{"name": "al-1"}]));
        assert_eq!(full["object"]["properties"]["relatedEntities"][0]["kind"], "Ip");
    }

    #[test]
    fn an_incidents_first_alert_comes_first() {
        let alert = json!({"name": "al-1", "kind": "SecurityAlert", "properties": {
            "systemAlertId": "al-1", "alertDisplayName": "Alert title", "severity": "Low", "alertType": "T1"}});
        let body = body(TriggerKind::Alert, &incident(json!([alert])));
        assert_eq!(
            (&body["SystemAlertId"], &body["AlertDisplayName"], &body["Severity"], &body["AlertType"]),
            (&json!("al-1"), &json!("Alert title"), &json!("Low"), &json!("T1"))
        );
        assert_eq!(body["Description"], "Incident text");
    }

    #[test]
    fn a_rest_alert_and_a_table_row_give_the_same_shape() {
        let rest = Alert::from_value(json!({
            "id": format!("{WS}/providers/Microsoft.SecurityInsights/Entities/al-2"),
            "name": "al-2", "kind": "SecurityAlert",
            "properties": {"systemAlertId": "al-2", "alertDisplayName": "Brute force", "severity": "Medium",
                "productName": "Azure Sentinel", "additionalData": {"Query": "SigninLogs"}}
        }))
        .unwrap();
        let row = Alert::from_value(json!({
            "SystemAlertId": "al-2", "AlertName": "Brute force", "AlertSeverity": "Medium",
            "ProductName": "Azure Sentinel", "ExtendedProperties": "{\"Query\":\"SigninLogs\"}",
            "WorkspaceSubscriptionId": "sub-1", "WorkspaceResourceGroup": "rg-soc", "TenantId": "law-soc",
            "Entities": "[{\"$id\":\"2\",\"Type\":\"account\",\"Name\":\"ada\"},{\"$ref\":\"2\"}]"
        }))
        .unwrap();
        let (a, b) = (alert(&rest), alert(&row));
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&a), keys(&b));
        for key in ["SystemAlertId", "AlertDisplayName", "Severity", "ProductName", "ExtendedProperties"] {
            assert_eq!(a[key], b[key], "{key}");
        }
        for key in ["WorkspaceSubscriptionId", "WorkspaceResourceGroup", "WorkspaceId"] {
            assert_eq!(a[key], b[key], "{key}");
        }
        assert_eq!(a["Entities"], json!([]));
        assert_eq!(b["Entities"], json!([{"$id": "2", "Type": "account", "Name": "ada"}, {"$ref": "2"}]));
        assert_eq!(a["TimeGenerated"], Value::Null);
    }
}
