//! Mocks inferred from the playbook itself: for every external call (a connector operation the
//! built-in Sentinel connector does not answer, an `Http` call, an action type that runs only
//! with a mock), an answer in the static-results shape whose outputs are what the playbook
//! reads from them.
//!
//! - [`walk`] reads every expression of the compiled workflow (the trees the model already
//!   holds) and collects, per action, the paths read from its record and hints about their
//!   types: `body('X')?['a']?['b']`, `outputs('X')?['statusCode']`, `items('Loop')` of a
//!   Foreach over `body('X')?['value']`, Filter/Select/Table `from`, `actions('X')`,
//!   `result('Scope')`, values passed through Parse JSON (whose schema applies), Compose and
//!   variables.
//! - [`known`] adds the shapes the reference knows for common operations.
//! - [`shape`] merges all that into a value with typed placeholders
//!   (`"<body.data.attributes.reputation>"`, 0, false, one-item arrays).
//! - [`scaffold`] writes it as a commented mocks file (`mocks scaffold`); [`Inference::answers`]
//!   gives the same answers to the runtime (`--infer-mocks`).
//!
//! Every answer is Succeeded with status 200; the actions that run after a call on another
//! status (a failure branch) are listed, not taken, and what the playbook reads from a failed
//! answer (`body('X')?['error']?['message']`) is listed but left out of the answer. A body the
//! playbook only compares with null is null (a `PATCH` answering 204). Deterministic: calls
//! and properties are sorted.
//!
//! Stage: compiled model -> mocks. No I/O.

pub mod known;
pub mod origin;
pub mod scaffold;
pub mod shape;
pub mod walk;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use serde_json::{json, Map, Value};

use crate::playbook::connectors::watchlists::Watchlists;
use crate::playbook::connectors::{self, Call, Effects};
use crate::playbook::expr::{Part, Template, ValueTemplate};
use crate::playbook::model::{Action, Canned, Input, Playbook, Status, StatusSet, Step};

use origin::{Dotted, Seg};
use shape::{Hint, Node, Reader, Renderer};
use walk::Walker;

/// What inference gives for one playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    pub playbook: String,
    /// The file the playbook was loaded from.
    pub file: String,
    /// One per external call, sorted by action name.
    pub calls: Vec<InferredCall>,
}

/// One external call and its inferred answer.
#[derive(Debug, Clone, PartialEq)]
pub struct InferredCall {
    pub action: String,
    /// The connector API (`virustotal`, `custom:x`, `http`); `None` for the types that run only
    /// with a mock.
    pub connector: Option<String>,
    /// Lower case, when the playbook writes it literally.
    pub method: Option<String>,
    /// The path (the URI for Http) as a mock path template: `*` where the playbook computes it.
    pub path: Option<String>,
    /// `{statusCode: 200, headers, body}`.
    pub outputs: Value,
    /// Who reads what: each reader with the paths it reads (`body.data.id`), deepest only.
    pub readings: Vec<(Reader, Vec<String>)>,
    /// Actions that run after this one on other statuses than Succeeded (its failure branches).
    pub branches: Vec<(String, StatusSet)>,
    /// The loop it runs in, when it does (`For_each`).
    pub in_loop: Option<String>,
}

impl InferredCall {
    /// The answer, as a mock would give it.
    pub fn canned(&self) -> Canned {
        Canned {
            status: Status::Succeeded,
            code: None,
            outputs: self.outputs.clone(),
            error: None,
            duration: Duration::zero(),
        }
    }

    /// True when a mock's `match.path` can hold the path as written (a literal `{` or `}` would
    /// read as a hole).
    pub fn path_matchable(&self) -> bool {
        self.path.as_deref().is_some_and(|p| !p.contains(['{', '}']))
    }
}

impl Inference {
    /// The answers by action name (lower case), for the runtime.
    pub fn answers(&self) -> BTreeMap<String, Canned> {
        self.calls.iter().map(|c| (c.action.to_lowercase(), c.canned())).collect()
    }
}

/// Infers the answers to `playbook`'s external calls.
pub fn infer(playbook: &Playbook) -> Inference {
    let walker = Walker::run(playbook);
    let all = playbook.all_actions();
    let mut calls: Vec<InferredCall> = all
        .iter()
        .filter_map(|action| external(action))
        .map(|(action, call)| complete(call, action, &walker, &all))
        .collect();
    calls.sort_by(|a, b| a.action.cmp(&b.action));
    Inference { playbook: playbook.name.clone(), file: playbook.source.path.clone(), calls }
}

/// The call an action makes when nothing but a mock answers it: not a built-in Sentinel
/// operation, and not answered by the template's own static result.
fn external(action: &Action) -> Option<(&Action, InferredCall)> {
    if action.static_result.is_some() {
        return None;
    }
    let (connector, inputs, path_key) = match &action.step {
        Step::Connector(c) => (Some(c.api.clone()), Some(&c.inputs), "path"),
        Step::Http(i) => (Some("http".to_owned()), Some(i), "uri"),
        Step::MockOnly(_) => (None, None, ""),
        _ => return None,
    };
    let method = inputs.and_then(|i| field(i, "method")).and_then(|m| match m {
        ValueTemplate::Literal(Value::String(s)) => Some(s.to_ascii_lowercase()),
        _ => None,
    });
    let path = inputs.and_then(|i| field(i, path_key)).as_ref().and_then(glob);
    let call = InferredCall {
        action: action.name.clone(),
        connector,
        method,
        path,
        outputs: Value::Null,
        readings: Vec::new(),
        branches: Vec::new(),
        in_loop: None,
    };
    if let Step::Connector(c) = &action.step {
        if c.is_sentinel() && builtin(&call) {
            return None;
        }
    }
    Some((action, call))
}

/// True when the built-in Sentinel connector answers the call (asked with a value in every
/// hole of the path and no incident: it answers, or leaves the call to mocks).
fn builtin(call: &InferredCall) -> bool {
    let probe = probe(call.path.as_deref().unwrap_or_default());
    let inputs = json!({"body": null});
    let method = call.method.as_deref().unwrap_or_default();
    let probe_call = Call { action: &call.action, api: "azuresentinel", method, path: &probe, inputs: &inputs };
    let (mut changes, mut watchlists, mut warnings) = (Vec::new(), Watchlists::default(), Vec::new());
    let mut effects = Effects {
        incident: None,
        alert_id: None,
        watchlists: &mut watchlists,
        warnings: &mut warnings,
        changes: &mut changes,
        playbook: "",
        step: "",
        now: "",
    };
    connectors::sentinel::answer(&probe_call, &mut effects).is_some()
}

/// The path with a value in each `*`.
fn probe(glob: &str) -> String {
    glob.replace('*', "x")
}

/// The entry `key` of an input object (any case).
fn field(input: &Input, key: &str) -> Option<ValueTemplate> {
    match &input.template {
        ValueTemplate::Object(entries) => {
            entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.clone())
        }
        ValueTemplate::Literal(Value::Object(map)) => {
            map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| ValueTemplate::Literal(v.clone()))
        }
        _ => None,
    }
}

/// A string value as a mock path template: its text, `*` for each expression.
fn glob(value: &ValueTemplate) -> Option<String> {
    let mut out = String::new();
    let push = |text: &str, out: &mut String| out.push_str(text);
    match value {
        ValueTemplate::Literal(Value::String(s)) | ValueTemplate::String(Template::Literal(s)) => push(s, &mut out),
        ValueTemplate::String(Template::Expression(_)) => push("*", &mut out),
        ValueTemplate::String(Template::Interpolated(parts)) => {
            for part in parts {
                match part {
                    Part::Text(t) => push(t, &mut out),
                    Part::Expr(_) if out.ends_with('*') => {}
                    Part::Expr(_) => push("*", &mut out),
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

/// Fills in a call's answer and comments from what the walk found.
fn complete(mut call: InferredCall, action: &Action, walker: &Walker<'_>, all: &[&Action]) -> InferredCall {
    let key = |k: &str| Seg::Key(k.to_owned());
    let record = walker.records.get(&action.name);
    let outputs = record.and_then(|r| r.get(&[key("outputs")]));
    let mut body = outputs.and_then(|o| o.get(&[key("body")])).cloned().unwrap_or_default();
    // The error of a failed answer is not part of a successful one.
    body.children.retain(|k, _| !k.eq_ignore_ascii_case("error"));
    if let Some(sample) = known::body(
        call.connector.as_deref().unwrap_or_default(),
        call.method.as_deref().unwrap_or_default(),
        &probe(call.path.as_deref().unwrap_or_default()),
    ) {
        body.merge_sample(&sample);
    }
    let mut renderer = Renderer::new(&walker.records);
    let mut out = Map::new();
    out.insert("statusCode".into(), json!(200));
    if let Some(headers) = outputs.and_then(|o| o.get(&[key("headers")])) {
        let value = if headers.children.is_empty() {
            json!({})
        } else {
            renderer.render(Some(headers), &[], &mut vec![key("headers")])
        };
        out.insert("headers".into(), value);
    }
    // Selecting `error` made it an object; nothing else did.
    let null_checked = body.hints.contains(&Hint::NullChecked)
        && body.hints.iter().all(|h| matches!(h, Hint::NullChecked | Hint::Object));
    let value = if null_checked && body.children.is_empty() && body.item.is_none() && body.json.is_none() {
        Value::Null
    } else if body.is_bare() {
        json!({})
    } else {
        renderer.render(Some(&body), &[], &mut vec![key("body")])
    };
    out.insert("body".into(), value);
    // Other keys of `outputs` are not the static-results shape: a mocks file refuses them.
    call.outputs = Value::Object(out);
    call.readings = readings(record);
    call.branches = all
        .iter()
        .flat_map(|a| a.run_after.iter().map(move |d| (a, d)))
        .filter(|(_, d)| d.action.eq_ignore_ascii_case(&action.name) && d.statuses != StatusSet::SUCCEEDED)
        .map(|(a, d)| (a.name.clone(), d.statuses))
        .collect();
    call.branches.sort_by(|a, b| a.0.cmp(&b.0));
    call.in_loop = walker.loop_of(&action.name).map(str::to_owned);
    call
}

/// Each reader of a record's outputs with the deepest paths it reads, as `body.data.id`.
fn readings(record: Option<&Node>) -> Vec<(Reader, Vec<String>)> {
    let Some(outputs) = record.and_then(|r| r.get(&[Seg::Key("outputs".into())])) else { return Vec::new() };
    let mut found: BTreeMap<Reader, BTreeSet<Vec<Seg>>> = BTreeMap::new();
    outputs.readings(&mut Vec::new(), &mut found);
    found
        .into_iter()
        .map(|(reader, paths)| {
            let deepest: Vec<String> = paths
                .iter()
                .filter(|p| !paths.iter().any(|q| q.len() > p.len() && q.starts_with(p)))
                .map(|p| match p.as_slice() {
                    [] => "outputs".to_owned(),
                    [Seg::Key(b), Seg::Key(e), ..] if b == "body" && e.eq_ignore_ascii_case("error") => {
                        format!("{} (when it fails)", Dotted(p))
                    }
                    _ => Dotted(p).to_string(),
                })
                .collect();
            (reader, deepest)
        })
        .collect()
}
