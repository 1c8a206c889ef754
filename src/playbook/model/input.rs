//! Compiled inputs: a JSON value whose strings are WDL templates ([`ValueTemplate`]), plus
//! where each string came from in the source file ([`Anchor`]), so that an expression error
//! found when compiling or when running maps to `file:line:column`.
//!
//! Spans of expression errors are relative to the decoded string value; [`Source::locate`]
//! turns them into file positions: through JSON escapes for double-quoted strings
//! ([`span_in_json_string`]), verbatim for YAML plain and single-quoted scalars.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use crate::playbook::expr::{self, span_in_json_string, span_in_verbatim, ValueTemplate};
use crate::syntax::Span;

/// A source file, shared by everything compiled from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: String,
    pub text: Arc<str>,
}

/// Where a string value starts in the source, and how it is quoted there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    /// Byte offset of the scalar (its opening quote when quoted).
    pub offset: usize,
    /// Span of the whole scalar, the fallback position.
    pub span: Span,
}

impl Source {
    pub fn new(path: &str, text: &str) -> Source {
        Source { path: path.to_owned(), text: Arc::from(text) }
    }

    /// The file position of `span` (relative to the decoded string anchored at `anchor`).
    pub fn locate(&self, anchor: Anchor, span: expr::Span) -> Span {
        let text = &*self.text;
        let located = match text.as_bytes().get(anchor.offset) {
            Some(b'"') => span_in_json_string(text, anchor.offset, span),
            Some(b'\'') => span_in_verbatim(text, anchor.offset + 1, span),
            Some(b'|' | b'>') => None,
            Some(_) => span_in_verbatim(text, anchor.offset, span),
            None => None,
        };
        located.unwrap_or(anchor.span)
    }

    /// `path:line:column` of a span.
    pub fn position(&self, span: Span) -> String {
        format!("{}:{}:{}", self.path, span.line, span.column)
    }
}

/// A compiled input value: the template and the anchors of its strings by JSON pointer
/// (relative to this value; `""` is the value itself).
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub template: ValueTemplate,
    pub anchors: BTreeMap<String, Anchor>,
}

impl Input {
    /// A literal value (nothing to evaluate, no anchors).
    pub fn literal(value: Value) -> Input {
        Input { template: ValueTemplate::Literal(value), anchors: BTreeMap::new() }
    }

    /// True when nothing needs evaluating.
    pub fn is_literal(&self) -> bool {
        self.template.is_literal()
    }

    /// The value when it is literal.
    pub fn as_literal(&self) -> Option<&Value> {
        match &self.template {
            ValueTemplate::Literal(v) => Some(v),
            _ => None,
        }
    }

    /// The anchor of the string at `pointer`, or the nearest enclosing one.
    pub fn anchor(&self, pointer: &str) -> Option<Anchor> {
        let mut p = pointer;
        loop {
            if let Some(a) = self.anchors.get(p) {
                return Some(*a);
            }
            match p.rfind('/') {
                Some(i) => p = p.get(..i).unwrap_or_default(),
                None => return self.anchors.get("").copied(),
            }
        }
    }
}
