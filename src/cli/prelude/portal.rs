//! `--portal defender` for the commands that run rules (`apply`, `test`): the rule set as a
//! workspace onboarded to the Defender portal runs it ([`crate::rules::portal::adapt`]), each
//! change said once on standard error.
//!
//! Stage: CLI.

use crate::model::Portal;
use crate::rules::{portal, RuleSet};

/// The rules `portal` runs; under `defender`, a `note:` line per condition it changes.
pub fn adapt_rules(set: RuleSet, portal: Portal) -> RuleSet {
    if portal == Portal::Azure {
        return set;
    }
    let (adapted, notes) = portal::adapt(&set);
    for note in &notes {
        eprintln!("note: {} (--portal defender)", note.message());
    }
    adapted
}
