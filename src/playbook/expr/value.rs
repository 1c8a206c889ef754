//! Values are `serde_json::Value`s; this file holds how WDL treats them: type names as the
//! Logic Apps runtime prints them, numbers (Integer is i64, Float is f64), stringification for
//! `string()` and `@{...}`, equality for `equals`, ordering for `greater`/`less`, and property
//! lookup (exact name first, then ignoring case).

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

/// The type name Logic Apps uses in its messages ("The provided value is of type 'Null'").
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "Null",
        Value::Bool(_) => "Boolean",
        Value::Number(n) if n.is_i64() => "Integer",
        Value::Number(_) => "Float",
        Value::String(_) => "String",
        Value::Array(_) => "Array",
        Value::Object(_) => "Object",
    }
}

/// A number as WDL sees it. JSON integers beyond i64 are treated as floats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    pub fn of(value: &Value) -> Option<Num> {
        match value {
            Value::Number(n) => Some(Num::from_number(n)),
            _ => None,
        }
    }

    pub fn from_number(n: &Number) -> Num {
        n.as_i64().map_or_else(|| Num::Float(n.as_f64().unwrap_or(f64::NAN)), Num::Int)
    }

    pub fn as_f64(self) -> f64 {
        match self {
            // i64 -> f64 is the documented lossy widening Logic Apps also does for mixed math.
            #[allow(clippy::cast_precision_loss)]
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// The JSON value, or `None` for NaN and infinities (JSON has no such numbers).
    pub fn to_value(self) -> Option<Value> {
        match self {
            Num::Int(i) => Some(Value::from(i)),
            Num::Float(f) => Number::from_f64(f).map(Value::Number),
        }
    }
}

/// The text of a value where a string is needed: `string(x)` and `@{x}`.
///
/// null -> "" (documented for `string()`), booleans -> "True"/"False" (the .NET spelling the
/// Logic Apps runtime prints), integral floats without ".0" (`string(float('2'))` is "2", as
/// .NET prints doubles), arrays and objects as compact JSON in their key order, except a
/// content envelope (`xml()`, `binary()`, see [`super::content`]), which reads as its content.
pub fn to_text(value: &Value) -> Cow<'_, str> {
    if let Some(text) = super::content::text(value) {
        return Cow::Owned(text);
    }
    match value {
        Value::Null => Cow::Borrowed(""),
        Value::Bool(true) => Cow::Borrowed("True"),
        Value::Bool(false) => Cow::Borrowed("False"),
        Value::String(s) => Cow::Borrowed(s),
        Value::Number(n) => Cow::Owned(number_text(n)),
        Value::Array(_) | Value::Object(_) => Cow::Owned(value.to_string()),
    }
}

fn number_text(n: &Number) -> String {
    match Num::from_number(n) {
        Num::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        _ => n.to_string(),
    }
}

/// `equals` semantics: numbers by value (1 equals 1.0), a boolean equals the number 1 or 0
/// (`equals(true, 1)` is true in the function reference), null equals "" ("null values are
/// converted to empty string values" in logical comparisons), strings case-sensitively,
/// arrays item by item and objects key by key regardless of key order.
pub fn loose_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::String(s)) | (Value::String(s), Value::Null) => s.is_empty(),
        (Value::Bool(flag), Value::Number(_)) | (Value::Number(_), Value::Bool(flag)) => {
            let n = if matches!(a, Value::Number(_)) { a } else { b };
            Num::of(n).is_some_and(|n| n.as_f64() == if *flag { 1.0 } else { 0.0 })
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| loose_equals(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| loose_equals(v, w)))
        }
        _ => strict_equals(a, b),
    }
}

/// Plain JSON equality, except that numbers compare by value (1 equals 1.0). Used where
/// collections compare items (`union`, `intersection`).
pub fn strict_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => match (Num::of(a), Num::of(b)) {
            (Some(Num::Int(x)), Some(Num::Int(y))) => x == y,
            (Some(x), Some(y)) => x.as_f64() == y.as_f64(),
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| strict_equals(p, q)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| strict_equals(v, w)))
        }
        _ => a == b,
    }
}

/// Ordering for `greater`, `less` and friends: numbers by value, strings by ordinal (code
/// point) order, null as "". `None` when the two cannot be compared (mixed types, booleans,
/// collections).
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    let empty = Value::String(String::new());
    let a = if a.is_null() { &empty } else { a };
    let b = if b.is_null() { &empty } else { b };
    match (a, b) {
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Number(_), Value::Number(_)) => match (Num::of(a)?, Num::of(b)?) {
            (Num::Int(x), Num::Int(y)) => Some(x.cmp(&y)),
            (x, y) => x.as_f64().partial_cmp(&y.as_f64()),
        },
        _ => None,
    }
}

/// Finds a property: the exact name first, then the first key equal ignoring case (the
/// reference notes field casing is not stable in real payloads, e.g. `properties.Alerts`).
/// Returns the key as present.
pub fn find_key<'m>(map: &'m Map<String, Value>, name: &str) -> Option<(&'m String, &'m Value)> {
    map.get_key_value(name).or_else(|| map.iter().find(|(k, _)| eq_ignore_case(k, name)))
}

/// Case-insensitive equality (ASCII fast path, then Unicode lowercase).
pub fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || ((!a.is_ascii() || !b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stringifies_like_logic_apps() {
        let texts: Vec<_> = [json!(null), json!(true), json!(2.0), json!(2.5), json!(-3), json!({"a": [1, "x"]})]
            .iter()
            .map(|v| to_text(v).into_owned())
            .collect();
        assert_eq!(texts, ["", "True", "2", "2.5", "-3", r#"{"a":[1,"x"]}"#]);
    }

    #[test]
    fn equality_and_order() {
        assert!(loose_equals(&json!(true), &json!(1)));
        assert!(loose_equals(&json!(null), &json!("")));
        assert!(loose_equals(&json!({"a": 1, "b": 2}), &json!({"b": 2.0, "a": 1})));
        assert!(!loose_equals(&json!("a"), &json!("A")));
        assert!(!strict_equals(&json!(null), &json!("")));
        assert_eq!(compare(&json!(2), &json!(1.5)), Some(Ordering::Greater));
        assert_eq!(compare(&json!("apple"), &json!("banana")), Some(Ordering::Less));
        assert_eq!(compare(&json!(1), &json!("1")), None);
    }
}
