//! [`RawIncident`]: an incident read in place from its record's tape ([`crate::io::tape`]): the
//! fields the engine reads are found once, by where they stand, and decoded only when read
//! (and unescaped only when they have escapes); what actions change is kept beside the record
//! ([`edit`]) and spliced into its bytes when it is written ([`RawIncident::write`]). Nothing
//! else of the record is parsed, copied or rewritten.
//!
//! [`RawIncident::read`] accepts exactly the records [`crate::model::Incident::from_value`] accepts, with the
//! same meaning (a repeated key means its last value, as serde_json reads it); for any other
//! record it returns `None`, and the caller reads the record as a tree, which gives the error.
//!
//! Stage: model.

mod edit;

use std::borrow::Cow;
use std::cell::OnceCell;

use crate::io::tape::{Kind, Val};

use super::owner::{Owner, WRITTEN_KEYS};
use super::target::{Entity, IncidentRead};

pub use edit::Edits;

/// The keys of the properties object the engine reads or writes, found in one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Title,
    Description,
    Severity,
    Status,
    Classification,
    ClassificationReason,
    ClassificationComment,
    ProviderName,
    Owner,
    Labels,
    Tasks,
    RelatedAnalyticRuleIds,
    AdditionalData,
    RelatedEntities,
    IncidentNumber,
    IncidentName,
    CustomDetails,
    LastModified,
}

const SLOTS: usize = 18;

/// The string fields [`crate::model::Incident::from_value`] checks, as slots.
const STRING_SLOTS: [Slot; 8] = [
    Slot::Title,
    Slot::Description,
    Slot::Severity,
    Slot::Status,
    Slot::Classification,
    Slot::ClassificationReason,
    Slot::ClassificationComment,
    Slot::ProviderName,
];

impl Slot {
    fn of(key: &str) -> Option<Slot> {
        Slot::of_bytes(key.as_bytes())
    }

    fn of_bytes(key: &[u8]) -> Option<Slot> {
        Some(match key {
            b"title" => Slot::Title,
            b"description" => Slot::Description,
            b"severity" => Slot::Severity,
            b"status" => Slot::Status,
            b"classification" => Slot::Classification,
            b"classificationReason" => Slot::ClassificationReason,
            b"classificationComment" => Slot::ClassificationComment,
            b"providerName" => Slot::ProviderName,
            b"owner" => Slot::Owner,
            b"labels" => Slot::Labels,
            b"tasks" => Slot::Tasks,
            b"relatedAnalyticRuleIds" => Slot::RelatedAnalyticRuleIds,
            b"additionalData" => Slot::AdditionalData,
            b"relatedEntities" => Slot::RelatedEntities,
            b"incidentNumber" => Slot::IncidentNumber,
            b"incidentName" => Slot::IncidentName,
            b"customDetails" => Slot::CustomDetails,
            b"lastModifiedTimeUtc" => Slot::LastModified,
            _ => return None,
        })
    }

    /// The slot of a member's key (compared on its bytes unless it has escapes).
    fn of_key(key: Val<'_>) -> Option<Slot> {
        match key.plain() {
            Some(bytes) => Slot::of_bytes(bytes),
            None => Slot::of(&key.str()?),
        }
    }
}

/// An incident read in place (see the module documentation).
#[derive(Debug, Clone)]
pub struct RawIncident<'t> {
    root: Val<'t>,
    /// The root's members the engine reads.
    top: Top<'t>,
    /// The properties object: `properties` in the REST shape, the root for bare properties.
    props: Val<'t>,
    slots: [Option<Val<'t>>; SLOTS],
    edits: Edits,
    /// The lists actions never change, read once.
    entities: OnceCell<Vec<Entity<'t>>>,
    arrays: [OnceCell<Vec<Cow<'t, str>>>; 3],
}

/// The members of the root the engine reads (the last of each, as serde_json keeps it).
#[derive(Debug, Clone, Copy, Default)]
struct Top<'t> {
    properties: Option<Val<'t>>,
    kind: Option<Val<'t>>,
    name: Option<Val<'t>>,
    id: Option<Val<'t>>,
    entities: Option<Val<'t>>,
}

impl<'t> Top<'t> {
    /// `None` when one of those keys is repeated (see [`RawIncident::read`]).
    fn of(root: Val<'t>) -> Option<Top<'t>> {
        let mut top = Top::default();
        for (key, value) in root.members() {
            let decoded;
            let bytes = match key.plain() {
                Some(bytes) => bytes,
                None => {
                    decoded = key.str()?;
                    decoded.as_bytes()
                }
            };
            let slot = match bytes {
                b"properties" => &mut top.properties,
                b"type" => &mut top.kind,
                b"name" => &mut top.name,
                b"id" => &mut top.id,
                b"entities" => &mut top.entities,
                _ => continue,
            };
            slot.replace(value).is_none().then_some(())?;
        }
        Some(top)
    }
}

/// The array fields conditions read, by path, in the order of [`RawIncident::arrays`].
const ARRAYS: [&[&str]; 3] =
    [&["relatedAnalyticRuleIds"], &["additionalData", "tactics"], &["additionalData", "alertProductNames"]];

impl<'t> RawIncident<'t> {
    /// The incident whose record `root` is, when [`crate::model::Incident::from_value`] would accept it.
    ///
    /// Also `None` when a key the engine reads or writes is repeated in its object (the root's,
    /// the properties', the owner's): serde_json keeps the last value in the first one's place
    /// and writes the key once, which a splice into the record's bytes would not give.
    pub fn read(root: Val<'t>) -> Option<RawIncident<'t>> {
        if root.kind() != Kind::Object {
            return None;
        }
        let top = Top::of(root)?;
        let props = match top.properties {
            Some(props) if props.kind() == Kind::Object => props,
            Some(_) => return None,
            None => root,
        };
        let mut slots = [None; SLOTS];
        for (key, value) in props.members() {
            if let Some(slot) = Slot::of_key(key) {
                slots.get_mut(slot as usize)?.replace(value).is_none().then_some(())?;
            }
        }
        if let Some(owner) = slots.get(Slot::Owner as usize).copied().flatten() {
            let mut seen = [false; WRITTEN_KEYS.len()];
            for (key, _) in owner.members() {
                if let Some(i) = WRITTEN_KEYS.iter().position(|k| key.is(k)) {
                    let seen = seen.get_mut(i)?;
                    (!std::mem::replace(seen, true)).then_some(())?;
                }
            }
        }
        let incident = RawIncident {
            root,
            top,
            props,
            slots,
            edits: Edits::default(),
            entities: OnceCell::new(),
            arrays: Default::default(),
        };
        (incident.looks_like_incident() && incident.types_ok()).then_some(incident)
    }

    fn slot(&self, slot: Slot) -> Option<Val<'t>> {
        self.slots.get(slot as usize).copied().flatten()
    }

    /// The member `key` of the properties as the record has it.
    fn prop(&self, key: &str) -> Option<Val<'t>> {
        match Slot::of(key) {
            Some(slot) => self.slot(slot),
            None => self.props.get(key),
        }
    }

    fn nested(&self) -> bool {
        self.props.start() != self.root.start()
    }

    /// [`crate::model::incident::looks_like_incident`] on the record.
    fn looks_like_incident(&self) -> bool {
        if let Some(kind) = self.top.kind.and_then(|t| t.str()) {
            if !kind.rsplit('/').next().is_some_and(|last| last.eq_ignore_ascii_case("incidents")) {
                return false;
            }
        }
        let has = |slot| self.slot(slot).is_some();
        if self.nested() {
            has(Slot::Title) || has(Slot::Severity) || has(Slot::Status) || has(Slot::IncidentNumber)
        } else {
            has(Slot::Title) && (has(Slot::Severity) || has(Slot::Status))
        }
    }

    /// The type checks of [`crate::model::Incident::from_value`].
    fn types_ok(&self) -> bool {
        let is = |v: Option<Val<'_>>, kinds: &[Kind]| v.is_none_or(|v| kinds.contains(&v.kind()));
        let strings = |v: Option<Val<'_>>| {
            is(v, &[Kind::Null, Kind::Array]) && v.is_none_or(|v| v.items().all(|i| i.kind() == Kind::String))
        };
        let additional = self.slot(Slot::AdditionalData);
        let labels = self.slot(Slot::Labels);
        let entity_lists = [self.slot(Slot::RelatedEntities), self.top.entities];
        STRING_SLOTS.iter().all(|s| is(self.slot(*s), &[Kind::Null, Kind::String]))
            && is(self.slot(Slot::Owner), &[Kind::Null, Kind::Object])
            && is(labels, &[Kind::Null, Kind::Array])
            && labels.is_none_or(|l| l.items().all(|i| i.get("labelName").is_some_and(|n| n.kind() == Kind::String)))
            && strings(self.slot(Slot::RelatedAnalyticRuleIds))
            && strings(additional.and_then(|d| d.get("tactics")))
            && strings(additional.and_then(|d| d.get("alertProductNames")))
            && is(additional, &[Kind::Null, Kind::Object])
            && entity_lists.iter().all(|list| {
                is(*list, &[Kind::Null, Kind::Array])
                    && list.is_none_or(|l| l.items().all(|e| e.get("kind").is_some_and(|k| k.kind() == Kind::String)))
            })
    }

    /// Label names, in order: the record's, then those added.
    fn label_names(&self) -> impl Iterator<Item = Cow<'_, str>> {
        let raw = self.slot(Slot::Labels).into_iter().flat_map(|l| l.items());
        let names = raw.filter_map(|label| label.get("labelName")?.str());
        names.chain(self.edits.labels().iter().map(|l| Cow::Borrowed(l.as_str())))
    }

    /// The incident's edits so far.
    pub fn edits(&self) -> &Edits {
        &self.edits
    }

    /// Appends the record as the rules left it: its own bytes, with the values the actions
    /// changed spliced in ([`crate::io::patch`]).
    pub fn write(&self, out: &mut Vec<u8>) {
        edit::write(self, out);
    }
}

/// The strings of `array` (other elements skipped).
fn strings_of<'t>(array: Option<Val<'t>>) -> impl Iterator<Item = Cow<'t, str>> {
    array.into_iter().flat_map(|a| a.items()).filter_map(|v| v.str())
}

impl<'t> IncidentRead for RawIncident<'t> {
    fn name(&self) -> Option<Cow<'_, str>> {
        fn text(v: Option<Val<'_>>) -> Option<Val<'_>> {
            v.filter(|v| v.kind() == Kind::String)
        }
        text(self.top.name).or_else(|| text(self.top.id)).or_else(|| text(self.slot(Slot::IncidentName)))?.str()
    }

    fn number(&self) -> Option<i64> {
        self.slot(Slot::IncidentNumber)?.as_i64()
    }

    fn field(&self, key: &str) -> Option<Cow<'_, str>> {
        match self.edits.value(key) {
            Some(value) => Some(Cow::Borrowed(value)),
            None => self.prop(key)?.str(),
        }
    }

    fn owner(&self) -> Owner {
        match (self.edits.owner(), self.slot(Slot::Owner)) {
            (Some(assigned), _) => assigned.as_written(),
            (None, Some(owner)) => Owner::from_fields(|key| owner.get(key)?.str()),
            (None, None) => Owner::default(),
        }
    }

    fn labels(&self) -> Vec<Cow<'_, str>> {
        self.label_names().collect()
    }

    fn string_array(&self, path: &[&str]) -> Cow<'_, [Cow<'_, str>]> {
        let read = || {
            let mut node = None;
            for (i, key) in path.iter().enumerate() {
                node = if i == 0 { self.prop(key) } else { node.and_then(|n: Val<'t>| n.get(key)) };
            }
            strings_of(node).collect()
        };
        match ARRAYS.iter().position(|a| *a == path).and_then(|i| self.arrays.get(i)) {
            Some(cell) => Cow::Borrowed(cell.get_or_init(read).as_slice()),
            None => Cow::Owned(read()),
        }
    }

    fn additional_count(&self, key: &str) -> Option<i64> {
        self.slot(Slot::AdditionalData)?.get(key)?.as_i64()
    }

    fn entities(&self) -> Cow<'_, [Entity<'_>]> {
        let read = || {
            let lists = [self.slot(Slot::RelatedEntities), self.top.entities];
            let items = lists.into_iter().flatten().flat_map(|list| list.items());
            items
                .filter_map(|e| {
                    let kind = e.get("kind").filter(|k| k.kind() == Kind::String)?.str()?;
                    let fields = e.get("properties").filter(|p| p.kind() == Kind::Object).unwrap_or(e);
                    (e.kind() == Kind::Object).then(|| Entity::raw(kind, fields))
                })
                .collect()
        };
        Cow::Borrowed(self.entities.get_or_init(read).as_slice())
    }

    fn custom_details(&self) -> Vec<(Cow<'_, str>, Vec<Cow<'_, str>>)> {
        let details = self.slot(Slot::CustomDetails).into_iter().flat_map(|d| d.members());
        details
            .filter_map(|(key, value)| {
                let values = match value.kind() {
                    Kind::String => value.str().into_iter().collect(),
                    Kind::Array => strings_of(Some(value)).collect(),
                    _ => Vec::new(),
                };
                Some((key.str()?, values))
            })
            .collect()
    }

    fn task_titles(&self) -> Vec<Cow<'_, str>> {
        let raw = self.slot(Slot::Tasks).into_iter().flat_map(|t| t.items());
        let titles = raw.filter_map(|task| task.get("title")?.str());
        let added = self.edits.tasks().iter().filter_map(|t| t.get("title")?.as_str().map(Cow::Borrowed));
        titles.chain(added).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::tape::Tape;
    use crate::model::Incident;

    #[test]
    fn reads_a_record() {
        let text = r#"{"name": "y", "properties": {"title": "nothing", "severity": "Low", "n": 1.50, "labels": []}}"#;
        let tape = Tape::read(text).unwrap();
        let raw = RawIncident::read(tape.root());
        assert!(raw.is_some());
    }

    fn reads(text: &str) -> bool {
        RawIncident::read(Tape::read(text).unwrap().root()).is_some()
    }

    #[test]
    fn a_repeated_key_the_engine_reads_is_left_to_the_tree() {
        let props = r#""title": "t", "severity": "Low", "owner": {"email": null, "x": 1, "x": 2}, "n": 1, "n": 2"#;
        assert!(reads(&format!(r#"{{"name": "y", "properties": {{{props}}}}}"#)));
        assert!(reads(&format!("{{{props}}}")));
        for repeated in [
            r#"{"name": "y", "properties": {"title": "t", "severity": "Low", "severity": "High"}}"#,
            r#"{"name": "y", "properties": {"title": "t"}, "properties": {"title": "u"}}"#,
            r#"{"name": "y", "name": "z", "properties": {"title": "t"}}"#,
            r#"{"title": "t", "status": "New", "labels": [], "labels": null}"#,
            r#"{"title": "t", "status": "New", "owner": {"email": "a@b", "objectId": null, "email": null}}"#,
        ] {
            assert!(Incident::from_value(serde_json::from_str(repeated).unwrap()).is_ok(), "{repeated}");
            assert!(!reads(repeated), "{repeated}");
        }
    }
}
