//! Compiling each action type's own keys into its [`Step`] (the container keys `actions`,
//! `else`, `cases`, `default`, `foreach`, `expression`, `limit`, and each type's `inputs`).
//! Types are matched ignoring case, as real templates write both `Wait` and `wait`.

use chrono::Duration;
use serde_json::Value;

use crate::syntax::{Node, NodeKind};

use super::codes;
use super::compile::{Compiler, Surface};
use super::control::{Case, Foreach, If, Switch, Until, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MAX_UNTIL_COUNT};
use super::duration::parse_iso8601;
use super::step::{
    Connector, DateTime, DateTimeKind, ParseJson, Projection, Step, Table, TableFormat, Terminate, TerminateStatus,
};

/// Real Logic Apps types that only run when a mock answers them.
pub const MOCK_ONLY: &[&str] = &[
    "Workflow",
    "Function",
    "JavaScriptCode",
    "SendToBatch",
    "Expression",
    "ApiManagement",
    "FlatFileDecoding",
    "FlatFileEncoding",
    "Xslt",
    "Liquid",
    "XmlValidation",
    "IntegrationAccountArtifactLookup",
];

/// Every type this tool knows, for "did you mean" help.
pub const KNOWN_TYPES: &[&str] = &[
    "ApiConnection",
    "ApiConnectionWebhook",
    "Http",
    "HttpWebhook",
    "If",
    "Switch",
    "Foreach",
    "Until",
    "Scope",
    "InitializeVariable",
    "SetVariable",
    "IncrementVariable",
    "DecrementVariable",
    "AppendToArrayVariable",
    "AppendToStringVariable",
    "Compose",
    "ParseJson",
    "Query",
    "Select",
    "Join",
    "Table",
    "Terminate",
    "Wait",
    "Response",
];

impl Compiler<'_> {
    pub(super) fn step(&mut self, name: &str, type_name: &str, span: crate::syntax::Span, def: &Node) -> Option<Step> {
        let inputs = def.get_ignore_case("inputs");
        let lower = type_name.to_ascii_lowercase();
        let step = match lower.as_str() {
            "apiconnection" | "apiconnectionwebhook" => {
                Step::Connector(self.connector(name, def, lower.ends_with("webhook"))?)
            }
            "http" | "httpwebhook" => Step::Http(self.input_or_null(inputs)),
            "if" => Step::If(If {
                condition: self.condition(def.get_ignore_case("expression"), span),
                then: self.block(def.get_ignore_case("actions")),
                otherwise: self.block(def.get_ignore_case("else").and_then(|e| e.get_ignore_case("actions"))),
            }),
            "switch" => Step::Switch(self.switch(def, span)),
            "foreach" => Step::Foreach(self.foreach(def, span)),
            "until" => Step::Until(self.until(name, def, span)),
            "scope" => Step::Scope(self.block(def.get_ignore_case("actions"))),
            "initializevariable"
            | "setvariable"
            | "incrementvariable"
            | "decrementvariable"
            | "appendtoarrayvariable"
            | "appendtostringvariable" => Step::Variable(self.variable(&lower, inputs, span)?),
            "compose" => Step::Compose(self.input_or_null(inputs)),
            "parsejson" => Step::ParseJson(ParseJson {
                content: self.input_or_null(inputs.and_then(|i| i.get_ignore_case("content"))),
                schema: inputs.and_then(|i| i.get_ignore_case("schema")).map_or(Value::Null, Node::to_value),
            }),
            "query" => Step::Query(self.projection(inputs, "where", span)),
            "select" => Step::Select(self.projection(inputs, "select", span)),
            "join" => Step::Join(self.input_or_null(inputs)),
            "table" => Step::Table(self.table(inputs, span)?),
            "terminate" => Step::Terminate(self.terminate(inputs, span)?),
            "wait" => Step::Wait(self.input_or_null(inputs)),
            "response" => Step::Response(self.input_or_null(inputs)),
            "expression" if date_time_kind(def).is_some() => {
                Step::DateTime(DateTime { kind: date_time_kind(def)?, inputs: self.input_or_null(inputs) })
            }
            _ if MOCK_ONLY.iter().any(|t| t.eq_ignore_ascii_case(type_name)) => {
                let kind = def.get_ignore_case("kind").and_then(Node::as_str);
                let message = match kind {
                    Some(kind) if lower == "expression" => format!(
                        "`{type_name}` actions of kind `{kind}` are not run by this tool: `{name}` runs only when a mock answers it"
                    ),
                    _ => format!(
                        "`{type_name}` actions are not run by this tool: `{name}` runs only when a mock answers it"
                    ),
                };
                self.warning(codes::MOCK_ONLY_TYPE, span, message);
                Step::MockOnly(self.input_or_null(inputs))
            }
            _ => {
                let mut d = crate::diagnostic::Diagnostic::error(
                    codes::UNKNOWN_STEP_KIND,
                    &self.source.path,
                    Some(span),
                    format!("unknown action type `{type_name}` in `{name}`"),
                )
                .with_label("not a Logic Apps action type");
                if let Some(near) = crate::diagnostic::did_you_mean(type_name, KNOWN_TYPES.iter().copied()) {
                    d = d.with_help(format!("did you mean `{near}`?"));
                }
                self.diags.push(d);
                return None;
            }
        };
        Some(step)
    }

    fn connector(&mut self, name: &str, def: &Node, webhook: bool) -> Option<Connector> {
        let Some(inputs) = def.get_ignore_case("inputs") else {
            self.error(codes::MISSING_KEY, def.span, format!("connector action `{name}` has no `inputs`"));
            return None;
        };
        let connection_node = inputs.get_ignore_case("host").and_then(|h| h.get_ignore_case("connection"));
        let reference = connection_node
            .and_then(|c| c.get_ignore_case("name").or_else(|| c.get_ignore_case("referenceName")))
            .and_then(Node::as_str)
            .unwrap_or_default();
        let connection = connection_key(reference);
        let api = match self.connections.get(&connection) {
            Some(api) => api.clone(),
            None => {
                let span = connection_node.map_or(inputs.span, |c| c.span);
                let message = format!("connection `{connection}` is not declared in `$connections`; its connector is taken to be `{connection}`");
                self.warning(codes::UNKNOWN_CONNECTION, span, message);
                connection.clone()
            }
        };
        let rendered: Vec<_> = match &inputs.kind {
            NodeKind::Map(entries) => {
                entries.iter().filter(|(k, _)| !k.name.eq_ignore_ascii_case("host")).cloned().collect()
            }
            _ => Vec::new(),
        };
        let inputs = self.input(&Node { kind: NodeKind::Map(rendered), span: inputs.span });
        Some(Connector { connection, api, webhook, inputs })
    }

    fn switch(&mut self, def: &Node, span: crate::syntax::Span) -> Switch {
        let on = match def.get_ignore_case("expression") {
            Some(e) => self.input(e),
            None => {
                self.error(codes::MISSING_KEY, span, "a Switch needs an `expression`");
                super::input::Input::literal(Value::Null)
            }
        };
        let mut cases = Vec::new();
        if let Some(NodeKind::Map(entries)) = def.get_ignore_case("cases").map(|c| &c.kind) {
            for (key, case) in entries {
                let value = case.get_ignore_case("case").map(Node::to_value).unwrap_or(Value::Null);
                if !matches!(value, Value::String(_) | Value::Number(_)) {
                    self.error(
                        codes::WRONG_TYPE,
                        case.span,
                        format!("case `{}` needs a string or number `case` value", key.name),
                    );
                }
                cases.push(Case {
                    name: key.name.clone(),
                    value,
                    actions: self.block(case.get_ignore_case("actions")),
                });
            }
        }
        let default = self.block(def.get_ignore_case("default").and_then(|d| d.get_ignore_case("actions")));
        Switch { on, cases, default }
    }

    fn foreach(&mut self, def: &Node, span: crate::syntax::Span) -> Foreach {
        let over = match def.get_ignore_case("foreach") {
            Some(n) => self.input(n),
            None => {
                self.error(codes::MISSING_KEY, span, "a Foreach needs a `foreach` expression");
                super::input::Input::literal(Value::Array(Vec::new()))
            }
        };
        let sequential = def
            .get_ignore_case("operationOptions")
            .and_then(Node::as_str)
            .is_some_and(|o| o.eq_ignore_ascii_case("Sequential"));
        let repetitions = def
            .get_ignore_case("runtimeConfiguration")
            .and_then(|r| r.get_ignore_case("concurrency"))
            .and_then(|c| c.get_ignore_case("repetitions"));
        let concurrency = match repetitions.map(|n| (&n.kind, n.span)) {
            _ if sequential => 1,
            Some((NodeKind::Int(n), _)) if (1..=i64::from(MAX_CONCURRENCY)).contains(n) => {
                u32::try_from(*n).unwrap_or(1)
            }
            Some((_, span)) => {
                let message = format!("`concurrency.repetitions` must be an integer from 1 to {MAX_CONCURRENCY}");
                self.error(codes::INVALID_VALUE, span, message);
                1
            }
            None => DEFAULT_CONCURRENCY,
        };
        Foreach { over, concurrency, actions: self.block(def.get_ignore_case("actions")) }
    }

    fn until(&mut self, name: &str, def: &Node, span: crate::syntax::Span) -> Until {
        let limit = def.get_ignore_case("limit");
        let count = match limit.and_then(|l| l.get_ignore_case("count")).map(|c| (&c.kind, c.span)) {
            Some((NodeKind::Int(n), _)) if (1..=i64::from(MAX_UNTIL_COUNT)).contains(n) => {
                u32::try_from(*n).unwrap_or(1)
            }
            Some((_, span)) => {
                let message = format!("`limit.count` must be an integer from 1 to {MAX_UNTIL_COUNT}");
                self.error(codes::INVALID_VALUE, span, message);
                1
            }
            None => {
                let message = format!("Until loop `{name}` has no `limit.count`; every loop needs a bound");
                let limit = match self.surface {
                    Surface::Yaml => "limit: {count: N}",
                    Surface::LogicApps => r#""limit": {"count": N}"#,
                };
                self.diags.push(
                    crate::diagnostic::Diagnostic::error(
                        codes::UNTIL_WITHOUT_LIMIT,
                        &self.source.path,
                        Some(span),
                        message,
                    )
                    .with_help(format!("add `{limit}` (Logic Apps allows up to {MAX_UNTIL_COUNT})")),
                );
                1
            }
        };
        let timeout = limit.and_then(|l| l.get_ignore_case("timeout")).and_then(|t| {
            let parsed = t.as_str().and_then(parse_iso8601);
            if parsed.is_none() {
                self.error(codes::INVALID_VALUE, t.span, "`limit.timeout` must be an ISO 8601 duration such as PT1H");
            }
            parsed
        });
        Until {
            condition: self.condition(def.get_ignore_case("expression"), span),
            count,
            timeout: timeout.filter(|t| *t > Duration::zero()),
            actions: self.block(def.get_ignore_case("actions")),
        }
    }

    fn projection(&mut self, inputs: Option<&Node>, each: &str, span: crate::syntax::Span) -> Projection {
        let get = |key: &str| inputs.and_then(|i| i.get_ignore_case(key));
        if get("from").is_none() || get(each).is_none() {
            self.error(codes::MISSING_KEY, span, format!("this action needs `inputs.from` and `inputs.{each}`"));
        }
        Projection { from: self.input_or_null(get("from")), each: self.input_or_null(get(each)) }
    }

    fn table(&mut self, inputs: Option<&Node>, span: crate::syntax::Span) -> Option<Table> {
        let get = |key: &str| inputs.and_then(|i| i.get_ignore_case(key));
        let format = match get("format").and_then(Node::as_str).and_then(TableFormat::parse) {
            Some(format) => format,
            None => {
                self.error(
                    codes::INVALID_VALUE,
                    get("format").map_or(span, |n| n.span),
                    "a Table's `format` is HTML or CSV",
                );
                return None;
            }
        };
        let mut columns = Vec::new();
        for column in get("columns").and_then(Node::items).unwrap_or_default() {
            let header = column
                .get_ignore_case("header")
                .map(Node::to_value)
                .map(|v| crate::playbook::expr::value::to_text(&v).into_owned());
            columns.push((header.unwrap_or_default(), self.input_or_null(column.get_ignore_case("value"))));
        }
        Some(Table { from: self.input_or_null(get("from")), format, columns })
    }

    fn terminate(&mut self, inputs: Option<&Node>, span: crate::syntax::Span) -> Option<Terminate> {
        let status_node = inputs.and_then(|i| i.get_ignore_case("runStatus"));
        let status = match status_node.and_then(Node::as_str).and_then(TerminateStatus::parse) {
            Some(status) => status,
            None => {
                self.error(
                    codes::INVALID_VALUE,
                    status_node.map_or(span, |n| n.span),
                    "`runStatus` is Succeeded, Failed or Cancelled",
                );
                return None;
            }
        };
        let error = inputs.and_then(|i| i.get_ignore_case("runError")).map(|e| self.input(e));
        Some(Terminate { status, error })
    }
}

/// The `$connections` key in `@parameters('$connections')['KEY']['connectionId']` (or the
/// text itself when it is a plain `referenceName`).
pub fn connection_key(reference: &str) -> String {
    let after = reference.find("$connections").map_or(reference, |i| reference.get(i..).unwrap_or_default());
    let key = after.find("['").and_then(|i| {
        let rest = after.get(i + 2..)?;
        rest.find("']").and_then(|j| rest.get(..j))
    });
    key.unwrap_or(reference).to_owned()
}

/// The Date Time kind of an `Expression` action, when its `kind` is one.
fn date_time_kind(def: &Node) -> Option<DateTimeKind> {
    def.get_ignore_case("kind").and_then(Node::as_str).and_then(DateTimeKind::parse)
}
