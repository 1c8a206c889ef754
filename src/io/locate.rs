//! Where the values named by JSON pointers stand in a document's text ([`locate`]): their exact
//! bytes and the line and column they start at, for a record of a document that cannot be
//! processed (its error names the place, `--rejects` gets its bytes, `--in-place` writes them
//! back). The text was parsed already, so it is valid JSON; the walk descends only into the
//! values on the way to a pointer (a few levels: `/value/3`, `/responses/200/body/value/3`)
//! and skips the rest byte by byte, without recursion.

use std::collections::{HashMap, HashSet};

use super::value::is_ws;
use crate::syntax::pointer;

/// Where a value is in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Its bytes: `text[start..end]`.
    pub start: usize,
    pub end: usize,
    /// 1-based line and byte column where it starts, in the file.
    pub line: usize,
    pub column: usize,
}

/// The places of `pointers` in `text`, a JSON document that starts at `line`, `column` of its
/// file; `None` for a pointer that names nothing. Keys repeated in an object: the last one, as
/// the parsed document holds it.
pub fn locate(text: &[u8], pointers: &[String], line: usize, column: usize) -> Vec<Option<Place>> {
    let wanted: HashMap<&str, usize> = pointers.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
    let mut on_the_way: HashSet<&str> = HashSet::new();
    for p in pointers {
        let mut at = p.len();
        while let Some(slash) = p.get(..at).and_then(|s| s.rfind('/')) {
            on_the_way.insert(p.get(..slash).unwrap_or_default());
            at = slash;
        }
    }
    let mut walk = Walk { text, wanted, on_the_way, found: vec![None; pointers.len()] };
    let start = walk.skip_ws(0);
    walk.value(start, &mut String::new());
    let mut found = walk.found;
    positions(text, &mut found, line, column);
    found.into_iter().map(|f| f.map(|(start, end, line, column)| Place { start, end, line, column })).collect()
}

/// Sets the line and column of each found byte range, in one pass over the text.
fn positions(text: &[u8], found: &mut [Option<(usize, usize, usize, usize)>], line: usize, column: usize) {
    let mut order: Vec<usize> = (0..found.len()).filter(|i| found.get(*i).is_some_and(Option::is_some)).collect();
    order.sort_by_key(|i| found.get(*i).copied().flatten().map(|f| f.0));
    let (mut at, mut line, mut line_start, mut first) = (0, line, 0, true);
    for i in order {
        let Some(Some(place)) = found.get_mut(i) else { continue };
        for b in text.get(at..place.0).unwrap_or_default() {
            at += 1;
            if *b == b'\n' {
                line += 1;
                line_start = at;
                first = false;
            }
        }
        place.2 = line;
        place.3 = if first { column + place.0 } else { place.0 - line_start + 1 };
    }
}

struct Walk<'t> {
    text: &'t [u8],
    wanted: HashMap<&'t str, usize>,
    on_the_way: HashSet<&'t str>,
    /// Start, end, line, column (the last two set afterwards).
    found: Vec<Option<(usize, usize, usize, usize)>>,
}

impl Walk<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.text.get(at).copied()
    }

    fn skip_ws(&self, mut at: usize) -> usize {
        while self.byte(at).is_some_and(is_ws) {
            at += 1;
        }
        at
    }

    /// The value starting at `at` (no whitespace before it), at `pointer`; returns its end.
    fn value(&mut self, at: usize, pointer: &mut String) -> usize {
        let end = if self.on_the_way.contains(pointer.as_str()) {
            match self.byte(at) {
                Some(b'{') => self.members(at, pointer),
                Some(b'[') => self.elements(at, pointer),
                _ => self.skip(at),
            }
        } else {
            self.skip(at)
        };
        if let Some(i) = self.wanted.get(pointer.as_str()).copied() {
            if let Some(slot) = self.found.get_mut(i) {
                *slot = Some((at, end, 0, 0));
            }
        }
        end
    }

    fn members(&mut self, open: usize, pointer: &mut String) -> usize {
        let mut at = self.skip_ws(open + 1);
        while self.byte(at) == Some(b'"') {
            let key_end = self.skip(at);
            let key: String =
                self.text.get(at..key_end).and_then(|k| serde_json::from_slice(k).ok()).unwrap_or_default();
            at = self.skip_ws(key_end);
            if self.byte(at) != Some(b':') {
                return at;
            }
            at = self.skip_ws(at + 1);
            let len = pointer.len();
            pointer::push(pointer, &key);
            at = self.value(at, pointer);
            pointer.truncate(len);
            at = self.skip_ws(at);
            if self.byte(at) != Some(b',') {
                break;
            }
            at = self.skip_ws(at + 1);
        }
        if self.byte(at) == Some(b'}') {
            at + 1
        } else {
            at
        }
    }

    fn elements(&mut self, open: usize, pointer: &mut String) -> usize {
        let mut at = self.skip_ws(open + 1);
        let mut index = 0usize;
        while self.byte(at).is_some_and(|b| b != b']') {
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&index.to_string());
            at = self.value(at, pointer);
            pointer.truncate(len);
            index += 1;
            at = self.skip_ws(at);
            if self.byte(at) != Some(b',') {
                break;
            }
            at = self.skip_ws(at + 1);
        }
        if self.byte(at) == Some(b']') {
            at + 1
        } else {
            at
        }
    }

    /// The end of the value starting at `at`: a string at its closing quote, an object or array
    /// at its closing bracket, anything else at whitespace or a delimiter.
    fn skip(&self, at: usize) -> usize {
        let Some(first) = self.byte(at) else { return at };
        let (mut depth, mut in_str, mut esc) = (0usize, false, false);
        let mut i = at;
        if !matches!(first, b'{' | b'[' | b'"') {
            while self.byte(i).is_some_and(|b| !is_ws(b) && !matches!(b, b',' | b'}' | b']' | b':')) {
                i += 1;
            }
            return i;
        }
        while let Some(b) = self.byte(i) {
            i += 1;
            if in_str {
                if esc {
                    esc = false;
                } else if b == b'\\' {
                    esc = true;
                } else if b == b'"' {
                    in_str = false;
                    if depth == 0 {
                        return i;
                    }
                }
                continue;
            }
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i;
                    }
                }
                _ => {}
            }
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(text: &str, pointers: &[&str]) -> Vec<Option<(String, usize, usize)>> {
        let pointers: Vec<String> = pointers.iter().map(|p| (*p).to_owned()).collect();
        locate(text.as_bytes(), &pointers, 2, 3)
            .into_iter()
            .map(|p| p.map(|p| (text[p.start..p.end].to_owned(), p.line, p.column)))
            .collect()
    }

    #[test]
    fn finds_list_elements_example_bodies_and_the_root() {
        let text = "{\"value\": [ {\"a\": \"]}\\\"\"},\n  {\"b\": [1, {}]}, 3 ],\n \"x\": 1}";
        assert_eq!(
            places(text, &["/value/1", "", "/value/0", "/value/9", "/x"]),
            [
                Some(("{\"b\": [1, {}]}".to_owned(), 3, 3)),
                Some((text.to_owned(), 2, 3)),
                Some(("{\"a\": \"]}\\\"\"}".to_owned(), 2, 15)),
                None,
                Some(("1".to_owned(), 4, 7)),
            ]
        );
        let example = "{\"responses\": {\"2~0/1\": {\"body\": {\"value\": [true, {\"n\": null}]}}}}";
        assert_eq!(
            places(example, &["/responses/2~00~11/body/value/1"]),
            [Some(("{\"n\": null}".to_owned(), 2, 3 + 50))]
        );
    }

    #[test]
    fn repeated_keys_give_the_last_one() {
        assert_eq!(places("{\"value\": 1, \"value\": [5]}", &["/value/0"]), [Some(("5".to_owned(), 2, 26))]);
    }
}
