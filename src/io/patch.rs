//! Writing a record back with a few values changed, by splicing: the record's own bytes, with
//! new values in the place of the ones replaced ([`Patch::replace`]), members added at the end
//! of an object ([`Patch::push_members`]) and elements at the end of an array
//! ([`Patch::push_items`]), as serde_json's `preserve_order` map and `Vec::push` would place
//! them. Everything else, unknown fields and their spelling included, is copied as it stands.
//!
//! Layout: a record on one line gets compact insertions (`,"key":value`), as serde_json writes
//! them. In a record laid out over several lines, an added member or element copies the line
//! break and indentation in front of the container's last one, and a new object or array is
//! pretty-printed as serde_json does, indented from the line it starts on; for a record that
//! serde_json pretty-printed, the result is what it would print for the changed record.
//!
//! Stage: io, a leaf.

use serde::Serialize;
use serde_json::{Map, Value};

use super::output::write_pretty_indented;
use super::tape::{write_str, Val};

/// A value a patch writes: pretty-printed through serde_json in a record laid out over several
/// lines, and compact otherwise, where [`Json::write_compact`] writes what
/// `serde_json::to_writer` would (types on the hot path write their strings directly).
pub trait Json: Serialize {
    /// Appends the value as compact JSON.
    fn write_compact(&self, out: &mut Vec<u8>) {
        // Writing JSON to a Vec cannot fail.
        let _ = serde_json::to_writer(out, self);
    }
}

impl Json for str {
    fn write_compact(&self, out: &mut Vec<u8>) {
        write_str(out, self);
    }
}

impl Json for Value {
    fn write_compact(&self, out: &mut Vec<u8>) {
        match self {
            Value::String(text) => write_str(out, text),
            Value::Null => out.extend_from_slice(b"null"),
            other => {
                // Writing JSON to a Vec cannot fail.
                let _ = serde_json::to_writer(out, other);
            }
        }
    }
}

impl Json for Map<String, Value> {}

impl<T: Json> Json for [T] {
    fn write_compact(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item.write_compact(out);
        }
        out.push(b']');
    }
}

impl<T: Json + ?Sized> Json for &T {
    fn write_compact(&self, out: &mut Vec<u8>) {
        (**self).write_compact(out);
    }
}

/// Edits to one JSON text (see the module documentation). Edits must not overlap: each
/// replaces a different value or adds to a different container.
#[derive(Debug)]
pub struct Patch<'t> {
    text: &'t str,
    /// The text is laid out over several lines.
    multiline: bool,
    ops: Vec<Op>,
    /// The new bytes of every edit, one after the other.
    bytes: Vec<u8>,
}

/// Bytes `start..end` of the text replaced by `bytes` of the patch's new bytes (an insertion
/// when `start == end`).
#[derive(Debug)]
struct Op {
    start: usize,
    end: usize,
    bytes: (usize, usize),
}

impl<'t> Patch<'t> {
    /// No edits to `text` yet; `multiline`: the text is laid out over several lines
    /// ([`crate::io::tape::Tape::multiline`]).
    pub fn new(text: &'t str, multiline: bool) -> Patch<'t> {
        Patch { text, multiline, ops: Vec::new(), bytes: Vec::new() }
    }

    /// True when nothing was changed.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Records that the bytes written since `from` replace `start..end` of the text.
    fn op(&mut self, start: usize, end: usize, from: usize) {
        self.ops.push(Op { start, end, bytes: (from, self.bytes.len()) });
    }

    /// Writes `new` in the place of `old`.
    pub fn replace(&mut self, old: Val<'_>, new: &(impl Json + ?Sized)) {
        let from = self.bytes.len();
        match self.indent_of_line(old.start()) {
            Some(indent) => pretty(&mut self.bytes, new, indent),
            None => new.write_compact(&mut self.bytes),
        }
        self.op(old.start(), old.end(), from);
    }

    /// Adds `members` at the end of `object`, in order.
    pub fn push_members<T: Json>(&mut self, object: Val<'_>, members: &[(&str, T)]) {
        let entries: Vec<Entry<'_, T>> = members.iter().map(|(key, value)| Entry { key: Some(key), value }).collect();
        let last = object.members().last().map(|(key, value)| (key.start(), value.end()));
        self.push(object, last, &entries, (b'{', b'}'));
    }

    /// Adds `items` at the end of `array`, in order.
    pub fn push_items<T: Json>(&mut self, array: Val<'_>, items: &[T]) {
        let entries: Vec<Entry<'_, T>> = items.iter().map(|value| Entry { key: None, value }).collect();
        let last = array.items().last().map(|item| (item.start(), item.end()));
        self.push(array, last, &entries, (b'[', b']'));
    }

    /// `last`: where the container's last member or element starts and ends.
    fn push<T: Json>(
        &mut self,
        container: Val<'_>,
        last: Option<(usize, usize)>,
        entries: &[Entry<'_, T>],
        brackets: (u8, u8),
    ) {
        if entries.is_empty() {
            return;
        }
        let from = self.bytes.len();
        match last {
            Some((start, end)) => {
                let before = self.text.get(..start).unwrap_or_default();
                let gap = before.get(before.trim_end_matches(is_ws).len()..).unwrap_or_default();
                let layout = gap.rfind('\n').map(|nl| (gap, gap.get(nl + 1..).unwrap_or_default()));
                for entry in entries {
                    self.bytes.push(b',');
                    entry.write(&mut self.bytes, layout);
                }
                self.op(end, end, from);
            }
            None => {
                let (open, close) = brackets;
                let indent = self.indent_of_line(container.start());
                let inner = indent.map(|i| format!("{i}  "));
                self.bytes.push(open);
                for (i, entry) in entries.iter().enumerate() {
                    if i > 0 {
                        self.bytes.push(b',');
                    }
                    let gap = inner.as_ref().map(|inner| format!("\n{inner}"));
                    entry.write(&mut self.bytes, gap.as_deref().zip(inner.as_deref()));
                }
                if let Some(indent) = indent {
                    self.bytes.push(b'\n');
                    self.bytes.extend_from_slice(indent.as_bytes());
                }
                self.bytes.push(close);
                self.op(container.start(), container.end(), from);
            }
        }
    }

    /// The indentation of the line `pos` is on; `None` on the text's first line (whose
    /// indentation is not part of the text) and in a text on one line.
    fn indent_of_line(&self, pos: usize) -> Option<&'t str> {
        if !self.multiline {
            return None;
        }
        let text = self.text;
        let line_start = text.get(..pos)?.rfind('\n')? + 1;
        let line = text.get(line_start..pos)?;
        line.get(..line.len() - line.trim_start_matches([' ', '\t']).len())
    }

    /// Appends the text with the edits made to `out`.
    pub fn write(mut self, out: &mut Vec<u8>) {
        self.ops.sort_by_key(|op| (op.start, op.end));
        let text = self.text.as_bytes();
        out.reserve(text.len() + self.bytes.len());
        let mut at = 0;
        for op in &self.ops {
            out.extend_from_slice(text.get(at..op.start).unwrap_or_default());
            out.extend_from_slice(self.bytes.get(op.bytes.0..op.bytes.1).unwrap_or_default());
            at = op.end.max(at);
        }
        out.extend_from_slice(text.get(at..).unwrap_or_default());
    }
}

/// A member (with its key) or an element to add.
struct Entry<'a, T> {
    key: Option<&'a str>,
    value: &'a T,
}

impl<T: Json> Entry<'_, T> {
    /// Writes the entry, after `gap` (the whitespace before it) and pretty from `indent`
    /// (the indentation of its line) when `layout` is `Some((gap, indent))`; compact otherwise.
    fn write(&self, out: &mut Vec<u8>, layout: Option<(&str, &str)>) {
        if let Some((gap, _)) = layout {
            out.extend_from_slice(gap.as_bytes());
        }
        if let Some(key) = self.key {
            write_str(out, key);
            out.extend_from_slice(if layout.is_some() { b": " } else { b":" });
        }
        match layout {
            Some((_, indent)) => pretty(out, self.value, indent),
            None => self.value.write_compact(out),
        }
    }
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn pretty(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized), indent: &str) {
    // Writing JSON to a Vec cannot fail.
    let _ = write_pretty_indented(out, value, indent);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::tape::Tape;
    use serde_json::{json, Value};

    /// Applies `edit` to the tape of `text` and returns the result.
    fn patched(text: &str, edit: impl Fn(&mut Patch<'_>, Val<'_>)) -> String {
        let tape = Tape::read(text).unwrap();
        let mut patch = Patch::new(text, tape.multiline());
        edit(&mut patch, tape.root());
        let mut out = Vec::new();
        patch.write(&mut out);
        String::from_utf8(out).unwrap()
    }

    fn edit_record(patch: &mut Patch<'_>, root: Val<'_>) {
        let props = root.get("p").unwrap();
        patch.replace(props.get("s").unwrap(), &json!("High"));
        patch.replace(props.get("o").unwrap(), &json!({"upn": "a@b", "x": null}));
        patch.push_items(props.get("l").unwrap(), &[json!({"labelName": "n", "labelType": "User"})]);
        patch.push_items(props.get("e").unwrap(), &[json!("x"), json!(2)]);
        patch.push_members(props, &[("new", json!("v")), ("t", json!([{"a": 1}]))]);
    }

    #[test]
    fn compact_records_get_compact_edits_and_keep_every_other_byte() {
        let text = r#"{"p":{"s":"Low","o":null,"l":[{"labelName":"a"}],"e":[],"n":1.50,"u":"\u00e9"},"z":true}"#;
        assert_eq!(
            patched(text, edit_record),
            r#"{"p":{"s":"High","o":{"upn":"a@b","x":null},"l":[{"labelName":"a"},{"labelName":"n","labelType":"User"}],"e":["x",2],"n":1.50,"u":"\u00e9","new":"v","t":[{"a":1}]},"z":true}"#
        );
        assert_eq!(patched(text, |_, _| {}), text);
    }

    #[test]
    fn a_record_pretty_printed_by_serde_json_becomes_what_it_prints_for_the_changed_record() {
        let before = json!({"p": {"s": "Low", "o": null, "l": [{"labelName": "a"}], "e": [], "n": 1}, "z": true});
        let after = json!({"p": {"s": "High", "o": {"upn": "a@b", "x": null},
            "l": [{"labelName": "a"}, {"labelName": "n", "labelType": "User"}], "e": ["x", 2], "n": 1,
            "new": "v", "t": [{"a": 1}]}, "z": true});
        // At the top level and as an element of a pretty array (its lines indented once more).
        for indent in ["", "  "] {
            let layout = |v: &Value| serde_json::to_string_pretty(v).unwrap().replace('\n', &format!("\n{indent}"));
            assert_eq!(patched(&layout(&before), edit_record), layout(&after));
        }
    }

    #[test]
    fn members_go_into_empty_objects_in_either_layout() {
        let add = |p: &mut Patch<'_>, root: Val<'_>| p.push_members(root.get("a").unwrap(), &[("k", json!([1]))]);
        assert_eq!(patched(r#"{"a":{}}"#, add), r#"{"a":{"k":[1]}}"#);
        let text = "{\n    \"a\": {}\n}";
        assert_eq!(patched(text, add), "{\n    \"a\": {\n      \"k\": [\n        1\n      ]\n    }\n}");
    }
}
