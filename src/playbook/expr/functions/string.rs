//! String functions. Positions and lengths count characters (Unicode scalar values); the
//! .NET runtime counts UTF-16 units, which differs only for characters outside the Basic
//! Multilingual Plane (emoji). Per the function reference: `indexOf`, `lastIndexOf`,
//! `startsWith` and `endsWith` ignore case; `replace` and `split` do not.
//!
//! - `concat` stringifies non-strings as `string()` does (null -> "", objects as JSON).
//! - `substring(text, start, length?)` fails when `start` or `length` is negative or
//!   `start + length` passes the end (the reference's note: "unlike similar functions in other
//!   languages"); `slice` clamps instead and counts negative positions from the end.
//! - `replace` with an empty `oldText` fails (.NET's String.Replace does); a null `newText`
//!   removes.
//! - `split` splits on the whole delimiter string; an empty delimiter gives `[text]`.
//! - `lastIndexOf` follows the reference's empty-string rules (empty text: -1; both empty: 0;
//!   empty search: length - 1).
//! - `nthIndexOf(text, search, n)`: the position of the n-th occurrence (1-based; a negative
//!   n counts from the end), occurrences may overlap, case-sensitive; -1 when there are fewer
//!   than |n|; n = 0 is an error.
//! - `guid(format?)` takes the next GUID from the context, formatted D, N, B, P or X.

use serde_json::Value;

use super::{Args, Env};
use crate::playbook::expr::error::{ErrorKind, ExprError};
use crate::playbook::expr::guid::format_guid;

/// The string functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringFn {
    Concat,
    EndsWith,
    FormatNumber,
    Guid,
    IndexOf,
    LastIndexOf,
    NthIndexOf,
    Replace,
    Slice,
    Split,
    StartsWith,
    Substring,
    ToLower,
    ToUpper,
    Trim,
}

pub fn call(f: StringFn, args: &Args<'_>, env: &mut Env<'_, '_>) -> Result<Value, ExprError> {
    Ok(match f {
        StringFn::Concat => {
            let parts = (0..args.len()).map(|i| args.text(i)).collect::<Result<Vec<_>, _>>()?;
            env.meter.check_string_len(parts.iter().map(|p| p.len()).sum(), args.span)?;
            Value::String(parts.concat())
        }
        StringFn::Substring => substring(args)?,
        StringFn::Slice => slice(args)?,
        StringFn::Replace => replace(args, env)?,
        StringFn::ToLower => Value::String(args.str(0)?.to_lowercase()),
        StringFn::ToUpper => Value::String(args.str(0)?.to_uppercase()),
        StringFn::Trim => Value::String(args.str(0)?.trim().to_owned()),
        StringFn::IndexOf => {
            let (text, search) = (fold(args.str(0)?), fold(args.str(1)?));
            Value::from(text.find(&search).map_or(-1, |at| char_index(&text, at)))
        }
        StringFn::LastIndexOf => {
            let (text, search) = (fold(args.str(0)?), fold(args.str(1)?));
            let index = match (text.is_empty(), search.is_empty()) {
                (true, false) => -1,
                (true, true) => 0,
                (false, true) => char_count(&text) - 1,
                (false, false) => text.rfind(&search).map_or(-1, |at| char_index(&text, at)),
            };
            Value::from(index)
        }
        StringFn::NthIndexOf => nth_index_of(args)?,
        StringFn::FormatNumber => super::number_format::call(args)?,
        StringFn::StartsWith => Value::Bool(fold(args.str(0)?).starts_with(&fold(args.str(1)?))),
        StringFn::EndsWith => Value::Bool(fold(args.str(0)?).ends_with(&fold(args.str(1)?))),
        StringFn::Split => {
            let (text, delimiter) = (args.str(0)?, args.str(1)?);
            if delimiter.is_empty() {
                Value::Array(vec![Value::from(text)])
            } else {
                Value::Array(text.split(delimiter).map(Value::from).collect())
            }
        }
        StringFn::Guid => {
            let specifier = args.opt_str(0)?.unwrap_or("D");
            let text = format_guid(env.ctx.next_guid(), specifier)
                .ok_or_else(|| args.invalid(0, format!("'{specifier}' is not a GUID format: use N, D, B, P or X")))?;
            Value::String(text)
        }
    })
}

/// Case folding that keeps one character per character (so byte offsets map back to
/// character positions): each character's lowercase form when that is a single character.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

fn char_count(text: &str) -> i64 {
    i64::try_from(text.chars().count()).unwrap_or(i64::MAX)
}

fn char_index(text: &str, byte: usize) -> i64 {
    char_count(text.get(..byte).unwrap_or_default())
}

/// The characters `start..end` (character positions, already checked to be in range).
fn chars_between(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

fn substring(args: &Args<'_>) -> Result<Value, ExprError> {
    let text = args.str(0)?;
    let count = char_count(text);
    let start = args.int(1)?;
    let length = if args.len() > 2 { args.int(2)? } else { count.saturating_sub(start) };
    let end = start.checked_add(length).unwrap_or(i64::MAX);
    if start < 0 || length < 0 || end > count {
        return Err(args.error(
            ErrorKind::InvalidArgument,
            format!(
                "The template language function 'substring' parameters are out of range: 'start index' ({start}) and 'length' ({length}) must be non-negative integers and their sum must be no larger than the length of the string ({count})."
            ),
        ));
    }
    let (start, end) = (usize::try_from(start).unwrap_or(0), usize::try_from(end).unwrap_or(0));
    Ok(Value::String(chars_between(text, start, end)))
}

fn slice(args: &Args<'_>) -> Result<Value, ExprError> {
    let text = args.str(0)?;
    let count = char_count(text);
    let resolve = |i: i64| if i < 0 { count.saturating_add(i).max(0) } else { i.min(count) };
    let start = resolve(args.int(1)?);
    let end = if args.len() > 2 { resolve(args.int(2)?) } else { count };
    if end <= start {
        return Ok(Value::String(String::new()));
    }
    Ok(Value::String(chars_between(text, usize::try_from(start).unwrap_or(0), usize::try_from(end).unwrap_or(0))))
}

fn replace(args: &Args<'_>, env: &mut Env<'_, '_>) -> Result<Value, ExprError> {
    let (text, old) = (args.str(0)?, args.str(1)?);
    let new = match args.get(2)? {
        Value::Null => "",
        Value::String(s) => s.as_str(),
        _ => return Err(args.type_error(2, "a string")),
    };
    if old.is_empty() {
        return Err(args.invalid(1, "The template language function 'replace' expects its second parameter (the text to replace) to be a non-empty string."));
    }
    let count = text.matches(old).count();
    let grown =
        text.len().saturating_add(count.saturating_mul(new.len())).saturating_sub(count.saturating_mul(old.len()));
    env.meter.check_string_len(grown, args.span)?;
    Ok(Value::String(text.replace(old, new)))
}

fn nth_index_of(args: &Args<'_>) -> Result<Value, ExprError> {
    let (text, search, n) = (args.str(0)?, args.str(1)?, args.int(2)?);
    if n == 0 {
        return Err(args.invalid(2, "The template language function 'nthIndexOf' expects its third parameter (the occurrence) to be a non-zero integer."));
    }
    let starts: Vec<usize> =
        text.char_indices().map(|(i, _)| i).filter(|&i| text.get(i..).is_some_and(|t| t.starts_with(search))).collect();
    let count = usize::try_from(n.unsigned_abs()).unwrap_or(usize::MAX);
    let found = if n > 0 { starts.get(count - 1) } else { starts.len().checked_sub(count).and_then(|i| starts.get(i)) };
    Ok(Value::from(found.map_or(-1, |&at| char_index(text, at))))
}
