//! `apply --ties permute`: the incidents whose outcome depends on the order Sentinel picks for
//! rules that share an order ([`crate::engine::ties`]). The outputs stay those of the name
//! order (byte-identical to a run without the flag, whatever `--jobs`); each order-dependent
//! incident is a warning on standard error naming the rules and what each other order changes,
//! in input order, and in the `--dry-run --format json` report its `orderDependence`. Such an
//! incident is a finding: the run exits 1.

use serde::Serialize;

use crate::engine::ties::Dependence;
use crate::engine::FieldChange;

use crate::cli::prelude::Progress;

/// One tie group whose order decides an incident's outcome, as reports show it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDependence {
    pub order: u32,
    pub trigger: &'static str,
    /// The rules in name order, the order this tool runs them in.
    pub rules: Vec<String>,
    /// Each other outcome: an order that leads to it and the fields that then differ.
    pub orders: Vec<OtherOrder>,
}

/// An order of the tie that leaves another outcome.
#[derive(Debug, Clone, Serialize)]
pub struct OtherOrder {
    pub rules: Vec<String>,
    pub changes: Vec<FieldReport>,
}

/// A field that differs from the name order's outcome.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldReport {
    pub field: &'static str,
    pub name_order: String,
    pub this_order: String,
}

impl OrderDependence {
    pub fn of(d: &Dependence) -> OrderDependence {
        let field = |c: &FieldChange| FieldReport {
            field: c.field,
            name_order: c.before.to_string(),
            this_order: c.after.to_string(),
        };
        OrderDependence {
            order: d.order,
            trigger: d.when.as_str(),
            rules: d.rules.clone(),
            orders: d
                .variants
                .iter()
                .map(|v| OtherOrder { rules: v.order.clone(), changes: v.changes.iter().map(field).collect() })
                .collect(),
        }
    }

    /// The warning: the rules and, per other order, what it changes.
    pub fn message(&self, file: &str, incident: Option<&str>) -> String {
        let quoted = |names: &[String]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        let incident = incident.map(|i| format!("incident {i}")).unwrap_or_else(|| "an incident".to_owned());
        let mut text = format!(
            "warning: {file}: {incident}: the outcome depends on the order of rules {} (order {}, incidents {}); they ran by name here",
            quoted(&self.rules),
            self.order,
            self.trigger
        );
        for other in &self.orders {
            let changes: Vec<String> =
                other.changes.iter().map(|c| format!("{} {} -> {}", c.field, c.name_order, c.this_order)).collect();
            text.push_str(&format!("\n  run as {}: {}", quoted(&other.rules), changes.join("; ")));
        }
        text
    }
}

/// Prints the warnings of one incident above the progress bar; true when there were any.
pub fn report(progress: &Progress, file: &str, incident: Option<&str>, found: &[OrderDependence]) -> bool {
    for d in found {
        progress.eprintln(&d.message(file, incident));
    }
    !found.is_empty()
}
