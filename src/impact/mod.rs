//! The impact of a rule change: two rule sets (the base, before the change, and the head,
//! after it) run on the same incident, and what differs between the two outcomes, field by
//! field ([`compare`]); over a run, the totals by field and by rule, in words a reviewer reads
//! ([`Totals`], [`words`]).
//!
//! Stage: comparison, between the commands and the engine. Pure: each side is an engine run
//! ([`Side`]), the comparison reads the two [`Final`] states; nothing here reads files or
//! prints. `sentinel-soar impact` streams incidents through [`crate::batch`] with a step that
//! runs both sides, and renders what is here.
//!
//! What counts as a change: an incident changes when the incident the two rule sets leave
//! differs as JSON (what `apply` would write) or when they request other playbook runs. The
//! fields Sentinel shows are compared by name (status, classification and its reason and
//! comment, severity, owner, tags, tasks, playbooks requested); any other difference in the
//! record is reported under its key, so nothing that makes `apply`'s output differ goes
//! unreported. An incident on which other rules fire but whose outcome is the same is not a
//! change; it is counted apart (and in the rules' totals).
//!
//! With `--ties permute`, each side also runs every order of its tie groups, and the incidents
//! whose outcome depends on the order on either side are kept and counted ([`ties`]).

mod diff;
mod outcome;
pub mod ties;
mod totals;
pub mod words;

pub use diff::{compare, Difference, Field, Item};
pub use outcome::Final;
pub use ties::{OrderDependence, SideName, TieLine, TieSummary, TieTotals};
pub use totals::{Direction, Effect, FieldChange, FieldLine, RuleLine, RuleStatus, Summary, Totals};

use crate::engine::replay::{self, Step};
use crate::engine::ties::{self as tie_groups, TieGroup};
use crate::engine::{self, Clock, Event, Options, PlaybookHost};
use crate::model::{Incident, IncidentError};
use crate::rules::RuleSet;

/// One side of the comparison: a rule set and how it runs.
///
/// This is the one place where a side's run is decided, for both sides at once: the rule set
/// is the one the portal runs (`--portal defender` adapts it before it is given here, and the
/// catalog's provider), and with `--ties permute` every order of its tie groups runs on the
/// incident too ([`tie_groups::permute`], with the same incident, event, clock and host), the
/// groups whose order decides the outcome kept in [`Final::ties`].
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub rules: &'a RuleSet,
    /// Runs the playbooks `run_playbook` actions name (`--playbooks`); without it the runs are
    /// only requested.
    pub host: Option<&'a dyn PlaybookHost>,
    /// `--ties permute`: the tie groups of `rules` whose every order runs on each incident.
    pub ties: Option<&'a [TieGroup]>,
}

impl Side<'_> {
    /// The rules on one incident event.
    pub fn process(&self, incident: Incident, event: &Event, clock: Clock) -> Final {
        let ties = match self.ties {
            Some(groups) => tie_groups::permute(self.rules, groups, &incident, event, clock, self.host),
            None => Vec::new(),
        };
        let outcome = engine::process_with(self.rules, incident, event, clock, Options::default(), self.host);
        Final { ties, ..Final::of(outcome) }
    }

    /// The rules on one incident's recorded history (`--replay`; playbooks do not run on a
    /// replay, nor other orders of ties). `None` for an empty history.
    pub fn replay(&self, steps: &[Step]) -> Result<Option<Final>, IncidentError> {
        Ok(replay::replay(self.rules, steps, Options::default())?.map(Final::of_replay))
    }
}

/// What the two sides made of one incident.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The input the incident came from.
    pub file: String,
    pub incident: Option<String>,
    pub number: Option<i64>,
    pub title: Option<String>,
    /// The rules that fired, in run order, with the base rules and with the head rules.
    pub fired_before: Vec<String>,
    pub fired_after: Vec<String>,
    /// What differs (empty: the same outcome).
    pub differences: Vec<Difference>,
    /// With `--ties permute`: the tie groups whose order decides the outcome, the base's then
    /// the head's.
    pub ties: Vec<OrderDependence>,
}

impl Compared {
    /// Compares the two outcomes of the incident read from `file`.
    pub fn of(file: &str, base: &Final, head: &Final) -> Compared {
        let incident = &head.incident;
        Compared {
            file: file.to_owned(),
            incident: incident.name().map(str::to_owned),
            number: incident.number(),
            title: incident.title().map(str::to_owned),
            fired_before: base.fired.clone(),
            fired_after: head.fired.clone(),
            differences: compare(base, head),
            ties: ties::of_both(&base.ties, &head.ties),
        }
    }

    /// The outcome differs.
    pub fn changed(&self) -> bool {
        !self.differences.is_empty()
    }

    /// With `--ties permute`: the outcome depends on the order of tied rules on either side.
    pub fn order_dependent(&self) -> bool {
        !self.ties.is_empty()
    }

    /// Other rules fire, or the same in another order.
    pub fn fired_differs(&self) -> bool {
        self.fired_before != self.fired_after
    }

    /// The incident as reports name it: its number, else its name.
    pub fn id(&self) -> Option<String> {
        self.number.map(|n| n.to_string()).or_else(|| self.incident.clone())
    }
}
