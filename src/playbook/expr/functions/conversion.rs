//! Conversion functions: types, JSON, arrays, base64, data URIs and URI encoding.
//!
//! - `string(x)`: see [`to_text`](crate::playbook::expr::value::to_text) (null -> "", true -> "True", objects as compact JSON).
//! - `int(x)`: an integer string (surrounding spaces allowed) or an integral number; "10.5",
//!   "1e3", 10.5 and booleans are invalid ("The value cannot be converted to the target
//!   type", as the runtime says).
//! - `float(x, locale?)`: a number or a numeric string in the locale (default en-US: `.`
//!   decimal point, `,` thousands separators, as `float('10,000.333')` = 10000.333 in the
//!   reference); `isFloat(x, locale?)` reads strings the same way, in the invariant culture by
//!   default ([`culture`](super::culture) has the locales and the accepted shapes).
//! - `decimal(x)`: a decimal string (digits, a sign, one `.`; no exponent) as a number. Logic
//!   Apps keeps .NET decimal precision (28 digits) through `string()`; offline a decimal is a
//!   double (15 to 17 significant digits), so `string(decimal('1.2345678912312131'))` gives
//!   "1.234567891231213" rather than every digit.
//! - `bool(x)`: a boolean, a number (non-zero is true), "true"/"false" in any case.
//! - `json(x)`: parses a string; an `xml()` value converts as Newtonsoft does
//!   ([`crate::playbook::expr::xml`]); null gives {} (the reference: "If the string is null, the
//!   function returns an empty object"); an object, array or number is returned as is.
//! - `array(x)`: an array is returned as is (real templates write `array(body('A')?['value'])`
//!   on values that already are arrays), anything else (null included) is wrapped: `[x]`.
//! - `encodeUriComponent(...)` takes one or more values and encodes their concatenation (real
//!   templates call it with 2 and 3 arguments); `uriComponent` takes one.
//! - `dataUri(x)`: `text/plain;charset=utf-8` for text, `application/json` for objects and
//!   arrays, an envelope's own type for binary content. Non-strings are
//!   stringified first; null encodes to "".

use std::borrow::Cow;

use serde_json::Value;

use super::culture::{find, parse_number, Culture, EN_US, INVARIANT};
use super::encoding::{base64_decode, base64_encode, percent_decode, percent_encode};
use super::{Args, Env};
use crate::playbook::expr::error::ExprError;
use crate::playbook::expr::value::Num;

/// The conversion functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConversionFn {
    Array,
    Base64,
    Base64ToString,
    Bool,
    CreateArray,
    DataUri,
    Decimal,
    DataUriToString,
    DecodeBase64,
    DecodeUriComponent,
    EncodeUriComponent,
    Float,
    Int,
    IsFloat,
    IsInt,
    Json,
    String,
    UriComponent,
    UriComponentToString,
}

const NOT_CONVERTIBLE: &str =
    "was invoked with a parameter that is not valid. The value cannot be converted to the target type.";

pub fn call<'a>(f: ConversionFn, args: &mut Args<'a>, env: &mut Env<'_, 'a>) -> Result<Cow<'a, Value>, ExprError> {
    let not_convertible = |args: &Args<'_>| {
        args.invalid(0, format!("The template language function '{}' {NOT_CONVERTIBLE}", args.function.name()))
    };
    let value = match f {
        ConversionFn::String => Value::String(args.text(0)?.into_owned()),
        ConversionFn::Int => match args.get(0)? {
            Value::String(s) => s.trim().parse::<i64>().map(Value::from).map_err(|_| not_convertible(args))?,
            Value::Number(_) => Value::from(args.int(0).map_err(|_| not_convertible(args))?),
            _ => return Err(args.type_error(0, "a string or a number")),
        },
        ConversionFn::Float => {
            let culture = locale(args, 1, &EN_US)?;
            let f = match args.get(0)? {
                Value::String(s) => parse_number(s, culture).ok_or_else(|| not_convertible(args))?,
                Value::Number(_) => args.num(0)?.as_f64(),
                _ => return Err(args.type_error(0, "a string or a number")),
            };
            Num::Float(f).to_value().ok_or_else(|| not_convertible(args))?
        }
        ConversionFn::Bool => Value::Bool(match args.get(0)? {
            Value::Bool(b) => *b,
            Value::Number(_) => args.num(0)?.as_f64() != 0.0,
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => true,
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => false,
            Value::String(_) => return Err(not_convertible(args)),
            _ => return Err(args.type_error(0, "a boolean, a number or a string")),
        }),
        ConversionFn::IsInt => Value::Bool(match args.get(0)? {
            Value::String(s) => s.trim().parse::<i64>().is_ok(),
            value => matches!(Num::of(value), Some(Num::Int(_))),
        }),
        ConversionFn::Decimal => {
            let text = args.text(0)?;
            let t = text.trim();
            let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
            let well_formed = !unsigned.is_empty()
                && unsigned.chars().all(|c| c.is_ascii_digit() || c == '.')
                && unsigned.matches('.').count() <= 1
                && unsigned != ".";
            let value = well_formed.then(|| t.parse::<f64>().ok()).flatten().filter(|f| f.is_finite());
            Num::Float(value.ok_or_else(|| not_convertible(args))?).to_value().ok_or_else(|| not_convertible(args))?
        }
        ConversionFn::IsFloat => Value::Bool(match args.get(0)? {
            Value::String(s) => parse_number(s, locale(args, 1, &INVARIANT)?).is_some(),
            value => value.is_number(),
        }),
        ConversionFn::Json => match args.get(0)? {
            Value::String(s) => serde_json::from_str(s).map_err(|e| {
                args.invalid(0, format!("The template language function 'json' parameter is not valid JSON: {e}"))
            })?,
            Value::Null => Value::Object(serde_json::Map::new()),
            Value::Bool(_) => return Err(args.type_error(0, "a string")),
            xml if crate::playbook::expr::content::is_xml(xml) => {
                crate::playbook::expr::xml::json(xml).map_err(|m| {
                    args.invalid(0, format!("The template language function 'json' cannot convert the XML: {m}"))
                })?
            }
            _ => return args.take(0),
        },
        ConversionFn::Array => match args.take(0)? {
            array @ Cow::Borrowed(Value::Array(_)) | array @ Cow::Owned(Value::Array(_)) => return Ok(array),
            other => Value::Array(vec![other.into_owned()]),
        },
        ConversionFn::CreateArray => {
            let items = (0..args.len()).map(|i| args.take(i).map(Cow::into_owned)).collect::<Result<Vec<_>, _>>()?;
            Value::Array(items)
        }
        ConversionFn::Base64 => {
            let text = args.text(0)?;
            env.meter.check_string_len(text.len().div_ceil(3) * 4, args.span)?;
            Value::String(base64_encode(text.as_bytes()))
        }
        ConversionFn::Base64ToString | ConversionFn::DecodeBase64 => Value::String(decode_base64(args, args.str(0)?)?),
        ConversionFn::DataUri => Value::String(super::content::data_uri(args.get(0)?).into_owned()),
        ConversionFn::DataUriToString => {
            let uri = args.str(0)?;
            let (meta, data) = uri
                .strip_prefix("data:")
                .and_then(|rest| rest.split_once(','))
                .ok_or_else(|| args.invalid(0, format!("'{uri}' is not a data URI")))?;
            Value::String(if meta.ends_with(";base64") { decode_base64(args, data)? } else { percent_decode(data) })
        }
        ConversionFn::EncodeUriComponent | ConversionFn::UriComponent => {
            let text = (0..args.len()).map(|i| args.text(i)).collect::<Result<Vec<_>, _>>()?.concat();
            Value::String(percent_encode(&text))
        }
        ConversionFn::DecodeUriComponent | ConversionFn::UriComponentToString => {
            Value::String(percent_decode(args.str(0)?))
        }
    };
    Ok(Cow::Owned(value))
}

/// The culture of the optional locale argument `i`, `default` without one.
fn locale(args: &Args<'_>, i: usize, default: &'static Culture) -> Result<&'static Culture, ExprError> {
    match args.opt_str(i)? {
        Some(name) => find(name).map_err(|m| args.invalid(i, m)),
        None => Ok(default),
    }
}

fn decode_base64(args: &Args<'_>, text: &str) -> Result<String, ExprError> {
    let bytes = base64_decode(text.trim()).ok_or_else(|| {
        args.invalid(
            0,
            format!("The template language function '{}' expects a valid base64 string.", args.function.name()),
        )
    })?;
    String::from_utf8(bytes).map_err(|_| args.invalid(0, "the decoded base64 content is not UTF-8 text"))
}
