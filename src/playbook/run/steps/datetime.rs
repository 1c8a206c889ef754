//! The built-in Date Time actions (type `Expression`: `CurrentTime`, `AddToTime`,
//! `SubtractFromTime`, `GetFutureTime`, `GetPastTime`, `ConvertTimeZone`): each is the WDL
//! function of the same name on its rendered inputs, on the simulated clock; the output's body
//! is the timestamp (`body('Current_time')`), as in Logic Apps. A value the function refuses
//! (a base time that is not one, an unknown unit or time zone) fails the action with the
//! function's message.

use serde_json::{json, Value};

use crate::playbook::expr::evaluate_str;
use crate::playbook::model::{codes, Action, DateTime};
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs a Date Time action.
pub fn date_time(action: &Action, step: &DateTime, run: &mut Runner<'_>) -> StepOutcome {
    let inputs = match run.render(action, &step.inputs) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let (function, keys) = step.kind.function();
    let args: Vec<String> = keys.iter().map(|key| literal(field(&inputs, key))).collect();
    let call = format!("{function}({})", args.join(", "));
    let shown = (!keys.is_empty()).then(|| inputs.clone());
    match evaluate_str(&call, &run.ctx) {
        Ok(value) => StepOutcome::ok(shown, Some(json!({ "body": value }))),
        Err(e) => {
            let at = run.playbook.source.position(action.span);
            let message = format!("The '{}' action of kind {:?} failed: {}", action.name, step.kind, e.message);
            StepOutcome::failed(
                shown,
                ErrorInfo::new("BadRequest", message).with_diagnostic(codes::EVALUATION, Some(at)),
            )
        }
    }
}

/// An input by its key, ignoring case (`null` when absent).
fn field<'v>(inputs: &'v Value, key: &str) -> &'v Value {
    inputs
        .as_object()
        .and_then(|map| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
        .unwrap_or(&Value::Null)
}

/// A JSON value as a WDL literal argument: a quoted string (`'` doubled), a number, a boolean,
/// `null`, or `json('...')` for arrays and objects.
fn literal(value: &Value) -> String {
    let quoted = |text: &str| format!("'{}'", text.replace('\'', "''"));
    match value {
        Value::String(s) => quoted(s),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        other => format!("json({})", quoted(&other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_become_literal_arguments() {
        assert_eq!(literal(&json!("it's")), "'it''s'");
        assert_eq!(literal(&json!(14)), "14");
        assert_eq!(literal(&json!(null)), "null");
        assert_eq!(literal(&json!({"a": 1})), "json('{\"a\":1}')");
        assert_eq!(field(&json!({"BaseTime": "x"}), "baseTime"), &json!("x"));
    }
}
