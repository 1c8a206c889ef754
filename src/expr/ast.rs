//! The expression tree (front end, the parser's output and the evaluators' input). Every node
//! carries the byte [`Span`] of its text, relative to the text it was parsed from. A call
//! holds the name as written and a `function` of type `F`: [`Unresolved`] straight from the
//! parser, the dialect's closed function enum after [resolution](super::resolve).

use std::fmt;

use serde_json::Value;

use super::span::Span;

/// The function of a call the parser has read but no table has resolved yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Unresolved;

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr<F = Unresolved> {
    pub kind: ExprKind<F>,
    pub span: Span,
}

/// The node kinds. There are no operators: everything is a literal, a call, or a selection.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind<F = Unresolved> {
    /// `null`, `true`, `false`, an integer, a float or a `'string'`, as its JSON value.
    Literal(Value),
    /// `name(args...)`.
    Call(Call<F>),
    /// `target.name`, `target?.name`, `target[key]`, `target?[key]`.
    Access(Access<F>),
}

/// A function call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call<F = Unresolved> {
    pub function: F,
    /// The name as written (function names are case-insensitive).
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Expr<F>>,
}

/// A property selection or index.
#[derive(Debug, Clone, PartialEq)]
pub struct Access<F = Unresolved> {
    pub target: Box<Expr<F>>,
    pub key: Key<F>,
    /// Written with `?`: a null target, a missing property or an index past the end gives null
    /// instead of an error.
    pub null_safe: bool,
}

/// What an [`Access`] selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Key<F = Unresolved> {
    /// `.name`: a property name.
    Name(String, Span),
    /// `[expr]`: a property name (string) or an array index (integer), computed.
    Index(Box<Expr<F>>),
}

impl<F> Expr<F> {
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
    /// larger text, such as the `@{...}` parts of a WDL template or the inside of ARM's `[...]`).
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

/// The expression in canonical form: strings single-quoted (`''` for a quote), one space after
/// each comma, names as written. Parsing the output gives the same tree (spans aside).
impl<F> fmt::Display for Expr<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(Value::String(s)) => write!(f, "'{}'", s.replace('\'', "''")),
            ExprKind::Literal(value) => write!(f, "{value}"),
            ExprKind::Call(call) => {
                write!(f, "{}(", call.name)?;
                for (i, arg) in call.args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(")")
            }
            ExprKind::Access(access) => {
                write!(f, "{}", access.target)?;
                if access.null_safe {
                    f.write_str("?")?;
                }
                match &access.key {
                    Key::Name(name, _) => write!(f, ".{name}"),
                    Key::Index(index) => write!(f, "[{index}]"),
                }
            }
        }
    }
}
