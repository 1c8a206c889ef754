//! Fuzz target: the incident reader on arbitrary bytes. Opens the bytes as an input
//! (`io::open_reader`: shape detection), pulls every record of a stream (JSON Lines or a
//! top-level array) and parses it, or takes every incident slot of a whole document, then
//! wraps each value as an incident (`model::Incident::from_value`). Nothing may panic or hang.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use sentinel_soar::io::{open_reader, Opened};
use sentinel_soar::model::Incident;

fuzz_target!(|data: &[u8]| {
    let reader = Box::new(Cursor::new(data.to_vec()));
    match open_reader(reader, "fuzz.jsonl") {
        Ok(Opened::Stream(mut stream)) => {
            while let Ok(Some(record)) = stream.next_record() {
                if let Ok(value) = record.parse() {
                    let _ = Incident::from_value(value);
                }
            }
        }
        Ok(Opened::Document(doc)) => {
            for slot in &doc.slots {
                if let Some(value) = doc.root.pointer(slot) {
                    let _ = Incident::from_value(value.clone());
                }
            }
        }
        Err(_) => {}
    }
});
