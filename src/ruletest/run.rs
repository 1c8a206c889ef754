//! Running one test: the engine processes the test's incident for its event at its clock, and
//! every expectation is compared with the outcome. Pure: compiled rules + incident -> result.

use serde_json::{json, Value};

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::engine::{self, ChangeSource, Clock, Event, Options, Outcome, PlaybookHost, Verdict};
use crate::model::time::stamp;
use crate::model::{Incident, Update};
use crate::rules::{RuleSet, TriggerOn, TriggerWhen};

use super::{codes, Case, Check, Field, ListKind, Mode, TestFile, Trigger};

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
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Reports rule names in `fired`, `fires` and `not_fired` that the rule set does not have.
pub fn check_rule_names(file: &TestFile, rules: &RuleSet) -> Vec<Diagnostic> {
    let names: Vec<&str> = rules.rules().iter().map(|r| r.name.as_str()).collect();
    let mut diags = Vec::new();
    for case in &file.cases {
        for e in &case.expect {
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
    let event = match &case.trigger {
        Trigger::Created => Event::Created,
        Trigger::Updated { by, .. } => {
            Event::Updated(Box::new(Update::between(previous.unwrap_or(&incident), &incident, *by)))
        }
    };
    let outcome = engine::process_with(rules, incident, &event, Clock::new(case.now), Options { explain: true }, host);
    let fired: Vec<String> = outcome.fired.iter().map(|f| f.rule.clone()).collect();
    let seen =
        Seen { rules, outcome: &outcome, fired: &fired, updated: matches!(case.trigger, Trigger::Updated { .. }) };
    let mismatches = case
        .expect
        .iter()
        .filter_map(|e| {
            let (expected, actual, missing, unexpected, message) = seen.compare(&e.check)?;
            let (line, column) = (e.span.line, e.span.column);
            Some(Mismatch { key: e.key, line, column, expected, actual, missing, unexpected, message })
        })
        .collect();
    let inferred = outcome.runs.iter().map(|r| r.inferred).sum();
    CaseResult { file: file.to_owned(), name: case.name.clone(), line: case.span.line, fired, mismatches, inferred }
}

type Compared = (Value, Value, Vec<String>, Vec<String>, String);

/// The outcome as the expectations read it.
struct Seen<'a> {
    rules: &'a RuleSet,
    outcome: &'a Outcome,
    fired: &'a [String],
    updated: bool,
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Items of `want` not in `have` (case-insensitively when `fold`).
fn absent(want: &[String], have: &[String], fold: bool) -> Vec<String> {
    let key = |s: &String| if fold { lower(s) } else { s.clone() };
    let have: Vec<String> = have.iter().map(key).collect();
    want.iter().filter(|w| !have.contains(&key(w))).cloned().collect()
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
        let incident = &self.outcome.incident;
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
            Check::Field { field, want } => {
                let have = match field.incident_key() {
                    Some(key) => incident.field(key).filter(|v| !v.is_empty()).map(str::to_owned),
                    None => incident.owner().display().map(str::to_owned),
                };
                let same = match (want, field) {
                    (Some(w), Field::Owner) => incident.owner().matches(w),
                    (Some(w), f) if f.ignores_case() => have.as_deref().is_some_and(|h| lower(h) == lower(w)),
                    (Some(w), _) => have.as_deref() == Some(w.as_str()),
                    (None, _) => have.is_none(),
                };
                let unset = if *field == Field::Owner { "unassigned" } else { "unset" };
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| unset.to_owned());
                let message = format!("expected {}, got {}", show(want), show(&have));
                (!same).then(|| (json!(want), json!(have), Vec::new(), Vec::new(), message))
            }
            Check::List { list: kind, mode, items } => {
                let have: Vec<String> = match kind {
                    ListKind::Tags => incident.labels().map(str::to_owned).collect(),
                    ListKind::Tasks => incident.task_titles().map(str::to_owned).collect(),
                };
                let (missing, unexpected, message) = match mode {
                    Mode::Include => {
                        let missing = absent(items, &have, true);
                        let message = format!("missing {}; has {}", list(&missing), list(&have));
                        (missing, Vec::new(), message)
                    }
                    Mode::Exact => {
                        let (missing, unexpected) = (absent(items, &have, true), absent(&have, items, true));
                        let message = match (missing.is_empty(), unexpected.is_empty()) {
                            (false, false) => format!("missing {}; unexpected {}", list(&missing), list(&unexpected)),
                            (false, true) => format!("missing {}", list(&missing)),
                            _ => format!("unexpected {}", list(&unexpected)),
                        };
                        (missing, unexpected, message)
                    }
                    Mode::Exclude => {
                        let present: Vec<String> =
                            items.iter().filter(|i| absent(&[(*i).clone()], &have, true).is_empty()).cloned().collect();
                        let message = format!("present {}", list(&present));
                        (Vec::new(), present, message)
                    }
                };
                (!missing.is_empty() || !unexpected.is_empty())
                    .then(|| (json!(items), json!(have), missing, unexpected, message))
            }
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
            Check::Changes(want) => {
                let have = self.outcome.changes.len() as u64;
                (have != *want)
                    .then(|| (json!(want), json!(have), Vec::new(), Vec::new(), format!("expected {want}, got {have}")))
            }
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
