//! Why a rule ran or did not, for `explain` and dry runs.

use chrono::{DateTime, Utc};

use crate::rules::condition::Trace;
use crate::rules::TriggerWhen;

/// The decision for one rule on one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Fired,
    Disabled,
    Expired(DateTime<Utc>),
    /// Scoped to analytics rules the incident does not come from.
    OutOfScope,
    ConditionsFalse,
}

/// One rule's verdict, with the condition trace when conditions were evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVerdict {
    pub rule: String,
    pub order: u32,
    pub queue: TriggerWhen,
    pub verdict: Verdict,
    pub trace: Option<Trace>,
    pub changes: usize,
}

impl RuleVerdict {
    pub fn new(
        rule: &crate::rules::Rule,
        queue: TriggerWhen,
        verdict: Verdict,
        trace: Option<Trace>,
        changes: usize,
    ) -> Self {
        RuleVerdict { rule: rule.name.clone(), order: rule.order, queue, verdict, trace, changes }
    }
}
