//! `test --coverage`: what the tests reached in the rule and playbook files, by line.
//!
//! Counted items (each covered or not; the percentage is covered items over all items):
//! - **rules**: fired in some test;
//! - **condition outcomes**: each condition leaf (a property leaf, `changed`, `added`) seen
//!   true and seen false, two items per leaf (a group stops at its first deciding child, so a
//!   leaf after it is not evaluated);
//! - **actions**: ran (every action of a rule that fired runs);
//! - **playbook actions**: ran in a playbook run (status other than Skipped);
//! - **playbook branches**: each branch of an `If` (actions, else) and each case of a `Switch`
//!   (with its default) taken.
//!
//! Every rule of every rule set a test file names, and every playbook it names, is listed, so
//! what no test reaches counts as uncovered. Recording reads what the engine already returns to
//! `test` (the explain traces of the rules' conditions, the rules fired, the playbook run
//! logs): nothing is recorded, and nothing costs, in `apply`.
//!
//! Output: [`report::human`] (per file, per rule and per leaf), [`report::json`] and
//! [`lcov::render`] (the lcov tracefile grammar of geninfo(1), so Codecov, coverage gutters and
//! genhtml show coverage on the YAML lines).
//!
//! Stage: evaluation -> output (pure; the CLI writes the report).

pub mod lcov;
pub mod report;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::engine::Outcome;
use crate::playbook::model::{Block, Playbook, Step};
use crate::rules::condition::{AddedKind, ChangedField, Cond};
use crate::rules::RuleSet;
use crate::syntax::Span;

/// What the tests reached, by file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    /// Rule files by path, their rules in file order.
    pub rules: BTreeMap<String, Vec<RuleCov>>,
    /// Playbook files by path, their playbooks in load order.
    pub playbooks: BTreeMap<String, Vec<PlaybookCov>>,
}

/// One rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleCov {
    pub name: String,
    pub order: u32,
    pub line: usize,
    pub column: usize,
    /// Tests in which it fired.
    pub fired: u64,
    pub conditions: Vec<CondCov>,
    pub actions: Vec<ActionCov>,
}

/// One condition leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct CondCov {
    /// The node id of the compiled condition (matches the engine's traces).
    id: usize,
    pub line: usize,
    pub column: usize,
    /// `IncidentSeverity Equals [High]`, `changed IncidentStatus to [Closed]`, `added Alerts`.
    pub text: String,
    pub seen_true: u64,
    pub seen_false: u64,
}

/// One action of a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionCov {
    pub line: usize,
    pub column: usize,
    /// The action's YAML key.
    pub action: &'static str,
    pub ran: u64,
}

/// One playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookCov {
    pub name: String,
    /// The line of its first action (1 without actions).
    pub line: usize,
    /// Runs of it in the tests.
    pub runs: u64,
    /// Every action, depth first.
    pub actions: Vec<StepCov>,
}

/// One playbook action.
#[derive(Debug, Clone, PartialEq)]
pub struct StepCov {
    pub name: String,
    /// The Logic Apps `type` as written.
    pub kind: String,
    pub line: usize,
    pub column: usize,
    pub ran: u64,
    /// `If`: actions, else; `Switch`: each case by name, then default; empty otherwise.
    pub branches: Vec<BranchCov>,
}

/// One branch of a control action.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchCov {
    pub name: String,
    pub taken: u64,
}

/// Covered items over all items, in total and per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub rules: (usize, usize),
    pub outcomes: (usize, usize),
    pub actions: (usize, usize),
    pub playbook_actions: (usize, usize),
    pub branches: (usize, usize),
}

impl Totals {
    /// (covered, total) over every kind.
    pub fn all(&self) -> (usize, usize) {
        let kinds = [self.rules, self.outcomes, self.actions, self.playbook_actions, self.branches];
        kinds.iter().fold((0, 0), |(c, t), (kc, kt)| (c + kc, t + kt))
    }

    /// The percentage covered; 100 when there is nothing to cover.
    pub fn percent(&self) -> f64 {
        match self.all() {
            (_, 0) => 100.0,
            (covered, total) => covered as f64 * 100.0 / total as f64,
        }
    }

    fn add(&mut self, other: Totals) {
        for (mine, theirs) in [
            (&mut self.rules, other.rules),
            (&mut self.outcomes, other.outcomes),
            (&mut self.actions, other.actions),
            (&mut self.playbook_actions, other.playbook_actions),
            (&mut self.branches, other.branches),
        ] {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
    }
}

/// `(covered, total)` of items whose counts are `counts`.
fn count(counts: impl Iterator<Item = u64>) -> (usize, usize) {
    counts.fold((0, 0), |(c, t), n| (c + usize::from(n > 0), t + 1))
}

impl RuleCov {
    pub fn totals(&self) -> Totals {
        Totals {
            rules: count(std::iter::once(self.fired)),
            outcomes: count(self.conditions.iter().flat_map(|c| [c.seen_true, c.seen_false])),
            actions: count(self.actions.iter().map(|a| a.ran)),
            ..Totals::default()
        }
    }
}

impl PlaybookCov {
    pub fn totals(&self) -> Totals {
        Totals {
            playbook_actions: count(self.actions.iter().map(|a| a.ran)),
            branches: count(self.actions.iter().flat_map(|a| a.branches.iter().map(|b| b.taken))),
            ..Totals::default()
        }
    }
}

/// A changed field's name as written.
fn changed_name(field: ChangedField) -> &'static str {
    match field {
        ChangedField::Severity => "IncidentSeverity",
        ChangedField::Status => "IncidentStatus",
        ChangedField::Owner => "IncidentOwner",
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

/// Every leaf of a condition, in pre-order.
fn leaves(cond: &Cond, out: &mut Vec<CondCov>) {
    let mut push = |id: usize, span: Span, text: String| {
        out.push(CondCov { id, line: span.line, column: span.column, text, seen_true: 0, seen_false: 0 });
    };
    match cond {
        Cond::All { items, .. } | Cond::Any { items, .. } | Cond::Items { items, .. } => {
            items.iter().for_each(|c| leaves(c, out));
        }
        Cond::Not { inner, .. } => leaves(inner, out),
        Cond::Leaf(leaf) => push(
            leaf.id,
            leaf.span,
            format!("{} {} [{}]", leaf.property.name, leaf.operator.name(), leaf.values.join(", ")),
        ),
        Cond::Changed { id, field, from, to, span } => {
            let mut text = format!("changed {}", changed_name(*field));
            if !from.is_empty() {
                text.push_str(&format!(" from [{}]", from.join(", ")));
            }
            if !to.is_empty() {
                text.push_str(&format!(" to [{}]", to.join(", ")));
            }
            push(*id, *span, text);
        }
        Cond::Added { id, what, span } => push(*id, *span, format!("added {}", added_name(*what))),
    }
}

/// Every action of a block, depth first, with its branches.
fn steps(block: &Block, out: &mut Vec<StepCov>) {
    for action in &block.actions {
        let branches = match &action.step {
            Step::If(_) => vec!["actions".to_owned(), "else".to_owned()],
            Step::Switch(s) => s.cases.iter().map(|c| c.name.clone()).chain(["default".to_owned()]).collect(),
            _ => Vec::new(),
        };
        out.push(StepCov {
            name: action.name.clone(),
            kind: action.type_name.clone(),
            line: action.span.line,
            column: action.span.column,
            ran: 0,
            branches: branches.into_iter().map(|name| BranchCov { name, taken: 0 }).collect(),
        });
        for child in action.step.blocks() {
            steps(child, out);
        }
    }
}

impl Coverage {
    /// Lists every rule of `set` (once, however many test files name its file).
    pub fn add_rules(&mut self, set: &RuleSet) {
        for rule in set.rules() {
            let list = self.rules.entry(rule.file.clone()).or_default();
            if list.iter().any(|r| r.name == rule.name) {
                continue;
            }
            let mut conditions = Vec::new();
            if let Some(cond) = &rule.conditions {
                leaves(cond, &mut conditions);
            }
            let actions = rule
                .action_sites
                .iter()
                .map(|(span, action)| ActionCov { line: span.line, column: span.column, action, ran: 0 })
                .collect();
            list.push(RuleCov {
                name: rule.name.clone(),
                order: rule.order,
                line: rule.span.line,
                column: rule.span.column,
                fired: 0,
                conditions,
                actions,
            });
            list.sort_by_key(|r| (r.line, r.column));
        }
    }

    /// Lists every playbook of `playbooks` (once each).
    pub fn add_playbooks(&mut self, playbooks: &[Playbook]) {
        for playbook in playbooks {
            let list = self.playbooks.entry(playbook.source.path.clone()).or_default();
            if list.iter().any(|p| p.name == playbook.name) {
                continue;
            }
            let mut actions = Vec::new();
            steps(&playbook.actions, &mut actions);
            let line = actions.iter().map(|a| a.line).min().unwrap_or(1);
            list.push(PlaybookCov { name: playbook.name.clone(), line, runs: 0, actions });
        }
    }

    /// Counts what one test's outcome reached: the condition traces and rules fired of the
    /// rules in `set`, and the runs of `playbooks`.
    pub fn record(&mut self, set: &RuleSet, outcome: &Outcome, playbooks: &[Playbook]) {
        for verdict in &outcome.verdicts {
            let Some(trace) = &verdict.trace else { continue };
            let Some(rule) = self.rule_mut(set, &verdict.rule) else { continue };
            for (id, result, _) in &trace.nodes {
                if let Some(c) = rule.conditions.iter_mut().find(|c| c.id == *id) {
                    if *result {
                        c.seen_true += 1;
                    } else {
                        c.seen_false += 1;
                    }
                }
            }
        }
        for fired in &outcome.fired {
            if let Some(rule) = self.rule_mut(set, &fired.rule) {
                rule.fired += 1;
                rule.actions.iter_mut().for_each(|a| a.ran += 1);
            }
        }
        for run in &outcome.runs {
            let Some(playbook) = playbooks.iter().find(|p| p.name.eq_ignore_ascii_case(&run.playbook)) else {
                continue;
            };
            if let Some(log) = run.log.get("run") {
                self.record_run(playbook, log);
            }
        }
    }

    /// Counts one run of `playbook` (listed with [`Coverage::add_playbooks`]) whose run log is
    /// `log`, as `playbook run --format json` writes it: a playbook test's run.
    pub fn record_run(&mut self, playbook: &Playbook, log: &Value) {
        let list = self.playbooks.get_mut(&playbook.source.path);
        let Some(cov) = list.and_then(|l| l.iter_mut().find(|p| p.name == playbook.name)) else { return };
        cov.runs += 1;
        if let Some(Value::Array(logged)) = log.get("steps") {
            walk(logged, cov);
        }
    }

    fn rule_mut(&mut self, set: &RuleSet, name: &str) -> Option<&mut RuleCov> {
        let rule = set.rules().iter().find(|r| r.name == name)?;
        self.rules.get_mut(&rule.file)?.iter_mut().find(|r| r.name == name)
    }

    /// Covered items over all items.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        self.rules.values().flatten().for_each(|r| totals.add(r.totals()));
        self.playbooks.values().flatten().for_each(|p| totals.add(p.totals()));
        totals
    }
}

/// Counts the actions a run log's steps show as run, and the branches they took (the notes
/// `branch: actions`, `branch: else`, `case: NAME`, `case: default` of the If and Switch
/// steps), through containers and loop iterations.
fn walk(logged: &[Value], cov: &mut PlaybookCov) {
    for step in logged {
        let name = step.get("name").and_then(Value::as_str).unwrap_or_default();
        let status = step.get("status").and_then(Value::as_str).unwrap_or_default();
        if let Some(action) = cov.actions.iter_mut().find(|a| a.name == name) {
            if status != "Skipped" {
                action.ran += 1;
            }
            let taken = step
                .get("note")
                .and_then(Value::as_str)
                .and_then(|note| note.strip_prefix("branch: ").or_else(|| note.strip_prefix("case: ")));
            if let Some(branch) = taken.and_then(|t| action.branches.iter_mut().find(|b| b.name == t)) {
                branch.taken += 1;
            }
        }
        if let Some(Value::Array(children)) = step.get("children") {
            walk(children, cov);
        }
        for iteration in step.get("iterations").and_then(Value::as_array).into_iter().flatten() {
            if let Some(Value::Array(inner)) = iteration.get("steps") {
                walk(inner, cov);
            }
        }
    }
}
