//! Lexer (front end, stage 1): expression text -> tokens with byte spans, the same for ARM
//! template expressions and WDL. Whitespace (spaces, tabs, CR, LF) separates tokens and is
//! otherwise ignored. String literals are single-quoted with `''` for a quote and
//! no other escapes (a backslash is a backslash; raw newlines are allowed). Numbers are decimal
//! integers (`42`, `-7`) or floats (`1.5`, `.3`, `-2e3`).

use super::error::{ParseError, ParseErrorKind};
use super::span::Span;

/// A token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// A name: a function, a keyword (`null`, `true`, `false`) or a property after `.`.
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Question,
    /// End of the text (its span is empty, at the end).
    End,
}

impl Tok {
    /// How the token reads in messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("name `{name}`"),
            Tok::Str(_) => "a string".to_owned(),
            Tok::Int(_) | Tok::Float(_) => "a number".to_owned(),
            Tok::LParen => "`(`".to_owned(),
            Tok::RParen => "`)`".to_owned(),
            Tok::LBracket => "`[`".to_owned(),
            Tok::RBracket => "`]`".to_owned(),
            Tok::Comma => "`,`".to_owned(),
            Tok::Dot => "`.`".to_owned(),
            Tok::Question => "`?`".to_owned(),
            Tok::End => "the end of the expression".to_owned(),
        }
    }
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Splits `text` into tokens, ending with [`Tok::End`]. Stops at the first lexical error.
pub fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer { text, pos: 0, tokens: Vec::new() };
    lexer.run()?;
    Ok(lexer.tokens)
}

struct Lexer<'t> {
    text: &'t str,
    pos: usize,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().nth(ahead))
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.tokens.push(Token { tok, span: Span::new(start, self.pos) });
    }

    /// True when a `.` here selects a property rather than starting a float like `.3`.
    fn dot_selects(&self) -> bool {
        matches!(
            self.tokens.last().map(|t| &t.tok),
            Some(Tok::RParen | Tok::RBracket | Tok::Ident(_) | Tok::Question | Tok::Str(_))
        )
    }

    fn run(&mut self) -> Result<(), ParseError> {
        while let Some(c) = self.peek() {
            let start = self.pos;
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            let single = match c {
                '(' => Some(Tok::LParen),
                ')' => Some(Tok::RParen),
                '[' => Some(Tok::LBracket),
                ']' => Some(Tok::RBracket),
                ',' => Some(Tok::Comma),
                '?' => Some(Tok::Question),
                '.' if self.dot_selects() || !self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => Some(Tok::Dot),
                _ => None,
            };
            if let Some(tok) = single {
                self.pos += 1;
                self.push(tok, start);
            } else if c == '\'' {
                self.string(start)?;
            } else if c.is_ascii_digit() || c == '.' || (c == '-' && self.peek_at(1).is_some_and(is_number_start)) {
                self.number(start)?;
            } else if is_ident_start(c) {
                while self.peek().is_some_and(is_ident_char) {
                    self.pos += 1;
                }
                let name = self.text.get(start..self.pos).unwrap_or_default().to_owned();
                self.push(Tok::Ident(name), start);
            } else {
                let span = Span::new(start, start + c.len_utf8());
                let message = match c {
                    '"' => "string literals use single quotes: 'text'".to_owned(),
                    _ => format!("unexpected character `{c}`"),
                };
                return Err(ParseError::new(ParseErrorKind::InvalidCharacter, span, message));
            }
        }
        let end = self.text.len();
        self.tokens.push(Token { tok: Tok::End, span: Span::new(end, end) });
        Ok(())
    }

    fn string(&mut self, start: usize) -> Result<(), ParseError> {
        self.pos += 1;
        let mut value = String::new();
        loop {
            match self.peek() {
                None => {
                    let span = Span::new(start, self.text.len());
                    return Err(ParseError::new(
                        ParseErrorKind::UnterminatedString,
                        span,
                        "string literal is not closed with `'`",
                    ));
                }
                Some('\'') if self.peek_at(1) == Some('\'') => {
                    value.push('\'');
                    self.pos += 2;
                }
                Some('\'') => {
                    self.pos += 1;
                    self.push(Tok::Str(value), start);
                    return Ok(());
                }
                Some(c) => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn number(&mut self, start: usize) -> Result<(), ParseError> {
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        let mut float = false;
        self.digits();
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            float = true;
            self.pos += 1;
            self.digits();
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some('+' | '-')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                float = true;
                self.pos += 1 + sign;
                self.digits();
            }
        }
        if self.peek().is_some_and(is_ident_char) {
            while self.peek().is_some_and(is_ident_char) {
                self.pos += 1;
            }
            return Err(self.bad_number(start));
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        let tok = if float {
            text.parse::<f64>().ok().filter(|f| f.is_finite()).map(Tok::Float)
        } else {
            text.parse::<i64>().ok().map(Tok::Int)
        };
        let tok = tok.ok_or_else(|| self.bad_number(start))?;
        self.push(tok, start);
        Ok(())
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn bad_number(&self, start: usize) -> ParseError {
        let span = Span::new(start, self.pos);
        let text = self.text.get(start..self.pos).unwrap_or_default();
        ParseError::new(
            ParseErrorKind::InvalidNumber,
            span,
            format!("`{text}` is not a valid number (64-bit integer or float)"),
        )
    }
}

fn is_number_start(c: char) -> bool {
    c.is_ascii_digit() || c == '.'
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokenize(text).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn lexes_calls_strings_numbers_and_access() {
        assert_eq!(
            toks("f('it''s', -7, .5)?['a'].b"),
            [
                Tok::Ident("f".into()),
                Tok::LParen,
                Tok::Str("it's".into()),
                Tok::Comma,
                Tok::Int(-7),
                Tok::Comma,
                Tok::Float(0.5),
                Tok::RParen,
                Tok::Question,
                Tok::LBracket,
                Tok::Str("a".into()),
                Tok::RBracket,
                Tok::Dot,
                Tok::Ident("b".into()),
                Tok::End
            ]
        );
    }

    #[test]
    fn reports_lexical_errors_with_spans() {
        let e = tokenize("f('abc").unwrap_err();
        assert_eq!((e.kind, e.span), (ParseErrorKind::UnterminatedString, Span::new(2, 6)));
        let e = tokenize("f(\"x\")").unwrap_err();
        assert_eq!((e.kind, e.span), (ParseErrorKind::InvalidCharacter, Span::new(2, 3)));
        let e = tokenize("f(99999999999999999999)").unwrap_err();
        assert_eq!((e.kind, e.span), (ParseErrorKind::InvalidNumber, Span::new(2, 22)));
        let e = tokenize("f(12ab)").unwrap_err();
        assert_eq!((e.kind, e.span), (ParseErrorKind::InvalidNumber, Span::new(2, 6)));
    }
}
