//! Property selection and indexing: `x.name`, `x['name']`, `x[0]`, `x[expr]` and their
//! null-safe forms `x?.name`, `x?['name']`, `x?[0]`.
//!
//! - On an object, a string key selects a property: the exact name first, then ignoring case
//!   (with a warning). A missing property is an error, or null with `?`.
//! - On an array, an integer key selects an item. An index outside the array is an error, or
//!   null with `?`.
//! - On null, any selection is an error, or null with `?`. `?` covers one selection only:
//!   `a?['b']['c']` fails when `b` is missing, as in Logic Apps.
//! - Any other combination (a string key on an array, a key on a string or number) is an
//!   error even with `?`: `?` forgives absence, not a wrong shape.
//!
//! Selecting from a borrowed value borrows the child; from an owned one moves it out, so long
//! `?['a']?['b']?['c']` chains over a trigger body never copy it.

use std::borrow::Cow;

use serde_json::Value;

use super::ast::Span;
use super::error::{ErrorKind, ExprError, Warning, WarningKind};
use super::value::{find_key, type_name, Num};

/// A computed key.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyValue<'k> {
    Name(Cow<'k, str>),
    Index(i64),
}

impl KeyValue<'_> {
    /// The key a `[expr]` value stands for: a string names a property, an integer an item.
    pub fn from_value(value: Cow<'_, Value>, span: Span) -> Result<KeyValue<'_>, ExprError> {
        match value {
            Cow::Borrowed(Value::String(s)) => Ok(KeyValue::Name(Cow::Borrowed(s))),
            Cow::Owned(Value::String(s)) => Ok(KeyValue::Name(Cow::Owned(s))),
            other => match Num::of(&other) {
                Some(Num::Int(i)) => Ok(KeyValue::Index(i)),
                _ => {
                    let message =
                        format!("an index must be a string or an integer, not a value of type '{}'", type_name(&other));
                    Err(ExprError::new(ErrorKind::InvalidAccess, span, message))
                }
            },
        }
    }

    fn describe(&self) -> String {
        match self {
            KeyValue::Name(name) => format!("property '{name}'"),
            KeyValue::Index(i) => format!("index {i}"),
        }
    }
}

/// Where the selected child is.
enum Found {
    Member(String),
    Item(usize),
    Nothing,
}

/// Selects `key` from `target`. `span` is the whole selection expression.
pub fn select<'a>(
    target: Cow<'a, Value>,
    key: &KeyValue<'_>,
    null_safe: bool,
    span: Span,
    warnings: &mut Vec<Warning>,
) -> Result<Cow<'a, Value>, ExprError> {
    let found = locate(&target, key, null_safe, span, warnings)?;
    Ok(match (target, found) {
        (_, Found::Nothing) => Cow::Owned(Value::Null),
        (Cow::Borrowed(Value::Object(map)), Found::Member(name)) => {
            map.get(&name).map_or(Cow::Owned(Value::Null), Cow::Borrowed)
        }
        (Cow::Owned(Value::Object(mut map)), Found::Member(name)) => {
            Cow::Owned(map.remove(&name).unwrap_or(Value::Null))
        }
        (Cow::Borrowed(Value::Array(items)), Found::Item(i)) => {
            items.get(i).map_or(Cow::Owned(Value::Null), Cow::Borrowed)
        }
        (Cow::Owned(Value::Array(mut items)), Found::Item(i)) => {
            Cow::Owned(items.get_mut(i).map(Value::take).unwrap_or(Value::Null))
        }
        _ => Cow::Owned(Value::Null),
    })
}

fn locate(
    target: &Value,
    key: &KeyValue<'_>,
    null_safe: bool,
    span: Span,
    warnings: &mut Vec<Warning>,
) -> Result<Found, ExprError> {
    match (target, key) {
        (Value::Null, _) if null_safe => Ok(Found::Nothing),
        (Value::Null, _) => {
            let message =
                format!("{} cannot be selected: the value is null (write `?[...]` to allow null)", key.describe());
            Err(ExprError::new(ErrorKind::NullAccess, span, message))
        }
        (Value::Object(map), KeyValue::Name(name)) => match find_key(map, name) {
            Some((found, _)) => {
                if found != name {
                    let (written, found) = (name.clone().into_owned(), found.clone());
                    warnings.push(Warning { kind: WarningKind::PropertyNameCase, span, written, found });
                }
                Ok(Found::Member(found.clone()))
            }
            None if null_safe => Ok(Found::Nothing),
            None => {
                let available: Vec<&str> = map.keys().take(20).map(String::as_str).collect();
                let message = if available.is_empty() {
                    format!("property '{name}' doesn't exist: the object has no properties")
                } else {
                    format!("property '{name}' doesn't exist, available properties are '{}'", available.join("', '"))
                };
                Err(ExprError::new(ErrorKind::MissingProperty, span, message))
            }
        },
        (Value::Array(items), KeyValue::Index(i)) => match usize::try_from(*i).ok().filter(|i| *i < items.len()) {
            Some(index) => Ok(Found::Item(index)),
            None if null_safe => Ok(Found::Nothing),
            None => {
                let message = format!("index {i} is outside the array of length {}", items.len());
                Err(ExprError::new(ErrorKind::IndexOutOfRange, span, message))
            }
        },
        (other, key) => {
            let message = format!(
                "{} cannot be selected: selection is not supported on values of type '{}'",
                key.describe(),
                type_name(other)
            );
            Err(ExprError::new(ErrorKind::InvalidAccess, span, message))
        }
    }
}
