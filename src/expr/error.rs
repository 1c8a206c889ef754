//! What the front end reports: a [`ParseError`] with a closed [`ParseErrorKind`], the [`Span`]
//! it points at (relative to the parsed text), a message and optional help (a did-you-mean
//! suggestion). Syntax errors come from the [lexer](super::lexer) and [parser](super::parser);
//! unknown functions and argument counts from [resolution](super::resolve). Each dialect turns
//! them into its own error type (WDL's `ExprError`, ARM's `EvalError`) keeping the message.

use std::fmt;

use super::span::Span;

/// What is wrong with the text. Closed: match it exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParseErrorKind {
    /// A character that starts no token (`#`, `"`, `{`, ...).
    InvalidCharacter,
    /// A string literal without its closing `'`.
    UnterminatedString,
    /// A number that does not parse or does not fit a 64-bit integer.
    InvalidNumber,
    /// A token where another was expected (`concat('a' 'b')`).
    UnexpectedToken,
    /// The text ended in the middle of an expression.
    UnexpectedEnd,
    /// No expression at all.
    EmptyExpression,
    /// Nesting deeper than the parser's depth limit.
    DepthLimit,
    /// A function name that is not part of the dialect's function table.
    UnknownFunction,
    /// A real function of the language that this tool deliberately does not implement.
    UnsupportedFunction,
    /// Too few or too many arguments for the function.
    ArgumentCount,
}

impl ParseErrorKind {
    /// The snake_case name (the same as the WDL error kind of the same meaning).
    pub fn name(self) -> &'static str {
        match self {
            ParseErrorKind::InvalidCharacter => "invalid_character",
            ParseErrorKind::UnterminatedString => "unterminated_string",
            ParseErrorKind::InvalidNumber => "invalid_number",
            ParseErrorKind::UnexpectedToken => "unexpected_token",
            ParseErrorKind::UnexpectedEnd => "unexpected_end",
            ParseErrorKind::EmptyExpression => "empty_expression",
            ParseErrorKind::DepthLimit => "depth_limit",
            ParseErrorKind::UnknownFunction => "unknown_function",
            ParseErrorKind::UnsupportedFunction => "unsupported_function",
            ParseErrorKind::ArgumentCount => "argument_count",
        }
    }
}

/// A syntax or resolution error: what, where (relative to the parsed text), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub span: Span,
    pub message: String,
    /// A suggestion, e.g. "did you mean `concat`?".
    pub help: Option<String>,
}

impl ParseError {
    pub fn new(kind: ParseErrorKind, span: Span, message: impl Into<String>) -> Self {
        ParseError { kind, span, message: message.into(), help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same error with its span moved right by `offset` bytes (an expression parsed out of
    /// a larger text).
    pub fn shifted(mut self, offset: usize) -> Self {
        self.span = self.span.shifted(offset);
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}..{}: {}", self.kind.name(), self.span.start, self.span.end, self.message)
    }
}

impl std::error::Error for ParseError {}
