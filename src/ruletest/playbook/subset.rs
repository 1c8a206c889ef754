//! Subset matching of expected values (a call's inputs, an action's outputs) against what the
//! run gave, and the differences a failing match reports, each at its path
//! (`body.body.content`).
//!
//! An expected value matches an actual one when: a mapping's every key is in the actual mapping
//! with a matching value (other keys are ignored); a list has as many items, each matching in
//! order; a scalar is equal (numbers by value: 1 and 1.0 are equal). `{ contains: X }` (a
//! mapping with the one key `contains`) matches a text that holds X (a text, or a list of texts
//! it holds all of), or a list with an item that matches X; against a mapping it is an ordinary
//! subset (the key `contains`).
//!
//! Stage: evaluation (pure).

use serde_json::Value;

use crate::playbook::expr::value::strict_equals;

/// The key of the `contains` form.
pub const CONTAINS: &str = "contains";

/// One difference between an expected subset and the actual value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// Where, from the top of the value: `body.items[0].id`; empty at the top.
    pub path: String,
    /// What was expected, for people: `"x"`, `a text containing "x"`, `a mapping with key k`.
    pub expected: String,
    /// What was there: the value (texts cut at [`SHOWN`] characters), or `nothing`.
    pub got: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.path.is_empty() { String::new() } else { format!("{}: ", self.path) };
        write!(f, "{at}expected {}, got {}", self.expected, self.got)
    }
}

/// The characters of a value shown in a difference.
pub const SHOWN: usize = 160;

/// True when `actual` matches `want`.
pub fn matches(actual: &Value, want: &Value) -> bool {
    differences(actual, want).is_empty()
}

/// Every difference between `actual` and the subset `want` (empty: it matches).
pub fn differences(actual: &Value, want: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk(Some(actual), want, "", &mut out);
    out
}

/// The value `{contains: X}` holds, when `want` is that form.
fn contains_form(want: &Value) -> Option<&Value> {
    match want {
        Value::Object(map) if map.len() == 1 => map.get(CONTAINS),
        _ => None,
    }
}

fn walk(actual: Option<&Value>, want: &Value, path: &str, out: &mut Vec<Difference>) {
    let differ = |expected: String, out: &mut Vec<Difference>| {
        let got = actual.map_or_else(|| "nothing".to_owned(), show);
        out.push(Difference { path: path.to_owned(), expected, got });
    };
    let Some(actual) = actual else { return differ(show(want), out) };
    if let Some(needle) = contains_form(want).filter(|_| !actual.is_object()) {
        match (actual, needle) {
            (Value::String(text), Value::String(part)) if text.contains(part.as_str()) => {}
            (Value::String(text), Value::Array(parts))
                if parts.iter().all(|p| p.as_str().is_some_and(|p| text.contains(p))) => {}
            (Value::Array(items), _) if items.iter().any(|item| matches(item, needle)) => {}
            (Value::Array(_), _) => differ(format!("a list with an item matching {}", show(needle)), out),
            (_, Value::Array(parts)) => {
                let parts: Vec<String> = parts.iter().map(show).collect();
                differ(format!("a text containing each of {}", parts.join(", ")), out);
            }
            _ => differ(format!("a text containing {}", show(needle)), out),
        }
        return;
    }
    match (actual, want) {
        (Value::Object(have), Value::Object(map)) => {
            for (key, value) in map {
                walk(have.get(key), value, &join(path, key), out);
            }
        }
        (Value::Array(have), Value::Array(items)) if have.len() == items.len() => {
            for (i, (a, w)) in have.iter().zip(items).enumerate() {
                walk(Some(a), w, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Array(have), Value::Array(items)) => {
            differ(format!("a list of {} item(s) {}", items.len(), show(want)), out);
            if let Some(last) = out.last_mut() {
                last.got = format!("{} item(s) {}", have.len(), last.got);
            }
        }
        (a, w) if a == w || strict_equals(a, w) => {}
        _ => differ(show(want), out),
    }
}

/// `path.key`, or `path['a key']` for a key that is not a plain word.
fn join(path: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '-');
    match (path.is_empty(), plain) {
        (true, true) => key.to_owned(),
        (false, true) => format!("{path}.{key}"),
        (_, false) => format!("{path}[{}]", serde_json::to_string(key).unwrap_or_default()),
    }
}

/// A value as a difference shows it: compact JSON, cut at [`SHOWN`] characters.
pub fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= SHOWN {
        return text;
    }
    let cut: String = text.chars().take(SHOWN).collect();
    format!("{cut}[...] ({} characters)", text.chars().count())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn lines(actual: Value, want: Value) -> Vec<String> {
        differences(&actual, &want).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn mappings_are_subsets_lists_go_item_by_item_and_numbers_compare_by_value() {
        let actual = json!({"method": "post", "body": {"a": 1, "b": [1, {"c": "x", "d": 2}]}, "extra": true});
        assert!(matches(&actual, &json!({"body": {"a": 1.0, "b": [1, {"c": "x"}]}})));
        assert_eq!(
            lines(actual.clone(), json!({"method": "get", "body": {"b": [1, {"c": "y"}], "z": null}})),
            [
                r#"method: expected "get", got "post""#,
                r#"body.b[1].c: expected "y", got "x""#,
                "body.z: expected null, got nothing"
            ]
        );
        assert_eq!(
            lines(actual, json!({"body": {"b": [1]}})),
            [r#"body.b: expected a list of 1 item(s) [1], got 2 item(s) [1,{"c":"x","d":2}]"#]
        );
        assert_eq!(lines(json!({"a b": 1}), json!({"a b": 2})), [r#"["a b"]: expected 2, got 1"#]);
    }

    #[test]
    fn contains_looks_into_texts_and_lists_and_is_a_key_in_mappings() {
        let text = json!({"content": "<p>Incident 4102: C2 beacon</p>"});
        assert!(matches(&text, &json!({"content": {"contains": "4102"}})));
        assert!(matches(&text, &json!({"content": {"contains": ["4102", "beacon"]}})));
        assert_eq!(
            lines(text.clone(), json!({"content": {"contains": "4103"}})),
            [r#"content: expected a text containing "4103", got "<p>Incident 4102: C2 beacon</p>""#]
        );
        assert_eq!(
            lines(text, json!({"content": {"contains": ["4102", "x"]}})),
            [r#"content: expected a text containing each of "4102", "x", got "<p>Incident 4102: C2 beacon</p>""#]
        );
        let items = json!([{"id": 1}, {"id": 2}]);
        assert!(matches(&items, &json!({"contains": {"id": 2}})));
        assert_eq!(
            lines(items, json!({"contains": {"id": 3}})),
            [r#"expected a list with an item matching {"id":3}, got [{"id":1},{"id":2}]"#]
        );
        assert!(matches(&json!({"contains": 1, "x": 2}), &json!({"contains": 1})));
        let long = "y".repeat(200);
        assert_eq!(
            lines(json!(long), json!("z"))[0],
            format!("expected \"z\", got \"{}[...] (202 characters)", "y".repeat(159))
        );
    }
}
