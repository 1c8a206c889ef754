//! The value parsers clap runs on flag values, one per kind of value, so a time or a `--param`
//! is read the same way by every command and a bad one is a usage error (exit 2) naming the flag.

use chrono::{DateTime, Utc};

use crate::model::time::{self, Written};

/// A time: RFC 3339, or a date meaning midnight UTC (`--now`).
pub fn time(text: &str) -> Result<DateTime<Utc>, String> {
    time::parse(text).map_err(|e| e.to_string())
}

/// The end of a period: RFC 3339, or a date meaning its last second, 23:59:59 UTC (`--until`:
/// the day given is included).
pub fn until(text: &str) -> Result<DateTime<Utc>, String> {
    Written::parse(text).map(Written::end_of_day).map_err(|e| e.to_string())
}

/// `NAME=VALUE` (`--param`): the name trimmed and not empty, the value as typed.
pub fn param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_owned(), value.to_owned())),
        _ => Err("expected NAME=VALUE".to_owned()),
    }
}

/// A `--watchlist ALIAS=FILE` pair.
pub fn watchlist(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((alias, file)) if !alias.trim().is_empty() && !file.trim().is_empty() => {
            Ok((alias.trim().to_owned(), file.trim().to_owned()))
        }
        _ => Err("expected ALIAS=FILE (a watchlist alias and its CSV file)".to_owned()),
    }
}

/// Worker threads: `--jobs` as given, or the number of cores.
pub fn workers(asked: Option<usize>) -> usize {
    asked.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1)
}

/// A number of worker threads (`--jobs`): 1 or more.
pub fn jobs(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("give 1 or more worker threads (without --jobs, one per core)".to_owned()),
        Ok(n) => Ok(n),
        Err(_) => Err("expected a number of worker threads, 1 or more".to_owned()),
    }
}

/// A percentage from 0 to 100 (`--min`).
pub fn percent(text: &str) -> Result<f64, String> {
    match text.trim().trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        Ok(_) => Err("a percentage is from 0 to 100".to_owned()),
        Err(_) => Err("expected a percentage from 0 to 100, like 80 or 92.5".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_split_at_the_first_equals_sign() {
        assert_eq!(param("a=b=c"), Ok(("a".to_owned(), "b=c".to_owned())));
        assert_eq!(param(" name =  "), Ok(("name".to_owned(), "  ".to_owned())));
        assert_eq!(param("=x"), Err("expected NAME=VALUE".to_owned()));
        assert_eq!(param("name"), Err("expected NAME=VALUE".to_owned()));
    }

    #[test]
    fn jobs_are_one_or_more() {
        assert_eq!(jobs("4"), Ok(4));
        assert!(jobs("0").unwrap_err().starts_with("give 1 or more"));
        assert!(jobs("-1").is_err());
    }

    #[test]
    fn until_includes_a_whole_day_and_now_starts_it() {
        assert_eq!(until("2026-12-31").map(time::stamp), Ok("2026-12-31T23:59:59Z".to_owned()));
        assert_eq!(super::time("2026-12-31").map(time::stamp), Ok("2026-12-31T00:00:00Z".to_owned()));
    }
}
