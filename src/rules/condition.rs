//! The compiled condition tree and its evaluation against an incident and an event.
//!
//! GRAMMAR (YAML surface, SPEC 1.1):
//! ```text
//! condition := { all: [condition...] } | { any: [condition...] } | { not: condition }
//!            | [condition...]                                   (implicit all)
//!            | { property: NAME, operator: OP, values: [TEXT...] }
//!            | { changed: IncidentSeverity|IncidentStatus|IncidentOwner, from?: [..], to?: [..] }
//!            | { added: Alerts|Labels|Tactics|Comments }
//!            | { any_item: [condition...] } | { all_items: [condition...] }   (custom details)
//! ```
//! A property leaf holds when some value of the property (one for a scalar field, each element
//! for arrays, each entity of the kind for entity properties) satisfies the positive operator
//! for some value; negative operators are the negation. No value at all: positive false,
//! negative true. `any_item` / `all_items` iterate custom detail keys, and inside a key its
//! values; `all_items` over no items is false.

use std::borrow::Cow;

use crate::model::Update;
use crate::syntax::Span;

use super::operator::{Matcher, Operator};
use super::property::{Property, Source};
use super::view::View;

/// A compiled condition. `id`s number the nodes in pre-order, for traces.
#[derive(Debug, Clone)]
pub enum Cond {
    All { id: usize, items: Vec<Cond> },
    Any { id: usize, items: Vec<Cond> },
    Not { id: usize, inner: Box<Cond> },
    Leaf(Leaf),
    Changed { id: usize, field: ChangedField, from: Vec<String>, to: Vec<String>, span: Span },
    Added { id: usize, what: AddedKind, span: Span },
    Items { id: usize, all: bool, items: Vec<Cond> },
}

/// A property leaf.
#[derive(Debug, Clone)]
pub struct Leaf {
    pub id: usize,
    /// The same number for every leaf of the rule set with the same property, operator and
    /// case-folded values: its result is computed once per incident state and shared.
    pub shared: usize,
    pub property: &'static Property,
    pub operator: Operator,
    pub values: Vec<String>,
    pub matcher: Matcher,
    pub span: Span,
}

/// Fields a `changed` leaf can watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedField {
    Severity,
    Status,
    Owner,
}

impl ChangedField {
    pub const NAMES: &'static [&'static str] = &["IncidentSeverity", "IncidentStatus", "IncidentOwner"];

    pub fn parse(name: &str) -> Option<ChangedField> {
        match name.trim().to_ascii_lowercase().as_str() {
            "incidentseverity" => Some(ChangedField::Severity),
            "incidentstatus" => Some(ChangedField::Status),
            "incidentowner" => Some(ChangedField::Owner),
            _ => None,
        }
    }
}

/// Arrays an `added` leaf can watch (Sentinel's PropertyArrayChanged).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddedKind {
    Alerts,
    Labels,
    Tactics,
    Comments,
}

impl AddedKind {
    pub const NAMES: &'static [&'static str] = &["Alerts", "Labels", "Tactics", "Comments"];

    pub fn parse(name: &str) -> Option<AddedKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "alerts" => Some(AddedKind::Alerts),
            "labels" => Some(AddedKind::Labels),
            "tactics" => Some(AddedKind::Tactics),
            "comments" => Some(AddedKind::Comments),
            _ => None,
        }
    }
}

/// What a condition is evaluated against.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// Memoised reads of the incident.
    view: &'a View<'a>,
    /// The update event's changes; `None` for a creation event.
    pub update: Option<&'a Update>,
    item: Item<'a>,
}

#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    None,
    Key(&'a str, &'a [Cow<'a, str>]),
    Value(&'a str, &'a str),
}

impl<'a> Ctx<'a> {
    pub fn new(view: &'a View<'a>, update: Option<&'a Update>) -> Self {
        Ctx { view, update, item: Item::None }
    }

    /// Calls `f` with each item an `any_item` / `all_items` group evaluates its conditions on,
    /// in the order [`Cond::eval`] visits them, until `f` returns false: each custom detail
    /// (labelled by its key), or inside an item each of its values. For `explain`; evaluation
    /// does not use it.
    pub fn each_item(&self, mut f: impl FnMut(&str, &Ctx<'_>) -> bool) {
        match self.item {
            Item::None => {
                for (k, vs) in self.view.custom_details() {
                    if !f(k, &Ctx { item: Item::Key(k, vs), ..*self }) {
                        return;
                    }
                }
            }
            Item::Key(k, vs) => {
                for v in vs {
                    if !f(v, &Ctx { item: Item::Value(k, v), ..*self }) {
                        return;
                    }
                }
            }
            Item::Value(_, v) => {
                f(v, self);
            }
        }
    }
}

/// Receives each node's result during evaluation (for `explain`). `seen` is the value that
/// decided a leaf: the first candidate that matched, if any.
pub trait Tracer {
    fn node(&mut self, id: usize, result: bool, seen: Option<&str>);

    /// True when the tracer needs each leaf's matching value, so shared results cannot be used.
    fn wants_values(&self) -> bool {
        true
    }
}

/// A tracer that records nothing.
pub struct NoTrace;

impl Tracer for NoTrace {
    fn node(&mut self, _: usize, _: bool, _: Option<&str>) {}

    fn wants_values(&self) -> bool {
        false
    }
}

/// Records every node's result by id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Trace {
    pub nodes: Vec<(usize, bool, Option<String>)>,
}

impl Tracer for Trace {
    fn node(&mut self, id: usize, result: bool, seen: Option<&str>) {
        self.nodes.push((id, result, seen.map(str::to_owned)));
    }
}

/// The first value of `property` that satisfies `pred`.
fn find<'a>(property: &Property, ctx: &Ctx<'a>, mut pred: impl FnMut(&str) -> bool) -> Option<Cow<'a, str>> {
    let view = ctx.view;
    match property.source {
        Source::Field(key) => view.field(key).filter(|v| pred(v)),
        Source::Array(path) => view.find_in_array(path, pred),
        Source::Labels => view.labels().iter().map(|v| v.as_ref()).find(|v| pred(v)).map(Cow::Borrowed),
        Source::Entity { kind, field } => view
            .entities()
            .iter()
            .filter(|e| e.kind.eq_ignore_ascii_case(kind))
            .filter_map(|e| e.get(field))
            .find(|v| pred(v)),
        Source::UpdatedBySource => ctx.update.map(|u| u.source.as_str()).filter(|v| pred(v)).map(Cow::Borrowed),
        Source::CustomDetailKey => match ctx.item {
            Item::None => view.custom_details().iter().map(|(k, _)| k.as_ref()).find(|v| pred(v)).map(Cow::Borrowed),
            Item::Key(k, _) | Item::Value(k, _) => Some(k).filter(|v| pred(v)).map(Cow::Borrowed),
        },
        Source::CustomDetailValue => match ctx.item {
            Item::None => view
                .custom_details()
                .iter()
                .flat_map(|(_, vs)| vs.iter().map(|v| v.as_ref()))
                .find(|v| pred(v))
                .map(Cow::Borrowed),
            Item::Key(_, vs) => vs.iter().map(|v| v.as_ref()).find(|v| pred(v)).map(Cow::Borrowed),
            Item::Value(_, v) => Some(v).filter(|v| pred(v)).map(Cow::Borrowed),
        },
    }
}

impl Leaf {
    /// Evaluates the leaf; returns the result and the value that matched the positive form.
    pub fn eval<'a>(&self, ctx: &Ctx<'a>) -> (bool, Option<Cow<'a, str>>) {
        let hit = find(self.property, ctx, |c| self.matcher.matches(c));
        (hit.is_some() != self.operator.negated, hit)
    }

    /// Every value of the property the leaf compares, in the order evaluation visits them
    /// (for `explain`: what a leaf saw when no value matched). Evaluation does not use it.
    pub fn candidates(&self, ctx: &Ctx<'_>) -> Vec<String> {
        let mut seen = Vec::new();
        find(self.property, ctx, |c| {
            seen.push(c.to_owned());
            false
        });
        seen
    }
}

fn value_in(list: &[String], value: Option<&str>) -> bool {
    list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x == &v.to_lowercase()))
}

impl Cond {
    pub fn id(&self) -> usize {
        match self {
            Cond::All { id, .. }
            | Cond::Any { id, .. }
            | Cond::Not { id, .. }
            | Cond::Changed { id, .. }
            | Cond::Added { id, .. }
            | Cond::Items { id, .. } => *id,
            Cond::Leaf(leaf) => leaf.id,
        }
    }

    /// Evaluates the condition, reporting every node evaluated to `tracer`. Groups stop at
    /// the first deciding child, as Sentinel's And/Or do.
    pub fn eval(&self, ctx: &Ctx<'_>, tracer: &mut impl Tracer) -> bool {
        let (result, seen): (bool, Option<Cow<'_, str>>) = match self {
            Cond::All { items, .. } => (items.iter().all(|c| c.eval(ctx, tracer)), None),
            Cond::Any { items, .. } => (items.iter().any(|c| c.eval(ctx, tracer)), None),
            Cond::Not { inner, .. } => (!inner.eval(ctx, tracer), None),
            Cond::Leaf(leaf) if !tracer.wants_values() && matches!(ctx.item, Item::None) => {
                // Outside custom-detail items a leaf depends only on the incident state and the
                // event, which are fixed for the life of the view.
                let result = ctx.view.shared_result(leaf.shared, || leaf.eval(ctx).0);
                (result, None)
            }
            Cond::Leaf(leaf) => leaf.eval(ctx),
            Cond::Changed { field, from, to, .. } => (Self::changed(ctx, *field, from, to), None),
            Cond::Added { what, .. } => (Self::added(ctx, *what), None),
            Cond::Items { all, items, .. } => (Self::items(ctx, *all, items, tracer), None),
        };
        tracer.node(self.id(), result, seen.as_deref());
        result
    }

    fn changed(ctx: &Ctx<'_>, field: ChangedField, from: &[String], to: &[String]) -> bool {
        let Some(update) = ctx.update else { return false };
        match field {
            ChangedField::Severity | ChangedField::Status => {
                let change = if field == ChangedField::Severity { &update.severity } else { &update.status };
                change.as_ref().is_some_and(|(old, new)| value_in(from, old.as_deref()) && value_in(to, new.as_deref()))
            }
            ChangedField::Owner => update.owner.as_ref().is_some_and(|(old, new)| {
                (from.is_empty() || from.iter().any(|f| old.matches(f)))
                    && (to.is_empty() || to.iter().any(|t| new.matches(t)))
            }),
        }
    }

    fn added(ctx: &Ctx<'_>, what: AddedKind) -> bool {
        ctx.update.is_some_and(|u| match what {
            AddedKind::Alerts => u.alerts_added,
            AddedKind::Comments => u.comments_added,
            AddedKind::Labels => !u.labels_added.is_empty(),
            AddedKind::Tactics => !u.tactics_added.is_empty(),
        })
    }

    fn items<'a>(ctx: &Ctx<'a>, all: bool, items: &[Cond], tracer: &mut impl Tracer) -> bool {
        let holds = |item: Item<'a>, tracer: &mut _| {
            let inner = Ctx { item, ..*ctx };
            items.iter().all(|c| c.eval(&inner, tracer))
        };
        match ctx.item {
            Item::None => {
                let details = ctx.view.custom_details();
                let mut each = details.iter().map(|(k, vs)| holds(Item::Key(k, vs), tracer));
                // `all_items` over no items does not hold: a rule about "every custom detail"
                // should not fire on an incident that has none.
                if all {
                    !details.is_empty() && each.all(|b| b)
                } else {
                    each.any(|b| b)
                }
            }
            Item::Key(k, vs) => {
                let mut each = vs.iter().map(|v| holds(Item::Value(k, v), tracer));
                if all {
                    !vs.is_empty() && each.all(|b| b)
                } else {
                    each.any(|b| b)
                }
            }
            Item::Value(..) => holds(ctx.item, tracer),
        }
    }

    /// Calls `f` on every property leaf, in pre-order.
    pub fn each_leaf(&self, f: &mut impl FnMut(&Leaf)) {
        match self {
            Cond::All { items, .. } | Cond::Any { items, .. } | Cond::Items { items, .. } => {
                items.iter().for_each(|c| c.each_leaf(f));
            }
            Cond::Not { inner, .. } => inner.each_leaf(f),
            Cond::Leaf(leaf) => f(leaf),
            Cond::Changed { .. } | Cond::Added { .. } => {}
        }
    }

    /// The condition's shape in terms of shared leaves (`A(L3,N(L5))`): two conditions with
    /// the same key hold or fail together on the same incident state and event. `None` when it
    /// has a node whose result depends on more than its shared leaves (changes, added items,
    /// custom-detail items), or a leaf not numbered below `shared` (a rule set built without
    /// shared leaves).
    pub fn class_key(&self, shared: usize) -> Option<String> {
        let group = |tag: &str, items: &[Cond]| {
            let inner: Option<Vec<String>> = items.iter().map(|c| c.class_key(shared)).collect();
            Some(format!("{tag}({})", inner?.join(",")))
        };
        match self {
            Cond::All { items, .. } => group("A", items),
            Cond::Any { items, .. } => group("O", items),
            Cond::Not { inner, .. } => Some(format!("N({})", inner.class_key(shared)?)),
            Cond::Leaf(leaf) => (leaf.shared < shared).then(|| format!("L{}", leaf.shared)),
            Cond::Changed { .. } | Cond::Added { .. } | Cond::Items { .. } => None,
        }
    }

    /// Number of leaves (Sentinel's per-rule condition limit counts these).
    pub fn leaf_count(&self) -> usize {
        match self {
            Cond::All { items, .. } | Cond::Any { items, .. } | Cond::Items { items, .. } => {
                items.iter().map(Cond::leaf_count).sum()
            }
            Cond::Not { inner, .. } => inner.leaf_count(),
            Cond::Leaf(_) | Cond::Changed { .. } | Cond::Added { .. } => 1,
        }
    }
}
