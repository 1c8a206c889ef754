//! `--portal defender` for the commands that run rules (`apply`, `test`, `impact`, `explain`,
//! `rules list`): the rule
//! set as a workspace onboarded to the Defender portal runs it
//! ([`crate::rules::portal::adapt`]), each change said once on standard error.
//!
//! Stage: CLI.

use crate::model::Portal;
use crate::rules::portal::{self, Adaptation};
use crate::rules::RuleSet;

/// The rules `portal` runs; under `defender`, a `note:` line per condition it changes.
pub fn adapt_rules(set: RuleSet, portal: Portal) -> RuleSet {
    adapt_rules_noted(set, portal).0
}

/// [`adapt_rules`], also returning the changes it notes (`test` names those that touched a test
/// that fails).
pub fn adapt_rules_noted(set: RuleSet, portal: Portal) -> (RuleSet, Vec<Adaptation>) {
    if portal == Portal::Azure {
        return (set, Vec::new());
    }
    let (adapted, changes) = portal::adapt(&set);
    for change in &changes {
        eprintln!("{}", note(change));
    }
    (adapted, changes)
}

/// The rules `portal` runs and the `note:` lines [`adapt_rules`] prints, not printed: a command
/// that adapts several rule sets says a note they share once.
pub fn adapt_quietly(set: RuleSet, portal: Portal) -> (RuleSet, Vec<String>) {
    if portal == Portal::Azure {
        return (set, Vec::new());
    }
    let (adapted, notes) = portal::adapt(&set);
    (adapted, notes.iter().map(note).collect())
}

/// The `note:` line of one change.
fn note(change: &Adaptation) -> String {
    format!("note: {} (--portal defender)", change.message())
}
