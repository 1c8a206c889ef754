//! XML for the WDL functions `xml`, `xpath` and `json` of XML. Parsing is roxmltree's (a
//! read-only tree, no DTD, no entity expansion beyond the predefined ones); the conversions
//! follow the conventions Logic Apps inherits from .NET:
//!
//! - [`from_json`]: `xml(object)` as Newtonsoft's `DeserializeXmlNode`: one root property that
//!   is not an array; `@name` keys are attributes, `#text` is text, arrays repeat the element,
//!   null is an empty element; names that are not XML names are escaped `_xHHHH_`.
//! - [`to_json`]: `json(xml(...))` as Newtonsoft's `SerializeXmlNode`: attributes `@name`, a
//!   declaration `?xml`, text `#text` when mixed with elements, repeated siblings as an array,
//!   an empty element `<a/>` as null and `<a></a>` as "" (CDATA is read as text: roxmltree
//!   merges it, so `#cdata-section` never appears).
//! - [`xpath`]: an XPath 1.0 evaluator over the parsed tree (see there for what it covers).
//!
//! XML values travel as content envelopes (`application/xml;charset=utf-8`, see
//! [`super::content`]); the text kept is the input as given (trimmed), checked well-formed.

pub mod from_json;
pub mod to_json;
pub mod xpath;

use serde_json::Value;

use super::content;

/// Parses XML text; the error reads like the parser's ("unexpected end of stream at 1:7").
pub fn parse(text: &str) -> Result<roxmltree::Document<'_>, String> {
    roxmltree::Document::parse(text).map_err(|e| format!("the value is not valid XML: {e}"))
}

/// The XML text of a value `xml()` or `xpath()` accept: an XML envelope, or a string holding
/// XML.
pub fn text_of(value: &Value) -> Option<String> {
    if content::is_xml(value) {
        return content::text(value);
    }
    value.as_str().map(|s| s.trim().to_owned())
}

/// `xml(value)`: an envelope holding the XML of a string (checked) or of a JSON object (or a
/// string holding one).
pub fn xml(value: &Value) -> Result<Value, String> {
    let text = match value {
        Value::Object(_) if content::is_xml(value) => content::text(value).unwrap_or_default(),
        Value::Object(map) => from_json::document(map)?,
        Value::String(s) if s.trim_start().starts_with('{') => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(map)) => from_json::document(&map)?,
            _ => return Err("the string holds neither XML nor a JSON object".into()),
        },
        Value::String(s) => {
            let trimmed = s.trim();
            parse(trimmed)?;
            trimmed.to_owned()
        }
        Value::Array(_) => {
            return Err("a JSON array cannot be converted to XML: wrap it in an object with one root property, e.g. {\"root\": {\"array\": [...]}}".into())
        }
        _ => return Err("the value must be a string of XML or a JSON object".into()),
    };
    Ok(content::envelope(content::XML, text.as_bytes()))
}

/// `json(xml)`: the JSON of an XML envelope (or XML text).
pub fn json(value: &Value) -> Result<Value, String> {
    let text = text_of(value).ok_or("the value is not XML")?;
    let doc = parse(&text)?;
    Ok(to_json::document(&doc, &text))
}

/// The outer XML of an element (or the text of another node), for `xpath` results.
pub fn outer_xml(node: roxmltree::Node<'_, '_>) -> String {
    let text = node.document().input_text();
    text.get(node.range()).unwrap_or_default().to_owned()
}
