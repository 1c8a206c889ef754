//! Byte-level scanner that splits a JSON stream into top-level values without parsing them:
//! either whitespace-separated values (JSON Lines, concatenated documents) or the elements of
//! one top-level array. It tracks strings, escapes and bracket nesting over a `BufRead`, so
//! memory is bounded by the largest single value, never by the input size.

use std::io::{BufRead, ErrorKind};

/// Nesting deeper than this is an error for the record (reported, never recursed into).
pub const MAX_DEPTH: usize = 128;

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// One top-level value: its exact bytes and where it starts (1-based line and byte column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub raw: Vec<u8>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Lines,
    ArrayStart,
    ArrayNext,
    Done,
}

/// Splits a stream into top-level values; see the module documentation.
pub struct Scanner {
    reader: Box<dyn BufRead + Send>,
    line: usize,
    column: usize,
    mode: Mode,
    array_at: (usize, usize),
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"')
}

fn show(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", char::from(b))
    } else {
        format!("byte 0x{b:02X}")
    }
}

impl Scanner {
    /// A scanner in JSON Lines mode; a UTF-8 byte order mark at the start is skipped.
    pub fn new(mut reader: Box<dyn BufRead + Send>) -> Result<Scanner, ScanError> {
        let has_bom = loop {
            match reader.fill_buf() {
                Ok(buf) => break buf.starts_with(BOM),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(1, 1, &e)),
            }
        };
        if has_bom {
            reader.consume(BOM.len());
        }
        Ok(Scanner {
            reader,
            line: 1,
            column: 1,
            mode: Mode::Lines,
            array_at: (1, 1),
        })
    }

    fn error(&mut self, message: String) -> ScanError {
        self.mode = Mode::Done;
        ScanError {
            line: self.line,
            column: self.column,
            message,
        }
    }

    /// Skips whitespace and returns the next byte without consuming it; `None` at the end.
    pub fn peek(&mut self) -> Result<Option<u8>, ScanError> {
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(self.line, self.column, &e)),
            };
            if buf.is_empty() {
                return Ok(None);
            }
            let mut used = 0;
            let mut found = None;
            for &b in buf {
                if !is_ws(b) {
                    found = Some(b);
                    break;
                }
                used += 1;
                if b == b'\n' {
                    self.line += 1;
                    self.column = 1;
                } else {
                    self.column += 1;
                }
            }
            self.reader.consume(used);
            if found.is_some() {
                return Ok(found);
            }
        }
    }

    /// Consumes the `[` just peeked and switches to splitting that array's elements.
    pub fn start_array(&mut self) {
        self.array_at = (self.line, self.column);
        self.bump();
        self.mode = Mode::ArrayStart;
    }

    fn bump(&mut self) {
        self.reader.consume(1);
        self.column += 1;
    }

    /// The next top-level value (or array element); `Ok(None)` at the end.
    pub fn next_value(&mut self) -> Result<Option<Scanned>, ScanError> {
        let (al, ac) = self.array_at;
        let unclosed = format!(
            "unexpected end of input: the array opened at line {al}, column {ac} is not closed"
        );
        let next = self.peek()?;
        match (self.mode, next) {
            (Mode::Done, _) | (Mode::Lines, None) => Ok(None),
            (Mode::ArrayStart | Mode::ArrayNext, None) => Err(self.error(unclosed)),
            (Mode::ArrayStart, Some(b']')) | (Mode::ArrayNext, Some(b']')) => {
                self.bump();
                self.mode = Mode::Done;
                match self.peek()? {
                    None => Ok(None),
                    Some(b) => {
                        Err(self
                            .error(format!("unexpected {} after the end of the array", show(b))))
                    }
                }
            }
            (Mode::ArrayNext, Some(b',')) => {
                self.bump();
                match self.peek()? {
                    None => Err(self.error(unclosed)),
                    Some(b']') => Err(self.error("trailing comma before `]`".into())),
                    Some(b) => self.value(b),
                }
            }
            (Mode::ArrayNext, Some(b)) => Err(self.error(format!(
                "expected `,` or `]` after an array element, found {}",
                show(b)
            ))),
            (Mode::Lines | Mode::ArrayStart, Some(b)) => self.value(b),
        }
    }

    fn value(&mut self, first: u8) -> Result<Option<Scanned>, ScanError> {
        if matches!(first, b'}' | b']' | b',' | b':') {
            return Err(self.error(format!("unexpected {}", show(first))));
        }
        if self.mode == Mode::ArrayStart {
            self.mode = Mode::ArrayNext;
        }
        let lines = self.mode == Mode::Lines;
        let token = !matches!(first, b'{' | b'[' | b'"');
        let (start_line, start_column) = (self.line, self.column);
        let (mut line, mut column) = (self.line, self.column);
        let mut raw = Vec::new();
        let mut stack: Vec<u8> = Vec::new();
        let (mut in_str, mut esc) = (false, false);
        let mut too_deep = None;
        let mut failure = None;
        loop {
            let buf = match self.reader.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(io_error(line, column, &e)),
            };
            if buf.is_empty() {
                self.line = line;
                self.column = column;
                if token {
                    break;
                }
                let msg = format!(
                    "unexpected end of input inside the value starting at line {start_line}, column {start_column}"
                );
                return Err(self.error(msg));
            }
            let (mut used, mut keep, mut end) = (0, 0, false);
            for &b in buf {
                if token && (is_ws(b) || is_delim(b)) {
                    end = true;
                    break;
                }
                let (bl, bc) = (line, column);
                used += 1;
                keep = used;
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else {
                    column += 1;
                }
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
                        // A raw newline cannot be inside a JSON string: in JSON Lines the
                        // record ends here as malformed, and the next line starts afresh.
                        keep = used - 1;
                        end = true;
                    }
                } else {
                    match b {
                        b'"' => in_str = true,
                        b'{' => stack.push(b'}'),
                        b'[' => stack.push(b']'),
                        b'}' | b']' => match stack.pop() {
                            Some(open) if open == b => end = stack.is_empty(),
                            _ => failure = Some((bl, bc, b)),
                        },
                        _ => {}
                    }
                    if stack.len() > MAX_DEPTH && too_deep.is_none() {
                        too_deep = Some((bl, bc));
                    }
                }
                if end || failure.is_some() {
                    break;
                }
            }
            if let Some(part) = buf.get(..keep) {
                raw.extend_from_slice(part);
            }
            self.reader.consume(used);
            self.line = line;
            self.column = column;
            if let Some((fl, fc, b)) = failure {
                self.line = fl;
                self.column = fc;
                let msg = format!(
                    "unbalanced brackets: unexpected {} in the value starting at line {start_line}, column {start_column}",
                    show(b)
                );
                return Err(self.error(msg));
            }
            if end {
                break;
            }
        }
        Ok(Some(Scanned {
            raw,
            line: start_line,
            column: start_column,
            too_deep,
        }))
    }
}

fn io_error(line: usize, column: usize, e: &std::io::Error) -> ScanError {
    ScanError {
        line,
        column,
        message: format!("read error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(input: &str, array: bool) -> (Vec<(String, usize, usize)>, Option<ScanError>) {
        let reader = Box::new(std::io::Cursor::new(input.as_bytes().to_vec()));
        let mut s = Scanner::new(reader).unwrap();
        if array {
            assert_eq!(s.peek().unwrap(), Some(b'['));
            s.start_array();
        }
        let mut out = Vec::new();
        loop {
            match s.next_value() {
                Ok(Some(v)) => out.push((String::from_utf8(v.raw).unwrap(), v.line, v.column)),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn splits_lines_with_strings_holding_brackets_and_escaped_quotes() {
        let (vals, err) = scan(
            "{\"a\":\"}]\\\"{\"}\r\n\n  [1,{\"b\":[]}] 12 \"x\\\\\" true",
            false,
        );
        assert_eq!(err, None);
        let raws: Vec<_> = vals.iter().map(|v| (v.0.as_str(), v.1, v.2)).collect();
        assert_eq!(
            raws,
            [
                ("{\"a\":\"}]\\\"{\"}", 1, 1),
                ("[1,{\"b\":[]}]", 3, 3),
                ("12", 3, 16),
                ("\"x\\\\\"", 3, 19),
                ("true", 3, 25)
            ]
        );
    }

    #[test]
    fn splits_array_elements_and_reports_structure_errors() {
        let (vals, err) = scan("[ {\"a\": [1,2]},\n 3 ,\"s\"]\n", true);
        assert_eq!(err, None);
        assert_eq!(
            vals.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(),
            ["{\"a\": [1,2]}", "3", "\"s\""]
        );
        assert_eq!((vals[1].1, vals[1].2), (2, 2));
        let (_, err) = scan("[1 2]", true);
        assert_eq!(
            err.unwrap().message,
            "expected `,` or `]` after an array element, found `2`"
        );
        let (_, err) = scan("[1,]", true);
        assert_eq!(err.map(|e| (e.line, e.column)), Some((1, 4)));
        let (vals, err) = scan("[]  x", true);
        assert!(vals.is_empty());
        assert_eq!(
            err.unwrap().message,
            "unexpected `x` after the end of the array"
        );
    }

    #[test]
    fn unbalanced_and_truncated_input_are_structural_errors() {
        let (_, err) = scan("{\"a\": [1}\n", false);
        let err = err.unwrap();
        assert_eq!((err.line, err.column), (1, 9));
        assert!(
            err.message
                .starts_with("unbalanced brackets: unexpected `}`"),
            "{}",
            err.message
        );
        let (vals, err) = scan("{}\n{\"a\":\n", false);
        assert_eq!(vals.len(), 1);
        let err = err.unwrap();
        assert_eq!((err.line, err.column), (3, 1));
        assert_eq!(
            err.message,
            "unexpected end of input inside the value starting at line 2, column 1"
        );
    }

    #[test]
    fn newline_inside_a_string_ends_a_json_lines_record() {
        let (vals, err) = scan("{\"a\": \"open\n{\"b\":1}\n", false);
        assert_eq!(err, None);
        assert_eq!(
            vals.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(),
            ["{\"a\": \"open", "{\"b\":1}"]
        );
    }

    #[test]
    fn bom_is_skipped_and_depth_is_tracked_without_recursion() {
        let deep = format!("\u{feff}{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let mut s = Scanner::new(Box::new(std::io::Cursor::new(deep.into_bytes()))).unwrap();
        let v = s.next_value().unwrap().unwrap();
        assert_eq!((v.line, v.column, v.raw.len()), (1, 1, 20_000));
        assert_eq!(v.too_deep, Some((1, 129)));
    }
}
