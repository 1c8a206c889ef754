//! Add task to incident (`POST /Incidents/CreateTask`, body `{incidentArmId, taskTitle,
//! taskDescription}`): appends a task with status New, created by the playbook at the
//! simulated time, to `properties.tasks`, and answers the task resource with its ARM id
//! (`<incident id>/tasks/<guid>`), which "Mark a task as completed" (`POST
//! /Incidents/CompleteTask`, body `{taskArmId}`) takes to set the task's status to Completed.
//!
//! A task's id is its own `id` or `name` when the incident file gives one, otherwise a version 5
//! UUID of the incident and the task's position and title: the same in every run, and the same
//! when Add task answers and when Mark a task as completed looks it up.

use serde_json::{json, Map, Value};

use super::{edit, error, modified_by, record, resource, target};
use crate::model::Incident;
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
    let index = tasks(incident).len().saturating_sub(1);
    let (id, name) = task_id(incident, index, &Value::Object(task.clone()));
    record(effects, "add_task", Some("tasks"), Value::Null, Value::String(title.to_owned()));
    Reply::builtin(
        200,
        json!({"id": id, "name": name, "type": "Microsoft.SecurityInsights/Incidents/Tasks", "properties": task}),
    )
}

pub fn complete(body: &Value, effects: &mut Effects<'_>) -> Reply {
    let Some(wanted) = body.get("taskArmId").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()) else {
        return error(400, "BadRequest", "The request has no taskArmId");
    };
    let Some(incident) = effects.incident.as_deref_mut() else {
        return error(404, "NotFound", format!("Task '{wanted}' was not found: this run has no incident"));
    };
    let list = tasks(incident);
    let found = list.iter().enumerate().find(|(i, t)| {
        let (id, name) = task_id(incident, *i, t);
        id.eq_ignore_ascii_case(wanted)
            || name.eq_ignore_ascii_case(wanted)
            || wanted.to_ascii_lowercase().ends_with(&format!("/tasks/{}", name.to_ascii_lowercase()))
    });
    let Some((index, task)) = found else {
        return error(404, "NotFound", format!("Task '{wanted}' is not a task of the incident in hand"));
    };
    let (id, name) = task_id(incident, index, task);
    let title = task.get("title").cloned().unwrap_or(Value::Null);
    let before = task.get("status").cloned().unwrap_or(Value::Null);
    edit(incident, |props| {
        if let Some(Value::Object(t)) = props.get_mut("tasks").and_then(|t| t.get_mut(index)) {
            t.insert("status".into(), json!("Completed"));
        }
    });
    let after = tasks(incident).get(index).cloned().unwrap_or(Value::Null);
    if before != json!("Completed") {
        let from = json!({"title": title, "status": before});
        let to = json!({"title": title, "status": "Completed"});
        record(effects, "complete_task", Some("tasks"), from, to);
    }
    Reply::builtin(
        200,
        json!({"id": id, "name": name, "type": "Microsoft.SecurityInsights/Incidents/Tasks", "properties": after}),
    )
}

fn tasks(incident: &Incident) -> Vec<Value> {
    let value = resource(incident);
    value.pointer("/properties/tasks").and_then(Value::as_array).cloned().unwrap_or_default()
}

/// (ARM id, name) of the task at `index`.
fn task_id(incident: &Incident, index: usize, task: &Value) -> (String, String) {
    let value = resource(incident);
    let incident_id = value.get("id").or_else(|| value.get("name")).and_then(Value::as_str).unwrap_or("incident");
    if let Some(id) = task.get("id").and_then(Value::as_str) {
        let name = id.rsplit('/').next().unwrap_or(id).to_owned();
        return (id.to_owned(), name);
    }
    let name = match task.get("name").and_then(Value::as_str) {
        Some(n) => n.to_owned(),
        None => {
            let title = task.get("title").and_then(Value::as_str).unwrap_or_default();
            let seed = format!("{incident_id}\n{index}\n{title}");
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, seed.as_bytes()).to_string()
        }
    };
    (format!("{incident_id}/tasks/{name}"), name)
}
