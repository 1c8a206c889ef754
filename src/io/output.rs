//! Writers that give the output the input's shape and style: [`RecordWriter`] for JSON Lines
//! and arrays (compact `[{..},{..}]` or pretty, exactly as `serde_json::to_string_pretty` lays
//! out the whole array), and [`write_document`] for single documents. Output is deterministic.

use std::io::{BufWriter, IoSlice, Write};

use serde::Serialize;
use serde_json::Value;

use super::{Shape, Style};

const WRITE_BUFFER: usize = 64 * 1024;

/// Writes records in a stream shape (Lines or Array; Document behaves like Lines).
/// Encodes one record exactly as a [`RecordWriter`] of the same shape and style writes it
/// (compact, or pretty and indented two spaces inside an array). Stateless, so records can be
/// encoded on worker threads and written in order by one writer.
#[derive(Debug, Clone, Copy)]
pub struct Encoder {
    pretty: bool,
}

impl Encoder {
    /// True when records are pretty-printed (the elements of a pretty array).
    pub fn pretty(self) -> bool {
        self.pretty
    }

    /// Appends what precedes a record written as its own text (see [`RecordWriter::write_raw`]):
    /// the indentation of a pretty array's element, whose later lines carry their own.
    pub fn lead(self, out: &mut Vec<u8>) {
        if self.pretty {
            out.extend_from_slice(b"  ");
        }
    }

    /// Appends the encoding of `value` to `out`.
    pub fn encode(self, value: &Value, out: &mut Vec<u8>) -> std::io::Result<()> {
        if !self.pretty {
            return serde_json::to_writer(out, value).map_err(std::io::Error::from);
        }
        out.extend_from_slice(b"  ");
        write_pretty_at(out, value, 1)
    }
}

/// Writes `value` pretty-printed as serde_json lays it out `depth` levels deep inside a larger
/// document: every line after the first is indented two spaces per level. (Pretty JSON breaks
/// lines only between tokens: a newline inside a string is escaped.)
fn write_pretty_at(out: &mut impl Write, value: &impl Serialize, depth: usize) -> std::io::Result<()> {
    write_pretty_indented(out, value, &"  ".repeat(depth))
}

/// Writes `value` pretty-printed as serde_json lays it out, every line after the first indented
/// by `indent` (the indentation of the line it starts on).
pub fn write_pretty_indented(
    out: &mut impl Write,
    value: &(impl Serialize + ?Sized),
    indent: &str,
) -> std::io::Result<()> {
    let pretty = serde_json::to_vec_pretty(value)?;
    for (i, line) in pretty.split(|b| *b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
            out.write_all(indent.as_bytes())?;
        }
        out.write_all(line)?;
    }
    Ok(())
}

/// Writes every byte of `slices` through `out`: copied into its buffer when they are fewer
/// bytes than it holds; otherwise, after what it holds, straight to the writer below with
/// vectored writes. (`BufWriter` passes vectored writes on only to writers that say they take
/// them, which a writer outside the standard library cannot say yet.)
pub fn write_through<W: Write>(out: &mut BufWriter<W>, slices: &mut [IoSlice<'_>]) -> std::io::Result<()> {
    let total: usize = slices.iter().map(|s| s.len()).sum();
    if total < out.capacity() {
        return write_all_vectored(out, slices);
    }
    if !out.buffer().is_empty() {
        out.flush()?;
    }
    write_all_vectored(out.get_mut(), slices)
}

/// Writes every byte of `slices`, in order, with vectored writes (`Write::write_all_vectored`
/// is not stable yet).
pub fn write_all_vectored(out: &mut impl Write, mut slices: &mut [IoSlice<'_>]) -> std::io::Result<()> {
    IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A pretty-printed JSON object holding one array that is written element by element, so that
/// memory holds one element at a time: `{ head fields, "key": [ elements ], tail fields }`,
/// byte for byte what `serde_json::to_writer_pretty` writes for the whole object, and a newline.
/// Each call takes the writer, so the caller may write each piece where it likes (above a
/// progress bar, say).
#[derive(Debug)]
pub struct JsonDocument {
    count: usize,
}

impl JsonDocument {
    /// Writes `{`, the `head` fields and `"key": [`.
    pub fn open(out: &mut impl Write, head: &[(&str, &Value)], key: &str) -> std::io::Result<JsonDocument> {
        out.write_all(b"{")?;
        for (name, value) in head {
            write_key(out, name)?;
            write_pretty_at(out, value, 1)?;
            out.write_all(b",")?;
        }
        write_key(out, key)?;
        out.write_all(b"[")?;
        Ok(JsonDocument { count: 0 })
    }

    /// Writes the next element of the array.
    pub fn push(&mut self, out: &mut impl Write, element: &impl Serialize) -> std::io::Result<()> {
        out.write_all(if self.count == 0 { b"\n    " } else { b",\n    " })?;
        self.count += 1;
        write_pretty_at(out, element, 2)
    }

    /// Closes the array, writes the `tail` fields, `}` and a newline.
    pub fn close(self, out: &mut impl Write, tail: &[(&str, &Value)]) -> std::io::Result<()> {
        out.write_all(if self.count == 0 { b"]" } else { b"\n  ]" })?;
        for (name, value) in tail {
            out.write_all(b",")?;
            write_key(out, name)?;
            write_pretty_at(out, value, 1)?;
        }
        out.write_all(b"\n}\n")
    }
}

/// A field's start at depth 1: a new line, the indent, the key and `: `.
fn write_key(out: &mut impl Write, key: &str) -> std::io::Result<()> {
    out.write_all(b"\n  ")?;
    serde_json::to_writer(&mut *out, key)?;
    out.write_all(b": ")
}

pub struct RecordWriter<W: Write> {
    out: BufWriter<W>,
    array: bool,
    pretty: bool,
    count: usize,
    scratch: Vec<u8>,
}

impl<W: Write> RecordWriter<W> {
    /// A writer of `shape` in `style` (Lines are always compact).
    pub fn new(out: W, shape: Shape, style: Style) -> Self {
        let array = shape == Shape::Array;
        RecordWriter {
            out: BufWriter::with_capacity(WRITE_BUFFER, out),
            array,
            pretty: array && style.pretty,
            count: 0,
            scratch: Vec::new(),
        }
    }

    /// Writes one record.
    pub fn write_value(&mut self, value: &Value) -> std::io::Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let encoded = self.encoder().encode(value, &mut scratch);
        let result = encoded.and_then(|()| self.write_encoded(&scratch));
        self.scratch = scratch;
        result
    }

    /// The encoder for this writer's records, to encode on other threads.
    pub fn encoder(&self) -> Encoder {
        Encoder { pretty: self.pretty }
    }

    /// Writes one record already encoded by [`Self::encoder`].
    pub fn write_encoded(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.separator()?;
        self.out.write_all(bytes)?;
        self.terminator()
    }

    /// Writes records already encoded by [`Self::encoder`], in order, as [`Self::write_encoded`]
    /// would one by one, but with vectored writes: records that fill the buffer go to the
    /// destination without being copied into it ([`write_through`]).
    pub fn write_encoded_all(&mut self, records: &[Vec<u8>]) -> std::io::Result<()> {
        let mut slices = Vec::with_capacity(records.len() * 2);
        for record in records {
            if self.array {
                slices.push(IoSlice::new(self.separator_bytes()));
            }
            self.count += 1;
            slices.push(IoSlice::new(record));
            if !self.array {
                slices.push(IoSlice::new(b"\n"));
            }
        }
        write_through(&mut self.out, &mut slices)
    }

    pub fn write_raw(&mut self, raw: &[u8]) -> std::io::Result<()> {
        self.separator()?;
        if self.pretty {
            self.out.write_all(b"  ")?;
        }
        self.out.write_all(raw)?;
        self.terminator()
    }

    fn separator(&mut self) -> std::io::Result<()> {
        if self.array {
            let sep = self.separator_bytes();
            self.out.write_all(sep)?;
        }
        self.count += 1;
        Ok(())
    }

    /// What goes before the next element of an array.
    fn separator_bytes(&self) -> &'static [u8] {
        match (self.count, self.pretty) {
            (0, false) => b"[",
            (0, true) => b"[\n",
            (_, false) => b",",
            (_, true) => b",\n",
        }
    }

    fn terminator(&mut self) -> std::io::Result<()> {
        if self.array {
            Ok(())
        } else {
            self.out.write_all(b"\n")
        }
    }

    /// Closes the array if any, adds the final newline, flushes; returns the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.array {
            let end: &[u8] = match (self.count, self.pretty) {
                (0, _) => b"[]\n",
                (_, false) => b"]\n",
                (_, true) => b"\n]\n",
            };
            self.out.write_all(end)?;
        }
        self.out.flush()?;
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// Writes a whole document in its style, with a trailing newline.
pub fn write_document<W: Write>(out: W, root: &Value, style: Style) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, out);
    if style.pretty {
        serde_json::to_writer_pretty(&mut out, root)?;
    } else {
        serde_json::to_writer(&mut out, root)?;
    }
    out.write_all(b"\n")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(shape: Shape, pretty: bool, values: &[Value], raw: Option<&[u8]>) -> String {
        let mut w = RecordWriter::new(Vec::new(), shape, Style { pretty });
        for v in values {
            w.write_value(v).unwrap();
        }
        if let Some(raw) = raw {
            w.write_raw(raw).unwrap();
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn arrays_compact_pretty_and_empty() {
        let values = [json!({"b": 1, "a": [1, {"c": "x\ny"}]}), json!([]), json!("s")];
        assert_eq!(write(Shape::Array, false, &values, None), "[{\"b\":1,\"a\":[1,{\"c\":\"x\\ny\"}]},[],\"s\"]\n");
        let pretty = write(Shape::Array, true, &values, None);
        assert_eq!(pretty, format!("{}\n", serde_json::to_string_pretty(&json!(values)).unwrap()));
        assert_eq!(write(Shape::Array, true, &[], None), "[]\n");
        assert_eq!(write(Shape::Array, false, &[], None), "[]\n");
    }

    /// A writer that takes at most `max` bytes per call, vectored or not.
    struct Trickle {
        out: Vec<u8>,
        max: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.max);
            self.out.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> std::io::Result<usize> {
            let mut n = 0;
            for buf in bufs {
                let take = buf.len().min(self.max - n);
                self.out.extend_from_slice(&buf[..take]);
                n += take;
            }
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn records_written_together_are_the_records_written_one_by_one() {
        // Records larger than the write buffer go past it, through partial vectored writes.
        let big = json!({"k": "x".repeat(70_000)});
        let values = [json!({"a": 1}), big.clone(), json!("s"), big, json!([])];
        for shape in [Shape::Lines, Shape::Array] {
            for pretty in [false, true] {
                let one_by_one = write(shape, pretty, &values, None);
                let mut w = RecordWriter::new(Trickle { out: Vec::new(), max: 5000 }, shape, Style { pretty });
                let encoded: Vec<Vec<u8>> = values
                    .iter()
                    .map(|v| {
                        let mut bytes = Vec::new();
                        w.encoder().encode(v, &mut bytes).unwrap();
                        bytes
                    })
                    .collect();
                w.write_encoded_all(&encoded[..2]).unwrap();
                w.write_encoded_all(&[]).unwrap();
                w.write_encoded_all(&encoded[2..]).unwrap();
                let together = String::from_utf8(w.finish().unwrap().out).unwrap();
                assert_eq!(together, one_by_one, "{shape:?} pretty {pretty}");
            }
        }
    }

    #[test]
    fn lines_are_compact_and_raw_records_pass_through() {
        let values = [json!({"z": 1, "a": 2})];
        let out = write(Shape::Lines, true, &values, Some(b"{\"a\": tru}"));
        assert_eq!(out, "{\"z\":1,\"a\":2}\n{\"a\": tru}\n");
        assert_eq!(write(Shape::Document, false, &values, None), "{\"z\":1,\"a\":2}\n");
        assert_eq!(write(Shape::Lines, false, &[], None), "");
        assert_eq!(write(Shape::Array, false, &values, Some(b"bad")), "[{\"z\":1,\"a\":2},bad]\n");
    }

    #[test]
    fn a_json_document_written_element_by_element_equals_the_whole_pretty_printed() {
        let whole = |elements: &[Value]| {
            let doc =
                json!({"dryRun": true, "now": "2026\n", "incidents": elements, "summary": {"n": [1, {}], "e": []}});
            format!("{}\n", serde_json::to_string_pretty(&doc).unwrap())
        };
        let streamed = |elements: &[Value]| {
            let (yes, now) = (json!(true), json!("2026\n"));
            let mut out = Vec::new();
            let mut doc = JsonDocument::open(&mut out, &[("dryRun", &yes), ("now", &now)], "incidents").unwrap();
            for e in elements {
                doc.push(&mut out, e).unwrap();
            }
            doc.close(&mut out, &[("summary", &json!({"n": [1, {}], "e": []}))]).unwrap();
            String::from_utf8(out).unwrap()
        };
        let elements = [json!({"a": [1, {"b": "x\ny"}], "c": {}}), json!([]), json!("s"), json!(null)];
        for n in 0..=elements.len() {
            assert_eq!(streamed(&elements[..n]), whole(&elements[..n]));
        }
    }

    #[test]
    fn documents_keep_their_style() {
        let doc = json!({"b": {"x": [1]}, "a": null});
        let mut out = Vec::new();
        write_document(&mut out, &doc, Style { pretty: true }).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{}\n", serde_json::to_string_pretty(&doc).unwrap()));
        let mut out = Vec::new();
        write_document(&mut out, &doc, Style { pretty: false }).unwrap();
        assert_eq!(out, b"{\"b\":{\"x\":[1]},\"a\":null}\n");
    }
}
