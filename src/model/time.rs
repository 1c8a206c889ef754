//! Times as people write them and as this tool writes them. One parser for every time a user
//! types or writes in a file (`--now`, `--until`, a rule's `expires`, a rule test's `now`): an
//! RFC 3339 timestamp, or a plain date (`2026-12-31`). One stamp for every time the tool writes
//! (audit records, run logs, reports, generated rules), so they cannot drift apart.
//!
//! Stage: model. Pure functions; nothing here reads the clock.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};

/// A time as written: an instant, or a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// An RFC 3339 timestamp, in UTC.
    Instant(DateTime<Utc>),
    /// A plain date, `YYYY-MM-DD`.
    Day(NaiveDate),
}

/// A text that is neither an RFC 3339 timestamp nor a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotATime;

impl std::fmt::Display for NotATime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("neither a date (2026-12-31) nor an RFC 3339 timestamp (2026-12-31T23:59:59Z)")
    }
}

impl std::error::Error for NotATime {}

impl Written {
    /// Reads an RFC 3339 timestamp or a date; surrounding blanks are ignored.
    pub fn parse(text: &str) -> Result<Written, NotATime> {
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Ok(Written::Instant(at.with_timezone(&Utc)));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Written::Day).map_err(|_| NotATime)
    }

    /// The instant; a date is its start, midnight UTC.
    pub fn start(self) -> DateTime<Utc> {
        match self {
            Written::Instant(at) => at,
            Written::Day(day) => day.and_time(NaiveTime::MIN).and_utc(),
        }
    }

    /// The instant; a date is its last second, 23:59:59 UTC (an end that includes the day, as
    /// `suppress --until` reads it).
    pub fn end_of_day(self) -> DateTime<Utc> {
        match self {
            Written::Instant(at) => at,
            Written::Day(day) => day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)).and_utc(),
        }
    }
}

/// An RFC 3339 timestamp, or a date meaning midnight UTC.
pub fn parse(text: &str) -> Result<DateTime<Utc>, NotATime> {
    Written::parse(text).map(Written::start)
}

/// A time as this tool writes it: RFC 3339 in UTC with `Z`, fractional seconds only when there
/// are some (`2026-06-01T00:00:00Z`, `2026-06-01T00:00:00.250Z`), as Sentinel and Logic Apps
/// write times.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_date_is_midnight_utc_and_a_timestamp_keeps_its_instant() {
        assert_eq!(parse("2026-12-31"), Ok(utc("2026-12-31T00:00:00Z")));
        assert_eq!(parse(" 2026-07-01T12:00:00+02:00 "), Ok(utc("2026-07-01T10:00:00Z")));
        assert_eq!(Written::parse("2026-12-31").map(Written::end_of_day), Ok(utc("2026-12-31T23:59:59Z")));
        assert_eq!(Written::parse("2026-12-31T08:00:00Z").map(Written::end_of_day), Ok(utc("2026-12-31T08:00:00Z")));
    }

    #[test]
    fn other_texts_are_refused() {
        for text in ["", "soon", "31/12/2026", "2026-02-30", "2026-12-31T23:59:59", "2026-12-31 noon"] {
            assert_eq!(parse(text), Err(NotATime), "{text}");
        }
        assert_eq!(
            NotATime.to_string(),
            "neither a date (2026-12-31) nor an RFC 3339 timestamp (2026-12-31T23:59:59Z)"
        );
    }

    #[test]
    fn stamps_are_utc_with_z_and_fractions_only_when_present() {
        assert_eq!(stamp(utc("2026-06-01T02:00:00+02:00")), "2026-06-01T00:00:00Z");
        assert_eq!(stamp(utc("2026-06-01T00:00:00.25Z")), "2026-06-01T00:00:00.250Z");
    }
}
