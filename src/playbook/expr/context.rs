//! The [`Context`] trait: everything an expression can read from the running workflow, and
//! the only way out of the sandbox. The playbook runtime implements it over its run state;
//! [`MemoryContext`](super::MemoryContext) is a simple in-memory implementation for tests.
//!
//! Contract for implementers:
//! - **Names are case-insensitive.** Real templates write `items('for_each')` for a loop named
//!   `For_each`. Look the exact name up first, then ignoring case ([`find_named`] does both for
//!   a map), and return the name *as declared* in [`Named::name`]: the evaluator compares it
//!   with the name as written and records a [`Warning`](super::Warning) when they differ.
//! - **Return what has run.** `action` returns `None` for an action that does not exist *or*
//!   has not run yet in this run (the evaluator reports [`ErrorKind::UnknownAction`]); a skipped
//!   or failed action that has a record returns it (its status is in the record).
//! - **Records have the run-history shape** (`actions('A')` returns it as is): `name`,
//!   `status` ("Succeeded", "Failed", "Skipped", "TimedOut"), `code`, `startTime`, `endTime`,
//!   `inputs`, `outputs`, `error`. `outputs('A')` is the record's `outputs`, `body('A')` its
//!   `outputs.body` (null when missing). For Compose, `outputs` is the composed value; for
//!   ParseJson and connector calls, `outputs` is `{statusCode, headers, body}`.
//! - **Determinism.** `now` is the simulated clock and `next_guid` a per-run deterministic
//!   sequence ([`GuidSource`](super::GuidSource)); the runtime must call expressions in a
//!   deterministic order (e.g. concurrent Foreach iterations in input order) for the sequence
//!   to repeat.
//!
//! [`ErrorKind::UnknownAction`]: super::ErrorKind::UnknownAction

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::value::eq_ignore_case;

/// A value found under a name, with the name as declared (which may differ in case from the
/// name written in the expression).
#[derive(Debug, Clone, PartialEq)]
pub struct Named<'a> {
    pub name: Cow<'a, str>,
    pub value: Cow<'a, Value>,
}

impl<'a> Named<'a> {
    /// Borrows both parts.
    pub fn borrowed(name: &'a str, value: &'a Value) -> Named<'a> {
        Named { name: Cow::Borrowed(name), value: Cow::Borrowed(value) }
    }
}

/// What expressions read from the workflow run. Object-safe; the evaluator takes
/// `&dyn Context`. See the module doc for the contract.
pub trait Context {
    /// The trigger's record: `{name, inputs, outputs: {headers, body}, startTime, ...}`.
    /// `trigger()` returns it, `triggerOutputs()` its `outputs`, `triggerBody()` its
    /// `outputs.body`. `None` when the workflow has no trigger payload.
    fn trigger(&self) -> Option<Cow<'_, Value>>;

    /// The record of an action that has run (name compared ignoring case).
    fn action(&self, name: &str) -> Option<Named<'_>>;

    /// The current item of the loop named `loop_name` (a Foreach enclosing the expression), or
    /// with `None` of the innermost Foreach / Query / Select (`item()`).
    fn item(&self, loop_name: Option<&str>) -> Option<Named<'_>>;

    /// The current iteration index of the enclosing Until loop `loop_name`
    /// (`iterationIndexes('Until')`). Default: not in such a loop.
    fn iteration_index(&self, loop_name: &str) -> Option<Named<'_>> {
        let _ = loop_name;
        None
    }

    /// A variable's current value (initialized by InitializeVariable).
    fn variable(&self, name: &str) -> Option<Named<'_>>;

    /// A workflow parameter's value (definition default or the resource-level value).
    fn parameter(&self, name: &str) -> Option<Named<'_>>;

    /// `result('Scope')`: the records of the top-level actions of a Scope, Foreach or Until
    /// that has run, as an array. Default: no such scope.
    fn scope_result(&self, name: &str) -> Option<Named<'_>> {
        let _ = name;
        None
    }

    /// `action()`: the record of the action being evaluated, where Logic Apps defines it (an
    /// Until loop's condition, a webhook's `unsubscribe`, `trackedProperties`). Default: none.
    fn current_action(&self) -> Option<Cow<'_, Value>> {
        None
    }

    /// `workflow()`: `{id, name, type, location, run: {id, name, type}, tags}`.
    fn workflow(&self) -> Cow<'_, Value>;

    /// `listCallbackUrl()`: a fixed fake URL offline.
    fn callback_url(&self) -> Cow<'_, str> {
        Cow::Borrowed(FAKE_CALLBACK_URL)
    }

    /// The simulated clock: `utcNow()` and the functions relative to now.
    fn now(&self) -> DateTime<Utc>;

    /// The next GUID of this run, as 128 bits (`guid()` formats it).
    fn next_guid(&self) -> u128;
}

/// What `listCallbackUrl()` returns unless the context says otherwise.
pub const FAKE_CALLBACK_URL: &str =
    "https://offline.invalid/workflows/sentinel-soar/triggers/manual/run?api-version=2016-10-01&sig=offline";

/// Looks `name` up in a map: exact key first, then the first key (in map order) equal
/// ignoring case.
pub fn find_named<'m>(map: &'m BTreeMap<String, Value>, name: &str) -> Option<Named<'m>> {
    map.get_key_value(name)
        .or_else(|| map.iter().find(|(k, _)| eq_ignore_case(k, name)))
        .map(|(k, v)| Named::borrowed(k, v))
}
