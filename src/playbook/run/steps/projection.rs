//! `Query` (Filter array: the items of `from` for which `where` holds) and `Select` (`select`
//! rendered for each item of `from`). Inside `where` and `select`, `item()` is the current
//! item. `from` must be an array (PB044 otherwise).

use serde_json::{json, Value};

use crate::playbook::expr::value::type_name;
use crate::playbook::model::step::Projection;
use crate::playbook::model::{codes, Action, Predicate};
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Renders `from` and checks it is an array.
pub fn from_array(
    action: &Action,
    run: &mut Runner<'_>,
    from: &crate::playbook::model::Input,
) -> Result<Vec<Value>, Box<StepOutcome>> {
    match run.render(action, from) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(other) => {
            let message = format!(
                "The 'from' property of action '{}' is of type '{}'; it must be an array",
                action.name,
                type_name(&other)
            );
            let at = run.playbook.source.position(action.span);
            let error = ErrorInfo::new("BadRequest", message).with_diagnostic(codes::BAD_INPUT, Some(at));
            Err(Box::new(StepOutcome::failed(Some(json!({"from": other})), error)))
        }
        Err(e) => Err(Box::new(StepOutcome::failed(None, e))),
    }
}

/// Runs a `Query` action.
pub fn query(action: &Action, projection: &Projection, run: &mut Runner<'_>) -> StepOutcome {
    let items = match from_array(action, run, &projection.from) {
        Ok(items) => items,
        Err(outcome) => return *outcome,
    };
    let inputs = Some(json!({"from": items}));
    let condition = Predicate::Value(projection.each.clone());
    let mut kept = Vec::new();
    for item in items {
        run.ctx.loops.push((action.name.clone(), item.clone()));
        let holds = run.predicate(action, &condition);
        run.ctx.loops.pop();
        match holds {
            Ok(true) => kept.push(item),
            Ok(false) => {}
            Err(e) => return StepOutcome::failed(inputs, e),
        }
    }
    StepOutcome::ok(inputs, Some(json!({"body": kept})))
}

/// Runs a `Select` action.
pub fn select(action: &Action, projection: &Projection, run: &mut Runner<'_>) -> StepOutcome {
    let items = match from_array(action, run, &projection.from) {
        Ok(items) => items,
        Err(outcome) => return *outcome,
    };
    let inputs = Some(json!({"from": items}));
    let mut out = Vec::new();
    for item in items {
        run.ctx.loops.push((action.name.clone(), item));
        let value = run.render(action, &projection.each);
        run.ctx.loops.pop();
        match value {
            Ok(v) => out.push(v),
            Err(e) => return StepOutcome::failed(inputs, e),
        }
    }
    StepOutcome::ok(inputs, Some(json!({"body": out})))
}
