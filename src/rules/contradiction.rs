//! SR025: conditions that can never all hold, found on the compiled tree. Within one `all`
//! group (or an `any_item` / `all_items` group, whose items must all hold for the same item),
//! two leaves on the same single-valued incident property contradict each other when
//! - both are positive Equals and their value sets do not intersect (an incident has one
//!   severity, so `Equals High` and `Equals Low` cannot both hold), or
//! - one is Equals and the other NotEquals, and every Equals value is among the NotEquals
//!   values.
//!
//! Values are compared case-folded exactly as the matcher compares them. Only the incident's
//! own scalar fields are considered: entity, array, label and custom-detail properties hold
//! several values at once, so two Equals leaves on them can both hold, and they are never
//! flagged. The warning points at the second leaf of the pair.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;

use super::codes;
use super::condition::{Cond, Leaf};
use super::operator::{fold, BaseOp};

/// Properties that hold exactly one value per incident.
pub const SINGLE_VALUED: &[&str] =
    &["IncidentSeverity", "IncidentStatus", "IncidentTitle", "IncidentDescription", "IncidentProviderName"];

/// Reports every contradiction in `cond` and the groups under it.
pub fn check(cond: &Cond, file: &str, diags: &mut Vec<Diagnostic>) {
    match cond {
        Cond::All { items, .. } | Cond::Items { items, .. } => {
            group(items, file, diags);
            items.iter().for_each(|c| check(c, file, diags));
        }
        Cond::Any { items, .. } => items.iter().for_each(|c| check(c, file, diags)),
        Cond::Not { inner, .. } => check(inner, file, diags),
        Cond::Leaf(_) | Cond::Changed { .. } | Cond::Added { .. } => {}
    }
}

/// Checks the leaves that sit directly in one group, pair by pair, reporting each second leaf
/// at most once.
fn group(items: &[Cond], file: &str, diags: &mut Vec<Diagnostic>) {
    let leaves: Vec<&Leaf> = items
        .iter()
        .filter_map(|c| match c {
            Cond::Leaf(leaf) if SINGLE_VALUED.contains(&leaf.property.name) => Some(leaf),
            _ => None,
        })
        .collect();
    for (j, second) in leaves.iter().enumerate() {
        let Some(first) = leaves.iter().take(j).find(|first| contradict(first, second)) else {
            continue;
        };
        diags.push(
            Diagnostic::warning(
                codes::NEVER_HOLDS,
                file,
                Some(second.span),
                format!("conditions can never all hold: {} and {}", describe(first), describe(second)),
            )
            .with_label("contradicts an earlier condition of the same group")
            .with_help(format!(
                "an incident has one {}; the other condition is at line {}, column {}. Use `any` if either should do",
                second.property.name, first.span.line, first.span.column
            )),
        );
    }
}

fn values(leaf: &Leaf) -> BTreeSet<String> {
    leaf.values.iter().map(|v| fold(v).into_owned()).collect()
}

fn is_equals(leaf: &Leaf) -> bool {
    leaf.operator.base == BaseOp::Equals
}

/// True when no incident can satisfy both leaves.
fn contradict(a: &Leaf, b: &Leaf) -> bool {
    if a.property.name != b.property.name || !is_equals(a) || !is_equals(b) {
        return false;
    }
    match (a.operator.negated, b.operator.negated) {
        (false, false) => values(a).is_disjoint(&values(b)),
        (false, true) => values(a).is_subset(&values(b)),
        (true, false) => values(b).is_subset(&values(a)),
        (true, true) => false,
    }
}

/// `IncidentSeverity Equals High`, or `IncidentSeverity Equals [High, Medium]`.
fn describe(leaf: &Leaf) -> String {
    let values = match leaf.values.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    format!("{} {} {values}", leaf.property.name, leaf.operator.name())
}

#[cfg(test)]
mod tests {
    use crate::rules::{compile, file::decode, Options};

    /// The SR025 findings for a rule whose `all` group is `conditions`.
    fn findings(conditions: &str) -> Vec<(usize, String)> {
        let src = format!("name: r\norder: 1\nconditions:\n{conditions}actions:\n  - add_tags: [x]\n");
        let mut diags = Vec::new();
        let file = decode("r.yaml", &src, &mut diags);
        let (_, more) = compile(&[file], &Options::default());
        diags.extend(more);
        diags.into_iter().map(|d| (d.span.map_or(0, |s| s.line), format!("{} {}", d.code, d.message))).collect()
    }

    #[test]
    fn disjoint_equals_on_one_scalar_field_never_hold() {
        let got = findings(
            "  - { property: IncidentSeverity, operator: Equals, values: [High] }\n  - { property: incidentseverity, operator: Equals, values: [Low, Medium] }\n",
        );
        assert_eq!(
            got,
            [(5, "SR025 conditions can never all hold: IncidentSeverity Equals High and IncidentSeverity Equals [Low, Medium]".to_owned())]
        );
    }

    #[test]
    fn equals_beside_not_equals_of_the_same_values_never_holds() {
        let got = findings(
            "  all:\n    - { property: IncidentTitle, operator: NotEquals, values: [Pentest, Drill] }\n    - { property: IncidentTitle, operator: Equals, values: [pentest] }\n",
        );
        assert_eq!(
            got,
            [(6, "SR025 conditions can never all hold: IncidentTitle NotEquals [Pentest, Drill] and IncidentTitle Equals pentest".to_owned())]
        );
    }

    #[test]
    fn satisfiable_or_multi_valued_conditions_are_not_flagged() {
        let cases = [
            // Overlapping values, case-insensitively.
            "  - { property: IncidentSeverity, operator: Equals, values: [High, Low] }\n  - { property: IncidentSeverity, operator: Equals, values: [low] }\n",
            // Some Equals value survives the NotEquals.
            "  - { property: IncidentStatus, operator: Equals, values: [New, Active] }\n  - { property: IncidentStatus, operator: NotEquals, values: [New] }\n",
            // Entities and arrays hold several values.
            "  - { property: HostName, operator: Equals, values: [a] }\n  - { property: HostName, operator: Equals, values: [b] }\n",
            "  - { property: IncidentLabel, operator: Equals, values: [a] }\n  - { property: IncidentLabel, operator: Equals, values: [b] }\n",
            // `any` is not `all`.
            "  any:\n    - { property: IncidentSeverity, operator: Equals, values: [High] }\n    - { property: IncidentSeverity, operator: Equals, values: [Low] }\n",
            // Other operators are out of scope.
            "  - { property: IncidentTitle, operator: Contains, values: [a] }\n  - { property: IncidentTitle, operator: NotContains, values: [a] }\n",
        ];
        for case in cases {
            assert_eq!(findings(case), [], "{case}");
        }
    }
}
