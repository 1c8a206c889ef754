//! A JSON tape of one record, as simd-json and sonic-rs build them: one pass over the text that
//! checks it is JSON serde_json reads the same way, and notes where every value starts and ends
//! and where the value after it begins, so that any member or element is reached without
//! parsing what lies before it. Nothing is decoded or copied; a string is unescaped only when it
//! is read and only if it has escapes ([`Val::str`]).
//!
//! The tape is conservative: it refuses (returns `None` for) everything serde_json would refuse
//! and a few things it would read differently or that need care (a `\u` escape of a surrogate,
//! nesting deeper than [`MAX_DEPTH`], a record over 4 GiB). A caller that gets `None` reads the
//! record the ordinary way, which gives the exact error or result.
//!
//! Stage: io, a leaf.

use std::borrow::Cow;

/// Nesting deeper than this is left to serde_json (whose own limit is 128).
pub const MAX_DEPTH: usize = 100;

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// One value: its byte range and the index of the node after its subtree. An object's members
/// follow it as key, value, key, value...; an array's elements as values.
#[derive(Debug, Clone, Copy)]
struct Node {
    start: u32,
    end: u32,
    next: u32,
    kind: Kind,
    /// A string with at least one escape.
    escaped: bool,
}

/// The tape of one JSON text. Node 0 is the root.
#[derive(Debug, Default)]
pub struct Tape<'t> {
    text: &'t str,
    nodes: Vec<Node>,
    /// A line break between tokens.
    multiline: bool,
    /// A carriage return between tokens.
    returns: bool,
}

/// A value on a tape.
#[derive(Debug, Clone, Copy)]
pub struct Val<'t> {
    tape: &'t Tape<'t>,
    at: usize,
}

impl<'t> Tape<'t> {
    /// The tape of `text`, which must be exactly one JSON value with optional whitespace around
    /// it; `None` when it is not, or when it is one the tape leaves to serde_json (see the
    /// module documentation).
    pub fn read(text: &'t str) -> Option<Tape<'t>> {
        u32::try_from(text.len()).ok()?;
        let mut nodes = Vec::with_capacity(text.len() / 8 + 8);
        let mut builder =
            Builder { bytes: text.as_bytes(), nodes: &mut nodes, stack: Vec::new(), multiline: false, returns: false };
        let end = builder.run()?;
        let (multiline, returns) = (builder.multiline, builder.returns);
        (builder.ws(end) == text.len()).then_some(Tape { text, nodes, multiline, returns })
    }

    /// True when the text breaks lines between its tokens (a pretty-printed value); a JSON
    /// string cannot hold a raw line break.
    pub fn multiline(&self) -> bool {
        self.multiline
    }

    /// True when the text has a carriage return between its tokens (CRLF line ends).
    pub fn carriage_returns(&self) -> bool {
        self.returns
    }

    /// The root value.
    pub fn root(&'t self) -> Val<'t> {
        Val { tape: self, at: 0 }
    }

    /// The text the tape indexes.
    pub fn text(&self) -> &'t str {
        self.text
    }

    fn node(&self, at: usize) -> Node {
        self.nodes.get(at).copied().unwrap_or(Node {
            start: 0,
            end: 0,
            next: u32::MAX,
            kind: Kind::Null,
            escaped: false,
        })
    }
}

struct Builder<'b> {
    bytes: &'b [u8],
    nodes: &'b mut Vec<Node>,
    /// Open containers: their node index.
    stack: Vec<usize>,
    /// A line break, a carriage return was skipped.
    multiline: bool,
    returns: bool,
}

impl Builder<'_> {
    /// Builds the tape; returns where the root value ends.
    fn run(&mut self) -> Option<usize> {
        let mut pos = self.ws(0);
        loop {
            // A value starts at `pos`.
            pos = match *self.bytes.get(pos)? {
                open @ (b'{' | b'[') => {
                    let kind = if open == b'{' { Kind::Object } else { Kind::Array };
                    self.stack.push(self.nodes.len());
                    if self.stack.len() > MAX_DEPTH {
                        return None;
                    }
                    self.push(kind, pos, pos + 1, false);
                    let inner = self.ws(pos + 1);
                    let close = if kind == Kind::Object { b'}' } else { b']' };
                    if self.bytes.get(inner) != Some(&close) {
                        // The first member or element starts here.
                        pos = if kind == Kind::Object { self.key(inner)? } else { inner };
                        continue;
                    }
                    // An empty container: `after` closes it.
                    inner
                }
                b'"' => {
                    let (end, escaped) = string_end(self.bytes, pos)?;
                    self.push(Kind::String, pos, end, escaped);
                    end
                }
                b't' => self.literal(pos, b"true", Kind::True)?,
                b'f' => self.literal(pos, b"false", Kind::False)?,
                b'n' => self.literal(pos, b"null", Kind::Null)?,
                b'-' | b'0'..=b'9' => {
                    let end = number_end(self.bytes, pos)?;
                    self.push(Kind::Number, pos, end, false);
                    end
                }
                _ => return None,
            };
            // After a value: close the containers that end here and find where the next value
            // starts.
            match self.after(pos)? {
                Some(next) => pos = next,
                None => return Some(self.end_of_root()),
            }
        }
    }

    /// Skips whitespace from `pos`.
    fn ws(&mut self, mut pos: usize) -> usize {
        while let Some(&b) = self.bytes.get(pos) {
            match b {
                b' ' | b'\t' => {}
                b'\n' => self.multiline = true,
                b'\r' => self.returns = true,
                _ => break,
            }
            pos += 1;
        }
        pos
    }

    fn push(&mut self, kind: Kind, start: usize, end: usize, escaped: bool) {
        let next = self.nodes.len() as u32 + 1;
        self.nodes.push(Node { start: start as u32, end: end as u32, next, kind, escaped });
    }

    fn literal(&mut self, pos: usize, word: &[u8], kind: Kind) -> Option<usize> {
        let end = pos + word.len();
        (self.bytes.get(pos..end)? == word).then_some(())?;
        self.push(kind, pos, end, false);
        Some(end)
    }

    /// A member's key at `pos` and its colon; returns where the member's value starts.
    fn key(&mut self, pos: usize) -> Option<usize> {
        (self.bytes.get(pos) == Some(&b'"')).then_some(())?;
        let (end, escaped) = string_end(self.bytes, pos)?;
        self.push(Kind::String, pos, end, escaped);
        let colon = self.ws(end);
        (self.bytes.get(colon) == Some(&b':')).then_some(())?;
        Some(self.ws(colon + 1))
    }

    /// After a value ending at `pos` (or at the closing byte of an empty container): closes
    /// the containers that end here; `Some(start of the next value)`, or `None` when the root
    /// is complete.
    fn after(&mut self, mut pos: usize) -> Option<Option<usize>> {
        loop {
            let Some(&open) = self.stack.last() else { return Some(None) };
            pos = self.ws(pos);
            let kind = self.nodes.get(open)?.kind;
            match (*self.bytes.get(pos)?, kind) {
                (b',', Kind::Object) => {
                    let key = self.ws(pos + 1);
                    return Some(Some(self.key(key)?));
                }
                (b',', _) => return Some(Some(self.ws(pos + 1))),
                (b'}', Kind::Object) | (b']', Kind::Array) => {
                    let next = self.nodes.len() as u32;
                    let node = self.nodes.get_mut(open)?;
                    node.end = pos as u32 + 1;
                    node.next = next;
                    self.stack.pop();
                    pos += 1;
                }
                _ => return None,
            }
        }
    }

    fn end_of_root(&self) -> usize {
        self.nodes.first().map_or(0, |n| n.end as usize)
    }
}

/// True for the bytes that end a run of plain string bytes: the quote, a backslash, control
/// characters.
fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The bytes of `word` that are special ([`is_special`]), as their high bits. Only bytes above
/// the lowest flagged one can be flagged wrongly (by a borrow), so the lowest is always exact.
fn special_bytes(word: u64) -> u64 {
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    zero(word ^ (ONES * u64::from(b'"'))) | zero(word ^ (ONES * u64::from(b'\\'))) | below_space
}

/// The position of the first special byte at or after `i`, eight bytes at a time.
fn next_special(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
        let found = special_bytes(word);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    Some(i + rest.iter().position(|&b| is_special(b))?)
}

/// True when JSON writes `text` between quotes as it is: no quote, backslash or control
/// character to escape (serde_json escapes nothing else).
pub fn is_plain(text: &str) -> bool {
    next_special(text.as_bytes(), 0).is_none()
}

/// Appends `text` as a JSON string, byte for byte as serde_json writes it (copied between
/// quotes when nothing needs escaping, eight bytes checked at a time).
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    if is_plain(text) {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing JSON to a Vec cannot fail.
        let _ = serde_json::to_writer(out, text);
    }
}

/// The end (past the closing quote) of the string whose opening quote is at `pos`, and whether
/// it has escapes. `None` for a raw control character, a bad escape, a `\u` escape of a
/// surrogate (left to serde_json), or no closing quote.
fn string_end(bytes: &[u8], pos: usize) -> Option<(usize, bool)> {
    let mut i = pos + 1;
    let mut escaped = false;
    loop {
        i = next_special(bytes, i)?;
        match *bytes.get(i)? {
            b'"' => return Some((i + 1, escaped)),
            b'\\' => {
                escaped = true;
                match *bytes.get(i + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                    b'u' => {
                        let hex = std::str::from_utf8(bytes.get(i + 2..i + 6)?).ok()?;
                        let code = u16::from_str_radix(hex, 16).ok()?;
                        if (0xD800..0xE000).contains(&code) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                            return None;
                        }
                        i += 6;
                    }
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
}

/// The end of the number starting at `pos`. A number with a fraction, an exponent or more than
/// 18 digits is checked by serde_json itself (it refuses what does not fit an f64).
fn number_end(bytes: &[u8], pos: usize) -> Option<usize> {
    let digits = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = pos + usize::from(bytes.get(pos) == Some(&b'-'));
    let int_start = i;
    match bytes.get(i)? {
        b'0' => i += 1,
        b'1'..=b'9' => i = digits(i),
        _ => return None,
    }
    let mut simple = i - int_start <= 18;
    if bytes.get(i) == Some(&b'.') {
        let frac = digits(i + 1);
        (frac > i + 1).then_some(())?;
        i = frac;
        simple = false;
    }
    if let Some(b'e' | b'E') = bytes.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = bytes.get(i) {
            i += 1;
        }
        let exp = digits(i);
        (exp > i).then_some(())?;
        i = exp;
        simple = false;
    }
    if !simple {
        let text = std::str::from_utf8(bytes.get(pos..i)?).ok()?;
        serde_json::from_str::<serde_json::Number>(text).ok()?;
    }
    Some(i)
}

impl<'t> Val<'t> {
    fn node(&self) -> Node {
        self.tape.node(self.at)
    }

    /// The value's JSON type.
    pub fn kind(&self) -> Kind {
        self.node().kind
    }

    /// The value's byte range in the text.
    pub fn span(&self) -> (usize, usize) {
        let n = self.node();
        (n.start as usize, n.end as usize)
    }

    /// The value's text as it stands.
    pub fn raw(&self) -> &'t str {
        let (start, end) = self.span();
        self.tape.text.get(start..end).unwrap_or_default()
    }

    /// The text the value stands in.
    pub fn text(&self) -> &'t str {
        self.tape.text
    }

    /// True when that text is laid out over several lines ([`Tape::multiline`]).
    pub fn multiline(&self) -> bool {
        self.tape.multiline
    }

    /// A string's value (borrowed unless it has escapes); `None` for other types.
    pub fn str(&self) -> Option<Cow<'t, str>> {
        let n = self.node();
        if n.kind != Kind::String {
            return None;
        }
        let inner = self.tape.text.get(n.start as usize + 1..(n.end as usize).saturating_sub(1))?;
        if !n.escaped {
            return Some(Cow::Borrowed(inner));
        }
        serde_json::from_str::<String>(self.raw()).ok().map(Cow::Owned)
    }

    /// A string's text between its quotes when it has no escapes (which is then its value:
    /// what keys are compared on without decoding them); `None` for other types and escaped
    /// strings.
    pub fn plain(&self) -> Option<&'t [u8]> {
        let n = self.node();
        if n.kind != Kind::String || n.escaped {
            return None;
        }
        let inner = self.tape.text.get(n.start as usize + 1..(n.end as usize).saturating_sub(1))?;
        Some(inner.as_bytes())
    }

    /// True when this is a string equal to `text`.
    pub fn is(&self, text: &str) -> bool {
        let n = self.node();
        if n.kind != Kind::String {
            return false;
        }
        if n.escaped {
            return self.str().is_some_and(|s| s == text);
        }
        self.tape.text.get(n.start as usize + 1..(n.end as usize).saturating_sub(1)) == Some(text)
    }

    /// A number as `i64`, as `serde_json::Value::as_i64` reads it.
    pub fn as_i64(&self) -> Option<i64> {
        if self.kind() != Kind::Number {
            return None;
        }
        let raw = self.raw();
        if raw.len() <= 18 && raw.bytes().all(|b| b.is_ascii_digit()) {
            return raw.parse().ok();
        }
        serde_json::from_str::<serde_json::Number>(raw).ok()?.as_i64()
    }

    /// A string, number or boolean as text (a number as serde_json writes it); `None` for
    /// other types.
    pub fn scalar(&self) -> Option<Cow<'t, str>> {
        match self.kind() {
            Kind::String => self.str(),
            Kind::Number => Some(Cow::Owned(serde_json::from_str::<serde_json::Number>(self.raw()).ok()?.to_string())),
            Kind::True => Some(Cow::Borrowed("true")),
            Kind::False => Some(Cow::Borrowed("false")),
            _ => None,
        }
    }

    /// An object's members as (key, value), in order; nothing for other types.
    pub fn members(&self) -> Members<'t> {
        let n = self.node();
        let (at, end) = if n.kind == Kind::Object { (self.at + 1, n.next as usize) } else { (0, 0) };
        Members { tape: self.tape, at, end }
    }

    /// An array's elements, in order; nothing for other types.
    pub fn items(&self) -> Items<'t> {
        let n = self.node();
        let (at, end) = if n.kind == Kind::Array { (self.at + 1, n.next as usize) } else { (0, 0) };
        Items { tape: self.tape, at, end }
    }

    /// The value of an object's member `key`: the last one when the key is repeated, as serde_json
    /// keeps it; `None` when absent or not an object.
    pub fn get(&self, key: &str) -> Option<Val<'t>> {
        self.members().filter(|(k, _)| k.is(key)).last().map(|(_, v)| v)
    }

    /// Where the value ends, past its last byte.
    pub fn end(&self) -> usize {
        self.node().end as usize
    }

    /// Where the value starts.
    pub fn start(&self) -> usize {
        self.node().start as usize
    }
}

/// The members of an object ([`Val::members`]).
#[derive(Debug, Clone)]
pub struct Members<'t> {
    tape: &'t Tape<'t>,
    at: usize,
    end: usize,
}

impl<'t> Iterator for Members<'t> {
    type Item = (Val<'t>, Val<'t>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.end {
            return None;
        }
        let key = Val { tape: self.tape, at: self.at };
        let value = Val { tape: self.tape, at: self.at + 1 };
        self.at = value.node().next as usize;
        Some((key, value))
    }
}

/// The elements of an array ([`Val::items`]).
#[derive(Debug, Clone)]
pub struct Items<'t> {
    tape: &'t Tape<'t>,
    at: usize,
    end: usize,
}

impl<'t> Iterator for Items<'t> {
    type Item = Val<'t>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.end {
            return None;
        }
        let item = Val { tape: self.tape, at: self.at };
        self.at = item.node().next as usize;
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(text: &str) -> bool {
        Tape::read(text).is_some()
    }

    #[test]
    fn accepts_what_serde_json_reads_and_refuses_the_rest() {
        let good = [
            r#"{"a":[1,-0,2.5e-3,"x\"\\\u00e9",true,false,null,{},[]],"b":{"c":{}}}"#,
            " [ ] ",
            "\"s\"",
            "0",
            "-12",
            r#"{"k" : 1 , "k" : 2}"#,
        ];
        for text in good {
            assert!(accepts(text), "{text}");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "{text}");
        }
        let bad = [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "01",
            "1.",
            "1e",
            "-",
            "tru",
            "[1 2]",
            "\"a\nb\"",
            "\"\\x\"",
            "\"\\u12\"",
            "1e400",
            "{} {}",
            "[}",
            "{]",
            "\"\\ud800\"",
        ];
        for text in bad {
            assert!(!accepts(text), "{text}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(!accepts(&deep));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(accepts(&ok));
    }

    #[test]
    fn every_special_byte_is_found_wherever_it_stands_in_a_word() {
        for len in 0..20 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1F, b'\n'] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    // Bytes above it must not hide it: high UTF-8 bytes and near misses.
                    for (i, b) in bytes.iter_mut().enumerate().skip(at + 1) {
                        *b = [0xC3, 0x21, 0x5D, 0x23][i % 4];
                    }
                    assert_eq!(next_special(&bytes, 0), Some(at), "{bytes:?}");
                }
                let plain: Vec<u8> = (0..len).map(|i| [b'a', 0xC3, 0xA9, 0x20, 0x7F, 0x5B][i % 6]).collect();
                assert_eq!(next_special(&plain, 0), None, "{plain:?}");
            }
        }
    }

    #[test]
    fn members_items_and_strings_are_found_without_parsing() {
        let text = r#" {"a": [1, {"b": "x"}, "y\"z"], "k": "first", "c": {}, "k": "last", "d\u0041": 7} "#;
        let tape = Tape::read(text).unwrap();
        let root = tape.root();
        assert_eq!(root.kind(), Kind::Object);
        let keys: Vec<_> = root.members().map(|(k, _)| k.str().unwrap().into_owned()).collect();
        assert_eq!(keys, ["a", "k", "c", "k", "dA"]);
        let a = root.get("a").unwrap();
        assert_eq!(a.raw(), r#"[1, {"b": "x"}, "y\"z"]"#);
        let items: Vec<_> = a.items().map(|v| v.raw()).collect();
        assert_eq!(items, ["1", r#"{"b": "x"}"#, r#""y\"z""#]);
        assert_eq!(a.items().nth(2).unwrap().str().unwrap(), "y\"z");
        assert_eq!(a.items().nth(1).unwrap().get("b").unwrap().str().unwrap(), "x");
        assert_eq!(root.get("k").unwrap().str().unwrap(), "last");
        assert_eq!(root.get("dA").unwrap().as_i64(), Some(7));
        assert_eq!(root.get("c").unwrap().members().count(), 0);
        assert!(root.get("zz").is_none());
    }

    #[test]
    fn scalars_read_as_serde_json_writes_them() {
        let tape = Tape::read(r#"[5, -0, 1.50, 1e2, 12345678901234567890, true, "s", null]"#).unwrap();
        let got: Vec<_> = tape.root().items().map(|v| v.scalar().map(Cow::into_owned)).collect();
        let want: Vec<_> = serde_json::from_str::<Vec<serde_json::Value>>(tape.text())
            .unwrap()
            .iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Null => None,
                other => Some(other.to_string()),
            })
            .collect();
        assert_eq!(got, want);
        let ints: Vec<_> = tape.root().items().map(|v| v.as_i64()).collect();
        assert_eq!(ints, [Some(5), None, None, None, None, None, None, None]);
    }
}
