//! Property tests: the parser and the template parser never panic, and every error they
//! return is typed and points inside the input (on character boundaries); evaluating
//! whatever parses never panics either. Inputs are arbitrary strings and token soups drawn
//! from the language's own vocabulary (so that deep paths are reached, not just the lexer).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use proptest::prelude::*;
use serde_json::json;

use sentinel_soar::playbook::expr::{parse_with, Evaluator, ExprError, Limits, MemoryContext, Span, Template};

const VOCABULARY: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "?",
    ".",
    ",",
    " ",
    "'",
    "''",
    "'a'",
    "'}'",
    "0",
    "-1",
    "2.5",
    ".3",
    "1e3",
    "null",
    "true",
    "false",
    "@",
    "@{",
    "}",
    "@@",
    "{",
    "\"",
    "x",
    "concat",
    "substring",
    "if",
    "and",
    "equals",
    "length",
    "split",
    "body",
    "items",
    "item",
    "variables",
    "triggerBody",
    "json",
    "createArray",
    "range",
    "addDays",
    "formatDateTime",
    "utcNow",
    "guid",
    "int",
    "add",
    "div",
    "coalesce",
    "replace",
    "join",
    "union",
    "first",
    "take",
    "string",
    "'x'",
    "'2018-03-15T00:00:00Z'",
    "'yyyy'",
    "é",
    "\n",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..48).prop_map(|tokens| tokens.concat())
}

/// Well-formed expressions (arity and types may still be wrong), to reach the evaluator.
fn expressions() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(
        &[
            "null",
            "true",
            "0",
            "-3",
            "2.5",
            "''",
            "'a,b'",
            "'2018-03-15T00:00:00Z'",
            "'{\"k\":[1]}'",
            "variables('x')",
            "triggerBody()",
            "item()",
            "body('x')",
            "utcNow()",
            "guid()",
            "createArray(1, 'a')",
        ][..],
    )
    .prop_map(str::to_owned);
    leaf.prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            (prop::sample::select(FUNCTIONS), prop::collection::vec(inner.clone(), 0..4))
                .prop_map(|(name, args)| format!("{name}({})", args.join(", "))),
            (inner.clone(), prop::sample::select(&["?['a']", "['a']", "?[0]", "[1]", ".b", "?.b"][..]))
                .prop_map(|(target, selector)| format!("{target}{selector}")),
        ]
    })
}

const FUNCTIONS: &[&str] = &[
    "concat",
    "substring",
    "slice",
    "replace",
    "toLower",
    "trim",
    "indexOf",
    "split",
    "if",
    "and",
    "or",
    "not",
    "equals",
    "greater",
    "coalesce",
    "length",
    "empty",
    "first",
    "last",
    "join",
    "skip",
    "take",
    "union",
    "intersection",
    "setProperty",
    "string",
    "int",
    "float",
    "bool",
    "json",
    "array",
    "base64",
    "base64ToString",
    "encodeUriComponent",
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "range",
    "max",
    "addDays",
    "formatDateTime",
    "ticks",
    "startOfDay",
    "uriHost",
    "items",
    "variables",
    "body",
    "outputs",
    "parameters",
];

fn inputs() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), token_soup()]
}

fn check_span(text: &str, span: Span) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end, "span {:?} is reversed in {:?}", span, text);
    prop_assert!(span.end <= text.len(), "span {:?} is past the end of {:?}", span, text);
    prop_assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {:?} splits a character",
        span
    );
    Ok(())
}

fn check_error(text: &str, error: &ExprError) -> Result<(), TestCaseError> {
    check_span(text, error.span)?;
    prop_assert!(!error.message.is_empty());
    Ok(())
}

fn context() -> MemoryContext {
    MemoryContext::new("2024-05-01T12:00:00Z".parse().unwrap())
        .with_trigger_body(json!({"a": [1, "x", {"b": null}]}))
        .with_action_body("x", json!({"y": 1}))
        .with_variable("x", json!("text"))
        .with_loop("x", json!({"a": 1}))
}

const SMALL: Limits = Limits { max_steps: 20_000, max_depth: 32, max_string_bytes: 1 << 16, max_value_size: 1 << 16 };

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn parser_returns_a_tree_or_a_located_error(text in inputs()) {
        match parse_with(&text, &SMALL) {
            Ok(expr) => check_span(&text, expr.span)?,
            Err(error) => check_error(&text, &error)?,
        }
    }

    #[test]
    fn templates_return_a_template_or_a_located_error(text in inputs()) {
        if let Err(error) = Template::parse_with(&text, &SMALL) {
            check_error(&text, &error)?;
        }
    }

    #[test]
    fn evaluating_what_parses_never_panics(text in prop_oneof![token_soup(), expressions().prop_map(|e| format!("@{e}"))]) {
        if let Ok(template) = Template::parse_with(&text, &SMALL) {
            let mut evaluator = Evaluator::new(SMALL);
            if let Err(error) = template.evaluate(&mut evaluator, &context()) {
                check_error(&text, &error)?;
            }
        }
    }
}
