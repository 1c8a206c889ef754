//! ARM template expressions (`"[concat(parameters('ws'), '/x')]"`): a parser for the
//! expression language and an evaluator for the functions templates that deploy automation
//! rules use. Parameters and variables come from a [`Scope`] (the template, see
//! [`super::arm`]). Values that depend on the deployment (`subscription()`,
//! `resourceGroup()`, so also `resourceId()` without explicit subscription and group) evaluate
//! to placeholders such as `{subscriptionId}` and are flagged [`Evaluated::deployment`].

use serde_json::Value;

use super::arm_functions::call;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Str(String),
    Int(i64),
    Call(String, Vec<Expr>),
    /// `expr.name`
    Prop(Box<Expr>, String),
    /// `expr[index]`
    Index(Box<Expr>, Box<Expr>),
}

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
    /// A function this evaluator does not implement.
    Unsupported(String),
    /// Bad syntax, wrong argument types, a cycle.
    Invalid(String),
}

/// Where parameters and variables come from.
pub trait Scope {
    fn parameter(&mut self, name: &str) -> Result<Evaluated, EvalError>;
    fn variable(&mut self, name: &str) -> Result<Evaluated, EvalError>;
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

/// Parses an expression body (the text between the brackets).
pub fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser { chars: text.chars().collect(), pos: 0, depth: 0 };
    let expr = p.expr()?;
    p.skip_ws();
    match p.peek() {
        None => Ok(expr),
        Some(c) => Err(format!("unexpected `{c}` after the expression")),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        let hit = self.peek() == Some(c);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn ident(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
            name.push(c);
            self.pos += 1;
        }
        name
    }

    fn expr(&mut self) -> Result<Expr, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("the expression nests too deeply".into());
        }
        let mut expr = self.primary()?;
        loop {
            if self.eat('.') {
                self.skip_ws();
                let name = self.ident();
                if name.is_empty() {
                    return Err("expected a property name after `.`".into());
                }
                expr = Expr::Prop(Box::new(expr), name);
            } else if self.eat('[') {
                let index = self.expr()?;
                if !self.eat(']') {
                    return Err("expected `]`".into());
                }
                expr = Expr::Index(Box::new(expr), Box::new(index));
            } else {
                break;
            }
        }
        self.depth -= 1;
        Ok(expr)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        self.skip_ws();
        match self.peek() {
            Some('\'') => {
                self.pos += 1;
                let mut s = String::new();
                loop {
                    match self.peek() {
                        None => return Err("unterminated string".into()),
                        Some('\'') if self.chars.get(self.pos + 1) == Some(&'\'') => {
                            s.push('\'');
                            self.pos += 2;
                        }
                        Some('\'') => {
                            self.pos += 1;
                            return Ok(Expr::Str(s));
                        }
                        Some(c) => {
                            s.push(c);
                            self.pos += 1;
                        }
                    }
                }
            }
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let mut text = String::from(c);
                self.pos += 1;
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    text.push(d);
                    self.pos += 1;
                }
                text.parse().map(Expr::Int).map_err(|_| format!("`{text}` is not a number"))
            }
            Some(c) if c.is_alphabetic() => {
                let name = self.ident();
                if !self.eat('(') {
                    return Err(format!("expected `(` after `{name}`"));
                }
                let mut args = Vec::new();
                if !self.eat(')') {
                    loop {
                        args.push(self.expr()?);
                        if self.eat(')') {
                            break;
                        }
                        if !self.eat(',') {
                            return Err(format!("expected `,` or `)` in the arguments of `{name}`"));
                        }
                    }
                }
                Ok(Expr::Call(name, args))
            }
            Some(c) => Err(format!("unexpected `{c}`")),
            None => Err("the expression is empty".into()),
        }
    }
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

/// Evaluates an expression.
pub fn eval(expr: &Expr, scope: &mut dyn Scope) -> Result<Evaluated, EvalError> {
    match expr {
        Expr::Str(s) => Ok(plain(Value::String(s.clone()))),
        Expr::Int(i) => Ok(plain(Value::from(*i))),
        Expr::Call(name, args) => {
            let args = args.iter().map(|a| eval(a, scope)).collect::<Result<Vec<_>, _>>()?;
            call(name, args, scope)
        }
        Expr::Prop(inner, name) => {
            let base = eval(inner, scope)?;
            let found = base.value.as_object().and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)));
            match found {
                Some((_, v)) => Ok(Evaluated { value: v.clone(), deployment: base.deployment }),
                None => Err(EvalError::Invalid(format!("no property `{name}`"))),
            }
        }
        Expr::Index(inner, index) => {
            let base = eval(inner, scope)?;
            let index = eval(index, scope)?;
            let found = match (&base.value, &index.value) {
                (Value::Array(items), Value::Number(n)) => {
                    n.as_u64().and_then(|i| usize::try_from(i).ok()).and_then(|i| items.get(i))
                }
                (Value::Object(o), Value::String(k)) => {
                    o.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).map(|(_, v)| v)
                }
                _ => None,
            };
            match found {
                Some(v) => Ok(Evaluated { value: v.clone(), deployment: base.deployment || index.deployment }),
                None => Err(EvalError::Invalid("index out of range".into())),
            }
        }
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
        let expr = parse(body(text).unwrap_or(text)).map_err(EvalError::Invalid)?;
        eval(&expr, &mut Params)
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
    }

    #[test]
    fn reports_what_is_missing() {
        assert_eq!(run("[parameters('rule')]"), Err(EvalError::NoValue("rule".into())));
        assert_eq!(run("[reference('x')]"), Err(EvalError::Unsupported("reference".into())));
        assert!(matches!(run("[concat('a'"), Err(EvalError::Invalid(_))));
        assert_eq!(body("[[not an expression]"), None);
        assert_eq!(literal("[[x]"), "[x]");
    }
}
