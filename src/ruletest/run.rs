//! Running one test: the engine processes the test's incident for its event at its clock, and
//! every expectation is compared with the outcome. Pure: compiled rules + incident -> result.

use serde_json::{json, Value};

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::engine::ties::{self, Dependence, TieGroup};
use crate::engine::{self, Clock, Event, Options, Outcome, PlaybookHost, Verdict};
use crate::model::time::stamp;
use crate::model::ChangeSource;
use crate::model::Portal;
use crate::model::{Incident, Update};
use crate::rules::portal::Adaptation;
use crate::rules::{RuleSet, TriggerOn, TriggerWhen};

use super::incident::{self, absent, list, Compared};
use super::{codes, portal, Case, Check, TestFile, Trigger};

/// One expectation the outcome did not meet.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The `expect` key (`status`, `fired`, ...).
    pub key: &'static str,
    /// Where the expectation is written.
    pub line: usize,
    pub column: usize,
    pub expected: Value,
    pub actual: Value,
    /// List expectations: items expected but absent.
    pub missing: Vec<String>,
    /// List expectations: items present but not expected (or forbidden).
    pub unexpected: Vec<String>,
    /// One line for humans, without the key: `expected Closed, got New`.
    pub message: String,
}

/// The result of one test.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub file: String,
    pub name: String,
    pub line: usize,
    /// The rules that fired, in run order.
    pub fired: Vec<String>,
    /// Empty when the test passed.
    pub mismatches: Vec<Mismatch>,
    /// External calls of the test's playbook runs answered by inferred mocks (`--infer-mocks`).
    pub inferred: usize,
    /// A failed test run under the Defender portal: what the portal changed ([`super::portal`]),
    /// its further lines one change each.
    pub note: Option<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Reports rule names in `fired`, `fires` and `not_fired` that the rule set does not have (of
/// the unfinished tests too).
pub fn check_rule_names(file: &TestFile, rules: &RuleSet) -> Vec<Diagnostic> {
    let names: Vec<&str> = rules.rules().iter().map(|r| r.name.as_str()).collect();
    let mut diags = Vec::new();
    let expectations = file.cases.iter().map(|c| &c.expect).chain(file.unfinished_cases.iter().map(|c| &c.expect));
    for expect in expectations {
        for e in expect {
            let (Check::Fired(list) | Check::Fires(list) | Check::NotFired(list)) = &e.check else { continue };
            for text in list.iter().filter(|t| !names.contains(&t.value.as_str())) {
                let help = match did_you_mean(&text.value, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the rule set has {} rules; `sentinel-soar rules list` shows them", names.len()),
                };
                let message = format!("no rule named `{}` in the rules under test", text.value);
                diags.push(
                    Diagnostic::error(codes::UNKNOWN_RULE, &file.path, Some(text.span), message)
                        .with_label("unknown rule")
                        .with_help(help),
                );
            }
        }
    }
    diags
}

/// Runs one test: `incident` (and `previous` for an update) as read from the test's sources.
pub fn run_case(
    file: &str,
    case: &Case,
    rules: &RuleSet,
    incident: Incident,
    previous: Option<&Incident>,
    host: Option<&dyn PlaybookHost>,
) -> CaseResult {
    run_case_with(file, case, rules, (incident, previous), host, &Extras::default()).0
}

/// What a test run checks besides each test's expectations.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    /// `--ties permute`: the rule set's tie groups, every order of which is run; a test whose
    /// outcome depends on the order fails.
    pub ties: Option<&'a [TieGroup]>,
    /// The portal whose behaviour applies to the test's event (the rules are adapted by the
    /// caller, [`crate::rules::portal::adapt`]).
    pub portal: Portal,
    /// The changes that adaptation made, named by the note of a test that fails.
    pub adapted: &'a [Adaptation],
}

/// [`run_case`] with [`Extras`]; also returns the engine's outcome (for coverage).
pub fn run_case_with(
    file: &str,
    case: &Case,
    rules: &RuleSet,
    (incident, previous): (Incident, Option<&Incident>),
    host: Option<&dyn PlaybookHost>,
    extras: &Extras<'_>,
) -> (CaseResult, Outcome) {
    let event = match &case.trigger {
        Trigger::Created => Event::Created,
        Trigger::Updated { by, .. } => {
            let by = extras.portal.updated_by(*by);
            Event::Updated(Box::new(Update::between(previous.unwrap_or(&incident), &incident, by)))
        }
    };
    let clock = Clock::new(case.now);
    let dependences = match extras.ties {
        Some(groups) => ties::permute(rules, groups, &incident, &event, clock, host),
        None => Vec::new(),
    };
    let outcome = engine::process_with(rules, incident, &event, clock, Options { explain: true }, host);
    let fired: Vec<String> = outcome.fired.iter().map(|f| f.rule.clone()).collect();
    let seen =
        Seen { rules, outcome: &outcome, fired: &fired, updated: matches!(case.trigger, Trigger::Updated { .. }) };
    let mut mismatches: Vec<Mismatch> = case
        .expect
        .iter()
        .filter_map(|e| {
            let (expected, actual, missing, unexpected, message) = seen.compare(&e.check)?;
            let (line, column) = (e.span.line, e.span.column);
            Some(Mismatch { key: e.key, line, column, expected, actual, missing, unexpected, message })
        })
        .collect();
    mismatches.extend(dependences.iter().map(|d| order_mismatch(case, d)));
    let inferred = outcome.runs.iter().map(|r| r.inferred).sum();
    let note = match mismatches.is_empty() {
        true => None,
        false => portal::rule_test_note(extras.portal, case, &outcome, extras.adapted),
    };
    let result = CaseResult {
        file: file.to_owned(),
        name: case.name.clone(),
        line: case.span.line,
        fired,
        mismatches,
        inferred,
        note,
    };
    (result, outcome)
}

/// A test whose outcome depends on the order of tied rules (`--ties permute`): key `ties`, at
/// the test, naming the rules and what each other order changes.
fn order_mismatch(case: &Case, d: &Dependence) -> Mismatch {
    let quoted = |names: &[String]| names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    let others: Vec<String> = d
        .variants
        .iter()
        .map(|v| {
            let changes: Vec<String> =
                v.changes.iter().map(|c| format!("{} {} -> {}", c.field, c.before, c.after)).collect();
            format!("run as {}: {}", quoted(&v.order), changes.join("; "))
        })
        .collect();
    let message = format!(
        "the outcome depends on the order of rules {} (order {}, incidents {}), which Sentinel picks at random; {}",
        quoted(&d.rules),
        d.order,
        d.when.as_str(),
        others.join(" / ")
    );
    Mismatch {
        key: "ties",
        line: case.span.line,
        column: case.span.column,
        expected: json!(d.rules),
        actual: json!(d.variants.iter().map(|v| v.order.clone()).collect::<Vec<_>>()),
        missing: Vec::new(),
        unexpected: Vec::new(),
        message,
    }
}

/// The outcome as the expectations read it.
struct Seen<'a> {
    rules: &'a RuleSet,
    outcome: &'a Outcome,
    fired: &'a [String],
    updated: bool,
}

/// An exact, ordered list comparison (`fired`, `playbooks`); `None` when equal.
fn ordered(want: &[String], have: &[String], annotate: impl Fn(&str) -> String) -> Option<Compared> {
    if want == have {
        return None;
    }
    let (missing, unexpected) = (absent(want, have, false), absent(have, want, false));
    let message = if missing.is_empty() && unexpected.is_empty() {
        format!("expected {} in this order, got {}", list(want), list(have))
    } else {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            let shown: Vec<String> = missing.iter().map(|m| annotate(m)).collect();
            parts.push(format!("missing {}", list(&shown)));
        }
        if !unexpected.is_empty() {
            parts.push(format!("unexpected {}", list(&unexpected)));
        }
        parts.join("; ")
    };
    Some((json!(want), json!(have), missing, unexpected, message))
}

impl Seen<'_> {
    fn compare(&self, check: &Check) -> Option<Compared> {
        let values = |list: &[super::Text]| list.iter().map(|t| t.value.clone()).collect::<Vec<_>>();
        match check {
            Check::Fired(want) => ordered(&values(want), self.fired, |m| self.why(m)),
            Check::Fires(want) => {
                let missing = absent(&values(want), self.fired, false);
                if missing.is_empty() {
                    return None;
                }
                let shown: Vec<String> = missing.iter().map(|m| self.why(m)).collect();
                let message = format!("missing {}; fired {}", list(&shown), list(self.fired));
                Some((json!(values(want)), json!(self.fired), missing, Vec::new(), message))
            }
            Check::NotFired(banned) => {
                let hit: Vec<String> = values(banned).into_iter().filter(|b| self.fired.contains(b)).collect();
                let message = format!("fired {}", list(&hit));
                (!hit.is_empty()).then(|| (json!(values(banned)), json!(self.fired), Vec::new(), hit, message))
            }
            Check::Field { .. } | Check::List { .. } => incident::compare(check, &self.outcome.incident),
            Check::Playbooks(want) => {
                // The runs the rules asked for (a playbook's own changes name it too).
                let have: Vec<String> = self
                    .outcome
                    .changes
                    .iter()
                    .filter(|c| c.action == "run_playbook" && c.source == ChangeSource::AutomationRule)
                    .filter_map(|c| c.playbook.clone())
                    .collect();
                ordered(want, &have, str::to_owned)
            }
            Check::Changes(want) => incident::compare_changes(*want, self.outcome.changes.len()),
        }
    }

    /// A rule name with why it did not fire: `Name (conditions false)`.
    fn why(&self, name: &str) -> String {
        let reason = match self.outcome.verdicts.iter().find(|v| v.rule == name).map(|v| &v.verdict) {
            Some(Verdict::Fired) => "fired".to_owned(),
            Some(Verdict::Disabled) => "disabled".to_owned(),
            Some(Verdict::Expired(at)) => format!("expired on {}", stamp(*at)),
            Some(Verdict::OutOfScope) => "not scoped to the incident's analytics rules".to_owned(),
            Some(Verdict::ConditionsFalse) => "conditions false".to_owned(),
            None => match self.rules.rules().iter().find(|r| r.name == name) {
                Some(r) if r.on == TriggerOn::Alerts => "runs on alerts".to_owned(),
                Some(r) if r.when == TriggerWhen::Updated => "update rule: no rule changed the incident".to_owned(),
                Some(_) if self.updated => "creation rule: the test is an update".to_owned(),
                _ => "not run".to_owned(),
            },
        };
        format!("{name} ({reason})")
    }
}
