//! The XPath 1.0 grammar (W3C XPath 1.0, section 3 and the lexical rules of 3.7): text ->
//! [`XExpr`]. Errors are plain messages; the caller puts them in the function's error.

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub enum XExpr {
    Or(Box<XExpr>, Box<XExpr>),
    And(Box<XExpr>, Box<XExpr>),
    Compare(Op, Box<XExpr>, Box<XExpr>),
    Arith(Op, Box<XExpr>, Box<XExpr>),
    Negate(Box<XExpr>),
    Union(Box<XExpr>, Box<XExpr>),
    Literal(String),
    Number(f64),
    Call(String, Vec<XExpr>),
    /// A filter expression with predicates, then an optional relative path.
    Filter(Box<XExpr>, Vec<XExpr>, Vec<Step>),
    Path(Path),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

/// A location path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub absolute: bool,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub axis: Axis,
    pub test: Test,
    pub predicates: Vec<XExpr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Child,
    Descendant,
    DescendantOrSelf,
    Parent,
    Ancestor,
    AncestorOrSelf,
    FollowingSibling,
    PrecedingSibling,
    Following,
    Preceding,
    Attribute,
    Itself,
    Namespace,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `*`, `prefix:*` (prefix kept), or a name (`prefix:local` as written).
    Any,
    AnyIn(String),
    Name(String),
    Node,
    Text,
    Comment,
    Pi(Option<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    Str(String),
    Num(f64),
    Sym(&'static str),
}

const SYMBOLS: &[&str] = &[
    "//", "::", "..", "!=", "<=", ">=", "/", "(", ")", "[", "]", ".", "@", ",", "|", "+", "-", "=", "<", ">", "*", "$",
];

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' || c == '\'' {
            let end = chars
                .get(i + 1..)
                .and_then(|r| r.iter().position(|&x| x == c))
                .ok_or("an unterminated string literal")?;
            out.push(Token::Str(chars.get(i + 1..i + 1 + end).unwrap_or_default().iter().collect()));
            i += end + 2;
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let len =
                chars.get(i..).unwrap_or_default().iter().take_while(|c| c.is_ascii_digit() || **c == '.').count();
            let s: String = chars.get(i..i + len).unwrap_or_default().iter().collect();
            out.push(Token::Num(s.parse().map_err(|_| format!("'{s}' is not a number"))?));
            i += len;
        } else if c.is_alphabetic() || c == '_' {
            let mut len = chars
                .get(i..)
                .unwrap_or_default()
                .iter()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                .count();
            // `prefix:local` and `prefix:*`, but not `axis::`.
            if chars.get(i + len) == Some(&':') && chars.get(i + len + 1) != Some(&':') {
                let rest = chars.get(i + len + 1..).unwrap_or_default();
                let more = if rest.first() == Some(&'*') {
                    1
                } else {
                    rest.iter().take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')).count()
                };
                if more > 0 {
                    len += 1 + more;
                }
            }
            out.push(Token::Name(chars.get(i..i + len).unwrap_or_default().iter().collect()));
            i += len;
        } else {
            let rest: String = chars.get(i..(i + 2).min(chars.len())).unwrap_or_default().iter().collect();
            let sym = SYMBOLS.iter().find(|s| rest.starts_with(**s)).ok_or_else(|| format!("unexpected '{c}'"))?;
            out.push(Token::Sym(sym));
            i += sym.chars().count();
        }
    }
    Ok(out)
}

/// Parses an XPath 1.0 expression.
pub fn parse(text: &str) -> Result<XExpr, String> {
    let mut p = Parser { tokens: tokenize(text)?, at: 0 };
    let expr = p.or()?;
    match p.tokens.get(p.at) {
        None => Ok(expr),
        Some(t) => Err(format!("unexpected {t:?} in the XPath expression")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn sym(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Some(Token::Sym(x)) if *x == s) {
            self.at += 1;
            return true;
        }
        false
    }

    /// An operator name (`and`, `or`, `div`, `mod`), which is one only after an operand.
    fn word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Token::Name(x)) if x == w) && self.at > 0 {
            self.at += 1;
            return true;
        }
        false
    }

    fn expect(&mut self, s: &str) -> Result<(), String> {
        if self.sym(s) {
            Ok(())
        } else {
            Err(format!("expected '{s}' in the XPath expression"))
        }
    }

    fn or(&mut self) -> Result<XExpr, String> {
        let mut left = self.and()?;
        while self.word("or") {
            left = XExpr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<XExpr, String> {
        let mut left = self.equality()?;
        while self.word("and") {
            left = XExpr::And(Box::new(left), Box::new(self.equality()?));
        }
        Ok(left)
    }

    fn equality(&mut self) -> Result<XExpr, String> {
        let mut left = self.relational()?;
        loop {
            let op = if self.sym("=") {
                Op::Eq
            } else if self.sym("!=") {
                Op::Ne
            } else {
                return Ok(left);
            };
            left = XExpr::Compare(op, Box::new(left), Box::new(self.relational()?));
        }
    }

    fn relational(&mut self) -> Result<XExpr, String> {
        let mut left = self.additive()?;
        loop {
            let op = [("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)]
                .into_iter()
                .find(|(s, _)| self.sym(s))
                .map(|(_, op)| op);
            let Some(op) = op else { return Ok(left) };
            left = XExpr::Compare(op, Box::new(left), Box::new(self.additive()?));
        }
    }

    fn additive(&mut self) -> Result<XExpr, String> {
        let mut left = self.multiplicative()?;
        loop {
            let op = if self.sym("+") {
                Op::Add
            } else if self.sym("-") {
                Op::Sub
            } else {
                return Ok(left);
            };
            left = XExpr::Arith(op, Box::new(left), Box::new(self.multiplicative()?));
        }
    }

    fn multiplicative(&mut self) -> Result<XExpr, String> {
        let mut left = self.unary()?;
        loop {
            let op = if self.sym("*") {
                Op::Mul
            } else if self.word("div") {
                Op::Div
            } else if self.word("mod") {
                Op::Mod
            } else {
                return Ok(left);
            };
            left = XExpr::Arith(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<XExpr, String> {
        if self.sym("-") {
            return Ok(XExpr::Negate(Box::new(self.unary()?)));
        }
        let mut left = self.path_expr()?;
        while self.sym("|") {
            left = XExpr::Union(Box::new(left), Box::new(self.path_expr()?));
        }
        Ok(left)
    }

    fn path_expr(&mut self) -> Result<XExpr, String> {
        let primary = match self.peek() {
            Some(Token::Str(s)) => Some(XExpr::Literal(s.clone())),
            Some(Token::Num(n)) => Some(XExpr::Number(*n)),
            Some(Token::Sym("(")) => None,
            Some(Token::Name(n))
                if matches!(self.tokens.get(self.at + 1), Some(Token::Sym("(")))
                    && !matches!(n.as_str(), "node" | "text" | "comment" | "processing-instruction") =>
            {
                None
            }
            Some(Token::Sym("$")) => return Err("XPath variables are not supported".into()),
            _ => return self.location_path().map(XExpr::Path),
        };
        let primary = match primary {
            Some(p) => {
                self.at += 1;
                p
            }
            None if self.sym("(") => {
                let inner = self.or()?;
                self.expect(")")?;
                inner
            }
            None => {
                let Some(Token::Name(name)) = self.peek().cloned() else { return Err("expected a function".into()) };
                self.at += 2;
                let mut args = Vec::new();
                if !self.sym(")") {
                    loop {
                        args.push(self.or()?);
                        if self.sym(")") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                XExpr::Call(name, args)
            }
        };
        let predicates = self.predicates()?;
        let mut steps = Vec::new();
        loop {
            if self.sym("//") {
                steps.push(Step { axis: Axis::DescendantOrSelf, test: Test::Node, predicates: Vec::new() });
            } else if !self.sym("/") {
                break;
            }
            steps.push(self.step()?);
        }
        if predicates.is_empty() && steps.is_empty() {
            return Ok(primary);
        }
        Ok(XExpr::Filter(Box::new(primary), predicates, steps))
    }

    fn predicates(&mut self) -> Result<Vec<XExpr>, String> {
        let mut out = Vec::new();
        while self.sym("[") {
            out.push(self.or()?);
            self.expect("]")?;
        }
        Ok(out)
    }

    fn location_path(&mut self) -> Result<Path, String> {
        let mut steps = Vec::new();
        let absolute = if self.sym("//") {
            steps.push(Step { axis: Axis::DescendantOrSelf, test: Test::Node, predicates: Vec::new() });
            true
        } else if self.sym("/") {
            let starts_step = matches!(self.peek(), Some(Token::Name(_) | Token::Sym("*" | "." | ".." | "@")));
            if !starts_step {
                return Ok(Path { absolute: true, steps });
            }
            true
        } else {
            false
        };
        steps.push(self.step()?);
        loop {
            if self.sym("//") {
                steps.push(Step { axis: Axis::DescendantOrSelf, test: Test::Node, predicates: Vec::new() });
            } else if !self.sym("/") {
                break;
            }
            steps.push(self.step()?);
        }
        Ok(Path { absolute, steps })
    }

    fn step(&mut self) -> Result<Step, String> {
        if self.sym("..") {
            return Ok(Step { axis: Axis::Parent, test: Test::Node, predicates: Vec::new() });
        }
        if self.sym(".") {
            return Ok(Step { axis: Axis::Itself, test: Test::Node, predicates: Vec::new() });
        }
        let axis = if self.sym("@") {
            Axis::Attribute
        } else if let (Some(Token::Name(name)), Some(Token::Sym("::"))) = (self.peek(), self.tokens.get(self.at + 1)) {
            let axis = axis(name)?;
            self.at += 2;
            axis
        } else {
            Axis::Child
        };
        let test = match self.peek().cloned() {
            Some(Token::Sym("*")) => {
                self.at += 1;
                Test::Any
            }
            Some(Token::Name(name)) if matches!(self.tokens.get(self.at + 1), Some(Token::Sym("("))) => {
                self.at += 2;
                let test = match name.as_str() {
                    "node" => Test::Node,
                    "text" => Test::Text,
                    "comment" => Test::Comment,
                    "processing-instruction" => match self.peek().cloned() {
                        Some(Token::Str(s)) => {
                            self.at += 1;
                            Test::Pi(Some(s))
                        }
                        _ => Test::Pi(None),
                    },
                    other => return Err(format!("'{other}()' is not a node test")),
                };
                self.expect(")")?;
                test
            }
            Some(Token::Name(name)) => {
                self.at += 1;
                match name.strip_suffix(":*") {
                    Some(prefix) => Test::AnyIn(prefix.to_owned()),
                    None => Test::Name(name),
                }
            }
            other => return Err(format!("expected a step, found {other:?}")),
        };
        Ok(Step { axis, test, predicates: self.predicates()? })
    }
}

fn axis(name: &str) -> Result<Axis, String> {
    Ok(match name {
        "child" => Axis::Child,
        "descendant" => Axis::Descendant,
        "descendant-or-self" => Axis::DescendantOrSelf,
        "parent" => Axis::Parent,
        "ancestor" => Axis::Ancestor,
        "ancestor-or-self" => Axis::AncestorOrSelf,
        "following-sibling" => Axis::FollowingSibling,
        "preceding-sibling" => Axis::PrecedingSibling,
        "following" => Axis::Following,
        "preceding" => Axis::Preceding,
        "attribute" => Axis::Attribute,
        "self" => Axis::Itself,
        "namespace" => Axis::Namespace,
        other => return Err(format!("'{other}' is not an XPath axis")),
    })
}
