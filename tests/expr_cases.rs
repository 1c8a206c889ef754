//! Table-driven tests of the expression language: every `tests/cases/expr/*.yaml` file holds
//! an optional shared `context` and a list of `cases`. A case gives one of `expr` (an
//! expression without `@`), `template` (a JSON string value) or `value` (a JSON value whose
//! strings are rendered), an optional `context` overriding the file's field by field, and
//! `want` (the value) or `want_error` (`kind`, and optionally `span: [start, end]` and a
//! `message` substring), plus optional `want_warnings` (their display text). Every failing
//! case is printed, then the test fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use sentinel_soar::playbook::expr::{
    compile_value, parse_with, Evaluator, ExprError, Limits, MemoryContext, Span, Template,
};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ctx {
    now: Option<String>,
    trigger_body: Option<Value>,
    trigger: Option<Value>,
    /// Run without any trigger.
    no_trigger: Option<bool>,
    /// Connector-style actions: name -> body.
    actions: Option<BTreeMap<String, Value>>,
    /// Compose-style actions: name -> outputs.
    outputs: Option<BTreeMap<String, Value>>,
    /// Whole run records: name -> record.
    records: Option<BTreeMap<String, Value>>,
    variables: Option<BTreeMap<String, Value>>,
    parameters: Option<BTreeMap<String, Value>>,
    scope_results: Option<BTreeMap<String, Value>>,
    /// Enclosing loops, outermost first.
    loops: Option<Vec<Loop>>,
    /// Enclosing Until loops, outermost first.
    iterations: Option<Vec<Iteration>>,
    workflow: Option<Value>,
    guid_seed: Option<u64>,
    limits: Option<LimitsYaml>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Loop {
    name: String,
    item: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Iteration {
    name: String,
    index: i64,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsYaml {
    max_steps: Option<u64>,
    max_depth: Option<usize>,
    max_string_bytes: Option<usize>,
    max_value_size: Option<usize>,
}

macro_rules! merge {
    ($base:expr, $over:expr, $($field:ident),*) => {
        Ctx { $($field: $over.$field.clone().or_else(|| $base.$field.clone()),)* }
    };
}

impl Ctx {
    fn merged(&self, over: &Ctx) -> Ctx {
        merge!(
            self,
            over,
            now,
            trigger_body,
            trigger,
            no_trigger,
            actions,
            outputs,
            records,
            variables,
            parameters,
            scope_results,
            loops,
            iterations,
            workflow,
            guid_seed,
            limits
        )
    }

    fn limits(&self) -> Limits {
        let d = Limits::default();
        let l = self.limits.unwrap_or(LimitsYaml {
            max_steps: None,
            max_depth: None,
            max_string_bytes: None,
            max_value_size: None,
        });
        Limits {
            max_steps: l.max_steps.unwrap_or(d.max_steps),
            max_depth: l.max_depth.unwrap_or(d.max_depth),
            max_string_bytes: l.max_string_bytes.unwrap_or(d.max_string_bytes),
            max_value_size: l.max_value_size.unwrap_or(d.max_value_size),
        }
    }

    fn build(&self) -> MemoryContext {
        let now = self.now.as_deref().unwrap_or("2024-05-01T12:00:00Z").parse().unwrap();
        let mut ctx = MemoryContext::new(now).with_guid_seed(self.guid_seed.unwrap_or(7));
        if let Some(body) = &self.trigger_body {
            ctx = ctx.with_trigger_body(body.clone());
        }
        if let Some(record) = &self.trigger {
            ctx = ctx.with_trigger(record.clone());
        }
        for (name, body) in self.actions.iter().flatten() {
            ctx = ctx.with_action_body(name, body.clone());
        }
        for (name, outputs) in self.outputs.iter().flatten() {
            ctx = ctx.with_action_outputs(name, outputs.clone());
        }
        for (name, record) in self.records.iter().flatten() {
            ctx = ctx.with_action_record(name, record.clone());
        }
        for (name, value) in self.variables.iter().flatten() {
            ctx = ctx.with_variable(name, value.clone());
        }
        for (name, value) in self.parameters.iter().flatten() {
            ctx = ctx.with_parameter(name, value.clone());
        }
        for (name, value) in self.scope_results.iter().flatten() {
            ctx = ctx.with_scope_result(name, value.clone());
        }
        for l in self.loops.iter().flatten() {
            ctx = ctx.with_loop(&l.name, l.item.clone());
        }
        for i in self.iterations.iter().flatten() {
            ctx = ctx.with_iteration(&i.name, i.index);
        }
        if self.no_trigger == Some(true) {
            ctx.trigger = None;
        }
        if let Some(workflow) = &self.workflow {
            ctx = ctx.with_workflow(workflow.clone());
        }
        ctx
    }
}

/// Keeps an explicit `null` as `Some(Value::Null)`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    note: Option<String>,
    expr: Option<String>,
    template: Option<String>,
    #[serde(default, deserialize_with = "present")]
    value: Option<Value>,
    #[serde(default)]
    context: Ctx,
    #[serde(default, deserialize_with = "present")]
    want: Option<Value>,
    want_error: Option<WantError>,
    want_warnings: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WantError {
    kind: String,
    span: Option<[usize; 2]>,
    message: Option<String>,
    pointer: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    context: Ctx,
    cases: Vec<Case>,
}

/// Runs one case; `Err` describes the mismatch.
fn run(case: &Case, file_ctx: &Ctx) -> Result<(), String> {
    let ctx_yaml = file_ctx.merged(&case.context);
    let ctx = ctx_yaml.build();
    let limits = ctx_yaml.limits();
    let mut evaluator = Evaluator::new(limits);
    let (result, pointer): (Result<Value, ExprError>, Option<String>) = match (&case.expr, &case.template, &case.value)
    {
        (Some(text), None, None) => (parse_with(text, &limits).and_then(|e| evaluator.evaluate(&e, &ctx)), None),
        (None, Some(text), None) => {
            (Template::parse_with(text, &limits).and_then(|t| t.evaluate(&mut evaluator, &ctx)), None)
        }
        (None, None, Some(value)) => {
            let rendered = compile_value(value, &limits)
                .map_err(|errors| errors.into_iter().next().unwrap())
                .and_then(|t| t.evaluate(&mut evaluator, &ctx));
            match rendered {
                Ok(v) => (Ok(v), None),
                Err(e) => (Err(e.error), Some(e.pointer)),
            }
        }
        _ => return Err("give exactly one of expr, template, value".into()),
    };
    match (&case.want, &case.want_error, result) {
        (Some(want), None, Ok(got)) if &got == want => {}
        (Some(want), None, Ok(got)) => return Err(format!("want {want}, got {got}")),
        (Some(want), None, Err(e)) => {
            return Err(format!("want {want}, got error {} {:?}: {}", e.kind, e.span, e.message))
        }
        (None, Some(want), Ok(got)) => return Err(format!("want error {}, got {got}", want.kind)),
        (None, Some(want), Err(e)) => {
            let mut problems = Vec::new();
            if e.kind.name() != want.kind {
                problems.push(format!("kind {} (want {})", e.kind, want.kind));
            }
            if let Some([start, end]) = want.span {
                if e.span != Span::new(start, end) {
                    problems.push(format!("span [{}, {}] (want [{start}, {end}])", e.span.start, e.span.end));
                }
            }
            if let Some(fragment) = &want.message {
                if !e.message.contains(fragment.as_str()) {
                    problems.push(format!("message {:?} lacks {fragment:?}", e.message));
                }
            }
            if want.pointer.is_some() && want.pointer != pointer {
                problems.push(format!("pointer {pointer:?} (want {:?})", want.pointer));
            }
            if !problems.is_empty() {
                return Err(format!("error {}: {}", problems.join(", "), e.message));
            }
        }
        _ => return Err("give exactly one of want, want_error".into()),
    }
    if let Some(want) = &case.want_warnings {
        let got: Vec<String> = evaluator.warnings().iter().map(ToString::to_string).collect();
        if &got != want {
            return Err(format!("warnings {got:?} (want {want:?})"));
        }
    }
    Ok(())
}

#[test]
fn expression_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/expr");
    let mut paths: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file: CaseFile =
            serde_saphyr::from_str(&fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, case) in file.cases.iter().enumerate() {
            total += 1;
            if let Err(problem) = run(case, &file.context) {
                let input = case
                    .expr
                    .as_ref()
                    .or(case.template.as_ref())
                    .cloned()
                    .unwrap_or_else(|| format!("{:?}", case.value));
                let note = case.note.as_deref().unwrap_or("");
                failures.push(format!("{name} #{} ({note})\n    {input}\n    {problem}", i + 1));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {total} cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(total >= 300, "only {total} cases: the suite should cover every function and syntax form");
}
