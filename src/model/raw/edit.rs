//! What actions change of a [`RawIncident`], kept beside its record with the meaning of the same
//! changes to the tree (serde_json's `preserve_order` map): a key the record has keeps its
//! place and gets the new value; a key it lacks is added at the end of the properties, in the
//! order keys were first set; labels and tasks are appended to their arrays (an array that is
//! null, or a `tasks` that is not an array, is replaced by one); an owner is written over the
//! owner object ([`Owner::write_into`]: its five members replaced where they stand or
//! appended). [`write`] splices them into the record's bytes.
//!
//! Stage: model.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::{RawIncident, Slot};
use crate::io::patch::{Json, Patch};
use crate::io::tape::{write_str, Kind};
use crate::model::incident::same_name;
use crate::model::owner::Owner;
use crate::model::target::{IncidentEdit, IncidentRead};

/// The changes made to a record (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct Edits {
    /// String fields set, by key, in the order first set.
    values: Vec<(String, String)>,
    /// The owner last assigned.
    owner: Option<Owner>,
    /// Labels added, by name.
    labels: Vec<String>,
    /// Tasks added.
    tasks: Vec<Map<String, Value>>,
    /// Keys the record lacks that were added, in the order first set.
    added: Vec<String>,
}

impl Edits {
    /// The string set for `key`, if one was.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The owner last assigned, if one was.
    pub fn owner(&self) -> Option<&Owner> {
        self.owner.as_ref()
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
        self.values.is_empty() && self.owner.is_none() && self.labels.is_empty() && self.tasks.is_empty()
    }
}

impl RawIncident<'_> {
    /// Notes that `key` is set: added at the end when the record lacks it.
    fn note(&mut self, key: &str) {
        if self.prop(key).is_none() && !self.edits.added.iter().any(|k| k == key) {
            self.edits.added.push(key.to_owned());
        }
    }

    fn set(&mut self, key: &str, value: &str) {
        self.note(key);
        match self.edits.values.iter_mut().find(|(k, _)| k == key) {
            Some((_, slot)) => value.clone_into(slot),
            None => self.edits.values.push((key.to_owned(), value.to_owned())),
        }
    }

    /// The value of a properties field as the tree holds it (`Null` when absent).
    fn value_of(&self, key: &str) -> Value {
        if let Some(value) = self.edits.value(key) {
            return Value::String(value.to_owned());
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
        if self.field(key).as_deref() == Some(value) {
            return None;
        }
        let old = self.value_of(key);
        self.set(key, value);
        Some(old)
    }

    fn set_owner(&mut self, owner: &Owner) -> Option<Owner> {
        let old = self.owner();
        if !old.is_empty() && old.same_as(owner) {
            return None;
        }
        self.note("owner");
        self.edits.owner = Some(owner.clone());
        Some(old)
    }

    fn add_label(&mut self, name: &str) -> bool {
        if self.label_names().any(|l| same_name(&l, name)) {
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
        self.set("lastModifiedTimeUtc", time);
    }
}

/// A value the edits write: a string, the owner's members, labels or tasks to add.
enum New<'a> {
    Text(&'a str),
    Owner(&'a [(&'static str, Value)]),
    Labels(&'a [String]),
    Tasks(&'a [Map<String, Value>]),
}

/// A label as `add_label` writes it.
#[derive(Serialize)]
struct Label<'a> {
    #[serde(rename = "labelName")]
    name: &'a str,
    #[serde(rename = "labelType")]
    kind: &'static str,
}

impl<'a> Label<'a> {
    fn new(name: &'a str) -> Label<'a> {
        Label { name, kind: "User" }
    }
}

impl Json for Label<'_> {
    fn write_compact(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"labelName\":");
        write_str(out, self.name);
        out.extend_from_slice(b",\"labelType\":");
        write_str(out, self.kind);
        out.push(b'}');
    }
}

impl Json for New<'_> {
    fn write_compact(&self, out: &mut Vec<u8>) {
        match self {
            New::Text(text) => write_str(out, text),
            New::Owner(members) => {
                out.push(b'{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, key);
                    out.push(b':');
                    value.write_compact(out);
                }
                out.push(b'}');
            }
            New::Labels(names) => names.iter().map(|n| Label::new(n)).collect::<Vec<_>>().write_compact(out),
            New::Tasks(tasks) => tasks.write_compact(out),
        }
    }
}

impl Serialize for New<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            New::Text(text) => serializer.serialize_str(text),
            New::Owner(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in *members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            New::Labels(names) => {
                let mut seq = serializer.serialize_seq(Some(names.len()))?;
                for name in *names {
                    seq.serialize_element(&Label::new(name))?;
                }
                seq.end()
            }
            New::Tasks(tasks) => tasks.serialize(serializer),
        }
    }
}

/// Writes `incident`'s record with its edits spliced in.
pub(super) fn write(incident: &RawIncident<'_>, out: &mut Vec<u8>) {
    let edits = &incident.edits;
    let text = incident.root.text();
    if edits.is_empty() {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let mut patch = Patch::new(text, incident.root.multiline());
    for (key, value) in &edits.values {
        if let Some(old) = incident.prop(key) {
            patch.replace(old, value.as_str());
        }
    }
    let owner = edits.owner.as_ref().map(Owner::written);
    match (&owner, incident.slot(Slot::Owner)) {
        (Some(members), Some(old)) if old.kind() == Kind::Object => {
            let mut missing = Vec::new();
            for (key, value) in members {
                match old.get(key) {
                    Some(at) => patch.replace(at, value),
                    None => missing.push((*key, value)),
                }
            }
            patch.push_members(old, &missing);
        }
        (Some(members), Some(old)) => patch.replace(old, &New::Owner(members)),
        _ => {}
    }
    let labels: Vec<Label<'_>> = edits.labels.iter().map(|l| Label::new(l)).collect();
    match incident.slot(Slot::Labels) {
        Some(old) if !labels.is_empty() && old.kind() == Kind::Array => patch.push_items(old, &labels),
        Some(old) if !labels.is_empty() => patch.replace(old, labels.as_slice()),
        _ => {}
    }
    match incident.slot(Slot::Tasks) {
        Some(old) if !edits.tasks.is_empty() && old.kind() == Kind::Array => patch.push_items(old, &edits.tasks),
        Some(old) if !edits.tasks.is_empty() => patch.replace(old, edits.tasks.as_slice()),
        _ => {}
    }
    let members: Vec<(&str, New<'_>)> = edits
        .added
        .iter()
        .filter_map(|key| {
            let value = match key.as_str() {
                "owner" => New::Owner(owner.as_ref()?),
                "labels" => New::Labels(&edits.labels),
                "tasks" => New::Tasks(&edits.tasks),
                other => New::Text(edits.value(other)?),
            };
            Some((key.as_str(), value))
        })
        .collect();
    patch.push_members(incident.props, &members);
    patch.write(out);
}
