//! Add task to incident (`POST /Incidents/CreateTask`, body `{incidentArmId, taskTitle,
//! taskDescription}`): appends a task with status New, created by the playbook at the
//! simulated time, to `properties.tasks`.

use serde_json::{json, Map, Value};

use super::{error, modified_by, record, target};
use crate::playbook::connectors::{Effects, Reply};

pub fn add(body: &Value, effects: &mut Effects<'_>) -> Reply {
    let Some(title) = body.get("taskTitle").and_then(Value::as_str).filter(|t| !t.trim().is_empty()) else {
        return error(400, "BadRequest", "The request has no taskTitle");
    };
    let by = modified_by(effects.playbook);
    let now = effects.now.to_owned();
    let incident = match target(body, effects) {
        Ok(incident) => incident,
        Err(reply) => return *reply,
    };
    let mut task = Map::new();
    task.insert("title".into(), Value::String(title.to_owned()));
    if let Some(d) = body.get("taskDescription").and_then(Value::as_str) {
        task.insert("description".into(), Value::String(d.to_owned()));
    }
    task.insert("status".into(), Value::String("New".into()));
    task.insert("createdTimeUtc".into(), Value::String(now));
    task.insert("createdBy".into(), json!({"name": by}));
    incident.add_task(task.clone());
    record(effects, "add_task", Some("tasks"), Value::Null, Value::String(title.to_owned()));
    Reply::builtin(200, json!({"properties": task}))
}
