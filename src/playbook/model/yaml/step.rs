//! One YAML step -> one WDL action. Each step has exactly one kind key:
//!
//! | kind key | Logic Apps type | body |
//! |---|---|---|
//! | `sentinel.<op>` | ApiConnection (azuresentinel) | see [`super::sentinel`] |
//! | `call` | ApiConnection(Webhook) | `{connector, connection?, method, path, body?, queries?, headers?, webhook?}` |
//! | `http` | Http | `{method, uri, headers?, queries?, body?, authentication?}` |
//! | `if` | If | a condition (expression string or predicate mapping); siblings `then`, `else`: steps |
//! | `switch` | Switch | an expression; siblings `cases: {Name: {case, steps}}`, `default`: steps |
//! | `foreach` | Foreach | an expression; siblings `steps`, `concurrency` (1 = sequential) |
//! | `until` | Until | a condition; siblings `steps`, `limit: {count, timeout?}` |
//! | `scope` | Scope | steps |
//! | `initialize_variable` | InitializeVariable | `{name, type, value?}` or a list of them |
//! | `set_variable`, `increment_variable`, `decrement_variable`, `append_to_array`, `append_to_string` | the variable actions | `{name, value}` |
//! | `compose` | Compose | any value |
//! | `parse_json` | ParseJson | `{content, schema?}` |
//! | `query` | Query | `{from, where}` |
//! | `select` | Select | `{from, select}` |
//! | `join` | Join | `{from, with}` |
//! | `table` | Table | `{from, format: html/csv, columns?: [{header, value}]}` |
//! | `terminate` | Terminate | `{status: Succeeded/Failed/Cancelled, code?, message?}` |
//! | `wait` | Wait | `{count, unit}` or `{until: timestamp}` |
//! | `response` | Response | `{status_code, headers?, body?}` |
//! | `type` | as written | the other Logic Apps keys as is (`inputs`, `expression`, ...) |

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::{Key, Node, NodeKind, Span};

use super::super::codes;
use super::{Desugar, COMMON_KEYS};

/// A step kind: its key, the id its steps get by default, the keys a step of this kind takes
/// beside the kind key and [`COMMON_KEYS`], and the keys of its body when the body is a
/// mapping whose keys are checked (`None`: steps, an expression, a condition or any value).
/// The decoder and the JSON Schema ([`crate::playbook::schema`]) both read this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub key: &'static str,
    pub default_id: &'static str,
    pub siblings: &'static [&'static str],
    pub body: Option<&'static [&'static str]>,
}

const fn kind(
    key: &'static str,
    default_id: &'static str,
    siblings: &'static [&'static str],
    body: Option<&'static [&'static str]>,
) -> Kind {
    Kind { key, default_id, siblings, body }
}

/// The prefix of the built-in Sentinel operations' kind keys (`sentinel.add_comment`).
pub const SENTINEL_PREFIX: &str = "sentinel.";

/// The keys of the variable steps that name a variable and give a value.
const VARIABLE_KEYS: &[&str] = &["name", "value"];

/// Every kind key but `sentinel.*` ([`super::sentinel::OPS`]).
pub const KINDS: &[Kind] = &[
    kind(
        "type",
        "Action",
        &[
            "inputs",
            "expression",
            "actions",
            "else",
            "cases",
            "default",
            "foreach",
            "limit",
            "runtimeConfiguration",
            "operationOptions",
            "kind",
        ],
        None,
    ),
    kind(
        "call",
        "Call_connector",
        &[],
        Some(&["connector", "connection", "method", "path", "body", "queries", "headers", "webhook"]),
    ),
    kind("http", "HTTP", &[], Some(&["method", "uri", "headers", "queries", "body", "authentication"])),
    kind("if", "Condition", &["then", "else"], None),
    kind("switch", "Switch", &["cases", "default"], None),
    kind("foreach", "For_each", &["steps", "concurrency"], None),
    kind("until", "Until", &["steps", "limit"], None),
    kind("scope", "Scope", &[], None),
    kind("initialize_variable", "Initialize_variable", &[], None),
    kind("set_variable", "Set_variable", &[], Some(VARIABLE_KEYS)),
    kind("increment_variable", "Increment_variable", &[], Some(VARIABLE_KEYS)),
    kind("decrement_variable", "Decrement_variable", &[], Some(VARIABLE_KEYS)),
    kind("append_to_array", "Append_to_array_variable", &[], Some(VARIABLE_KEYS)),
    kind("append_to_string", "Append_to_string_variable", &[], Some(VARIABLE_KEYS)),
    kind("compose", "Compose", &[], None),
    kind("parse_json", "Parse_JSON", &[], Some(&["content", "schema"])),
    kind("query", "Filter_array", &[], Some(&["from", "where"])),
    kind("select", "Select", &[], Some(&["from", "select"])),
    kind("join", "Join", &[], Some(&["from", "with"])),
    kind("table", "Create_table", &[], Some(&["from", "format", "columns"])),
    kind("terminate", "Terminate", &[], Some(&["status", "code", "message"])),
    kind("wait", "Delay", &[], Some(&["count", "unit", "until"])),
    kind("response", "Response", &[], Some(&["status_code", "headers", "body"])),
];

/// The keys of one `cases` entry of a `switch` step.
pub const CASE_KEYS: &[&str] = &["case", "steps"];

/// The kind named `key` (not `sentinel.*`).
pub fn find_kind(key: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.key == key)
}

impl Desugar<'_> {
    /// Desugars one step; `previous` is the id of the step before it in the same list.
    pub fn step(&mut self, item: &Node, previous: Option<&str>, names: &[(String, String)]) -> Option<(Key, Node)> {
        let NodeKind::Map(entries) = &item.kind else {
            self.wrong_type(item, "a step mapping");
            return None;
        };
        let kinds: Vec<&(Key, Node)> = entries
            .iter()
            .filter(|(k, _)| k.name.starts_with(SENTINEL_PREFIX) || find_kind(&k.name).is_some())
            .collect();
        let (kind_key, body) = match kinds.as_slice() {
            [(k, b)] => (k, b),
            [] => {
                let names: Vec<&str> = KINDS.iter().map(|k| k.key).collect();
                let message =
                    "a step needs one kind key (`sentinel.add_comment`, `call`, `if`, `foreach`, `compose`, ...)";
                let mut d = Diagnostic::error(codes::UNKNOWN_STEP_KIND, self.path, Some(item.span), message);
                if let Some((k, _)) = entries.iter().find(|(k, _)| !COMMON_KEYS.contains(&k.name.as_str())) {
                    d.span = Some(k.span);
                    d.message = format!("unknown step kind `{}`", k.name);
                    if let Some(near) = did_you_mean(&k.name, names) {
                        d = d.with_help(format!("did you mean `{near}`?"));
                    }
                }
                self.push(d);
                return None;
            }
            [_, (second, _), ..] => {
                self.error(
                    codes::UNKNOWN_STEP_KIND,
                    second.span,
                    format!("a step has one kind; `{}` is a second one", second.name),
                );
                return None;
            }
        };
        let kind = find_kind(&kind_key.name);
        let siblings: &[&str] = kind.map_or(&[], |k| k.siblings);
        let allowed: Vec<&str> =
            [kind_key.name.as_str()].into_iter().chain(COMMON_KEYS.iter().chain(siblings).copied()).collect();
        // Only the known keys go on (a misspelt key is reported, never used).
        let item = &self.body(item, &format!("a `{}` step", kind_key.name), &allowed).node;
        let default_id = match kind_key.name.strip_prefix(SENTINEL_PREFIX) {
            Some(op) => super::sentinel::find_op(op).map_or("Sentinel_action", |o| o.default_id).to_owned(),
            None => kind.map_or("Action", |k| k.default_id).to_owned(),
        };
        let id = self.id(item, &default_id);
        let mut action = match kind_key.name.strip_prefix(SENTINEL_PREFIX) {
            Some(op) => self.sentinel(op, kind_key, body)?,
            None => {
                let what = format!("`{}`", kind_key.name);
                let body = match kind.and_then(|k| k.body) {
                    Some(keys) => self.body(body, &what, keys),
                    None => Body { node: body.clone(), suggested: Vec::new() },
                };
                self.kind(&kind_key.name, kind_key, &body, item)?
            }
        };
        let run_after = self.run_after(item, previous, names);
        if let NodeKind::Map(fields) = &mut action.kind {
            fields.retain(|(k, _)| k.name != "runAfter");
            fields.push((Key { name: "runAfter".into(), span: item.span }, run_after));
            if let Some(secure) = item.get("secure") {
                let config = Node::map(
                    secure.span,
                    vec![("secureData", Node::map(secure.span, vec![("properties", secure.clone())]))],
                );
                fields.push((Key { name: "runtimeConfiguration".into(), span: secure.span }, config));
            }
        }
        // The action's position: its `id` when given (that is its name), else its `name`.
        let span = item.get("id").or_else(|| item.get("name")).map_or(kind_key.span, |n| n.span);
        Some((Key { name: id, span }, action))
    }

    /// Builds the WDL action for every kind but `sentinel.*`.
    fn kind(&mut self, kind: &str, key: &Key, checked: &Body, item: &Node) -> Option<Node> {
        let span = key.span;
        let body = &checked.node;
        let sibling = |name: &str| item.get(name);
        let action = |type_name: &str, fields: Vec<(&str, Node)>| wdl_action(span, type_name, fields);
        Some(match kind {
            "type" => {
                let fields: Vec<(Key, Node)> = match &item.kind {
                    NodeKind::Map(entries) => {
                        entries.iter().filter(|(k, _)| !COMMON_KEYS.contains(&k.name.as_str())).cloned().collect()
                    }
                    _ => Vec::new(),
                };
                Node { kind: NodeKind::Map(fields), span: item.span }
            }
            "call" => self.call(checked, span)?,
            "http" => action("Http", vec![("inputs", body.clone())]),
            "if" => {
                let then = sibling("then").map_or_else(|| Node::map(span, vec![]), |t| self.steps(t));
                let otherwise = sibling("else").map_or_else(|| Node::map(span, vec![]), |e| self.steps(e));
                action(
                    "If",
                    vec![
                        ("expression", body.clone()),
                        ("actions", then),
                        ("else", Node::map(span, vec![("actions", otherwise)])),
                    ],
                )
            }
            "switch" => self.switch(item, body, span),
            "foreach" => {
                let steps = sibling("steps").map_or_else(|| Node::map(span, vec![]), |s| self.steps(s));
                let mut fields = vec![("foreach", body.clone()), ("actions", steps)];
                if let Some(c) = sibling("concurrency") {
                    fields.push((
                        "runtimeConfiguration",
                        Node::map(c.span, vec![("concurrency", Node::map(c.span, vec![("repetitions", c.clone())]))]),
                    ));
                }
                action("Foreach", fields)
            }
            "until" => {
                let steps = sibling("steps").map_or_else(|| Node::map(span, vec![]), |s| self.steps(s));
                let mut fields = vec![("expression", body.clone()), ("actions", steps)];
                if let Some(limit) = sibling("limit") {
                    fields.push(("limit", limit.clone()));
                }
                action("Until", fields)
            }
            "scope" => action("Scope", vec![("actions", self.steps(body))]),
            _ => self.data_kind(kind, span, body)?,
        })
    }

    /// `call`: an `ApiConnection` (or `ApiConnectionWebhook`) action on the connection the
    /// body names (the connector's own name by default), remembered for the connections list.
    fn call(&mut self, checked: &Body, span: Span) -> Option<Node> {
        let body = &checked.node;
        let connector = self.required_field(checked, "connector", "`call`")?;
        let connector = connector.as_str().map(str::to_owned).or_else(|| {
            self.wrong_type(&connector, "a connector name");
            None
        })?;
        let connection = body.get("connection").and_then(Node::as_str).unwrap_or(&connector).to_owned();
        self.connections.entry(connection.clone()).or_insert_with(|| connector.clone());
        let webhook = matches!(body.get("webhook").map(|w| &w.kind), Some(NodeKind::Bool(true)));
        let mut inputs = vec![("host", host(span, &connection))];
        for field in ["method", "path", "body", "queries", "headers"] {
            if let Some(value) = body.get(field) {
                inputs.push((field, value.clone()));
            }
        }
        let type_name = if webhook { "ApiConnectionWebhook" } else { "ApiConnection" };
        Some(wdl_action(span, type_name, vec![("inputs", Node::map(body.span, inputs))]))
    }

    /// `switch`: the expression, its `cases` (each `{case, steps}`) and `default`.
    fn switch(&mut self, item: &Node, body: &Node, span: Span) -> Node {
        let mut cases = Vec::new();
        if let Some(NodeKind::Map(entries)) = item.get("cases").map(|c| &c.kind) {
            for (case_key, case) in entries {
                let case = &self.body(case, &format!("case `{}`", case_key.name), CASE_KEYS).node;
                let value = case.get("case").cloned().unwrap_or_else(|| Node::text(case.span, ""));
                let steps = case.get("steps").map_or_else(|| Node::map(case.span, vec![]), |s| self.steps(s));
                cases.push((case_key.clone(), Node::map(case.span, vec![("case", value), ("actions", steps)])));
            }
        } else if let Some(c) = item.get("cases") {
            self.error(codes::WRONG_TYPE, c.span, "`cases` maps case names to {case, steps}");
        }
        let default = item.get("default").map_or_else(|| Node::map(span, vec![]), |d| self.steps(d));
        let cases = Node { kind: NodeKind::Map(cases), span };
        wdl_action(
            span,
            "Switch",
            vec![
                ("expression", body.clone()),
                ("cases", cases),
                ("default", Node::map(span, vec![("actions", default)])),
            ],
        )
    }

    /// Checks the keys of a mapping `body` against `allowed`: unknown keys are reported and
    /// left out. A body that is not a mapping is kept as written (the compiler reports it).
    pub fn body(&mut self, body: &Node, what: &str, allowed: &[&str]) -> Body {
        match body.is_map().then(|| self.fields(body, what, allowed)).flatten() {
            Some(f) => {
                let suggested = allowed.iter().filter(|k| f.suggested(k)).map(|k| (*k).to_owned()).collect();
                Body { node: f.to_node(body.span), suggested }
            }
            None => Body { node: body.clone(), suggested: Vec::new() },
        }
    }

    /// A required field of a checked body, or "missing `field` in what" (not when a misspelt
    /// key was reported with `field` as its suggestion).
    pub fn required_field(&mut self, body: &Body, field: &str, what: &str) -> Option<Node> {
        let found = body.node.get(field).cloned();
        if found.is_none() && !body.suggested.iter().any(|s| s == field) {
            self.missing(body.node.start(), field, what);
        }
        found
    }
}

/// A step body whose keys were checked ([`Desugar::body`]).
pub struct Body {
    /// The body with its known keys only.
    pub node: Node,
    /// Keys suggested for misspelt ones.
    suggested: Vec<String>,
}

/// `host: {connection: {name: "@parameters('$connections')['KEY']['connectionId']"}}`.
pub fn host(span: Span, connection: &str) -> Node {
    let reference = format!("@parameters('$connections')['{connection}']['connectionId']");
    Node::map(span, vec![("connection", Node::map(span, vec![("name", Node::text(span, &reference))]))])
}

/// A WDL action of `type_name` with these fields after its `type`.
fn wdl_action(span: Span, type_name: &str, mut fields: Vec<(&str, Node)>) -> Node {
    fields.insert(0, ("type", Node::text(span, type_name)));
    Node::map(span, fields)
}
