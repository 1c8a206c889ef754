//! The mocks file: answers for external calls in the Logic Apps static-results shape.
//!
//! ```yaml
//! mocks:
//!   - match: { action: Get_an_IP_report }               # by action name (any case)
//!     status: Succeeded
//!     outputs: { statusCode: 200, body: { data: { attributes: { reputation: 0 } } } }
//!   - match: { connector: office365, method: post, path: /approvalmail/$subscriptions }
//!     outputs: { body: { SelectedOption: Block } }      # an approval: the chosen option
//!     duration: PT10M                                   # simulated time the call takes
//!   - match: { connector: azuread, method: patch, path: "/v1.0/users/{user}",
//!              inputs: { body: { accountEnabled: false } } }
//!     status: Failed
//!     outputs: { statusCode: 403, body: { error: { code: Authorization_RequestDenied, message: Insufficient privileges } } }
//! ```
//!
//! A mock's `match` takes `action`, `connector` (the API: `virustotal`, `http` for Http
//! actions, `custom:<name>`), `method`, `path` (a template, see [`super::path`]; the URI for
//! Http) and `inputs` (a subset the rendered inputs must contain: objects by key, arrays
//! element by element, scalars equal). Mocks that name an action are tried first, then the
//! others; within each group the first match in file order wins. `status` defaults to
//! Succeeded.

use serde_json::Value;

use crate::diagnostic::{did_you_mean, Diagnostic, Span};
use crate::rules::yaml::{Node, NodeKind};
use crate::sentinel::json;

use super::path;
use super::Call;
use crate::playbook::model::canned::{self, Canned, KEYS};
use crate::playbook::model::codes;

/// What a mock matches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matcher {
    pub action: Option<String>,
    pub connector: Option<String>,
    pub method: Option<String>,
    pub path: Option<String>,
    pub inputs: Option<Value>,
}

/// One mock.
#[derive(Debug, Clone, PartialEq)]
pub struct Mock {
    pub matcher: Matcher,
    pub result: Canned,
    pub span: Span,
}

/// A mocks file (or none: [`Mocks::default`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mocks {
    pub mocks: Vec<Mock>,
}

const MATCH_KEYS: &[&str] = &["action", "connector", "method", "path", "inputs"];

/// Keys of a mock's `outputs` (Logic Apps' static results).
const OUTPUT_KEYS: &[&str] = &["statusCode", "headers", "body"];

/// Reads a mocks file (YAML or JSON); problems are PB023 diagnostics.
pub fn load(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Mocks {
    let root = match crate::rules::yaml::parse(text) {
        Ok(root) => root,
        Err(e) => {
            diags.push(Diagnostic::error(codes::MOCKS, path, e.span, format!("invalid mocks file: {}", e.message)));
            return Mocks::default();
        }
    };
    let mut bad = |span: Span, message: String| diags.push(Diagnostic::error(codes::MOCKS, path, Some(span), message));
    let Some(list) = json::get(&root, "mocks") else {
        bad(root.span, "a mocks file has a `mocks` list".into());
        return Mocks::default();
    };
    let Some(items) = json::items(list) else {
        bad(list.span, "`mocks` is a list".into());
        return Mocks::default();
    };
    let mut mocks = Vec::new();
    let mut local = Vec::new();
    for item in items {
        let NodeKind::Map(entries) = &item.kind else {
            bad(item.span, "a mock is a mapping with `match` and a result".into());
            continue;
        };
        for (key, _) in entries {
            if key.name != "match" && !KEYS.contains(&key.name.as_str()) {
                let help = did_you_mean(&key.name, KEYS.iter().copied().chain(["match"]))
                    .map_or(String::new(), |n| format!(" (did you mean `{n}`?)"));
                bad(key.span, format!("unknown key `{}` in a mock{help}", key.name));
            }
        }
        // `outputs` is the static-results shape: a typo there would silently give the action an
        // answer without its body or status code.
        if let Some(NodeKind::Map(entries)) = json::get(item, "outputs").map(|o| &o.kind) {
            for (key, _) in entries {
                if !OUTPUT_KEYS.contains(&key.name.as_str()) {
                    let help = did_you_mean(&key.name, OUTPUT_KEYS.iter().copied())
                        .map_or(String::new(), |n| format!(" (did you mean `{n}`?)"));
                    bad(key.span, format!("unknown key `{}` in a mock's `outputs`{help}", key.name));
                }
            }
        }
        let matcher = json::get(item, "match").and_then(|m| matcher(m, text, &mut bad));
        if matcher.is_none() {
            bad(item.span, "a mock needs `match` with `action`, or `connector`/`path`".into());
        }
        let result = if json::get(item, "status").is_some() {
            canned::parse(item, path, codes::MOCKS, &mut local)
        } else {
            let mut with_status = item.clone();
            if let NodeKind::Map(entries) = &mut with_status.kind {
                let key = crate::rules::yaml::Key { name: "status".into(), span: item.span };
                entries.push((key, Node { kind: NodeKind::Str("Succeeded".into()), span: item.span }));
            }
            canned::parse(&with_status, path, codes::MOCKS, &mut local)
        };
        if let (Some(matcher), Some(result)) = (matcher, result) {
            mocks.push(Mock { matcher, result, span: item.span });
        }
    }
    diags.append(&mut local);
    Mocks { mocks }
}

fn matcher(node: &Node, source: &str, bad: &mut impl FnMut(Span, String)) -> Option<Matcher> {
    let NodeKind::Map(entries) = &node.kind else {
        bad(node.span, "`match` is a mapping".into());
        return None;
    };
    let mut m = Matcher::default();
    for (key, value) in entries {
        // Scalars as written: `action: Y` is the name Y, not YAML 1.1's true.
        let text = value.scalar_text(source);
        if key.name != "inputs" && text.is_none() {
            bad(value.span, format!("`{}` is a string", key.name));
        }
        match key.name.as_str() {
            "action" => m.action = text,
            "connector" => m.connector = text,
            "method" => m.method = text.map(|t| t.to_ascii_lowercase()),
            "path" => m.path = text,
            "inputs" => m.inputs = Some(json::to_value(value)),
            other => {
                let help = did_you_mean(other, MATCH_KEYS.iter().copied())
                    .map_or(String::new(), |n| format!(" (did you mean `{n}`?)"));
                bad(key.span, format!("unknown key `{other}` in `match`{help}"));
            }
        }
    }
    (m.action.is_some() || m.connector.is_some() || m.path.is_some()).then_some(m)
}

impl Mocks {
    /// The mock answering `call`, if any.
    pub fn find(&self, call: &Call<'_>) -> Option<&Mock> {
        let by_action = self.mocks.iter().filter(|m| m.matcher.action.is_some());
        let by_call = self.mocks.iter().filter(|m| m.matcher.action.is_none());
        by_action.chain(by_call).find(|m| m.matcher.matches(call))
    }
}

impl Matcher {
    pub fn matches(&self, call: &Call<'_>) -> bool {
        let same = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w.eq_ignore_ascii_case(got));
        same(&self.action, call.action)
            && same(&self.connector, call.api)
            && same(&self.method, call.method)
            && self.path.as_deref().is_none_or(|t| path::matches(t, call.path))
            && self.inputs.as_ref().is_none_or(|want| contains(call.inputs, want))
    }
}

/// True when `actual` contains `want`: objects by key (recursively), arrays element by
/// element (same length), scalars equal.
pub fn contains(actual: &Value, want: &Value) -> bool {
    match (actual, want) {
        (Value::Object(a), Value::Object(w)) => w.iter().all(|(k, wv)| a.get(k).is_some_and(|av| contains(av, wv))),
        (Value::Array(a), Value::Array(w)) => a.len() == w.len() && a.iter().zip(w).all(|(av, wv)| contains(av, wv)),
        (a, w) => a == w || crate::playbook::expr::value::strict_equals(a, w),
    }
}
