//! Plain-words help for YAML syntax errors whose parser message is cryptic ("did not find
//! expected key", "mapping values are not allowed in this context", "did not find expected '-'
//! indicator", "simple key expected ':'"). The hint is read from the message and the lines
//! around the error: a tab in the indentation, a `key value` line without its colon, a value
//! that holds `: ` unquoted, or else an indentation that does not line up. Every file kind that
//! reports a YAML syntax error shows it as the diagnostic's help.

use super::Span;

/// The hint for the tabs YAML refuses in indentation.
pub const TABS: &str = "YAML indentation uses spaces, not tabs";

/// The hint for a line indented out of step with its neighbours.
pub const INDENTATION: &str = "check the indentation of this line against the one above";

/// A hint for the YAML syntax error `message` at `span` of `source`, when one reads better
/// than the parser's words.
pub fn hint(message: &str, source: &str, span: Option<Span>) -> Option<String> {
    let line_no = span?.line;
    let lines: Vec<&str> = source.lines().collect();
    let line = *lines.get(line_no.checked_sub(1)?)?;
    if indentation(line).contains('\t') {
        return Some(TABS.to_owned());
    }
    // The parser may stop on the line before the tab ("while scanning a plain scalar, found a
    // tab"): name the line that has it.
    if message.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == "tab" || w == "tabs") {
        let tab_line = lines.iter().skip(line_no).position(|l| indentation(l).contains('\t'));
        return Some(match tab_line {
            Some(i) => format!("{TABS} (line {})", line_no + 1 + i),
            None => TABS.to_owned(),
        });
    }
    if message.contains("expected ':'") {
        return missing_colon(line).map(|fixed| format!("a key needs a colon: `{fixed}`"));
    }
    let cryptic = ["did not find expected key", "mapping values are not allowed", "did not find expected '-'"];
    if !cryptic.iter().any(|c| message.contains(c)) {
        return None;
    }
    // `- name A` above `order: 1`: the parser trips on the line after the one missing a colon,
    // when that line's key lines up with this one (a plain text's continuation line does not).
    let above = lines.get(..line_no - 1).and_then(|before| {
        before.iter().enumerate().rev().find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    });
    if let Some((i, above)) = above.filter(|(_, l)| key_column(l) == indentation(line).len()) {
        if let Some(fixed) = missing_colon(above) {
            return Some(format!("a key needs a colon: `{fixed}` (line {})", i + 1));
        }
    }
    if message.contains("mapping values") {
        if let Some(quoted) = span.and_then(|s| unquoted_colon(line, s.column)) {
            return Some(format!("a value that holds `: ` needs quotes: `{quoted}`"));
        }
    }
    Some(INDENTATION.to_owned())
}

/// The leading blanks of a line.
fn indentation(line: &str) -> &str {
    let content = line.trim_start_matches([' ', '\t']);
    line.get(..line.len() - content.len()).unwrap_or("")
}

/// Where a line's key starts (0-based): after the indentation and a `- ` item marker.
fn key_column(line: &str) -> usize {
    let indent = indentation(line).len();
    let rest = line.get(indent..).unwrap_or("");
    match rest.strip_prefix('-').filter(|r| r.starts_with(' ')) {
        Some(item) => indent + 1 + item.len() - item.trim_start().len(),
        None => indent,
    }
}

/// `key: value` for a line written `key value` (after an optional `- `): a key-like word, a
/// space, a value, and no colon anywhere.
fn missing_colon(line: &str) -> Option<String> {
    let content = line.trim();
    let content = content.strip_prefix("- ").map_or(content, str::trim_start);
    if content.contains(':') || content.starts_with('#') {
        return None;
    }
    let (key, value) = content.split_once(' ')?;
    let value = value.trim();
    let key_like = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    (key_like && !value.is_empty() && !value.starts_with('#')).then(|| format!("{key}: {value}"))
}

/// `key: "a: b"` for a line `key: a: b` whose second `: ` is at the 1-based character `column`.
fn unquoted_colon(line: &str, column: usize) -> Option<String> {
    let at = line.char_indices().nth(column.checked_sub(1)?).map(|(i, _)| i)?;
    let (key, value) = line.trim_start().trim_start_matches("- ").split_once(": ")?;
    let first = line.find(": ")?;
    if first >= at || value.starts_with(['"', '\'']) {
        return None;
    }
    Some(format!("{key}: \"{}\"", value.trim_end().replace('"', "\\\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Option<Span> {
        Some(Span { start: 0, end: 0, line, column })
    }

    #[test]
    fn tabs_in_the_indentation() {
        let src = "a:\n\t- b\n";
        assert_eq!(hint("tabs disallowed within this context", src, at(2, 2)).as_deref(), Some(TABS));
        assert_eq!(hint("did not find expected key", src, at(2, 2)).as_deref(), Some(TABS));
        let src = "a:\n  - b\n\t- c\n";
        assert_eq!(
            hint("while scanning a plain scalar, found a tab", src, at(2, 5)).as_deref(),
            Some("YAML indentation uses spaces, not tabs (line 3)")
        );
    }

    #[test]
    fn a_key_without_its_colon() {
        let src = "rules:\n  - name: A\n    order 1\n";
        assert_eq!(hint("simple key expected ':'", src, at(3, 5)).as_deref(), Some("a key needs a colon: `order: 1`"));
        // On the line before the error, named by its number.
        let src = "rules:\n  - name A\n    order: 1\n";
        assert_eq!(
            hint("mapping values are not allowed in this context", src, at(3, 10)).as_deref(),
            Some("a key needs a colon: `name: A` (line 2)")
        );
    }

    #[test]
    fn a_value_holding_a_colon() {
        let src = "description: a: b\n";
        assert_eq!(
            hint("mapping values are not allowed in this context", src, at(1, 15)).as_deref(),
            Some("a value that holds `: ` needs quotes: `description: \"a: b\"`")
        );
    }

    #[test]
    fn indentation_otherwise_and_nothing_for_plain_messages() {
        let src = "rules:\n  - name: A\n      order: 1\n";
        assert_eq!(
            hint("mapping values are not allowed in this context", src, at(3, 12)).as_deref(),
            Some(INDENTATION)
        );
        let src = "a:\n  - x\n - y\n";
        assert_eq!(hint("did not find expected key", src, at(3, 2)).as_deref(), Some(INDENTATION));
        assert_eq!(hint("unclosed quote", "a: \"b\n", at(1, 4)), None);
        assert_eq!(hint("did not find expected key", "a: b\n", None), None);
        // A plain text's continuation line above is not a key missing its colon.
        let src = "description: this is\n  a long text\n bad: 1\n";
        assert_eq!(hint("did not find expected key", src, at(3, 2)).as_deref(), Some(INDENTATION));
    }
}
