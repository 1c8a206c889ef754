//! [`MemoryContext`]: a [`Context`] held entirely in memory, for tests and for evaluating an
//! expression outside a run. Built with `with_*` methods; every map is a `BTreeMap`, so the
//! case-insensitive fallback picks the same key every time.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::context::{find_named, Context, Named};
use super::guid::GuidSource;
use super::value::eq_ignore_case;

/// An in-memory workflow state.
#[derive(Debug, Clone)]
pub struct MemoryContext {
    /// The trigger record (see [`Context::trigger`]).
    pub trigger: Option<Value>,
    /// Action records by declared name.
    pub actions: BTreeMap<String, Value>,
    /// Enclosing loops and their current items, outermost first.
    pub loops: Vec<(String, Value)>,
    /// Enclosing Until loops and their current iteration indexes, outermost first.
    pub iterations: Vec<(String, i64)>,
    pub variables: BTreeMap<String, Value>,
    pub parameters: BTreeMap<String, Value>,
    /// `result('Scope')` arrays by scope name.
    pub scope_results: BTreeMap<String, Value>,
    pub workflow: Value,
    pub now: DateTime<Utc>,
    pub guids: GuidSource,
    /// `action()`: the record of the action whose expression is being evaluated, where that
    /// is defined (an Until loop's condition).
    pub current: Option<Value>,
}

impl MemoryContext {
    /// An empty workflow state at `now`, GUID seed 0.
    pub fn new(now: DateTime<Utc>) -> MemoryContext {
        MemoryContext {
            trigger: None,
            actions: BTreeMap::new(),
            loops: Vec::new(),
            iterations: Vec::new(),
            variables: BTreeMap::new(),
            parameters: BTreeMap::new(),
            scope_results: BTreeMap::new(),
            workflow: json!({
                "id": "/workflows/offline",
                "name": "offline",
                "type": "Microsoft.Logic/workflows",
                "location": "offline",
                "run": {"id": "/workflows/offline/runs/0", "name": "0", "type": "Microsoft.Logic/workflows/runs"},
                "tags": {}
            }),
            now,
            guids: GuidSource::new(0),
            current: None,
        }
    }

    /// Sets the trigger body (the trigger record becomes `{name, outputs: {headers, body}}`).
    pub fn with_trigger_body(mut self, body: Value) -> MemoryContext {
        self.trigger =
            Some(json!({"name": "trigger", "status": "Succeeded", "outputs": {"headers": {}, "body": body}}));
        self
    }

    /// Sets the whole trigger record.
    pub fn with_trigger(mut self, record: Value) -> MemoryContext {
        self.trigger = Some(record);
        self
    }

    /// Adds an action record as is.
    pub fn with_action_record(mut self, name: &str, record: Value) -> MemoryContext {
        self.actions.insert(name.to_owned(), record);
        self
    }

    /// Adds a succeeded action whose outputs are `outputs`.
    pub fn with_action_outputs(self, name: &str, outputs: Value) -> MemoryContext {
        let record = json!({"name": name, "status": "Succeeded", "code": "OK", "outputs": outputs});
        self.with_action_record(name, record)
    }

    /// Adds a succeeded connector-style action: outputs `{statusCode: 200, headers: {}, body}`.
    pub fn with_action_body(self, name: &str, body: Value) -> MemoryContext {
        self.with_action_outputs(name, json!({"statusCode": 200, "headers": {}, "body": body}))
    }

    /// Enters a loop (inside the loops already entered) whose current item is `item`.
    pub fn with_loop(mut self, name: &str, item: Value) -> MemoryContext {
        self.loops.push((name.to_owned(), item));
        self
    }

    /// Enters an Until loop at iteration `index`.
    pub fn with_iteration(mut self, name: &str, index: i64) -> MemoryContext {
        self.iterations.push((name.to_owned(), index));
        self
    }

    pub fn with_variable(mut self, name: &str, value: Value) -> MemoryContext {
        self.variables.insert(name.to_owned(), value);
        self
    }

    pub fn with_parameter(mut self, name: &str, value: Value) -> MemoryContext {
        self.parameters.insert(name.to_owned(), value);
        self
    }

    pub fn with_scope_result(mut self, name: &str, records: Value) -> MemoryContext {
        self.scope_results.insert(name.to_owned(), records);
        self
    }

    pub fn with_workflow(mut self, workflow: Value) -> MemoryContext {
        self.workflow = workflow;
        self
    }

    pub fn with_guid_seed(mut self, seed: u64) -> MemoryContext {
        self.guids = GuidSource::new(seed);
        self
    }
}

/// The innermost entry of `stack` named `name` (exact first, then ignoring case).
fn find_in_stack<'s, T>(stack: &'s [(String, T)], name: &str) -> Option<&'s (String, T)> {
    stack.iter().rev().find(|(n, _)| n == name).or_else(|| stack.iter().rev().find(|(n, _)| eq_ignore_case(n, name)))
}

impl Context for MemoryContext {
    fn trigger(&self) -> Option<Cow<'_, Value>> {
        self.trigger.as_ref().map(Cow::Borrowed)
    }

    fn action(&self, name: &str) -> Option<Named<'_>> {
        find_named(&self.actions, name)
    }

    fn item(&self, loop_name: Option<&str>) -> Option<Named<'_>> {
        let (name, item) = match loop_name {
            None => self.loops.last()?,
            Some(wanted) => find_in_stack(&self.loops, wanted)?,
        };
        Some(Named::borrowed(name, item))
    }

    fn iteration_index(&self, loop_name: &str) -> Option<Named<'_>> {
        let (name, index) = find_in_stack(&self.iterations, loop_name)?;
        Some(Named { name: Cow::Borrowed(name), value: Cow::Owned(Value::from(*index)) })
    }

    fn variable(&self, name: &str) -> Option<Named<'_>> {
        find_named(&self.variables, name)
    }

    fn parameter(&self, name: &str) -> Option<Named<'_>> {
        find_named(&self.parameters, name)
    }

    fn scope_result(&self, name: &str) -> Option<Named<'_>> {
        find_named(&self.scope_results, name)
    }

    fn workflow(&self) -> Cow<'_, Value> {
        Cow::Borrowed(&self.workflow)
    }

    fn current_action(&self) -> Option<Cow<'_, Value>> {
        self.current.as_ref().map(Cow::Borrowed)
    }

    fn now(&self) -> DateTime<Utc> {
        self.now
    }

    fn next_guid(&self) -> u128 {
        self.guids.next_guid()
    }
}
