//! A JSON reader for well-formed JSON: text -> the spanned tree, with the spans the YAML reader
//! gives the same text (a mapping or list at its opening bracket, a string or key with its
//! quotes, a scalar as written; lines and character columns from 1; a byte order mark takes no
//! column). It takes only what it can read exactly as the YAML reader would: anything else (a
//! syntax error, a repeated key, nesting deeper than the YAML budget, an empty document) is
//! `None`, and [`super::json::parse`] goes the general way with its messages.

use super::{Key, Node, NodeKind, Span};

/// The YAML reader's nesting budget (deeper documents are refused there, with a message).
const MAX_DEPTH: usize = 64;

/// Reads well-formed JSON; `None` for anything the general reader must see.
pub fn read(source: &str) -> Option<Node> {
    let start = if source.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let mut r = Reader { text: source.as_bytes(), pos: start, line: 1, line_start: start, source };
    r.space();
    if r.pos >= r.text.len() {
        return None;
    }
    let node = r.value(0)?;
    r.space();
    (r.pos == r.text.len()).then_some(node)
}

struct Reader<'a> {
    text: &'a [u8],
    source: &'a str,
    pos: usize,
    line: usize,
    /// Byte offset where the current line starts.
    line_start: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn space(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                }
                _ => break,
            }
        }
    }

    /// A span from `start` (on the current line) to the current position.
    fn span(&self, start: usize) -> Span {
        let column = self.source.get(self.line_start..start).map_or(0, |t| t.chars().count()) + 1;
        Span { start, end: self.pos, line: self.line, column }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        match self.peek()? {
            b'{' => self.map(depth),
            b'[' => self.seq(depth),
            b'"' => {
                let s = self.string()?;
                Some(Node { kind: NodeKind::Str(s), span: self.span(start) })
            }
            b't' => self.word(b"true", NodeKind::Bool(true)),
            b'f' => self.word(b"false", NodeKind::Bool(false)),
            b'n' => self.word(b"null", NodeKind::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn word(&mut self, word: &[u8], kind: NodeKind) -> Option<Node> {
        let start = self.pos;
        if !self.text.get(start..)?.starts_with(word) {
            return None;
        }
        self.pos += word.len();
        Some(Node { kind, span: self.span(start) })
    }

    fn number(&mut self) -> Option<Node> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E')) {
            self.pos += 1;
        }
        let text = self.source.get(start..self.pos)?;
        let digits = text.strip_prefix('-').unwrap_or(text);
        // JSON's grammar: no leading zeros, no bare sign, digits around the point.
        if digits.is_empty() || (digits.len() > 1 && digits.starts_with('0') && digits.as_bytes().get(1) != Some(&b'.'))
        {
            return None;
        }
        let integer = !text.contains(['.', 'e', 'E']);
        let kind = match (integer, text.parse::<i64>(), text.parse::<f64>()) {
            (true, Ok(i), _) => NodeKind::Int(i),
            (_, _, Ok(f)) if f.is_finite() => NodeKind::Float(f),
            _ => return None,
        };
        Some(Node { kind, span: self.span(start) })
    }

    /// A string from its opening quote; the position ends after the closing one.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while self.peek().is_some_and(|b| b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            out.push_str(self.source.get(run_start..self.pos)?);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = self.peek()?;
                    self.pos += 1;
                    match escaped {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode()?),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.source.get(self.pos..self.pos + 4)?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// The character of a `\u` escape (a surrogate pair read whole).
    fn unicode(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) {
            if self.text.get(self.pos..self.pos + 2)? != b"\\u" {
                return None;
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return None;
            }
            return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
        }
        char::from_u32(first)
    }

    fn seq(&mut self, depth: usize) -> Option<Node> {
        let start = self.pos;
        self.pos += 1;
        let span = self.span(start);
        let mut items = Vec::new();
        self.space();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(Node { kind: NodeKind::Seq(items), span });
        }
        loop {
            self.space();
            items.push(self.value(depth + 1)?);
            self.space();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(Node { kind: NodeKind::Seq(items), span });
                }
                _ => return None,
            }
        }
    }

    fn map(&mut self, depth: usize) -> Option<Node> {
        let start = self.pos;
        self.pos += 1;
        let span = self.span(start);
        let mut entries: Vec<(Key, Node)> = Vec::new();
        self.space();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(Node { kind: NodeKind::Map(entries), span });
        }
        loop {
            self.space();
            if self.peek()? != b'"' {
                return None;
            }
            let key_start = self.pos;
            let name = self.string()?;
            let key = Key { name, span: self.span(key_start) };
            if entries.iter().any(|(k, _)| k.name == key.name) {
                return None; // the general reader reports or resolves a repeated key
            }
            self.space();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            self.space();
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.space();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(Node { kind: NodeKind::Map(entries), span });
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader gives the YAML reader's tree, spans included, for well-formed JSON.
    #[test]
    fn reads_what_the_yaml_reader_reads() {
        for src in [
            "{\n  \"a\": \"x\\u00e9y\\n\",\n  \"b\": [1, -2.5, true, null, {\"c\": {}}],\n  \"d\": {}, \"e\": []\n}\n",
            "\u{feff}{\"é\": \"ü \\ud83d\\ude00\", \"n\": 12345678901234567890, \"z\": 0, \"f\": 1e3}",
            "[\r\n\t{\"k\": \"\\\"q\\\" \\\\ \\/\"}\r\n]",
            "\"just text\"",
        ] {
            let fast = read(src).unwrap_or_else(|| panic!("refused {src:?}"));
            let general = crate::syntax::yaml::parse(src).unwrap();
            assert_eq!(fast, general, "{src:?}");
        }
    }

    #[test]
    fn leaves_the_rest_to_the_general_reader() {
        for src in
            ["", "  ", "{\"a\": 1, \"a\": 2}", "{\"a\": 1,}", "[1 2]", "{'a': 1}", "[01]", "{\"a\": tru}", "[1] x"]
        {
            assert_eq!(read(src), None, "{src:?}");
        }
        let deep = format!("{}{}", "[".repeat(70), "]".repeat(70));
        assert_eq!(read(&deep), None);
    }
}
