//! [`Step`]: what an action does, a closed enum with one variant per Logic Apps action type
//! this tool runs. Control-flow steps hold their nested [`Block`]s ([`control`](super::control));
//! the rest hold their compiled [`Input`]s. Each variant has its own runtime file under
//! `playbook/run/steps/`.

use serde_json::Value;

use crate::playbook::expr::Function;
use crate::syntax::Span;

use super::action::Block;
use super::control::{Foreach, If, Switch, Until};
use super::input::Input;

/// The behaviour of an action.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `ApiConnection` / `ApiConnectionWebhook`: a managed connector operation.
    Connector(Connector),
    /// `Http`: a raw HTTP call (answered by mocks under connector `http`).
    Http(Input),
    If(If),
    Switch(Switch),
    Foreach(Foreach),
    Until(Until),
    Scope(Block),
    Variable(Variable),
    Compose(Input),
    ParseJson(ParseJson),
    /// `Query`: `{from, where}`, the items of `from` for which `where` holds.
    Query(Projection),
    /// `Select`: `{from, select}`, `select` rendered for each item.
    Select(Projection),
    /// `Join`: `{from, joinWith}`.
    Join(Input),
    Table(Table),
    Terminate(Terminate),
    /// `Wait`: `{interval: {count, unit}}` or `{until: {timestamp}}`.
    Wait(Input),
    /// `Response`: `{statusCode, headers, body}` for a Request trigger.
    Response(Input),
    /// `Expression` of a Date Time kind (`CurrentTime`, `AddToTime`, ...): run on the
    /// simulated clock.
    DateTime(DateTime),
    /// A real Logic Apps type this tool does not run itself (`Workflow`, `Function`,
    /// `JavaScriptCode`, `SendToBatch`, an `Expression` of another kind, ...): it runs only
    /// with a mock.
    MockOnly(Input),
}

/// The built-in Date Time actions (type `Expression`, told apart by `kind`), each the WDL
/// function of the same name on its inputs: the output's body is the timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateTimeKind {
    /// `utcNow()`: the simulated clock.
    CurrentTime,
    /// `addToTime(baseTime, interval, timeUnit)`.
    AddToTime,
    /// `subtractFromTime(baseTime, interval, timeUnit)`.
    SubtractFromTime,
    /// `getFutureTime(interval, timeUnit)`.
    GetFutureTime,
    /// `getPastTime(interval, timeUnit)`.
    GetPastTime,
    /// `convertTimeZone(baseTime, sourceTimeZone, destinationTimeZone, formatString)`.
    ConvertTimeZone,
}

impl DateTimeKind {
    /// The kind as written (any case), when it is a Date Time one.
    pub fn parse(kind: &str) -> Option<DateTimeKind> {
        Some(match kind.to_ascii_lowercase().as_str() {
            "currenttime" => DateTimeKind::CurrentTime,
            "addtotime" => DateTimeKind::AddToTime,
            "subtractfromtime" => DateTimeKind::SubtractFromTime,
            "getfuturetime" => DateTimeKind::GetFutureTime,
            "getpasttime" => DateTimeKind::GetPastTime,
            "converttimezone" => DateTimeKind::ConvertTimeZone,
            _ => return None,
        })
    }

    /// The WDL function it is, and the input keys that are its arguments, in order.
    pub fn function(self) -> (&'static str, &'static [&'static str]) {
        match self {
            DateTimeKind::CurrentTime => ("utcNow", &[]),
            DateTimeKind::AddToTime => ("addToTime", &["baseTime", "interval", "timeUnit"]),
            DateTimeKind::SubtractFromTime => ("subtractFromTime", &["baseTime", "interval", "timeUnit"]),
            DateTimeKind::GetFutureTime => ("getFutureTime", &["interval", "timeUnit"]),
            DateTimeKind::GetPastTime => ("getPastTime", &["interval", "timeUnit"]),
            DateTimeKind::ConvertTimeZone => {
                ("convertTimeZone", &["baseTime", "sourceTimeZone", "destinationTimeZone", "formatString"])
            }
        }
    }
}

/// A Date Time action: its kind and its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct DateTime {
    pub kind: DateTimeKind,
    pub inputs: Input,
}

impl Step {
    /// The blocks nested in this step, in order (If: then, else; Switch: cases, default).
    pub fn blocks(&self) -> Vec<&Block> {
        match self {
            Step::If(s) => vec![&s.then, &s.otherwise],
            Step::Switch(s) => s.cases.iter().map(|c| &c.actions).chain(std::iter::once(&s.default)).collect(),
            Step::Foreach(s) => vec![&s.actions],
            Step::Until(s) => vec![&s.actions],
            Step::Scope(b) => vec![b],
            _ => Vec::new(),
        }
    }

    /// Every input template of the step itself (not of nested actions).
    pub fn inputs(&self) -> Vec<&Input> {
        match self {
            Step::Connector(c) => vec![&c.inputs],
            Step::Http(i)
            | Step::Compose(i)
            | Step::Join(i)
            | Step::Wait(i)
            | Step::Response(i)
            | Step::MockOnly(i) => vec![i],
            Step::DateTime(d) => vec![&d.inputs],
            Step::If(s) => s.condition.inputs(),
            Step::Switch(s) => vec![&s.on],
            Step::Foreach(s) => vec![&s.over],
            Step::Until(s) => s.condition.inputs(),
            Step::Scope(_) => Vec::new(),
            Step::Variable(v) => v.values.iter().collect(),
            Step::ParseJson(p) => vec![&p.content],
            Step::Query(p) | Step::Select(p) => vec![&p.from, &p.each],
            Step::Table(t) => std::iter::once(&t.from).chain(t.columns.iter().map(|(_, v)| v)).collect(),
            Step::Terminate(t) => t.error.iter().collect(),
        }
    }
}

/// A connector operation: the connection, the API it resolves to, and the inputs
/// (`method`, `path`, `queries`, `headers`, `body`) as one template.
#[derive(Debug, Clone, PartialEq)]
pub struct Connector {
    /// The `$connections` key (`azuresentinel`, `microsoftsentinel`, `teams_1`, ...).
    pub connection: String,
    /// The managed API (`azuresentinel`, `office365`, ...) from the connection's `id`, or
    /// `custom:<name>` for a custom connector; the key when the id does not say.
    pub api: String,
    /// `ApiConnectionWebhook`: the call waits for a callback (approvals, adaptive cards).
    pub webhook: bool,
    pub inputs: Input,
}

impl Connector {
    /// True for the Microsoft Sentinel connector (`azuresentinel`, whatever the connection key).
    pub fn is_sentinel(&self) -> bool {
        self.api.eq_ignore_ascii_case("azuresentinel")
    }
}

/// The variable actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableOp {
    Initialize,
    Set,
    Increment,
    Decrement,
    AppendToArray,
    AppendToString,
}

/// The type an InitializeVariable declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableType {
    String,
    Integer,
    Float,
    Boolean,
    Array,
    Object,
}

impl VariableType {
    pub const ALL: [VariableType; 6] = [
        VariableType::String,
        VariableType::Integer,
        VariableType::Float,
        VariableType::Boolean,
        VariableType::Array,
        VariableType::Object,
    ];

    /// Parses a declared type ignoring case; `int` and `bool` are accepted too.
    pub fn parse(text: &str) -> Option<VariableType> {
        Some(match text.to_ascii_lowercase().as_str() {
            "string" => VariableType::String,
            "integer" | "int" => VariableType::Integer,
            "float" => VariableType::Float,
            "boolean" | "bool" => VariableType::Boolean,
            "array" => VariableType::Array,
            "object" => VariableType::Object,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VariableType::String => "String",
            VariableType::Integer => "Integer",
            VariableType::Float => "Float",
            VariableType::Boolean => "Boolean",
            VariableType::Array => "Array",
            VariableType::Object => "Object",
        }
    }
}

/// A variable action. Initialize declares `names.len()` variables with their types and
/// optional values; the others name one variable and carry one value (Increment and
/// Decrement: optional, default 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    pub op: VariableOp,
    pub names: Vec<String>,
    /// Where each name is written.
    pub name_spans: Vec<Span>,
    pub types: Vec<VariableType>,
    /// One per name (Initialize: null when no value is given).
    pub values: Vec<Input>,
}

/// ParseJson: `content` and the schema (checked for `type` and `required`).
#[derive(Debug, Clone, PartialEq)]
pub struct ParseJson {
    pub content: Input,
    pub schema: Value,
}

/// Query (`each` = the `where` condition) and Select (`each` = the `select` map).
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub from: Input,
    pub each: Input,
}

/// Table output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Html,
    Csv,
}

impl TableFormat {
    pub const ALL: [TableFormat; 2] = [TableFormat::Html, TableFormat::Csv];

    pub fn as_str(self) -> &'static str {
        match self {
            TableFormat::Html => "HTML",
            TableFormat::Csv => "CSV",
        }
    }

    /// Parses `HTML` or `CSV`, ignoring case.
    pub fn parse(text: &str) -> Option<TableFormat> {
        TableFormat::ALL.into_iter().find(|f| f.as_str().eq_ignore_ascii_case(text))
    }
}

/// Table: `from`, the format, and custom columns (header, value per item) when given.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub from: Input,
    pub format: TableFormat,
    pub columns: Vec<(String, Input)>,
}

/// The units of a Wait's `interval` (matched ignoring case).
pub const WAIT_UNITS: [&str; 6] = ["Second", "Minute", "Hour", "Day", "Week", "Month"];

/// The run status a Terminate action sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TerminateStatus {
    Succeeded,
    Failed,
    Cancelled,
}

impl TerminateStatus {
    pub const ALL: [TerminateStatus; 3] =
        [TerminateStatus::Succeeded, TerminateStatus::Failed, TerminateStatus::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            TerminateStatus::Succeeded => "Succeeded",
            TerminateStatus::Failed => "Failed",
            TerminateStatus::Cancelled => "Cancelled",
        }
    }

    /// Parses `Succeeded`, `Failed` or `Cancelled`, ignoring case.
    pub fn parse(text: &str) -> Option<TerminateStatus> {
        TerminateStatus::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

/// Terminate: the status and, for Failed, the `runError` (`{code, message}`).
#[derive(Debug, Clone, PartialEq)]
pub struct Terminate {
    pub status: TerminateStatus,
    pub error: Option<Input>,
}

/// A predicate of the object form of conditions (`{"and": [{"equals": ["@x", 1]}]}`).
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    And(Vec<Predicate>),
    Or(Vec<Predicate>),
    Not(Box<Predicate>),
    /// A function over evaluated operands (`equals`, `contains`, `greater`, ...).
    Call(Function, Vec<Input>),
    /// A value that must be a boolean (`"@equals(a, b)"` inside an `and` list).
    Value(Input),
}

impl Predicate {
    /// Every operand template, depth first.
    pub fn inputs(&self) -> Vec<&Input> {
        match self {
            Predicate::And(items) | Predicate::Or(items) => items.iter().flat_map(Predicate::inputs).collect(),
            Predicate::Not(inner) => inner.inputs(),
            Predicate::Call(_, args) => args.iter().collect(),
            Predicate::Value(input) => vec![input],
        }
    }
}
