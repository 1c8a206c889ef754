//! The sandbox budgets, one test each: evaluation steps (per node, per data built, across a
//! run), nesting depth (parsing, evaluation, JSON values), string size and value size. Each
//! exceeded budget is a typed error pointing at the node that crossed it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use sentinel_soar::playbook::expr::{
    compile_value, parse, parse_with, ErrorKind, Evaluator, ExprError, Limits, MemoryContext, Span, Template,
};

fn ctx() -> MemoryContext {
    MemoryContext::new("2024-05-01T12:00:00Z".parse().unwrap())
        .with_variable("big", Value::Array((0..1000).map(Value::from).collect()))
        .with_variable("text", json!("x".repeat(1000)))
}

fn eval_with(limits: Limits, text: &str) -> Result<Value, ExprError> {
    let expr = parse(text).unwrap();
    Evaluator::new(limits).evaluate(&expr, &ctx())
}

#[test]
fn defaults_are_the_documented_ones() {
    let limits = Limits::default();
    assert_eq!(
        (limits.max_steps, limits.max_depth, limits.max_string_bytes, limits.max_value_size),
        (1_000_000, 64, 1 << 20, 1 << 22)
    );
}

#[test]
fn each_node_costs_a_step() {
    let limits = Limits { max_steps: 5, ..Limits::default() };
    // concat + 4 literals = 5 nodes: fits exactly.
    assert_eq!(eval_with(limits, "concat('a', 'b', 'c', 'd')").unwrap(), json!("abcd"));
    let err = eval_with(limits, "concat('a', 'b', 'c', 'd', 'e')").unwrap_err();
    assert_eq!((err.kind, err.span), (ErrorKind::StepLimit, Span::new(27, 30)));
}

#[test]
fn building_data_costs_steps() {
    // range(0, 100000) builds ~100k units: about 97 extra steps.
    let limits = Limits { max_steps: 60, ..Limits::default() };
    let err = eval_with(limits, "length(range(0, 100000))").unwrap_err();
    assert_eq!((err.kind, err.span), (ErrorKind::StepLimit, Span::new(7, 23)));
    let limits = Limits { max_steps: 200, ..Limits::default() };
    assert_eq!(eval_with(limits, "length(range(0, 100000))").unwrap(), json!(100_000));
}

#[test]
fn the_step_budget_spans_a_whole_run() {
    let ctx = ctx();
    let expr = parse("add(1, 2)").unwrap();
    let mut evaluator = Evaluator::new(Limits { max_steps: 10, ..Limits::default() });
    for _ in 0..3 {
        assert_eq!(evaluator.evaluate(&expr, &ctx).unwrap(), json!(3));
    }
    assert_eq!(evaluator.meter().steps_used(), 9);
    assert_eq!(evaluator.evaluate(&expr, &ctx).unwrap_err().kind, ErrorKind::StepLimit);
}

#[test]
fn parsing_bounds_nesting() {
    let limits = Limits { max_depth: 8, ..Limits::default() };
    let nested = |n: usize| format!("{}'x'{}", "toLower(".repeat(n), ")".repeat(n));
    assert!(parse_with(&nested(7), &limits).is_ok());
    let err = parse_with(&nested(8), &limits).unwrap_err();
    assert_eq!((err.kind, err.span), (ErrorKind::DepthLimit, Span::new(64, 67)));
    // No stack overflow on absurd input: refused at the limit.
    let err = parse(&nested(100_000)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DepthLimit);
}

#[test]
fn evaluation_bounds_nesting_too() {
    // Parsed under the default limit, evaluated under a smaller one.
    let limits = Limits { max_depth: 3, ..Limits::default() };
    let err = eval_with(limits, "toLower(toLower(toLower('X')))").unwrap_err();
    assert_eq!((err.kind, err.span), (ErrorKind::DepthLimit, Span::new(24, 27)));
}

#[test]
fn rendering_bounds_json_nesting() {
    let mut value = json!("@utcNow()");
    for _ in 0..10 {
        value = json!({"a": [value]});
    }
    let limits = Limits { max_depth: 12, ..Limits::default() };
    let errors = compile_value(&value, &limits).unwrap_err();
    assert_eq!(errors[0].error.kind, ErrorKind::DepthLimit);
    assert_eq!(errors[0].pointer, "/a/0/a/0/a/0/a/0/a/0/a/0");
    assert!(compile_value(&value, &Limits::default()).is_ok());
}

#[test]
fn strings_are_refused_before_they_are_built() {
    let limits = Limits { max_string_bytes: 2_500, ..Limits::default() };
    assert!(eval_with(limits, "concat(variables('text'), variables('text'))").is_ok());
    let err = eval_with(limits, "concat(variables('text'), variables('text'), variables('text'))").unwrap_err();
    assert_eq!((err.kind, err.span), (ErrorKind::SizeLimit, Span::new(0, 63)));
    for text in [
        "replace(variables('text'), 'x', 'xyz')",
        "join(createArray(variables('text'), variables('text'), variables('text')), '')",
        "base64(concat(variables('text'), variables('text')))",
        "string(range(0, 1000))",
    ] {
        assert_eq!(eval_with(limits, text).unwrap_err().kind, ErrorKind::SizeLimit, "{text}");
    }
}

#[test]
fn interpolation_is_bounded() {
    let limits = Limits { max_string_bytes: 1_500, ..Limits::default() };
    let template = Template::parse("@{variables('text')} and @{variables('text')}").unwrap();
    let err = template.evaluate(&mut Evaluator::new(limits), &ctx()).unwrap_err();
    assert_eq!((err.kind, err.span), (ErrorKind::SizeLimit, Span::new(27, 44)));
}

#[test]
fn values_are_bounded_by_weight() {
    let limits = Limits { max_value_size: 2_500, ..Limits::default() };
    assert!(eval_with(limits, "createArray(variables('big'), variables('big'))").is_ok());
    let err = eval_with(limits, "createArray(variables('big'), variables('big'), variables('big'))").unwrap_err();
    assert_eq!((err.kind, err.span), (ErrorKind::SizeLimit, Span::new(0, 65)));
    assert_eq!(eval_with(limits, "range(0, 3000)").unwrap_err().kind, ErrorKind::SizeLimit);
}

#[test]
fn growth_cannot_explode() {
    let started = Instant::now();
    // Squaring: 1,000 x's with every x replaced by the text is 1,000,000 bytes (under the 1 MiB
    // default); doing it again would be 10^9 bytes, refused before anything is built.
    let squared = "replace(variables('text'), 'x', variables('text'))";
    assert_eq!(eval_with(Limits::default(), &format!("length({squared})")).unwrap(), json!(1_000_000));
    let err = eval_with(Limits::default(), &format!("replace({squared}, 'x', variables('text'))")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::SizeLimit);
    // Doubling: each level holds its argument twice; level 12 would weigh over 4 Mi units.
    let doubled = (0..14).fold("variables('big')".to_owned(), |inner, _| format!("createArray({inner}, {inner})"));
    let err = eval_with(Limits::default(), &doubled).unwrap_err();
    assert_eq!(err.kind, ErrorKind::SizeLimit);
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}
