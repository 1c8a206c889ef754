//! `parseDateTime(timestamp, locale?, format?)` and `dateDifference(start, end)`.
//!
//! - `parseDateTime` takes the locale **before** the format, as the reference does. With a
//!   format, the text must match it exactly (.NET `ParseExact`: `d dd M MM MMM MMMM yy yyyy
//!   H HH h hh m mm s ss f.. F.. tt`, day names `ddd dddd`, quoted literals and `\` escapes).
//!   Without one, the text is read leniently in the locale's ways (its short date order, month
//!   and day names, a time `H:mm[:ss]` with an optional AM/PM), as .NET's `DateTime.Parse`
//!   tries "multiple formats that are compatible with the provided locale"; ISO 8601 is always
//!   accepted. The result is in "o" format, without a zone unless the text had one
//!   (`parseDateTime('20/10/2014', 'fr-fr')` = `2014-10-20T00:00:00.0000000`).
//! - `dateDifference` is end minus start as a .NET TimeSpan in its constant format
//!   `[-][d.]hh:mm:ss[.fffffff]` (`dateDifference('2015-02-08', '2018-07-30')` =
//!   `1268.00:00:00`).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::Value;

use super::culture::{find, Culture, EN_US};
use super::datetime::{format, parse, Stamp};
use super::Args;
use crate::playbook::expr::error::ExprError;

pub fn parse_date_time(args: &Args<'_>) -> Result<Value, ExprError> {
    let text = args.str(0)?;
    let culture = match args.opt_str(1)? {
        Some(name) => find(name).map_err(|m| args.invalid(1, m))?,
        None => &EN_US,
    };
    let stamp = match args.opt_str(2)? {
        Some(pattern) => exact(text.trim(), pattern, culture),
        None => parse(text).or_else(|| lenient(text, culture)),
    };
    let stamp = stamp.ok_or_else(|| {
        let how = args.opt_str(2).ok().flatten().map_or_else(
            || format!("in the locale '{}'", if culture.name.is_empty() { "invariant" } else { culture.name }),
            |p| format!("with the format '{p}'"),
        );
        args.invalid(0, format!("The template language function 'parseDateTime' could not parse '{text}' {how}."))
    })?;
    format(stamp, "o").map(Value::String).map_err(|m| args.invalid(0, m))
}

pub fn date_difference(args: &Args<'_>) -> Result<Value, ExprError> {
    let stamp = |i: usize| {
        let text = args.str(i)?;
        parse(text).ok_or_else(|| {
            args.invalid(
                i,
                format!("In function 'dateDifference', the value provided for the time stamp '{text}' was not valid."),
            )
        })
    };
    let (start, end) = (stamp(0)?, stamp(1)?);
    Ok(Value::String(timespan(end.at.signed_duration_since(start.at))))
}

/// A .NET TimeSpan in the constant ("c") format.
pub fn timespan(delta: chrono::TimeDelta) -> String {
    let ticks: i64 =
        delta.num_nanoseconds().map_or_else(|| delta.num_milliseconds().saturating_mul(10_000), |ns| ns / 100);
    let negative = ticks < 0;
    let ticks = ticks.unsigned_abs();
    let (days, rest) = (ticks / 864_000_000_000, ticks % 864_000_000_000);
    let (hours, rest) = (rest / 36_000_000_000, rest % 36_000_000_000);
    let (minutes, rest) = (rest / 600_000_000, rest % 600_000_000);
    let (seconds, fraction) = (rest / 10_000_000, rest % 10_000_000);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!("{hours:02}:{minutes:02}:{seconds:02}"));
    if fraction > 0 {
        out.push_str(&format!(".{fraction:07}"));
    }
    out
}

#[derive(Default)]
struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    pm: Option<bool>,
}

impl Parts {
    fn stamp(self) -> Option<Stamp> {
        let date = NaiveDate::from_ymd_opt(self.year?, self.month.unwrap_or(1), self.day.unwrap_or(1))?;
        let hour = match self.pm {
            Some(pm) if (1..=12).contains(&self.hour) => self.hour % 12 + if pm { 12 } else { 0 },
            Some(_) => return None,
            None => self.hour,
        };
        let time = NaiveTime::from_hms_nano_opt(hour, self.minute, self.second, self.nanos)?;
        Some(Stamp { at: NaiveDateTime::new(date, time), utc: false })
    }
}

/// `ParseExact` with a custom (or one-letter standard) pattern.
fn exact(text: &str, pattern: &str, culture: &Culture) -> Option<Stamp> {
    let pattern = match pattern {
        "d" => culture.short_date,
        "D" => culture.long_date,
        "t" => culture.short_time,
        "T" => culture.long_time,
        "o" | "O" => return parse(text),
        other => other,
    };
    let p: Vec<char> = pattern.chars().collect();
    let mut rest = text;
    let mut parts = Parts::default();
    let mut i = 0;
    while let Some(&c) = p.get(i) {
        let run = p.get(i..).unwrap_or_default().iter().take_while(|&&x| x == c).count();
        match c {
            'y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'f' | 'F' | 't' => {
                rest = field(rest, c, run, culture, &mut parts)?;
                i += run;
            }
            '\\' => {
                rest = rest.strip_prefix(*p.get(i + 1)?)?;
                i += 2;
            }
            '\'' | '"' => {
                let close = p.get(i + 1..)?.iter().position(|&x| x == c)? + i + 1;
                let literal: String = p.get(i + 1..close)?.iter().collect();
                rest = rest.strip_prefix(literal.as_str())?;
                i = close + 1;
            }
            other => {
                rest = rest.strip_prefix(other)?;
                i += 1;
            }
        }
    }
    if !rest.is_empty() {
        return None;
    }
    parts.stamp()
}

/// Reads one field of `ParseExact`; returns the rest of the text.
fn field<'t>(text: &'t str, c: char, n: usize, k: &Culture, parts: &mut Parts) -> Option<&'t str> {
    let digits = |max: usize, min: usize| -> Option<(u32, &'t str)> {
        let len = text.chars().take(max).take_while(char::is_ascii_digit).count();
        (len >= min).then_some(())?;
        Some((text.get(..len)?.parse().ok()?, text.get(len..)?))
    };
    let (min, max) = if n >= 2 { (n, n) } else { (1, 2) };
    match (c, n) {
        ('y', 1 | 2) => {
            let (v, rest) = digits(2, n)?;
            parts.year = Some(2000 + i32::try_from(v).ok()?);
            Some(rest)
        }
        ('y', _) => {
            let (v, rest) = digits(n.max(4), 4)?;
            parts.year = Some(i32::try_from(v).ok()?);
            Some(rest)
        }
        ('M', 3 | 4) | ('d', 3 | 4) => {
            let names: &[&str] = match (c, n) {
                ('M', 3) => &k.months_abbr,
                ('M', _) => &k.months,
                ('d', 3) => &k.days_abbr,
                _ => &k.days,
            };
            let (index, name) = names.iter().enumerate().find(|(_, name)| starts_with_ignore_case(text, name))?;
            if c == 'M' {
                parts.month = Some(u32::try_from(index).ok()? + 1);
            }
            text.get(name.len()..)
        }
        ('f' | 'F', _) => {
            let (v, rest) = digits(n, if c == 'f' { n } else { 0 })?;
            let len = text.len() - rest.len();
            parts.nanos = v * 10u32.pow(u32::try_from(9usize.saturating_sub(len)).ok()?);
            Some(rest)
        }
        ('t', _) => {
            for (designator, pm) in [(k.am, false), (k.pm, true), ("AM", false), ("PM", true)] {
                let want = if n == 1 { designator.get(..1).unwrap_or(designator) } else { designator };
                if starts_with_ignore_case(text, want) {
                    parts.pm = Some(pm);
                    return text.get(want.len()..);
                }
            }
            None
        }
        _ => {
            let (v, rest) = digits(max, min)?;
            match c {
                'M' => parts.month = Some(v),
                'd' => parts.day = Some(v),
                'H' | 'h' => parts.hour = v,
                'm' => parts.minute = v,
                _ => parts.second = v,
            }
            Some(rest)
        }
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    !prefix.is_empty() && text.get(..prefix.len()).is_some_and(|head| head.to_lowercase() == prefix.to_lowercase())
}

/// The lenient reading without a format (see the module doc).
fn lenient(text: &str, k: &Culture) -> Option<Stamp> {
    let mut parts = Parts::default();
    let mut numbers: Vec<(u32, usize)> = Vec::new();
    for token in text.split(|c: char| c.is_whitespace() || c == ',') {
        let token = token.trim_matches('.');
        if token.is_empty() {
            continue;
        }
        let lower = token.to_lowercase();
        let is = |name: &str| name.trim_end_matches('.').to_lowercase() == lower;
        if let Some(m) = k.months.iter().position(|m| is(m)).or_else(|| k.months_abbr.iter().position(|m| is(m))) {
            parts.month = Some(u32::try_from(m).ok()? + 1);
        } else if k.days.iter().chain(k.days_abbr.iter()).any(|d| is(d)) || matches!(lower.as_str(), "de" | "of") {
        } else if [k.am, "am"].iter().any(|d| is(d)) {
            parts.pm = Some(false);
        } else if [k.pm, "pm"].iter().any(|d| is(d)) {
            parts.pm = Some(true);
        } else if token.contains(':') {
            let mut clock = token.split(':').map(|p| p.parse::<u32>().ok());
            parts.hour = clock.next()??;
            parts.minute = clock.next()??;
            parts.second = clock.next().unwrap_or(Some(0))?;
        } else {
            for piece in token.split(['/', '.', '-']) {
                numbers.push((piece.parse().ok()?, piece.len()));
            }
        }
    }
    let order: Vec<char> =
        k.short_date.chars().filter(|c| matches!(c, 'd' | 'M' | 'y')).fold(Vec::new(), |mut v, c| {
            if v.last() != Some(&c) {
                v.push(c);
            }
            v
        });
    let order: Vec<char> = match (parts.month.is_some(), numbers.first()) {
        (_, Some((_, 4))) if numbers.len() == 3 => vec!['y', 'M', 'd'],
        (true, _) => order.into_iter().filter(|c| *c != 'M').collect(),
        (false, _) => order,
    };
    if numbers.len() != order.len() {
        return None;
    }
    for (c, (v, len)) in order.iter().zip(numbers) {
        match c {
            'd' => parts.day = Some(v),
            'M' => parts.month = Some(v),
            _ => parts.year = Some(if len <= 2 { 2000 + i32::try_from(v).ok()? } else { i32::try_from(v).ok()? }),
        }
    }
    parts.stamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, locale: &str, pattern: Option<&str>) -> Option<String> {
        let culture = find(locale).ok()?;
        let stamp = match pattern {
            Some(p) => exact(text, p, culture),
            None => parse(text).or_else(|| lenient(text, culture)),
        }?;
        format(stamp, "o").ok()
    }

    #[test]
    fn the_references_examples() {
        let cases = [
            ("20/10/2014", "fr-fr", None, "2014-10-20T00:00:00.0000000"),
            ("20 octobre 2010", "fr-FR", None, "2010-10-20T00:00:00.0000000"),
            ("martes 20 octubre 2020", "es-es", None, "2020-10-20T00:00:00.0000000"),
            ("21052019", "fr-fr", Some("ddMMyyyy"), "2019-05-21T00:00:00.0000000"),
            ("20190521", "fr-fr", Some("yyyyMMdd"), "2019-05-21T00:00:00.0000000"),
            ("10/20/2014 15h", "en-US", Some("MM/dd/yyyy HH\\h"), "2014-10-20T15:00:00.0000000"),
            ("10/20/2014 3:04 PM", "en-US", None, "2014-10-20T15:04:00.0000000"),
        ];
        for (text, locale, pattern, want) in cases {
            assert_eq!(run(text, locale, pattern).as_deref(), Some(want), "{text}");
        }
        assert_eq!(run("2014-13-45", "en-US", None), None);
    }

    #[test]
    fn timespans_print_in_the_constant_format() {
        let days = |d: i64| chrono::TimeDelta::try_days(d).unwrap();
        assert_eq!(timespan(days(1268)), "1268.00:00:00");
        assert_eq!(timespan(-chrono::TimeDelta::try_seconds(3661).unwrap()), "-01:01:01");
        assert_eq!(timespan(chrono::TimeDelta::try_milliseconds(1500).unwrap()), "00:00:01.5000000");
    }
}
