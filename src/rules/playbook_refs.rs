//! Checks of the playbooks that `run_playbook` actions name, against the playbooks loaded
//! beside the rules (`apply --playbooks`, `validate` with playbook files among its paths):
//!
//! - SR026: no playbook of that name is loaded (names compare ignoring case, as Logic Apps
//!   workflow names do), with a "did you mean"; a `logicAppResourceId` that stays an unresolved
//!   ARM expression is left to SJ006;
//! - SR038: the playbook's trigger does not fit the rule's. Sentinel offers an incident rule
//!   only incident-trigger playbooks, and an alert rule only alert-trigger ones ("Playbooks
//!   using this trigger can't be called by automation rules" is said of the alert trigger in
//!   "Supported triggers and actions in Microsoft Sentinel playbooks"; the alert trigger's
//!   automation rules take alert-trigger playbooks);
//! - SR039 (warning): the playbook is disabled, or Sentinel has no permission on its resource
//!   group; Sentinel would record a failed run.
//!
//! Stage: file model + playbook facts -> diagnostics. No I/O.

use crate::diagnostic::{did_you_mean, Diagnostic};

use super::codes;
use super::file::{ActionDef, RuleFile};

/// What the checks need to know of a loaded playbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookFacts {
    pub name: String,
    /// `incident`, `alert`, `entity`, `request`, ... (the YAML spelling of the trigger kind).
    pub trigger: &'static str,
    /// Why Sentinel could not run it even with the right trigger (disabled, no permission).
    pub not_runnable: Option<String>,
}

/// Appends a diagnostic for each `run_playbook` action that names a playbook not in
/// `playbooks`, one with the wrong trigger, or one Sentinel may not run.
pub fn check(files: &[RuleFile], playbooks: &[PlaybookFacts], diags: &mut Vec<Diagnostic>) {
    for file in files {
        for rule in &file.rules {
            let alerts = rule
                .trigger_on
                .as_ref()
                .is_some_and(|t| matches!(t.value.trim().to_ascii_lowercase().as_str(), "alerts" | "alert"));
            for action in &rule.actions {
                let ActionDef::RunPlaybook { name, .. } = action else { continue };
                let wanted = name.value.trim();
                if crate::arm::expr::body(wanted).is_some() {
                    continue; // an ARM expression left unresolved: SJ006 names the parameter it needs
                }
                let Some(found) = playbooks.iter().find(|p| p.name.eq_ignore_ascii_case(wanted)) else {
                    let mut d = Diagnostic::error(
                        codes::UNKNOWN_PLAYBOOK,
                        &file.path,
                        Some(name.span),
                        format!("no playbook named `{wanted}` is loaded"),
                    )
                    .with_label("unknown playbook");
                    d = match did_you_mean(wanted, playbooks.iter().map(|p| p.name.as_str())) {
                        Some(n) => d.with_help(format!("did you mean `{n}`?")),
                        None => d.with_help(format!("loaded playbooks: {}", names(playbooks))),
                    };
                    diags.push(d);
                    continue;
                };
                let (expected, rule_kind) = if alerts { ("alert", "alert") } else { ("incident", "incident") };
                if found.trigger != expected {
                    diags.push(
                        Diagnostic::error(
                            codes::PLAYBOOK_TRIGGER_MISMATCH,
                            &file.path,
                            Some(name.span),
                            format!(
                                "playbook `{}` has the {} trigger; a rule on {rule_kind}s runs only {expected}-trigger playbooks",
                                found.name, found.trigger
                            ),
                        )
                        .with_label(format!("{} trigger", found.trigger))
                        .with_help(format!(
                            "Sentinel lists only playbooks with the Microsoft Sentinel {expected} trigger for this rule"
                        )),
                    );
                    continue;
                }
                if let Some(reason) = &found.not_runnable {
                    diags.push(
                        Diagnostic::warning(codes::PLAYBOOK_NOT_RUNNABLE, &file.path, Some(name.span), reason.clone())
                            .with_label("the run would fail"),
                    );
                }
            }
        }
    }
}

/// Appends SR040 at each `run_playbook` action: the person validating may not attach
/// playbooks to rules (`reason` says why).
pub fn check_attach(files: &[RuleFile], reason: &str, diags: &mut Vec<Diagnostic>) {
    for file in files {
        for action in file.rules.iter().flat_map(|r| &r.actions) {
            if let ActionDef::RunPlaybook { name, .. } = action {
                diags.push(
                    Diagnostic::error(codes::ATTACH_NOT_PERMITTED, &file.path, Some(name.span), reason.to_owned())
                        .with_label("attaches a playbook"),
                );
            }
        }
    }
}

fn names(playbooks: &[PlaybookFacts]) -> String {
    if playbooks.is_empty() {
        return "none".to_owned();
    }
    let mut list: Vec<&str> = playbooks.iter().map(|p| p.name.as_str()).collect();
    list.sort_unstable();
    list.join(", ")
}
