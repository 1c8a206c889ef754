//! Content that is not JSON, as Logic Apps carries it in JSON values: the **content envelope**
//! `{"$content-type": "<mime>", "$content": "<base64>"}` (MicrosoftDocs
//! `logic-apps-content-type.md`). `binary()`, `base64ToBinary()`, `dataUriToBinary()`,
//! `decodeDataUri()`, `uriComponentToBinary()` and `xml()` return envelopes; where text is
//! needed (`string()`, `@{...}`, string functions) an envelope reads as its content decoded as
//! UTF-8, as the runtime does.

use serde_json::{Map, Value};

use super::functions::encoding::{base64_decode, base64_encode};

/// The content type of XML values (`xml()`, `xpath()` element results).
pub const XML: &str = "application/xml;charset=utf-8";
/// The content type of `binary()` and friends.
pub const OCTETS: &str = "application/octet-stream";

/// An envelope holding `bytes`.
pub fn envelope(content_type: &str, bytes: &[u8]) -> Value {
    let mut map = Map::new();
    map.insert("$content-type".into(), Value::String(content_type.to_owned()));
    map.insert("$content".into(), Value::String(base64_encode(bytes)));
    Value::Object(map)
}

/// The content type and bytes of an envelope; `None` for any other value.
pub fn open(value: &Value) -> Option<(&str, Vec<u8>)> {
    let map = value.as_object()?;
    if map.len() != 2 {
        return None;
    }
    let content_type = map.get("$content-type")?.as_str()?;
    let bytes = base64_decode(map.get("$content")?.as_str()?)?;
    Some((content_type, bytes))
}

/// The text of an envelope (UTF-8, invalid bytes as U+FFFD); `None` for any other value.
pub fn text(value: &Value) -> Option<String> {
    open(value).map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
}

/// True for an envelope holding XML.
pub fn is_xml(value: &Value) -> bool {
    open(value).is_some_and(|(ct, _)| {
        let ct = ct.to_ascii_lowercase();
        ct.starts_with("application/xml") || ct.starts_with("text/xml")
    })
}
