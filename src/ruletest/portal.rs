//! What the portal changed for a test that fails under `--portal defender` (or the
//! configuration's `portal = "defender"`): one note, so that a reader of the failure knows to
//! look at the portal ([`crate::rules::portal`], docs/defender-portal.md). The note names each
//! change the portal made to what the test ran: the rules of the queues that ran whose
//! conditions it adapted (the notes `--portal defender` prints when the rules are loaded), an
//! update by Microsoft 365 Defender that arrives as Other, and the incident provider the
//! playbooks read; or says that it changed nothing the test ran.
//!
//! Stage: reporting (pure: test + outcome + the portal's changes -> note text).

use std::collections::BTreeSet;

use crate::engine::Outcome;
use crate::model::Portal;
use crate::rules::portal::Adaptation;

use super::{Case, PlaybookCase, Trigger};

/// The page that says what the Defender portal changes.
pub const PAGE: &str = "docs/defender-portal.md";

/// The note of a rule test that failed under `portal` (`None` under the Azure portal):
/// `adapted` are the portal's changes to the rule set, `outcome` what the test ran.
pub fn rule_test_note(portal: Portal, case: &Case, outcome: &Outcome, adapted: &[Adaptation]) -> Option<String> {
    if portal == Portal::Azure {
        return None;
    }
    let ran: BTreeSet<&str> = outcome.verdicts.iter().map(|v| v.rule.as_str()).collect();
    let mut changes: Vec<String> =
        adapted.iter().filter(|a| ran.contains(a.rule.as_str())).map(Adaptation::message).collect();
    if let Trigger::Updated { by, .. } = &case.trigger {
        let seen = portal.updated_by(*by);
        if seen != *by {
            changes.push(format!("the test's update by {} arrives as {}", by.as_str(), seen.as_str()));
        }
    }
    if let (false, Some(provider)) = (outcome.runs.is_empty(), portal.provider_name()) {
        changes.push(format!("the playbooks the rules ran read the incident provider {provider}"));
    }
    Some(note(portal, &changes))
}

/// The note of a playbook test that failed under `portal` (`None` under the Azure portal).
pub fn playbook_test_note(portal: Portal, case: &PlaybookCase) -> Option<String> {
    if portal == Portal::Azure {
        return None;
    }
    let changes: Vec<String> = match (&case.incident, portal.provider_name()) {
        (Some(_), Some(provider)) => vec![format!("the playbook reads the incident provider {provider}")],
        _ => Vec::new(),
    };
    Some(note(portal, &changes))
}

/// `run with --portal P (PAGE), which changed ...`, with one further line per change.
fn note(portal: Portal, changes: &[String]) -> String {
    let head = format!("run with --portal {} ({PAGE})", portal.as_str());
    if changes.is_empty() {
        return format!("{head}, which changed nothing this test ran");
    }
    format!("{head}, which changed what this test ran:\n{}", changes.join("\n"))
}
