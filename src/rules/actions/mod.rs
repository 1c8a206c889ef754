//! Compiled actions, one file per kind behind the [`Act`] trait. An action changes the
//! incident only through [`IncidentEdit`] (a parsed incident or a record read in place) and
//! reports each real change as an [`Effect`]; setting a field to its current value is a no-op
//! and reports nothing (SPEC 2).

mod add_tags;
mod add_task;
mod assign_owner;
mod change_severity;
mod change_status;
pub mod run_playbook;

pub use add_tags::AddTags;
pub use add_task::AddTask;
pub use assign_owner::AssignOwner;
pub use change_severity::ChangeSeverity;
pub use change_status::ChangeStatus;
pub use run_playbook::RunPlaybook;

use serde_json::Value;

use crate::model::IncidentEdit;

/// What an action sees besides the incident.
#[derive(Debug, Clone, Copy)]
pub struct ActionCtx<'a> {
    /// The simulated clock, RFC 3339.
    pub now: &'a str,
    /// `Automation rule - <name>`.
    pub modified_by: &'a str,
}

/// One real change made by an action.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The action's YAML key (`change_status`, ...).
    pub action: &'static str,
    /// The incident field changed (REST name); `None` when the incident itself is not changed
    /// (a playbook run request).
    pub property: Option<&'static str>,
    pub from: Value,
    pub to: Value,
}

/// Behaviour of one action kind.
pub trait Act {
    /// Applies the action, appending one [`Effect`] per real change.
    fn apply(&self, incident: &mut dyn IncidentEdit, ctx: &ActionCtx<'_>, effects: &mut Vec<Effect>);
}

/// A compiled action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    ChangeStatus(ChangeStatus),
    ChangeSeverity(ChangeSeverity),
    AssignOwner(AssignOwner),
    AddTags(AddTags),
    AddTask(AddTask),
    RunPlaybook(RunPlaybook),
}

impl Action {
    fn act(&self) -> &dyn Act {
        match self {
            Action::ChangeStatus(a) => a,
            Action::ChangeSeverity(a) => a,
            Action::AssignOwner(a) => a,
            Action::AddTags(a) => a,
            Action::AddTask(a) => a,
            Action::RunPlaybook(a) => a,
        }
    }

    /// Applies the action (see [`Act::apply`]).
    pub fn apply(&self, incident: &mut dyn IncidentEdit, ctx: &ActionCtx<'_>, effects: &mut Vec<Effect>) {
        self.act().apply(incident, ctx, effects);
    }
}

/// Sets a string field and records the effect when it changed.
fn set_field(
    incident: &mut dyn IncidentEdit,
    action: &'static str,
    key: &'static str,
    value: &str,
    effects: &mut Vec<Effect>,
) {
    if let Some(old) = incident.set_field(key, value) {
        effects.push(Effect { action, property: Some(key), from: old, to: Value::String(value.to_owned()) });
    }
}
