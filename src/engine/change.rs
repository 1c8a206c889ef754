//! [`Change`]: one audit record (SPEC 3), serialized as a JSON Lines row with a stable key
//! order: time, incident, incidentNumber, source, rule, ruleOrder, playbook, step, action,
//! property, from, to, modifiedBy.

use serde::Serialize;
use serde_json::Value;

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeSource {
    AutomationRule,
    Playbook,
}

/// One change to one incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub time: String,
    /// The incident's ARM name (or id).
    pub incident: Option<String>,
    pub incident_number: Option<i64>,
    pub source: ChangeSource,
    pub rule: Option<String>,
    pub rule_order: Option<u32>,
    pub playbook: Option<String>,
    pub step: Option<String>,
    pub action: String,
    pub property: Option<String>,
    pub from: Value,
    pub to: Value,
    pub modified_by: String,
}
