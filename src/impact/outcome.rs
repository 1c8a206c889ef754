//! [`Final`]: what one rule set made of one incident (or of one incident's recorded history):
//! the incident as the rules left it, the rules that fired and the changes they made, which
//! tell which rule left each final value.

use crate::engine::replay::Replayed;
use crate::engine::ties::Dependence;
use crate::engine::{value_text, Outcome};
use crate::model::{Change, ChangeSource, Incident};

/// What one rule set made of one incident.
#[derive(Debug, Clone)]
pub struct Final {
    /// The incident as the rules left it (what `apply` writes).
    pub incident: Incident,
    /// The rules that fired, in run order (over every event of a replay).
    pub fired: Vec<String>,
    /// Every change, in the order made.
    pub changes: Vec<Change>,
    /// With `--ties permute`: the tie groups whose order decides this outcome.
    pub ties: Vec<Dependence>,
}

impl Final {
    /// The state an engine run left.
    pub fn of(outcome: Outcome) -> Final {
        Final {
            incident: outcome.incident,
            fired: outcome.fired.into_iter().map(|f| f.rule).collect(),
            changes: outcome.changes,
            ties: Vec::new(),
        }
    }

    /// The state a replay left: the last incident, the rules and changes of every event.
    pub fn of_replay(replayed: Replayed) -> Final {
        let mut fired = Vec::new();
        let mut changes = Vec::new();
        for event in replayed.events {
            fired.extend(event.fired.into_iter().map(|f| f.rule));
            changes.extend(event.changes);
        }
        Final { incident: replayed.incident, fired, changes, ties: Vec::new() }
    }

    /// The playbook runs the rules requested, in order: (playbook, rule).
    pub fn playbooks(&self) -> Vec<(String, Option<String>)> {
        self.changes
            .iter()
            .filter(|c| c.action == "run_playbook" && c.source == ChangeSource::AutomationRule)
            .filter_map(|c| Some((c.playbook.clone()?, c.rule.clone())))
            .collect()
    }

    /// The rule whose change left `property` (a REST field name: `status`, `owner`,
    /// `labels`, ...) holding `value`: the last change of that property to that value. `None`
    /// when no rule (or playbook a rule ran) made it so: the incident came that way.
    pub fn set_by(&self, property: &str, value: &str) -> Option<String> {
        self.changes
            .iter()
            .rev()
            .find(|c| c.property.as_deref() == Some(property) && value_text(&c.to).eq_ignore_ascii_case(value))
            .and_then(|c| c.rule.clone())
    }
}
