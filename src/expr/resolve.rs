//! Resolution (front end, stage 3): an unresolved tree -> a tree whose calls hold the dialect's
//! function, looked up by name (any case) in its [`FunctionTable`]. Unknown names (with a
//! did-you-mean), functions the tool deliberately leaves out and wrong argument counts are
//! reported here, after parsing and before anything runs. Calls are resolved in the order
//! they close in the text (arguments left to right, then the call), so the first error
//! reported is the leftmost innermost one.

use super::ast::{Access, Call, Expr, ExprKind, Key, Unresolved};
use super::error::{ParseError, ParseErrorKind};
use super::span::Span;
use crate::diagnostic::did_you_mean;

/// A dialect's closed set of functions, implemented by its function enum.
pub trait FunctionTable: Sized + Copy {
    /// The function `name` names, compared ignoring ASCII case.
    fn lookup(name: &str) -> Option<Self>;
    /// Every function's name as documented, for suggestions.
    fn names() -> impl Iterator<Item = &'static str>;
    /// The function's name as documented.
    fn name(self) -> &'static str;
    /// `(min, max)` argument count; `max: None` means any number.
    fn arity(self) -> (usize, Option<usize>);
    /// For a real function of the language that the tool deliberately does not implement:
    /// its documented name and why it is left out.
    fn unsupported(_name: &str) -> Option<(&'static str, &'static str)> {
        None
    }
}

impl Expr<Unresolved> {
    /// Resolves every call against `T`'s table.
    pub fn resolve<T: FunctionTable>(self) -> Result<Expr<T>, ParseError> {
        let kind = match self.kind {
            ExprKind::Literal(value) => ExprKind::Literal(value),
            ExprKind::Call(call) => {
                let args = call.args.into_iter().map(Expr::resolve).collect::<Result<Vec<_>, _>>()?;
                let function = lookup::<T>(&call.name, call.name_span)?;
                check_arity(function, args.len(), self.span)?;
                ExprKind::Call(Call { function, name: call.name, name_span: call.name_span, args })
            }
            ExprKind::Access(access) => {
                let target = Box::new(access.target.resolve()?);
                let key = match access.key {
                    Key::Name(name, span) => Key::Name(name, span),
                    Key::Index(index) => Key::Index(Box::new(index.resolve()?)),
                };
                ExprKind::Access(Access { target, key, null_safe: access.null_safe })
            }
        };
        Ok(Expr { kind, span: self.span })
    }
}

fn lookup<T: FunctionTable>(name: &str, span: Span) -> Result<T, ParseError> {
    if let Some(function) = T::lookup(name) {
        return Ok(function);
    }
    if let Some((known, why)) = T::unsupported(name) {
        let message = format!("the function '{known}' is not supported offline: {why}");
        return Err(ParseError::new(ParseErrorKind::UnsupportedFunction, span, message));
    }
    let mut error =
        ParseError::new(ParseErrorKind::UnknownFunction, span, format!("the function '{name}' is not valid"));
    if let Some(suggestion) = did_you_mean(name, T::names()) {
        error = error.with_help(format!("did you mean `{suggestion}`?"));
    }
    Err(error)
}

fn check_arity<T: FunctionTable>(function: T, given: usize, span: Span) -> Result<(), ParseError> {
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
    Err(ParseError::new(ParseErrorKind::ArgumentCount, span, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    /// A two-function table: `one(x)` and `any(...)`; `gone` is known but left out.
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Tiny {
        One,
        Any,
    }

    impl FunctionTable for Tiny {
        fn lookup(name: &str) -> Option<Self> {
            Tiny::names().zip([Tiny::One, Tiny::Any]).find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, f)| f)
        }
        fn names() -> impl Iterator<Item = &'static str> {
            ["one", "any"].into_iter()
        }
        fn name(self) -> &'static str {
            match self {
                Tiny::One => "one",
                Tiny::Any => "any",
            }
        }
        fn arity(self) -> (usize, Option<usize>) {
            match self {
                Tiny::One => (1, Some(1)),
                Tiny::Any => (0, None),
            }
        }
        fn unsupported(name: &str) -> Option<(&'static str, &'static str)> {
            name.eq_ignore_ascii_case("gone").then_some(("gone", "left out"))
        }
    }

    fn resolve(text: &str) -> Result<Expr<Tiny>, ParseError> {
        parse(text, 64)?.resolve::<Tiny>()
    }

    #[test]
    fn resolves_names_in_any_case() {
        let expr = resolve("ANY(One(1), 'x')['k']").unwrap();
        let ExprKind::Access(access) = &expr.kind else { panic!("access") };
        let ExprKind::Call(call) = &access.target.kind else { panic!("call") };
        assert_eq!((call.function, call.name.as_str()), (Tiny::Any, "ANY"));
    }

    #[test]
    fn reports_the_innermost_leftmost_problem() {
        let err = resolve("any(onee(1), gone())").unwrap_err();
        assert_eq!((err.kind, err.span), (ParseErrorKind::UnknownFunction, Span::new(4, 8)));
        assert_eq!(err.help.as_deref(), Some("did you mean `one`?"));
        let err = resolve("any(gone())").unwrap_err();
        assert_eq!(err.message, "the function 'gone' is not supported offline: left out");
        let err = resolve("x(1)[one()]").unwrap_err();
        assert_eq!(err.span, Span::new(0, 1));
        let err = resolve("any(one())").unwrap_err();
        assert_eq!((err.kind, err.span), (ParseErrorKind::ArgumentCount, Span::new(4, 9)));
        assert_eq!(err.message, "the function 'one' takes 1 argument, 0 given");
    }
}
