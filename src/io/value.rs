//! Finding where one JSON value ends in a byte stream, without parsing it: strings, escapes
//! and bracket nesting are tracked byte by byte over a `BufRead`'s buffer, with an explicit
//! bracket stack (no recursion, so any nesting depth is safe). Used by [`super::scan`].

use super::lines::Raw;
use std::io::{BufRead, ErrorKind};

/// Nesting deeper than this is an error for the record (reported, never recursed into).
pub const MAX_DEPTH: usize = 128;

/// One top-level value: its exact bytes and where it starts (1-based line and byte column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub raw: Raw,
    pub line: usize,
    pub column: usize,
    /// Position of the first bracket nested deeper than [`MAX_DEPTH`], if any.
    pub too_deep: Option<(usize, usize)>,
}

/// A structural failure: the stream cannot be split further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A position in the input: 1-based line and byte column of the next byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// Moves past byte `b`.
    pub fn advance(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
    }

    /// An error at this position.
    pub fn error(self, message: String) -> ScanError {
        ScanError { line: self.line, column: self.column, message }
    }
}

/// JSON whitespace.
pub fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"')
}

/// A byte for messages: `x`, or `byte 0xC3` when not printable ASCII.
pub fn show(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", char::from(b))
    } else {
        format!("byte 0x{b:02X}")
    }
}

/// The reader's buffered bytes, refilled when empty (empty at the end of input).
pub fn fill(reader: &mut (dyn BufRead + Send), pos: Pos) -> Result<&[u8], ScanError> {
    loop {
        match reader.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(pos.error(format!("read error: {e}"))),
        }
    }
    // Data is buffered now, so this second call does no I/O.
    reader.fill_buf().map_err(|e| pos.error(format!("read error: {e}")))
}

/// Reads one value whose first byte `first` (not yet consumed) is at `pos`. A token (number,
/// literal, or garbage) ends at whitespace, a delimiter or the end of input; a string, object
/// or array at its closing byte. In JSON Lines (`lines`) a raw newline inside a string ends
/// the record there (it is malformed anyway), so the next line starts afresh.
pub fn read_value(
    reader: &mut (dyn BufRead + Send),
    pos: &mut Pos,
    first: u8,
    lines: bool,
) -> Result<Scanned, ScanError> {
    let start = *pos;
    let token = !matches!(first, b'{' | b'[' | b'"');
    let mut raw = Vec::new();
    let mut stack: Vec<u8> = Vec::new();
    let (mut in_str, mut esc) = (false, false);
    let mut too_deep = None;
    let mut unbalanced = None;
    loop {
        let buf = fill(reader, *pos)?;
        if buf.is_empty() {
            if token {
                break;
            }
            return Err(pos.error(format!(
                "unexpected end of input inside the value starting at line {}, column {}",
                start.line, start.column
            )));
        }
        let (mut used, mut keep, mut end) = (0, 0, false);
        for &b in buf {
            if token && (is_ws(b) || is_delim(b)) {
                end = true;
                break;
            }
            let at = *pos;
            used += 1;
            keep = used;
            pos.advance(b);
            if token {
                continue;
            }
            if in_str {
                if esc {
                    esc = false;
                } else if b == b'\\' {
                    esc = true;
                } else if b == b'"' {
                    in_str = false;
                    end = stack.is_empty();
                } else if b == b'\n' && lines {
                    keep = used - 1;
                    end = true;
                }
            } else {
                match b {
                    b'"' => in_str = true,
                    b'{' => stack.push(b'}'),
                    b'[' => stack.push(b']'),
                    b'}' | b']' => match stack.pop() {
                        Some(close) if close == b => end = stack.is_empty(),
                        _ => unbalanced = Some((at, b)),
                    },
                    _ => {}
                }
                if stack.len() > MAX_DEPTH && too_deep.is_none() {
                    too_deep = Some((at.line, at.column));
                }
            }
            if end || unbalanced.is_some() {
                break;
            }
        }
        if let Some(part) = buf.get(..keep) {
            raw.extend_from_slice(part);
        }
        reader.consume(used);
        if let Some((at, b)) = unbalanced {
            *pos = at;
            return Err(at.error(format!(
                "unbalanced brackets: unexpected {} in the value starting at line {}, column {}",
                show(b),
                start.line,
                start.column
            )));
        }
        if end {
            break;
        }
    }
    Ok(Scanned { raw: raw.into(), line: start.line, column: start.column, too_deep })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, lines: bool) -> (Result<Scanned, ScanError>, Pos) {
        let mut reader = std::io::Cursor::new(input.as_bytes().to_vec());
        let mut pos = Pos { line: 1, column: 1 };
        let first = input.as_bytes()[0];
        (read_value(&mut reader, &mut pos, first, lines), pos)
    }

    #[test]
    fn values_end_at_their_closing_byte_or_delimiter() {
        let (v, pos) = read("{\"a\":\"}]\\\"{\\\\\"} rest", false);
        assert_eq!(&*v.unwrap().raw, b"{\"a\":\"}]\\\"{\\\\\"}");
        assert_eq!(pos, Pos { line: 1, column: 16 });
        let (v, _) = read("-12.5e3,", false);
        assert_eq!(&*v.unwrap().raw, b"-12.5e3");
        let (v, _) = read("\"x\"y", false);
        assert_eq!(&*v.unwrap().raw, b"\"x\"");
    }

    #[test]
    fn newline_inside_a_string_ends_a_json_lines_record_only() {
        let (v, pos) = read("{\"a\": \"open\n{\"b\":1}\n", true);
        assert_eq!(&*v.unwrap().raw, b"{\"a\": \"open");
        assert_eq!(pos, Pos { line: 2, column: 1 });
        let (v, _) = read("{\"a\": \"open\n{\"b\":1}\n", false);
        let err = v.unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
    }

    #[test]
    fn depth_is_tracked_without_recursion() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (v, _) = read(&deep, false);
        let v = v.unwrap();
        assert_eq!((v.raw.len(), v.too_deep), (200_000, Some((1, 129))));
        let ok = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert_eq!(read(&ok, false).0.unwrap().too_deep, None);
    }
}
