//! Functions over content that is not JSON ([`crate::playbook::expr::content`] envelopes):
//!
//! - binary: `binary(x)` and `base64ToBinary(b64)` give `application/octet-stream` envelopes;
//!   `dataUriToBinary(uri)` = `decodeDataUri(uri)` an envelope of the data URI's own type
//!   (`text/plain;charset=utf-8`); `uriComponentToBinary(x)` the decoded bytes
//!   (`uriComponentToBinary('https%3A%2F%2Fcontoso.com')` holds `aHR0cHM6Ly9jb250b3NvLmNvbQ==`);
//! - XML: `xml(value)` and `xpath(xml, expression)` (see [`crate::playbook::expr::xml`]);
//! - form data: `formDataValue(action, key)` / `formDataMultiValues(action, key)` and the
//!   `trigger...` forms read the body of an action's outputs (or the trigger's): a `$formdata`
//!   list of `{key, value}`, or form-encoded text (`a=1&b=2`, plain or in an envelope). Keys
//!   compare exactly. `...Value` fails unless exactly one value matches (the reference: "If
//!   the function finds more than one match, the function throws an error"); `...MultiValues`
//!   gives every match, `[]` for none;
//! - multipart: `multipartBody(action, index)` / `triggerMultipartBody(index)` give the body
//!   of part `index` (from 0) of a `$multipart` body.

use std::borrow::Cow;

use serde_json::Value;

use super::encoding::{base64_decode, percent_decode};
use super::{Args, Env};
use crate::playbook::expr::content::{self, envelope, OCTETS};
use crate::playbook::expr::error::{ErrorKind, ExprError};
use crate::playbook::expr::xml;

/// The content functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentFn {
    Base64ToBinary,
    Binary,
    DataUriToBinary,
    DecodeDataUri,
    FormDataMultiValues,
    FormDataValue,
    MultipartBody,
    TriggerFormDataMultiValues,
    TriggerFormDataValue,
    TriggerMultipartBody,
    UriComponentToBinary,
    Xml,
    Xpath,
}

pub fn call(f: ContentFn, args: &Args<'_>, env: &mut Env<'_, '_>) -> Result<Value, ExprError> {
    Ok(match f {
        ContentFn::Binary => match args.get(0)? {
            Value::Null => return Err(args.type_error(0, "a value that is not null")),
            _ => envelope(OCTETS, args.text(0)?.as_bytes()),
        },
        ContentFn::Base64ToBinary => {
            let text = args.str(0)?;
            let bytes = base64_decode(text.trim()).ok_or_else(|| {
                args.invalid(0, "The template language function 'base64ToBinary' expects a valid base64 string.")
            })?;
            envelope(OCTETS, &bytes)
        }
        ContentFn::DataUriToBinary | ContentFn::DecodeDataUri => {
            let uri = args.str(0)?;
            let (meta, data) = uri
                .strip_prefix("data:")
                .and_then(|rest| rest.split_once(','))
                .ok_or_else(|| args.invalid(0, format!("'{uri}' is not a data URI")))?;
            let (content_type, bytes) = match meta.strip_suffix(";base64") {
                Some(ct) => (
                    ct,
                    base64_decode(data.trim())
                        .ok_or_else(|| args.invalid(0, "the data URI's base64 content is not valid"))?,
                ),
                None => (meta, percent_decode(data).into_bytes()),
            };
            let content_type = if content_type.is_empty() { "text/plain;charset=US-ASCII" } else { content_type };
            envelope(content_type, &bytes)
        }
        ContentFn::UriComponentToBinary => envelope(OCTETS, percent_decode(args.str(0)?).as_bytes()),
        ContentFn::Xml => xml::xml(args.get(0)?).map_err(|m| {
            args.invalid(0, format!("The template language function 'xml' parameter is not valid: {m}"))
        })?,
        ContentFn::Xpath => xml::xpath::xpath(args.get(0)?, args.str(1)?).map_err(|m| args.invalid(1, m))?,
        ContentFn::FormDataValue | ContentFn::FormDataMultiValues => {
            let body = action_body(args, env)?;
            form_data(args, &body, 1, f == ContentFn::FormDataValue)?
        }
        ContentFn::TriggerFormDataValue | ContentFn::TriggerFormDataMultiValues => {
            let body = trigger_body(env);
            form_data(args, &body, 0, f == ContentFn::TriggerFormDataValue)?
        }
        ContentFn::MultipartBody => {
            let body = action_body(args, env)?;
            part(args, &body, 1)?
        }
        ContentFn::TriggerMultipartBody => part(args, &trigger_body(env), 0)?,
    })
}

fn action_body(args: &Args<'_>, env: &Env<'_, '_>) -> Result<Value, ExprError> {
    let name = args.str(0)?;
    let record = env.ctx.action(name).ok_or_else(|| {
        args.error(
            ErrorKind::UnknownAction,
            format!("The action '{name}' has not run (or does not exist) in this run."),
        )
    })?;
    Ok(record.value.pointer("/outputs/body").cloned().unwrap_or(Value::Null))
}

fn trigger_body(env: &Env<'_, '_>) -> Value {
    env.ctx.trigger().and_then(|t| t.pointer("/outputs/body").cloned()).unwrap_or(Value::Null)
}

/// The values of `key` in a form-data body.
fn form_data(args: &Args<'_>, body: &Value, key_at: usize, single: bool) -> Result<Value, ExprError> {
    let key = args.str(key_at)?;
    let values: Vec<Value> = match body.get("$formdata").and_then(Value::as_array) {
        Some(items) => items
            .iter()
            .filter(|i| i.get("key").and_then(Value::as_str) == Some(key))
            .map(|i| i.get("value").cloned().unwrap_or(Value::Null))
            .collect(),
        None => {
            let text = content::text(body).or_else(|| body.as_str().map(str::to_owned)).unwrap_or_default();
            text.split('&')
                .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
                .filter(|(k, _)| percent_decode(&k.replace('+', " ")) == key)
                .map(|(_, v)| Value::String(percent_decode(&v.replace('+', " "))))
                .collect()
        }
    };
    if !single {
        return Ok(Value::Array(values));
    }
    let name = args.function.name();
    match <[Value; 1]>::try_from(values) {
        Ok([one]) => Ok(one),
        Err(values) => Err(args.invalid(
            key_at,
            format!(
                "The template language function '{name}' found {} values for the key '{key}'; it needs exactly one.",
                values.len()
            ),
        )),
    }
}

/// The body of part `index` of a multipart body.
fn part(args: &Args<'_>, body: &Value, index_at: usize) -> Result<Value, ExprError> {
    let index = args.int(index_at)?;
    let parts = body.get("$multipart").and_then(Value::as_array).ok_or_else(|| {
        args.invalid(
            index_at,
            format!("The template language function '{}' needs a multipart body ($multipart).", args.function.name()),
        )
    })?;
    usize::try_from(index)
        .ok()
        .and_then(|i| parts.get(i))
        .map(|p| p.get("body").cloned().unwrap_or(Value::Null))
        .ok_or_else(|| {
            args.invalid(index_at, format!("the multipart body has no part {index} (it has {})", parts.len()))
        })
}

/// `dataUri(x)`: an envelope keeps its content type, an object or array is JSON.
pub fn data_uri(value: &Value) -> Cow<'static, str> {
    if let Some((ct, bytes)) = content::open(value) {
        return Cow::Owned(format!("data:{ct};base64,{}", super::encoding::base64_encode(&bytes)));
    }
    let (ct, text) = match value {
        Value::Object(_) | Value::Array(_) => ("application/json;charset=utf-8", value.to_string()),
        other => ("text/plain;charset=utf-8", crate::playbook::expr::value::to_text(other).into_owned()),
    };
    Cow::Owned(format!("data:{ct};base64,{}", super::encoding::base64_encode(text.as_bytes())))
}
