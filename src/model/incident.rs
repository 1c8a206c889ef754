//! [`Incident`]: a typed view over one incident record as read (Sentinel's REST shape
//! `{"id","name","etag","type","properties":{...}}` or a bare properties object). The JSON is
//! kept whole, so unknown fields and key order survive; the engine reads and writes only through
//! the accessors here.

use std::fmt;

use serde_json::{Map, Value};

use super::owner::Owner;

/// Why a record is not a usable incident: the JSON path of the bad field and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for IncidentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for IncidentError {}

/// One incident. Invariant (checked by [`Incident::from_value`]): the record is an object, its
/// properties object exists, and every field the engine reads has the type Sentinel gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    value: Value,
    /// True for the REST shape (fields under `properties`), false for a bare properties object.
    nested: bool,
}

/// An entity of the incident: its kind (`Host`, `Ip`, ...) and its properties object.
#[derive(Debug, Clone, Copy)]
pub struct EntityRef<'a> {
    pub kind: &'a str,
    pub properties: &'a Map<String, Value>,
}

/// String fields of the incident the engine reads or writes.
const STRING_FIELDS: &[&str] = &[
    "title",
    "description",
    "severity",
    "status",
    "classification",
    "classificationReason",
    "classificationComment",
    "providerName",
];

/// True when `value` looks like an incident rather than some other Sentinel object: the REST
/// shape with a properties object holding incident fields, or a bare properties object with a
/// title and a severity or status. An ARM `type` must end in `incidents` (case-insensitively:
/// the live service writes `Incidents`), so tasks and alerts, which also have titles, are not
/// taken for incidents. Used to find incidents inside REST list and example files.
pub fn looks_like_incident(value: &Value) -> bool {
    let Some(obj) = value.as_object() else { return false };
    if let Some(kind) = obj.get("type").and_then(Value::as_str) {
        if !kind.rsplit('/').next().is_some_and(|last| last.eq_ignore_ascii_case("incidents")) {
            return false;
        }
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        return ["title", "severity", "status", "incidentNumber"].iter().any(|k| props.contains_key(*k));
    }
    obj.contains_key("title") && (obj.contains_key("severity") || obj.contains_key("status"))
}

impl Incident {
    /// Wraps a parsed record after checking the types of every field the engine touches.
    pub fn from_value(value: Value) -> Result<Incident, IncidentError> {
        let Some(obj) = value.as_object() else {
            return Err(IncidentError {
                path: String::new(),
                message: format!("expected an incident object, found {}", kind_of(&value)),
            });
        };
        let nested = match obj.get("properties") {
            Some(Value::Object(_)) => true,
            Some(other) => {
                return Err(IncidentError {
                    path: "properties".into(),
                    message: format!("expected an object, found {}", kind_of(other)),
                })
            }
            None => false,
        };
        if !looks_like_incident(&value) {
            let message = match obj.get("type").and_then(Value::as_str) {
                Some(kind) => format!("not an incident: its type is {kind}"),
                None => "not an incident: expected title, severity or status fields".into(),
            };
            return Err(IncidentError { path: if nested { "properties".into() } else { String::new() }, message });
        }
        let incident = Incident { value, nested };
        incident.check_types()?;
        Ok(incident)
    }

    fn check_types(&self) -> Result<(), IncidentError> {
        let prefix = if self.nested { "properties." } else { "" };
        let props = self.props();
        let err = |path: String, expected: &str, found: &Value| IncidentError {
            path,
            message: format!("expected {expected}, found {}", kind_of(found)),
        };
        for key in STRING_FIELDS {
            match props.get(*key) {
                None | Some(Value::Null) | Some(Value::String(_)) => {}
                Some(other) => return Err(err(format!("{prefix}{key}"), "a string", other)),
            }
        }
        match props.get("owner") {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(other) => return Err(err(format!("{prefix}owner"), "an object", other)),
        }
        if let Some(labels) = props.get("labels") {
            match labels {
                Value::Null => {}
                Value::Array(items) => {
                    for (i, label) in items.iter().enumerate() {
                        match label.get("labelName") {
                            Some(Value::String(_)) => {}
                            Some(other) => {
                                return Err(err(format!("{prefix}labels[{i}].labelName"), "a string", other))
                            }
                            None => return Err(err(format!("{prefix}labels[{i}]"), "an object with labelName", label)),
                        }
                    }
                }
                other => return Err(err(format!("{prefix}labels"), "an array", other)),
            }
        }
        for (path, value) in [
            ("relatedAnalyticRuleIds", props.get("relatedAnalyticRuleIds")),
            ("additionalData.tactics", props.get("additionalData").and_then(|d| d.get("tactics"))),
            ("additionalData.alertProductNames", props.get("additionalData").and_then(|d| d.get("alertProductNames"))),
        ] {
            match value {
                None | Some(Value::Null) => {}
                Some(Value::Array(items)) => {
                    if let Some((i, bad)) = items.iter().enumerate().find(|(_, v)| !v.is_string()) {
                        return Err(err(format!("{prefix}{path}[{i}]"), "a string", bad));
                    }
                }
                Some(other) => return Err(err(format!("{prefix}{path}"), "an array", other)),
            }
        }
        match props.get("additionalData") {
            None | Some(Value::Null) | Some(Value::Object(_)) => {}
            Some(other) => return Err(err(format!("{prefix}additionalData"), "an object", other)),
        }
        for (path, list) in self.entity_lists().into_iter().flatten() {
            match list {
                Value::Null => {}
                Value::Array(items) => {
                    for (i, entity) in items.iter().enumerate() {
                        match entity.get("kind") {
                            Some(Value::String(_)) => {}
                            _ => {
                                return Err(err(
                                    format!("{path}[{i}].kind"),
                                    "a string",
                                    entity.get("kind").unwrap_or(&Value::Null),
                                ))
                            }
                        }
                    }
                }
                other => return Err(err(path.to_owned(), "an array", other)),
            }
        }
        Ok(())
    }

    /// The record as it will be written back.
    pub fn into_value(self) -> Value {
        self.value
    }

    /// The record as JSON.
    pub fn as_value(&self) -> &Value {
        &self.value
    }

    fn props(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let target = if self.nested { self.value.get("properties") } else { Some(&self.value) };
        target.and_then(Value::as_object).unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    fn props_mut(&mut self) -> Option<&mut Map<String, Value>> {
        let target = if self.nested { self.value.get_mut("properties") } else { Some(&mut self.value) };
        target.and_then(Value::as_object_mut)
    }

    /// The incident's ARM name (its GUID), or its id when it has no name.
    pub fn name(&self) -> Option<&str> {
        let root = &self.value;
        root.get("name")
            .and_then(Value::as_str)
            .or_else(|| root.get("id").and_then(Value::as_str))
            .or_else(|| self.props().get("incidentName").and_then(Value::as_str))
    }

    /// The sequential incident number.
    pub fn number(&self) -> Option<i64> {
        self.props().get("incidentNumber").and_then(Value::as_i64)
    }

    /// A string field of the properties (`title`, `severity`, ...); `None` when absent or null.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.props().get(key).and_then(Value::as_str)
    }

    /// The raw JSON of a properties field, for audit `from` values.
    pub fn field_value(&self, key: &str) -> Value {
        self.props().get(key).cloned().unwrap_or(Value::Null)
    }

    /// Sets a string field; returns the previous value when it changed (case-sensitive compare:
    /// changing `high` to `High` normalises the spelling), `None` for a no-op.
    pub fn set_field(&mut self, key: &str, value: &str) -> Option<Value> {
        let props = self.props_mut()?;
        if props.get(key).and_then(Value::as_str) == Some(value) {
            return None;
        }
        Some(props.insert(key.to_owned(), Value::String(value.to_owned())).unwrap_or(Value::Null))
    }

    /// Puts a properties field back as it was: `value`, or no key at all for `Null` (key order
    /// kept).
    pub fn restore_field(&mut self, key: &str, value: Value) {
        if let Some(props) = self.props_mut() {
            match value {
                Value::Null => {
                    props.shift_remove(key);
                }
                v => {
                    props.insert(key.to_owned(), v);
                }
            }
        }
    }

    /// Title, for tables.
    pub fn title(&self) -> Option<&str> {
        self.field("title")
    }

    /// The owner (unassigned when absent or all-null).
    pub fn owner(&self) -> Owner {
        self.props().get("owner").map(Owner::from_json).unwrap_or_default()
    }

    /// Assigns `owner` unless the incident already has that owner; returns the previous owner.
    pub fn set_owner(&mut self, owner: &Owner) -> Option<Owner> {
        let old = self.owner();
        if !old.is_empty() && old.same_as(owner) {
            return None;
        }
        let props = self.props_mut()?;
        let slot = props.entry("owner").or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        if let Value::Object(map) = slot {
            owner.write_into(map);
        }
        Some(old)
    }

    /// Label names, in order.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.props()
            .get("labels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|l| l.get("labelName").and_then(Value::as_str))
    }

    /// Adds a label with `labelType: User` unless one with that name exists (case-insensitively).
    /// Returns true when it was added.
    pub fn add_label(&mut self, name: &str) -> bool {
        if self.labels().any(|l| same_name(l, name)) {
            return false;
        }
        let Some(props) = self.props_mut() else { return false };
        let slot = props.entry("labels").or_insert_with(|| Value::Array(Vec::new()));
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        if let Value::Array(items) = slot {
            let mut label = Map::new();
            label.insert("labelName".into(), Value::String(name.to_owned()));
            label.insert("labelType".into(), Value::String("User".into()));
            items.push(Value::Object(label));
        }
        true
    }

    /// Appends a task object to `properties.tasks` (created when absent).
    pub fn add_task(&mut self, task: Map<String, Value>) {
        let Some(props) = self.props_mut() else { return };
        let slot = props.entry("tasks").or_insert_with(|| Value::Array(Vec::new()));
        if !slot.is_array() {
            *slot = Value::Array(Vec::new());
        }
        if let Value::Array(items) = slot {
            items.push(Value::Object(task));
        }
    }

    /// Task titles, in order.
    pub fn task_titles(&self) -> impl Iterator<Item = &str> {
        self.props()
            .get("tasks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("title").and_then(Value::as_str))
    }

    /// Strings of an array field, by path under the properties (`["additionalData", "tactics"]`).
    pub fn string_array(&self, path: &[&str]) -> impl Iterator<Item = &str> {
        let mut node: Option<&Value> = None;
        for (i, key) in path.iter().enumerate() {
            node = if i == 0 { self.props().get(*key) } else { node.and_then(|n| n.get(*key)) };
        }
        node.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
    }

    /// A count under `additionalData` (`alertsCount`, `commentsCount`).
    pub fn additional_count(&self, key: &str) -> Option<i64> {
        self.props().get("additionalData").and_then(|d| d.get(key)).and_then(Value::as_i64)
    }

    /// Custom details: `properties.customDetails`, an object of key -> string or array of
    /// strings (this tool's place for them; the REST incident has none, alerts carry them).
    pub fn custom_details(&self) -> impl Iterator<Item = (&str, Vec<&str>)> {
        self.props().get("customDetails").and_then(Value::as_object).into_iter().flatten().map(|(k, v)| {
            let values = match v {
                Value::String(s) => vec![s.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            (k.as_str(), values)
        })
    }

    fn entity_lists(&self) -> [Option<(&'static str, &Value)>; 2] {
        let related = self
            .props()
            .get("relatedEntities")
            .map(|v| (if self.nested { "properties.relatedEntities" } else { "relatedEntities" }, v));
        let top = self.value.get("entities").map(|v| ("entities", v));
        [related, top]
    }

    /// Every entity, from `properties.relatedEntities` and a top-level `entities` array. An
    /// entity is `{kind, properties}`, or flat `{kind, hostName, ...}`.
    pub fn entities(&self) -> impl Iterator<Item = EntityRef<'_>> {
        self.entity_lists().into_iter().flatten().filter_map(|(_, v)| v.as_array()).flatten().filter_map(|e| {
            let obj = e.as_object()?;
            let kind = obj.get("kind")?.as_str()?;
            let properties = obj.get("properties").and_then(Value::as_object).unwrap_or(obj);
            Some(EntityRef { kind, properties })
        })
    }

    /// Sets `lastModifiedTimeUtc`.
    pub fn touch(&mut self, time: &str) {
        if let Some(props) = self.props_mut() {
            props.insert("lastModifiedTimeUtc".into(), Value::String(time.to_owned()));
        }
    }
}

/// True when two names are the same ignoring case (Unicode lower case; without allocating when
/// both are ASCII).
pub fn same_name(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rest() -> Value {
        json!({"name": "n1", "zz": 1, "properties": {"title": "T", "severity": "High", "status": "New",
            "labels": [{"labelName": "VIP", "labelType": "User"}], "custom": true,
            "relatedEntities": [{"kind": "Host", "properties": {"hostName": "pc1"}}]}})
    }

    #[test]
    fn reads_rest_and_bare_shapes() {
        let inc = Incident::from_value(rest()).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(inc.name(), Some("n1"));
        assert_eq!(inc.field("severity"), Some("High"));
        assert_eq!(inc.entities().map(|e| e.kind).collect::<Vec<_>>(), ["Host"]);
        let bare = Incident::from_value(
            json!({"title": "x", "status": "New", "entities": [{"kind": "Ip", "address": "1.2.3.4"}]}),
        );
        let bare = bare.unwrap_or_else(|e| unreachable!("{e}"));
        let ip = bare.entities().next().and_then(|e| e.properties.get("address").cloned());
        assert_eq!(ip, Some(json!("1.2.3.4")));
    }

    #[test]
    fn rejects_wrong_types_with_a_path() {
        let err = Incident::from_value(json!({"properties": {"title": 5}})).err();
        assert_eq!(err.map(|e| e.to_string()), Some("properties.title: expected a string, found a number".into()));
        let err = Incident::from_value(json!([1])).err();
        assert_eq!(err.map(|e| e.to_string()), Some("expected an incident object, found an array".into()));
    }

    #[test]
    fn names_compare_ignoring_unicode_case() {
        assert!(same_name("VIP", "vip"));
        assert!(same_name("\u{212A}", "k"), "the Kelvin sign lower-cases to k");
        assert!(same_name("ÉQUIPE", "équipe"));
        assert!(!same_name("vip", "vip2"));
    }

    #[test]
    fn labels_are_deduplicated_case_insensitively_and_order_is_kept() {
        let mut inc = Incident::from_value(rest()).unwrap_or_else(|e| unreachable!("{e}"));
        assert!(!inc.add_label("vip"));
        assert!(inc.add_label("new"));
        assert_eq!(inc.set_field("severity", "High"), None);
        assert_eq!(inc.set_field("severity", "Low"), Some(json!("High")));
        let text = serde_json::to_string(&inc.into_value()).unwrap_or_default();
        assert!(text.starts_with(r#"{"name":"n1","zz":1,"properties":{"title":"T","severity":"Low""#), "{text}");
        assert!(text.contains(r#"{"labelName":"new","labelType":"User"}"#));
    }
}
