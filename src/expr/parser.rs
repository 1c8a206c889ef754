//! Parser (front end, stage 2): tokens -> an unresolved [`Expr`], by recursive descent (see
//! the GRAMMAR in the module doc), for both dialects. Calls keep their names as written; the
//! dialect's function table resolves them afterwards ([`super::resolve`]). Nesting is bounded
//! by `max_depth` on the way down, so no input can overflow the stack.

use serde_json::Value;

use super::ast::{Access, Call, Expr, ExprKind, Key, Unresolved};
use super::error::{ParseError, ParseErrorKind};
use super::lexer::{tokenize, Tok, Token};
use super::span::Span;

/// Parses one expression (WDL: the text after `@` or inside `@{...}`; ARM: the text inside
/// `[...]`); spans are relative to `text`. Nesting deeper than `max_depth` is an error.
pub fn parse(text: &str, max_depth: usize) -> Result<Expr, ParseError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, pos: 0, max_depth };
    if parser.peek().tok == Tok::End {
        let span = parser.peek().span;
        return Err(ParseError::new(ParseErrorKind::EmptyExpression, span, "the expression is empty"));
    }
    let (expr, _) = parser.postfix(1)?;
    let next = parser.peek();
    if next.tok != Tok::End {
        let message = format!("expected the end of the expression, found {}", next.tok.describe());
        return Err(ParseError::new(ParseErrorKind::UnexpectedToken, next.span, message));
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

    fn unexpected(&self, expected: &str) -> ParseError {
        let token = self.peek();
        let kind = if token.tok == Tok::End { ParseErrorKind::UnexpectedEnd } else { ParseErrorKind::UnexpectedToken };
        ParseError::new(kind, token.span, format!("expected {expected}, found {}", token.tok.describe()))
    }

    fn expect(&mut self, tok: &Tok, expected: &str) -> Result<Span, ParseError> {
        if &self.peek().tok == tok {
            Ok(self.bump().span)
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn check_depth(&self, depth: usize, span: Span) -> Result<(), ParseError> {
        if depth > self.max_depth {
            let message = format!("the expression nests deeper than the limit of {} levels", self.max_depth);
            return Err(ParseError::new(ParseErrorKind::DepthLimit, span, message));
        }
        Ok(())
    }

    /// postfix := primary ( "." NAME | "?" "." NAME | "[" postfix "]" | "?" "[" postfix "]" )*
    fn postfix(&mut self, level: usize) -> Result<Parsed, ParseError> {
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
    fn primary(&mut self, level: usize) -> Result<Parsed, ParseError> {
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

    fn name(&mut self, name: String, name_span: Span, level: usize) -> Result<Parsed, ParseError> {
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
        Ok((Expr { kind: ExprKind::Call(Call { function: Unresolved, name, name_span, args }), span }, depth + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_calls_and_selections_with_spans() {
        let expr = parse("body('A')?['x'][0].y", 64).unwrap();
        assert_eq!(expr.span, Span::new(0, 20));
        assert_eq!(expr.depth(), 5);
        let ExprKind::Access(access) = &expr.kind else { panic!("access") };
        assert!(!access.null_safe);
        assert_eq!(access.key, Key::Name("y".into(), Span::new(19, 20)));
        let expr = parse("  TriggerBody ( ) ", 64).unwrap();
        assert_eq!(expr.span, Span::new(2, 17));
        let ExprKind::Call(call) = &expr.kind else { panic!("call") };
        assert_eq!(call.name, "TriggerBody");
    }

    #[test]
    fn keeps_any_function_name_for_resolution() {
        let expr = parse("concat(tolowr('A'))", 64).unwrap();
        assert_eq!(expr.to_string(), "concat(tolowr('A'))");
    }

    #[test]
    fn bounds_nesting_on_the_way_down() {
        let deep = format!("{}1{}", "string(".repeat(10_000), ")".repeat(10_000));
        let err = parse(&deep, 64).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::DepthLimit);
        assert_eq!(err.message, "the expression nests deeper than the limit of 64 levels");
        assert!(parse("string(string(1))", 3).is_ok());
        assert_eq!(parse("string(string(string(1)))", 3).unwrap_err().kind, ParseErrorKind::DepthLimit);
        assert_eq!(parse("variables('a')['b']['c']['d']", 3).unwrap_err().kind, ParseErrorKind::DepthLimit);
    }
}
