//! `Join` (`{from, joinWith}`: the items of an array, as `string()` renders them, joined by
//! the separator) and `Response` (`{statusCode, headers, body}` for a Request trigger: kept as
//! the run's response).

use serde_json::{json, Value};

use crate::playbook::expr::value::{to_text, type_name};
use crate::playbook::model::{codes, Action, Input};
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs a `Join` action.
pub fn join(action: &Action, input: &Input, run: &mut Runner<'_>) -> StepOutcome {
    let inputs = match run.render(action, input) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let Some(Value::Array(items)) = inputs.get("from") else {
        let found = inputs.get("from").map_or("null", type_name);
        let message =
            format!("The 'from' property of action '{}' is of type '{found}'; it must be an array", action.name);
        let error = ErrorInfo::new("BadRequest", message)
            .with_diagnostic(codes::BAD_INPUT, Some(run.playbook.source.position(action.span)));
        return StepOutcome::failed(Some(inputs), error);
    };
    let separator = inputs.get("joinWith").map(|s| to_text(s).into_owned()).unwrap_or_default();
    let parts: Vec<String> = items.iter().map(|i| to_text(i).into_owned()).collect();
    let body = parts.join(&separator);
    StepOutcome::ok(Some(inputs.clone()), Some(json!({"body": body})))
}

/// Runs a `Response` action.
pub fn response(action: &Action, input: &Input, run: &mut Runner<'_>) -> StepOutcome {
    match run.render(action, input) {
        Ok(value) => {
            let mut outputs = serde_json::Map::new();
            outputs.insert("statusCode".into(), value.get("statusCode").cloned().unwrap_or(json!(200)));
            outputs.insert("headers".into(), value.get("headers").cloned().unwrap_or(json!({})));
            outputs.insert("body".into(), value.get("body").cloned().unwrap_or(Value::Null));
            let outputs = Value::Object(outputs);
            run.response = Some(outputs.clone());
            StepOutcome::ok(Some(value), Some(outputs))
        }
        Err(e) => StepOutcome::failed(None, e),
    }
}
