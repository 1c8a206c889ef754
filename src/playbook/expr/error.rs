//! Typed expression errors and warnings. Every error carries a [`Span`] relative to the text it
//! was parsed from (the expression, or the whole JSON string value for templates), a closed
//! [`ErrorKind`] with a stable name and diagnostic code, a message worded like the Logic Apps
//! runtime's own, and optional help (a did-you-mean suggestion).

use std::fmt;

use super::ast::Span;
use crate::expr::{ParseError, ParseErrorKind};

/// What went wrong. Closed: match it exhaustively. Names and codes are stable (tests and
/// `--format json` output pin them) and never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    // Syntax (parse time).
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
    /// `@`, `@{}` or `@{  }`: no expression at all.
    EmptyExpression,
    /// `@{` without its closing `}`.
    UnterminatedInterpolation,
    // Static checks (parse time).
    /// A function name that is not part of the language.
    UnknownFunction,
    /// A real Logic Apps function this offline engine deliberately does not implement.
    UnsupportedFunction,
    /// Too few or too many arguments for the function.
    ArgumentCount,
    // Evaluation.
    /// An argument of the wrong type (`length(null)`, `add('1', 2)`).
    ArgumentType,
    /// An argument of the right type with an unusable value (bad timestamp, `int('1.5')`).
    InvalidArgument,
    /// Property selection or indexing on null without `?`.
    NullAccess,
    /// A missing property selected without `?`.
    MissingProperty,
    /// Selection that the value's type does not support (`'abc'['x']`, `[1]['x']`).
    InvalidAccess,
    /// An array index outside the array, without `?`.
    IndexOutOfRange,
    /// `div` or `mod` by zero.
    DivisionByZero,
    /// Integer arithmetic or a date outside its range.
    Overflow,
    /// `body('X')`, `outputs('X')`, `actions('X')`, `result('X')` for an action that does not
    /// exist or has not run.
    UnknownAction,
    /// `variables('x')` for a variable that is not initialized.
    UnknownVariable,
    /// `parameters('x')` for a parameter the workflow does not declare.
    UnknownParameter,
    /// `item()` outside a loop, or `items('X')` / `iterationIndexes('X')` outside loop `X`.
    NotInLoop,
    /// `trigger()`, `triggerBody()`, `triggerOutputs()` without a trigger.
    NoTrigger,
    // Budgets.
    /// The evaluation step budget is spent.
    StepLimit,
    /// Expression or value nesting deeper than the depth budget.
    DepthLimit,
    /// A string or value larger than the size budget.
    SizeLimit,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 26] = [
        ErrorKind::InvalidCharacter,
        ErrorKind::UnterminatedString,
        ErrorKind::InvalidNumber,
        ErrorKind::UnexpectedToken,
        ErrorKind::UnexpectedEnd,
        ErrorKind::EmptyExpression,
        ErrorKind::UnterminatedInterpolation,
        ErrorKind::UnknownFunction,
        ErrorKind::UnsupportedFunction,
        ErrorKind::ArgumentCount,
        ErrorKind::ArgumentType,
        ErrorKind::InvalidArgument,
        ErrorKind::NullAccess,
        ErrorKind::MissingProperty,
        ErrorKind::InvalidAccess,
        ErrorKind::IndexOutOfRange,
        ErrorKind::DivisionByZero,
        ErrorKind::Overflow,
        ErrorKind::UnknownAction,
        ErrorKind::UnknownVariable,
        ErrorKind::UnknownParameter,
        ErrorKind::NotInLoop,
        ErrorKind::NoTrigger,
        ErrorKind::StepLimit,
        ErrorKind::DepthLimit,
        ErrorKind::SizeLimit,
    ];

    /// The snake_case name used in test case files and JSON output.
    pub fn name(self) -> &'static str {
        self.info().0
    }

    /// The stable diagnostic code (`SX` = sentinel-soar expression).
    pub fn code(self) -> &'static str {
        self.info().1
    }

    /// The kind in words (`unexpected end`), as the caret of a diagnostic labels it: the
    /// diagnostic's own code is the registry's (PB011).
    pub fn label(self) -> String {
        self.name().replace('_', " ")
    }

    /// True for errors found while parsing (syntax and static checks), before any evaluation.
    pub fn is_static(self) -> bool {
        self <= ErrorKind::ArgumentCount
    }

    /// True for the three budget kinds.
    pub fn is_budget(self) -> bool {
        matches!(self, ErrorKind::StepLimit | ErrorKind::DepthLimit | ErrorKind::SizeLimit)
    }

    /// Parses a [`ErrorKind::name`].
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.name() == name)
    }

    fn info(self) -> (&'static str, &'static str) {
        match self {
            ErrorKind::InvalidCharacter => ("invalid_character", "SX001"),
            ErrorKind::UnterminatedString => ("unterminated_string", "SX002"),
            ErrorKind::InvalidNumber => ("invalid_number", "SX003"),
            ErrorKind::UnexpectedToken => ("unexpected_token", "SX004"),
            ErrorKind::UnexpectedEnd => ("unexpected_end", "SX005"),
            ErrorKind::EmptyExpression => ("empty_expression", "SX006"),
            ErrorKind::UnterminatedInterpolation => ("unterminated_interpolation", "SX007"),
            ErrorKind::UnknownFunction => ("unknown_function", "SX010"),
            ErrorKind::UnsupportedFunction => ("unsupported_function", "SX011"),
            ErrorKind::ArgumentCount => ("argument_count", "SX012"),
            ErrorKind::ArgumentType => ("argument_type", "SX020"),
            ErrorKind::InvalidArgument => ("invalid_argument", "SX021"),
            ErrorKind::NullAccess => ("null_access", "SX022"),
            ErrorKind::MissingProperty => ("missing_property", "SX023"),
            ErrorKind::InvalidAccess => ("invalid_access", "SX024"),
            ErrorKind::IndexOutOfRange => ("index_out_of_range", "SX025"),
            ErrorKind::DivisionByZero => ("division_by_zero", "SX026"),
            ErrorKind::Overflow => ("overflow", "SX027"),
            ErrorKind::UnknownAction => ("unknown_action", "SX030"),
            ErrorKind::UnknownVariable => ("unknown_variable", "SX031"),
            ErrorKind::UnknownParameter => ("unknown_parameter", "SX032"),
            ErrorKind::NotInLoop => ("not_in_loop", "SX033"),
            ErrorKind::NoTrigger => ("no_trigger", "SX034"),
            ErrorKind::StepLimit => ("step_limit", "SX040"),
            ErrorKind::DepthLimit => ("depth_limit", "SX041"),
            ErrorKind::SizeLimit => ("size_limit", "SX042"),
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An expression error: what, where (relative to the parsed text), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub kind: ErrorKind,
    pub span: Span,
    pub message: String,
    /// A suggestion, e.g. "did you mean `concat`?".
    pub help: Option<String>,
}

impl ExprError {
    pub fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> Self {
        ExprError { kind, span, message: message.into(), help: None }
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

impl From<ParseErrorKind> for ErrorKind {
    fn from(kind: ParseErrorKind) -> ErrorKind {
        match kind {
            ParseErrorKind::InvalidCharacter => ErrorKind::InvalidCharacter,
            ParseErrorKind::UnterminatedString => ErrorKind::UnterminatedString,
            ParseErrorKind::InvalidNumber => ErrorKind::InvalidNumber,
            ParseErrorKind::UnexpectedToken => ErrorKind::UnexpectedToken,
            ParseErrorKind::UnexpectedEnd => ErrorKind::UnexpectedEnd,
            ParseErrorKind::EmptyExpression => ErrorKind::EmptyExpression,
            ParseErrorKind::DepthLimit => ErrorKind::DepthLimit,
            ParseErrorKind::UnknownFunction => ErrorKind::UnknownFunction,
            ParseErrorKind::UnsupportedFunction => ErrorKind::UnsupportedFunction,
            ParseErrorKind::ArgumentCount => ErrorKind::ArgumentCount,
        }
    }
}

/// A front-end error as a WDL error: same span, message and help.
impl From<ParseError> for ExprError {
    fn from(e: ParseError) -> ExprError {
        ExprError { kind: e.kind.into(), span: e.span, message: e.message, help: e.help }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}..{}: {}", self.kind.code(), self.span.start, self.span.end, self.message)
    }
}

impl std::error::Error for ExprError {}

/// Something that evaluated but deserves a note in the run log: a name that matched only
/// ignoring case (Logic Apps accepts it; the reference asks to warn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    pub span: Span,
    /// As written in the expression.
    pub written: String,
    /// As declared (action, loop, variable, parameter) or present (property).
    pub found: String,
}

/// What a [`Warning`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningKind {
    ActionNameCase,
    LoopNameCase,
    VariableNameCase,
    ParameterNameCase,
    PropertyNameCase,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            WarningKind::ActionNameCase => "action",
            WarningKind::LoopNameCase => "loop",
            WarningKind::VariableNameCase => "variable",
            WarningKind::ParameterNameCase => "parameter",
            WarningKind::PropertyNameCase => "property",
        };
        write!(f, "{what} '{}' matched '{}' only ignoring case", self.written, self.found)
    }
}
