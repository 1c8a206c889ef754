//! `change_status`: sets the status and, when closing, the classification, its reason and a
//! comment (Sentinel's ModifyProperties status/classification fields).

use crate::model::{Classification, ClassificationReason, IncidentEdit, Status};

use super::{set_field, Act, ActionCtx, Effect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeStatus {
    pub status: Status,
    pub classification: Option<Classification>,
    pub reason: Option<ClassificationReason>,
    pub comment: Option<String>,
}

impl Act for ChangeStatus {
    fn apply(&self, incident: &mut dyn IncidentEdit, _: &ActionCtx<'_>, effects: &mut Vec<Effect>) {
        const KEY: &str = "change_status";
        set_field(incident, KEY, "status", self.status.as_str(), effects);
        if let Some(c) = self.classification {
            set_field(incident, KEY, "classification", c.as_str(), effects);
        }
        if let Some(r) = self.reason {
            set_field(incident, KEY, "classificationReason", r.as_str(), effects);
        }
        if let Some(comment) = &self.comment {
            set_field(incident, KEY, "classificationComment", comment, effects);
        }
    }
}
