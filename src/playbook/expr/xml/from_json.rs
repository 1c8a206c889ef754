//! JSON -> XML text (`xml(object)`), Newtonsoft's `DeserializeXmlNode` convention (see the
//! module doc of [`super`]). `xml(json('{"person":{"name":"Sophia Owen","city":"Seattle"}}'))`
//! is `<person><name>Sophia Owen</name><city>Seattle</city></person>`.

use serde_json::{Map, Value};

/// The XML document of a JSON object with one root property (an optional `?xml` declaration
/// besides it).
pub fn document(map: &Map<String, Value>) -> Result<String, String> {
    let mut out = String::new();
    if let Some(Value::Object(decl)) = map.get("?xml") {
        out.push_str("<?xml");
        for (key, value) in decl {
            let name = key.strip_prefix('@').unwrap_or(key);
            out.push_str(&format!(" {name}=\"{}\"", escape(&scalar(value), true)));
        }
        out.push_str("?>");
    }
    let roots: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| !k.starts_with(['?', '!', '$'])).collect();
    let [(name, value)] = roots.as_slice() else {
        return Err(format!(
            "a JSON object converts to XML only with exactly one root property; this one has {}",
            roots.len()
        ));
    };
    if value.is_array() {
        return Err(format!(
            "the root property '{name}' is an array: XML has one root element; wrap it, e.g. {{\"root\": {{\"{name}\": [...]}}}}"
        ));
    }
    element(&mut out, name, value);
    Ok(out)
}

fn element(out: &mut String, name: &str, value: &Value) {
    let name = encode_name(name);
    match value {
        Value::Array(items) => {
            for item in items {
                element(out, &name, item);
            }
        }
        Value::Null => out.push_str(&format!("<{name} />")),
        Value::Object(map) => {
            out.push('<');
            out.push_str(&name);
            for (key, v) in map.iter().filter(|(k, _)| k.starts_with('@')) {
                let attr = encode_name(key.trim_start_matches('@'));
                out.push_str(&format!(" {attr}=\"{}\"", escape(&scalar(v), true)));
            }
            let children: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| !k.starts_with('@')).collect();
            if children.is_empty() {
                out.push_str(" />");
                return;
            }
            out.push('>');
            for (key, v) in children {
                match key.as_str() {
                    "#text" => out.push_str(&escape(&scalar(v), false)),
                    "#cdata-section" => out.push_str(&format!("<![CDATA[{}]]>", scalar(v))),
                    "#comment" => out.push_str(&format!("<!--{}-->", scalar(v))),
                    _ => element(out, key, v),
                }
            }
            out.push_str(&format!("</{name}>"));
        }
        scalar_value => out.push_str(&format!("<{name}>{}</{name}>", escape(&scalar(scalar_value), false))),
    }
}

/// A scalar as XML text: booleans in lower case, as Newtonsoft writes them.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            other => out.push(other),
        }
    }
    out
}

/// .NET's `XmlConvert.EncodeName`: a character that may not stand in an XML name becomes
/// `_xHHHH_` (`ro ot` -> `ro_x0020_ot`).
pub fn encode_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.chars().enumerate() {
        let ok = c.is_alphabetic() || c == '_' || c == ':' || (i > 0 && (c.is_numeric() || matches!(c, '-' | '.')));
        if ok {
            out.push(c);
        } else {
            out.push_str(&format!("_x{:04X}_", u32::from(c)));
        }
    }
    if out.is_empty() {
        out.push_str("_x0020_");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn xml(v: Value) -> Result<String, String> {
        document(v.as_object().unwrap())
    }

    #[test]
    fn the_references_examples() {
        assert_eq!(
            xml(json!({"person": {"name": "Sophia Owen", "city": "Seattle"}})).unwrap(),
            "<person><name>Sophia Owen</name><city>Seattle</city></person>"
        );
        assert_eq!(xml(json!({"root": {"array": [1, 2]}})).unwrap(), "<root><array>1</array><array>2</array></root>");
        assert_eq!(
            xml(json!({"a": {"@id": "1 & 2", "#text": "x<y", "b": null, "c": true}})).unwrap(),
            "<a id=\"1 &amp; 2\">x&lt;y<b /><c>true</c></a>"
        );
        assert_eq!(xml(json!({"ro ot": "x"})).unwrap(), "<ro_x0020_ot>x</ro_x0020_ot>");
        assert!(xml(json!({"a": 1, "b": 2})).unwrap_err().contains("exactly one root property"));
        assert!(xml(json!({"a": [1]})).unwrap_err().contains("is an array"));
    }
}
