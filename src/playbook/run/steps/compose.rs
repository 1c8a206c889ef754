//! `Compose`: the rendered inputs are the output (`outputs('Compose')` is the value itself).

use crate::playbook::model::{Action, Input};
use crate::playbook::run::runner::Runner;

use super::{Execute, StepOutcome};

/// A `Compose` action.
pub struct Compose<'a>(pub &'a Input);

impl Execute for Compose<'_> {
    fn execute(&self, action: &Action, run: &mut Runner<'_>) -> StepOutcome {
        match run.render(action, self.0) {
            Ok(value) => StepOutcome::ok(Some(value.clone()), Some(value)),
            Err(e) => StepOutcome::failed(None, e),
        }
    }
}
