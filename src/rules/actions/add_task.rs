//! `add_task`: appends a task (Sentinel's AddIncidentTask) to `properties.tasks`, status New,
//! created by the rule at the simulated time. Tasks appear in rule order (Sentinel docs).

use serde_json::{Map, Value};

use crate::model::IncidentEdit;

use super::{Act, ActionCtx, Effect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddTask {
    pub title: String,
    pub description: Option<String>,
}

impl Act for AddTask {
    fn apply(&self, incident: &mut dyn IncidentEdit, ctx: &ActionCtx<'_>, effects: &mut Vec<Effect>) {
        let mut task = Map::new();
        task.insert("title".into(), Value::String(self.title.clone()));
        if let Some(d) = &self.description {
            task.insert("description".into(), Value::String(d.clone()));
        }
        task.insert("status".into(), Value::String("New".into()));
        task.insert("createdTimeUtc".into(), Value::String(ctx.now.to_owned()));
        let mut by = Map::new();
        by.insert("name".into(), Value::String(ctx.modified_by.to_owned()));
        task.insert("createdBy".into(), Value::Object(by));
        incident.add_task(task);
        effects.push(Effect {
            action: "add_task",
            property: Some("tasks"),
            from: Value::Null,
            to: Value::String(self.title.clone()),
        });
    }
}
