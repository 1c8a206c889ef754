//! The Workflow Definition Language (WDL): the expression language of Logic Apps, and so of
//! Sentinel playbooks. Text -> [`Expr`] through the shared expression front end
//! ([`crate::expr`]: lexer, parser, spans, mapping spans back to files) and WDL's function
//! table ([`parser`], [`ast`], [`functions`]); evaluation against a [`Context`] ([`eval`],
//! [`access`], [`functions`]) inside a sandbox ([`budget`]); JSON string values as templates
//! ([`template`], [`render`]).
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
//!              | "@"                          alone: the literal "@"
//! ```
//! `expression` is the shared grammar of [`crate::expr`] (calls, `'strings'`, numbers,
//! `null`/`true`/`false`, `.name`, `[index]`, and the null-safe `?.name` and `?[index]`).
//!
//! # Semantics in brief
//! - Function names are case-insensitive and resolved right after parsing; so are the names of
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
//! - Every function of the Logic Apps reference guide is implemented (`docs/wdl-functions.md`,
//!   generated from [`functions::reference`]); XML and binary values travel as content
//!   envelopes ([`content`], [`xml`]). [`UNSUPPORTED`] is empty; a function listed there would
//!   fail at parse time with [`ErrorKind::UnsupportedFunction`].

pub mod access;
pub mod ast;
pub mod budget;
pub mod content;
pub mod context;
pub mod error;
pub mod eval;
pub mod functions;
pub mod guid;
pub mod memory;
pub mod parser;
pub mod render;
pub mod template;
pub mod value;
pub mod xml;

pub use crate::expr::{span_in_json_string, span_in_verbatim};
pub use ast::{Expr, ExprKind, Span};
pub use budget::{Limits, Meter};
pub use context::{find_named, Context, Named, FAKE_CALLBACK_URL};
pub use error::{ErrorKind, ExprError, Warning, WarningKind};
pub use eval::Evaluator;
pub use functions::{call_values, Function, UNSUPPORTED};
pub use guid::{format_guid, GuidSource};
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
