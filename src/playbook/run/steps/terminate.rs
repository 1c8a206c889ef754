//! `Terminate`: ends the run at once with `runStatus` (Succeeded, Failed or Cancelled) and,
//! for Failed, `runError` (`{code, message}`). The action itself succeeds; nothing after it
//! runs.

use serde_json::{json, Value};

use crate::model::RunStatus;
use crate::playbook::expr::value::to_text;
use crate::playbook::model::step::{Terminate, TerminateStatus};
use crate::playbook::model::Action;
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::{Halt, Runner};

use super::StepOutcome;

/// Runs a `Terminate` action.
pub fn terminate(action: &Action, terminate: &Terminate, run: &mut Runner<'_>) -> StepOutcome {
    let error = match &terminate.error {
        Some(input) => match run.render(action, input) {
            Ok(v) => Some(v),
            Err(e) => return StepOutcome::failed(None, e),
        },
        None => None,
    };
    let status = match terminate.status {
        TerminateStatus::Succeeded => RunStatus::Succeeded,
        TerminateStatus::Failed => RunStatus::Failed,
        TerminateStatus::Cancelled => RunStatus::Cancelled,
    };
    let info = error.as_ref().map(|e| {
        let field = |k: &str| e.get(k).map(|v| to_text(v).into_owned()).unwrap_or_default();
        ErrorInfo::new(field("code"), field("message"))
    });
    run.halt = Some(Halt::Terminated { status, error: info });
    let mut inputs = json!({"runStatus": status.as_str()});
    if let (Some(e), Value::Object(map)) = (error, &mut inputs) {
        map.insert("runError".into(), e);
    }
    StepOutcome::ok(Some(inputs), None)
}
