//! What `impact` does with one incident, on a worker thread of the batch: run the base rules and
//! the head rules on the same event at the same clock and compare what they leave
//! ([`ImpactStep`]); or the same on one incident's recorded history ([`replay`]).

use std::collections::HashMap;

use serde_json::Value;

use crate::batch::{Done, Step};
use crate::engine::Clock;
use crate::impact::{Compared, Side};
use crate::io::InputFile;
use crate::model::Incident;

use crate::cli::prelude::histories::History;
use crate::cli::prelude::{event_for, TriggerArg};

/// Both rule sets on each incident of the batch.
pub struct ImpactStep<'a> {
    pub base: Side<'a>,
    pub head: Side<'a>,
    pub trigger: TriggerArg,
    /// Earlier versions for `--trigger updated`, by lower-cased name.
    pub previous: &'a HashMap<String, Incident>,
    pub clock: Clock,
}

impl Step for ImpactStep<'_> {
    type Item = Compared;

    fn run(&self, value: Value, input: &InputFile) -> Result<Done<Compared>, String> {
        let incident = Incident::from_value(value).map_err(|e| format!("invalid incident: {e}"))?;
        let event = event_for(&incident, self.trigger, self.previous);
        let before = self.base.process(incident.clone(), &event, self.clock);
        let after = self.head.process(incident, &event, self.clock);
        Ok(Done { record: None, item: Compared::of(&input.display, &before, &after) })
    }
}

/// Both rule sets on one incident's history; `None` for an empty history.
pub fn replay(base: Side<'_>, head: Side<'_>, history: &History) -> Result<Option<Compared>, String> {
    let before = base.replay(&history.steps).map_err(|e| e.to_string())?;
    let after = head.replay(&history.steps).map_err(|e| e.to_string())?;
    Ok(before.zip(after).map(|(before, after)| Compared::of(&history.file, &before, &after)))
}
