//! `assign_owner`: replaces the owner. Assigning the current owner is a no-op.

use serde_json::Value;

use crate::model::{IncidentEdit, Owner};

use super::{Act, ActionCtx, Effect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignOwner {
    pub owner: Owner,
}

fn identity(owner: &Owner) -> Value {
    owner.display().map_or(Value::Null, |s| Value::String(s.to_owned()))
}

impl Act for AssignOwner {
    fn apply(&self, incident: &mut dyn IncidentEdit, _: &ActionCtx<'_>, effects: &mut Vec<Effect>) {
        if let Some(old) = incident.set_owner(&self.owner) {
            effects.push(Effect {
                action: "assign_owner",
                property: Some("owner"),
                from: identity(&old),
                to: identity(&self.owner),
            });
        }
    }
}
