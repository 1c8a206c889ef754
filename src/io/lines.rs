//! JSON Lines proper (one record per physical line) read a window at a time, and [`Raw`], the
//! bytes of one record.
//!
//! [`Lines::read`] reads straight into one buffer per window, with reads large enough to pass
//! by the reader's own buffer, and each record is a range of that buffer shared with the others
//! ([`Raw`]). So the reader thread of a batch neither copies a line out of a read buffer nor
//! allocates one per line: per record it finds the line's end (memchr), and the workers do the
//! rest. This is what a second worker gains from: the reader's and writer's share of the work
//! caps what `--jobs 2` can gain over `--jobs 1` on two cores (issue 15). The tail of the last
//! read, past the last whole line taken, starts the next window's buffer.

use std::fmt;
use std::io::{ErrorKind, Read};
use std::ops::{Deref, Range};
use std::sync::Arc;

use super::value::{is_ws, Pos, ScanError, Scanned};

/// The least a read asks for: at least the capacity of the buffered reader in front of the
/// input, so that a read goes past its buffer into ours.
const MIN_READ: usize = 64 * 1024;

/// The most a read asks for.
const MAX_READ: usize = 8 << 20;

/// The bytes of one record as read: a range of a buffer that other records of its window may
/// share (JSON Lines), or a buffer of its own.
#[derive(Clone)]
pub struct Raw {
    buf: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl Raw {
    /// The bytes, as a vector of their own (without a copy when this is all of its buffer and
    /// nothing else shares it).
    pub fn into_vec(self) -> Vec<u8> {
        let Raw { buf, range } = self;
        if range.start == 0 && range.end == buf.len() {
            return Arc::try_unwrap(buf).unwrap_or_else(|shared| shared.as_slice().to_vec());
        }
        buf.get(range).unwrap_or_default().to_vec()
    }
}

impl From<Vec<u8>> for Raw {
    fn from(bytes: Vec<u8>) -> Raw {
        let range = 0..bytes.len();
        Raw { buf: Arc::new(bytes), range }
    }
}

impl Deref for Raw {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.buf.get(self.range.clone()).unwrap_or_default()
    }
}

impl AsRef<[u8]> for Raw {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl PartialEq for Raw {
    fn eq(&self, other: &Raw) -> bool {
        **self == **other
    }
}

impl Eq for Raw {}

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Raw({:?})", String::from_utf8_lossy(self))
    }
}

/// How many buffers of windows already handed out are kept, to read into again once their
/// records are gone (a batch holds about four windows).
const SPARE: usize = 6;

/// The reading state of a JSON Lines input between windows.
#[derive(Debug, Default)]
pub(super) struct Lines {
    /// The last window's buffer, and its bytes read past the last record taken: the start of
    /// the next window.
    carry: Option<(Arc<Vec<u8>>, Range<usize>)>,
    /// The buffers of earlier windows, reused when no record holds them any more: a buffer is
    /// filled with zeros (initialized) once, not on every window.
    spare: Vec<Arc<Vec<u8>>>,
    /// The input is at its end.
    eof: bool,
    /// The average length of a line so far (with its line end), to size reads.
    average: usize,
}

/// A window's buffer being filled: its first `filled` bytes are the input's.
struct Window {
    buf: Vec<u8>,
    filled: usize,
}

impl Lines {
    /// Up to `max` records (at least one), appended to `out` in order, `pos` moved past them;
    /// fewer only at the end of the input. Blank lines are skipped, and a record's trailing
    /// whitespace (a CRLF's CR) is not part of it. Err: a read failed (the records read before
    /// are in `out`).
    pub(super) fn read(
        &mut self,
        reader: &mut dyn Read,
        pos: &mut Pos,
        max: usize,
        out: &mut Vec<Scanned>,
    ) -> Result<(), ScanError> {
        let max = max.max(1);
        let mut window = self.window();
        // Each record's range and where it starts.
        let mut found: Vec<(Range<usize>, Pos)> = Vec::with_capacity(max.min(4096));
        let mut at = 0;
        let mut failed = None;
        while found.len() < max {
            let bytes = window.buf.get(..window.filled).unwrap_or_default();
            while let Some(&b) = bytes.get(at).filter(|b| is_ws(**b)) {
                pos.advance(b);
                at += 1;
            }
            let rest = bytes.get(at..).unwrap_or_default();
            let end = match memchr::memchr(b'\n', rest) {
                Some(i) => at + i,
                None if self.eof && rest.is_empty() => break,
                None if self.eof => bytes.len(),
                None => match self.fill(reader, &mut window, max - found.len(), *pos) {
                    Ok(()) => continue,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                },
            };
            let mut stop = end;
            while stop > at && bytes.get(stop - 1).is_some_and(|b| is_ws(*b)) {
                stop -= 1;
            }
            found.push((at..stop, *pos));
            if end < bytes.len() {
                *pos = Pos { line: pos.line + 1, column: 1 };
                at = end + 1;
            } else {
                pos.column += end - at;
                at = end;
            }
        }
        if let Some(((first, _), (last, _))) = found.first().zip(found.last()) {
            let spanned = last.end.saturating_sub(first.start) + 1;
            self.average = (spanned / found.len()).max(1);
        }
        let buf = Arc::new(window.buf);
        if self.spare.len() == SPARE {
            self.spare.remove(0);
        }
        self.spare.push(Arc::clone(&buf));
        out.extend(found.into_iter().map(|(range, at)| Scanned {
            raw: Raw { buf: Arc::clone(&buf), range },
            line: at.line,
            column: at.column,
            too_deep: None,
        }));
        self.carry = Some((buf, at..window.filled));
        failed.map_or(Ok(()), Err)
    }

    /// The next window's buffer (a spare one no record holds any more, or a new one), starting
    /// with the bytes the last window read past its last record.
    fn window(&mut self) -> Window {
        let free = self.spare.iter().position(|b| Arc::strong_count(b) == 1);
        let mut buf = free.and_then(|i| Arc::try_unwrap(self.spare.remove(i)).ok()).unwrap_or_default();
        let carried = self.carry.take();
        let tail = carried.as_ref().and_then(|(last, range)| last.get(range.clone())).unwrap_or_default();
        if buf.len() < tail.len() {
            buf.resize(tail.len(), 0);
        }
        if let Some(start) = buf.get_mut(..tail.len()) {
            start.copy_from_slice(tail);
        }
        Window { filled: tail.len(), buf }
    }

    /// Reads more of the input into `window`: about what `records` more lines take, going by
    /// the lines so far; at the end of the input, marks it.
    fn fill(&mut self, reader: &mut dyn Read, window: &mut Window, records: usize, pos: Pos) -> Result<(), ScanError> {
        let want = self.average.saturating_mul(records.saturating_add(1)).clamp(MIN_READ, MAX_READ);
        let end = window.filled + want;
        if window.buf.len() < end {
            // With room to spare, so that the buffer fits the next windows it is reused for
            // (windows vary a little in size) without growing again.
            window.buf.resize(end + end / 4, 0);
        }
        loop {
            match reader.read(window.buf.get_mut(window.filled..end).unwrap_or_default()) {
                Ok(n) => {
                    window.filled += n;
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(pos.error(format!("read error: {e}"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` in windows of `max` records, `chunk` bytes per read at most.
    fn windows(text: &str, max: usize, chunk: usize) -> Vec<Vec<(String, usize, usize)>> {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(self.1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = Trickle(text.as_bytes(), chunk);
        let mut lines = Lines::default();
        let mut pos = Pos { line: 1, column: 1 };
        let mut all = Vec::new();
        loop {
            let mut out = Vec::new();
            lines.read(&mut reader, &mut pos, max, &mut out).unwrap();
            if out.is_empty() {
                return all;
            }
            all.push(
                out.into_iter().map(|s| (String::from_utf8(s.raw.into_vec()).unwrap(), s.line, s.column)).collect(),
            );
        }
    }

    #[test]
    fn lines_come_in_windows_with_their_places_whatever_the_reads() {
        let text = "{\"a\":1}\r\n\n  {\"b\":2}  \n{\"c\":3}\n{\"d\":\n4}";
        let want = [("{\"a\":1}", 1, 1), ("{\"b\":2}", 3, 3), ("{\"c\":3}", 4, 1), ("{\"d\":", 5, 1), ("4}", 6, 1)];
        for chunk in [1, 3, 7, 1 << 20] {
            let got = windows(text, 2, chunk);
            assert_eq!(got.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1], "reads of {chunk}");
            let flat: Vec<_> = got.iter().flatten().map(|(r, l, c)| (r.as_str(), *l, *c)).collect();
            assert_eq!(flat, want, "reads of {chunk}");
        }
        assert!(windows("", 4, 10).is_empty());
        assert!(windows(" \n\r\n ", 4, 10).is_empty());
    }

    #[test]
    fn a_record_shares_its_window_and_becomes_a_vector_of_its_own() {
        let mut lines = Lines::default();
        let mut pos = Pos { line: 1, column: 1 };
        let mut out = Vec::new();
        lines.read(&mut "ab\ncd\n".as_bytes(), &mut pos, 8, &mut out).unwrap();
        assert_eq!(out.iter().map(|s| &*s.raw).collect::<Vec<_>>(), [b"ab", b"cd"]);
        assert!(Arc::ptr_eq(&out[0].raw.buf, &out[1].raw.buf));
        assert_eq!(out.remove(1).raw.into_vec(), b"cd");
        assert_eq!(Raw::from(b"xy".to_vec()).into_vec(), b"xy");
        assert_eq!(pos, Pos { line: 3, column: 1 });
    }

    #[test]
    fn a_read_error_keeps_the_records_read_before_it() {
        struct Fails(bool);
        impl Read for Fails {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if std::mem::replace(&mut self.0, true) {
                    return Err(std::io::Error::other("disk gone"));
                }
                buf[..6].copy_from_slice(b"1\n2\n3x");
                Ok(6)
            }
        }
        let mut lines = Lines::default();
        let mut pos = Pos { line: 1, column: 1 };
        let mut out = Vec::new();
        let error = lines.read(&mut Fails(false), &mut pos, 8, &mut out).unwrap_err();
        assert_eq!(out.iter().map(|s| &*s.raw).collect::<Vec<_>>(), [b"1", b"2"]);
        assert_eq!((error.line, error.column, error.message.as_str()), (3, 1, "read error: disk gone"));
    }
}
