//! The one decoder every file kind is read through: it walks the spanned tree and reports the
//! structural problems every format shares (a key the place does not take, with did-you-mean; a
//! missing key; a value of the wrong type; a value outside its enum; a file that does not
//! parse) with the codes of the file kind's family ([`Codes`]) and the key comparison of its
//! format ([`Format`]). File kinds add their own checks on top (rule conditions, test
//! expectations, playbook steps).

use crate::diagnostic::Code;
use crate::diagnostic::{did_you_mean, Diagnostic};

use super::{json, yaml, Case, Key, Node, NodeKind, Span, SyntaxError, SyntaxErrorKind};

/// The codes a family reports its structural problems with (SR for rule files, SJ for Sentinel
/// JSON, ST for rule tests, PB for playbooks, mocks and settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codes {
    /// The file does not parse.
    pub syntax: Code,
    /// A mapping repeats a key.
    pub duplicate_key: Code,
    /// A key the place does not take; `None`: unknown keys are passed over (Sentinel's JSON, so
    /// that newer API versions still load).
    pub unknown_key: Option<Code>,
    pub missing_key: Code,
    pub wrong_type: Code,
    /// A value outside its enum.
    pub invalid_value: Code,
}

impl Codes {
    /// One code for every problem (a file kind with a single code, as mocks and settings have).
    pub const fn all(code: Code) -> Codes {
        Codes {
            syntax: code,
            duplicate_key: code,
            unknown_key: Some(code),
            missing_key: code,
            wrong_type: code,
            invalid_value: code,
        }
    }
}

/// A file format as the decoder reads it: its family's codes and how its keys compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub codes: Codes,
    pub case: Case,
}

/// A string from the file and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// The entries of a mapping whose unknown keys were reported: only the known ones are kept, so
/// a misspelt key's value is never used.
#[derive(Debug, Clone)]
pub struct Fields<'n> {
    /// Where the mapping starts (its first key).
    pub span: Span,
    entries: Vec<(&'n Key, &'n Node)>,
    /// Keys suggested for misspelt keys: their absence is not reported again.
    suggested: Vec<String>,
    case: Case,
}

impl<'n> Fields<'n> {
    /// The known entries, in source order.
    pub fn entries(&self) -> &[(&'n Key, &'n Node)] {
        &self.entries
    }

    /// The entry of the known key `key`.
    pub fn entry(&self, key: &str) -> Option<(&'n Key, &'n Node)> {
        self.entries.iter().find(|(k, _)| self.case.matches(&k.name, key)).copied()
    }

    /// The value of the known key `key`.
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The known entries as a mapping node at `span` (for decoders that hand a checked mapping
    /// on).
    pub fn to_node(&self, span: Span) -> Node {
        let entries = self.entries.iter().map(|(k, v)| ((*k).clone(), (*v).clone())).collect();
        Node { kind: NodeKind::Map(entries), span }
    }

    /// True when a misspelt key was reported with `key` as its suggestion.
    pub fn suggested(&self, key: &str) -> bool {
        self.suggested.iter().any(|s| s == key)
    }
}

/// Decoding state of one file: where diagnostics go, the source for scalar text, the format.
pub struct Decoder<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub diags: &'a mut Vec<Diagnostic>,
    pub format: Format,
}

impl<'a> Decoder<'a> {
    pub fn new(path: &'a str, source: &'a str, format: Format, diags: &'a mut Vec<Diagnostic>) -> Self {
        Decoder { path, source, diags, format }
    }

    /// The family's codes.
    pub fn codes(&self) -> Codes {
        self.format.codes
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// An error at `span`.
    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, self.path, Some(span), message));
    }

    /// The diagnostic for a file that does not parse: the family's syntax code, or its
    /// duplicate-key code for a repeated key; the error's plain-words hint as help.
    pub fn syntax_error(&self, err: &SyntaxError) -> Diagnostic {
        let code = match err.kind {
            SyntaxErrorKind::DuplicateKey => self.format.codes.duplicate_key,
            SyntaxErrorKind::Yaml | SyntaxErrorKind::Json => self.format.codes.syntax,
        };
        let d = Diagnostic::error(code, self.path, err.span, err.describe());
        match &err.help {
            Some(help) => d.with_help(help.as_str()),
            None => d,
        }
    }

    /// Parses the source as YAML; a syntax error is reported.
    pub fn parse_yaml(&mut self) -> Option<Node> {
        match yaml::parse(self.source) {
            Ok(node) => Some(node),
            Err(e) => {
                let d = self.syntax_error(&e);
                self.diags.push(d);
                None
            }
        }
    }

    /// Parses the source as JSON; a syntax error is reported, labelled "here".
    pub fn parse_json(&mut self) -> Option<Node> {
        match json::parse(self.source) {
            Ok(node) => Some(node),
            Err(e) => {
                let d = self.syntax_error(&e).with_label("here");
                self.diags.push(d);
                None
            }
        }
    }

    /// The value under `key` compared as the format compares keys, unknown keys not checked.
    pub fn get<'n>(&self, node: &'n Node, key: &str) -> Option<&'n Node> {
        node.get_with(key, self.format.case)
    }

    /// The entry of `key` compared as the format compares keys.
    pub fn entry<'n>(&self, node: &'n Node, key: &str) -> Option<(&'n Key, &'n Node)> {
        node.entry_with(key, self.format.case)
    }

    /// "expected X, found a list".
    pub fn wrong_type(&mut self, node: &Node, expected: &str) {
        let d = Diagnostic::error(
            self.format.codes.wrong_type,
            self.path,
            Some(node.span),
            format!("expected {expected}, found {}", node.describe()),
        )
        .with_label(format!("expected {expected}"));
        self.diags.push(d);
    }

    /// "missing `key` in what" at `span`.
    pub fn missing(&mut self, span: Span, key: &str, what: &str) {
        let d = Diagnostic::error(
            self.format.codes.missing_key,
            self.path,
            Some(span),
            format!("missing `{key}` in {what}"),
        )
        .with_label(format!("this {what} has no `{key}`"));
        self.diags.push(d);
    }

    /// Reports a missing key unless a misspelt key was already reported with it as suggestion.
    pub fn missing_in(&mut self, fields: &Fields<'_>, key: &str, what: &str) {
        if !fields.suggested(key) {
            self.missing(fields.span, key, what);
        }
    }

    /// The value of `key`, or a missing-key report ([`Decoder::missing_in`]).
    pub fn required<'n>(&mut self, fields: &Fields<'n>, key: &str, what: &str) -> Option<&'n Node> {
        let found = fields.get(key);
        if found.is_none() {
            self.missing_in(fields, key, what);
        }
        found
    }

    /// The entries of a mapping whose keys must be in `allowed`; every other key is reported
    /// (with a suggestion) and left out. `None` (reported) when the node is not a mapping.
    pub fn fields<'n>(&mut self, node: &'n Node, what: &str, allowed: &[&str]) -> Option<Fields<'n>> {
        let NodeKind::Map(entries) = &node.kind else {
            self.wrong_type(node, &format!("a mapping for {what}"));
            return None;
        };
        let case = self.format.case;
        let mut kept = Vec::with_capacity(entries.len());
        let mut suggested = Vec::new();
        for (key, value) in entries {
            if allowed.iter().any(|a| case.matches(&key.name, a)) {
                kept.push((key, value));
            } else if let Some(s) = self.unknown_key(key, what, allowed) {
                suggested.push(s.to_owned());
            }
        }
        Some(Fields { span: node.start(), entries: kept, suggested, case })
    }

    /// Reports `key` as one `what` does not take (when the family reports unknown keys); the
    /// suggestion made, if any.
    pub fn unknown_key<'k>(&mut self, key: &Key, what: &str, allowed: &[&'k str]) -> Option<&'k str> {
        let code = self.format.codes.unknown_key?;
        let suggestion = did_you_mean(&key.name, allowed.iter().copied());
        let help = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", allowed.join(", ")),
        };
        let message = format!("unknown key `{}` in {what}", key.name);
        self.diags.push(
            Diagnostic::error(code, self.path, Some(key.span), message).with_label("unknown key").with_help(help),
        );
        suggestion
    }

    /// A scalar as text (as written: `10`, `yes` stay as typed); lists, mappings and null are
    /// reported.
    pub fn text(&mut self, node: &Node, expected: &str) -> Option<Text> {
        let value = node.scalar_text(self.source);
        if value.is_none() {
            self.wrong_type(node, expected);
        }
        value.map(|value| Text { value, span: node.span })
    }

    /// A list of scalars; a single scalar counts as a one-item list.
    pub fn texts(&mut self, node: &Node, expected: &str) -> Vec<Text> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|n| self.text(n, expected)).collect(),
            _ => self.text(node, expected).into_iter().collect(),
        }
    }

    /// Reports a value that is not one of `allowed`, with a suggestion or the valid spellings.
    pub fn invalid_value(&mut self, text: &Text, what: &str, allowed: &[&str]) {
        let help = match did_you_mean(&text.value, allowed.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("expected one of: {}", allowed.join(", ")),
        };
        let message = format!("`{}` is not a valid {what}", text.value);
        self.diags.push(
            Diagnostic::error(self.format.codes.invalid_value, self.path, Some(text.span), message)
                .with_label(format!("unknown {what}"))
                .with_help(help),
        );
    }

    /// A scalar parsed as one of an enum's values, or reported with the valid spellings.
    pub fn enum_value<T>(
        &mut self,
        node: &Node,
        what: &str,
        parse: impl Fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Option<T> {
        let text = self.text(node, what)?;
        let parsed = parse(&text.value);
        if parsed.is_none() {
            self.invalid_value(&text, what, names);
        }
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: Codes = Codes {
        syntax: Code::SR001,
        duplicate_key: Code::SR002,
        unknown_key: Some(Code::SR003),
        missing_key: Code::SR004,
        wrong_type: Code::SR005,
        invalid_value: Code::SR011,
    };

    /// Decodes `{name, steps}` from `source` as a format with `case`; the name read and
    /// the diagnostics as `CODE line:col message (help)`.
    fn decode(source: &str, case: Case) -> (Option<String>, Vec<String>) {
        let mut diags = Vec::new();
        let mut d = Decoder::new("t", source, Format { codes: CODES, case }, &mut diags);
        let root = d.parse_yaml();
        let name = root.as_ref().and_then(|root| {
            let f = d.fields(root, "a thing", &["name", "steps"])?;
            let name = d.required(&f, "name", "thing").and_then(|n| d.text(n, "a name"));
            name.map(|t| t.value)
        });
        let shown = diags
            .iter()
            .map(|x| {
                let at = x.span.map_or(String::new(), |s| format!("{}:{}", s.line, s.column));
                format!("{} {at} {} ({})", x.code, x.message, x.help.as_deref().unwrap_or(""))
            })
            .collect();
        (name, shown)
    }

    #[test]
    fn an_exact_format_reports_a_wrong_case_key_once_and_does_not_use_it() {
        let (name, diags) = decode("Name: x\nsteps: []\n", Case::Exact);
        assert_eq!(name, None);
        assert_eq!(diags, ["SR003 1:1 unknown key `Name` in a thing (did you mean `name`?)"]);
    }

    #[test]
    fn a_format_that_ignores_case_reads_a_wrong_case_key() {
        let (name, diags) = decode("Name: x\nSTEPS: []\n", Case::IgnoreAscii);
        assert_eq!((name.as_deref(), diags), (Some("x"), Vec::<String>::new()));
    }

    #[test]
    fn missing_keys_unknown_keys_and_wrong_types_use_the_family_codes() {
        let (name, diags) = decode("stepz: []\n", Case::Exact);
        assert_eq!(name, None);
        assert_eq!(
            diags,
            [
                "SR003 1:1 unknown key `stepz` in a thing (did you mean `steps`?)",
                "SR004 1:1 missing `name` in thing ()",
            ]
        );
        let (_, diags) = decode("name: [1]\nfoo: 1\n", Case::Exact);
        assert_eq!(
            diags,
            [
                "SR003 2:1 unknown key `foo` in a thing (expected one of: name, steps)",
                "SR005 1:7 expected a name, found a list ()",
            ]
        );
        let (_, diags) = decode("- 1\n", Case::Exact);
        assert_eq!(diags, ["SR005 1:1 expected a mapping for a thing, found a list ()"]);
        let (_, diags) = decode("a: 1\na: 2\n", Case::Exact);
        assert_eq!(diags, ["SR002 2:1 duplicate key `a` ()"]);
        let (_, diags) = decode("a: [\n", Case::Exact);
        assert!(diags.first().is_some_and(|d| d.starts_with("SR001 ") && d.contains("invalid YAML: ")), "{diags:?}");
    }

    #[test]
    fn enum_values_are_checked_with_a_suggestion() {
        let mut diags = Vec::new();
        let mut d = Decoder::new("t", "Hihg", Format { codes: CODES, case: Case::Exact }, &mut diags);
        let node = d.parse_yaml().unwrap();
        let parse = |s: &str| ["High", "Low"].contains(&s).then_some(());
        assert_eq!(d.enum_value(&node, "severity", parse, &["High", "Low"]), None);
        let [x] = diags.as_slice() else { panic!("{diags:?}") };
        assert_eq!(
            (x.code, x.message.as_str(), x.label.as_deref(), x.help.as_deref()),
            (Code::SR011, "`Hihg` is not a valid severity", Some("unknown severity"), Some("did you mean `High`?"))
        );
    }
}
