//! Connector calls: `ApiConnection` and `ApiConnectionWebhook` (an approval or adaptive card
//! waits for its callback; offline the mock's body is the answer, e.g. the chosen option),
//! `Http` (connector `http`, the URI as path), and the types that run only with a mock. The
//! inputs are rendered, then [`connectors::answer`] finds who answers. A connection whose
//! secret variable is not set is a run warning, whoever answers. Nobody: with `--infer-mocks`,
//! the answer inferred from the playbook (marked `inferred`); otherwise `not-run: no mock`, the
//! action counts as Succeeded with no outputs so the rest of the playbook can be exercised,
//! unless strict mocks are asked for, which fails the action (PB043) as a failed call would: the
//! run goes on by runAfter's rules, and fails unless a later action handles it.

use serde_json::Value;

use crate::model::time::stamp;
use crate::playbook::connectors::{self, Call, Effects, Reply, Source};
use crate::playbook::model::{codes, Action, Connector, Input, Status};
use crate::playbook::run::log::ErrorInfo;
use crate::playbook::run::runner::Runner;

use super::StepOutcome;

/// Runs an `ApiConnection` or `ApiConnectionWebhook` action.
pub fn connector(action: &Action, connector: &Connector, run: &mut Runner<'_>) -> StepOutcome {
    warn_unset_secrets(&connector.connection, run);
    let inputs = match run.render(action, &connector.inputs) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let method = text(&inputs, "method").to_ascii_lowercase();
    let path = text(&inputs, "path").to_owned();
    call(action, run, &connector.api, &method, &path, inputs)
}

/// Runs an `Http` action.
pub fn http(action: &Action, input: &Input, run: &mut Runner<'_>) -> StepOutcome {
    let inputs = match run.render(action, input) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    let method = text(&inputs, "method").to_ascii_lowercase();
    let uri = text(&inputs, "uri").to_owned();
    call(action, run, "http", &method, &uri, inputs)
}

/// Runs an action of a type run only with a mock.
pub fn mock_only(action: &Action, input: &Input, run: &mut Runner<'_>) -> StepOutcome {
    let inputs = match run.render(action, input) {
        Ok(v) => v,
        Err(e) => return StepOutcome::failed(None, e),
    };
    call(action, run, "", "", "", inputs)
}

/// Warns, once per run and connection, when the connection's secrets refer to environment
/// variables that are not set (names only: a value is never written).
fn warn_unset_secrets(connection: &str, run: &mut Runner<'_>) {
    let Some(declared) = run.playbook.secrets.connections.get(connection) else { return };
    let mut unset: Vec<&str> = Vec::new();
    for env in declared.secrets.iter().map(|r| r.env.as_str()) {
        if !run.options.secrets.contains_key(env) && !unset.contains(&env) {
            unset.push(env);
        }
    }
    let text = match unset.as_slice() {
        [] => return,
        [one] => format!("connection '{connection}': environment variable {one} is not set"),
        many => format!("connection '{connection}': environment variables {} are not set", many.join(", ")),
    };
    if !run.warnings.contains(&text) {
        run.warnings.push(text);
    }
}

fn text<'v>(inputs: &'v Value, key: &str) -> &'v str {
    inputs.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn call(action: &Action, run: &mut Runner<'_>, api: &str, method: &str, path: &str, inputs: Value) -> StepOutcome {
    let playbook = run.playbook;
    let static_result = action
        .static_result
        .as_ref()
        .and_then(|(name, enabled)| playbook.static_results.get(name).map(|c| (c, *enabled)));
    let now = stamp(run.now());
    let call = Call { action: &action.name, api, method, path, inputs: &inputs };
    let reply = {
        let mut effects = Effects {
            incident: run.incident.as_mut(),
            alert_id: run.alert_id.as_deref(),
            watchlists: &mut run.watchlists,
            warnings: &mut run.warnings,
            changes: &mut run.changes,
            playbook: &playbook.name,
            step: &action.name,
            now: &now,
        };
        connectors::answer(&call, static_result, run.mocks, &mut effects)
    };
    let reply = reply.or_else(|| {
        let canned = run.inferred_answers.get(&action.name.to_lowercase())?;
        run.inferred.push(action.name.clone());
        Some(Reply::from_canned(canned, Source::Inferred))
    });
    let Some(reply) = reply else { return no_mock(action, run, api, method, path, inputs) };
    run.advance(reply.duration);
    let error = (reply.status != Status::Succeeded).then(|| {
        let e = reply.error.as_ref().or_else(|| reply.outputs.get("body").and_then(|b| b.get("error")));
        let code = e.and_then(|e| e.get("code")).and_then(Value::as_str).unwrap_or(&reply.code).to_owned();
        let message = e
            .and_then(|e| e.get("message"))
            .and_then(Value::as_str)
            .map_or_else(|| format!("The call answered {} ({})", reply.status, reply.code), str::to_owned);
        ErrorInfo::new(code, message)
    });
    StepOutcome {
        status: reply.status,
        code: Some(reply.code),
        inputs: Some(inputs),
        outputs: Some(reply.outputs),
        error,
        mock: Some(reply.source),
        ..StepOutcome::default()
    }
}

fn no_mock(action: &Action, run: &mut Runner<'_>, api: &str, method: &str, path: &str, inputs: Value) -> StepOutcome {
    if run.options.strict_mocks {
        // The action fails as a failed call would: runAfter and loops go on by their rules.
        let what = if api.is_empty() {
            action.type_name.clone()
        } else {
            format!("{api} {} {path}", method.to_ascii_uppercase())
        };
        let at = run.playbook.source.position(action.span);
        let error = ErrorInfo::new("NoMock", format!("no mock for {what} (--strict-mocks)"))
            .with_diagnostic(codes::NO_MOCK, Some(at));
        return StepOutcome::failed(Some(inputs), error);
    }
    run.unmocked.push(action.name.clone());
    StepOutcome { inputs: Some(inputs), note: Some("not-run: no mock".into()), ..StepOutcome::default() }
}
