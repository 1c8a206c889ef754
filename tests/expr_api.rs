//! The public API as the playbook runtime will use it: an error in a real template mapped to
//! its file line and column, a hand-written `Context` that owns what it returns, object-form
//! `If` predicates through `call_values`, run-wide warnings, and deterministic GUIDs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use sentinel_soar::playbook::expr::{
    call_values, compile_value, evaluate_str, evaluate_value, span_in_json_string, span_in_verbatim, Context,
    ErrorKind, Evaluator, Function, GuidSource, MemoryContext, Meter, Named, Template, WarningKind,
};

fn now() -> DateTime<Utc> {
    "2024-05-01T12:00:00Z".parse().unwrap()
}

#[test]
fn an_error_in_a_corpus_template_points_at_its_file_line_and_column() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/playbooks/vt-ip-report-incident.json");
    let Ok(file) = std::fs::read_to_string(path) else {
        eprintln!("corpus not found at {path}; skipping");
        return;
    };
    let needle = "\"<p>Virus Total IP Report found for @{items('For_each')?['Address']}<br>\\nReputation is: @{body('Get_an_IP_report')";
    let literal_start = file.find(needle).unwrap();
    // Decode the literal as serde_json would, then parse it as a template.
    let literal_end = literal_start + 1 + file[literal_start + 1..].find("</p>\"").unwrap() + 5;
    let value: String = serde_json::from_str(&file[literal_start..literal_end]).unwrap();
    let template = Template::parse(&value).unwrap();
    // The loop is there, the VirusTotal call has not run: body('Get_an_IP_report') fails.
    let ctx = MemoryContext::new(now()).with_loop("For_each", json!({"Address": "10.0.0.1"}));
    let err = template.evaluate(&mut Evaluator::default(), &ctx).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnknownAction);
    let at = span_in_json_string(&file, literal_start, err.span).unwrap();
    assert_eq!(&file[at.start..at.end], "body('Get_an_IP_report')");
    let line_text = file.lines().nth(at.line - 1).unwrap();
    assert_eq!(line_text.chars().skip(at.column - 1).take(24).collect::<String>(), "body('Get_an_IP_report')");
    assert_eq!(at.line, 114);
}

#[test]
fn verbatim_sources_map_directly() {
    let yaml = "steps:\n  - compose: \"@toLower(variables('missing'))\"\n";
    let value_start = yaml.find("@toLower").unwrap();
    let template = Template::parse("@toLower(variables('missing'))").unwrap();
    let err = template.evaluate(&mut Evaluator::default(), &MemoryContext::new(now())).unwrap_err();
    let at = span_in_verbatim(yaml, value_start, err.span).unwrap();
    assert_eq!((at.line, at.column, &yaml[at.start..at.end]), (2, 24, "variables('missing')"));
}

/// A context that builds what it returns, as a runtime over its own structures might.
struct Owned;

impl Context for Owned {
    fn trigger(&self) -> Option<Cow<'_, Value>> {
        Some(Cow::Owned(json!({"outputs": {"body": {"n": 1}}})))
    }
    fn action(&self, name: &str) -> Option<Named<'_>> {
        (name.eq_ignore_ascii_case("compose"))
            .then(|| Named { name: Cow::Borrowed("Compose"), value: Cow::Owned(json!({"outputs": [1, 2, 3]})) })
    }
    fn item(&self, _loop_name: Option<&str>) -> Option<Named<'_>> {
        None
    }
    fn variable(&self, name: &str) -> Option<Named<'_>> {
        Some(Named { name: Cow::Owned(name.to_owned()), value: Cow::Owned(json!(name.len())) })
    }
    fn parameter(&self, _name: &str) -> Option<Named<'_>> {
        None
    }
    fn workflow(&self) -> Cow<'_, Value> {
        Cow::Owned(json!({"name": "owned"}))
    }
    fn now(&self) -> DateTime<Utc> {
        now()
    }
    fn next_guid(&self) -> u128 {
        0x0123_4567_89ab_4cde_8f01_2345_6789_abcd
    }
}

#[test]
fn a_hand_written_context_works() {
    let ctx = Owned;
    assert_eq!(evaluate_str("triggerBody()?['n']", &ctx).unwrap(), json!(1));
    assert_eq!(evaluate_str("last(outputs('COMPOSE'))", &ctx).unwrap(), json!(3));
    assert_eq!(evaluate_str("variables('abcd')", &ctx).unwrap(), json!(4));
    assert_eq!(evaluate_str("guid('N')", &ctx).unwrap(), json!("0123456789ab4cde8f0123456789abcd"));
    assert_eq!(evaluate_str("items('x')", &ctx).unwrap_err().kind, ErrorKind::NotInLoop);
    assert_eq!(evaluate_str("result('x')", &ctx).unwrap_err().kind, ErrorKind::UnknownAction);
    assert_eq!(evaluate_str("iterationIndexes('x')", &ctx).unwrap_err().kind, ErrorKind::NotInLoop);
    assert!(evaluate_str("listCallbackUrl()", &ctx).unwrap().as_str().unwrap().starts_with("https://offline.invalid/"));
}

#[test]
fn object_form_predicates_use_the_same_functions() {
    // {"and": [{"equals": ["@body('A')?['status']", "Closed"]}, {"greater": ["@variables('n')", 2]}]}
    let ctx = MemoryContext::new(now()).with_action_body("A", json!({"status": "Closed"})).with_variable("n", json!(3));
    let mut meter = Meter::default();
    let operand = |text: &str| evaluate_value(&json!(text), &ctx).unwrap();
    let equals = Function::lookup("equals").unwrap();
    let (left, _) =
        call_values(equals, vec![operand("@body('A')?['status']"), json!("Closed")], &ctx, &mut meter).unwrap();
    let greater = Function::lookup("GREATER").unwrap();
    let (right, _) = call_values(greater, vec![operand("@variables('n')"), json!(2)], &ctx, &mut meter).unwrap();
    let and = Function::lookup("and").unwrap();
    assert_eq!(call_values(and, vec![left, right], &ctx, &mut meter).unwrap().0, json!(true));
    let not = Function::lookup("not").unwrap();
    let err = call_values(not, vec![json!(1), json!(2)], &ctx, &mut meter).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentCount);
    let err = call_values(not, vec![json!("true")], &ctx, &mut meter).unwrap_err();
    assert_eq!(err.kind, ErrorKind::ArgumentType);
}

#[test]
fn warnings_accumulate_over_a_run_and_can_be_taken() {
    let ctx = MemoryContext::new(now())
        .with_action_body("For_Each_Host", json!({}))
        .with_loop("For_each", json!({"HostName": "h1"}));
    let mut evaluator = Evaluator::default();
    let inputs = json!({"a": "@{items('for_each')?['hostname']}", "b": "@body('for_each_host')"});
    let compiled = compile_value(&inputs, evaluator.limits()).unwrap();
    assert_eq!(compiled.evaluate(&mut evaluator, &ctx).unwrap(), json!({"a": "h1", "b": {}}));
    let kinds: Vec<WarningKind> = evaluator.take_warnings().into_iter().map(|w| w.kind).collect();
    assert_eq!(kinds, [WarningKind::LoopNameCase, WarningKind::PropertyNameCase, WarningKind::ActionNameCase]);
    assert!(evaluator.warnings().is_empty());
}

#[test]
fn guids_repeat_for_the_same_run_inputs() {
    let run = |seed_inputs: &[&[u8]]| {
        let mut ctx = MemoryContext::new(now());
        ctx.guids = GuidSource::from_inputs(seed_inputs);
        let mut evaluator = Evaluator::default();
        let template = Template::parse("@{guid()} @{guid()}").unwrap();
        template.evaluate(&mut evaluator, &ctx).unwrap()
    };
    let first = run(&[b"playbook-a", br#"{"incident":1}"#]);
    assert_eq!(first, run(&[b"playbook-a", br#"{"incident":1}"#]));
    assert_ne!(first, run(&[b"playbook-a", br#"{"incident":2}"#]));
    let text = first.as_str().unwrap();
    let (a, b) = text.split_once(' ').unwrap();
    assert_ne!(a, b);
}

#[test]
fn every_error_kind_has_a_distinct_name_and_code() {
    let mut names = std::collections::HashSet::new();
    let mut codes = std::collections::HashSet::new();
    for kind in ErrorKind::ALL {
        assert!(names.insert(kind.name()) && codes.insert(kind.code()), "{kind}");
        assert_eq!(ErrorKind::from_name(kind.name()), Some(kind));
    }
    assert!(ErrorKind::UnknownFunction.is_static() && !ErrorKind::ArgumentType.is_static());
    assert!(ErrorKind::SizeLimit.is_budget() && !ErrorKind::Overflow.is_budget());
}
