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

impl ChangeSource {
    fn as_str(self) -> &'static str {
        match self {
            ChangeSource::AutomationRule => "automation-rule",
            ChangeSource::Playbook => "playbook",
        }
    }
}

/// Appends `text` as a JSON string ([`crate::io::tape::write_str`]).
fn string(out: &mut Vec<u8>, text: &str) -> serde_json::Result<()> {
    crate::io::tape::write_str(out, text);
    Ok(())
}

fn value(out: &mut Vec<u8>, value: &Value) -> serde_json::Result<()> {
    match value {
        Value::String(text) => string(out, text),
        other => serde_json::to_writer(&mut *out, other),
    }
}

fn opt_string(out: &mut Vec<u8>, text: Option<&str>) -> serde_json::Result<()> {
    match text {
        Some(t) => string(out, t),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

fn opt_number(out: &mut Vec<u8>, n: Option<impl std::fmt::Display>) {
    use std::io::Write;
    match n {
        // Writing to a Vec cannot fail.
        Some(n) => drop(write!(out, "{n}")),
        None => out.extend_from_slice(b"null"),
    }
}

impl Change {
    /// Appends this record as one compact JSON object, byte for byte what `serde_json` makes of
    /// the derived `Serialize`, but with the keys written as literals (batch runs write one of
    /// these per change, so it is on the hot path).
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(b"{\"time\":");
        string(out, &self.time)?;
        out.extend_from_slice(b",\"incident\":");
        opt_string(out, self.incident.as_deref())?;
        out.extend_from_slice(b",\"incidentNumber\":");
        opt_number(out, self.incident_number);
        out.extend_from_slice(b",\"source\":\"");
        out.extend_from_slice(self.source.as_str().as_bytes());
        out.extend_from_slice(b"\",\"rule\":");
        opt_string(out, self.rule.as_deref())?;
        out.extend_from_slice(b",\"ruleOrder\":");
        opt_number(out, self.rule_order);
        out.extend_from_slice(b",\"playbook\":");
        opt_string(out, self.playbook.as_deref())?;
        out.extend_from_slice(b",\"step\":");
        opt_string(out, self.step.as_deref())?;
        out.extend_from_slice(b",\"action\":");
        string(out, &self.action)?;
        out.extend_from_slice(b",\"property\":");
        opt_string(out, self.property.as_deref())?;
        out.extend_from_slice(b",\"from\":");
        value(out, &self.from)?;
        out.extend_from_slice(b",\"to\":");
        value(out, &self.to)?;
        out.extend_from_slice(b",\"modifiedBy\":");
        string(out, &self.modified_by)?;
        out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn write_json_is_what_serde_writes() {
        let base = Change {
            time: "2026-06-01T00:00:00Z".into(),
            incident: Some("n\"1".into()),
            incident_number: Some(-4101),
            source: ChangeSource::AutomationRule,
            rule: Some("Ünïcode \\ rule\n".into()),
            rule_order: Some(10),
            playbook: None,
            step: None,
            action: "change_status".into(),
            property: Some("status".into()),
            from: json!("New"),
            to: json!({"a": [1, 2.5, null, true]}),
            modified_by: "Automation rule - x".into(),
        };
        let other = Change {
            incident: None,
            incident_number: None,
            source: ChangeSource::Playbook,
            rule: None,
            rule_order: None,
            playbook: Some("pb".into()),
            step: Some("Add comment".into()),
            property: None,
            from: Value::Null,
            ..base.clone()
        };
        for change in [base, other] {
            let mut out = Vec::new();
            change.write_json(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&change).unwrap());
        }
    }
}
