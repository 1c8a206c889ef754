//! Budgets for the sandbox. Expressions do no I/O by construction (the only way out is the
//! [`Context`](super::Context) trait); these limits bound the rest, so that no expression can
//! hang the engine or exhaust memory. Exceeding one is a typed error with the span of the node
//! where it happened ([`ErrorKind::StepLimit`], [`ErrorKind::DepthLimit`],
//! [`ErrorKind::SizeLimit`]).
//!
//! - **Steps**: one per node evaluated, plus one per 1,024 units of every value a function
//!   builds (so `join` over a huge array costs more than `add(1, 2)`). Counted over the life
//!   of a [`Meter`]: the runtime keeps one per run, so the budget covers the whole run.
//! - **Depth**: nesting of calls, selections and indexes in one expression (checked while
//!   parsing, so no input can overflow the stack), and nesting of JSON values walked by
//!   [`evaluate_value`](super::evaluate_value).
//! - **Size**: every string a function builds is at most `max_string_bytes`; every value a
//!   function builds weighs at most `max_value_size`, where the weight of a value is one per
//!   JSON node plus one per byte of its strings and keys.

use serde_json::Value;

use super::ast::Span;
use super::error::{ErrorKind, ExprError};

/// The limits. `Default` gives the values documented on each field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Evaluation steps over the life of a meter. Default 1,000,000.
    pub max_steps: u64,
    /// Nesting depth of an expression or of a JSON value being rendered. Default 64.
    pub max_depth: usize,
    /// Bytes in one built string. Default 1 MiB (1,048,576).
    pub max_string_bytes: usize,
    /// Weight of one built value (nodes + string bytes). Default 4 Mi (4,194,304).
    pub max_value_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_steps: 1_000_000, max_depth: 64, max_string_bytes: 1 << 20, max_value_size: 1 << 22 }
    }
}

/// Data units per extra step charged for a built value.
const UNITS_PER_STEP: usize = 1024;

/// Counts steps against the limits.
#[derive(Debug, Clone)]
pub struct Meter {
    limits: Limits,
    steps: u64,
}

impl Meter {
    pub fn new(limits: Limits) -> Meter {
        Meter { limits, steps: 0 }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Steps spent so far.
    pub fn steps_used(&self) -> u64 {
        self.steps
    }

    /// Spends `n` steps, failing at `span` once the budget is gone.
    pub fn step(&mut self, n: u64, span: Span) -> Result<(), ExprError> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.limits.max_steps {
            let message = format!("the expression budget of {} evaluation steps is spent", self.limits.max_steps);
            return Err(ExprError::new(ErrorKind::StepLimit, span, message));
        }
        Ok(())
    }

    /// Fails when `depth` is deeper than allowed.
    pub fn check_depth(&self, depth: usize, span: Span) -> Result<(), ExprError> {
        if depth > self.limits.max_depth {
            let message = format!("nesting deeper than the limit of {} levels", self.limits.max_depth);
            return Err(ExprError::new(ErrorKind::DepthLimit, span, message));
        }
        Ok(())
    }

    /// Fails when a string of `bytes` bytes would be too long: call before building one.
    pub fn check_string_len(&self, bytes: usize, span: Span) -> Result<(), ExprError> {
        if bytes > self.limits.max_string_bytes {
            let message = format!(
                "the result would be a string of {bytes} bytes, over the limit of {}",
                self.limits.max_string_bytes
            );
            return Err(ExprError::new(ErrorKind::SizeLimit, span, message));
        }
        Ok(())
    }

    /// Checks a value a function built against the size limits and charges steps for it.
    pub fn check_value(&mut self, value: &Value, span: Span) -> Result<(), ExprError> {
        if let Value::String(s) = value {
            self.check_string_len(s.len(), span)?;
        }
        let limit = self.limits.max_value_size;
        let Some(weight) = weight_within(value, limit) else {
            let message =
                format!("the result would weigh more than the limit of {limit} units (nodes and string bytes)");
            return Err(ExprError::new(ErrorKind::SizeLimit, span, message));
        };
        self.step(u64::try_from(weight / UNITS_PER_STEP).unwrap_or(u64::MAX), span)
    }
}

impl Default for Meter {
    fn default() -> Self {
        Meter::new(Limits::default())
    }
}

/// The weight of `value` (one per node, one per byte of strings and keys), or `None` as soon
/// as it passes `limit`. Iterative, and never walks more than `limit` nodes.
pub fn weight_within(value: &Value, limit: usize) -> Option<usize> {
    let mut total = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        total = total.saturating_add(1);
        match v {
            Value::String(s) => total = total.saturating_add(s.len()),
            Value::Array(items) => {
                // Every pending node weighs at least one: refuse before queueing too many.
                if total.saturating_add(stack.len()).saturating_add(items.len()) > limit {
                    return None;
                }
                stack.extend(items.iter());
            }
            Value::Object(map) => {
                if total.saturating_add(stack.len()).saturating_add(map.len()) > limit {
                    return None;
                }
                for (k, item) in map {
                    total = total.saturating_add(k.len());
                    stack.push(item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
        if total > limit {
            return None;
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn weighs_nodes_and_bytes() {
        assert_eq!(weight_within(&json!({"ab": ["xyz", 1, null]}), 100), Some(1 + 2 + 1 + 4 + 1 + 1));
        assert_eq!(weight_within(&json!(["aaaa", "bbbb"]), 5), None);
    }

    #[test]
    fn steps_run_out() {
        let mut meter = Meter::new(Limits { max_steps: 3, ..Limits::default() });
        assert!(meter.step(3, Span::new(0, 1)).is_ok());
        let err = meter.step(1, Span::new(2, 4)).unwrap_err();
        assert_eq!((err.kind, err.span), (ErrorKind::StepLimit, Span::new(2, 4)));
    }
}
