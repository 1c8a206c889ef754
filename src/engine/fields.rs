//! [`FinalFields`]: what an outcome leaves that a reader of the incident sees, normalised so
//! that two outcomes compare equal when Sentinel would show the same incident: status,
//! classification (with reason and comment), severity, owner, tags and task titles as sets
//! (case-insensitively, in sorted order), and the playbook runs the rules asked for (a sorted
//! list: which runs, not in what order). Times, audit records and the order of the labels array
//! are left out. `--ties permute` compares the orders of a tie with it ([`super::ties`]); it is
//! also what a comparison of two rule sets reports field by field.
//!
//! Stage: evaluation -> output (pure).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use crate::model::{ChangeSource, IncidentRead};

use super::Outcome;

/// The fields compared, in the order reports list them.
pub const FIELDS: [&str; 9] = [
    "status",
    "classification",
    "classificationReason",
    "classificationComment",
    "severity",
    "owner",
    "tags",
    "tasks",
    "playbooks",
];

/// One compared value: a field's text (`None` when unset) or a sorted list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldValue {
    Text(Option<String>),
    List(Vec<String>),
}

impl fmt::Display for FieldValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldValue::Text(Some(text)) => f.write_str(text),
            FieldValue::Text(None) => f.write_str("unset"),
            FieldValue::List(items) => write!(f, "[{}]", items.join(", ")),
        }
    }
}

/// The normalised final state of one outcome, by field name ([`FIELDS`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinalFields {
    values: BTreeMap<&'static str, FieldValue>,
}

/// One field that differs between two outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: FieldValue,
    pub after: FieldValue,
}

/// Sorted, case-insensitively unique (the first spelling kept).
fn set_of(items: Vec<Cow<'_, str>>) -> Vec<String> {
    let mut by_key: BTreeMap<String, String> = BTreeMap::new();
    for item in items {
        by_key.entry(item.to_lowercase()).or_insert_with(|| item.into_owned());
    }
    by_key.into_values().collect()
}

impl FinalFields {
    /// The fields of `outcome`.
    pub fn of<I: IncidentRead>(outcome: &Outcome<I>) -> FinalFields {
        let incident: &dyn IncidentRead = &outcome.incident;
        let text = |key: &str| FieldValue::Text(incident.field(key).filter(|v| !v.is_empty()).map(Cow::into_owned));
        let mut playbooks: Vec<String> = outcome
            .changes
            .iter()
            .filter(|c| c.action == "run_playbook" && c.source == ChangeSource::AutomationRule)
            .filter_map(|c| c.playbook.clone())
            .collect();
        playbooks.sort();
        let values = BTreeMap::from([
            ("status", text("status")),
            ("classification", text("classification")),
            ("classificationReason", text("classificationReason")),
            ("classificationComment", text("classificationComment")),
            ("severity", text("severity")),
            ("owner", FieldValue::Text(incident.owner().display().map(str::to_owned))),
            ("tags", FieldValue::List(set_of(incident.labels()))),
            ("tasks", FieldValue::List(set_of(incident.task_titles()))),
            ("playbooks", FieldValue::List(playbooks)),
        ]);
        FinalFields { values }
    }

    /// The value of `field` (one of [`FIELDS`]).
    pub fn get(&self, field: &str) -> Option<&FieldValue> {
        self.values.get(field)
    }

    /// The fields that differ from `self` in `other`, in [`FIELDS`] order.
    pub fn diff(&self, other: &FinalFields) -> Vec<FieldChange> {
        FIELDS
            .iter()
            .filter_map(|&field| {
                let (before, after) = (self.values.get(field)?, other.values.get(field)?);
                (before != after).then(|| FieldChange { field, before: before.clone(), after: after.clone() })
            })
            .collect()
    }
}
