//! A document's records that could not be processed, in its output: left out ([`remove`]: an
//! element out of its list, a response body out of its response), or, where the output replaces
//! the input, written back byte for byte as they were ([`write_spliced`]: the document is
//! written as [`super::write_document`] writes it, with those records' raw text in their place).

use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Write};

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::Value;

use super::Style;
use crate::syntax::pointer;

const WRITE_BUFFER: usize = 64 * 1024;

/// Removes the value at `at` (a JSON pointer) from its array or object; `false` when nothing
/// is there, or `at` is the root (which cannot be removed from anything).
pub fn remove(root: &mut Value, at: &str) -> bool {
    let Some((parent, token)) = at.rsplit_once('/') else { return false };
    let token = pointer::unescape(token);
    match root.pointer_mut(parent) {
        Some(Value::Array(items)) => match token.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        Some(Value::Object(map)) => map.shift_remove(token.as_ref()).is_some(),
        _ => false,
    }
}

/// Writes `root` in its style with a trailing newline, as [`super::write_document`] does, except
/// that the value at each pointer of `raw` is written as that raw JSON text (kept byte for byte).
/// A raw text that is not one JSON value leaves the value at its pointer as it is.
pub fn write_spliced<W: Write>(out: W, root: &Value, style: Style, raw: &[(String, &[u8])]) -> std::io::Result<()> {
    let texts: HashMap<&str, Box<RawValue>> = raw
        .iter()
        .filter_map(|(at, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?.trim();
            Some((at.as_str(), RawValue::from_string(text.to_owned()).ok()?))
        })
        .collect();
    let mut on_the_way: HashSet<&str> = HashSet::new();
    for at in texts.keys() {
        let mut end = at.len();
        while let Some(slash) = at.get(..end).and_then(|s| s.rfind('/')) {
            on_the_way.insert(at.get(..slash).unwrap_or_default());
            end = slash;
        }
    }
    let spliced = Spliced { value: root, at: String::new(), texts: &texts, on_the_way: &on_the_way };
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, out);
    if style.pretty {
        serde_json::to_writer_pretty(&mut out, &spliced)?;
    } else {
        serde_json::to_writer(&mut out, &spliced)?;
    }
    out.write_all(b"\n")?;
    out.flush()
}

/// A value serialized as itself, except at the pointers that have a raw text.
struct Spliced<'a> {
    value: &'a Value,
    at: String,
    texts: &'a HashMap<&'a str, Box<RawValue>>,
    on_the_way: &'a HashSet<&'a str>,
}

impl<'a> Spliced<'a> {
    fn child(&self, value: &'a Value, token: &str) -> Spliced<'a> {
        let mut at = self.at.clone();
        pointer::push(&mut at, token);
        Spliced { value, at, texts: self.texts, on_the_way: self.on_the_way }
    }
}

impl Serialize for Spliced<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(raw) = self.texts.get(self.at.as_str()) {
            return raw.serialize(serializer);
        }
        if !self.on_the_way.contains(self.at.as_str()) {
            return self.value.serialize(serializer);
        }
        match self.value {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, value) in map {
                    out.serialize_entry(key, &self.child(value, key))?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for (i, value) in items.iter().enumerate() {
                    out.serialize_element(&self.child(value, &i.to_string()))?;
                }
                out.end()
            }
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spliced(root: &Value, pretty: bool, raw: &[(&str, &str)]) -> String {
        let raw: Vec<(String, &[u8])> = raw.iter().map(|(at, text)| ((*at).to_owned(), text.as_bytes())).collect();
        let mut out = Vec::new();
        write_spliced(&mut out, root, Style { pretty }, &raw).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn without_raw_texts_it_is_the_document() {
        let root = json!({"b": [1, {"c": "x\ny"}], "a": {}});
        for pretty in [false, true] {
            let mut whole = Vec::new();
            super::super::write_document(&mut whole, &root, Style { pretty }).unwrap();
            assert_eq!(spliced(&root, pretty, &[]).into_bytes(), whole);
        }
    }

    #[test]
    fn raw_texts_stand_in_their_place_byte_for_byte() {
        let root = json!({"value": [{"n": 1}, {"n": 2}], "x/y": {"body": {"n": 3}}});
        let raw = [("/value/1", " {\"n\" :  \"two\"} "), ("/x~1y/body", "{ \"n\":3 }")];
        assert_eq!(
            spliced(&root, false, &raw),
            "{\"value\":[{\"n\":1},{\"n\" :  \"two\"}],\"x/y\":{\"body\":{ \"n\":3 }}}\n"
        );
        assert_eq!(
            spliced(&root, true, &[("/value/0", "{\n    \"n\": 1\n  }")]),
            "{\n  \"value\": [\n    {\n    \"n\": 1\n  },\n    {\n      \"n\": 2\n    }\n  ],\n  \"x/y\": {\n    \"body\": {\n      \"n\": 3\n    }\n  }\n}\n"
        );
        assert_eq!(spliced(&root, false, &[("", "[ 1 ]")]), "[ 1 ]\n");
    }

    #[test]
    fn removes_list_elements_and_object_members_keeping_the_order() {
        let mut root = json!({"responses": {"200": {"body": {"n": 1}, "h": 2}}, "value": [1, 2, 3], "z": 0});
        assert!(remove(&mut root, "/value/1"));
        assert!(remove(&mut root, "/responses/200/body"));
        assert!(!remove(&mut root, "/value/7"));
        assert!(!remove(&mut root, ""));
        assert_eq!(serde_json::to_string(&root).unwrap(), r#"{"responses":{"200":{"h":2}},"value":[1,3],"z":0}"#);
    }
}
