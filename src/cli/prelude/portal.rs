//! `--portal defender` for the commands that run rules (`apply`, `test`, `impact`, `explain`,
//! `rules list`): the rule
//! set as a workspace onboarded to the Defender portal runs it
//! ([`crate::rules::portal::adapt`]), each change said once on standard error.
//!
//! Stage: CLI.

use crate::model::Portal;
use crate::rules::{portal, RuleSet};

/// The rules `portal` runs; under `defender`, a `note:` line per condition it changes.
pub fn adapt_rules(set: RuleSet, portal: Portal) -> RuleSet {
    let (adapted, notes) = adapt_quietly(set, portal);
    for note in &notes {
        eprintln!("{note}");
    }
    adapted
}

/// The rules `portal` runs and the `note:` lines [`adapt_rules`] prints, not printed: a command
/// that adapts several rule sets says a note they share once.
pub fn adapt_quietly(set: RuleSet, portal: Portal) -> (RuleSet, Vec<String>) {
    if portal == Portal::Azure {
        return (set, Vec::new());
    }
    let (adapted, notes) = portal::adapt(&set);
    let notes = notes.iter().map(|n| format!("note: {} (--portal defender)", n.message())).collect();
    (adapted, notes)
}
