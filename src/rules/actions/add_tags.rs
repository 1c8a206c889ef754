//! `add_tags`: adds labels with `labelType: User`; a label that exists (case-insensitively)
//! is a no-op.

use serde_json::Value;

use crate::model::IncidentEdit;

use super::{Act, ActionCtx, Effect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddTags {
    pub tags: Vec<String>,
}

impl Act for AddTags {
    fn apply(&self, incident: &mut dyn IncidentEdit, _: &ActionCtx<'_>, effects: &mut Vec<Effect>) {
        for tag in &self.tags {
            if incident.add_label(tag) {
                effects.push(Effect {
                    action: "add_tags",
                    property: Some("labels"),
                    from: Value::Null,
                    to: Value::String(tag.clone()),
                });
            }
        }
    }
}
