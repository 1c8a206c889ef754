//! URI parsing functions: `uriHost`, `uriPath`, `uriPathAndQuery`, `uriPort`, `uriQuery`,
//! `uriScheme`, for absolute URIs `scheme://[userinfo@]host[:port][/path][?query][#fragment]`.
//! `uriPath` is "/" when the path is empty; `uriQuery` keeps its "?"; `uriPort` falls back to
//! the scheme's default (http 80, https 443, ftp 21). Anything that is not an absolute URI is
//! an invalid argument.

use serde_json::Value;

use super::Args;
use crate::playbook::expr::error::ExprError;

/// The URI functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UriFn {
    Host,
    Path,
    PathAndQuery,
    Port,
    Query,
    Scheme,
}

struct Parts<'u> {
    scheme: &'u str,
    host: &'u str,
    port: Option<&'u str>,
    path: &'u str,
    query: &'u str,
}

fn parse(uri: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = uri.split_once("://")?;
    let valid_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid_scheme {
        return None;
    }
    let rest = rest.split('#').next().unwrap_or_default();
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || host_port.starts_with('[') => (h, Some(p)),
        _ => (host_port, None),
    };
    if host.is_empty() || port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let query_start = tail.find('?').unwrap_or(tail.len());
    let (path, query) = tail.split_at(query_start);
    Some(Parts { scheme, host, port, path, query })
}

pub fn call(f: UriFn, args: &Args<'_>) -> Result<Value, ExprError> {
    let uri = args.str(0)?;
    let parts = parse(uri).ok_or_else(|| args.invalid(0, format!("'{uri}' is not a valid absolute URI")))?;
    let path = if parts.path.is_empty() { "/" } else { parts.path };
    Ok(match f {
        UriFn::Host => Value::from(parts.host),
        UriFn::Path => Value::from(path),
        UriFn::PathAndQuery => Value::from(format!("{path}{}", parts.query)),
        UriFn::Query => Value::from(parts.query),
        UriFn::Scheme => Value::from(parts.scheme.to_ascii_lowercase()),
        UriFn::Port => {
            let default = match parts.scheme.to_ascii_lowercase().as_str() {
                "http" | "ws" => Some(80),
                "https" | "wss" => Some(443),
                "ftp" => Some(21),
                _ => None,
            };
            match parts.port.map(str::parse::<u16>) {
                Some(Ok(port)) => Value::from(port),
                Some(Err(_)) => return Err(args.invalid(0, format!("'{uri}' has an invalid port"))),
                None => default.map_or(Value::Null, Value::from),
            }
        }
    })
}
