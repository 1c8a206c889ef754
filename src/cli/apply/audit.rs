//! Encoding audit records in the format `--audit-format` asks for: `jsonl` (SPEC 3, one
//! [`Change`] per line) or `security-incident` (one SecurityIncident-shaped row per change,
//! see [`crate::sentinel::audit`]).

use clap::ValueEnum;

use crate::model::{Change, Incident};
use crate::sentinel;

/// The shape of audit records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum AuditFormat {
    /// One change record per line (time, incident, rule, action, property, from, to, ...).
    #[default]
    Jsonl,
    /// One SecurityIncident table row per change (TimeGenerated, IncidentName, ..., ModifiedBy).
    SecurityIncident,
}

/// JSON Lines of the audit records of `changes`, made to `before` (needed by the
/// security-incident format; without it the jsonl format is written).
pub fn encode(format: AuditFormat, before: Option<&Incident>, changes: &[Change]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(changes.len() * 384);
    let fail = |e: serde_json::Error| format!("cannot encode the audit record: {e}");
    match (format, before) {
        (AuditFormat::SecurityIncident, Some(before)) => {
            for row in sentinel::audit::rows(before, changes) {
                serde_json::to_writer(&mut out, &row).map_err(fail)?;
                out.push(b'\n');
            }
        }
        _ => {
            for change in changes {
                change.write_json(&mut out).map_err(fail)?;
                out.push(b'\n');
            }
        }
    }
    Ok(out)
}
