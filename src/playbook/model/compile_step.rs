//! Compiling each action type's own keys into its [`Step`] (the container keys `actions`,
//! `else`, `cases`, `default`, `foreach`, `expression`, `limit`, and each type's `inputs`).
//! Types are matched ignoring case, as real templates write both `Wait` and `wait`.

use chrono::Duration;
use serde_json::Value;

use crate::rules::yaml::{Node, NodeKind};
use crate::sentinel::json;

use super::codes;
use super::compile::{Compiler, Surface};
use super::control::{Case, Foreach, If, Switch, Until, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MAX_UNTIL_COUNT};
use super::duration::parse_iso8601;
use super::step::{Connector, ParseJson, Projection, Step, Table, TableFormat, Terminate, TerminateStatus};

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
    pub(super) fn step(
        &mut self,
        name: &str,
        type_name: &str,
        span: crate::diagnostic::Span,
        def: &Node,
    ) -> Option<Step> {
        let inputs = json::get(def, "inputs");
        let lower = type_name.to_ascii_lowercase();
        let step = match lower.as_str() {
            "apiconnection" | "apiconnectionwebhook" => {
                Step::Connector(self.connector(name, def, lower.ends_with("webhook"))?)
            }
            "http" | "httpwebhook" => Step::Http(self.input_or_null(inputs)),
            "if" => Step::If(If {
                condition: self.condition(json::get(def, "expression"), span),
                then: self.block(json::get(def, "actions")),
                otherwise: self.block(json::get(def, "else").and_then(|e| json::get(e, "actions"))),
            }),
            "switch" => Step::Switch(self.switch(def, span)),
            "foreach" => Step::Foreach(self.foreach(def, span)),
            "until" => Step::Until(self.until(name, def, span)),
            "scope" => Step::Scope(self.block(json::get(def, "actions"))),
            "initializevariable"
            | "setvariable"
            | "incrementvariable"
            | "decrementvariable"
            | "appendtoarrayvariable"
            | "appendtostringvariable" => Step::Variable(self.variable(&lower, inputs, span)?),
            "compose" => Step::Compose(self.input_or_null(inputs)),
            "parsejson" => Step::ParseJson(ParseJson {
                content: self.input_or_null(inputs.and_then(|i| json::get(i, "content"))),
                schema: inputs.and_then(|i| json::get(i, "schema")).map_or(Value::Null, json::to_value),
            }),
            "query" => Step::Query(self.projection(inputs, "where", span)),
            "select" => Step::Select(self.projection(inputs, "select", span)),
            "join" => Step::Join(self.input_or_null(inputs)),
            "table" => Step::Table(self.table(inputs, span)?),
            "terminate" => Step::Terminate(self.terminate(inputs, span)?),
            "wait" => Step::Wait(self.input_or_null(inputs)),
            "response" => Step::Response(self.input_or_null(inputs)),
            _ if MOCK_ONLY.iter().any(|t| t.eq_ignore_ascii_case(type_name)) => {
                let message = format!(
                    "`{type_name}` actions are not run by this tool: `{name}` runs only when a mock answers it"
                );
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
        let Some(inputs) = json::get(def, "inputs") else {
            self.error(codes::MISSING_KEY, def.span, format!("connector action `{name}` has no `inputs`"));
            return None;
        };
        let connection_node = json::get(inputs, "host").and_then(|h| json::get(h, "connection"));
        let reference = connection_node
            .and_then(|c| json::get(c, "name").or_else(|| json::get(c, "referenceName")))
            .and_then(json::as_str)
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

    fn switch(&mut self, def: &Node, span: crate::diagnostic::Span) -> Switch {
        let on = match json::get(def, "expression") {
            Some(e) => self.input(e),
            None => {
                self.error(codes::MISSING_KEY, span, "a Switch needs an `expression`");
                super::input::Input::literal(Value::Null)
            }
        };
        let mut cases = Vec::new();
        if let Some(NodeKind::Map(entries)) = json::get(def, "cases").map(|c| &c.kind) {
            for (key, case) in entries {
                let value = json::get(case, "case").map(json::to_value).unwrap_or(Value::Null);
                if !matches!(value, Value::String(_) | Value::Number(_)) {
                    self.error(
                        codes::WRONG_TYPE,
                        case.span,
                        format!("case `{}` needs a string or number `case` value", key.name),
                    );
                }
                cases.push(Case { name: key.name.clone(), value, actions: self.block(json::get(case, "actions")) });
            }
        }
        let default = self.block(json::get(def, "default").and_then(|d| json::get(d, "actions")));
        Switch { on, cases, default }
    }

    fn foreach(&mut self, def: &Node, span: crate::diagnostic::Span) -> Foreach {
        let over = match json::get(def, "foreach") {
            Some(n) => self.input(n),
            None => {
                self.error(codes::MISSING_KEY, span, "a Foreach needs a `foreach` expression");
                super::input::Input::literal(Value::Array(Vec::new()))
            }
        };
        let sequential = json::get(def, "operationOptions")
            .and_then(json::as_str)
            .is_some_and(|o| o.eq_ignore_ascii_case("Sequential"));
        let repetitions = json::get(def, "runtimeConfiguration")
            .and_then(|r| json::get(r, "concurrency"))
            .and_then(|c| json::get(c, "repetitions"));
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
        Foreach { over, concurrency, actions: self.block(json::get(def, "actions")) }
    }

    fn until(&mut self, name: &str, def: &Node, span: crate::diagnostic::Span) -> Until {
        let limit = json::get(def, "limit");
        let count = match limit.and_then(|l| json::get(l, "count")).map(|c| (&c.kind, c.span)) {
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
        let timeout = limit.and_then(|l| json::get(l, "timeout")).and_then(|t| {
            let parsed = json::as_str(t).and_then(parse_iso8601);
            if parsed.is_none() {
                self.error(codes::INVALID_VALUE, t.span, "`limit.timeout` must be an ISO 8601 duration such as PT1H");
            }
            parsed
        });
        Until {
            condition: self.condition(json::get(def, "expression"), span),
            count,
            timeout: timeout.filter(|t| *t > Duration::zero()),
            actions: self.block(json::get(def, "actions")),
        }
    }

    fn projection(&mut self, inputs: Option<&Node>, each: &str, span: crate::diagnostic::Span) -> Projection {
        let get = |key: &str| inputs.and_then(|i| json::get(i, key));
        if get("from").is_none() || get(each).is_none() {
            self.error(codes::MISSING_KEY, span, format!("this action needs `inputs.from` and `inputs.{each}`"));
        }
        Projection { from: self.input_or_null(get("from")), each: self.input_or_null(get(each)) }
    }

    fn table(&mut self, inputs: Option<&Node>, span: crate::diagnostic::Span) -> Option<Table> {
        let get = |key: &str| inputs.and_then(|i| json::get(i, key));
        let format = match get("format").and_then(json::as_str).and_then(TableFormat::parse) {
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
        for column in get("columns").and_then(json::items).unwrap_or_default() {
            let header = json::get(column, "header")
                .map(json::to_value)
                .map(|v| crate::playbook::expr::value::to_text(&v).into_owned());
            columns.push((header.unwrap_or_default(), self.input_or_null(json::get(column, "value"))));
        }
        Some(Table { from: self.input_or_null(get("from")), format, columns })
    }

    fn terminate(&mut self, inputs: Option<&Node>, span: crate::diagnostic::Span) -> Option<Terminate> {
        let status_node = inputs.and_then(|i| json::get(i, "runStatus"));
        let status = match status_node.and_then(json::as_str).and_then(TerminateStatus::parse) {
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
        let error = inputs.and_then(|i| json::get(i, "runError")).map(|e| self.input(e));
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
