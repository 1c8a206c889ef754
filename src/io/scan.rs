//! Byte-level scanner that splits a JSON stream into top-level values without parsing them:
//! either whitespace-separated values (JSON Lines, concatenated documents) or the elements of
//! one top-level array. Memory is bounded by the largest single value, never by the input size.
//! Where each value ends is found by [`super::value::read_value`].

use std::io::BufRead;

use super::lines::Lines;
use super::value::{fill, is_ws, read_value, show, Pos};
pub use super::value::{ScanError, Scanned, MAX_DEPTH};

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Lines,
    /// JSON Lines proper: every physical line is one record.
    StrictLines,
    ArrayStart,
    ArrayNext,
    Done,
}

/// Splits a stream into top-level values; see the module documentation. After a structural
/// error the scanner yields nothing more.
pub struct Scanner {
    reader: Box<dyn BufRead + Send>,
    pos: Pos,
    mode: Mode,
    array_at: Pos,
    /// JSON Lines proper, read a window at a time.
    lines: Lines,
}

impl Scanner {
    /// A scanner in JSON Lines mode; a UTF-8 byte order mark at the start is skipped.
    pub fn new(mut reader: Box<dyn BufRead + Send>) -> Result<Scanner, ScanError> {
        let pos = Pos { line: 1, column: 1 };
        if fill(reader.as_mut(), pos)?.starts_with(BOM) {
            reader.consume(BOM.len());
        }
        Ok(Scanner { reader, pos, mode: Mode::Lines, array_at: pos, lines: Lines::default() })
    }

    fn error(&mut self, message: String) -> ScanError {
        self.mode = Mode::Done;
        self.pos.error(message)
    }

    /// Skips whitespace and returns the next byte without consuming it; `None` at the end.
    pub fn peek(&mut self) -> Result<Option<u8>, ScanError> {
        loop {
            let buf = fill(self.reader.as_mut(), self.pos)?;
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
                self.pos.advance(b);
            }
            self.reader.consume(used);
            if found.is_some() {
                return Ok(found);
            }
        }
    }

    /// Switches a JSON Lines stream to one record per physical line, so a truncated or
    /// unbalanced record stays on its own line and the following lines are still read.
    pub fn strict_lines(&mut self) {
        if self.mode == Mode::Lines {
            self.mode = Mode::StrictLines;
        }
    }

    /// Whether the stream is read one record per physical line ([`Scanner::strict_lines`]).
    pub fn reads_lines(&self) -> bool {
        self.mode == Mode::StrictLines
    }

    /// Up to `max` records (at least one) of a stream read one record per physical line,
    /// appended to `out`; fewer only at the end. Err: the input cannot be read further (the
    /// records read before are in `out`).
    pub fn next_lines(&mut self, max: usize, out: &mut Vec<Scanned>) -> Result<(), ScanError> {
        if self.mode != Mode::StrictLines {
            return Ok(());
        }
        let read = self.lines.read(self.reader.as_mut(), &mut self.pos, max, out);
        if read.is_err() {
            self.mode = Mode::Done;
        }
        read
    }

    /// Consumes the `[` just peeked and switches to splitting that array's elements.
    pub fn start_array(&mut self) {
        self.array_at = self.pos;
        self.bump();
        self.mode = Mode::ArrayStart;
    }

    fn bump(&mut self) {
        self.reader.consume(1);
        self.pos.column += 1;
    }

    /// The next top-level value (or array element); `Ok(None)` at the end.
    pub fn next_value(&mut self) -> Result<Option<Scanned>, ScanError> {
        let at = self.array_at;
        let unclosed = || {
            format!("unexpected end of input: the array opened at line {}, column {} is not closed", at.line, at.column)
        };
        if self.mode == Mode::StrictLines {
            // One line on its own ([`crate::io::RecordStream`] reads them a window at a time).
            let mut one = Vec::new();
            self.next_lines(1, &mut one)?;
            return Ok(one.pop());
        }
        let next = self.peek()?;
        match (self.mode, next) {
            (Mode::Done | Mode::StrictLines, _) | (Mode::Lines, None) => Ok(None),
            (Mode::ArrayStart | Mode::ArrayNext, None) => Err(self.error(unclosed())),
            (Mode::ArrayStart | Mode::ArrayNext, Some(b']')) => {
                self.bump();
                self.mode = Mode::Done;
                match self.peek()? {
                    None => Ok(None),
                    Some(b) => Err(self.error(format!("unexpected {} after the array", show(b)))),
                }
            }
            (Mode::ArrayNext, Some(b',')) => {
                self.bump();
                match self.peek()? {
                    None => Err(self.error(unclosed())),
                    Some(b']') => Err(self.error("trailing comma before `]`".into())),
                    Some(b) => self.value(b),
                }
            }
            (Mode::ArrayNext, Some(b)) => {
                let found = show(b);
                Err(self.error(format!("expected `,` or `]` after an array element, found {found}")))
            }
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
        match read_value(self.reader.as_mut(), &mut self.pos, first, lines) {
            Ok(value) => Ok(Some(value)),
            Err(e) => {
                self.mode = Mode::Done;
                Err(e)
            }
        }
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
                Ok(Some(v)) => out.push((String::from_utf8(v.raw.into_vec()).unwrap(), v.line, v.column)),
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn splits_lines_with_strings_holding_brackets_and_escaped_quotes() {
        let (vals, err) = scan("{\"a\":\"}]\\\"{\"}\r\n\n  [1,{\"b\":[]}] 12 \"x\\\\\" true", false);
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
        assert_eq!(vals.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), ["{\"a\": [1,2]}", "3", "\"s\""]);
        assert_eq!((vals[1].1, vals[1].2), (2, 2));
        let (_, err) = scan("[1 2]", true);
        assert_eq!(err.unwrap().message, "expected `,` or `]` after an array element, found `2`");
        let (_, err) = scan("[1,]", true);
        assert_eq!(err.map(|e| (e.line, e.column)), Some((1, 4)));
        let (vals, err) = scan("[]  x", true);
        assert!(vals.is_empty());
        assert_eq!(err.unwrap().message, "unexpected `x` after the array");
    }

    #[test]
    fn unbalanced_and_truncated_input_are_structural_errors() {
        let (_, err) = scan("{\"a\": [1}\n", false);
        let err = err.unwrap();
        assert_eq!((err.line, err.column), (1, 9));
        assert!(err.message.starts_with("unbalanced brackets: unexpected `}`"), "{}", err.message);
        let (vals, err) = scan("{}\n{\"a\":\n", false);
        assert_eq!(vals.len(), 1);
        let err = err.unwrap();
        assert_eq!((err.line, err.column), (3, 1));
        assert_eq!(err.message, "unexpected end of input inside the value starting at line 2, column 1");
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
