//! The compiled rule set the engine runs: names resolved, values compiled, rules sorted by
//! `(order, name)` (Sentinel runs equal orders in random order; we break ties by name).

use chrono::{DateTime, Utc};

use crate::syntax::Span;

use super::actions::Action;
use super::condition::Cond;

/// What a rule reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerOn {
    Incidents,
    Alerts,
}

/// When a rule reacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerWhen {
    Created,
    Updated,
}

impl TriggerOn {
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerOn::Incidents => "incidents",
            TriggerOn::Alerts => "alerts",
        }
    }
}

impl TriggerWhen {
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerWhen::Created => "created",
            TriggerWhen::Updated => "updated",
        }
    }
}

/// An analytics rule a rule is scoped to: a full ARM id or a bare GUID, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeId {
    FullId(String),
    Guid(String),
}

impl ScopeId {
    pub fn parse(text: &str) -> ScopeId {
        let t = text.trim().to_lowercase();
        if t.contains('/') {
            ScopeId::FullId(t.trim_end_matches('/').to_owned())
        } else {
            ScopeId::Guid(t)
        }
    }

    /// True when an incident's related analytics rule id `id` is this one, case-insensitively:
    /// two full ARM ids compare whole; when either side is a bare GUID, the last segments
    /// compare.
    pub fn matches(&self, id: &str) -> bool {
        let id = id.trim().trim_end_matches('/');
        let last = |s: &str| s.rsplit('/').next().unwrap_or(s).to_owned();
        match self {
            ScopeId::FullId(full) if id.contains('/') => id.eq_ignore_ascii_case(full),
            ScopeId::FullId(full) => last(full).eq_ignore_ascii_case(id),
            ScopeId::Guid(guid) => last(id).eq_ignore_ascii_case(guid),
        }
    }
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    pub description: Option<String>,
    pub order: u32,
    pub enabled: bool,
    pub expires: Option<DateTime<Utc>>,
    pub on: TriggerOn,
    pub when: TriggerWhen,
    /// Empty: every analytics rule, including future ones.
    pub scope: Vec<ScopeId>,
    pub conditions: Option<Cond>,
    pub actions: Vec<Action>,
    /// Where each action is written, with its YAML key (`change_status`, ...), parallel to
    /// `actions` (for coverage by line).
    pub action_sites: Vec<(Span, &'static str)>,
    /// `Automation rule - <name>`, as the SecurityIncident table's ModifiedBy reads.
    pub modified_by: String,
    pub file: String,
    pub span: Span,
}

impl Rule {
    /// Expired means `now >= expires` (Sentinel: "disabled after that date"; the boundary
    /// instant counts as expired, SPEC 2).
    pub fn expired_at(&self, now: DateTime<Utc>) -> bool {
        expired(self.expires, now)
    }
}

/// Whether a rule expiring at `expires` is expired at `now` ([`Rule::expired_at`]).
fn expired(expires: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    expires.is_some_and(|e| now >= e)
}

/// What the engine reads of a rule before its conditions, kept together for every rule of a
/// set (in run order) so that the engine passes over the rules a queue does not run, and those
/// whose conditions are known to fail, without loading the rules themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub on: TriggerOn,
    pub when: TriggerWhen,
    pub enabled: bool,
    /// The rule has an analytics-rule scope.
    pub scoped: bool,
    pub expires: Option<DateTime<Utc>>,
    /// The class of its conditions ([`RuleSet::class_masks`]).
    pub class: Option<usize>,
}

impl Head {
    /// Whether the rule is expired at `now` ([`Rule::expired_at`]).
    pub fn expired_at(&self, now: DateTime<Utc>) -> bool {
        expired(self.expires, now)
    }
}

/// Rules in run order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Number of distinct shared leaves ([`crate::rules::condition::Leaf::shared`]).
    shared_leaves: usize,
    /// The properties each shared leaf reads ([`Source::read_mask`]), by its number (every
    /// property for a number no leaf has).
    leaf_masks: Vec<u16>,
    /// By rule (in run order): what the engine checks first, and the class of its conditions,
    /// if it has one. Rules whose conditions have the same shape over the same shared leaves
    /// share a class ([`Cond::class_key`]), so one evaluation answers them all until the
    /// incident changes.
    heads: Vec<Head>,
    /// The properties each class reads, by its number.
    class_masks: Vec<u16>,
}

impl RuleSet {
    /// Sorts by `(order, name)` in byte order, so file order never matters.
    pub fn new(rules: Vec<Rule>) -> RuleSet {
        RuleSet::with_shared_leaves(rules, 0)
    }

    /// [`RuleSet::new`] for rules whose leaves were numbered into `shared_leaves` classes.
    pub fn with_shared_leaves(mut rules: Vec<Rule>, shared_leaves: usize) -> RuleSet {
        rules.sort_by(|a, b| (a.order, a.name.as_bytes()).cmp(&(b.order, b.name.as_bytes())));
        let mut leaf_masks = vec![u16::MAX; shared_leaves];
        for cond in rules.iter().filter_map(|r| r.conditions.as_ref()) {
            cond.each_leaf(&mut |leaf| {
                if let Some(mask) = leaf_masks.get_mut(leaf.shared) {
                    *mask = leaf.property.source.read_mask();
                }
            });
        }
        let mut keys = std::collections::HashMap::new();
        let mut class_masks = Vec::new();
        let mut class_of = |cond: &Cond| {
            let key = cond.class_key(shared_leaves)?;
            let next = keys.len();
            let class = *keys.entry(key).or_insert(next);
            if class == next {
                // What its leaves read: their masks, above (every leaf of a class is shared).
                let mut mask = 0;
                cond.each_leaf(&mut |leaf| mask |= leaf_masks.get(leaf.shared).copied().unwrap_or(u16::MAX));
                class_masks.push(mask);
            }
            Some(class)
        };
        let heads = rules
            .iter()
            .map(|rule| Head {
                on: rule.on,
                when: rule.when,
                enabled: rule.enabled,
                scoped: !rule.scope.is_empty(),
                expires: rule.expires,
                class: rule.conditions.as_ref().and_then(&mut class_of),
            })
            .collect();
        RuleSet { rules, shared_leaves, leaf_masks, heads, class_masks }
    }

    /// What the engine checks first of the rule at `index` (in [`RuleSet::rules`]).
    pub fn head(&self, index: usize) -> Option<&Head> {
        self.heads.get(index)
    }

    /// The properties each condition class reads, by its number, as masks.
    pub fn class_masks(&self) -> &[u16] {
        &self.class_masks
    }

    /// Number of distinct shared leaves, for [`crate::rules::view::View::with_shared`].
    pub fn shared_leaves(&self) -> usize {
        self.shared_leaves
    }

    /// The properties each shared leaf reads, by its number, as masks
    /// ([`crate::rules::property::property_mask`]): a change to other properties leaves its
    /// result as it was.
    pub fn leaf_masks(&self) -> &[u16] {
        &self.leaf_masks
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// True when some rule runs on update events.
    pub fn has_update_rules(&self) -> bool {
        self.rules.iter().any(|r| r.when == TriggerWhen::Updated)
    }
}
