//! `ParseJson`: the content (a JSON string is parsed; a value is taken as is) checked against
//! the schema's `type`, `required`, `properties` and `items`, recursively. A mismatch fails
//! the action (`ValidationFailed`), the well-known failure of real playbooks when a field the
//! schema calls a string is null. `body('Parse_JSON')` is the value.

use serde_json::{json, Value};

use crate::playbook::model::step::ParseJson;
use crate::playbook::model::Action;
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs a `ParseJson` action.
pub fn parse_json(action: &Action, parse: &ParseJson, run: &mut Runner<'_>) -> StepOutcome {
    let content = match run.render(action, &parse.content) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let inputs = Some(json!({"content": content, "schema": parse.schema}));
    let value = match &content {
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            Err(e) => {
                return StepOutcome::failed(
                    inputs,
                    ErrorInfo::new("InvalidJSON", format!("The content is not valid JSON: {e}")),
                )
            }
        },
        other => other.clone(),
    };
    let mut errors = Vec::new();
    validate(&value, &parse.schema, "", &mut errors);
    if let Some(first) = errors.first() {
        let message = format!(
            "The schema validation failed: {first}{}",
            if errors.len() > 1 { format!(" (and {} more)", errors.len() - 1) } else { String::new() }
        );
        let mut outcome = StepOutcome::failed(inputs, ErrorInfo::new("ValidationFailed", message));
        outcome.outputs = Some(json!({"body": value, "errors": errors}));
        return outcome;
    }
    StepOutcome::ok(inputs, Some(json!({"body": value})))
}

/// Appends what in `value` does not fit `schema` (a JSON Schema subset), with its path.
pub fn validate(value: &Value, schema: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else { return };
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !allowed.is_empty() && !allowed.iter().any(|t| fits(value, t)) {
            let at = if path.is_empty() { String::new() } else { format!(" Path '{}'.", path.trim_start_matches('.')) };
            errors.push(format!(
                "Invalid type. Expected {} but got {}.{at}",
                title(&allowed.join(", ")),
                title(kind(value))
            ));
            return;
        }
    }
    if let (Some(Value::Array(required)), Value::Object(map)) = (schema.get("required"), value) {
        for name in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(name) {
                errors.push(format!(
                    "Required properties are missing from object: {name}. Path '{}'.",
                    path.trim_start_matches('.')
                ));
            }
        }
    }
    if let (Some(Value::Object(props)), Value::Object(map)) = (schema.get("properties"), value) {
        for (name, sub) in props {
            if let Some(v) = map.get(name) {
                validate(v, sub, &format!("{path}.{name}"), errors);
            }
        }
    }
    if let (Some(items), Value::Array(list)) = (schema.get("items"), value) {
        for (i, v) in list.iter().enumerate() {
            validate(v, items, &format!("{path}[{i}]"), errors);
        }
    }
}

fn fits(value: &Value, t: &str) -> bool {
    match t {
        "integer" => value.as_i64().is_some() || value.as_u64().is_some(),
        "number" => value.is_number(),
        other => kind(value) == other,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn title(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_types_required_properties_and_items() {
        let schema = json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}, "n": {"type": ["integer", "null"]},
            "list": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "number"}}}}}});
        let mut errors = Vec::new();
        validate(&json!({"a": "x", "n": null, "list": [{"x": 1.5}]}), &schema, "", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        validate(&json!({"a": null, "n": 1.5, "list": [{"x": "1"}]}), &schema, "", &mut errors);
        assert_eq!(
            errors,
            [
                "Invalid type. Expected String but got Null. Path 'a'.",
                "Invalid type. Expected Integer, null but got Number. Path 'n'.",
                "Invalid type. Expected Number but got String. Path 'list[0].x'."
            ]
        );
        errors.clear();
        validate(&json!({}), &schema, "", &mut errors);
        assert_eq!(errors, ["Required properties are missing from object: a. Path ''."]);
    }
}
