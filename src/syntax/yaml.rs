//! YAML text -> the spanned tree ([`Node`]). serde-saphyr does the parsing (pure Rust, rejects
//! duplicate keys, budgets against alias bombs and deep nesting); everything after this works
//! on the spanned tree, so the backend can change without touching the decoders. A syntax
//! error whose parser message is cryptic carries a plain-words hint (`yaml_hint`).

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use super::{yaml_hint, Key, Node, NodeKind, Span, SyntaxError, SyntaxErrorKind};

fn span_of(loc: &Location, source: &str) -> Span {
    let line = usize::try_from(loc.line()).unwrap_or(0);
    let column = usize::try_from(loc.column()).unwrap_or(0);
    let s = loc.span();
    // Error locations carry no byte offset: find the line and column in the text instead.
    let start = s
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or_else(|| offset_of(source, line, column))
        .min(source.len());
    let len = s.byte_len().and_then(|o| usize::try_from(o).ok()).unwrap_or(0);
    let end = start.saturating_add(len).min(source.len());
    Span { start, end, line, column }
}

/// The byte offset of a 1-based line and character column (0 when out of range). Lines end
/// as YAML ends them: at LF, CR LF, or a lone CR; a byte order mark takes no column.
fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let mut line_start = if source.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    for _ in 1..line {
        let rest = source.get(line_start..).unwrap_or("");
        match rest.find(['\n', '\r']) {
            Some(i) if rest.get(i..).is_some_and(|r| r.starts_with("\r\n")) => line_start += i + 2,
            Some(i) => line_start += i + 1,
            None => return 0,
        }
    }
    let rest = source.get(line_start..).unwrap_or("");
    line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}

/// The parsed tree before spans are converted (serde-saphyr's own location type).
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(i64::try_from(v).map_or(Raw::Float(v as f64), Raw::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

fn convert(raw: Spanned<Raw>, source: &str) -> Node {
    let span = span_of(&raw.referenced, source);
    let kind = match raw.value {
        Raw::Null => NodeKind::Null,
        Raw::Bool(b) => NodeKind::Bool(b),
        Raw::Int(i) => NodeKind::Int(i),
        Raw::Float(f) => NodeKind::Float(f),
        Raw::Str(s) => NodeKind::Str(s),
        Raw::Seq(items) => NodeKind::Seq(items.into_iter().map(|i| convert(i, source)).collect()),
        Raw::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key { span: span_of(&k.referenced, source), name: k.value };
                    (key, convert(v, source))
                })
                .collect(),
        ),
    };
    Node { kind, span }
}

/// "duplicate key `k`" for a repeated mapping key (serde-saphyr's own message ends with advice
/// about its `DuplicateKeyPolicy` option, which means nothing to the user).
fn duplicate_key_message(err: &serde_saphyr::Error) -> Option<String> {
    let mut err = err;
    while let serde_saphyr::Error::AliasError { error, .. } | serde_saphyr::Error::WithSnippet { error, .. } = err {
        err = error;
    }
    let serde_saphyr::Error::DuplicateMappingKey { key, .. } = err else { return None };
    Some(key.as_ref().map_or_else(|| "duplicate key".to_owned(), |k| format!("duplicate key `{k}`")))
}

/// A plain message for a breached parser budget (serde-saphyr's own reads like
/// `budget breached: Nodes { nodes: 250001 } at line 1, column 16 (defined at ...)`).
fn budget_message(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    let mut err = err;
    while let serde_saphyr::Error::AliasError { error, .. } | serde_saphyr::Error::WithSnippet { error, .. } = err {
        err = error;
    }
    let serde_saphyr::Error::Budget { breach, .. } = err else { return None };
    let limits = serde_saphyr::Budget::default();
    Some(match breach {
        BudgetBreach::Nodes { .. } => format!(
            "more than {} YAML nodes once aliases are expanded: the file is too large, or an alias bomb",
            limits.max_nodes
        ),
        BudgetBreach::Events { .. } => format!("more than {} YAML events: the file is too large", limits.max_events),
        BudgetBreach::Depth { .. } => format!("nesting deeper than {} levels", limits.max_depth),
        BudgetBreach::Aliases { .. } => format!("more than {} aliases", limits.max_aliases),
        BudgetBreach::AliasAnchorRatio { .. } => {
            "far more aliases than anchors: an alias bomb is refused before it is expanded".to_owned()
        }
        BudgetBreach::Anchors { .. } => format!("more than {} anchors", limits.max_anchors),
        BudgetBreach::Documents { .. } => format!("more than {} YAML documents", limits.max_documents),
        BudgetBreach::ScalarBytes { .. } => {
            format!("more than {} MiB of text in scalars", limits.max_total_scalar_bytes >> 20)
        }
        other => format!("a YAML size limit was exceeded ({other:?})"),
    })
}

/// Parses one YAML document. An empty document is a `Null` node.
pub fn parse(source: &str) -> Result<Node, SyntaxError> {
    let text = source.strip_prefix('\u{feff}').unwrap_or(source);
    if text.trim().is_empty() {
        return Ok(Node { kind: NodeKind::Null, span: Span::FILE_START });
    }
    match serde_saphyr::from_str::<Spanned<Raw>>(source) {
        Ok(raw) => Ok(convert(raw, source)),
        Err(err) => {
            let span = err.location().map(|l| span_of(&l, source));
            if let Some(message) = duplicate_key_message(&err) {
                return Err(SyntaxError { message, span, kind: SyntaxErrorKind::DuplicateKey, help: None });
            }
            if let Some(message) = budget_message(&err) {
                return Err(SyntaxError { message, span, kind: SyntaxErrorKind::Yaml, help: None });
            }
            let message = plain_message(&err);
            let help = yaml_hint::hint(&message, source, span);
            Err(SyntaxError { message, span, kind: SyntaxErrorKind::Yaml, help })
        }
    }
}

/// serde-saphyr's message without what the renderer already shows: the "line N column M: "
/// prefix and a trailing " at line N, column M".
fn plain_message(err: &serde_saphyr::Error) -> String {
    let message = err.without_snippet().to_string();
    // serde-saphyr prefixes "line N column M: " which our renderer already shows.
    let message = match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_owned(),
        _ => message,
    };
    let message = message.trim_start_matches("error: ").to_owned();
    let message = match message.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_owned(),
        _ => message,
    };
    // Some messages end with " at line N, column M", which the span already says.
    match message.rsplit_once(" at line ") {
        Some((head, tail))
            if tail
                .split_once(", column ")
                .is_some_and(|(l, c)| l.parse::<u64>().is_ok() && c.trim().parse::<u64>().is_ok()) =>
        {
            head.to_owned()
        }
        _ => message,
    }
}

/// The keys at the top level of a YAML mapping (none for any other document), read once so a
/// file's kind is told from one parse. When the text does not parse, the lines that start with
/// `key:` stand in, so that a file with a YAML error is still told apart (a playbook's
/// duplicate key is reported by the playbook loader, not the rule loader).
pub fn top_keys(text: &str) -> Vec<String> {
    match parse(text) {
        Ok(root) => match root.kind {
            NodeKind::Map(entries) => entries.into_iter().map(|(k, _)| k.name).collect(),
            _ => Vec::new(),
        },
        Err(_) => scan_top_keys(text),
    }
}

/// The lines of `text` that start with `key:`, as the top-level keys of a YAML mapping that does
/// not parse, so that a file with a YAML error is still told apart without parsing it again.
pub fn scan_top_keys(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start_matches('\u{feff}');
            if line.starts_with(|c: char| c.is_whitespace() || c == '#' || c == '-') {
                return None;
            }
            let (key, _) = line.split_once(':')?;
            let key = key.trim_end();
            let unquoted = ['"', '\''].iter().find_map(|q| key.strip_prefix(*q)?.strip_suffix(*q));
            Some(unquoted.unwrap_or(key).to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_top_key(text: &str, key: &str) -> bool {
        top_keys(text).iter().any(|k| k == key)
    }

    #[test]
    fn keeps_spans_and_scalar_text() {
        let src = "a:\n  b: [10, yes, x]\n";
        let node = parse(src).unwrap();
        let NodeKind::Map(entries) = &node.kind else { panic!("map") };
        let (key, value) = &entries[0];
        assert_eq!((key.name.as_str(), key.span.line, key.span.column), ("a", 1, 1));
        let NodeKind::Map(inner) = &value.kind else { panic!("inner") };
        let NodeKind::Seq(items) = &inner[0].1.kind else { panic!("seq") };
        let texts: Vec<_> = items.iter().map(|n| n.scalar_text(src).unwrap()).collect();
        assert_eq!(texts, ["10", "yes", "x"]);
        assert_eq!((items[1].span.line, items[1].span.column), (2, 11));
    }

    #[test]
    fn duplicate_keys_are_errors_with_a_position() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.span.map(|s| (s.line, s.column)), Some((3, 1)));
        assert_eq!((err.message.as_str(), err.kind), ("duplicate key `a`", SyntaxErrorKind::DuplicateKey));
    }

    #[test]
    fn top_keys_are_found_in_text_that_does_not_parse() {
        assert!(has_top_key("name: x\nsteps:\n  - a: 1\n    a: 2\n", "steps"));
        assert!(has_top_key("\"steps\" : [\n", "steps"));
        assert!(!has_top_key("name: x\n  steps: [\n", "steps"));
        assert!(!has_top_key("name: x\nstepsx: [\n", "steps"));
        assert!(!has_top_key("a: {steps: 1}\n", "steps"));
    }

    #[test]
    fn syntax_errors_point_at_the_problem() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.span.map(|s| s.line), Some(2));
        // The byte offset agrees with the line and column, so snippets show the right line.
        let src = "# c\nname: \"é open\norder: 1\n";
        let err = parse(src).unwrap_err();
        assert_eq!(err.message, "unclosed quote");
        let span = err.span.unwrap();
        assert_eq!((span.line, span.column), (2, 7));
        assert_eq!(&src[span.start..], "\"é open\norder: 1\n");
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused_with_plain_messages() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
        }
        let err = parse(&bomb).unwrap_err();
        assert!(err.message.starts_with("more than 250000 YAML nodes once aliases are expanded"), "{}", err.message);
        assert!(err.span.is_some());
        // Parsing recurses once per level: 64 levels need more than a test thread's 2 MiB of
        // stack in a debug build, so this runs with the 8 MiB the CLI's main thread has.
        let err = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(|| parse(&format!("a: {}{}\n", "[".repeat(100), "]".repeat(100))))
            .unwrap()
            .join()
            .unwrap()
            .unwrap_err();
        assert_eq!(err.message, "nesting deeper than 64 levels");
        assert_eq!(err.span.map(|s| s.line), Some(1));
    }

    #[test]
    fn error_offsets_count_crlf_and_lone_cr_as_one_line_break() {
        for src in ["a: 1\r\nb: [\r\n", "a: 1\rb: [\r", "a: 1\nb: [\n"] {
            let err = parse(src).unwrap_err();
            let span = err.span.unwrap();
            assert!(span.line >= 2, "{src:?}: {span:?}");
            assert!(span.start >= 5, "{src:?}: the offset {} is on the first line", span.start);
        }
        let err = parse("\u{feff}a: [b").unwrap_err();
        let span = err.span.unwrap();
        assert_eq!((span.line, span.column, span.start), (1, 4, 6));
    }
}
