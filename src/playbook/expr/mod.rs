//! The Workflow Definition Language (WDL): the expression language of Logic Apps, and so of
//! Sentinel playbooks. Self-contained: text -> [`Expr`] ([`lexer`], [`parser`], [`ast`]),
//! evaluation against a [`Context`] ([`eval`], [`access`], [`functions`]) inside a sandbox
//! ([`budget`]), JSON string values as templates ([`template`], [`render`]), and error spans
//! mapped back to files ([`location`]).
//!
//! Stage: pure library. No I/O, no printing, no wall clock, no randomness: the context is
//! the only way in, and [`MemoryContext`] is a complete in-memory one for tests.
//!
//! # Use
//! ```
//! use sentinel_soar::playbook::expr::{parse, Evaluator, MemoryContext, Template};
//! use serde_json::json;
//!
//! let now = "2024-05-01T12:00:00Z".parse().unwrap();
//! let ctx = MemoryContext::new(now).with_trigger_body(json!({"object": {"properties": {"severity": "High"}}}));
//! let mut evaluator = Evaluator::default();
//! let expr = parse("toLower(triggerBody()?['object']?['properties']?['severity'])").unwrap();
//! assert_eq!(evaluator.evaluate(&expr, &ctx).unwrap(), json!("high"));
//! let template = Template::parse("Severity: @{triggerBody()?['object']?['properties']?['severity']}").unwrap();
//! assert_eq!(template.evaluate(&mut evaluator, &ctx).unwrap(), json!("Severity: High"));
//! ```
//!
//! # GRAMMAR
//! ```text
//! template    := "@" expression               whole value; the result keeps its type
//!              | ( TEXT | "@{" expression "}" | "@@{" )*
//!                                             a string; "@@" first = literal "@"
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
//! object literals, and no double-quoted strings, as in Logic Apps.
//!
//! # Semantics in brief
//! - Function names are case-insensitive and resolved at parse time; so are the names of
//!   actions, loops, variables and parameters at run time (a case mismatch is a
//!   [`Warning`]). Object properties match exactly first, then ignoring case (warned).
//! - `?` makes one selection forgiving: missing property, null target or index past the end
//!   give null. Without it they are errors ([`ErrorKind::MissingProperty`],
//!   [`ErrorKind::NullAccess`], [`ErrorKind::IndexOutOfRange`]).
//! - `if`, `and`, `or` and `coalesce` evaluate their arguments lazily, left to right; every
//!   other function evaluates all of them first, left to right.
//! - Each function's file documents its exact behaviour and where it follows the Logic Apps
//!   function reference or deliberately differs (`convertTimeZone` is UTC-only; character
//!   positions count Unicode scalar values, not UTF-16 units).
//! - Left out: XML (`xml`, `xpath`), binary and form-data content, `formatNumber`, `rand`
//!   (non-deterministic), `action()`, and the newer `nthIndexOf`, `parseDateTime`,
//!   `dateDifference`, `chunk`, `sort`: see [`UNSUPPORTED`]. They fail at parse time with
//!   [`ErrorKind::UnsupportedFunction`].

pub mod access;
pub mod ast;
pub mod budget;
pub mod context;
pub mod error;
pub mod eval;
pub mod functions;
pub mod guid;
pub mod lexer;
pub mod location;
pub mod memory;
pub mod parser;
pub mod render;
pub mod template;
pub mod value;

pub use ast::{Expr, ExprKind, Span};
pub use budget::{Limits, Meter};
pub use context::{find_named, Context, Named, FAKE_CALLBACK_URL};
pub use error::{ErrorKind, ExprError, Warning, WarningKind};
pub use eval::Evaluator;
pub use functions::{call_values, Function, UNSUPPORTED};
pub use guid::{format_guid, GuidSource};
pub use location::{span_in_json_string, span_in_verbatim};
pub use memory::MemoryContext;
pub use parser::{parse, parse_with};
pub use render::{compile_value, evaluate_value, ValueError, ValueTemplate};
pub use template::{Part, Template};

/// Parses and evaluates one expression (no leading `@`) with a fresh evaluator and the
/// default limits.
pub fn evaluate_str(text: &str, ctx: &dyn Context) -> Result<serde_json::Value, ExprError> {
    let expr = parse(text)?;
    Evaluator::default().evaluate(&expr, ctx)
}
