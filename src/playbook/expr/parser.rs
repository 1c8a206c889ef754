//! WDL parsing: the shared front end ([`crate::expr::parse`]) bounded by
//! [`Limits::max_depth`], then every call resolved against WDL's function table
//! ([`Function`]), so unknown functions and wrong arities are reported before anything runs.

use super::ast::Expr;
use super::budget::Limits;
use super::error::ExprError;
use super::functions::Function;

/// Parses one expression (the text after `@`, or inside `@{...}`) with the default limits.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    parse_with(text, &Limits::default())
}

/// Parses one expression; spans are relative to `text`.
pub fn parse_with(text: &str, limits: &Limits) -> Result<Expr, ExprError> {
    Ok(crate::expr::parse(text, limits.max_depth)?.resolve::<Function>()?)
}

#[cfg(test)]
mod tests {
    use super::super::ast::{ExprKind, Key, Span};
    use super::super::error::ErrorKind;
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
        // Every function of the reference is implemented, `xml` included.
        assert!(parse("xml('<a/>')").is_ok());
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
