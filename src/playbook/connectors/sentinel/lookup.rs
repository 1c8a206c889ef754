//! Reading the incident: Get incident (`POST /Incidents`, body `{incidentArmId}`), Alert - Get
//! incident (`GET /Incidents/subscriptions/{sub}/resourceGroups/{rg}/workspaces/{ws}/alerts/
//! {systemAlertId}`: the incident in hand when its alerts include that id, or when it lists
//! no alerts to check) and Get alerts (`POST /Incidents/Alerts`, this tool's path: the
//! connector reference was not available; answers `{value: [alerts]}`). They change nothing.

use serde_json::{json, Value};

use super::{error, resource, target};
use crate::playbook::connectors::{Effects, Reply};

pub fn get_incident(body: &Value, effects: &mut Effects<'_>) -> Reply {
    match target(body, effects) {
        Ok(incident) => Reply::builtin(200, resource(incident)),
        Err(reply) => *reply,
    }
}

pub fn get_alerts(body: &Value, effects: &mut Effects<'_>) -> Reply {
    match target(body, effects) {
        Ok(incident) => Reply::builtin(200, json!({"value": alerts(&resource(incident))})),
        Err(reply) => *reply,
    }
}

pub fn alert_get_incident(path: &str, effects: &mut Effects<'_>) -> Reply {
    let alert = path.rsplit('/').next().unwrap_or_default();
    let Some(incident) = effects.incident.as_deref() else {
        return error(404, "NotFound", format!("No incident holds alert '{alert}': this run has no incident"));
    };
    let value = resource(incident);
    let listed = alerts(&value);
    let ids: Vec<&str> = listed
        .iter()
        .filter_map(|a| {
            a.get("name").or_else(|| a.get("properties").and_then(|p| p.get("systemAlertId"))).and_then(Value::as_str)
        })
        .collect();
    if ids.is_empty() || ids.iter().any(|id| id.eq_ignore_ascii_case(alert)) {
        Reply::builtin(200, value)
    } else {
        error(404, "NotFound", format!("Alert '{alert}' is not part of the incident in hand"))
    }
}

/// The incident's alerts (`properties.alerts`, or `Alerts`), or an empty list.
fn alerts(incident: &Value) -> Vec<Value> {
    let props = incident.get("properties");
    props
        .and_then(|p| p.get("alerts").or_else(|| p.get("Alerts")))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}
