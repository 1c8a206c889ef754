//! Both ends of a diagnostic as lines and columns, for the formats that want a range (SARIF
//! regions, GitHub annotations). Lines and columns are 1-based and count characters (Unicode
//! scalar values); the end column is exclusive, the column after the last character, as SARIF
//! defines it.

use super::{Diagnostic, Sources};
use crate::syntax::Span;

/// A range of lines and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    /// Exclusive: the column after the last character of the range.
    pub end_column: usize,
}

impl Region {
    /// The region of `span`. The start is the span's own line and column (as the human and
    /// JSON output show them); the end comes from the byte range in `source`, without trailing
    /// blanks, and covers at least one character.
    pub fn of(span: Span, source: Option<&str>) -> Region {
        let (start_line, start_column) = (span.line.max(1), span.column.max(1));
        let end = source.and_then(|text| {
            let covered = text.get(span.start..span.end)?;
            position(text, span.start + covered.trim_end().len())
        });
        let (end_line, end_column) = match end {
            Some(end) if end > (start_line, start_column) => end,
            _ => (start_line, start_column + 1),
        };
        Region { start_line, start_column, end_line, end_column }
    }

    /// The region of a diagnostic, if it has a span.
    pub fn of_diagnostic(d: &Diagnostic, sources: &Sources) -> Option<Region> {
        d.span.map(|span| Region::of(span, sources.get(&d.file)))
    }

    /// The last column covered on the end line (inclusive), for formats that count that way.
    pub fn last_column(&self) -> usize {
        let last = self.end_column.saturating_sub(1).max(1);
        if self.end_line == self.start_line {
            last.max(self.start_column)
        } else {
            last
        }
    }
}

/// Line and column of a byte offset.
fn position(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let head = before.get(line_start..)?;
    // A byte order mark at the start of the file takes no column (editors do not show it).
    let head = if line_start == 0 { head.strip_prefix('\u{feff}').unwrap_or(head) } else { head };
    let column = head.chars().count() + 1;
    Some((line, column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_is_exclusive_and_counts_characters() {
        let text = "a: é\n  b: xyz\n";
        let span = Span { start: 11, end: 14, line: 2, column: 6 };
        assert_eq!(Region::of(span, Some(text)), Region { start_line: 2, start_column: 6, end_line: 2, end_column: 9 });
        let accent = Span { start: 3, end: 5, line: 1, column: 4 };
        assert_eq!(Region::of(accent, Some(text)).end_column, 5);
        assert_eq!(Region::of(accent, Some(text)).last_column(), 4);
    }

    #[test]
    fn blocks_end_on_their_last_character_and_empty_spans_cover_one() {
        let text = "a:\n  - x\n  - yy\nb: 1\n";
        let block = Span { start: 5, end: 16, line: 2, column: 3 };
        assert_eq!(
            Region::of(block, Some(text)),
            Region { start_line: 2, start_column: 3, end_line: 3, end_column: 7 }
        );
        let empty = Span { start: 3, end: 3, line: 2, column: 1 };
        assert_eq!(
            Region::of(empty, Some(text)),
            Region { start_line: 2, start_column: 1, end_line: 2, end_column: 2 }
        );
        assert_eq!(Region::of(empty, None).last_column(), 1);
    }
}
