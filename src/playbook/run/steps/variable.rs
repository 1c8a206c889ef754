//! The variable actions. InitializeVariable declares each variable once, with its type, and
//! checks the value against it; SetVariable keeps the type; Increment/Decrement need an
//! Integer or Float variable and a number; AppendToArrayVariable needs an Array variable,
//! AppendToStringVariable a String one (the value is appended as `string()` renders it).
//! Names match ignoring case, as in expressions. A mismatch fails the action (PB044). A
//! variable declared without a value (or with null) starts empty for its type: "", 0, 0.0,
//! false, [] or {}.

use serde_json::{json, Value};

use crate::playbook::expr::find_named;
use crate::playbook::expr::value::{to_text, type_name};
use crate::playbook::model::{codes, Action, Variable, VariableOp, VariableType};
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs a variable action.
pub fn variable(action: &Action, variable: &Variable, run: &mut Runner<'_>) -> StepOutcome {
    let mut values = Vec::with_capacity(variable.values.len());
    for input in &variable.values {
        match run.render(action, input) {
            Ok(v) => values.push(v),
            Err(e) => return StepOutcome::failed(None, e),
        }
    }
    let at = run.playbook.source.position(action.span);
    let bad =
        |message: String| ErrorInfo::new("BadRequest", message).with_diagnostic(codes::BAD_INPUT, Some(at.clone()));
    if variable.op == VariableOp::Initialize {
        let mut declared = Vec::new();
        for ((name, kind), value) in variable.names.iter().zip(&variable.types).zip(values) {
            let inputs = Some(json!({"variables": declared.clone()}));
            if find_named(&run.ctx.variables, name).is_some() {
                return StepOutcome::failed(inputs, bad(format!("The variable '{name}' is already initialized")));
            }
            let value = if value.is_null() { empty(*kind) } else { value };
            let value = match check(name, *kind, value) {
                Ok(v) => v,
                Err(m) => return StepOutcome::failed(inputs, bad(m)),
            };
            declared.push(json!({"name": name, "type": kind.as_str(), "value": value}));
            run.ctx.variables.insert(name.clone(), value);
            run.variable_types.insert(name.clone(), *kind);
        }
        return StepOutcome::ok(Some(json!({"variables": declared})), None);
    }
    let (Some(written), Some(value)) = (variable.names.first(), values.into_iter().next()) else {
        return StepOutcome::ok(None, None);
    };
    let inputs = Some(json!({"name": written, "value": value}));
    let Some(found) = find_named(&run.ctx.variables, written) else {
        return StepOutcome::failed(inputs, bad(format!("The variable '{written}' is not initialized")));
    };
    let name = found.name.into_owned();
    let current = found.value.into_owned();
    let kind = run.variable_types.get(&name).copied().unwrap_or(VariableType::Object);
    let updated = match variable.op {
        VariableOp::Set => check(&name, kind, value),
        VariableOp::Increment | VariableOp::Decrement => {
            step(&name, kind, &current, &value, variable.op == VariableOp::Decrement)
        }
        VariableOp::AppendToArray => match (kind, current) {
            (VariableType::Array, Value::Array(mut items)) => {
                items.push(value);
                Ok(Value::Array(items))
            }
            (_, other) => Err(format!("The variable '{name}' is of type '{}', not an array", type_name(&other))),
        },
        VariableOp::AppendToString => match (kind, current) {
            (VariableType::String, Value::String(mut text)) => {
                text.push_str(&to_text(&value));
                Ok(Value::String(text))
            }
            (VariableType::String, Value::Null) => Ok(Value::String(to_text(&value).into_owned())),
            (_, other) => Err(format!("The variable '{name}' is of type '{}', not a string", type_name(&other))),
        },
        VariableOp::Initialize => Ok(current),
    };
    match updated {
        Ok(v) => {
            run.ctx.variables.insert(name.clone(), v.clone());
            StepOutcome::ok(inputs, Some(json!({"body": {"name": name, "value": v}})))
        }
        Err(m) => StepOutcome::failed(inputs, bad(m)),
    }
}

/// The value of a variable declared without one: empty for its type (real templates declare
/// an array without a value and append to it).
fn empty(kind: VariableType) -> Value {
    match kind {
        VariableType::String => json!(""),
        VariableType::Integer => json!(0),
        VariableType::Float => json!(0.0),
        VariableType::Boolean => json!(false),
        VariableType::Array => json!([]),
        VariableType::Object => json!({}),
    }
}

/// The value when it fits the variable's type (null fits any; an integer fits Float).
fn check(name: &str, kind: VariableType, value: Value) -> Result<Value, String> {
    let fits = match (&kind, &value) {
        (_, Value::Null) => true,
        (VariableType::String, Value::String(_))
        | (VariableType::Boolean, Value::Bool(_))
        | (VariableType::Array, Value::Array(_))
        | (VariableType::Object, Value::Object(_))
        | (VariableType::Float, Value::Number(_)) => true,
        (VariableType::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    };
    if fits {
        Ok(value)
    } else {
        Err(format!(
            "The variable '{name}' of type '{}' cannot be initialized or updated with value of type '{}'.",
            kind.as_str(),
            type_name(&value)
        ))
    }
}

/// Increment or decrement.
fn step(name: &str, kind: VariableType, current: &Value, by: &Value, down: bool) -> Result<Value, String> {
    let sign = if down { -1 } else { 1 };
    match (kind, current.as_i64().or(current.is_null().then_some(0)), by.as_i64()) {
        (VariableType::Integer, Some(c), Some(b)) => {
            c.checked_add(sign * b).map(Value::from).ok_or_else(|| format!("The variable '{name}' would overflow"))
        }
        (VariableType::Float, _, _) => match (current.as_f64().or(current.is_null().then_some(0.0)), by.as_f64()) {
            (Some(c), Some(b)) => Ok(json!(if down { c - b } else { c + b })),
            _ => Err(format!("Incrementing '{name}' needs a number, got '{}'", type_name(by))),
        },
        (VariableType::Integer, _, _) => {
            Err(format!("Incrementing '{name}' needs an integer, got '{}'", type_name(by)))
        }
        _ => Err(format!("The variable '{name}' is not a number and cannot be incremented")),
    }
}
