//! JSON text -> the same spanned tree YAML gives ([`Node`]), so every diagnostic points at the
//! JSON file's line and column.
//!
//! Well-formed JSON is read by a JSON reader of its own ([`super::json_reader`]), which gives the
//! spans the YAML reader would give, several times faster (content repositories hold megabytes
//! of ARM templates). Anything it does not take (a syntax error, a repeated key, nesting deeper
//! than the YAML budget, an empty file) goes the general way: JSON is (nearly) a subset of YAML
//! 1.2's flow syntax, so [`super::yaml::parse`] reads it with spans. When it refuses a file that
//! serde_json accepts (a JSON construct YAML does not share, such as an implicit key longer than
//! 1024 characters, or a repeated key), the serde_json value is converted instead, with every
//! span at the start of the file; when both refuse, the error carries serde_json's line and
//! column.

use serde_json::Value;

use super::{json_reader, yaml, Node, Span, SyntaxError, SyntaxErrorKind};

/// Parses JSON text. Err: the syntax error and its position.
pub fn parse(source: &str) -> Result<Node, SyntaxError> {
    if let Some(node) = json_reader::read(source) {
        return Ok(node);
    }
    let yaml_err = match yaml::parse(source) {
        Ok(node) => return Ok(node),
        Err(e) => e,
    };
    match serde_json::from_str::<Value>(source) {
        Ok(value) => Ok(Node::from_value(&value, Span::FILE_START)),
        Err(e) => {
            let span = (e.line() > 0).then(|| span_at(source, e.line(), e.column()));
            let message = match e.to_string().rsplit_once(" at line ") {
                Some((head, _)) => head.to_owned(),
                None => e.to_string(),
            };
            Err(SyntaxError { message, span: span.or(yaml_err.span), kind: SyntaxErrorKind::Json, help: None })
        }
    }
}

/// The span of a 1-based line and column.
fn span_at(source: &str, line: usize, column: usize) -> Span {
    let mut start = 0;
    for (i, text) in source.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            start += column.saturating_sub(1).min(text.len());
            break;
        }
        start += text.len();
    }
    let start = start.min(source.len());
    let end = source.get(start..).and_then(|rest| rest.chars().next()).map_or(start, |c| start + c.len_utf8());
    Span { start, end, line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_into_the_json_text() {
        let src = "{\n\t\"a\": {\"B\": \"x\\/y\"}\n}\n\n";
        let node = parse(src).unwrap();
        let b = node.get_ignore_case("a").and_then(|a| a.get_ignore_case("b"));
        assert_eq!(b.and_then(Node::as_str), Some("x/y"));
        assert_eq!(b.map(|n| (n.span.line, n.span.column)), Some((2, 13)));
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse("{\n  \"a\": [1,\n}\n").unwrap_err();
        assert_eq!(err.kind, SyntaxErrorKind::Json);
        assert!(err.describe().starts_with("invalid JSON: "), "{}", err.describe());
        assert!(err.span.is_some_and(|s| s.line >= 2));
    }

    #[test]
    fn what_yaml_refuses_is_read_by_serde_json() {
        let node = parse("{\"a\": 1, \"a\": 2}").unwrap();
        assert_eq!(node.get("a").map(|n| n.span), Some(Span::FILE_START));
    }
}
