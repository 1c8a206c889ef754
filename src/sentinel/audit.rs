//! The audit log in the SecurityIncident table's shape (`--audit-format security-incident`):
//! one row per change, holding the incident as it stood after that change, with
//! `ModifiedBy` = `Automation rule - <name>`, so that the documented audit query
//! `SecurityIncident | where ModifiedBy contains "Automation"` works on the rows once ingested.
//! Requests to run a playbook change no incident field and write no row (Sentinel writes a
//! SecurityIncident row only when the incident changes).

use serde_json::{Map, Value};

use crate::model::Change;
use crate::model::{Incident, Owner};

fn props(incident: &Incident) -> Map<String, Value> {
    let v = incident.as_value();
    v.get("properties").and_then(Value::as_object).or_else(|| v.as_object()).cloned().unwrap_or_default()
}

fn apply(incident: &mut Incident, change: &Change) {
    let to = change.to.as_str().unwrap_or_default();
    match change.property.as_deref() {
        Some("labels") => {
            incident.add_label(to);
        }
        Some("owner") => {
            let owner = if to.contains('@') {
                Owner { upn: Some(to.to_owned()), email: Some(to.to_owned()), ..Owner::default() }
            } else {
                Owner { name: Some(to.to_owned()), ..Owner::default() }
            };
            incident.set_owner(&owner);
        }
        Some("tasks") => {
            let mut task = Map::new();
            task.insert("title".into(), Value::String(to.to_owned()));
            task.insert("status".into(), Value::String("New".into()));
            incident.add_task(task);
        }
        Some(key) => {
            if let Some(field) =
                ["severity", "status", "classification", "classificationReason", "classificationComment"]
                    .into_iter()
                    .find(|k| *k == key)
            {
                incident.set_field(field, to);
            }
        }
        None => {}
    }
    incident.touch(&change.time);
}

/// The row of `incident` after `change`.
fn row(incident: &Incident, change: &Change) -> Value {
    let p = props(incident);
    let get = |key: &str| p.get(key).cloned().unwrap_or(Value::Null);
    let closed = change.property.as_deref() == Some("status") && change.to.as_str() == Some("Closed");
    let owner = p.get("owner").and_then(Value::as_object).map(|o| {
        let keep = ["objectId", "email", "assignedTo", "userPrincipalName"];
        Value::Object(
            o.iter().filter(|(k, _)| keep.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
        )
    });
    let mut r = Map::new();
    r.insert("TimeGenerated".into(), Value::String(change.time.clone()));
    r.insert("IncidentName".into(), incident.name().map_or(Value::Null, |n| Value::String(n.to_owned())));
    r.insert("IncidentNumber".into(), incident.number().map_or(Value::Null, Value::from));
    for (col, key) in [
        ("Title", "title"),
        ("Description", "description"),
        ("Severity", "severity"),
        ("Status", "status"),
        ("Classification", "classification"),
        ("ClassificationReason", "classificationReason"),
        ("ClassificationComment", "classificationComment"),
    ] {
        r.insert(col.into(), get(key));
    }
    r.insert("Owner".into(), owner.unwrap_or(Value::Null));
    r.insert("Labels".into(), p.get("labels").cloned().unwrap_or(Value::Array(Vec::new())));
    r.insert("ProviderName".into(), get("providerName"));
    r.insert("ProviderIncidentId".into(), get("providerIncidentId"));
    r.insert("CreatedTime".into(), get("createdTimeUtc"));
    r.insert("FirstActivityTime".into(), get("firstActivityTimeUtc"));
    r.insert("LastActivityTime".into(), get("lastActivityTimeUtc"));
    r.insert("LastModifiedTime".into(), Value::String(change.time.clone()));
    r.insert("ClosedTime".into(), if closed { Value::String(change.time.clone()) } else { Value::Null });
    r.insert("ModifiedBy".into(), Value::String(change.modified_by.clone()));
    r.insert(
        "RelatedAnalyticRuleIds".into(),
        p.get("relatedAnalyticRuleIds").cloned().unwrap_or(Value::Array(Vec::new())),
    );
    r.insert("AdditionalData".into(), get("additionalData"));
    r.insert("IncidentUrl".into(), get("incidentUrl"));
    r.insert("Tasks".into(), p.get("tasks").cloned().unwrap_or(Value::Array(Vec::new())));
    r.insert("SourceSystem".into(), Value::String("Azure".into()));
    r.insert("Type".into(), Value::String("SecurityIncident".into()));
    Value::Object(r)
}

/// One SecurityIncident row per change of `changes`, made to the incident `before`.
pub fn rows(before: &Incident, changes: &[Change]) -> Vec<Value> {
    let mut incident = before.clone();
    let mut out = Vec::new();
    for change in changes.iter().filter(|c| c.property.is_some()) {
        apply(&mut incident, change);
        out.push(row(&incident, change));
    }
    out
}
