//! Template strings: how a JSON string value in a workflow becomes a value.
//!
//! - `"@expr"` (starts with `@`, not `@@` or `@{`): the whole value is the expression's
//!   result and keeps its type (object, array, number, boolean, null).
//! - `"text @{expr} text"`: interpolation; the result is always a string, each part
//!   stringified as `string()` does (null -> "", objects and arrays as JSON). A value that is
//!   exactly `"@{expr}"` is still a string.
//! - A lone `"@"` is the literal "@", as Logic Apps takes it (templates use it as a literal
//!   separator: HYAS, IPQualityScore, HaveIBeenPwned).
//! - `@@` escapes a literal `@` at the start (`"@@name"` is `"@name"`), and `@@{` anywhere
//!   is a literal `@{` (the WDL reference: `"My age is @@{parameters('myAge')}"`). Any other
//!   `@` is literal (`"user@contoso.com"`).
//! - The end of `@{` is the first `}` outside a string literal, so `@{replace(x, '}', '')}`
//!   works.
//!
//! Spans of errors and of parsed expressions are relative to the whole string value, ready
//! to be mapped to a file position by [`crate::expr::location`].

use serde_json::Value;

use super::ast::{Expr, Span};
use super::budget::Limits;
use super::context::Context;
use super::error::{ErrorKind, ExprError};
use super::eval::Evaluator;
use super::parser::parse_with;
use super::value::to_text;

/// A parsed JSON string value.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// No expression: the text, with `@@` escapes resolved.
    Literal(String),
    /// `@expr`: the result keeps its type.
    Expression(Expr),
    /// Text and `@{expr}` parts: the result is a string.
    Interpolated(Vec<Part>),
}

/// A piece of an interpolated string.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Expr(Expr),
}

impl Template {
    /// Parses a string value with the default limits.
    pub fn parse(text: &str) -> Result<Template, ExprError> {
        Template::parse_with(text, &Limits::default())
    }

    /// Parses a string value.
    pub fn parse_with(text: &str, limits: &Limits) -> Result<Template, ExprError> {
        if text == "@" {
            return Ok(Template::Literal(text.to_owned()));
        }
        if let Some(rest) = text.strip_prefix('@') {
            if !rest.starts_with(['@', '{']) {
                return expression_at(rest, 1, limits).map(Template::Expression);
            }
        }
        interpolated(text, limits)
    }

    /// True when the value holds no expression.
    pub fn is_literal(&self) -> bool {
        matches!(self, Template::Literal(_))
    }

    /// Evaluates the value.
    pub fn evaluate(&self, evaluator: &mut Evaluator, ctx: &dyn Context) -> Result<Value, ExprError> {
        match self {
            Template::Literal(text) => Ok(Value::String(text.clone())),
            Template::Expression(expr) => evaluator.evaluate(expr, ctx),
            Template::Interpolated(parts) => {
                let mut out = String::new();
                for part in parts {
                    match part {
                        Part::Text(text) => out.push_str(text),
                        Part::Expr(expr) => {
                            let value = evaluator.evaluate_cow(expr, ctx)?;
                            let text = to_text(&value);
                            evaluator.meter().check_string_len(out.len() + text.len(), expr.span)?;
                            out.push_str(&text);
                        }
                    }
                }
                Ok(Value::String(out))
            }
        }
    }
}

/// Parses the expression `text` found at byte `offset` of the string value.
fn expression_at(text: &str, offset: usize, limits: &Limits) -> Result<Expr, ExprError> {
    let mut expr = parse_with(text, limits).map_err(|e| e.shifted(offset))?;
    expr.shift_spans(offset);
    Ok(expr)
}

fn interpolated(text: &str, limits: &Limits) -> Result<Template, ExprError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    if text.starts_with("@@") {
        literal.push('@');
        i = 2;
    }
    while let Some(rest) = text.get(i..).filter(|r| !r.is_empty()) {
        if rest.starts_with("@@{") {
            literal.push_str("@{");
            i += 3;
        } else if rest.starts_with("@{") {
            let start = i + 2;
            let end = closing_brace(text, start).ok_or_else(|| {
                let span = Span::new(i, text.len());
                ExprError::new(ErrorKind::UnterminatedInterpolation, span, "`@{` is not closed with `}`")
            })?;
            let inner = text.get(start..end).unwrap_or_default();
            if inner.trim().is_empty() {
                let span = Span::new(i, end + 1);
                return Err(ExprError::new(ErrorKind::EmptyExpression, span, "`@{}` holds no expression"));
            }
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.push(Part::Expr(expression_at(inner, start, limits)?));
            i = end + 1;
        } else {
            let c = rest.chars().next().unwrap_or_default();
            literal.push(c);
            i += c.len_utf8();
        }
    }
    if parts.is_empty() {
        return Ok(Template::Literal(literal));
    }
    if !literal.is_empty() {
        parts.push(Part::Text(literal));
    }
    Ok(Template::Interpolated(parts))
}

/// The byte offset of the `}` closing an interpolation whose expression starts at `start`,
/// skipping `}` inside single-quoted string literals (`''` is a quote inside one).
fn closing_brace(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\'' if in_string && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b'\'' => in_string = !in_string,
            b'}' if !in_string => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_string_values() {
        assert_eq!(Template::parse("plain").unwrap(), Template::Literal("plain".into()));
        assert_eq!(Template::parse("@@name").unwrap(), Template::Literal("@name".into()));
        assert_eq!(Template::parse("a @@{x} b").unwrap(), Template::Literal("a @{x} b".into()));
        assert_eq!(Template::parse("user@contoso.com").unwrap(), Template::Literal("user@contoso.com".into()));
        assert_eq!(Template::parse("@").unwrap(), Template::Literal("@".into()));
        assert!(matches!(Template::parse("@null").unwrap(), Template::Expression(_)));
        assert!(matches!(Template::parse("@{null}").unwrap(), Template::Interpolated(p) if p.len() == 1));
    }

    #[test]
    fn spans_are_relative_to_the_string_value() {
        let Template::Interpolated(parts) = Template::parse("ab @{concat('x', 'y')}").unwrap() else { panic!() };
        let Part::Expr(expr) = &parts[1] else { panic!() };
        assert_eq!(expr.span, Span::new(5, 21));
        let err = Template::parse("ab @{concat('x' 'y')}").unwrap_err();
        assert_eq!((err.kind, err.span), (ErrorKind::UnexpectedToken, Span::new(16, 19)));
        let err = Template::parse("@concat(").unwrap_err();
        assert_eq!((err.kind, err.span), (ErrorKind::UnexpectedEnd, Span::new(8, 8)));
        let err = Template::parse("x @{replace(a, '}', '')").unwrap_err();
        assert_eq!((err.kind, err.span), (ErrorKind::UnterminatedInterpolation, Span::new(2, 23)));
    }
}
