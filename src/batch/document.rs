//! A document input (one incident, a REST list `{"value": [...]}`, a REST API example file),
//! read whole: its records, addressed by JSON pointers, go through the workers window by
//! window; each processed record replaces its original in the document, which is then written
//! back in its style. A record that could not be processed stays as it was.

use rayon::prelude::*;

use super::{Location, Problem, Run, Sink, Step};
use crate::io::Document;

/// Processes one document input.
pub(super) fn process<S: Step, K: Sink<S::Item>>(run: Run<'_, S, K>, mut doc: Document) -> Result<(), K::Error> {
    let Run { pool, window, input, step, sink, outputs, counts } = run;
    let slots = step.slots(&doc);
    if slots.is_empty() {
        sink.problem(&Problem::Empty(input));
    }
    let mut written: Vec<&str> = Vec::new();
    for chunk in slots.chunks(window.max(1)) {
        let values: Vec<(&str, serde_json::Value)> =
            chunk.iter().filter_map(|slot| doc.root.pointer(slot).map(|v| (slot.as_str(), v.clone()))).collect();
        let results: Vec<_> =
            pool.install(|| values.into_par_iter().map(|(slot, value)| (slot, step.run(value, input))).collect());
        for (slot, result) in results {
            match result {
                Ok(done) => {
                    if let (Some(record), Some(target)) = (done.record, doc.root.pointer_mut(slot)) {
                        *target = record;
                    }
                    written.push(slot);
                    counts.ok += 1;
                    sink.write(done.item)?;
                }
                Err(message) => {
                    counts.bad += 1;
                    sink.problem(&Problem::Record { input, at: Location::Slot(slot.to_owned()), message });
                }
            }
            sink.window_done()?;
        }
    }
    sink.read(slots.len(), 0);
    outputs.write_document(input, &doc.root, doc.style, &written).map_err(K::Error::from)
}
