//! `--ties permute`: rules of one trigger that share an `order` run in random order in Sentinel
//! ("If two rules have the same order number, the order in which they run is chosen at random",
//! SPEC 2); this tool runs them by name. Here every order of each tie group is run on an
//! incident, and the groups whose orders leave different [`FinalFields`] are reported: the
//! incident's outcome depends on the order Sentinel happens to pick.
//!
//! Bounds and choices:
//! - a group holds the enabled rules of one trigger (`on`, `when`) with one order number;
//!   disabled rules never run, so where they stand does not matter;
//! - a group of more than [`MAX_GROUP`] rules is refused ([`check`]): 8 rules have 40,320
//!   orders, each a full run of the incident;
//! - groups are permuted one at a time, every other group keeping the name order: a dependence
//!   that shows only when two groups are both reordered is not searched;
//! - a group whose queue did not run in the name order (the `updated` queue of a creation that
//!   changed nothing) cannot change anything and is skipped.
//!
//! Stage: evaluation (pure: rules + incident + event + clock, like [`super::process`]).

use crate::rules::{RuleSet, TriggerOn, TriggerWhen};

use super::fields::{FieldChange, FinalFields};
use super::{process_explained, process_ordered, Clock, Event, PlaybookHost, Subject};

/// The most rules a tie group may have for `--ties permute`.
pub const MAX_GROUP: usize = 8;

/// Rules of one trigger sharing one order number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TieGroup {
    pub on: TriggerOn,
    pub when: TriggerWhen,
    pub order: u32,
    /// Indices into the rule set, in run (name) order.
    pub rules: Vec<usize>,
}

impl TieGroup {
    /// The rules' names, in name order.
    pub fn names(&self, set: &RuleSet) -> Vec<String> {
        self.rules.iter().filter_map(|&i| set.rules().get(i)).map(|r| r.name.clone()).collect()
    }
}

/// Every tie group of `set`: two or more enabled rules of one trigger with one order.
pub fn groups(set: &RuleSet) -> Vec<TieGroup> {
    let mut groups: Vec<TieGroup> = Vec::new();
    for (i, rule) in set.rules().iter().enumerate().filter(|(_, r)| r.enabled) {
        match groups.iter_mut().find(|g| (g.on, g.when, g.order) == (rule.on, rule.when, rule.order)) {
            Some(group) => group.rules.push(i),
            None => groups.push(TieGroup { on: rule.on, when: rule.when, order: rule.order, rules: vec![i] }),
        }
    }
    groups.retain(|g| g.rules.len() > 1);
    groups
}

/// Refuses a group larger than [`MAX_GROUP`], naming it.
pub fn check(set: &RuleSet, groups: &[TieGroup]) -> Result<(), String> {
    match groups.iter().find(|g| g.rules.len() > MAX_GROUP) {
        None => Ok(()),
        Some(g) => {
            let names: Vec<String> = g.names(set).iter().map(|n| format!("`{n}`")).collect();
            Err(format!(
                "--ties permute runs every order of a tie of at most {MAX_GROUP} rules; {} rules ({}) share order {} on incidents {}: give some of them their own order",
                g.rules.len(),
                names.join(", "),
                g.order,
                g.when.as_str()
            ))
        }
    }
}

/// One order of a tie group that leaves another outcome than the name order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The group's rules in the order they ran.
    pub order: Vec<String>,
    /// The fields that differ from the name order's outcome.
    pub changes: Vec<FieldChange>,
}

/// A tie group whose order decides the incident's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependence {
    pub when: TriggerWhen,
    pub order: u32,
    /// The group's rules in name order (the order this tool runs them in).
    pub rules: Vec<String>,
    /// One order per other outcome (the first order met that leads to it), in the order the
    /// permutations were tried (lexicographic over the name order).
    pub variants: Vec<Variant>,
}

/// Runs every order of each of `groups` on `incident` and returns the groups whose order
/// changes the outcome (see the module doc). The incident may be in either form; a `host` runs
/// playbooks on a tree only.
pub fn permute<I: Subject>(
    set: &RuleSet,
    groups: &[TieGroup],
    incident: &I,
    event: &Event,
    clock: Clock,
    host: Option<&dyn PlaybookHost>,
) -> Vec<Dependence> {
    let identity: Vec<usize> = (0..set.len()).collect();
    let base = process_explained(set, incident.clone(), event, clock, host);
    let base_fields = FinalFields::of(&base);
    let mut found = Vec::new();
    for group in groups {
        let considered = group.rules.iter().filter_map(|&i| set.rules().get(i)).any(|r| {
            base.verdicts.iter().any(|v| v.rule == r.name && v.queue == group.when)
                || base.fired.iter().any(|f| f.rule == r.name)
        });
        if !considered {
            continue;
        }
        let mut seen: Vec<FinalFields> = vec![base_fields.clone()];
        let mut variants = Vec::new();
        let mut perm: Vec<usize> = (0..group.rules.len()).collect();
        while next_permutation(&mut perm) {
            let mut order = identity.clone();
            for (slot, &pick) in group.rules.iter().zip(&perm) {
                if let (Some(place), Some(&rule)) = (order.get_mut(*slot), group.rules.get(pick)) {
                    *place = rule;
                }
            }
            let outcome = process_ordered(set, &order, incident.clone(), event, clock, host);
            let fields = FinalFields::of(&outcome);
            if seen.contains(&fields) {
                continue;
            }
            let names = perm
                .iter()
                .filter_map(|&p| group.rules.get(p))
                .filter_map(|&i| set.rules().get(i))
                .map(|r| r.name.clone());
            variants.push(Variant { order: names.collect(), changes: base_fields.diff(&fields) });
            seen.push(fields);
        }
        if !variants.is_empty() {
            found.push(Dependence { when: group.when, order: group.order, rules: group.names(set), variants });
        }
    }
    found
}

/// The next permutation in lexicographic order; false after the last (the slice is then left
/// as it was).
fn next_permutation(items: &mut [usize]) -> bool {
    let n = items.len();
    let Some(i) = (1..n).rev().find(|&i| items.get(i - 1) < items.get(i)) else { return false };
    let pivot = items.get(i - 1).copied();
    let Some(j) = (i..n).rev().find(|&j| items.get(j).copied() > pivot) else { return false };
    items.swap(i - 1, j);
    if let Some(tail) = items.get_mut(i..) {
        tail.reverse();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_come_in_lexicographic_order_and_end() {
        let mut p = vec![0, 1, 2];
        let mut all = vec![p.clone()];
        while next_permutation(&mut p) {
            all.push(p.clone());
        }
        assert_eq!(all, [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]);
        let mut eight: Vec<usize> = (0..8).collect();
        let mut count = 1;
        while next_permutation(&mut eight) {
            count += 1;
        }
        assert_eq!(count, 40_320);
        assert!(!next_permutation(&mut []));
    }
}
