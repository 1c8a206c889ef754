//! [`Runner`]: the state of one run. The expression context is a
//! [`MemoryContext`](crate::playbook::expr::MemoryContext) holding the trigger record, the
//! action records, variables, parameters, the enclosing loops, the simulated clock and the
//! run's GUID sequence; one [`Evaluator`] spends the run's expression budget. The runner also
//! holds the incident in hand, the changes made to it, what the run has spent against its
//! budgets, and why it stopped early ([`Halt`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::model::{Change, Incident, RunStatus};
use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::expr::{call_values, Evaluator, MemoryContext, ValueError};
use crate::playbook::model::{codes, Action, Canned, Input, Playbook, Predicate, VariableType};

use super::log::{ErrorInfo, Spent};
use super::Options;

/// Why a run stopped before its actions were done.
#[derive(Debug, Clone, PartialEq)]
pub enum Halt {
    /// A Terminate action ran.
    Terminated { status: RunStatus, error: Option<ErrorInfo> },
    /// A budget was spent.
    Failed(ErrorInfo),
}

/// One run's state.
pub struct Runner<'r> {
    pub playbook: &'r Playbook,
    pub mocks: &'r Mocks,
    pub options: &'r Options,
    pub ctx: MemoryContext,
    pub evaluator: Evaluator,
    pub incident: Option<Incident>,
    pub changes: Vec<Change>,
    pub spent: Spent,
    pub halt: Option<Halt>,
    pub started: DateTime<Utc>,
    pub variable_types: BTreeMap<String, VariableType>,
    pub unmocked: Vec<String>,
    /// `--infer-mocks`: the inferred answers by action name (lower case).
    pub inferred_answers: BTreeMap<String, Canned>,
    /// The calls answered by inferred mocks, by action name, one entry per call.
    pub inferred: Vec<String>,
    pub warnings: Vec<String>,
    pub response: Option<Value>,
    /// Masks secret values in everything the run writes.
    pub redactor: super::redact::Redactor,
    /// The run's copy of the watchlists (the Sentinel watchlist operations change it).
    pub watchlists: crate::playbook::connectors::watchlists::Watchlists,
    /// The SystemAlertId of the alert the run started from, when given with its incident.
    pub alert_id: Option<String>,
}

impl Runner<'_> {
    /// The simulated time now.
    pub fn now(&self) -> DateTime<Utc> {
        self.ctx.now
    }

    /// Moves the simulated clock forward.
    pub fn advance(&mut self, by: Duration) {
        self.ctx.now = self.ctx.now.checked_add_signed(by).unwrap_or(self.ctx.now);
    }

    /// Renders an input of `action`. An expression error fails the action with the message
    /// Logic Apps gives (`InvalidTemplate`), pointing at the file position; a spent
    /// expression budget also stops the run.
    pub fn render(&mut self, action: &Action, input: &Input) -> Result<Value, ErrorInfo> {
        let result = input.template.evaluate(&mut self.evaluator, &self.ctx);
        self.collect_warnings(action);
        result.map_err(|e| self.expression_error(action, input, &e))
    }

    fn expression_error(&mut self, action: &Action, input: &Input, e: &ValueError) -> ErrorInfo {
        let source = &self.playbook.source;
        let span = input.anchor(&e.pointer).map_or(action.span, |anchor| source.locate(anchor, e.error.span));
        let at = source.position(span);
        let message = format!(
            "Unable to process template language expressions in action '{}' inputs at line '{}' and column '{}': '{}'.",
            action.name, span.line, span.column, e.error.message
        );
        if e.error.kind.is_budget() {
            let info = ErrorInfo::new("BudgetExceeded", message).with_diagnostic(codes::BUDGET, Some(at));
            self.halt = Some(Halt::Failed(info.clone()));
            return info;
        }
        ErrorInfo::new("InvalidTemplate", message).with_diagnostic(codes::EVALUATION, Some(at))
    }

    fn collect_warnings(&mut self, action: &Action) {
        for w in self.evaluator.take_warnings() {
            let text = format!("{}: {w}", action.name);
            if !self.warnings.contains(&text) {
                self.warnings.push(text);
            }
        }
    }

    /// Evaluates a condition to a boolean.
    pub fn predicate(&mut self, action: &Action, predicate: &Predicate) -> Result<bool, ErrorInfo> {
        match predicate {
            Predicate::And(items) => {
                for item in items {
                    if !self.predicate(action, item)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Predicate::Or(items) => {
                for item in items {
                    if self.predicate(action, item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Predicate::Not(inner) => Ok(!self.predicate(action, inner)?),
            Predicate::Value(input) => boolean(action, self.render(action, input)?),
            Predicate::Call(function, args) => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(self.render(action, arg)?);
                }
                let result = call_values(*function, values, &self.ctx, self.evaluator.meter_mut());
                match result {
                    Ok((value, warnings)) => {
                        self.warnings.extend(warnings.into_iter().map(|w| format!("{}: {w}", action.name)));
                        boolean(action, value)
                    }
                    Err(e) => {
                        let message = format!(
                            "Unable to process template language expressions for action '{}': '{}'.",
                            action.name, e.message
                        );
                        let at = self.playbook.source.position(action.span);
                        Err(ErrorInfo::new("InvalidTemplate", message).with_diagnostic(codes::EVALUATION, Some(at)))
                    }
                }
            }
        }
    }

    /// Counts one executed action against the budget.
    pub fn charge_action(&mut self, action: &Action) -> Result<(), ErrorInfo> {
        self.spent.actions += 1;
        let max = self.options.limits.max_actions;
        if self.spent.actions > max {
            return Err(self.budget(action, format!("the run budget of {max} executed actions is spent")));
        }
        Ok(())
    }

    /// Counts one loop iteration against the budget.
    pub fn charge_iteration(&mut self, action: &Action) -> Result<(), ErrorInfo> {
        self.spent.iterations += 1;
        let max = self.options.limits.max_iterations;
        if self.spent.iterations > max {
            return Err(self.budget(action, format!("the run budget of {max} loop iterations is spent")));
        }
        Ok(())
    }

    /// Fails the run when the simulated clock has run past the duration budget.
    pub fn check_clock(&mut self, action: &Action) -> Result<(), ErrorInfo> {
        let max = self.options.limits.max_duration;
        if self.ctx.now.signed_duration_since(self.started) > max {
            let text = crate::playbook::model::duration::format_iso8601(max);
            return Err(self.budget(action, format!("the run budget of {text} of simulated time is spent")));
        }
        Ok(())
    }

    fn budget(&mut self, action: &Action, what: String) -> ErrorInfo {
        let message = format!("{what} (at action '{}')", action.name);
        let at = self.playbook.source.position(action.span);
        let info = ErrorInfo::new("BudgetExceeded", message).with_diagnostic(codes::BUDGET, Some(at));
        if self.halt.is_none() {
            self.halt = Some(Halt::Failed(info.clone()));
        }
        info
    }

    /// Stores an action's record, the shape `actions('X')` returns.
    pub fn record(&mut self, name: &str, record: Value) {
        self.ctx.actions.insert(name.to_owned(), record);
    }
}

fn boolean(action: &Action, value: Value) -> Result<bool, ErrorInfo> {
    match value {
        Value::Bool(b) => Ok(b),
        other => {
            let message = format!(
                "The condition of action '{}' must evaluate to a boolean, not {}",
                action.name,
                crate::playbook::expr::value::type_name(&other)
            );
            Err(ErrorInfo::new("InvalidTemplate", message).with_diagnostic(codes::EVALUATION, None))
        }
    }
}
