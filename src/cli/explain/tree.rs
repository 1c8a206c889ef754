//! The condition tree of one rule as `explain` shows it: the engine's flat trace (one entry per
//! node evaluated, children before their parent) replayed against the compiled [`Cond`] tree,
//! so every node gets its result, or none when a group stopped before it (short-circuit), and
//! every leaf the values it saw. `any_item` / `all_items` groups list each custom detail item
//! they evaluated their conditions on.

use serde::Serialize;

use crate::model::{Severity, Status, Update};
use crate::rules::condition::{AddedKind, ChangedField, Cond, Ctx, Trace};

/// One node of the explained tree (JSON: see docs/explain.md).
#[derive(Debug, Clone, Serialize)]
pub struct NodeExplanation {
    pub id: usize,
    /// The YAML key of the node: all, any, not, property, changed, added, any_item, all_items.
    pub kind: &'static str,
    /// The node as one line: `HostName StartsWith [PT-]`, `all`, ...
    pub text: String,
    /// `None`: not evaluated (a group before it was already decided).
    pub result: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub property: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Property leaves, evaluated: the value that satisfied the positive form of the operator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<String>,
    /// Property leaves, evaluated: every value the property had.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen: Option<Vec<String>>,
    /// `changed` / `added` leaves, evaluated: what the update event changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<NodeExplanation>,
    /// `any_item` / `all_items`, evaluated: each item in evaluation order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ItemExplanation>>,
    /// Negated operator (for wording only).
    #[serde(skip)]
    pub negated: bool,
    /// Entity kind of an entity property (for wording only).
    #[serde(skip)]
    pub entity: Option<&'static str>,
}

/// One custom detail item (or value) an items group evaluated its conditions on.
#[derive(Debug, Clone, Serialize)]
pub struct ItemExplanation {
    pub label: String,
    pub result: bool,
    pub children: Vec<NodeExplanation>,
}

/// Builds the explained tree of `cond` from the engine's `trace`, with `ctx` the incident (and
/// update) as the rule saw them.
pub fn explain(cond: &Cond, trace: &Trace, ctx: &Ctx<'_>) -> NodeExplanation {
    Replay { nodes: &trace.nodes, pos: 0 }.node(cond, ctx)
}

/// The tree of `cond` with no node evaluated.
pub fn unevaluated(cond: &Cond) -> NodeExplanation {
    let mut node = shell(cond);
    node.children = match cond {
        Cond::All { items, .. } | Cond::Any { items, .. } | Cond::Items { items, .. } => {
            items.iter().map(unevaluated).collect()
        }
        Cond::Not { inner, .. } => vec![unevaluated(inner)],
        Cond::Leaf(_) | Cond::Changed { .. } | Cond::Added { .. } => Vec::new(),
    };
    node
}

fn canonical(field: ChangedField, value: &str) -> String {
    let known = match field {
        ChangedField::Severity => Severity::parse(value).map(Severity::as_str),
        ChangedField::Status => Status::parse(value).map(Status::as_str),
        ChangedField::Owner => None,
    };
    known.map_or_else(|| value.to_owned(), str::to_owned)
}

fn field_name(field: ChangedField) -> &'static str {
    match field {
        ChangedField::Severity => "IncidentSeverity",
        ChangedField::Status => "IncidentStatus",
        ChangedField::Owner => "IncidentOwner",
    }
}

fn short_field(field: ChangedField) -> &'static str {
    match field {
        ChangedField::Severity => "severity",
        ChangedField::Status => "status",
        ChangedField::Owner => "owner",
    }
}

fn added_name(what: AddedKind) -> &'static str {
    match what {
        AddedKind::Alerts => "Alerts",
        AddedKind::Labels => "Labels",
        AddedKind::Tactics => "Tactics",
        AddedKind::Comments => "Comments",
    }
}

/// A node with its description and no result.
fn shell(cond: &Cond) -> NodeExplanation {
    let mut node = NodeExplanation {
        id: cond.id(),
        kind: "all",
        text: String::new(),
        result: None,
        property: None,
        operator: None,
        values: None,
        matched: None,
        seen: None,
        detail: None,
        children: Vec::new(),
        items: None,
        negated: false,
        entity: None,
    };
    match cond {
        Cond::All { .. } => node.text = "all".into(),
        Cond::Any { .. } => (node.kind, node.text) = ("any", "any".into()),
        Cond::Not { .. } => (node.kind, node.text) = ("not", "not".into()),
        Cond::Items { all, .. } => {
            node.kind = if *all { "all_items" } else { "any_item" };
            node.text = format!("{} (custom details)", node.kind);
        }
        Cond::Leaf(leaf) => {
            let (property, operator) = (leaf.property.name, leaf.operator.name());
            node.kind = "property";
            node.text = format!("{property} {operator} [{}]", leaf.values.join(", "));
            (node.property, node.operator, node.values) = (Some(property), Some(operator), Some(leaf.values.clone()));
            node.negated = leaf.operator.negated;
            node.entity = match leaf.property.source {
                crate::rules::property::Source::Entity { kind, .. } => Some(kind),
                _ => None,
            };
        }
        Cond::Changed { field, from, to, .. } => {
            node.kind = "changed";
            node.text = format!("changed {}", field_name(*field));
            for (word, list) in [("from", from), ("to", to)] {
                if !list.is_empty() {
                    let shown: Vec<String> = list.iter().map(|v| canonical(*field, v)).collect();
                    node.text.push_str(&format!(" {word} [{}]", shown.join(", ")));
                }
            }
        }
        Cond::Added { what, .. } => (node.kind, node.text) = ("added", format!("added {}", added_name(*what))),
    }
    node
}

fn pair(before: Option<&str>, after: Option<&str>) -> String {
    format!("{} -> {}", before.unwrap_or("-"), after.unwrap_or("-"))
}

/// What an update event changed, in one line: `severity Medium -> High; labels added: x;
/// updated by AutomationRule`.
pub fn describe_update(u: &Update) -> String {
    let mut parts = Vec::new();
    if let Some((b, a)) = &u.severity {
        parts.push(format!("severity {}", pair(b.as_deref(), a.as_deref())));
    }
    if let Some((b, a)) = &u.status {
        parts.push(format!("status {}", pair(b.as_deref(), a.as_deref())));
    }
    if let Some((b, a)) = &u.owner {
        parts.push(format!("owner {}", pair(b.display(), a.display())));
    }
    for (what, list) in [("labels", &u.labels_added), ("tactics", &u.tactics_added)] {
        if !list.is_empty() {
            parts.push(format!("{what} added: {}", list.join(", ")));
        }
    }
    for (what, added) in [("alerts", u.alerts_added), ("comments", u.comments_added)] {
        if added {
            parts.push(format!("{what} added"));
        }
    }
    if parts.is_empty() {
        parts.push("nothing changed".to_owned());
    }
    parts.push(format!("updated by {}", u.source.as_str()));
    parts.join("; ")
}

/// What the update event changed, for a `changed` or `added` leaf.
fn update_detail(cond: &Cond, update: Option<&Update>) -> Option<String> {
    let Some(u) = update else { return Some("not an update event".into()) };
    let text = match cond {
        Cond::Changed { field: ChangedField::Severity, .. } => {
            u.severity.as_ref().map(|(b, a)| format!("severity {}", pair(b.as_deref(), a.as_deref())))
        }
        Cond::Changed { field: ChangedField::Status, .. } => {
            u.status.as_ref().map(|(b, a)| format!("status {}", pair(b.as_deref(), a.as_deref())))
        }
        Cond::Changed { field: ChangedField::Owner, .. } => {
            u.owner.as_ref().map(|(b, a)| format!("owner {}", pair(b.display(), a.display())))
        }
        Cond::Added { what: AddedKind::Labels, .. } => {
            (!u.labels_added.is_empty()).then(|| format!("labels added: {}", u.labels_added.join(", ")))
        }
        Cond::Added { what: AddedKind::Tactics, .. } => {
            (!u.tactics_added.is_empty()).then(|| format!("tactics added: {}", u.tactics_added.join(", ")))
        }
        Cond::Added { what: AddedKind::Alerts, .. } => u.alerts_added.then(|| "alerts added".to_owned()),
        Cond::Added { what: AddedKind::Comments, .. } => u.comments_added.then(|| "comments added".to_owned()),
        _ => return None,
    };
    Some(text.unwrap_or_else(|| match cond {
        Cond::Changed { field, .. } => format!("{} did not change", short_field(*field)),
        _ => "nothing added".to_owned(),
    }))
}

/// Walks the tree in evaluation order, consuming the trace (children before parents).
struct Replay<'t> {
    nodes: &'t [(usize, bool, Option<String>)],
    pos: usize,
}

impl Replay<'_> {
    fn peek(&self) -> Option<usize> {
        self.nodes.get(self.pos).map(|n| n.0)
    }

    /// The entry of node `id` if it is next.
    fn take(&mut self, id: usize) -> Option<(bool, Option<String>)> {
        let (node, result, seen) = self.nodes.get(self.pos)?;
        if *node != id {
            return None;
        }
        self.pos += 1;
        Some((*result, seen.clone()))
    }

    /// A node the evaluation reached.
    fn node(&mut self, cond: &Cond, ctx: &Ctx<'_>) -> NodeExplanation {
        let mut node = shell(cond);
        match cond {
            Cond::All { items, .. } => node.children = self.children(items, ctx, false),
            Cond::Any { items, .. } => node.children = self.children(items, ctx, true),
            Cond::Not { inner, .. } => node.children = vec![self.node(inner, ctx)],
            Cond::Items { id, all, items } => {
                let mut evaluated = Vec::new();
                ctx.each_item(|label, item_ctx| {
                    if self.peek().is_none_or(|next| next == *id) {
                        return false;
                    }
                    let start = self.pos;
                    let children = self.children(items, item_ctx, false);
                    let result = children.iter().all(|c| c.result == Some(true));
                    evaluated.push(ItemExplanation { label: label.to_owned(), result, children });
                    self.pos > start && result == *all
                });
                node.items = Some(evaluated);
            }
            Cond::Leaf(_) | Cond::Changed { .. } | Cond::Added { .. } => {}
        }
        let Some((result, matched)) = self.take(cond.id()) else {
            return unevaluated(cond);
        };
        node.result = Some(result);
        match cond {
            Cond::Leaf(leaf) => {
                node.matched = matched;
                node.seen = Some(leaf.candidates(ctx));
            }
            Cond::Changed { .. } | Cond::Added { .. } => node.detail = update_detail(cond, ctx.update),
            Cond::Items { items, .. } if node.items.as_ref().is_some_and(Vec::is_empty) => {
                node.children = items.iter().map(unevaluated).collect();
            }
            _ => {}
        }
        node
    }

    /// Children of a group, stopping after the first one whose result is `stop_on`.
    fn children(&mut self, items: &[Cond], ctx: &Ctx<'_>, stop_on: bool) -> Vec<NodeExplanation> {
        let mut done = false;
        let mut out = Vec::with_capacity(items.len());
        for c in items {
            if done {
                out.push(unevaluated(c));
                continue;
            }
            let node = self.node(c, ctx);
            done = node.result.is_none_or(|r| r == stop_on);
            out.push(node);
        }
        out
    }
}
