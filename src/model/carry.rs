//! Carrying a simulated incident forward through a recorded history: when the record says a
//! field changed between two versions, the simulated incident takes the new value; fields the
//! record did not touch keep what automation rules made of them. Labels are merged by name
//! (added and removed ones applied, labels the rules added kept).

use serde_json::{Map, Value};

use super::incident::{Incident, IncidentError};

fn props(value: &Value) -> Option<&Map<String, Value>> {
    value.get("properties").and_then(Value::as_object).or_else(|| value.as_object())
}

fn props_mut(value: &mut Value) -> Option<&mut Map<String, Value>> {
    if value.get("properties").is_some_and(Value::is_object) {
        value.get_mut("properties").and_then(Value::as_object_mut)
    } else {
        value.as_object_mut()
    }
}

fn label_names(labels: Option<&Value>) -> Vec<String> {
    labels
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.get("labelName").and_then(Value::as_str))
        .map(str::to_lowercase)
        .collect()
}

/// `state` with the changes from `before` to `after` applied (see the module doc).
pub fn carry_over(state: &Incident, before: &Incident, after: &Incident) -> Result<Incident, IncidentError> {
    let mut value = state.as_value().clone();
    let (Some(old), Some(new)) = (props(before.as_value()), props(after.as_value())) else {
        return Ok(state.clone());
    };
    let Some(target) = props_mut(&mut value) else { return Ok(state.clone()) };
    for (key, new_value) in new {
        if key == "labels" || old.get(key) == Some(new_value) {
            continue;
        }
        target.insert(key.clone(), new_value.clone());
    }
    for key in old.keys() {
        if !new.contains_key(key) && key != "labels" {
            target.remove(key);
        }
    }
    let (was, now) = (label_names(old.get("labels")), label_names(new.get("labels")));
    let mut labels: Vec<Value> = target.get("labels").and_then(Value::as_array).cloned().unwrap_or_default();
    labels.retain(|l| {
        let name = l.get("labelName").and_then(Value::as_str).map(str::to_lowercase).unwrap_or_default();
        !was.contains(&name) || now.contains(&name)
    });
    let have = label_names(Some(&Value::Array(labels.clone())));
    for label in new.get("labels").and_then(Value::as_array).into_iter().flatten() {
        let name = label.get("labelName").and_then(Value::as_str).map(str::to_lowercase).unwrap_or_default();
        if !was.contains(&name) && !have.contains(&name) {
            labels.push(label.clone());
        }
    }
    if !labels.is_empty() || target.contains_key("labels") || new.contains_key("labels") {
        target.insert("labels".into(), Value::Array(labels));
    }
    Incident::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn inc(v: Value) -> Incident {
        Incident::from_value(v).unwrap_or_else(|e| unreachable!("{e}"))
    }

    #[test]
    fn recorded_changes_win_and_rule_changes_stay() {
        let before = inc(json!({"properties": {"title": "t", "severity": "Medium", "status": "New",
            "labels": [{"labelName": "old"}]}}));
        let after = inc(json!({"properties": {"title": "t", "severity": "Medium", "status": "Active",
            "labels": [{"labelName": "new"}]}}));
        let state = inc(json!({"properties": {"title": "t", "severity": "High", "status": "New",
            "labels": [{"labelName": "old"}, {"labelName": "rule", "labelType": "User"}]}}));
        let carried = carry_over(&state, &before, &after).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(carried.field("severity"), Some("High"));
        assert_eq!(carried.field("status"), Some("Active"));
        assert_eq!(carried.labels().collect::<Vec<_>>(), ["rule", "new"]);
    }
}
