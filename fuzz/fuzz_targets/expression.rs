//! Fuzz target: the Workflow Definition Language on arbitrary UTF-8. Parses the text as a JSON
//! string value of a workflow (`Template::parse`: `@expr`, `@{...}` interpolation, `@@`
//! escapes) and as a bare expression (`parse`: the text after `@`), and evaluates whatever
//! parses against a `MemoryContext` that has a trigger, an action, loops, variables,
//! parameters and a scope result, with the default budget limits. Errors are expected;
//! nothing may panic, overflow the stack or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentinel_soar::playbook::expr::{parse, Evaluator, MemoryContext, Template};
use serde_json::json;

fn context() -> MemoryContext {
    let now = chrono::DateTime::from_timestamp(1_714_564_800, 0).unwrap_or_default();
    MemoryContext::new(now)
        .with_trigger_body(json!({
            "object": {"name": "inc-1", "properties": {
                "title": "Suspicious sign-in", "severity": "High", "incidentNumber": 42,
                "relatedEntities": [{"kind": "Ip", "properties": {"address": "10.0.0.1"}}],
                "createdTimeUtc": "2024-05-01T11:00:00Z"}},
            "Entities": [{"$id": "1", "Type": "ip", "Address": "10.0.0.1"}]
        }))
        .with_action_body("Action", json!({"IPs": [{"Address": "10.0.0.1"}], "count": 2, "text": "a,b"}))
        .with_action_outputs("Compose", json!("composed"))
        .with_loop("For_each", json!({"Address": "10.0.0.1", "n": 1.5}))
        .with_loop("Inner", json!([1, 2, 3]))
        .with_iteration("Until", 3)
        .with_variable("Var", json!([3, 1, 2]))
        .with_variable("Str", json!("héllo wörld"))
        .with_variable("Obj", json!({"a": {"b": null}, "n": -1}))
        .with_parameter("Param", json!("value"))
        .with_scope_result("Scope", json!([{"name": "Action", "status": "Succeeded"}]))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ctx = context();
    if let Ok(template) = Template::parse(text) {
        let _ = template.evaluate(&mut Evaluator::default(), &ctx);
    }
    if let Ok(expr) = parse(text) {
        let _ = Evaluator::default().evaluate(&expr, &ctx);
    }
});
