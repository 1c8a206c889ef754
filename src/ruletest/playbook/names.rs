//! What a playbook test names, checked against the playbook it runs before anything runs:
//! every action of `actions`, `calls` and `outputs` exists (ST008, with the closest name), the
//! actions of `calls` make calls, an `alert` goes to an alert-trigger playbook (ST009), and a
//! test with an alert alone expects nothing of an incident (ST005).
//!
//! Stage: checking (pure: decoded test + compiled playbook -> diagnostics).

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::playbook::model::Playbook;
use crate::playbook::run::trigger;
use crate::syntax::Text;

use super::super::{codes, Check};
use super::{action_key, log, Names, PlaybookCheck};

/// The problems of the test `case` names (of the test file `path`) with `playbook`.
pub fn check_names(path: &str, case: Names<'_>, playbook: &Playbook) -> Vec<Diagnostic> {
    let actions = playbook.all_actions();
    let names: Vec<&str> = actions.iter().map(|a| a.name.as_str()).collect();
    let calls: Vec<&str> = actions.iter().filter(|a| log::is_call(a)).map(|a| a.name.as_str()).collect();
    let mut diags = Vec::new();
    let mut unknown = |text: &Text, among: &[&str], what: &str| {
        let key = action_key(&text.value);
        if among.iter().any(|n| action_key(n) == key) {
            return;
        }
        let (message, label, help) = if names.iter().any(|n| action_key(n) == key) {
            let message = format!("`{}` makes no call; `calls` lists connector and HTTP calls", text.value);
            (message, "not a call", format!("the calls of playbook {}: {}", playbook.name, among.join(", ")))
        } else {
            let message = format!("playbook {} has no action named `{}`", playbook.name, text.value);
            let help = match did_you_mean(&text.value, among.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("its {what}: {}", among.join(", ")),
            };
            (message, "unknown action", help)
        };
        diags.push(
            Diagnostic::error(codes::UNKNOWN_ACTION, path, Some(text.span), message).with_label(label).with_help(help),
        );
    };
    for e in case.expect {
        match &e.check {
            PlaybookCheck::Actions(list) => list.iter().for_each(|a| unknown(&a.action, &names, "actions")),
            PlaybookCheck::Calls(list) => list.iter().for_each(|c| unknown(&c.action, &calls, "calls")),
            PlaybookCheck::Outputs(list) => list.iter().for_each(|o| unknown(&o.action, &names, "actions")),
            PlaybookCheck::Run(_) | PlaybookCheck::Incident(_) => {}
        }
    }
    if let (Some(alert), Some(reason)) = (case.alert, trigger::refuse_alert(playbook)) {
        let d = Diagnostic::error(
            codes::UNKNOWN_PLAYBOOK,
            path,
            Some(alert.span()),
            format!("{reason}; the test gives an alert"),
        )
        .with_help("give the test an `incident` instead, or name an alert-trigger playbook");
        diags.push(d);
    }
    if case.incident.is_none() {
        let reads_incident =
            |c: &PlaybookCheck| matches!(c, PlaybookCheck::Incident(c) if !matches!(c, Check::Changes(_)));
        for e in case.expect.iter().filter(|e| reads_incident(&e.check)) {
            let message = format!("`{}` checks the incident, but the test gives an alert alone", e.key);
            let d = Diagnostic::error(codes::CONFLICTING_KEYS, path, Some(e.span), message)
                .with_help("add the incident that holds the alert (`incident:`), or remove the expectation");
            diags.push(d);
        }
    }
    diags
}
