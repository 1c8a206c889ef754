//! Reading the incident: Get incident (`POST /Incidents`, body `{incidentArmId}`), Alert - Get
//! incident (`GET /Incidents/subscriptions/{sub}/resourceGroups/{rg}/workspaces/{ws}/alerts/
//! {systemAlertId}`: the incident in hand when its alerts include that id, when it lists no
//! alerts to check, or when the run started from that alert with its incident) and Get alerts (`POST /Incidents/Alerts`, this tool's path: the
//! connector reference was not available; answers `{value: [alerts]}`). They change nothing.

use serde_json::{json, Value};

use super::{error, holds_alert, resource, target};
use crate::playbook::connectors::{Effects, Reply};
use crate::playbook::expr::functions::encoding::percent_decode;

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
    let alert = path.split('?').next().unwrap_or(path).rsplit('/').next().unwrap_or_default();
    alert_get_incident_by_id(&percent_decode(alert), effects)
}

/// The incident in hand when it holds `alert` ([`holds_alert`]), else 404.
pub fn alert_get_incident_by_id(alert: &str, effects: &mut Effects<'_>) -> Reply {
    let Some(incident) = effects.incident.as_deref() else {
        return error(
            404,
            "NotFound",
            format!("No incident holds alert '{alert}': this run has no incident (give the alert's incident with --incident)"),
        );
    };
    if holds_alert(incident, alert, effects.alert_id) {
        Reply::builtin(200, resource(incident))
    } else {
        error(404, "NotFound", format!("Alert '{alert}' is not part of the incident in hand"))
    }
}

/// The incident's alerts (`properties.alerts`, or `Alerts`), or an empty list.
pub fn alerts(incident: &Value) -> Vec<Value> {
    let props = incident.get("properties");
    props
        .and_then(|p| p.get("alerts").or_else(|| p.get("Alerts")))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}
