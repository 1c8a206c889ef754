//! Where a piece of an expression is: a byte range in the text the expression was read from
//! (the decoded string value holding it), not yet a place in a file. [`super::location`] maps
//! it to a file [`crate::syntax::Span`] (line and column), walking the JSON escapes that
//! make the two differ.

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
