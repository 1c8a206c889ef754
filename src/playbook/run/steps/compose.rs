//! `Compose`: the rendered inputs are the output (`outputs('Compose')` is the value itself).

use crate::playbook::model::{Action, Input};
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs a `Compose` action.
pub fn compose(action: &Action, input: &Input, run: &mut Runner<'_>) -> StepOutcome {
    match run.render(action, input) {
        Ok(value) => StepOutcome::ok(Some(value.clone()), Some(value)),
        Err(e) => StepOutcome::failed(None, e),
    }
}
