//! What actions change of a [`RawIncident`], kept beside its record with the meaning of the same
//! changes to the tree (serde_json's `preserve_order` map): a key the record has keeps its
//! place and gets the new value; a key it lacks is added at the end of the properties, in the
//! order keys were first set; labels and tasks are appended to their arrays (an array that is
//! null, or a `tasks` that is not an array, is replaced by one). [`write`] splices them into the
//! record's bytes.
//!
//! Stage: model.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::{RawIncident, Slot};
use crate::io::patch::Patch;
use crate::io::tape::Kind;
use crate::model::incident::same_name;
use crate::model::owner::Owner;
use crate::model::target::{IncidentEdit, IncidentRead};

/// The changes made to a record (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Edits {
    /// Properties set (string fields, the owner), by key, in the order first set.
    values: Vec<(String, Value)>,
    /// Labels added, by name.
    labels: Vec<String>,
    /// Tasks added.
    tasks: Vec<Map<String, Value>>,
    /// Keys the record lacks that were added, in the order first set.
    added: Vec<String>,
}

impl Edits {
    /// The value set for `key`, if one was.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.values.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Labels added, by name.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Tasks added.
    pub fn tasks(&self) -> &[Map<String, Value>] {
        &self.tasks
    }

    /// True when nothing was changed.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.labels.is_empty() && self.tasks.is_empty()
    }
}

impl RawIncident<'_> {
    /// Notes that `key` is set: added at the end when the record lacks it.
    fn note(&mut self, key: &str) {
        if self.prop(key).is_none() && !self.edits.added.iter().any(|k| k == key) {
            self.edits.added.push(key.to_owned());
        }
    }

    fn set(&mut self, key: &str, value: Value) {
        self.note(key);
        match self.edits.values.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => *slot = value,
            None => self.edits.values.push((key.to_owned(), value)),
        }
    }

    /// The value of a properties field as the tree holds it (`Null` when absent).
    fn value_of(&self, key: &str) -> Value {
        if let Some(value) = self.edits.value(key) {
            return value.clone();
        }
        match self.prop(key) {
            None => Value::Null,
            Some(v) => match v.kind() {
                Kind::String => v.str().map_or(Value::Null, |s| Value::String(s.into_owned())),
                Kind::Null => Value::Null,
                _ => serde_json::from_str(v.raw()).unwrap_or(Value::Null),
            },
        }
    }
}

impl IncidentEdit for RawIncident<'_> {
    fn set_field(&mut self, key: &str, value: &str) -> Option<Value> {
        let old = self.value_of(key);
        if old.as_str() == Some(value) {
            return None;
        }
        self.set(key, Value::String(value.to_owned()));
        Some(old)
    }

    fn set_owner(&mut self, owner: &Owner) -> Option<Owner> {
        let old = self.owner();
        if !old.is_empty() && old.same_as(owner) {
            return None;
        }
        let mut object = match self.value_of("owner") {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        owner.write_into(&mut object);
        self.set("owner", Value::Object(object));
        Some(old)
    }

    fn add_label(&mut self, name: &str) -> bool {
        if self.labels().iter().any(|l| same_name(l, name)) {
            return false;
        }
        self.note("labels");
        self.edits.labels.push(name.to_owned());
        true
    }

    fn add_task(&mut self, task: Map<String, Value>) {
        self.note("tasks");
        self.edits.tasks.push(task);
    }

    fn touch(&mut self, time: &str) {
        self.set("lastModifiedTimeUtc", Value::String(time.to_owned()));
    }
}

/// A label as `add_label` writes it.
fn label(name: &str) -> Value {
    let mut label = Map::new();
    label.insert("labelName".into(), Value::String(name.to_owned()));
    label.insert("labelType".into(), Value::String("User".into()));
    Value::Object(label)
}

/// Writes `incident`'s record with its edits spliced in.
pub(super) fn write(incident: &RawIncident<'_>, out: &mut Vec<u8>) {
    let edits = &incident.edits;
    let text = incident.root.text();
    if edits.is_empty() {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let labels: Vec<Value> = edits.labels.iter().map(|l| label(l)).collect();
    let tasks: Vec<Value> = edits.tasks.iter().cloned().map(Value::Object).collect();
    let appended = |key: &str| match key {
        "labels" if !labels.is_empty() => Some(Cow::Borrowed(labels.as_slice())),
        "tasks" if !tasks.is_empty() => Some(Cow::Borrowed(tasks.as_slice())),
        _ => None,
    };
    let mut patch = Patch::new(text);
    for (key, value) in &edits.values {
        if let Some(old) = incident.prop(key) {
            patch.replace(old, value);
        }
    }
    for (key, slot) in [("labels", Slot::Labels), ("tasks", Slot::Tasks)] {
        match (appended(key), incident.slot(slot)) {
            (Some(items), Some(old)) if old.kind() == Kind::Array => patch.push_items(old, &items),
            (Some(items), Some(old)) => patch.replace(old, &Value::Array(items.into_owned())),
            _ => {}
        }
    }
    let members: Vec<(&str, Value)> = edits
        .added
        .iter()
        .filter_map(|key| {
            let value = match appended(key) {
                Some(items) => Value::Array(items.into_owned()),
                None => edits.value(key)?.clone(),
            };
            Some((key.as_str(), value))
        })
        .collect();
    patch.push_members(incident.props, &members);
    patch.write(out);
}
