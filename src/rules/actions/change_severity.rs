//! `change_severity`: sets the incident's severity.

use crate::model::{IncidentEdit, Severity};

use super::{set_field, Act, ActionCtx, Effect};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSeverity {
    pub severity: Severity,
}

impl Act for ChangeSeverity {
    fn apply(&self, incident: &mut dyn IncidentEdit, _: &ActionCtx<'_>, effects: &mut Vec<Effect>) {
        set_field(incident, "change_severity", "severity", self.severity.as_str(), effects);
    }
}
