//! A document input (one incident, a REST list `{"value": [...]}`, a REST API example file),
//! read whole: its records, addressed by JSON pointers, go through the workers window by
//! window; each processed record replaces its original in the document, which is then written
//! back in its style.
//!
//! A record that could not be processed gets what a stream's record gets: its error names the
//! line and column where it starts and its pointer, its exact bytes go to the rejects file, it
//! is left out of the output (an element out of its list, a response body out of its response;
//! a document that is itself the record is not written), and where the output replaces the
//! input it is written back byte for byte as it was ([`super::outputs::Outputs::write_document`]).

use rayon::prelude::*;

use super::{Location, Problem, Run, Sink, Step, Within};
use crate::io::{Document, Place};

/// Processes one document input.
pub(super) fn process<S: Step, K: Sink<S::Item>>(run: Run<'_, S, K>, mut doc: Document) -> Result<(), K::Error> {
    let Run { pool, window, input, step, sink, outputs, counts } = run;
    let slots = step.slots(&doc);
    if slots.is_empty() {
        sink.problem(&Problem::Empty(input));
    }
    // Found when the first record fails: a document without errors is never walked.
    let mut places: Option<Vec<Option<Place>>> = None;
    let mut written: Vec<&str> = Vec::new();
    let mut rejected: Vec<(&str, Option<Place>)> = Vec::new();
    let window = window.max(1);
    for (n, chunk) in slots.chunks(window).enumerate() {
        let values: Vec<(usize, &str, serde_json::Value)> = chunk
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| doc.root.pointer(slot).map(|v| (n * window + i, slot.as_str(), v.clone())))
            .collect();
        let results: Vec<_> =
            pool.install(|| values.into_par_iter().map(|(i, slot, value)| (i, slot, step.run(value, input))).collect());
        for (i, slot, result) in results {
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
                    let place = places.get_or_insert_with(|| doc.places(&slots)).get(i).copied().flatten();
                    let (line, column) = place.map_or((doc.line, doc.column), |p| (p.line, p.column));
                    let at = Location { line, column, record: Within::Pointer(slot.to_owned()) };
                    counts.bad += 1;
                    sink.problem(&Problem::Record { input, at, message });
                    if let Some(raw) = place.and_then(|p| doc.text.get(p.start..p.end)) {
                        outputs.write_rejects(raw)?;
                    }
                    rejected.push((slot, place));
                }
            }
            sink.window_done()?;
        }
    }
    sink.read(slots.len(), 0);
    outputs.write_document(input, &mut doc, &written, &rejected).map_err(K::Error::from)
}
