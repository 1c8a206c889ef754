//! ARM template expressions (`"[concat(parameters('ws'), '/x')]"`): how a string value holds
//! one (`[...]`, with `[[` for a literal leading bracket), parsing through the shared front end
//! ([`crate::expr`]) with ARM's function table ([`ArmFunction`]), and an evaluator for the
//! functions templates that deploy automation rules and playbooks use. Parameters and
//! variables come from a [`Scope`] (the template, see [`super::template`]). Values that
//! depend on the deployment (`subscription()`, `resourceGroup()`, so also `resourceId()`
//! without explicit subscription and group) evaluate to placeholders such as
//! `{subscriptionId}` and are flagged [`Evaluated::deployment`].

use serde_json::Value;

use super::functions::call;
use super::table::ArmFunction;
use crate::expr::{ExprKind, Key, ParseError, ParseErrorKind};

/// A parsed expression, its calls resolved to [`ArmFunction`]s.
pub type Expr = crate::expr::Expr<ArmFunction>;

/// Nesting limit of one expression (calls, selections, indexes).
pub const MAX_DEPTH: usize = 64;

/// A value and whether it depends on the deployment's subscription, group or tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub value: Value,
    pub deployment: bool,
}

/// Why an expression has no value offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvalError {
    /// A parameter without a default value and without `--param`.
    NoValue(String),
    UnknownParameter(String),
    UnknownVariable(String),
    /// A function this evaluator does not implement (the name as written).
    Unsupported(String),
    /// Text between `[` and `]` that is no expression (the front end's message): ARM refuses
    /// to deploy the template.
    Syntax(String),
    /// An evaluation that fails: wrong argument types, a missing property, a cycle.
    Invalid(String),
}

impl EvalError {
    /// A front-end error about `text` (the text its span is relative to) as an evaluation
    /// error: a function outside ARM's table is one this evaluator does not implement (named
    /// as written); anything else is bad syntax, with the front end's message.
    pub fn from_parse(e: ParseError, text: &str) -> EvalError {
        match e.kind {
            ParseErrorKind::UnknownFunction | ParseErrorKind::UnsupportedFunction => {
                EvalError::Unsupported(text.get(e.span.start..e.span.end).unwrap_or_default().to_owned())
            }
            _ => EvalError::Syntax(e.message),
        }
    }
}

/// Where parameters and variables come from.
pub trait Scope {
    fn parameter(&mut self, name: &str) -> Result<Evaluated, EvalError>;
    fn variable(&mut self, name: &str) -> Result<Evaluated, EvalError>;
}

/// A string value as ARM reads it.
#[derive(Debug, Clone, PartialEq)]
pub enum StringValue {
    /// No expression: the text, a leading `[[` read as `[`.
    Literal(String),
    /// `[expr]`; spans are relative to the whole string value (the `[` is byte 0).
    Expression(Expr),
}

impl StringValue {
    /// Reads a string value: an expression when it is `[...]` (but not `[[...`).
    pub fn parse(text: &str) -> Result<StringValue, ParseError> {
        match body(text) {
            None => Ok(StringValue::Literal(literal(text))),
            Some(inner) => {
                let mut expr = parse(inner).map_err(|e| e.shifted(1))?;
                expr.shift_spans(1);
                Ok(StringValue::Expression(expr))
            }
        }
    }

    /// Evaluates the value (a literal is itself, not deployment-dependent).
    pub fn eval(&self, scope: &mut dyn Scope) -> Result<Evaluated, EvalError> {
        match self {
            StringValue::Literal(text) => Ok(plain(Value::String(text.clone()))),
            StringValue::Expression(expr) => eval(expr, scope),
        }
    }
}

/// Reads and evaluates a string value (see [`StringValue`]).
pub fn evaluate(text: &str, scope: &mut dyn Scope) -> Result<Evaluated, EvalError> {
    StringValue::parse(text).map_err(|e| EvalError::from_parse(e, text))?.eval(scope)
}

/// The expression inside a string, if the string is one: `[...]` but not `[[...` (ARM's escape
/// for a literal leading bracket).
pub fn body(text: &str) -> Option<&str> {
    if text.starts_with("[[") {
        return None;
    }
    text.strip_prefix('[').and_then(|t| t.strip_suffix(']'))
}

/// A literal string as ARM reads it: a leading `[[` stands for `[`.
pub fn literal(text: &str) -> String {
    match text.strip_prefix("[[") {
        Some(rest) => format!("[{rest}"),
        None => text.to_owned(),
    }
}

/// True when `text` is `[...]` around a syntactically valid expression, whatever functions it
/// calls (an expression kept as written because it could not be evaluated offline stays one).
pub fn is_expression(text: &str) -> bool {
    body(text).is_some_and(|inner| crate::expr::parse(inner, MAX_DEPTH).is_ok())
}

/// Parses an expression body (the text between the brackets) and resolves its functions.
pub fn parse(text: &str) -> Result<Expr, ParseError> {
    crate::expr::parse(text, MAX_DEPTH)?.resolve::<ArmFunction>()
}

/// The parameters a string value reads with a literal name (`parameters('x')`), in the order
/// written; none when it is no expression or does not parse.
pub fn parameters_read(text: &str) -> Vec<String> {
    fn walk(expr: &Expr, out: &mut Vec<String>) {
        match &expr.kind {
            ExprKind::Literal(_) => {}
            ExprKind::Call(call) => {
                if let (ArmFunction::Parameters, Some(ExprKind::Literal(Value::String(name)))) =
                    (call.function, call.args.first().map(|a| &a.kind))
                {
                    out.push(name.clone());
                }
                call.args.iter().for_each(|a| walk(a, out));
            }
            ExprKind::Access(access) => {
                walk(&access.target, out);
                if let Key::Index(index) = &access.key {
                    walk(index, out);
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Ok(StringValue::Expression(expr)) = StringValue::parse(text) {
        walk(&expr, &mut out);
    }
    out
}

pub(super) fn plain(value: Value) -> Evaluated {
    Evaluated { value, deployment: false }
}

/// A scalar as text (strings as they are, numbers and booleans as JSON writes them).
pub fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Evaluates an expression. Properties and object keys match ignoring case, as in ARM.
pub fn eval(expr: &Expr, scope: &mut dyn Scope) -> Result<Evaluated, EvalError> {
    match &expr.kind {
        ExprKind::Literal(value) => Ok(plain(value.clone())),
        ExprKind::Call(c) => {
            let args = c.args.iter().map(|a| eval(a, scope)).collect::<Result<Vec<_>, _>>()?;
            call(c.function, &c.name, args, scope)
        }
        ExprKind::Access(access) => {
            let base = eval(&access.target, scope)?;
            let (found, deployment) = match &access.key {
                Key::Name(name, _) => (property(&base.value, name), base.deployment),
                Key::Index(index) => {
                    let index = eval(index, scope)?;
                    (element(&base.value, &index.value), base.deployment || index.deployment)
                }
            };
            match (found, &access.key) {
                (Some(v), _) => Ok(Evaluated { value: v.clone(), deployment }),
                (None, _) if access.null_safe => Ok(Evaluated { value: Value::Null, deployment }),
                (None, Key::Name(name, _)) => Err(EvalError::Invalid(format!("no property `{name}`"))),
                (None, Key::Index(_)) => Err(EvalError::Invalid("index out of range".into())),
            }
        }
    }
}

fn property<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    value.as_object().and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))).map(|(_, v)| v)
}

fn element<'v>(value: &'v Value, index: &Value) -> Option<&'v Value> {
    match (value, index) {
        (Value::Array(items), Value::Number(n)) => {
            n.as_u64().and_then(|i| usize::try_from(i).ok()).and_then(|i| items.get(i))
        }
        (Value::Object(_), Value::String(k)) => property(value, k),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Params;

    impl Scope for Params {
        fn parameter(&mut self, name: &str) -> Result<Evaluated, EvalError> {
            match name {
                "ws" => Ok(plain(Value::String("soc".into()))),
                other => Err(EvalError::NoValue(other.to_owned())),
            }
        }
        fn variable(&mut self, name: &str) -> Result<Evaluated, EvalError> {
            Err(EvalError::UnknownVariable(name.to_owned()))
        }
    }

    fn run(text: &str) -> Result<Evaluated, EvalError> {
        evaluate(text, &mut Params)
    }

    #[test]
    fn evaluates_the_functions_templates_use() {
        let v = run("[concat(parameters('ws'),'/Microsoft.SecurityInsights/', 'x')]").map(|e| e.value);
        assert_eq!(v, Ok(Value::String("soc/Microsoft.SecurityInsights/x".into())));
        let id = run("[resourceId('Microsoft.OperationalInsights/workspaces/providers/alertRules', parameters('ws'), 'Microsoft.SecurityInsights', 'r1')]");
        let id = id.unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(
            id.value,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.OperationalInsights/workspaces/soc/providers/Microsoft.SecurityInsights/alertRules/r1"
        );
        assert!(id.deployment);
        assert_eq!(run("[subscription().tenantId]").map(|e| e.value), Ok(Value::String("{tenantId}".into())));
        assert_eq!(run("[format('{0}-{1}', 'a', 'it''s')]").map(|e| e.value), Ok(Value::String("a-it's".into())));
        assert_eq!(run("[uniqueString('test')]").map(|e| e.value), Ok(Value::String("rbgf3xv4ufgzg".into())));
        assert_eq!(run("[createArray('a', 'b')[1]]").map(|e| e.value), Ok(Value::String("b".into())));
        assert_eq!(run("[subscription()?.nothing]").map(|e| e.value), Ok(Value::Null));
    }

    #[test]
    fn reports_what_is_missing() {
        assert_eq!(run("[parameters('rule')]"), Err(EvalError::NoValue("rule".into())));
        assert_eq!(run("[reference('x')]"), Err(EvalError::Unsupported("reference".into())));
        assert_eq!(run("[concat(parameters('rule'), listKeys('x'))]"), Err(EvalError::Unsupported("listKeys".into())));
        assert_eq!(
            run("[concat('a']"),
            Err(EvalError::Syntax("expected `,` or `)`, found the end of the expression".into()))
        );
        assert_eq!(run("[subscription().nothing]"), Err(EvalError::Invalid("no property `nothing`".into())));
        assert_eq!(body("[[not an expression]"), None);
        assert_eq!(parameters_read("[concat(parameters('a'), toLower(parameters('B')))]"), ["a", "B"]);
        assert_eq!(parameters_read("[[parameters('a')]"), Vec::<String>::new());
        assert_eq!(literal("[[x]"), "[x]");
        assert!(is_expression("[reference('x')]"));
        assert!(!is_expression("[not an expression]"));
    }
}
