//! `run_playbook`: requests a playbook run. Until the playbook engine runs it, the request is
//! recorded in the audit log (action `run_playbook`, no property), never dropped.

use serde_json::Value;

use crate::model::IncidentEdit;

use super::{Act, ActionCtx, Effect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunPlaybook {
    /// The Logic Apps workflow name.
    pub name: String,
}

/// True for a valid Logic Apps workflow name: 1 to 80 letters, digits, `-`, `_`, `.`, `(`, `)`.
pub fn valid_name(name: &str) -> bool {
    let len = name.chars().count();
    (1..=80).contains(&len) && name.chars().all(|c| c.is_alphanumeric() || "-_.()".contains(c))
}

impl Act for RunPlaybook {
    fn apply(&self, _: &mut dyn IncidentEdit, _: &ActionCtx<'_>, effects: &mut Vec<Effect>) {
        effects.push(Effect {
            action: "run_playbook",
            property: None,
            from: Value::Null,
            to: Value::String(self.name.clone()),
        });
    }
}
