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

use crate::diagnostic::Diagnostic;
use crate::syntax::{Case, Codes, Decoder, Format, Key, Node, NodeKind, Span};

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

/// Mocks files: every problem is PB023; keys spelt exactly.
pub const FORMAT: Format = Format { codes: Codes::all(codes::MOCKS), case: Case::Exact };

/// Reads a mocks file (YAML or JSON); problems are PB023 diagnostics.
pub fn load(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Mocks {
    let Some(root) = Decoder::new(path, text, FORMAT, diags).parse_yaml() else { return Mocks::default() };
    load_tree(path, text, &root, diags)
}

/// [`load`] of a file already parsed into `root` (the workspace parses each file once).
pub fn load_tree(path: &str, text: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> Mocks {
    let mut local = Vec::new();
    let mut d = Decoder::new(path, text, FORMAT, diags);
    let Some(list) = d.fields(root, "a mocks file", &["mocks"]).and_then(|f| d.required(&f, "mocks", "mocks file"))
    else {
        return Mocks::default();
    };
    let Some(items) = list.items() else {
        d.wrong_type(list, "a list of mocks");
        return Mocks::default();
    };
    let mock_keys: Vec<&str> = ["match"].into_iter().chain(KEYS.iter().copied()).collect();
    let mut mocks = Vec::new();
    for item in items {
        let Some(f) = d.fields(item, "a mock", &mock_keys) else { continue };
        // `outputs` is the static-results shape: a typo there would silently give the action an
        // answer without its body or status code.
        if let Some(outputs) = f.get("outputs").filter(|o| o.is_map()) {
            d.fields(outputs, "a mock's `outputs`", OUTPUT_KEYS);
        }
        let matcher = f.get("match").and_then(|m| matcher(&mut d, m));
        if matcher.is_none() {
            d.error(codes::MOCKS, item.span, "a mock needs `match` with `action`, or `connector`/`path`");
        }
        let mut result = f.to_node(item.span);
        if f.get("status").is_none() {
            if let NodeKind::Map(entries) = &mut result.kind {
                let key = Key { name: "status".into(), span: item.span };
                entries.push((key, Node::text(item.span, "Succeeded")));
            }
        }
        let result = canned::parse(&result, FORMAT.case, path, codes::MOCKS, &mut local);
        if let (Some(matcher), Some(result)) = (matcher, result) {
            mocks.push(Mock { matcher, result, span: item.span });
        }
    }
    diags.append(&mut local);
    Mocks { mocks }
}

fn matcher(d: &mut Decoder<'_>, node: &Node) -> Option<Matcher> {
    let f = d.fields(node, "`match`", MATCH_KEYS)?;
    let mut m = Matcher::default();
    // Scalars as written: `action: Y` is the name Y, not YAML 1.1's true.
    let mut text = |key: &str| f.get(key).and_then(|v| d.text(v, "a string")).map(|t| t.value);
    m.action = text("action");
    m.connector = text("connector");
    m.method = text("method").map(|t| t.to_ascii_lowercase());
    m.path = text("path");
    m.inputs = f.get("inputs").map(Node::to_value);
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
