//! Timestamps as the date functions see them: parsing the strings Logic Apps accepts and
//! formatting with .NET format strings, in en-US by default (as the function reference's
//! examples show: `formatDateTime(x, 'D')` is "Monday, January 1, 2018") or in a
//! [`Culture`](super::culture::Culture) (`formatDateTime(x, 'dddd MMMM d', 'fr-fr')` is
//! "dimanche janvier 31").
//!
//! A [`Stamp`] is an instant with 100 ns precision (.NET ticks) and a kind: UTC, or
//! unspecified. Inputs with `Z` or an offset are converted to UTC; inputs without a zone are
//! unspecified (their `K` prints nothing). Accepted inputs: ISO 8601 (`2018-03-15`,
//! `2018-03-15T13:27:36Z`, `2018-03-15 13:27:36.1234567+02:00`), en-US `M/d/yyyy[ h:mm[:ss]
//! [AM|PM]]` (`03/15/2018 12:00:00`, the reference's example), and RFC 1123
//! (`Thu, 15 Mar 2018 13:27:36 GMT`).
//!
//! Format strings: one character is a standard format (d D f F g G m M o O r R s t T u U y
//! Y); anything longer is a custom pattern (d..dddd, f..fffffff, F..FFFFFFF, g, h, hh, H, HH,
//! K, m, mm, M..MMMM, s, ss, t, tt, y..yyyyy, z, zz, zzz, ':' and '/', 'quoted' and "quoted"
//! literals, \ escapes, % for a lone specifier). Years are limited to 1..9999 as in .NET.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::culture::{Culture, EN_US};

/// An instant and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub at: NaiveDateTime,
    /// True for UTC (prints `Z`), false for unspecified (prints no zone).
    pub utc: bool,
}

/// Parses a timestamp string; `None` when it is not one of the accepted shapes.
pub fn parse(text: &str) -> Option<Stamp> {
    let text = text.trim();
    let stamp = if let Ok(dt) = DateTime::parse_from_rfc2822(text) {
        Stamp { at: dt.naive_utc(), utc: true }
    } else if text.contains('/') {
        parse_us(text)?
    } else {
        parse_iso(text)?
    };
    in_range(stamp.at).then_some(stamp)
}

/// True for years 1..=9999.
pub fn in_range(at: NaiveDateTime) -> bool {
    (1..=9999).contains(&at.year())
}

fn parse_iso(text: &str) -> Option<Stamp> {
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = text.get(10..)?;
    if rest.is_empty() {
        return Some(Stamp { at: date.and_time(NaiveTime::MIN), utc: false });
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let time = parse_clock(clock)?;
    let at = date.and_time(time);
    let offset_minutes = match zone {
        "" => return Some(Stamp { at, utc: false }),
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.get(1..)?.chars().filter(|c| *c != ':').collect();
            let (h, m) = match digits.len() {
                2 => (digits.parse::<i64>().ok()?, 0),
                4 => (digits.get(..2)?.parse::<i64>().ok()?, digits.get(2..)?.parse::<i64>().ok()?),
                _ => return None,
            };
            if h > 14 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    Some(Stamp { at: at.checked_sub_signed(chrono::TimeDelta::try_minutes(offset_minutes)?)?, utc: true })
}

/// `HH:mm[:ss[.fffffff]]`, keeping at most 7 fraction digits (100 ns, a .NET tick).
fn parse_clock(clock: &str) -> Option<NaiveTime> {
    let (main, fraction) = clock.split_once('.').map_or((clock, ""), |(m, f)| (m, f));
    let parts: Vec<&str> = main.split(':').collect();
    let field = |i: usize| -> Option<u32> {
        let p = parts.get(i)?;
        (p.len() == 2 && p.chars().all(|c| c.is_ascii_digit())).then(|| p.parse().ok()).flatten()
    };
    let (h, m) = (field(0)?, field(1)?);
    let s = if parts.len() > 2 { field(2)? } else { 0 };
    if parts.len() > 3 || (!fraction.is_empty() && parts.len() != 3) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits: String = fraction.chars().take(7).chain(std::iter::repeat('0')).take(9).collect();
    NaiveTime::from_hms_nano_opt(h, m, s, digits.parse().ok()?)
}

/// en-US `M/d/yyyy[ h:mm[:ss][ AM|PM]]`, unspecified kind.
fn parse_us(text: &str) -> Option<Stamp> {
    let (date, time) = text.split_once(' ').map_or((text, ""), |(d, t)| (d, t.trim()));
    let date = NaiveDate::parse_from_str(date, "%m/%d/%Y").ok()?;
    if time.is_empty() {
        return Some(Stamp { at: date.and_time(NaiveTime::MIN), utc: false });
    }
    let upper = time.to_ascii_uppercase();
    let (clock, meridiem) = match upper.strip_suffix("AM").or_else(|| upper.strip_suffix("PM")) {
        Some(clock) => (clock.trim_end().to_owned(), Some(upper.ends_with("PM"))),
        None => (upper.clone(), None),
    };
    let padded = if clock.find(':') == Some(1) { format!("0{clock}") } else { clock };
    let mut t = parse_clock(&padded)?;
    if let Some(pm) = meridiem {
        if t.hour() == 0 || t.hour() > 12 {
            return None;
        }
        let hour = t.hour() % 12 + if pm { 12 } else { 0 };
        t = t.with_hour(hour)?;
    }
    Some(Stamp { at: date.and_time(t), utc: false })
}

/// Formats with a standard or custom .NET format string in en-US; `Err` explains a bad format.
pub fn format(stamp: Stamp, format: &str) -> Result<String, String> {
    format_in(stamp, format, &EN_US)
}

/// Formats with a standard or custom .NET format string in `culture`.
pub fn format_in(stamp: Stamp, format: &str, culture: &Culture) -> Result<String, String> {
    let mut chars = format.chars();
    // RFC 1123 is culture-invariant.
    let culture = if matches!(format, "r" | "R") { &EN_US } else { culture };
    let pattern = match (chars.next(), chars.next()) {
        (None, _) => ROUND_TRIP.to_owned(),
        (Some(c), None) => {
            standard(c, culture).ok_or_else(|| format!("'{format}' is not a valid standard date and time format"))?
        }
        _ => format.to_owned(),
    };
    custom(stamp, &pattern, culture)
}

const ROUND_TRIP: &str = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK";

fn standard(c: char, k: &Culture) -> Option<String> {
    Some(match c {
        'd' => k.short_date.to_owned(),
        'D' => k.long_date.to_owned(),
        'f' => format!("{} {}", k.long_date, k.short_time),
        'F' | 'U' => format!("{} {}", k.long_date, k.long_time),
        'g' => format!("{} {}", k.short_date, k.short_time),
        'G' => format!("{} {}", k.short_date, k.long_time),
        'm' | 'M' => k.month_day.to_owned(),
        'o' | 'O' => ROUND_TRIP.to_owned(),
        'r' | 'R' => "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'".to_owned(),
        's' => "yyyy'-'MM'-'dd'T'HH':'mm':'ss".to_owned(),
        't' => k.short_time.to_owned(),
        'T' => k.long_time.to_owned(),
        'u' => "yyyy'-'MM'-'dd HH':'mm':'ss'Z'".to_owned(),
        'y' | 'Y' => k.year_month.to_owned(),
        _ => return None,
    })
}

fn custom(stamp: Stamp, pattern: &str, culture: &Culture) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let run = chars.get(i..).unwrap_or_default().iter().take_while(|&&x| x == c).count();
        match c {
            'd' | 'f' | 'F' | 'g' | 'h' | 'H' | 'K' | 'm' | 'M' | 's' | 't' | 'y' | 'z' => {
                specifier(&mut out, stamp, c, run, culture)?;
                i += run;
            }
            '%' => {
                let next =
                    chars.get(i + 1).copied().filter(|n| *n != '%').ok_or("'%' must be followed by a specifier")?;
                specifier(&mut out, stamp, next, 1, culture)?;
                i += 2;
            }
            '\\' => {
                out.push(*chars.get(i + 1).ok_or("a format string cannot end with '\\'")?);
                i += 2;
            }
            '\'' | '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(format!("unterminated quoted text in the format string '{pattern}'")),
                        Some(&q) if q == c => break,
                        Some('\\') => {
                            out.extend(chars.get(i + 1));
                            i += 2;
                        }
                        Some(&other) => {
                            out.push(other);
                            i += 1;
                        }
                    }
                }
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    Ok(out)
}

fn specifier(out: &mut String, stamp: Stamp, c: char, n: usize, k: &Culture) -> Result<(), String> {
    let at = stamp.at;
    let pad = |v: u32, width: usize| format!("{v:0width$}");
    let hour12 = match at.hour() % 12 {
        0 => 12,
        h => h,
    };
    let fraction = format!("{:07}", at.nanosecond() / 100);
    let text = match (c, n) {
        ('d', 1 | 2) => pad(at.day(), n),
        ('d', 3) => k.days_abbr.get(weekday(at)).copied().unwrap_or_default().to_owned(),
        ('d', _) => k.days.get(weekday(at)).copied().unwrap_or_default().to_owned(),
        ('f' | 'F', 8..) => return Err("a fraction of a second has at most 7 digits".to_owned()),
        ('f', _) => fraction.get(..n).unwrap_or_default().to_owned(),
        ('F', _) => {
            let digits = fraction.get(..n).unwrap_or_default().trim_end_matches('0');
            if digits.is_empty() && out.ends_with('.') {
                out.pop();
            }
            digits.to_owned()
        }
        ('g', _) => "A.D.".to_owned(),
        ('h', _) => pad(hour12, n.min(2)),
        ('H', _) => pad(at.hour(), n.min(2)),
        ('K', _) => if stamp.utc { "Z" } else { "" }.repeat(n),
        ('m', _) => pad(at.minute(), n.min(2)),
        ('M', 1 | 2) => pad(at.month(), n),
        ('M', 3) => k.months_abbr.get(at.month0() as usize).copied().unwrap_or_default().to_owned(),
        ('M', _) => k.months.get(at.month0() as usize).copied().unwrap_or_default().to_owned(),
        ('s', _) => pad(at.second(), n.min(2)),
        ('t', 1) => if at.hour() < 12 { k.am } else { k.pm }.chars().next().map(String::from).unwrap_or_default(),
        ('t', _) => if at.hour() < 12 { k.am } else { k.pm }.to_owned(),
        ('y', 1) => (at.year() % 100).to_string(),
        ('y', 2) => pad(u32::try_from(at.year() % 100).unwrap_or(0), 2),
        ('y', _) => pad(u32::try_from(at.year()).unwrap_or(0), n),
        ('z', 1) => "+0".to_owned(),
        ('z', 2) => "+00".to_owned(),
        ('z', _) => "+00:00".to_owned(),
        _ => return Err(format!("'{c}' is not a date and time format specifier")),
    };
    out.push_str(&text);
    Ok(())
}

/// Sunday = 0.
pub fn weekday(at: NaiveDateTime) -> usize {
    at.weekday().num_days_from_sunday() as usize
}
