//! From an expression span to a place in a file. Expression spans ([`Span`]) are byte ranges
//! in the *decoded* string value (WDL template spans cover the whole value); in a JSON file
//! the value is written as a string literal with escapes (`\"`, `\n`, `\u00e9`), so offsets
//! shift. [`span_in_json_string`] walks the literal's escapes to map a decoded span back to
//! file bytes, then to a 1-based line and column (counted in characters).
//! [`span_in_verbatim`] does the same for text that appears in the file exactly as decoded
//! (YAML plain scalars, single-line expressions).

use super::span::Span;
use crate::syntax;

/// Maps `span` (relative to the decoded value of the JSON string literal whose opening `"`
/// is at byte `literal_start` of `file`) to a file span with line and column. `None` when
/// `literal_start` does not point at a `"` or the span lies beyond the literal.
pub fn span_in_json_string(file: &str, literal_start: usize, span: Span) -> Option<syntax::Span> {
    let raw = file.get(literal_start..)?.strip_prefix('"')?;
    let base = literal_start + 1;
    let mut decoded = 0usize;
    let mut start = None;
    let mut end = None;
    let mut i = 0usize;
    loop {
        if start.is_none() && decoded >= span.start {
            start = Some(base + i);
        }
        if end.is_none() && decoded >= span.end {
            end = Some(base + i);
        }
        if start.is_some() && end.is_some() {
            break;
        }
        let rest = raw.get(i..)?;
        let (raw_len, decoded_len) = escape_lengths(rest)?;
        i += raw_len;
        decoded += decoded_len;
    }
    let (start, end) = (start?, end?);
    Some(with_line_column(file, start, end))
}

/// Raw and decoded byte lengths of the next unit of a JSON string literal body; `None` at the
/// closing quote or the end.
fn escape_lengths(rest: &str) -> Option<(usize, usize)> {
    let mut chars = rest.chars();
    match chars.next()? {
        '"' => None,
        '\\' => match chars.next()? {
            'u' => {
                let code = u32::from_str_radix(rest.get(2..6)?, 16).ok()?;
                if (0xD800..0xDC00).contains(&code) && rest.get(6..8) == Some("\\u") {
                    // A surrogate pair: two escapes, one 4-byte character.
                    Some((12, 4))
                } else {
                    Some((6, char::from_u32(code).map_or(3, char::len_utf8)))
                }
            }
            _ => Some((2, 1)),
        },
        c => Some((c.len_utf8(), c.len_utf8())),
    }
}

/// Maps `span` relative to a value that appears verbatim at byte `value_start` of `file`.
pub fn span_in_verbatim(file: &str, value_start: usize, span: Span) -> Option<syntax::Span> {
    let (start, end) = (value_start.checked_add(span.start)?, value_start.checked_add(span.end)?);
    (file.is_char_boundary(start) && file.is_char_boundary(end) && start <= end)
        .then(|| with_line_column(file, start, end))
}

/// A file span with the 1-based line and character column of `start`.
pub fn with_line_column(file: &str, start: usize, end: usize) -> syntax::Span {
    let before = file.get(..start).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = file.get(line_start..start).map_or(0, |t| t.chars().count()) + 1;
    syntax::Span { start, end, line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_through_escapes() {
        // The value is `"é" @{x}`; `x` is at decoded bytes 7..8.
        let file = "{\n  \"a\": \"\\\"\\u00e9\\\" @{x}\"\n}";
        let literal_start = file.find("\"\\\"").unwrap();
        let mapped = span_in_json_string(file, literal_start, Span::new(7, 8)).unwrap();
        assert_eq!(file.get(mapped.start..mapped.end), Some("x"));
        assert_eq!((mapped.line, mapped.column), (2, 22));
    }

    #[test]
    fn maps_verbatim_text_and_refuses_bad_starts() {
        let file = "x: concat(a)\n";
        let mapped = span_in_verbatim(file, 3, Span::new(7, 8)).unwrap();
        assert_eq!((mapped.start, mapped.line, mapped.column), (10, 1, 11));
        assert_eq!(span_in_json_string(file, 0, Span::new(0, 1)), None);
    }
}
