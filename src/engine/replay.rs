//! Replaying an incident's recorded history (one version per modification, as the
//! SecurityIncident table keeps it) through the rules: the first version is a creation event,
//! every later one an update event. Each event's clock is the time of the modification. The
//! simulated incident is carried forward ([`crate::model::carry::carry_over`]): what the record
//! changed is taken from the record, the rest is what the rules made of it. The update a rule
//! sees is the difference between the simulated incident before and after the recorded
//! modification, with the updated-by source of the record. Versions that change nothing are
//! skipped.

use chrono::{DateTime, Utc};

use crate::model::carry::carry_over;
use crate::model::{Change, Incident, IncidentError, Update, UpdatedBySource};
use crate::rules::RuleSet;

use super::{process, Clock, Event, Fired, Options};

/// One recorded version of the incident.
#[derive(Debug, Clone)]
pub struct Step {
    pub incident: Incident,
    /// Who made the modification this version records.
    pub source: UpdatedBySource,
    pub time: DateTime<Utc>,
}

/// What the rules did on one event.
#[derive(Debug, Clone)]
pub struct EventOutcome {
    pub time: DateTime<Utc>,
    /// The incident as the rules saw it before acting.
    pub before: Incident,
    pub changes: Vec<Change>,
    pub fired: Vec<Fired>,
}

/// The replay of one incident.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// The simulated incident after the last version.
    pub incident: Incident,
    pub events: Vec<EventOutcome>,
}

fn same(a: &Incident, b: &Incident) -> bool {
    let strip = |i: &Incident| {
        let mut v = i.as_value().clone();
        if let Some(map) = v.get_mut("properties").and_then(serde_json::Value::as_object_mut) {
            map.remove("lastModifiedTimeUtc");
        }
        v
    };
    strip(a) == strip(b)
}

/// Replays `steps` (in time order). `None` when there are none.
pub fn replay(rules: &RuleSet, steps: &[Step], options: Options) -> Result<Option<Replayed>, IncidentError> {
    let Some((first, rest)) = steps.split_first() else { return Ok(None) };
    let mut events = Vec::new();
    let outcome = process(rules, first.incident.clone(), &Event::Created, Clock::new(first.time), options);
    events.push(EventOutcome {
        time: first.time,
        before: first.incident.clone(),
        changes: outcome.changes,
        fired: outcome.fired,
    });
    let mut state = outcome.incident;
    let mut previous = &first.incident;
    for step in rest {
        let next = carry_over(&state, previous, &step.incident)?;
        previous = &step.incident;
        if same(&next, &state) {
            continue;
        }
        let update = Update::between(&state, &next, step.source);
        let outcome = process(rules, next.clone(), &Event::Updated(Box::new(update)), Clock::new(step.time), options);
        events.push(EventOutcome { time: step.time, before: next, changes: outcome.changes, fired: outcome.fired });
        state = outcome.incident;
    }
    Ok(Some(Replayed { incident: state, events }))
}
