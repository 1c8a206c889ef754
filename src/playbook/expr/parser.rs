//! Parser: tokens -> [`Expr`], by recursive descent (see the GRAMMAR in the module doc).
//! Function names are resolved (case-insensitively) and argument counts checked here, so
//! unknown functions and wrong arities are reported before anything runs. Nesting is bounded
//! by [`Limits::max_depth`] on the way down, so no input can overflow the stack.

use serde_json::Value;

use super::ast::{Access, Call, Expr, ExprKind, Key, Span};
use super::budget::Limits;
use super::error::{ErrorKind, ExprError};
use super::functions::{Function, UNSUPPORTED};
use super::lexer::{tokenize, Tok, Token};
use crate::diagnostic::did_you_mean;

/// Parses one expression (the text after `@`, or inside `@{...}`) with the default limits.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    parse_with(text, &Limits::default())
}

/// Parses one expression; spans are relative to `text`.
pub fn parse_with(text: &str, limits: &Limits) -> Result<Expr, ExprError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, pos: 0, max_depth: limits.max_depth };
    if parser.peek().tok == Tok::End {
        let span = parser.peek().span;
        return Err(ExprError::new(ErrorKind::EmptyExpression, span, "the expression is empty"));
    }
    let (expr, _) = parser.postfix(1)?;
    let next = parser.peek();
    if next.tok != Tok::End {
        let message = format!("expected the end of the expression, found {}", next.tok.describe());
        return Err(ExprError::new(ErrorKind::UnexpectedToken, next.span, message));
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    max_depth: usize,
}

/// A parsed node and its nesting depth.
type Parsed = (Expr, usize);

const END: Token = Token { tok: Tok::End, span: Span { start: 0, end: 0 } };

impl Parser {
    fn peek(&self) -> &Token {
        self.tokens.get(self.pos).or_else(|| self.tokens.last()).unwrap_or(&END)
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        token
    }

    fn unexpected(&self, expected: &str) -> ExprError {
        let token = self.peek();
        let kind = if token.tok == Tok::End { ErrorKind::UnexpectedEnd } else { ErrorKind::UnexpectedToken };
        ExprError::new(kind, token.span, format!("expected {expected}, found {}", token.tok.describe()))
    }

    fn expect(&mut self, tok: &Tok, expected: &str) -> Result<Span, ExprError> {
        if &self.peek().tok == tok {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn check_depth(&self, depth: usize, span: Span) -> Result<(), ExprError> {
        if depth > self.max_depth {
            let message = format!("the expression nests deeper than the limit of {} levels", self.max_depth);
            return Err(ExprError::new(ErrorKind::DepthLimit, span, message));
        }
        Ok(())
    }

    /// postfix := primary ( "." NAME | "?" "." NAME | "[" postfix "]" | "?" "[" postfix "]" )*
    fn postfix(&mut self, level: usize) -> Result<Parsed, ExprError> {
        self.check_depth(level, self.peek().span)?;
        let (mut expr, mut depth) = self.primary(level)?;
        loop {
            let null_safe = self.peek().tok == Tok::Question;
            if null_safe {
                self.bump();
                if !matches!(self.peek().tok, Tok::LBracket | Tok::Dot) {
                    return Err(self.unexpected("`[` or `.` after `?`"));
                }
            }
            let (key, key_depth, end) = match self.peek().tok {
                Tok::Dot => {
                    self.bump();
                    let token = self.bump();
                    let Tok::Ident(name) = token.tok else {
                        self.pos -= 1;
                        return Err(self.unexpected("a property name after `.`"));
                    };
                    (Key::Name(name, token.span), 0, token.span.end)
                }
                Tok::LBracket => {
                    self.bump();
                    let (index, index_depth) = self.postfix(level + 1)?;
                    let close = self.expect(&Tok::RBracket, "`]`")?;
                    (Key::Index(Box::new(index)), index_depth, close.end)
                }
                _ => break,
            };
            depth = 1 + depth.max(key_depth);
            let span = Span::new(expr.span.start, end);
            self.check_depth(level + depth - 1, span)?;
            expr = Expr { kind: ExprKind::Access(Access { target: Box::new(expr), key, null_safe }), span };
        }
        Ok((expr, depth))
    }

    /// primary := NUMBER | STRING | "null" | "true" | "false" | NAME "(" [ postfix ("," postfix)* ] ")"
    fn primary(&mut self, level: usize) -> Result<Parsed, ExprError> {
        let token = self.bump();
        let literal = match token.tok {
            Tok::Int(i) => Value::from(i),
            Tok::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Tok::Str(s) => Value::String(s),
            Tok::Ident(name) => return self.name(name, token.span, level),
            _ => {
                self.pos -= 1;
                return Err(self.unexpected("a value or a function call"));
            }
        };
        Ok((Expr { kind: ExprKind::Literal(literal), span: token.span }, 1))
    }

    fn name(&mut self, name: String, name_span: Span, level: usize) -> Result<Parsed, ExprError> {
        if self.peek().tok != Tok::LParen {
            let literal = match name.to_ascii_lowercase().as_str() {
                "null" => Some(Value::Null),
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            };
            if let Some(value) = literal {
                return Ok((Expr { kind: ExprKind::Literal(value), span: name_span }, 1));
            }
            return Err(self.unexpected(&format!("`(` after the function name `{name}`")));
        }
        self.bump();
        let mut args = Vec::new();
        let mut depth = 0;
        if self.peek().tok != Tok::RParen {
            loop {
                let (arg, arg_depth) = self.postfix(level + 1)?;
                depth = depth.max(arg_depth);
                args.push(arg);
                if self.peek().tok == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        let close = self.expect(&Tok::RParen, "`,` or `)`")?;
        let span = name_span.to(close);
        let function = resolve(&name, name_span)?;
        check_arity(function, args.len(), span)?;
        Ok((Expr { kind: ExprKind::Call(Call { function, name, name_span, args }), span }, depth + 1))
    }
}

fn resolve(name: &str, span: Span) -> Result<Function, ExprError> {
    if let Some(function) = Function::lookup(name) {
        return Ok(function);
    }
    if let Some(known) = UNSUPPORTED.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        let message = format!("the function '{}' is not supported offline: {}", known.0, known.1);
        return Err(ExprError::new(ErrorKind::UnsupportedFunction, span, message));
    }
    let mut error = ExprError::new(ErrorKind::UnknownFunction, span, format!("the function '{name}' is not valid"));
    if let Some(suggestion) = did_you_mean(name, Function::names()) {
        error = error.with_help(format!("did you mean `{suggestion}`?"));
    }
    Err(error)
}

fn check_arity(function: Function, given: usize, span: Span) -> Result<(), ExprError> {
    let (min, max) = function.arity();
    if given >= min && max.is_none_or(|max| given <= max) {
        return Ok(());
    }
    let expected = match max {
        Some(max) if max == min => format!("{min}"),
        Some(max) => format!("{min} to {max}"),
        None => format!("at least {min}"),
    };
    let plural = if min == 1 && max.is_none_or(|max| max == 1) { "" } else { "s" };
    let message = format!("the function '{}' takes {expected} argument{plural}, {given} given", function.name());
    Err(ExprError::new(ErrorKind::ArgumentCount, span, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls_and_selections_with_spans() {
        let expr = parse("body('A')?['x'][0].y").unwrap();
        assert_eq!(expr.span, Span::new(0, 20));
        assert_eq!(expr.depth(), 5);
        let ExprKind::Access(access) = &expr.kind else { panic!("access") };
        assert!(!access.null_safe);
        assert_eq!(access.key, Key::Name("y".into(), Span::new(19, 20)));
        let expr = parse("  TriggerBody ( ) ").unwrap();
        assert_eq!(expr.span, Span::new(2, 17));
        let ExprKind::Call(call) = &expr.kind else { panic!("call") };
        assert_eq!((call.name.as_str(), call.function.name()), ("TriggerBody", "triggerBody"));
    }

    #[test]
    fn reports_unknown_functions_with_a_suggestion() {
        let err = parse("concat(tolowr('A'))").unwrap_err();
        assert_eq!((err.kind, err.span), (ErrorKind::UnknownFunction, Span::new(7, 13)));
        assert_eq!(err.help.as_deref(), Some("did you mean `toLower`?"));
        let err = parse("xml('<a/>')").unwrap_err();
        assert_eq!((err.kind, err.span), (ErrorKind::UnsupportedFunction, Span::new(0, 3)));
    }

    #[test]
    fn bounds_nesting_on_the_way_down() {
        let deep = format!("{}1{}", "string(".repeat(10_000), ")".repeat(10_000));
        let err = parse(&deep).unwrap_err();
        assert_eq!(err.kind, ErrorKind::DepthLimit);
        let limits = Limits { max_depth: 3, ..Limits::default() };
        assert!(parse_with("string(string(1))", &limits).is_ok());
        assert_eq!(parse_with("string(string(string(1)))", &limits).unwrap_err().kind, ErrorKind::DepthLimit);
        assert_eq!(parse_with("variables('a')['b']['c']['d']", &limits).unwrap_err().kind, ErrorKind::DepthLimit);
    }
}
