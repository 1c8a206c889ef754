//! Exports of the Log Analytics **SecurityIncident** table: one row per modification of an
//! incident (IncidentName, IncidentNumber, Title, Severity, Status, Classification, Owner,
//! Labels, ModifiedBy, LastModifiedTime, AdditionalData, ...). Read from a JSON array, JSON
//! Lines, a `{"value": [...]}` list, or a Log Analytics query response
//! (`{"tables": [{"columns": [...], "rows": [[...]]}]}`). Column names are matched
//! case-insensitively; dynamic columns may be JSON or JSON text (as exports write them); empty
//! strings mean "not set".
//!
//! Each row becomes the incident in Sentinel's REST shape, and rows are grouped into one
//! history per IncidentName, in LastModifiedTime order (then TimeGenerated, then file order).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::model::{Incident, UpdatedBySource};

/// One row, as an incident version.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub time: DateTime<Utc>,
    generated: Option<DateTime<Utc>>,
    pub modified_by: String,
    pub incident: Incident,
}

/// The rows of a document or of JSON Lines text.
pub fn rows_of(text: &str) -> Result<Vec<Value>, String> {
    let root = match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(whole) => {
            let mut rows = Vec::new();
            for (i, item) in serde_json::Deserializer::from_str(text).into_iter::<Value>().enumerate() {
                rows.push(item.map_err(|e| if i == 0 { whole.to_string() } else { e.to_string() })?);
            }
            return Ok(rows);
        }
    };
    rows_in(root)
}

/// The rows of one JSON document: the rows of a Log Analytics query response, the elements of
/// an array or of a `{"value": [...]}` list, or the document itself.
pub fn rows_in(root: Value) -> Result<Vec<Value>, String> {
    if let Some(tables) = root.get("tables").and_then(Value::as_array) {
        let mut rows = Vec::new();
        for table in tables {
            let columns: Vec<&str> = table
                .get("columns")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| c.get("name").and_then(Value::as_str).unwrap_or_default())
                .collect();
            for row in table.get("rows").and_then(Value::as_array).into_iter().flatten() {
                let cells = row.as_array().ok_or("a table row is not an array")?;
                rows.push(Value::Object(columns.iter().map(|c| (*c).to_owned()).zip(cells.iter().cloned()).collect()));
            }
        }
        return Ok(rows);
    }
    Ok(match root {
        Value::Array(items) => items,
        Value::Object(ref map) => match map.get("value").and_then(Value::as_array) {
            Some(items) => items.clone(),
            None => vec![root],
        },
        other => vec![other],
    })
}

fn column<'a>(row: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    row.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v).filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        _ => true,
    })
}

/// A dynamic column: JSON, or JSON text.
fn dynamic(value: &Value) -> Value {
    match value {
        Value::String(s) if s.trim_start().starts_with(['{', '[']) => serde_json::from_str(s).unwrap_or(value.clone()),
        other => other.clone(),
    }
}

fn time(value: Option<&Value>) -> Option<DateTime<Utc>> {
    value
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s.trim()).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// REST property <- SecurityIncident column.
const COLUMNS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("description", "Description"),
    ("severity", "Severity"),
    ("status", "Status"),
    ("classification", "Classification"),
    ("classificationReason", "ClassificationReason"),
    ("classificationComment", "ClassificationComment"),
    ("owner", "Owner"),
    ("labels", "Labels"),
    ("incidentNumber", "IncidentNumber"),
    ("incidentUrl", "IncidentUrl"),
    ("providerName", "ProviderName"),
    ("providerIncidentId", "ProviderIncidentId"),
    ("relatedAnalyticRuleIds", "RelatedAnalyticRuleIds"),
    ("additionalData", "AdditionalData"),
    ("firstActivityTimeUtc", "FirstActivityTime"),
    ("lastActivityTimeUtc", "LastActivityTime"),
    ("createdTimeUtc", "CreatedTime"),
    ("lastModifiedTimeUtc", "LastModifiedTime"),
];

/// One row as an incident version. Err: what is missing or malformed.
pub fn row(value: &Value) -> Result<Row, String> {
    let map = value.as_object().ok_or("a row is not an object")?;
    let name = column(map, "IncidentName").and_then(Value::as_str).ok_or("a row without IncidentName")?.to_owned();
    let time = time(column(map, "LastModifiedTime")).ok_or("a row without an RFC 3339 LastModifiedTime")?;
    let mut props = Map::new();
    for (key, col) in COLUMNS {
        if let Some(v) = column(map, col) {
            let v = dynamic(v);
            let v = match (*key, v) {
                ("incidentNumber", Value::String(s)) => s.trim().parse::<i64>().map_or(Value::String(s), Value::from),
                (_, v) => v,
            };
            props.insert((*key).to_owned(), v);
        }
    }
    let mut additional = props.remove("additionalData").and_then(|v| v.as_object().cloned()).unwrap_or_default();
    for (count, col) in [("alertsCount", "AlertIds"), ("commentsCount", "Comments")] {
        if let Some(Value::Array(items)) = column(map, col).map(dynamic) {
            let have = additional.get(count).and_then(Value::as_u64).unwrap_or(0);
            additional.insert(count.to_owned(), Value::from(have.max(items.len() as u64)));
        }
    }
    props.insert("additionalData".into(), Value::Object(additional));
    let mut root = Map::new();
    root.insert("name".into(), Value::String(name.clone()));
    root.insert("type".into(), Value::String("Microsoft.SecurityInsights/incidents".into()));
    root.insert("properties".into(), Value::Object(props));
    let incident = Incident::from_value(Value::Object(root)).map_err(|e| format!("incident {name}: {e}"))?;
    Ok(Row {
        name,
        time,
        generated: time_of(map, "TimeGenerated"),
        modified_by: column(map, "ModifiedBy").and_then(Value::as_str).unwrap_or_default().to_owned(),
        incident,
    })
}

fn time_of(map: &Map<String, Value>, col: &str) -> Option<DateTime<Utc>> {
    time(column(map, col))
}

/// Who a ModifiedBy value names: `Automation rule - ...` an automation rule, `Playbook - ...` a
/// playbook, `Alert updated` or anything about grouping the alert grouping, an e-mail address
/// or UPN a user, anything else Other.
pub fn source(modified_by: &str) -> UpdatedBySource {
    let m = modified_by.trim().to_ascii_lowercase();
    if m.starts_with("automation rule") {
        UpdatedBySource::AutomationRule
    } else if m.starts_with("playbook") {
        UpdatedBySource::Playbook
    } else if m.starts_with("alert updated") || m.contains("grouping") {
        UpdatedBySource::AlertGrouping
    } else if m.contains('@') {
        UpdatedBySource::User
    } else {
        UpdatedBySource::Other
    }
}

/// Groups rows into histories, one per IncidentName (compared case-insensitively) in order of
/// first appearance, each sorted by LastModifiedTime, TimeGenerated, then file order.
pub fn histories(rows: Vec<Row>) -> Vec<Vec<Row>> {
    let mut groups: Vec<Vec<Row>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in rows {
        let next = groups.len();
        match groups.get_mut(*index.entry(r.name.to_lowercase()).or_insert(next)) {
            Some(list) => list.push(r),
            None => groups.push(vec![r]),
        }
    }
    for list in &mut groups {
        list.sort_by_key(|r| (r.time, r.generated));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_from_modified_by() {
        assert_eq!(source("Automation rule - Raise VIP"), UpdatedBySource::AutomationRule);
        assert_eq!(source("Playbook - notify"), UpdatedBySource::Playbook);
        assert_eq!(source("Alert updated"), UpdatedBySource::AlertGrouping);
        assert_eq!(source("alice@contoso.com"), UpdatedBySource::User);
        assert_eq!(source("Incident created from alert rule"), UpdatedBySource::Other);
    }

    #[test]
    fn reads_query_responses_and_dynamic_text() {
        let text = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"IncidentName"},{"name":"LastModifiedTime"},
            {"name":"Title"},{"name":"Severity"},{"name":"Labels"},{"name":"Classification"}],
            "rows":[["i1","2026-01-01T00:00:00Z","t","High","[{\"labelName\":\"x\"}]",""]]}]}"#;
        let rows = rows_of(text).unwrap_or_default();
        let r = row(&rows[0]).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((r.name.as_str(), r.incident.field("severity")), ("i1", Some("High")));
        assert_eq!(r.incident.labels().collect::<Vec<_>>(), ["x"]);
        assert_eq!(r.incident.field("classification"), None);
        let lines = "{\"IncidentName\":\"a\"}\n{\"IncidentName\":\"b\"}\n";
        assert_eq!(rows_of(lines).map(|r| r.len()), Ok(2));
    }
}
