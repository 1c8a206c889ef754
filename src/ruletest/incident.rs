//! The expectations on the incident that rule tests and playbook tests share: a field
//! (status, severity, classification, owner, ...), the tags and task titles, and the number of
//! audit records, compared with the incident as the rules or the playbook left it.
//!
//! Stage: evaluation (pure: an incident and the expectation -> what differs).

use serde_json::{json, Value};

use crate::model::Incident;

use super::{Check, Field, ListKind, Mode};

/// What an unmet expectation reports: expected, actual, items missing, items unexpected, and
/// one line for people.
pub type Compared = (Value, Value, Vec<String>, Vec<String>, String);

/// `[a, b]`.
pub fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Items of `want` not in `have` (case-insensitively when `fold`).
pub fn absent(want: &[String], have: &[String], fold: bool) -> Vec<String> {
    let key = |s: &String| if fold { lower(s) } else { s.clone() };
    let have: Vec<String> = have.iter().map(key).collect();
    want.iter().filter(|w| !have.contains(&key(w))).cloned().collect()
}

/// A field or list check against `incident`; `None` when it holds (and for the checks that
/// do not read the incident alone: rules fired, playbooks requested, changes).
pub fn compare(check: &Check, incident: &Incident) -> Option<Compared> {
    match check {
        Check::Field { field, want } => compare_field(incident, *field, want.as_ref()),
        Check::List { list: kind, mode, items } => compare_list(incident, *kind, *mode, items),
        _ => None,
    }
}

/// `changes: N` against the number of audit records.
pub fn compare_changes(want: u64, have: usize) -> Option<Compared> {
    let have = have as u64;
    (have != want).then(|| (json!(want), json!(have), Vec::new(), Vec::new(), format!("expected {want}, got {have}")))
}

/// A field of the incident (status, severity, owner, ...) against the expected value; `None`
/// wants the field unset.
fn compare_field(incident: &Incident, field: Field, want: Option<&String>) -> Option<Compared> {
    let have = match field.incident_key() {
        Some(key) => incident.field(key).filter(|v| !v.is_empty()).map(str::to_owned),
        None => incident.owner().display().map(str::to_owned),
    };
    let same = match (want, field) {
        (Some(w), Field::Owner) => incident.owner().matches(w),
        (Some(w), f) if f.ignores_case() => have.as_deref().is_some_and(|h| lower(h) == lower(w)),
        (Some(w), _) => have.as_deref() == Some(w.as_str()),
        (None, _) => have.is_none(),
    };
    let unset = if field == Field::Owner { "unassigned" } else { "unset" };
    let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| unset.to_owned());
    let message = format!("expected {}, got {}", show(want), show(have.as_ref()));
    (!same).then(|| (json!(want), json!(have), Vec::new(), Vec::new(), message))
}

/// The incident's tags or task titles against the items: included, exactly these, or none of
/// them.
fn compare_list(incident: &Incident, kind: ListKind, mode: Mode, items: &[String]) -> Option<Compared> {
    let have: Vec<String> = match kind {
        ListKind::Tags => incident.labels().map(str::to_owned).collect(),
        ListKind::Tasks => incident.task_titles().map(str::to_owned).collect(),
    };
    let (missing, unexpected, message) = match mode {
        Mode::Include => {
            let missing = absent(items, &have, true);
            let message = format!("missing {}; has {}", list(&missing), list(&have));
            (missing, Vec::new(), message)
        }
        Mode::Exact => {
            let (missing, unexpected) = (absent(items, &have, true), absent(&have, items, true));
            let message = match (missing.is_empty(), unexpected.is_empty()) {
                (false, false) => format!("missing {}; unexpected {}", list(&missing), list(&unexpected)),
                (false, true) => format!("missing {}", list(&missing)),
                _ => format!("unexpected {}", list(&unexpected)),
            };
            (missing, unexpected, message)
        }
        Mode::Exclude => {
            let present: Vec<String> =
                items.iter().filter(|i| absent(&[(*i).clone()], &have, true).is_empty()).cloned().collect();
            let message = format!("present {}", list(&present));
            (Vec::new(), present, message)
        }
    };
    (!missing.is_empty() || !unexpected.is_empty()).then(|| (json!(items), json!(have), missing, unexpected, message))
}
