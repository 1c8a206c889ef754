//! What `explain` reports for one incident: every rule of the rule set, in run order, with its
//! outcome and why, the condition tree as the rule saw the incident, and the changes it made.
//!
//! The engine's verdicts say what ran and decided what; the incident each rule saw is rebuilt by
//! replaying the rules that fired one at a time through the same engine, so a leaf lists the
//! values it really compared (after earlier rules changed the incident). Rules the engine did
//! not consider (the other trigger's queue, alert rules) are added with the trigger as reason.
//!
//! The JSON form (`--format json`) is stable; keys appear in this order:
//! ```text
//! { "now": RFC 3339, "event": "created" | "updated",
//!   "incidents": [ { "file", "incident" (ARM name), "incidentNumber", "title",
//!       "update": what the update-trigger rules ran on, in words; null when they did not run,
//!       "rules": [ { "rule", "order", "on": "incidents" | "alerts", "when": "created" | "updated",
//!           "outcome": "fired" | "disabled" | "expired" | "out-of-scope" | "conditions-not-met"
//!                      | "trigger" (the rule's trigger is not this event: it did not run),
//!           "reason": why it did not fire, in words; null when it fired,
//!           "conditions": node; null when the rule has none or they were not evaluated,
//!           "changes": [ { "action", "property", "from", "to" } ] } ] } ] }
//! node: { "id" (pre-order), "kind": "all" | "any" | "not" | "property" | "changed" | "added"
//!         | "any_item" | "all_items", "text": the node in one line,
//!         "result": true | false | null (not evaluated: a group was decided before it),
//!         property leaves: "property", "operator", "values", and once evaluated "seen" (every
//!           value the property had) and "matched" (the value that satisfied the operator's
//!           positive form; absent when none did),
//!         changed / added leaves, once evaluated: "detail" (what the update changed),
//!         groups: "children",
//!         any_item / all_items, once evaluated: "items": [ { "label", "result", "children" } ]
//!           in evaluation order ("children" then only when there was no item) }
//! ```

use serde::Serialize;

use crate::engine::{self, Clock, Event, Options, PlaybookHost, Verdict};
use crate::model::time::stamp;
use crate::model::{Incident, Update, UpdatedBySource};
use crate::rules::condition::Ctx;
use crate::rules::view::View;
use crate::rules::{Rule, RuleSet, ScopeId, TriggerOn, TriggerWhen};

use super::tree::{self, NodeExplanation};
use crate::cli::dry_run::{run_statuses, ChangeReport};

/// The head of the report: its clock and event. The report is written incident by incident
/// after it (`incidents` above), so memory holds one window of incidents, not the file.
#[derive(Debug)]
pub struct Explanation {
    pub now: String,
    /// The event explained: `created` or `updated`.
    pub event: &'static str,
}

/// One incident.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentExplanation {
    pub file: String,
    pub incident: Option<String>,
    pub incident_number: Option<i64>,
    pub title: Option<String>,
    /// What the update-trigger rules ran on; `None` when they did not run.
    pub update: Option<String>,
    pub rules: Vec<RuleExplanation>,
}

/// Why a rule did or did not change the incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Fired,
    Disabled,
    Expired,
    OutOfScope,
    ConditionsNotMet,
    /// The rule's trigger did not match the event, so it did not run.
    Trigger,
}

/// One rule.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleExplanation {
    pub rule: String,
    pub order: u32,
    /// `incidents` or `alerts`.
    pub on: &'static str,
    /// `created` or `updated`.
    pub when: &'static str,
    pub outcome: Outcome,
    /// Why it did not fire, in words; `None` when it fired.
    pub reason: Option<String>,
    /// The condition tree, when the conditions were evaluated.
    pub conditions: Option<NodeExplanation>,
    pub changes: Vec<ChangeReport>,
}

fn short_id(id: &str) -> &str {
    let id = id.trim().trim_end_matches('/');
    id.rsplit('/').next().unwrap_or(id)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        one.to_owned()
    } else {
        many.to_owned()
    }
}

fn scope_reason(rule: &Rule, incident: &Incident) -> String {
    let ids: Vec<&str> = incident.string_array(&["relatedAnalyticRuleIds"]).map(short_id).collect();
    let scope: Vec<&str> = rule
        .scope
        .iter()
        .map(|s| match s {
            ScopeId::FullId(t) | ScopeId::Guid(t) => short_id(t),
        })
        .collect();
    let from = if ids.is_empty() {
        "the incident comes from no analytics rule".to_owned()
    } else {
        format!("the incident comes from {} {}", plural(ids.len(), "analytics rule", "analytics rules"), ids.join(", "))
    };
    format!("out of scope: {from}; the rule is scoped to {}", scope.join(", "))
}

fn trigger_reason(rule: &Rule) -> String {
    match rule.on {
        TriggerOn::Alerts => "trigger: runs on alerts".to_owned(),
        TriggerOn::Incidents => format!("trigger: runs on incidents {}", rule.when.as_str()),
    }
}

fn entry(rule: &Rule, outcome: Outcome, reason: Option<String>) -> RuleExplanation {
    RuleExplanation {
        rule: rule.name.clone(),
        order: rule.order,
        on: rule.on.as_str(),
        when: rule.when.as_str(),
        outcome,
        reason,
        conditions: None,
        changes: Vec::new(),
    }
}

/// The section a rule is listed in: incidents created, incidents updated, alerts.
pub fn section(on: &str, when: &str) -> u8 {
    match (on, when) {
        ("incidents", "created") => 0,
        ("incidents", _) => 1,
        _ => 2,
    }
}

/// Sections in run order: the queues that ran first.
fn run_order(event: &Event, rule: &RuleExplanation) -> u8 {
    match (event, section(rule.on, rule.when)) {
        (Event::Updated(_), 0) => 1,
        (Event::Updated(_), 1) => 0,
        (_, s) => s,
    }
}

/// Explains one incident: runs the engine with verdicts and traces, then describes each rule.
pub fn explain_incident(
    rules: &RuleSet,
    file: &str,
    incident: Incident,
    event: &Event,
    clock: Clock,
    host: Option<&dyn PlaybookHost>,
) -> IncidentExplanation {
    let (incident_name, incident_number, title) =
        (incident.name().map(str::to_owned), incident.number(), incident.title().map(str::to_owned));
    let mut outcome = engine::process_with(rules, incident.clone(), event, clock, Options { explain: true }, host);
    let runs = std::mem::take(&mut outcome.runs);
    let mut update = match event {
        Event::Created => None,
        Event::Updated(u) => Some(u.as_ref().clone()),
    };
    let mut state = incident.clone();
    let mut changes = outcome.changes.into_iter();
    let mut explained = Vec::new();
    let mut updated_ran = false;
    let mut run_status = run_statuses(&runs);
    for v in &outcome.verdicts {
        let Some(rule) = rules.rules().iter().find(|r| r.name == v.rule) else { continue };
        if v.queue == TriggerWhen::Updated {
            updated_ran = true;
            if update.is_none() {
                update = Some(Update::between(&incident, &state, UpdatedBySource::AutomationRule));
            }
        }
        let seen_update = if v.queue == TriggerWhen::Updated { update.as_ref() } else { None };
        let (outcome, reason) = match v.verdict {
            Verdict::Fired => (Outcome::Fired, None),
            Verdict::Disabled => (Outcome::Disabled, Some("disabled".to_owned())),
            Verdict::Expired(at) => (Outcome::Expired, Some(format!("expired on {}", stamp(at)))),
            Verdict::OutOfScope => (Outcome::OutOfScope, Some(scope_reason(rule, &state))),
            Verdict::ConditionsFalse => (Outcome::ConditionsNotMet, Some("conditions not met".to_owned())),
        };
        let mut e = entry(rule, outcome, reason);
        if let (Some(cond), Some(trace)) = (&rule.conditions, &v.trace) {
            let view = View::new(&state);
            e.conditions = Some(tree::explain(cond, trace, &Ctx::new(&view, seen_update)));
        }
        e.changes = changes.by_ref().take(v.changes).map(|c| ChangeReport::of(c, &mut run_status)).collect();
        if v.verdict == Verdict::Fired {
            let one = RuleSet::new(vec![rule.clone()]);
            let event = match (v.queue, &update) {
                (TriggerWhen::Updated, Some(u)) => Event::Updated(Box::new(u.clone())),
                _ => Event::Created,
            };
            // The rule again on the state before it, playbooks included, for the next rules'
            // condition values.
            state = engine::process_with(&one, state, &event, clock, Options::default(), host).incident;
        }
        explained.push(e);
    }
    for rule in rules.rules() {
        if !outcome.verdicts.iter().any(|v| v.rule == rule.name) {
            explained.push(entry(rule, Outcome::Trigger, Some(trigger_reason(rule))));
        }
    }
    explained.sort_by_key(|e| run_order(event, e));
    IncidentExplanation {
        file: file.to_owned(),
        incident: incident_name,
        incident_number,
        title,
        update: update.filter(|_| updated_ran).map(|u| tree::describe_update(&u)),
        rules: explained,
    }
}
