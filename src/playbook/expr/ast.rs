//! The WDL expression tree: the shared front end's tree ([`crate::expr::ast`]) with every call
//! resolved to WDL's closed [`Function`] enum, so an unknown function is a parse error. Spans
//! are [`crate::expr::Span`]s, relative to the text the expression was parsed from.

use super::functions::Function;

pub use crate::expr::Span;

/// An expression node.
pub type Expr = crate::expr::Expr<Function>;
/// The node kinds: a literal, a call, or a selection.
pub type ExprKind = crate::expr::ExprKind<Function>;
/// A function call.
pub type Call = crate::expr::Call<Function>;
/// A property selection or index.
pub type Access = crate::expr::Access<Function>;
/// What an [`Access`] selects.
pub type Key = crate::expr::Key<Function>;
