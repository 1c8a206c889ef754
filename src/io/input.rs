//! Opening an input: decompression and shape detection ([`open`], [`open_reader`]), the
//! [`RecordStream`] over JSON Lines and top-level arrays (one raw [`Record`] at a time, parsed on
//! demand, malformed records reported with their file position), and whole [`Document`]s with
//! the JSON pointers of their incidents and the places of those in the text.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Read;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use serde_json::Value;

use super::compress::{self, Compression, Decoded};
use super::expand::{InputFile, Source};
use super::lines::Raw;
use super::locate::{locate, Place};
use super::scan::{ScanError, Scanned, Scanner, MAX_DEPTH};
use super::{InputError, Shape, Style};
use crate::model::incident::looks_like_incident;
use crate::syntax::pointer;

/// One record of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 0-based position in the file.
    pub index: usize,
    /// 1-based line where it starts.
    pub line: usize,
    /// 1-based column where it starts.
    pub column: usize,
    /// Exact bytes as read (for rejects and in-place pass-through).
    pub raw: Raw,
    /// Where nesting went past [`MAX_DEPTH`], if it did.
    too_deep: Option<(usize, usize)>,
}

impl Record {
    /// Parses the record. Err: serde_json's message with line and column relative to the file
    /// (not the record). Parsing is left to the caller so that it can run on worker threads.
    pub fn parse(&self) -> Result<Value, String> {
        if let Some((line, column)) = self.too_deep {
            return Err(format!("nesting deeper than {MAX_DEPTH} levels at line {line} column {column}"));
        }
        // Validating UTF-8 once for the whole record is faster than serde_json's check of every
        // string; invalid UTF-8 is reported at its first bad byte.
        match std::str::from_utf8(&self.raw) {
            Ok(text) => serde_json::from_str(text).map_err(|e| relocate(&e, self.line, self.column)),
            Err(bad) => Err(self.not_utf8(bad.valid_up_to())),
        }
    }

    /// The message for bytes that are not UTF-8 (serde_json calls them an "invalid unicode code
    /// point"), with the file position of the first bad byte.
    fn not_utf8(&self, at: usize) -> String {
        let before = self.raw.get(..at).unwrap_or_default();
        let (line, column) = match before.iter().rposition(|b| *b == b'\n') {
            None => (self.line, self.column + at),
            Some(nl) => (self.line + before.iter().filter(|b| **b == b'\n').count(), at - nl),
        };
        let byte = self.raw.get(at).copied().unwrap_or_default();
        let what = compress::describe_binary(&self.raw).map(|d| format!(": the record is {d}")).unwrap_or_default();
        format!("invalid UTF-8 (byte 0x{byte:02X}) at line {line} column {column}{what}")
    }
}

/// An opened input.
pub enum Opened {
    /// Lines or Array: records to pull one by one.
    Stream(RecordStream),
    /// Any other single JSON document, read whole.
    Document(Document),
}

/// Records of a JSON Lines or array input, read lazily.
pub struct RecordStream {
    scanner: Scanner,
    display: String,
    shape: Shape,
    style: Style,
    /// Records read and not handed out yet (the first one, read to tell the shape; lines read
    /// ahead by [`RecordStream::next_record`]).
    pending: VecDeque<Record>,
    deferred: Option<InputError>,
    next_index: usize,
    compression: Compression,
    counter: Option<Arc<AtomicU64>>,
}

/// A single document read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub root: Value,
    pub style: Style,
    /// JSON pointers (RFC 6901, e.g. "/responses/200/body/value/0") of every incident found,
    /// in document order. The root itself is "" when the document is one incident.
    pub slots: Vec<String>,
    /// The document's text as read (decompressed; without a byte order mark or the whitespace
    /// around it), for the exact bytes of a record.
    pub text: Vec<u8>,
    /// The 1-based line and byte column where the text starts in the file.
    pub line: usize,
    pub column: usize,
    /// How the file was compressed.
    pub compression: Compression,
}

impl Document {
    /// Where the values at `pointers` stand in the text (see [`locate`]).
    pub fn places(&self, pointers: &[String]) -> Vec<Option<Place>> {
        locate(&self.text, pointers, self.line, self.column)
    }
}

impl RecordStream {
    /// Lines or Array.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The style of the output (always compact for Lines).
    pub fn style(&self) -> Style {
        self.style
    }

    /// How the input was compressed.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// The compressed bytes read so far, for a compressed input (what the records' bytes
    /// cannot tell).
    pub fn compressed_bytes(&self) -> Option<Arc<AtomicU64>> {
        self.counter.clone()
    }

    /// Next record; Ok(None) at the end; Err on a structural failure (then the stream is over).
    pub fn next_record(&mut self) -> Result<Option<Record>, InputError> {
        if self.pending.is_empty() && self.scanner.reads_lines() && self.deferred.is_none() {
            self.read_lines(LINES_AHEAD)?;
        }
        if let Some(record) = self.pending.pop_front() {
            return Ok(Some(record));
        }
        if let Some(err) = self.deferred.take() {
            return Err(err);
        }
        match self.scanner.next_value() {
            Ok(Some(scanned)) => {
                let record = to_record(scanned, self.next_index);
                self.next_index += 1;
                Ok(Some(record))
            }
            Ok(None) => Ok(None),
            Err(e) => Err(structural(&self.display, e)),
        }
    }

    /// Up to `max` records (at least one is asked for even when `max` is 0); an empty Vec means
    /// the end. A structural error met after some records is returned by the next call, so the
    /// records read before it are not lost.
    pub fn next_batch(&mut self, max: usize) -> Result<Vec<Record>, InputError> {
        let max = max.max(1);
        if self.scanner.reads_lines() && self.deferred.is_none() && self.pending.len() < max {
            // One record per line: the window's lines are read together into one buffer.
            self.read_lines(max - self.pending.len())?;
        }
        let mut batch = Vec::with_capacity(max.min(4096));
        while batch.len() < max {
            match self.next_record() {
                Ok(Some(record)) => batch.push(record),
                Ok(None) => break,
                Err(e) if batch.is_empty() => return Err(e),
                Err(e) => {
                    self.deferred = Some(e);
                    break;
                }
            }
        }
        Ok(batch)
    }

    /// Reads up to `max` more lines (at least one) onto the pending records, in one buffer. Err:
    /// the input cannot be read further and no record was read; after some, the error is
    /// deferred.
    fn read_lines(&mut self, max: usize) -> Result<(), InputError> {
        let mut scanned = Vec::with_capacity(max.min(4096));
        let read = self.scanner.next_lines(max, &mut scanned);
        for lines in scanned {
            self.pending.push_back(to_record(lines, self.next_index));
            self.next_index += 1;
        }
        match read {
            Err(e) if self.pending.is_empty() => Err(structural(&self.display, e)),
            Err(e) => {
                self.deferred = Some(structural(&self.display, e));
                Ok(())
            }
            Ok(()) => Ok(()),
        }
    }
}

/// How many lines [`RecordStream::next_record`] reads at once.
const LINES_AHEAD: usize = 64;

/// Opens an input, decompresses it if it is compressed and detects its shape (see
/// [`open_reader`]).
pub fn open(input: &InputFile) -> Result<Opened, InputError> {
    open_reader(raw(input)?, &input.display)
}

/// The input's bytes as stored.
fn raw(input: &InputFile) -> Result<Box<dyn Read + Send>, InputError> {
    Ok(match &input.source {
        Source::Stdin => Box::new(std::io::stdin()),
        Source::File(path) => {
            Box::new(File::open(path).map_err(|e| InputError::new(format!("{}: cannot open: {e}", input.display)))?)
        }
    })
}

/// The whole text of an input, decompressed: for inputs that have to be read whole (a replay's
/// exports).
pub fn read_text(input: &InputFile) -> Result<String, InputError> {
    let mut decoded = compress::decode(raw(input)?, &input.display)?;
    let mut bytes = Vec::new();
    decoded.reader.read_to_end(&mut bytes).map_err(|e| InputError::new(format!("{}: {e}", input.display)))?;
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let byte = e.as_bytes().get(bad).copied().unwrap_or_default();
        InputError::new(format!("{}: invalid UTF-8 (byte 0x{byte:02X}) at byte {bad}", input.display))
    })
}

/// Every record of an input, parsed, in memory: for small inputs such as `--previous` (a batch
/// streams through [`crate::batch`] instead). A record that is not JSON is an error naming its
/// file and line.
pub fn read_all(input: &InputFile) -> Result<Vec<Value>, InputError> {
    let mut values = Vec::new();
    match open(input)? {
        Opened::Stream(mut stream) => {
            while let Some(record) = stream.next_record()? {
                let value = record
                    .parse()
                    .map_err(|e| InputError::new(located(&input.display, record.line, record.column, &e)))?;
                values.push(value);
            }
        }
        Opened::Document(doc) => values.extend(doc.slots.iter().filter_map(|slot| doc.root.pointer(slot)).cloned()),
    }
    Ok(values)
}

/// Opens any reader: gzip and zstd are decompressed (and other compressed formats refused by
/// name, [`compress::decode`]); then the first non-whitespace byte `[` -> Array stream;
/// otherwise the first value is scanned: more values after it -> Lines stream; nothing -> Lines
/// with zero records; else a [`Document`] whose incident slots are found with
/// [`looks_like_incident`].
pub fn open_reader(reader: Box<dyn Read + Send>, display: &str) -> Result<Opened, InputError> {
    let Decoded { reader, compression, counter } = compress::decode(reader, display)?;
    let fail = |e: ScanError| structural(display, e);
    let mut scanner = Scanner::new(reader).map_err(fail)?;
    let stream = |scanner, shape, style, pending: Option<Record>, deferred| {
        let next_index = usize::from(pending.is_some());
        let display = display.to_owned();
        let counter = counter.clone();
        Opened::Stream(RecordStream {
            scanner,
            display,
            shape,
            style,
            pending: pending.into_iter().collect(),
            deferred,
            next_index,
            compression,
            counter,
        })
    };
    if scanner.peek().map_err(fail)? == Some(b'[') {
        scanner.start_array();
        return Ok(match scanner.next_value() {
            Ok(first) => {
                let pretty = first.as_ref().is_some_and(|s| s.raw.contains(&b'\n'));
                stream(scanner, Shape::Array, Style { pretty }, first.map(|s| to_record(s, 0)), None)
            }
            Err(e) => stream(scanner, Shape::Array, Style::default(), None, Some(fail(e))),
        });
    }
    let Some(first) = scanner.next_value().map_err(fail)? else {
        return Ok(stream(scanner, Shape::Lines, Style::default(), None, None));
    };
    if scanner.peek().map_err(fail)?.is_some() {
        if !first.raw.contains(&b'\n') {
            scanner.strict_lines();
        }
        return Ok(stream(scanner, Shape::Lines, Style::default(), Some(to_record(first, 0)), None));
    }
    let style = Style { pretty: first.raw.contains(&b'\n') };
    let record = to_record(first, 0);
    let root = record.parse().map_err(|e| InputError::new(located(display, record.line, record.column, &e)))?;
    let slots = find_slots(&root);
    let Record { line, column, raw, .. } = record;
    Ok(Opened::Document(Document { root, style, slots, text: raw.into_vec(), line, column, compression }))
}

fn structural(display: &str, e: ScanError) -> InputError {
    InputError::new(format!("{display}:{}:{}: {}", e.line, e.column, e.message))
}

/// `file:line:column: message`, one way for every input error: the position a record's message
/// ends with (`... at line L column C`, as [`Record::parse`] words it, where the JSON breaks)
/// moves to the front; a message without one is placed at `line` and `column` (the record's).
pub fn located(display: &str, line: usize, column: usize, message: &str) -> String {
    match split_position(message) {
        Some((l, c, bare)) => format!("{display}:{l}:{c}: {bare}"),
        None => format!("{display}:{line}:{column}: {message}"),
    }
}

/// The last ` at line L column C` of a message: its line, column, and the message without it.
pub fn split_position(message: &str) -> Option<(usize, usize, String)> {
    let at = message.rfind(" at line ")?;
    let rest = message.get(at + " at line ".len()..)?;
    let (line, rest) = rest.split_once(" column ")?;
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let column = rest.get(..digits)?.parse().ok()?;
    let line = line.parse().ok()?;
    let after = rest.get(digits..)?;
    Some((line, column, format!("{}{after}", message.get(..at)?)))
}

fn to_record(scanned: Scanned, index: usize) -> Record {
    Record { index, line: scanned.line, column: scanned.column, raw: scanned.raw, too_deep: scanned.too_deep }
}

/// serde_json's message with its position moved from the record to the file.
fn relocate(e: &serde_json::Error, line: usize, column: usize) -> String {
    let text = e.to_string();
    if e.line() == 0 {
        return text;
    }
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let bare = text.strip_suffix(&suffix).unwrap_or(&text);
    let (l, c) =
        if e.line() == 1 { (line, column + e.column().saturating_sub(1)) } else { (line + e.line() - 1, e.column()) };
    format!("{bare} at line {l} column {c}")
}

/// Pointers of the incidents in a document: the root, the elements of a `value` array, and
/// for REST example files the same inside each `responses.<code>.body`.
fn find_slots(root: &Value) -> Vec<String> {
    let mut slots = Vec::new();
    collect(root, "", &mut slots);
    if let Some(responses) = root.get("responses").and_then(Value::as_object) {
        for (code, response) in responses {
            if let Some(body) = response.get("body") {
                collect(body, &format!("/responses/{}/body", pointer::escape(code)), &mut slots);
            }
        }
    }
    slots
}

fn collect(value: &Value, pointer: &str, slots: &mut Vec<String>) {
    if looks_like_incident(value) {
        slots.push(pointer.to_owned());
    } else if let Some(items) = value.get("value").and_then(Value::as_array) {
        for (i, item) in items.iter().enumerate() {
            if looks_like_incident(item) {
                slots.push(format!("{pointer}/value/{i}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_position_moves_to_the_front() {
        let bad = "invalid JSON: invalid UTF-8 (byte 0xB9) at line 1 column 5";
        assert_eq!(located("b.json", 1, 3, bad), "b.json:1:5: invalid JSON: invalid UTF-8 (byte 0xB9)");
        let gz = "invalid UTF-8 (byte 0x8B) at line 2 column 14: the record is gzip data";
        assert_eq!(located("b.json", 2, 1, gz), "b.json:2:14: invalid UTF-8 (byte 0x8B): the record is gzip data");
        assert_eq!(located("b.json", 4, 2, "not an incident"), "b.json:4:2: not an incident");
    }
}
