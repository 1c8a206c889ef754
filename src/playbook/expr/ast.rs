//! The expression tree the parser builds and the evaluator walks. Every node carries the byte
//! [`Span`] of its text, relative to the text it was parsed from. Function names are resolved
//! to the closed [`Function`] enum at parse time, so an unknown function is a parse error.

use serde_json::Value;

use super::functions::Function;

/// A byte range `start..end` in the parsed text. Empty spans (`start == end`) point between
/// two characters, e.g. at the end of the text for "unexpected end".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Moved right by `offset` bytes.
    pub fn shifted(self, offset: usize) -> Span {
        Span { start: self.start.saturating_add(offset), end: self.end.saturating_add(offset) }
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// The node kinds. WDL has no operators: everything is a literal, a call, or a selection.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `null`, `true`, `false`, an integer, a float or a `'string'`, as its JSON value.
    Literal(Value),
    /// `name(args...)`.
    Call(Call),
    /// `target.name`, `target?.name`, `target[key]`, `target?[key]`.
    Access(Access),
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub function: Function,
    /// The name as written (function names are case-insensitive).
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Expr>,
}

/// A property selection or index.
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub target: Box<Expr>,
    pub key: Key,
    /// Written with `?`: a null target, a missing property or an index past the end gives null
    /// instead of an error.
    pub null_safe: bool,
}

/// What an [`Access`] selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// `.name`: a property name.
    Name(String, Span),
    /// `[expr]`: a property name (string) or an array index (integer), computed.
    Index(Box<Expr>),
}

impl Expr {
    /// Nesting depth of the tree (a literal is 1).
    pub fn depth(&self) -> usize {
        match &self.kind {
            ExprKind::Literal(_) => 1,
            ExprKind::Call(call) => 1 + call.args.iter().map(Expr::depth).max().unwrap_or(0),
            ExprKind::Access(access) => {
                let key = match &access.key {
                    Key::Name(..) => 0,
                    Key::Index(e) => e.depth(),
                };
                1 + access.target.depth().max(key)
            }
        }
    }

    /// Moves every span in the tree right by `offset` bytes (an expression parsed out of a
    /// larger text, such as the `@{...}` parts of a template).
    pub fn shift_spans(&mut self, offset: usize) {
        self.span = self.span.shifted(offset);
        match &mut self.kind {
            ExprKind::Literal(_) => {}
            ExprKind::Call(call) => {
                call.name_span = call.name_span.shifted(offset);
                call.args.iter_mut().for_each(|arg| arg.shift_spans(offset));
            }
            ExprKind::Access(access) => {
                access.target.shift_spans(offset);
                match &mut access.key {
                    Key::Name(_, span) => *span = span.shifted(offset),
                    Key::Index(index) => index.shift_spans(offset),
                }
            }
        }
    }
}
