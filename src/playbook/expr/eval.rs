//! The evaluator: walks an [`Expr`] against a [`Context`], spending the [`Meter`]'s budget.
//! Arguments are evaluated left to right before the call, except for `if`, `and`, `or` and
//! `coalesce`, which evaluate only what they need (real templates rely on it:
//! `if(greater(length(d), 400), substring(d, 0, 400), d)` must not run `substring` on short
//! text). Values borrowed from the context stay borrowed until a function builds a new one.

use std::borrow::Cow;

use serde_json::Value;

use super::access::{select, KeyValue};
use super::ast::{Call, Expr, ExprKind, Key, Span};
use super::budget::{Limits, Meter};
use super::context::Context;
use super::error::{ExprError, Warning};
use super::functions::{self, logical, Arg, Args, Env, Function};

/// Evaluates expressions. Keep one per workflow run: its meter counts the run's steps, and it
/// collects the run's warnings.
#[derive(Debug, Clone, Default)]
pub struct Evaluator {
    meter: Meter,
    warnings: Vec<Warning>,
}

impl Evaluator {
    pub fn new(limits: Limits) -> Evaluator {
        Evaluator { meter: Meter::new(limits), warnings: Vec::new() }
    }

    pub fn meter(&self) -> &Meter {
        &self.meter
    }

    pub fn meter_mut(&mut self) -> &mut Meter {
        &mut self.meter
    }

    pub fn limits(&self) -> &Limits {
        self.meter.limits()
    }

    /// Warnings collected so far (case-insensitive name matches).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Takes the warnings collected so far.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// Evaluates an expression to an owned value.
    pub fn evaluate(&mut self, expr: &Expr, ctx: &dyn Context) -> Result<Value, ExprError> {
        self.eval(expr, ctx, 1).map(Cow::into_owned)
    }

    /// Evaluates an expression, borrowing from the expression and the context where it can.
    pub fn evaluate_cow<'a>(&mut self, expr: &'a Expr, ctx: &'a dyn Context) -> Result<Cow<'a, Value>, ExprError> {
        self.eval(expr, ctx, 1)
    }

    fn eval<'a>(&mut self, expr: &'a Expr, ctx: &'a dyn Context, depth: usize) -> Result<Cow<'a, Value>, ExprError> {
        self.meter.step(1, expr.span)?;
        self.meter.check_depth(depth, expr.span)?;
        match &expr.kind {
            ExprKind::Literal(value) => Ok(Cow::Borrowed(value)),
            ExprKind::Call(call) => self.call(call, expr.span, ctx, depth),
            ExprKind::Access(access) => {
                let target = self.eval(&access.target, ctx, depth + 1)?;
                let key = match &access.key {
                    Key::Name(name, _) => KeyValue::Name(Cow::Borrowed(name)),
                    Key::Index(index) => KeyValue::from_value(self.eval(index, ctx, depth + 1)?, index.span)?,
                };
                select(target, &key, access.null_safe, expr.span, &mut self.warnings)
            }
        }
    }

    fn call<'a>(
        &mut self,
        call: &'a Call,
        span: Span,
        ctx: &'a dyn Context,
        depth: usize,
    ) -> Result<Cow<'a, Value>, ExprError> {
        if let Function::Logical(f) = call.function {
            let mut eval = |e: &'a Expr| self.eval(e, ctx, depth + 1);
            return logical::call_lazy(f, call, span, &mut eval);
        }
        let mut items = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            items.push(Arg { value: self.eval(arg, ctx, depth + 1)?, span: arg.span });
        }
        let args = Args { function: call.function, span, items };
        let mut env = Env { ctx, meter: &mut self.meter, warnings: &mut self.warnings };
        let result = functions::call(args, &mut env)?;
        if let Cow::Owned(value) = &result {
            self.meter.check_value(value, span)?;
        }
        Ok(result)
    }
}
