//! Collection functions over strings, arrays and objects.
//!
//! - `contains`: a substring (case-sensitive, as the reference says), an array item (compared
//!   as `equals` does), or an object key (exact).
//! - `empty`: true for null, "", [] and {} (null is an empty collection here; a number or a
//!   boolean is an argument-type error).
//! - `length`: characters of a string or items of an array; anything else (null included) is
//!   an argument-type error, as the runtime reports for `length(null)`.
//! - `first`/`last`: the first/last item or character; null for an empty array, "" for "".
//! - `join`: items stringified as `string()` does.
//! - `skip`/`take`: a negative count is an error; a count past the end takes everything.
//! - `chunk(collection, length)`: a string or an array in pieces of `length` (the last one
//!   shorter); `length` must be positive.
//! - `sort(array, key?)`: numbers by value, strings ordinally (case-sensitive), booleans false
//!   first; objects by the value of `key`, which must hold such primitives. Mixed types, or an
//!   object without the key, are an error. The sort is stable (equal items keep their order).
//! - `union`/`intersection`: all arrays or all objects. Arrays keep first-seen order without
//!   duplicates (items compared by value, 1 equals 1.0); objects merge, the last value for a
//!   key winning (intersection keeps keys present in every object).

use std::borrow::Cow;
use std::collections::HashSet;

use serde_json::{Map, Value};

use super::{Args, Env};
use crate::playbook::expr::error::ExprError;
use crate::playbook::expr::value::{loose_equals, to_text, Num};

/// The collection functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CollectionFn {
    Chunk,
    Contains,
    Empty,
    First,
    Intersection,
    Join,
    Last,
    Length,
    Reverse,
    Skip,
    Sort,
    Take,
    Union,
}

pub fn call<'a>(f: CollectionFn, args: &mut Args<'a>, env: &mut Env<'_, 'a>) -> Result<Cow<'a, Value>, ExprError> {
    let value = match f {
        CollectionFn::First | CollectionFn::Last => return first_or_last(f == CollectionFn::First, args),
        CollectionFn::Contains => Value::Bool(contains(args)?),
        CollectionFn::Empty => Value::Bool(match args.get(0)? {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(items) => items.is_empty(),
            Value::Object(map) => map.is_empty(),
            _ => return Err(args.type_error(0, "a string, an array or an object")),
        }),
        CollectionFn::Length => match args.get(0)? {
            Value::String(s) => Value::from(s.chars().count()),
            Value::Array(items) => Value::from(items.len()),
            _ => return Err(args.type_error(0, "an array or a string")),
        },
        CollectionFn::Join => {
            let (items, delimiter) = (args.array(0)?, args.str(1)?);
            let parts: Vec<Cow<'_, str>> = items.iter().map(to_text).collect();
            let len = parts.iter().map(|p| p.len()).sum::<usize>() + delimiter.len() * parts.len().saturating_sub(1);
            env.meter.check_string_len(len, args.span)?;
            Value::String(parts.join(delimiter))
        }
        CollectionFn::Reverse => Value::Array(args.array(0)?.iter().rev().cloned().collect()),
        CollectionFn::Chunk => chunk(args)?,
        CollectionFn::Sort => sort(args)?,
        CollectionFn::Skip | CollectionFn::Take => skip_or_take(f == CollectionFn::Skip, args)?,
        CollectionFn::Union | CollectionFn::Intersection => combine(f == CollectionFn::Union, args)?,
    };
    Ok(Cow::Owned(value))
}

fn first_or_last<'a>(first: bool, args: &mut Args<'a>) -> Result<Cow<'a, Value>, ExprError> {
    match args.get(0)? {
        Value::String(s) => {
            let c = if first { s.chars().next() } else { s.chars().next_back() };
            return Ok(Cow::Owned(Value::String(c.map(String::from).unwrap_or_default())));
        }
        Value::Array(_) => {}
        _ => return Err(args.type_error(0, "an array or a string")),
    }
    let pick = |items: &'a [Value]| if first { items.first() } else { items.last() };
    Ok(match args.take(0)? {
        Cow::Borrowed(Value::Array(items)) => pick(items).map_or(Cow::Owned(Value::Null), Cow::Borrowed),
        Cow::Owned(Value::Array(mut items)) if first && !items.is_empty() => Cow::Owned(items.swap_remove(0)),
        Cow::Owned(Value::Array(mut items)) if !first => Cow::Owned(items.pop().unwrap_or(Value::Null)),
        _ => Cow::Owned(Value::Null),
    })
}

fn contains(args: &Args<'_>) -> Result<bool, ExprError> {
    let needle = args.get(1)?;
    match args.get(0)? {
        Value::String(text) => match needle {
            Value::String(s) => Ok(text.contains(s.as_str())),
            _ => Err(args.type_error(1, "a string when the collection is a string")),
        },
        Value::Array(items) => Ok(items.iter().any(|item| loose_equals(item, needle))),
        Value::Object(map) => match needle {
            Value::String(key) => Ok(map.contains_key(key)),
            _ => Err(args.type_error(1, "a string when the collection is an object")),
        },
        _ => Err(args.type_error(0, "a string, an array or an object")),
    }
}

fn count_arg(args: &Args<'_>, i: usize) -> Result<usize, ExprError> {
    let n = args.int(i)?;
    usize::try_from(n).map_err(|_| args.invalid(i, format!("the count must be a non-negative integer, not {n}")))
}

fn skip_or_take(skip: bool, args: &Args<'_>) -> Result<Value, ExprError> {
    let n = count_arg(args, 1)?;
    match args.get(0)? {
        Value::Array(items) if skip => Ok(Value::Array(items.iter().skip(n).cloned().collect())),
        Value::Array(items) => Ok(Value::Array(items.iter().take(n).cloned().collect())),
        Value::String(s) if !skip => Ok(Value::String(s.chars().take(n).collect())),
        _ if skip => Err(args.type_error(0, "an array")),
        _ => Err(args.type_error(0, "an array or a string")),
    }
}

/// A text that two values share exactly when they are equal by value (numbers normalized,
/// object keys sorted), for de-duplication in one pass.
fn canonical(value: &Value) -> String {
    match value {
        Value::Number(_) => match Num::of(value) {
            Some(Num::Float(f)) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{f:.0}"),
            _ => value.to_string(),
        },
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        Value::Object(map) => {
            let mut entries: Vec<String> =
                map.iter().map(|(k, v)| format!("{}:{}", Value::from(k.as_str()), canonical(v))).collect();
            entries.sort();
            format!("{{{}}}", entries.join(","))
        }
        _ => value.to_string(),
    }
}

fn combine(union: bool, args: &Args<'_>) -> Result<Value, ExprError> {
    match args.get(0)? {
        Value::Array(_) => {
            let lists = (0..args.len()).map(|i| args.array(i)).collect::<Result<Vec<_>, _>>()?;
            let keys: Vec<HashSet<String>> = lists.iter().map(|l| l.iter().map(canonical).collect()).collect();
            let mut seen = HashSet::new();
            let from = if union { lists.len() } else { 1 };
            let candidates = lists.iter().take(from).flat_map(|l| l.iter());
            let mut out = Vec::new();
            for item in candidates {
                let key = canonical(item);
                if (union || keys.iter().all(|k| k.contains(&key))) && seen.insert(key) {
                    out.push(item.clone());
                }
            }
            Ok(Value::Array(out))
        }
        Value::Object(_) => {
            let maps = (0..args.len()).map(|i| args.object(i)).collect::<Result<Vec<_>, _>>()?;
            let mut out = Map::new();
            for map in &maps {
                for (k, v) in *map {
                    if union || maps.iter().all(|m| m.contains_key(k)) {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Ok(Value::Object(out))
        }
        _ => Err(args.type_error(0, "an array or an object")),
    }
}

fn chunk(args: &Args<'_>) -> Result<Value, ExprError> {
    let size = usize::try_from(args.int(1)?).ok().filter(|n| *n > 0).ok_or_else(|| {
        args.invalid(1, "The template language function 'chunk' expects its second parameter (the length) to be a positive integer.")
    })?;
    Ok(match args.get(0)? {
        Value::String(s) => {
            let chars: Vec<char> = s.chars().collect();
            Value::Array(chars.chunks(size).map(|c| Value::String(c.iter().collect())).collect())
        }
        Value::Array(items) => Value::Array(items.chunks(size).map(|c| Value::Array(c.to_vec())).collect()),
        _ => return Err(args.type_error(0, "a string or an array")),
    })
}

fn sort(args: &Args<'_>) -> Result<Value, ExprError> {
    let items = args.array(0)?;
    let key = args.opt_str(1)?;
    let sort_value = |item: &Value| -> Option<Value> {
        match key {
            Some(k) => item.as_object().and_then(|m| m.get(k)).cloned(),
            None => Some(item.clone()),
        }
    };
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        let value = sort_value(item).filter(|v| matches!(v, Value::Number(_) | Value::String(_) | Value::Bool(_)));
        let Some(value) = value else {
            let what = key.map_or_else(
                || "numbers, strings or booleans".to_owned(),
                |k| format!("objects whose '{k}' is a number, a string or a boolean"),
            );
            return Err(
                args.invalid(0, format!("The template language function 'sort' sorts {what}; an item is {item}."))
            );
        };
        keyed.push((value, item));
    }
    let kinds: HashSet<u8> = keyed
        .iter()
        .map(|(v, _)| match v {
            Value::Number(_) => 0,
            Value::String(_) => 1,
            _ => 2,
        })
        .collect();
    if kinds.len() > 1 {
        return Err(args.invalid(0, "The template language function 'sort' cannot sort items of different types."));
    }
    keyed.sort_by(|(a, _), (b, _)| match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        _ => crate::playbook::expr::value::compare(a, b).unwrap_or(std::cmp::Ordering::Equal),
    });
    Ok(Value::Array(keyed.into_iter().map(|(_, item)| item.clone()).collect()))
}
