//! Input and output of incident files: argument expansion ([`expand_inputs`]), gzip and zstd
//! streams ([`compress`]), shape detection and record streaming ([`open`], [`RecordStream`]),
//! where a document's records stand in its text ([`locate`]), writers that keep the input's
//! shape and style ([`RecordWriter`], [`write_document`], [`splice`]), atomic destination files
//! ([`AtomicFile`]), the one directory walker ([`walk`]) that every command finds its files
//! with, and the names outputs give files ([`path`]).
//!
//! Shapes (SPEC 1.3): JSON Lines (or concatenated JSON values) and top-level arrays are streamed
//! record by record with memory bounded by the records in flight; any other single document
//! (one incident, a REST list `{"value": [...]}`, a REST example file with `responses`) is read
//! whole and its incidents are addressed by JSON pointers.
//!
//! Stage: io, a leaf. Nothing here knows about rules or the engine.

pub mod atomic;
pub mod compress;
pub mod expand;
pub mod input;
pub mod lines;
pub mod locate;
pub mod output;
pub mod patch;
pub mod path;
pub mod scan;
pub mod splice;
pub mod tape;
pub mod value;
pub mod walk;

use std::fmt;

pub use atomic::AtomicFile;
pub use compress::{Compression, Compressor};
pub use expand::{expand_inputs, InputFile, Source};
pub use input::{open, open_reader, read_all, read_text, Document, Opened, Record, RecordStream};
pub use locate::Place;
pub use output::{write_document, Encoder, JsonDocument, RecordWriter};
pub use walk::walk;

/// Why an input cannot be read (or cannot be read further): the message names the file and,
/// where known, the line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub message: String,
}

impl InputError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        InputError { message: message.into() }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// The shape of an input, which is also the shape of its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// JSON Lines, or several JSON values separated by whitespace; also an empty input.
    Lines,
    /// One top-level JSON array whose elements are the records.
    Array,
    /// One JSON document holding incidents somewhere inside (or being one).
    Document,
}

/// Output style detected from the input: pretty (2-space indented) if the input's first
/// record/document spans more than one line, else compact. Lines are always compact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub pretty: bool,
}
