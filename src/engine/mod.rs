//! The engine: a compiled rule set + an event + the simulated clock -> the incident as Sentinel
//! would leave it and one [`Change`] per real change. Pure: no I/O, no printing, no wall clock.
//!
//! Semantics (SPEC 2; Sentinel docs "Automate threat response with automation rules"):
//! rules run one after another in ascending order, ties by name; each rule sees the incident as
//! the previous rules left it; actions run in the order written and only when every condition
//! holds. Each trigger type has its own queue: for a created incident every `created` rule runs
//! first, then the `updated` rules run once on the changes those rules made, with
//! IncidentUpdatedBySource = AutomationRule. Changes made by `updated` rules do not trigger
//! `updated` rules again (loop guard; Sentinel documents no loop).

pub mod fields;
pub mod playbooks;
pub mod replay;
pub mod ties;
mod verdict;

pub use fields::{FieldChange, FinalFields};
pub use playbooks::{PlaybookCall, PlaybookHost, PlaybookRun, RunRecord};
pub use verdict::{RuleVerdict, Verdict};

use std::borrow::Cow;
use std::cell::Cell;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::{
    Alert, Change, ChangeSource, Incident, IncidentEdit, IncidentRead, RawIncident, Update, UpdatedBySource,
};
use crate::rules::actions::{Action, ActionCtx, Effect};
use crate::rules::condition::{Ctx, NoTrace, Trace};
use crate::rules::property::property_mask;
use crate::rules::rule::Head;
use crate::rules::view::{remembered, View};
use crate::rules::{Rule, RuleSet, TriggerOn, TriggerWhen};

/// What happened to the incident.
#[derive(Debug, Clone)]
pub enum Event {
    /// The incident was just created.
    Created,
    /// The incident was updated; these are the changes.
    Updated(Box<Update>),
}

/// The simulated clock. It starts at `--now`; nothing here reads the wall clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    now: DateTime<Utc>,
}

impl Clock {
    pub fn new(now: DateTime<Utc>) -> Clock {
        Clock { now }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// RFC 3339, UTC, `Z`, as Sentinel writes times.
    pub fn stamp(&self) -> String {
        crate::model::time::stamp(self.now)
    }
}

/// How much to record besides the changes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Record why each rule ran or not, with condition traces (for `explain` and dry runs).
    pub explain: bool,
}

/// A rule that ran and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    pub rule: String,
    pub order: u32,
    pub queue: TriggerWhen,
    /// Number of changes it made (0 when every action was a no-op).
    pub changes: usize,
}

/// An incident the engine runs rules on, in either form: the parsed tree ([`Incident`]) or a
/// record read in place ([`RawIncident`], the batch's splice path). Conditions read it through
/// [`IncidentRead`], actions change it through [`IncidentEdit`].
pub trait Subject: IncidentRead + IncidentEdit + Clone {
    /// The incident as a tree, which playbooks run on (and replace); `None` for a record read in
    /// place, which the engine is never given together with a playbook host
    /// ([`process_target`] takes none).
    fn tree_mut(&mut self) -> Option<&mut Incident>;
}

impl Subject for Incident {
    fn tree_mut(&mut self) -> Option<&mut Incident> {
        Some(self)
    }
}

impl Subject for RawIncident<'_> {
    fn tree_mut(&mut self) -> Option<&mut Incident> {
        None
    }
}

/// The result of processing one event.
#[derive(Debug, Clone)]
pub struct Outcome<I = Incident> {
    pub incident: I,
    pub changes: Vec<Change>,
    pub fired: Vec<Fired>,
    /// Filled when [`Options::explain`] is set: every rule of each queue that ran, in order.
    pub verdicts: Vec<RuleVerdict>,
    /// The playbook runs, in the order they ran (only with a [`PlaybookHost`]).
    pub runs: Vec<RunRecord>,
}

/// Processes one incident event. `run_playbook` actions are recorded as requested runs.
pub fn process(rules: &RuleSet, incident: Incident, event: &Event, clock: Clock, options: Options) -> Outcome {
    process_with(rules, incident, event, clock, options, None)
}

/// [`process`], running the playbooks that `run_playbook` actions name through `host`: the
/// playbook's changes land on the incident before the rule's next action, which waits on the
/// simulated clock as Sentinel paces it ([`playbooks::resume_at`]).
pub fn process_with(
    rules: &RuleSet,
    incident: Incident,
    event: &Event,
    clock: Clock,
    options: Options,
    host: Option<&dyn PlaybookHost>,
) -> Outcome {
    run_event(rules, None, incident, event, clock, options, host)
}

/// [`process`] on an incident in either form ([`Subject`]), without playbooks: what the batch's
/// splice path runs on a record read in place. `run_playbook` actions are recorded as requested
/// runs.
pub fn process_target<I: Subject>(rules: &RuleSet, incident: I, event: &Event, clock: Clock) -> Outcome<I> {
    run_event(rules, None, incident, event, clock, Options::default(), None)
}

/// Runs the queues `event` starts, in `order` when given (see [`process_ordered`]). A `host`
/// runs playbooks on an incident held as a tree only ([`Subject::tree_mut`]).
fn run_event<I: Subject>(
    rules: &RuleSet,
    order: Option<&[usize]>,
    incident: I,
    event: &Event,
    clock: Clock,
    options: Options,
    host: Option<&dyn PlaybookHost>,
) -> Outcome<I> {
    let mut run = Run::new(rules, incident, clock, options, host);
    run.order = order;
    run.event(event);
    run.finish()
}

/// [`process_with`], each queue running its rules in `order` (a permutation of the indices of
/// `rules.rules()`) instead of the rule set's `(order, name)` order: how `--ties permute` tries
/// another order of rules that share an order number ([`ties`]).
/// The incident may be in either form; a `host` runs playbooks on a tree only.
pub fn process_ordered<I: Subject>(
    rules: &RuleSet,
    order: &[usize],
    incident: I,
    event: &Event,
    clock: Clock,
    host: Option<&dyn PlaybookHost>,
) -> Outcome<I> {
    run_event(rules, Some(order), incident, event, clock, Options::default(), host)
}

/// [`process_with`] with the verdicts of every rule ([`Options::explain`]), on an incident in
/// either form: the name order `--ties permute` compares the other orders with.
pub(crate) fn process_explained<I: Subject>(
    rules: &RuleSet,
    incident: I,
    event: &Event,
    clock: Clock,
    host: Option<&dyn PlaybookHost>,
) -> Outcome<I> {
    run_event(rules, None, incident, event, clock, Options { explain: true }, host)
}

/// Processes a created alert: the `on: alerts` rules run once, in order, against the alert's
/// incident-shaped view ([`crate::model::Alert::view`]). Alert rules only run playbooks, so the
/// view is not changed; the outcome lists the playbook runs requested.
pub fn process_alert(rules: &RuleSet, view: Incident, clock: Clock, options: Options) -> Outcome {
    process_alert_with(rules, view, clock, options, None)
}

/// [`process_alert`], running the playbooks the rules name through `host` on the alert
/// (`host` pairs with the alert the view was made from, and the incident that holds the alert
/// when it is known: the playbooks then have it in hand).
pub fn process_alert_with(
    rules: &RuleSet,
    view: Incident,
    clock: Clock,
    options: Options,
    host: Option<(&dyn PlaybookHost, &Alert, Option<&Incident>)>,
) -> Outcome {
    let mut run = Run::new(rules, view, clock, options, host.map(|(h, _, _)| h));
    run.alert = host.map(|(_, a, _)| a);
    run.alert_incident = host.and_then(|(_, _, i)| i);
    run.queue(TriggerOn::Alerts, TriggerWhen::Created, None);
    run.finish()
}

struct Run<'a, I> {
    rules: &'a RuleSet,
    /// The simulated clock: `--now`, moved on by playbook runs.
    clock: Clock,
    options: Options,
    host: Option<&'a dyn PlaybookHost>,
    /// The alert an alert rule's playbooks run on.
    alert: Option<&'a Alert>,
    /// The incident that holds that alert, when known.
    alert_incident: Option<&'a Incident>,
    /// The run order of the rules (indices into the rule set) when not the set's own.
    order: Option<&'a [usize]>,
    stamp: String,
    incident: I,
    changes: Vec<Change>,
    fired: Vec<Fired>,
    verdicts: Vec<RuleVerdict>,
    runs: Vec<RunRecord>,
}

impl<'a, I: Subject> Run<'a, I> {
    fn new(
        rules: &'a RuleSet,
        incident: I,
        clock: Clock,
        options: Options,
        host: Option<&'a dyn PlaybookHost>,
    ) -> Run<'a, I> {
        Run {
            rules,
            clock,
            options,
            host,
            alert: None,
            alert_incident: None,
            order: None,
            stamp: clock.stamp(),
            incident,
            changes: Vec::new(),
            fired: Vec::new(),
            verdicts: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Runs the queues an incident event starts (SPEC 2): for a creation, the `created` rules,
    /// then the `updated` rules once on the changes they made; for an update, the `updated`
    /// rules.
    fn event(&mut self, event: &Event) {
        match event {
            Event::Created => {
                let before = self.rules.has_update_rules().then(|| self.incident.clone());
                let changed = self.queue(TriggerOn::Incidents, TriggerWhen::Created, None);
                if let (Some(before), true) = (before, changed) {
                    // Changes made only by playbooks come from a playbook; otherwise from rules.
                    let by_rules =
                        self.changes.iter().any(|c| c.property.is_some() && c.source == ChangeSource::AutomationRule);
                    let source = if by_rules { UpdatedBySource::AutomationRule } else { UpdatedBySource::Playbook };
                    let update = Update::between(&before, &self.incident, source);
                    self.queue(TriggerOn::Incidents, TriggerWhen::Updated, Some(&update));
                }
            }
            Event::Updated(update) => {
                self.queue(TriggerOn::Incidents, TriggerWhen::Updated, Some(update));
            }
        }
    }

    /// The head of the rule at run position `position`, with the rule's index in the rule
    /// set: the set's own order, or [`Run::order`]'s.
    fn head_at(&self, position: usize) -> Option<(usize, &'a Head)> {
        let index = match self.order {
            None => position,
            Some(order) => *order.get(position)?,
        };
        Some((index, self.rules.head(index)?))
    }

    fn finish(self) -> Outcome<I> {
        Outcome {
            incident: self.incident,
            changes: self.changes,
            fired: self.fired,
            verdicts: self.verdicts,
            runs: self.runs,
        }
    }

    /// Moves the simulated clock to `to` (never back).
    fn advance(&mut self, to: DateTime<Utc>) {
        if to > self.clock.now {
            self.clock = Clock::new(to);
            self.stamp = self.clock.stamp();
        }
    }
    /// Runs one trigger queue; returns true when a rule changed the incident. Conditions read
    /// the incident through one memoised [`View`] until a rule fires and changes it; the
    /// results of shared leaves are kept past a change that cannot affect them (one to
    /// properties they do not read).
    fn queue(&mut self, on: TriggerOn, when: TriggerWhen, update: Option<&Update>) -> bool {
        let mut changed = false;
        let rules = self.rules.rules();
        let explain = self.options.explain;
        // Shared leaf results hold while the incident does not change, and so do the results of
        // condition classes (rules with the same conditions).
        let memo: Vec<Cell<u8>> = (0..self.rules.shared_leaves()).map(|_| Cell::new(0)).collect();
        let classes: Vec<Cell<u8>> = self.rules.class_masks().iter().map(|_| Cell::new(0)).collect();
        let mut next = 0;
        while next < rules.len() {
            let mut fired = None;
            {
                let view = View::with_shared(&self.incident, &memo);
                for i in next..rules.len() {
                    let Some((index, head)) = self.head_at(i) else { continue };
                    if head.on != on || head.when != when {
                        continue;
                    }
                    let class = head.class.and_then(|c| classes.get(c));
                    let runs = head.enabled && !head.scoped && !head.expired_at(self.clock.now());
                    if !explain && runs && class.is_some_and(|c| c.get() == 1) {
                        // Its conditions are known to fail: nothing to record.
                        continue;
                    }
                    let Some(rule) = rules.get(index) else { continue };
                    let (verdict, trace) = decide(rule, &view, update, self.clock.now(), explain, class);
                    if verdict == Verdict::Fired {
                        fired = Some((i, rule, trace));
                        break;
                    }
                    if explain {
                        self.verdicts.push(RuleVerdict::new(rule, when, verdict, trace, 0));
                    }
                }
            }
            let Some((i, rule, trace)) = fired else { break };
            let made = self.fire(rule, when);
            let keys = self.changes.iter().rev().take(made).filter_map(|c| c.property.as_deref());
            let stale = keys.fold(0, |mask, key| mask | property_mask(key));
            if stale != 0 {
                changed = true;
                // Rule actions change only the properties their changes name; a playbook run
                // may have replaced the whole incident.
                let playbook = self.host.is_some() && rule.actions.iter().any(|a| matches!(a, Action::RunPlaybook(_)));
                let masks = self.rules.leaf_masks().iter().chain(std::iter::repeat(&u16::MAX));
                forget(&memo, masks, stale, playbook);
                forget(&classes, self.rules.class_masks(), stale, playbook);
            }
            if explain {
                self.verdicts.push(RuleVerdict::new(rule, when, Verdict::Fired, trace, made));
            }
            next = i + 1;
        }
        changed
    }

    /// Runs a rule's actions in order; returns the number of changes recorded (the
    /// playbooks' included). Effects are recorded at the clock of the action that made them:
    /// the stamp moves only after a playbook run.
    fn fire(&mut self, rule: &Rule, queue: TriggerWhen) -> usize {
        let first = self.changes.len();
        // Actions never change the incident's name or number, so they are read when the first
        // change is recorded (most rules that fire change nothing); before a playbook runs, as
        // the incident stood when the rule fired.
        let mut id = None;
        let mut effects: Vec<Effect> = Vec::new();
        for action in &rule.actions {
            let ctx = ActionCtx { now: &self.stamp, modified_by: &rule.modified_by };
            action.apply(&mut self.incident, &ctx, &mut effects);
            if let (Action::RunPlaybook(playbook), Some(host)) = (action, self.host) {
                self.record(rule, &mut effects, &mut id);
                self.run_playbook(host, rule, &playbook.name);
            }
        }
        self.record(rule, &mut effects, &mut id);
        let made = self.changes.len() - first;
        self.fired.push(Fired { rule: rule.name.clone(), order: rule.order, queue, changes: made });
        made
    }

    /// Records `effects` as changes at the current clock (and the incident's
    /// lastModifiedTimeUtc when one changed a property). `id`: the incident's name and number,
    /// read here the first time.
    fn record(&mut self, rule: &Rule, effects: &mut Vec<Effect>, id: &mut Option<(Option<String>, Option<i64>)>) {
        if effects.is_empty() && self.host.is_none() {
            return;
        }
        let (name, number) =
            &*id.get_or_insert_with(|| (self.incident.name().map(Cow::into_owned), self.incident.number()));
        if effects.iter().any(|e| e.property.is_some()) {
            self.incident.touch(&self.stamp);
        }
        for e in effects.drain(..) {
            let playbook = (e.action == "run_playbook").then(|| e.to.as_str().unwrap_or_default().to_owned());
            self.changes.push(Change {
                time: self.stamp.clone(),
                incident: name.clone(),
                incident_number: *number,
                source: ChangeSource::AutomationRule,
                rule: Some(rule.name.clone()),
                rule_order: Some(rule.order),
                playbook,
                step: None,
                action: e.action.to_owned(),
                property: e.property.map(str::to_owned),
                from: e.from,
                to: e.to,
                modified_by: rule.modified_by.clone(),
            });
        }
    }

    /// Runs a playbook on the incident, takes its changes, and moves the clock to when the
    /// rule's next action starts.
    fn run_playbook(&mut self, host: &dyn PlaybookHost, rule: &Rule, name: &str) {
        let start = self.clock.now();
        let Some(incident) = self.incident.tree_mut() else { return };
        let call = PlaybookCall {
            playbook: name,
            rule: &rule.name,
            rule_order: rule.order,
            incident: &*incident,
            alert: self.alert,
            alert_incident: self.alert_incident,
            start,
        };
        let run = host.run(call);
        // An alert rule's incident is the alert's view: a playbook's changes to the alert's
        // incident are in its change records, not in the view.
        if let (Some(changed), None) = (run.incident, self.alert) {
            *incident = changed;
        }
        self.changes.extend(run.changes.into_iter().map(|mut c| {
            c.rule = Some(rule.name.clone());
            c.rule_order = Some(rule.order);
            c
        }));
        self.advance(playbooks::resume_at(start, run.record.end));
        self.runs.push(run.record);
    }
}

/// Clears the remembered results (shared leaves' or condition classes') whose property masks
/// meet `stale`, or all of them.
fn forget<'m>(cells: &[Cell<u8>], masks: impl IntoIterator<Item = &'m u16>, stale: u16, all: bool) {
    for (cell, mask) in cells.iter().zip(masks) {
        if all || mask & stale != 0 {
            cell.set(0);
        }
    }
}

/// Whether a rule runs on the incident as `view` shows it, and the condition trace when asked.
fn decide<'v>(
    rule: &Rule,
    view: &'v View<'v>,
    update: Option<&'v Update>,
    now: DateTime<Utc>,
    explain: bool,
    class: Option<&Cell<u8>>,
) -> (Verdict, Option<Trace>) {
    if !rule.enabled {
        return (Verdict::Disabled, None);
    }
    if let (true, Some(expires)) = (rule.expired_at(now), rule.expires) {
        return (Verdict::Expired(expires), None);
    }
    if !rule.scope.is_empty()
        && view.find_in_array(&["relatedAnalyticRuleIds"], |id| rule.scope.iter().any(|s| s.matches(id))).is_none()
    {
        return (Verdict::OutOfScope, None);
    }
    let Some(cond) = &rule.conditions else { return (Verdict::Fired, None) };
    let ctx = Ctx::new(view, update);
    if explain {
        let mut trace = Trace::default();
        let holds = cond.eval(&ctx, &mut trace);
        (if holds { Verdict::Fired } else { Verdict::ConditionsFalse }, Some(trace))
    } else if remembered(class, || cond.eval(&ctx, &mut NoTrace)) {
        (Verdict::Fired, None)
    } else {
        (Verdict::ConditionsFalse, None)
    }
}

/// The `to` value of a change as text, for tables.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
