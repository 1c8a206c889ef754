//! A stream input (JSON Lines, a top-level array) through the windows: each record is run
//! through the step on a worker, in place from its tape when the step can (the splice path:
//! the record's bytes are written back with what changed spliced in), parsed into a tree and
//! its output record encoded otherwise; everything is written in input order.

use std::sync::atomic::Ordering;

use super::{Location, Problem, Run, Sink, Step, Within};
use crate::io::tape::Tape;
use crate::io::{Encoder, InputFile, Record, RecordStream, Shape};

/// A record processed on a worker: its encoded output record and the sink's item.
struct Worked<T> {
    bytes: Vec<u8>,
    item: T,
}

fn work<S: Step>(
    step: &S,
    input: &InputFile,
    encoder: Option<Encoder>,
    record: &Record,
) -> Result<Worked<S::Item>, String> {
    if let Some(worked) = encoder.filter(|_| step.splices()).and_then(|encoder| in_place(step, input, encoder, record))
    {
        return worked;
    }
    let value = record.parse().map_err(|e| format!("invalid JSON: {e}"))?;
    let done = step.run(value, input)?;
    let mut bytes = Vec::new();
    if let (Some(encoder), Some(out)) = (encoder, &done.record) {
        bytes.reserve(record.raw.len() + 1024);
        encoder.encode(out, &mut bytes).map_err(|e| format!("cannot encode the incident: {e}"))?;
    }
    Ok(Worked { bytes, item: done.item })
}

/// The record through the step's in-place path ([`Step::run_in_place`]), when its text is JSON
/// the tape reads and is laid out as the output is (on one line for compact output, over
/// several for pretty, without CRLF line ends, which the tree path writes as LF); `None`
/// otherwise.
fn in_place<S: Step>(
    step: &S,
    input: &InputFile,
    encoder: Encoder,
    record: &Record,
) -> Option<Result<Worked<S::Item>, String>> {
    let text = std::str::from_utf8(&record.raw).ok()?;
    let tape = Tape::read(text)?;
    if tape.multiline() != encoder.pretty() || tape.carriage_returns() {
        return None;
    }
    let mut bytes = Vec::with_capacity(record.raw.len() + 1024);
    encoder.lead(&mut bytes);
    let item = step.run_in_place(tape.root(), input, &mut bytes)?;
    Some(item.map(|item| Worked { bytes, item }))
}

/// Processes one stream input.
pub(super) fn process<S: Step, K: Sink<S::Item>>(run: Run<'_, S, K>, mut stream: RecordStream) -> Result<(), K::Error> {
    let Run { pool, window, input, step, sink, outputs, counts } = run;
    let array = stream.shape() == Shape::Array;
    outputs.start_stream(input, stream.shape(), stream.style(), stream.compression())?;
    let encoder = outputs.encoder();
    let before = counts.ok + counts.bad;
    // A compressed input's progress counts the compressed bytes read.
    let (compressed, mut counted) = (stream.compressed_bytes(), 0);
    let broke = super::window::run(
        pool,
        window,
        |max| stream.next_batch(max),
        |record| work(step, input, encoder, record),
        |records, results| {
            let bytes = match &compressed {
                None => records.iter().map(|r| r.raw.len() as u64 + 1).sum(),
                Some(read) => {
                    let now = read.load(Ordering::Relaxed);
                    now.saturating_sub(std::mem::replace(&mut counted, now))
                }
            };
            sink.read(records.len(), bytes);
            // The output records of a run of processed records are written together.
            let mut run = Vec::with_capacity(records.len());
            for (record, result) in records.iter().zip(results) {
                match result {
                    Ok(worked) => {
                        run.push(worked.bytes);
                        counts.ok += 1;
                        sink.write(worked.item)?;
                    }
                    Err(message) => {
                        outputs.write_encoded_all(&std::mem::take(&mut run))?;
                        let within = if array { Within::Index(record.index) } else { Within::Line };
                        let at = Location { line: record.line, column: record.column, record: within };
                        counts.bad += 1;
                        sink.problem(&Problem::Record { input, at, message });
                        outputs.reject(&record.raw)?;
                    }
                }
            }
            outputs.write_encoded_all(&run)?;
            sink.window_done()
        },
    )?;
    if let Some(error) = broke {
        counts.broken += 1;
        sink.problem(&Problem::Broken(error));
    } else if !array && counts.ok + counts.bad == before {
        // JSON Lines without a line: an empty (or blank) file, such as a truncated export.
        sink.problem(&Problem::Empty(input));
    }
    outputs.end_stream().map_err(K::Error::from)
}
