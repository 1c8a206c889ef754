//! [`Span`]: where something was written. The one position type of the crate: the spanned tree,
//! every decoder and every [`crate::diagnostic::Diagnostic`] use it.

/// A place in a source file: byte range plus the 1-based line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

impl Span {
    /// The start of a file: line 1, column 1, nothing covered.
    pub const FILE_START: Span = Span { start: 0, end: 0, line: 1, column: 1 };
}
