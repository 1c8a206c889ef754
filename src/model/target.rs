//! The one accessor layer for an incident, whichever way it is held: [`IncidentRead`] (what
//! conditions, update events and final-field comparisons read) and [`IncidentEdit`] (what
//! actions change), implemented by the parsed tree ([`Incident`]) and by a record read in place
//! from its bytes ([`super::raw::RawIncident`]). The engine, the condition view and the actions
//! go through these traits only, so both forms run through one evaluator with one set of
//! semantics.
//!
//! Stage: model.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::incident::Incident;
use super::owner::Owner;
use crate::io::tape::{Kind, Val};

/// What is read of an incident. Strings are borrowed where the form holds them as they are
/// (a tree, or a record string without escapes) and decoded otherwise.
pub trait IncidentRead {
    /// The incident's ARM name (its GUID), or its id when it has no name.
    fn name(&self) -> Option<Cow<'_, str>>;
    /// The sequential incident number.
    fn number(&self) -> Option<i64>;
    /// A string field of the properties; `None` when absent or null.
    fn field(&self, key: &str) -> Option<Cow<'_, str>>;
    /// The owner (unassigned when absent or all-null).
    fn owner(&self) -> Owner;
    /// Label names, in order.
    fn labels(&self) -> Vec<Cow<'_, str>>;
    /// Strings of an array field, by path under the properties (`["additionalData", "tactics"]`).
    /// (Borrowed where the form keeps the lists actions never change, as a record read in place
    /// does: it reads each once.)
    fn string_array(&self, path: &[&str]) -> Cow<'_, [Cow<'_, str>]>;
    /// A count under `additionalData` (`alertsCount`, `commentsCount`).
    fn additional_count(&self, key: &str) -> Option<i64>;
    /// Every entity, from `properties.relatedEntities` and a top-level `entities` array.
    fn entities(&self) -> Cow<'_, [Entity<'_>]>;
    /// Custom details: each key with its string values.
    fn custom_details(&self) -> Vec<(Cow<'_, str>, Vec<Cow<'_, str>>)>;
    /// Task titles, in order.
    fn task_titles(&self) -> Vec<Cow<'_, str>>;
}

/// What actions change of an incident; every method is a no-op when nothing would change, and
/// says what was there before.
pub trait IncidentEdit {
    /// Sets a string field of the properties; the previous value when it changed
    /// (case-sensitively), `None` for a no-op.
    fn set_field(&mut self, key: &str, value: &str) -> Option<Value>;
    /// Assigns `owner` unless the incident already has that owner; the previous owner.
    fn set_owner(&mut self, owner: &Owner) -> Option<Owner>;
    /// Adds a label with `labelType: User` unless one with that name exists (case-insensitively);
    /// true when it was added.
    fn add_label(&mut self, name: &str) -> bool;
    /// Appends a task object to `properties.tasks` (created when absent).
    fn add_task(&mut self, task: Map<String, Value>);
    /// Sets `lastModifiedTimeUtc`.
    fn touch(&mut self, time: &str);
}

/// An entity: its kind (`Host`, `Ip`, ...) and its fields, in either form.
#[derive(Debug, Clone)]
pub struct Entity<'a> {
    pub kind: Cow<'a, str>,
    fields: Fields<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Fields<'a> {
    Tree(&'a Map<String, Value>),
    Raw(Val<'a>),
}

impl<'a> Entity<'a> {
    /// An entity of a parsed incident.
    pub fn tree(kind: &'a str, fields: &'a Map<String, Value>) -> Entity<'a> {
        Entity { kind: Cow::Borrowed(kind), fields: Fields::Tree(fields) }
    }

    /// An entity of a record read in place; `fields` is an object on its tape.
    pub fn raw(kind: Cow<'a, str>, fields: Val<'a>) -> Entity<'a> {
        Entity { kind, fields: Fields::Raw(fields) }
    }

    /// A field as text: a string, or a number or boolean as JSON writes it; `None` when absent
    /// or of another type.
    pub fn get(&self, field: &str) -> Option<Cow<'a, str>> {
        match self.fields {
            Fields::Tree(map) => match map.get(field)? {
                Value::String(s) => Some(Cow::Borrowed(s.as_str())),
                Value::Number(n) => Some(Cow::Owned(n.to_string())),
                Value::Bool(b) => Some(Cow::Owned(b.to_string())),
                _ => None,
            },
            Fields::Raw(object) => object.get(field)?.scalar(),
        }
    }

    /// A string field (no numbers or booleans), as suppression compares them.
    pub fn get_str(&self, field: &str) -> Option<Cow<'a, str>> {
        match self.fields {
            Fields::Tree(map) => map.get(field)?.as_str().map(Cow::Borrowed),
            Fields::Raw(object) => object.get(field).filter(|v| v.kind() == Kind::String)?.str(),
        }
    }
}

impl IncidentRead for Incident {
    fn name(&self) -> Option<Cow<'_, str>> {
        Incident::name(self).map(Cow::Borrowed)
    }

    fn number(&self) -> Option<i64> {
        Incident::number(self)
    }

    fn field(&self, key: &str) -> Option<Cow<'_, str>> {
        Incident::field(self, key).map(Cow::Borrowed)
    }

    fn owner(&self) -> Owner {
        Incident::owner(self)
    }

    fn labels(&self) -> Vec<Cow<'_, str>> {
        Incident::labels(self).map(Cow::Borrowed).collect()
    }

    fn string_array(&self, path: &[&str]) -> Cow<'_, [Cow<'_, str>]> {
        Cow::Owned(Incident::string_array(self, path).map(Cow::Borrowed).collect())
    }

    fn additional_count(&self, key: &str) -> Option<i64> {
        Incident::additional_count(self, key)
    }

    fn entities(&self) -> Cow<'_, [Entity<'_>]> {
        Cow::Owned(Incident::entities(self).map(|e| Entity::tree(e.kind, e.properties)).collect())
    }

    fn custom_details(&self) -> Vec<(Cow<'_, str>, Vec<Cow<'_, str>>)> {
        Incident::custom_details(self)
            .map(|(k, vs)| (Cow::Borrowed(k), vs.into_iter().map(Cow::Borrowed).collect()))
            .collect()
    }

    fn task_titles(&self) -> Vec<Cow<'_, str>> {
        Incident::task_titles(self).map(Cow::Borrowed).collect()
    }
}

impl IncidentEdit for Incident {
    fn set_field(&mut self, key: &str, value: &str) -> Option<Value> {
        Incident::set_field(self, key, value)
    }

    fn set_owner(&mut self, owner: &Owner) -> Option<Owner> {
        Incident::set_owner(self, owner)
    }

    fn add_label(&mut self, name: &str) -> bool {
        Incident::add_label(self, name)
    }

    fn add_task(&mut self, task: Map<String, Value>) {
        Incident::add_task(self, task);
    }

    fn touch(&mut self, time: &str) {
        Incident::touch(self, time);
    }
}
