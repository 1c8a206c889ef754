//! The one expression front end shared by ARM template expressions (`"[concat(...)]"`, see
//! [`crate::arm`]) and the Workflow Definition Language of Logic Apps (`"@{...}"`, see
//! [`crate::playbook::expr`]): they are one grammar family. Text -> tokens ([`lexer`]) ->
//! an unresolved tree ([`parser`], [`ast`]) -> a tree whose calls hold the dialect's function
//! ([`resolve`], against the dialect's [`FunctionTable`]). Errors are [`ParseError`]s whose
//! [`Span`] is relative to the parsed text; [`location`] maps such spans to file positions.
//!
//! How a string value holds an expression is the dialect's business: ARM's `[...]` with `[[`
//! for a literal bracket, WDL's `@expr`, `@{expr}` and `@@`. So is evaluation.
//!
//! Stage: pure library, below both dialects (it imports neither); no I/O, no printing.
//!
//! # GRAMMAR
//! ```text
//! expression  := postfix
//! postfix     := primary selector*
//! selector    := "." NAME | "?" "." NAME      property (dot form)
//!              | "[" expression "]"           property (string) or index (integer)
//!              | "?" "[" expression "]"       null-safe: null instead of an error
//! primary     := INTEGER | FLOAT | STRING
//!              | "null" | "true" | "false"    keywords, any case
//!              | NAME "(" [ expression ( "," expression )* ] ")"
//!                                             function call, name in any case
//! NAME        := [A-Za-z_$] [A-Za-z0-9_$]*
//! STRING      := "'" ( any character but "'" | "''" )* "'"
//!                                             no other escapes; "\" is a backslash
//! INTEGER     := "-"? DIGIT+                  64-bit
//! FLOAT       := "-"? ( DIGIT+ "." DIGIT+ | "." DIGIT+ | DIGIT+ ) ( [eE] [+-]? DIGIT+ )?
//! ```
//! Whitespace (including newlines) may separate tokens. There are no operators, no array or
//! object literals, and no double-quoted strings. The grammar is WDL's, and ARM text is read
//! with it too: ARM's `true()` and `false()` are calls like any other, and the keywords,
//! floats and `?` selections, which ARM templates do not write, are simply accepted there.

pub mod ast;
pub mod error;
pub mod lexer;
pub mod location;
pub mod parser;
pub mod resolve;
pub mod span;

pub use ast::{Access, Call, Expr, ExprKind, Key, Unresolved};
pub use error::{ParseError, ParseErrorKind};
pub use location::{span_in_json_string, span_in_verbatim};
pub use parser::parse;
pub use resolve::FunctionTable;
pub use span::Span;
