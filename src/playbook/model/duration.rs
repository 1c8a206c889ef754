//! ISO 8601 durations (`PT1H`, `P1DT30M`, `PT0.5S`) as Logic Apps writes them in Until
//! timeouts, and as mocks give simulated durations. Years and months are not accepted (their
//! length depends on the date).

use chrono::Duration;

/// Parses `P[nW][nD][T[nH][nM][n[.f]S]]`; `None` when malformed or without any part.
pub fn parse_iso8601(text: &str) -> Option<Duration> {
    let rest = text.trim().strip_prefix(['P', 'p'])?;
    let (date, time) = match rest.find(['T', 't']) {
        Some(i) => (rest.get(..i)?, Some(rest.get(i + 1..)?)),
        None => (rest, None),
    };
    let mut total = Duration::zero();
    let mut parts = 0;
    for (number, unit) in units(date)? {
        let seconds = match unit {
            'W' => 604_800.0,
            'D' => 86_400.0,
            _ => return None,
        };
        total = total.checked_add(&seconds_to(number * seconds)?)?;
        parts += 1;
    }
    if let Some(time) = time {
        if time.is_empty() {
            return None;
        }
        for (number, unit) in units(time)? {
            let seconds = match unit {
                'H' => 3600.0,
                'M' => 60.0,
                'S' => 1.0,
                _ => return None,
            };
            total = total.checked_add(&seconds_to(number * seconds)?)?;
            parts += 1;
        }
    }
    (parts > 0).then_some(total)
}

/// `12H30M` -> [(12, 'H'), (30, 'M')].
fn units(text: &str) -> Option<Vec<(f64, char)>> {
    let mut out = Vec::new();
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
        } else {
            let n: f64 = number.parse().ok()?;
            out.push((n, c.to_ascii_uppercase()));
            number.clear();
        }
    }
    number.is_empty().then_some(out)
}

fn seconds_to(seconds: f64) -> Option<Duration> {
    let millis = (seconds * 1000.0).round();
    (millis.is_finite() && (0.0..9.0e15).contains(&millis)).then(|| Duration::milliseconds(millis as i64))
}

/// A duration as ISO 8601 (`PT1M30S`, `PT0S`), for the run log.
pub fn format_iso8601(duration: Duration) -> String {
    let millis = duration.num_milliseconds().max(0);
    let (hours, rest) = (millis / 3_600_000, millis % 3_600_000);
    let (minutes, rest) = (rest / 60_000, rest % 60_000);
    let (seconds, millis) = (rest / 1000, rest % 1000);
    let mut out = String::from("PT");
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    if millis > 0 {
        out.push_str(&format!("{seconds}.{millis:03}S"));
    } else if seconds > 0 || out == "PT" {
        out.push_str(&format!("{seconds}S"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats() {
        assert_eq!(parse_iso8601("PT1H"), Some(Duration::hours(1)));
        assert_eq!(parse_iso8601("P1DT30M"), Some(Duration::minutes(24 * 60 + 30)));
        assert_eq!(parse_iso8601("PT0.5S"), Some(Duration::milliseconds(500)));
        assert_eq!(parse_iso8601("P1W"), Some(Duration::days(7)));
        for bad in ["", "P", "PT", "1H", "P1Y", "PT1X", "PTH"] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
        assert_eq!(format_iso8601(Duration::seconds(90)), "PT1M30S");
        assert_eq!(format_iso8601(Duration::zero()), "PT0S");
        assert_eq!(format_iso8601(Duration::milliseconds(61_250)), "PT1M1.250S");
    }
}
