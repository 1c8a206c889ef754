//! XML -> JSON (`json(xml(...))`), Newtonsoft's `SerializeXmlNode` convention (see the module
//! doc of [`super`]). The reference's example:
//! `<?xml version="1.0"?> <root> <person id="1"> <name>Sophia Owen</name> ... </root>` gives
//! `{"?xml": {"@version": "1.0"}, "root": {"person": {"@id": "1", "name": "Sophia Owen", ...}}}`.
//! Every value is a string: XML has no types.

use roxmltree::{Document, Node, NodeType};
use serde_json::{Map, Value};

/// The JSON of a whole document (`text` is the document's text, for the declaration).
pub fn document(doc: &Document<'_>, text: &str) -> Value {
    let mut out = Map::new();
    if let Some(decl) = declaration(text) {
        out.insert("?xml".into(), decl);
    }
    let root = doc.root_element();
    out.insert(qualified(root), element(root));
    Value::Object(out)
}

/// `<?xml version="1.0" encoding="utf-8"?>` as `{"@version": "1.0", "@encoding": "utf-8"}`.
fn declaration(text: &str) -> Option<Value> {
    let body = text.trim_start().strip_prefix("<?xml")?;
    let body = body.get(..body.find("?>")?)?;
    let mut map = Map::new();
    let mut rest = body.trim();
    while let Some(eq) = rest.find('=') {
        let name = rest.get(..eq)?.trim();
        let after = rest.get(eq + 1..)?.trim_start();
        let quote = after.chars().next()?;
        let value_end = after.get(1..)?.find(quote)? + 1;
        map.insert(format!("@{name}"), Value::String(after.get(1..value_end)?.to_owned()));
        rest = after.get(value_end + 1..)?.trim_start();
    }
    Some(Value::Object(map))
}

/// The name as written: `prefix:local` for a namespaced node whose prefix is declared.
fn qualified(node: Node<'_, '_>) -> String {
    let name = node.tag_name();
    match name.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{}", name.name()),
        _ => name.name().to_owned(),
    }
}

fn element(node: Node<'_, '_>) -> Value {
    let mut map = Map::new();
    let parent_namespaces: Vec<(Option<&str>, &str)> =
        node.parent_element().map(|p| p.namespaces().map(|n| (n.name(), n.uri())).collect()).unwrap_or_default();
    for ns in node.namespaces() {
        if !parent_namespaces.contains(&(ns.name(), ns.uri())) && ns.name() != Some("xml") {
            let key = ns.name().map_or_else(|| "@xmlns".to_owned(), |p| format!("@xmlns:{p}"));
            map.insert(key, Value::String(ns.uri().to_owned()));
        }
    }
    for attr in node.attributes() {
        let name = match attr.namespace().and_then(|ns| node.lookup_prefix(ns)) {
            Some(prefix) if !prefix.is_empty() => format!("@{prefix}:{}", attr.name()),
            _ => format!("@{}", attr.name()),
        };
        map.insert(name, Value::String(attr.value().to_owned()));
    }
    let has_elements = node.children().any(|c| c.is_element());
    let texts: Vec<&str> = node.children().filter(|c| c.is_text()).filter_map(|c| c.text()).collect();
    if !has_elements && node.children().all(|c| c.is_text()) {
        let text: String = texts.concat();
        let self_closing = super::outer_xml(node).ends_with("/>");
        let value = if self_closing && text.is_empty() {
            Value::Null
        } else if text.trim().is_empty() {
            Value::String(String::new())
        } else {
            Value::String(text)
        };
        if map.is_empty() {
            return value;
        }
        if !value.is_null() && value != "" {
            map.insert("#text".into(), value);
        }
        return Value::Object(map);
    }
    for child in node.children() {
        let (key, value) = match child.node_type() {
            NodeType::Element => (qualified(child), element(child)),
            NodeType::Text => match child.text().map(str::trim) {
                Some(t) if !t.is_empty() => {
                    ("#text".to_owned(), Value::String(child.text().unwrap_or_default().to_owned()))
                }
                _ => continue,
            },
            NodeType::Comment => ("#comment".to_owned(), Value::String(child.text().unwrap_or_default().to_owned())),
            NodeType::PI | NodeType::Root => continue,
        };
        match map.get_mut(&key) {
            Some(Value::Array(items)) if child.is_element() || key == "#text" => items.push(value),
            Some(existing) => {
                let first = std::mem::take(existing);
                *existing = Value::Array(vec![first, value]);
            }
            None => {
                map.insert(key, value);
            }
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn json_of(text: &str) -> Value {
        let doc = Document::parse(text).unwrap();
        document(&doc, text)
    }

    #[test]
    fn the_references_example() {
        let text = r#"<?xml version="1.0"?> <root> <person id="1"> <name>Sophia Owen</name> <occupation>Engineer</occupation> </person> </root>"#;
        assert_eq!(
            json_of(text.trim()),
            json!({"?xml": {"@version": "1.0"}, "root": {"person": {"@id": "1", "name": "Sophia Owen", "occupation": "Engineer"}}})
        );
    }

    #[test]
    fn repeated_empty_mixed_and_namespaced() {
        assert_eq!(
            json_of("<r><p>a</p><p>b</p><e/><f></f><g> </g></r>"),
            json!({"r": {"p": ["a", "b"], "e": null, "f": "", "g": ""}})
        );
        assert_eq!(json_of("<r a='1'>t<b/>u</r>"), json!({"r": {"@a": "1", "#text": ["t", "u"], "b": null}}));
        assert_eq!(
            json_of("<m:x xmlns:m='urn:m'><m:y>1</m:y></m:x>"),
            json!({"m:x": {"@xmlns:m": "urn:m", "m:y": "1"}})
        );
    }
}
