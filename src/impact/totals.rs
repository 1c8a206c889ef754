//! The totals of a comparison, counted incident by incident in input order ([`Totals::add`]),
//! so memory holds counts, not incidents: by field (how many incidents end otherwise, gain or
//! lose an item) and by rule (the incidents it now fires on or no longer does, and the final
//! values it now leaves or no longer does). [`Totals::summary`] orders them, largest first, and
//! words them ([`super::words`]). Every map is sorted, so the totals do not depend on the
//! number of workers.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use super::diff::{Difference, Field};
use super::ties::{TieSummary, TieTotals};
use super::{words, Compared};
use crate::rules::{Rule, RuleSet};
use crate::syntax::Span;

/// Whether a rule now does something it did not, or no longer does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    Now,
    NoLonger,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Now => "now",
            Direction::NoLonger => "noLonger",
        }
    }
}

/// A kind of change counted by field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldChange {
    /// A one-value field ends with another value.
    Value { before: Option<String>, after: Option<String> },
    /// A list gains (`true`) or loses an item.
    Item { value: String, gained: bool },
    /// A list holds the same items in another order.
    Order,
    /// Another key of the record differs.
    Other,
}

/// A field, or another key, with a kind of change.
type FieldKey = (Result<Field, String>, FieldChange);

/// What one rule's totals hold.
#[derive(Debug, Default, Clone)]
struct RuleTally {
    fires_more: usize,
    fires_fewer: usize,
    effects: BTreeMap<(Direction, Field, String), usize>,
}

/// The totals of a comparison so far.
#[derive(Debug, Default, Clone)]
pub struct Totals {
    /// Incidents compared.
    pub incidents: usize,
    /// Incidents whose outcome differs.
    pub changed: usize,
    /// Incidents on which other rules fire with the same outcome.
    pub fired_only: usize,
    fields: BTreeMap<FieldKey, usize>,
    rules: BTreeMap<String, RuleTally>,
    /// With `--ties permute`: the incidents whose outcome depends on the order of tied rules.
    pub ties: Option<TieTotals>,
}

/// One line of the totals by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLine {
    /// The field's name, or the other key.
    pub field: String,
    pub change: FieldChange,
    pub incidents: usize,
    pub text: String,
}

/// What became of a rule between the two rule sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleStatus {
    /// Only in the head.
    Added { order: u32 },
    /// Only in the base.
    Removed { order: u32 },
    /// In both, with another order.
    Reordered { before: u32, after: u32 },
    /// In both, with the same order (its conditions or actions may differ).
    Kept { order: u32 },
}

/// One rule's share of the outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effect {
    pub direction: Direction,
    pub field: Field,
    pub value: String,
    pub incidents: usize,
    pub text: String,
}

/// One line of the totals by rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLine {
    pub rule: String,
    pub status: RuleStatus,
    /// Incidents it now fires on and did not; incidents it no longer fires on.
    pub fires_more: usize,
    pub fires_fewer: usize,
    pub effects: Vec<Effect>,
    /// The sentences: what it fires on, then its effects.
    pub text: Vec<String>,
    /// Where it is in the head's files (none for a removed rule).
    pub head: Option<(String, Span)>,
}

impl RuleLine {
    /// The most incidents one of its sentences is about: what orders the lines.
    pub fn weight(&self) -> usize {
        self.effects.iter().map(|e| e.incidents).chain([self.fires_more, self.fires_fewer]).max().unwrap_or(0)
    }
}

/// The totals ordered and worded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub incidents: usize,
    pub changed: usize,
    pub fired_only: usize,
    /// Largest first.
    pub fields: Vec<FieldLine>,
    /// Largest first; then the rules added, removed or moved that changed nothing here.
    pub rules: Vec<RuleLine>,
    /// With `--ties permute`: the order dependences.
    pub ties: Option<TieSummary>,
}

impl Summary {
    /// `5 of 17 incidents change`, and the incidents where only the rules that fire differ.
    pub fn headline(&self) -> String {
        words::headline(self.incidents, self.changed, self.fired_only)
    }

    /// The incidents `--fail-on-change` and `--max-changed` count: those that change and, with
    /// `--ties permute`, those whose outcome with the head rules depends on the order of tied
    /// rules (in Sentinel they may change whatever this comparison shows).
    pub fn at_stake(&self) -> usize {
        self.changed + self.ties.as_ref().map_or(0, |t| t.head_unchanged)
    }
}

impl Totals {
    /// Counts one compared incident.
    pub fn add(&mut self, c: &Compared) {
        self.incidents += 1;
        if let Some(ties) = self.ties.as_mut() {
            ties.add(c);
        }
        if c.changed() {
            self.changed += 1;
        } else if c.fired_differs() {
            self.fired_only += 1;
        }
        let before: BTreeSet<&String> = c.fired_before.iter().collect();
        let after: BTreeSet<&String> = c.fired_after.iter().collect();
        for rule in after.difference(&before) {
            self.rule(rule).fires_more += 1;
        }
        for rule in before.difference(&after) {
            self.rule(rule).fires_fewer += 1;
        }
        // An incident counts once per line, however often an item repeats in it.
        let mut fields = BTreeSet::new();
        let mut effects = BTreeSet::new();
        for d in &c.differences {
            match d {
                Difference::Value { field, before, after, by_before, by_after } => {
                    let change = FieldChange::Value { before: before.clone(), after: after.clone() };
                    fields.insert((Ok(*field), change));
                    if let (Some(rule), Some(value)) = (by_after, after) {
                        effects.insert((rule.clone(), (Direction::Now, *field, value.clone())));
                    }
                    if let (Some(rule), Some(value)) = (by_before, before) {
                        effects.insert((rule.clone(), (Direction::NoLonger, *field, value.clone())));
                    }
                }
                Difference::List { field, added, removed, .. } => {
                    if added.is_empty() && removed.is_empty() {
                        fields.insert((Ok(*field), FieldChange::Order));
                    }
                    for (items, gained, direction) in
                        [(added, true, Direction::Now), (removed, false, Direction::NoLonger)]
                    {
                        for item in items {
                            fields.insert((Ok(*field), FieldChange::Item { value: item.value.clone(), gained }));
                            if let Some(rule) = &item.rule {
                                effects.insert((rule.clone(), (direction, *field, item.value.clone())));
                            }
                        }
                    }
                }
                Difference::Other { key, .. } => {
                    fields.insert((Err(key.clone()), FieldChange::Other));
                }
            }
        }
        for key in fields {
            *self.fields.entry(key).or_default() += 1;
        }
        for (rule, key) in effects {
            *self.rule(&rule).effects.entry(key).or_default() += 1;
        }
    }

    fn rule(&mut self, name: &str) -> &mut RuleTally {
        self.rules.entry(name.to_owned()).or_default()
    }

    /// The totals ordered, largest first, and worded; `base` and `head` tell which rules were
    /// added, removed or moved.
    pub fn summary(&self, base: &RuleSet, head: &RuleSet) -> Summary {
        let mut fields: Vec<FieldLine> = self.fields.iter().map(|(key, n)| field_line(key, *n)).collect();
        // Stable: equal counts keep the field order.
        fields.sort_by_key(|l| Reverse(l.incidents));
        let mut names: BTreeSet<&str> = self.rules.keys().map(String::as_str).collect();
        let moved = |r: &Rule| find(base, &r.name).is_none_or(|b| b.order != r.order);
        names.extend(head.rules().iter().filter(|r| moved(r)).map(|r| r.name.as_str()));
        names.extend(base.rules().iter().filter(|r| find(head, &r.name).is_none()).map(|r| r.name.as_str()));
        let empty = RuleTally::default();
        let mut rules: Vec<RuleLine> = names
            .into_iter()
            .filter_map(|name| {
                let (b, h) = (find(base, name), find(head, name));
                let status = match (b, h) {
                    (Some(b), Some(h)) if b.order != h.order => {
                        RuleStatus::Reordered { before: b.order, after: h.order }
                    }
                    (Some(_), Some(h)) => RuleStatus::Kept { order: h.order },
                    (None, Some(h)) => RuleStatus::Added { order: h.order },
                    (Some(b), None) => RuleStatus::Removed { order: b.order },
                    (None, None) => return None,
                };
                let head_at = h.map(|h| (h.file.clone(), h.span));
                Some(rule_line(name, status, self.rules.get(name).unwrap_or(&empty), head_at))
            })
            .collect();
        rules.sort_by_key(|l| Reverse(l.weight()));
        Summary {
            incidents: self.incidents,
            changed: self.changed,
            fired_only: self.fired_only,
            fields,
            rules,
            ties: self.ties.as_ref().map(TieTotals::summary),
        }
    }
}

/// The rule of `set` named `name` (the first, if the name is given twice).
fn find<'s>(set: &'s RuleSet, name: &str) -> Option<&'s Rule> {
    set.rules().iter().find(|r| r.name == name)
}

fn field_line((field, change): &FieldKey, n: usize) -> FieldLine {
    let text = match (field, change) {
        (Ok(f), FieldChange::Value { before, after }) => {
            words::value_change(*f, before.as_deref(), after.as_deref(), n)
        }
        (Ok(f), FieldChange::Item { value, gained }) => words::item_change(*f, value, *gained, n),
        (Ok(f), FieldChange::Order) => words::order_change(*f, n),
        (Ok(f), FieldChange::Other) => words::other_change(f.name(), n),
        (Err(key), _) => words::other_change(key, n),
    };
    let name = match field {
        Ok(f) => f.name().to_owned(),
        Err(key) => key.clone(),
    };
    FieldLine { field: name, change: change.clone(), incidents: n, text }
}

fn rule_line(name: &str, status: RuleStatus, tally: &RuleTally, head: Option<(String, Span)>) -> RuleLine {
    let mut text = Vec::new();
    if tally.fires_more > 0 {
        text.push(words::fired(Direction::Now, tally.fires_more));
    }
    if tally.fires_fewer > 0 {
        text.push(words::fired(Direction::NoLonger, tally.fires_fewer));
    }
    let mut effects: Vec<Effect> = tally
        .effects
        .iter()
        .map(|((direction, field, value), n)| Effect {
            direction: *direction,
            field: *field,
            value: value.clone(),
            incidents: *n,
            text: words::effect(*direction, *field, value, *n),
        })
        .collect();
    effects.sort_by_key(|e| Reverse(e.incidents));
    text.extend(effects.iter().map(|e| e.text.clone()));
    if text.is_empty() {
        text.push(match status {
            RuleStatus::Removed { .. } => "fired on none of these incidents".to_owned(),
            RuleStatus::Added { .. } => "fires on none of these incidents".to_owned(),
            _ => "changes no outcome here".to_owned(),
        });
    }
    RuleLine {
        rule: name.to_owned(),
        status,
        fires_more: tally.fires_more,
        fires_fewer: tally.fires_fewer,
        effects,
        text,
        head,
    }
}
