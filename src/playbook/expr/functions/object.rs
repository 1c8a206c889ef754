//! Object manipulation: `setProperty`, `addProperty`, `removeProperty`. Each returns an
//! updated copy (values are immutable). The property is found as selection finds it: the
//! exact name first, then ignoring case, so `setProperty(x, 'Name', v)` on `{"name": ...}`
//! updates `name` in place (its key and position kept).
//!
//! - `addProperty` fails when the property already exists (the reference: "If the property
//!   already exists at runtime, the function fails").
//! - `removeProperty` of a missing property returns the object unchanged.

use serde_json::Value;

use super::Args;
use crate::playbook::expr::error::ExprError;
use crate::playbook::expr::value::find_key;

/// The object functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectFn {
    AddProperty,
    RemoveProperty,
    SetProperty,
}

pub fn call(f: ObjectFn, args: &mut Args<'_>) -> Result<Value, ExprError> {
    let name = args.str(1)?.to_owned();
    let existing = find_key(args.object(0)?, &name).map(|(k, _)| k.clone());
    if f == ObjectFn::AddProperty {
        if let Some(key) = &existing {
            return Err(args.invalid(
                1,
                format!("The property '{key}' already exists in the object; use setProperty to change it."),
            ));
        }
    }
    let value = if f == ObjectFn::RemoveProperty { Value::Null } else { args.take(2)?.into_owned() };
    let mut map = match args.take(0)?.into_owned() {
        Value::Object(map) => map,
        _ => return Err(args.type_error(0, "an object")),
    };
    match (f, existing) {
        (ObjectFn::RemoveProperty, Some(key)) => {
            map.shift_remove(&key);
        }
        (ObjectFn::RemoveProperty, None) => {}
        (_, Some(key)) => {
            map.insert(key, value);
        }
        (_, None) => {
            map.insert(name, value);
        }
    }
    Ok(Value::Object(map))
}
