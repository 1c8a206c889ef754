//! Date and time functions over timestamp strings (see [`datetime`](super::datetime) for the
//! accepted inputs and format strings). Results are strings in the optional format argument,
//! by default "o" (`2018-03-25T00:00:00.0000000Z`), as the function reference shows.
//! `utcNow`, `getFutureTime` and `getPastTime` read the simulated clock from the context.
//!
//! - `addDays`/`addHours`/`addMinutes`/`addSeconds` accept integers and floats (fractions
//!   count to the millisecond); `addToTime`/`subtractFromTime`/`getFutureTime`/`getPastTime`
//!   take a unit: Second, Minute, Hour, Day, Week, Month, Year (any case). Months and years
//!   add calendar months, clamping the day to the month's end as .NET does.
//! - `formatDateTime(timestamp, format?, locale?)`: the locale (default en-US) names the days
//!   and months and gives the standard formats' patterns ([`culture`](super::culture)).
//! - `parseDateTime` and `dateDifference`: see [`date_parse`](super::date_parse).
//! - `ticks` counts 100 ns intervals since 0001-01-01T00:00:00.
//! - Time zones: only UTC ("UTC", "Coordinated Universal Time") is supported offline, which
//!   keeps runs deterministic without a time-zone database. `convertTimeZone` and
//!   `convertFromUtc` return an unspecified-kind timestamp (no `Z`), as the reference's
//!   examples do; `convertToUtc` a UTC one.

use chrono::{Datelike, Months, NaiveDateTime, TimeDelta, Timelike};
use serde_json::Value;

use super::culture::{find, EN_US};
use super::datetime::{format_in, in_range, parse, weekday, Stamp};
use super::{Args, Env};
use crate::playbook::expr::error::{ErrorKind, ExprError};

/// The date and time functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateFn {
    AddDays,
    AddHours,
    AddMinutes,
    AddSeconds,
    AddToTime,
    ConvertFromUtc,
    ConvertTimeZone,
    ConvertToUtc,
    DayOfMonth,
    DayOfWeek,
    DateDifference,
    DayOfYear,
    FormatDateTime,
    GetFutureTime,
    GetPastTime,
    ParseDateTime,
    StartOfDay,
    StartOfHour,
    StartOfMonth,
    SubtractFromTime,
    Ticks,
    UtcNow,
}

pub fn call(f: DateFn, args: &Args<'_>, env: &mut Env<'_, '_>) -> Result<Value, ExprError> {
    let now = || Stamp { at: env.ctx.now().naive_utc(), utc: true };
    let (stamp, format_at) = match f {
        DateFn::UtcNow => (now(), 0),
        DateFn::FormatDateTime => (timestamp(args, 0)?, 1),
        DateFn::AddDays | DateFn::AddHours | DateFn::AddMinutes | DateFn::AddSeconds => {
            let seconds_per = match f {
                DateFn::AddDays => 86_400.0,
                DateFn::AddHours => 3_600.0,
                DateFn::AddMinutes => 60.0,
                _ => 1.0,
            };
            let millis = (args.num(1)?.as_f64() * seconds_per * 1000.0).round();
            let delta = (millis.abs() < 1e15).then(|| {
                // Exact: |millis| < 2^53, integral after round().
                #[allow(clippy::cast_possible_truncation)]
                TimeDelta::try_milliseconds(millis as i64)
            });
            let stamp = timestamp(args, 0)?;
            (shift(args, stamp, delta.flatten())?, 2)
        }
        DateFn::AddToTime | DateFn::SubtractFromTime => {
            let sign = if f == DateFn::AddToTime { 1 } else { -1 };
            (add_units(args, timestamp(args, 0)?, args.int(1)?.saturating_mul(sign), 2)?, 3)
        }
        DateFn::GetFutureTime | DateFn::GetPastTime => {
            let sign = if f == DateFn::GetFutureTime { 1 } else { -1 };
            (add_units(args, now(), args.int(0)?.saturating_mul(sign), 1)?, 2)
        }
        DateFn::StartOfDay | DateFn::StartOfHour | DateFn::StartOfMonth => {
            let stamp = timestamp(args, 0)?;
            let date = if f == DateFn::StartOfMonth {
                stamp.at.date().with_day(1).unwrap_or(stamp.at.date())
            } else {
                stamp.at.date()
            };
            let hour = if f == DateFn::StartOfHour { stamp.at.hour() } else { 0 };
            let at = date.and_hms_opt(hour, 0, 0).unwrap_or(stamp.at);
            (Stamp { at, ..stamp }, 1)
        }
        DateFn::ConvertTimeZone => {
            utc_zone(args, 1)?;
            utc_zone(args, 2)?;
            (Stamp { utc: false, ..timestamp(args, 0)? }, 3)
        }
        DateFn::ConvertFromUtc | DateFn::ConvertToUtc => {
            utc_zone(args, 1)?;
            (Stamp { utc: f == DateFn::ConvertToUtc, ..timestamp(args, 0)? }, 2)
        }
        DateFn::Ticks => return ticks(args, timestamp(args, 0)?.at),
        DateFn::DateDifference => return super::date_parse::date_difference(args),
        DateFn::ParseDateTime => return super::date_parse::parse_date_time(args),
        DateFn::DayOfMonth => return Ok(Value::from(timestamp(args, 0)?.at.day())),
        DateFn::DayOfWeek => return Ok(Value::from(weekday(timestamp(args, 0)?.at))),
        DateFn::DayOfYear => return Ok(Value::from(timestamp(args, 0)?.at.ordinal())),
    };
    let pattern = args.opt_str(format_at)?.unwrap_or("o");
    let culture = match (f, args.opt_str(2)?) {
        (DateFn::FormatDateTime, Some(locale)) => find(locale).map_err(|m| args.invalid(2, m))?,
        _ => &EN_US,
    };
    format_in(stamp, pattern, culture).map(Value::String).map_err(|message| args.invalid(format_at, message))
}

fn timestamp(args: &Args<'_>, i: usize) -> Result<Stamp, ExprError> {
    let text = args.str(i).map_err(|_| args.type_error(i, "a timestamp string"))?;
    parse(text).ok_or_else(|| {
        args.invalid(
            i,
            format!(
                "In function '{}', the value provided for the time stamp '{text}' was not valid. The datetime string must match ISO 8601 format.",
                args.function.name()
            ),
        )
    })
}

fn overflow(args: &Args<'_>) -> ExprError {
    args.error(ErrorKind::Overflow, "the resulting date and time is outside the years 1 to 9999")
}

fn shift(args: &Args<'_>, stamp: Stamp, delta: Option<TimeDelta>) -> Result<Stamp, ExprError> {
    let at =
        delta.and_then(|d| stamp.at.checked_add_signed(d)).filter(|at| in_range(*at)).ok_or_else(|| overflow(args))?;
    Ok(Stamp { at, ..stamp })
}

fn add_units(args: &Args<'_>, stamp: Stamp, amount: i64, unit_at: usize) -> Result<Stamp, ExprError> {
    let unit = args.str(unit_at)?;
    let seconds = match unit.to_ascii_lowercase().as_str() {
        "second" | "seconds" => Some(1),
        "minute" | "minutes" => Some(60),
        "hour" | "hours" => Some(3_600),
        "day" | "days" => Some(86_400),
        "week" | "weeks" => Some(604_800),
        "month" | "months" => None,
        "year" | "years" => {
            return months(args, stamp, amount.checked_mul(12));
        }
        _ => {
            let message = format!("'{unit}' is not a time unit: use Second, Minute, Hour, Day, Week, Month or Year");
            return Err(args.invalid(unit_at, message));
        }
    };
    match seconds {
        Some(per) => shift(args, stamp, amount.checked_mul(per).and_then(TimeDelta::try_seconds)),
        None => months(args, stamp, Some(amount)),
    }
}

fn months(args: &Args<'_>, stamp: Stamp, amount: Option<i64>) -> Result<Stamp, ExprError> {
    let amount = amount.ok_or_else(|| overflow(args))?;
    let count = Months::new(u32::try_from(amount.unsigned_abs()).map_err(|_| overflow(args))?);
    let at: Option<NaiveDateTime> =
        if amount >= 0 { stamp.at.checked_add_months(count) } else { stamp.at.checked_sub_months(count) };
    let at = at.filter(|at| in_range(*at)).ok_or_else(|| overflow(args))?;
    Ok(Stamp { at, ..stamp })
}

fn ticks(args: &Args<'_>, at: NaiveDateTime) -> Result<Value, ExprError> {
    let base =
        chrono::NaiveDate::from_ymd_opt(1, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).ok_or_else(|| overflow(args))?;
    let delta = at.signed_duration_since(base);
    let ticks = delta
        .num_seconds()
        .checked_mul(10_000_000)
        .and_then(|t| t.checked_add(i64::from(delta.subsec_nanos() / 100)))
        .ok_or_else(|| overflow(args))?;
    Ok(Value::from(ticks))
}

fn utc_zone(args: &Args<'_>, i: usize) -> Result<(), ExprError> {
    let zone = args.str(i)?;
    if zone.eq_ignore_ascii_case("UTC") || zone.eq_ignore_ascii_case("Coordinated Universal Time") {
        return Ok(());
    }
    let message = format!(
        "the time zone '{zone}' is not supported offline: only 'UTC' ('Coordinated Universal Time') is, to keep runs deterministic"
    );
    Err(args.invalid(i, message))
}
