//! `impact --ties permute`: on each side, every order of each tie group runs on the incident
//! ([`crate::engine::ties`]), and the groups whose order decides the outcome are kept with the
//! incident ([`OrderDependence`], on [`super::Compared`]), whichever side they are on: the base's
//! ties (the state before the change) and the head's (the state the change leaves). Over a run
//! they are counted by side and tie group ([`TieTotals`]) and worded as a reviewer reads them:
//! "with --ties permute, head: incident 4105's severity depends on the order of `A` and `B`".
//!
//! Stage: comparison (pure: counts and words, nothing read or printed).

use std::collections::{BTreeMap, BTreeSet};

use crate::engine::fields::FIELDS;
use crate::engine::ties::Dependence;

use super::words::{code, count, number};
use super::Compared;

/// Which rule set a tie belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SideName {
    /// Only the base's: the change removes the dependence.
    Base,
    /// Both, the same tie deciding the same way: it was there before the change.
    Both,
    /// Only the head's: the change brings it.
    Head,
}

impl SideName {
    /// As sentences name it.
    pub fn as_str(self) -> &'static str {
        match self {
            SideName::Base => "base",
            SideName::Both => "base and head",
            SideName::Head => "head",
        }
    }

    /// As JSON names it.
    pub fn key(self) -> &'static str {
        match self {
            SideName::Both => "both",
            other => other.as_str(),
        }
    }

    /// The head's outcome depends on the order.
    pub fn head(self) -> bool {
        self != SideName::Base
    }

    /// The base's outcome depends on the order.
    pub fn base(self) -> bool {
        self != SideName::Head
    }
}

/// The ties of both sides on one incident: the base's, then the head's, a tie the two share
/// (the same rules, deciding the same way) given once, as [`SideName::Both`].
pub fn of_both(base: &[Dependence], head: &[Dependence]) -> Vec<OrderDependence> {
    let tie = |side, d: &Dependence| OrderDependence { side, dependence: d.clone() };
    let mut out: Vec<OrderDependence> =
        base.iter().map(|d| tie(if head.contains(d) { SideName::Both } else { SideName::Base }, d)).collect();
    out.extend(head.iter().filter(|d| !base.contains(d)).map(|d| tie(SideName::Head, d)));
    out
}

/// A tie group of one side whose order decides one incident's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDependence {
    pub side: SideName,
    pub dependence: Dependence,
}

impl OrderDependence {
    /// The fields some other order leaves otherwise, in [`FIELDS`] order.
    pub fn fields(&self) -> Vec<&'static str> {
        let changed: BTreeSet<&str> =
            self.dependence.variants.iter().flat_map(|v| v.changes.iter().map(|c| c.field)).collect();
        FIELDS.iter().copied().filter(|f| changed.contains(f)).collect()
    }

    /// `with --ties permute, head: incident 4105's severity depends on the order of `A` and
    /// `B` (order 5, incidents created)`; `id` is how the report names the incident.
    pub fn sentence(&self, id: Option<&str>) -> String {
        let whose = id.map_or_else(|| "the incident's".to_owned(), |id| format!("incident {id}'s"));
        let fields = self.fields();
        let verb = if fields.len() == 1 && !plural(fields.first().copied().unwrap_or_default()) {
            "depends"
        } else {
            "depend"
        };
        format!(
            "with --ties permute, {}: {whose} {} {verb} on the order of {} ({})",
            self.side.as_str(),
            field_list(&fields),
            rule_list(&self.dependence.rules),
            group(&self.dependence)
        )
    }

    /// Per other order, what it leaves otherwise: ``run as `B`, `A`: severity Medium -> High``.
    pub fn orders(&self) -> Vec<String> {
        self.dependence
            .variants
            .iter()
            .map(|v| {
                let changes: Vec<String> =
                    v.changes.iter().map(|c| format!("{} {} -> {}", c.field, c.before, c.after)).collect();
                let order: Vec<String> = v.order.iter().map(|r| code(r)).collect();
                format!("run as {}: {}", order.join(", "), changes.join("; "))
            })
            .collect()
    }
}

/// `order 5, incidents created`.
fn group(d: &Dependence) -> String {
    format!("order {}, incidents {}", d.order, d.when.as_str())
}

/// A field as a sentence names it.
fn field_words(field: &str) -> &str {
    match field {
        "classificationReason" => "classification reason",
        "classificationComment" => "classification comment",
        "playbooks" => "playbook requests",
        other => other,
    }
}

fn plural(field: &str) -> bool {
    matches!(field, "tags" | "tasks" | "playbooks")
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// `status and severity`.
fn field_list(fields: &[&str]) -> String {
    and_list(&fields.iter().map(|f| field_words(f).to_owned()).collect::<Vec<_>>())
}

/// `` `A` and `B` ``.
fn rule_list(rules: &[String]) -> String {
    and_list(&rules.iter().map(|r| code(r)).collect::<Vec<_>>())
}

/// A tie group of one side, as the totals count it.
type TieKey = (SideName, &'static str, u32, Vec<String>);

/// The order dependences of a run so far (`--ties permute`).
#[derive(Debug, Default, Clone)]
pub struct TieTotals {
    /// Incidents whose outcome depends on the order of tied rules on either side, on the base's
    /// and on the head's.
    pub incidents: usize,
    pub base: usize,
    pub head: usize,
    /// Of those, the incidents that do not change (listed with the changed ones).
    pub unchanged: usize,
    /// Incidents that do not change but whose head outcome depends on the order: they may
    /// change in Sentinel whatever the report says.
    pub head_unchanged: usize,
    groups: BTreeMap<TieKey, (usize, BTreeSet<usize>)>,
}

/// One tie group whose order decides some incidents' outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieLine {
    pub side: SideName,
    pub trigger: &'static str,
    pub order: u32,
    /// In name order.
    pub rules: Vec<String>,
    /// The fields the order decides on some incident, in [`FIELDS`] order.
    pub fields: Vec<&'static str>,
    pub incidents: usize,
    /// What the order decides: `the severity of 1 incident`.
    pub decides: String,
    /// `head: the order of `A` and `B` (order 5, incidents created) decides the severity of
    /// 1 incident`.
    pub text: String,
}

/// The order dependences of a run, worded: the head's groups first, largest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieSummary {
    pub incidents: usize,
    pub base: usize,
    pub head: usize,
    pub unchanged: usize,
    pub head_unchanged: usize,
    pub lines: Vec<TieLine>,
}

impl TieTotals {
    /// Counts one compared incident.
    pub fn add(&mut self, c: &Compared) {
        if c.ties.is_empty() {
            return;
        }
        self.incidents += 1;
        let (base, head) = (c.ties.iter().any(|t| t.side.base()), c.ties.iter().any(|t| t.side.head()));
        self.base += usize::from(base);
        self.head += usize::from(head);
        self.unchanged += usize::from(!c.changed());
        self.head_unchanged += usize::from(head && !c.changed());
        for t in &c.ties {
            let d = &t.dependence;
            let key = (t.side, d.when.as_str(), d.order, d.rules.clone());
            let entry = self.groups.entry(key).or_default();
            entry.0 += 1;
            entry.1.extend(t.fields().iter().filter_map(|f| FIELDS.iter().position(|x| x == f)));
        }
    }

    /// The totals ordered and worded.
    pub fn summary(&self) -> TieSummary {
        let mut lines: Vec<TieLine> = self
            .groups
            .iter()
            .map(|((side, trigger, order, rules), (n, fields))| {
                let fields: Vec<&'static str> = fields.iter().filter_map(|&i| FIELDS.get(i).copied()).collect();
                let decides = format!("the {} of {}", field_list(&fields), count(*n, "incident"));
                let text = format!(
                    "{}: the order of {} (order {order}, incidents {trigger}) decides {decides}",
                    side.as_str(),
                    rule_list(rules),
                );
                let rules = rules.clone();
                TieLine { side: *side, trigger, order: *order, rules, fields, incidents: *n, decides, text }
            })
            .collect();
        // Stable: equal counts keep the key order.
        lines.sort_by_key(|l| (std::cmp::Reverse(l.side), std::cmp::Reverse(l.incidents)));
        TieSummary {
            incidents: self.incidents,
            base: self.base,
            head: self.head,
            unchanged: self.unchanged,
            head_unchanged: self.head_unchanged,
            lines,
        }
    }
}

impl TieSummary {
    /// What the headline adds: `; the outcome of 1 incident depends on the order of tied head
    /// rules`; nothing when no outcome does.
    pub fn headline(&self) -> String {
        let which = match (self.base, self.head) {
            (0, 0) => return String::new(),
            (0, _) => "tied head rules".to_owned(),
            (_, 0) => "tied base rules".to_owned(),
            (b, h) => format!("tied rules: {} with the head, {} with the base", number(h), number(b)),
        };
        format!("; the outcome of {} depends on the order of {which}", count(self.incidents, "incident"))
    }

    /// The line `--fail-on-change` and `--max-changed` add to their error: the unchanged
    /// incidents whose head outcome depends on the order count as changes.
    pub fn at_stake(&self) -> String {
        match self.head_unchanged {
            0 => String::new(),
            n => format!(" and the outcome of {} more depends on the order of tied head rules", number(n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fields::{FieldChange, FieldValue};
    use crate::engine::ties::Variant;
    use crate::rules::TriggerWhen;

    fn dependence(fields: &[&'static str]) -> OrderDependence {
        let text = |v: &str| FieldValue::Text(Some(v.to_owned()));
        let changes = fields.iter().map(|&field| FieldChange { field, before: text("Medium"), after: text("High") });
        OrderDependence {
            side: SideName::Head,
            dependence: Dependence {
                when: TriggerWhen::Created,
                order: 5,
                rules: vec!["A".into(), "B".into()],
                variants: vec![Variant { order: vec!["B".into(), "A".into()], changes: changes.collect() }],
            },
        }
    }

    #[test]
    fn an_order_dependence_reads_as_a_sentence() {
        assert_eq!(
            dependence(&["severity"]).sentence(Some("4105")),
            "with --ties permute, head: incident 4105's severity depends on the order of `A` and `B` (order 5, incidents created)"
        );
        assert_eq!(
            dependence(&["severity", "status", "tags"]).sentence(None),
            "with --ties permute, head: the incident's status, severity and tags depend on the order of `A` and `B` (order 5, incidents created)"
        );
        assert_eq!(dependence(&["tags"]).fields(), ["tags"]);
        assert_eq!(dependence(&["severity"]).orders(), ["run as `B`, `A`: severity Medium -> High"]);
    }
}
