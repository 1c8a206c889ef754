//! Static checks of a compiled playbook, as Logic Apps validates a workflow before saving it:
//! every `runAfter` names a sibling and the graph has no cycle; every action an expression
//! reads (`body('X')`, ...) exists and runs before (it is on a runAfter path into the reader,
//! or into one of the reader's enclosing containers); `items('X')` is inside loop X; every
//! variable is initialized, at the top level.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Code;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::syntax::Span;

use super::action::{Action, Block};
use super::codes;
use super::input::Input;
use super::refs::{refs, Ref, RefKind};
use super::step::{Step, VariableOp};
use super::Playbook;

/// An enclosing loop: its name and whether it is a Foreach (else an Until, or a Query /
/// Select projection with `name` empty).
#[derive(Clone)]
struct Loop {
    name: String,
    kind: RefKind,
}

struct Checker<'p> {
    playbook: &'p Playbook,
    diags: &'p mut Vec<Diagnostic>,
    /// Lower-cased name -> declared name, for every action.
    actions: BTreeMap<String, String>,
    /// Lower-cased name -> declared name, for every variable an InitializeVariable declares.
    variables: BTreeMap<String, String>,
}

/// Runs every check, appending diagnostics.
pub fn check(playbook: &Playbook, diags: &mut Vec<Diagnostic>) {
    let all = playbook.actions.walk();
    let actions = all.iter().map(|a| (a.name.to_lowercase(), a.name.clone())).collect();
    let mut variables = BTreeMap::new();
    for action in &all {
        if let Step::Variable(v) = &action.step {
            if v.op == VariableOp::Initialize {
                variables.extend(v.names.iter().map(|n| (n.to_lowercase(), n.clone())));
                if !playbook.actions.actions.iter().any(|top| std::ptr::eq(top, *action)) {
                    let message = format!("`{}` initializes variables inside a container; Logic Apps only allows InitializeVariable at the top level", action.name);
                    diags.push(Diagnostic::error(
                        codes::NESTED_INITIALIZE,
                        &playbook.source.path,
                        Some(action.span),
                        message,
                    ));
                }
            }
        }
    }
    let mut checker = Checker { playbook, diags, actions, variables };
    checker.block(&playbook.actions, &BTreeSet::new(), &[]);
}

impl Checker<'_> {
    fn error(&mut self, code: Code, span: Span, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(code, &self.playbook.source.path, Some(span), message);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        self.diags.push(d);
    }

    fn block(&mut self, block: &Block, outer_before: &BTreeSet<String>, loops: &[Loop]) {
        for action in &block.actions {
            for dep in &action.run_after {
                if block.get(&dep.action).is_none() {
                    // Suggest neither the action itself nor one that runs after it (a cycle).
                    let candidates = block.actions.iter().filter(|other| {
                        !std::ptr::eq(*other, action)
                            && !predecessors(block, other).iter().any(|p| std::ptr::eq(*p, action))
                    });
                    let help = did_you_mean(&dep.action, candidates.map(|a| a.name.as_str()))
                        .map(|n| format!("did you mean `{n}`?"));
                    let message = format!(
                        "`{}` runs after `{}`, which is not an action of the same scope",
                        action.name, dep.action
                    );
                    self.error(codes::RUN_AFTER_UNKNOWN, dep.span, message, help);
                }
            }
        }
        self.cycles(block);
        for action in &block.actions {
            let mut before = outer_before.clone();
            for pred in predecessors(block, action) {
                before.insert(pred.name.to_lowercase());
                before.extend(pred.step.blocks().iter().flat_map(|b| b.walk()).map(|a| a.name.to_lowercase()));
            }
            self.action(action, &before, loops);
        }
    }

    fn action(&mut self, action: &Action, before: &BTreeSet<String>, loops: &[Loop]) {
        match &action.step {
            Step::Until(until) => {
                let mut inside = before.clone();
                inside.extend(until.actions.walk().iter().map(|a| a.name.to_lowercase()));
                let mut with_self = loops.to_vec();
                with_self.push(Loop { name: action.name.clone(), kind: RefKind::Until });
                for input in until.condition.inputs() {
                    self.input(action, input, &inside, &with_self);
                }
            }
            Step::Query(p) | Step::Select(p) => {
                self.input(action, &p.from, before, loops);
                let mut with_item = loops.to_vec();
                with_item.push(Loop { name: String::new(), kind: RefKind::AnyLoop });
                self.input(action, &p.each, before, &with_item);
            }
            Step::Table(t) => {
                self.input(action, &t.from, before, loops);
                let mut with_item = loops.to_vec();
                with_item.push(Loop { name: String::new(), kind: RefKind::AnyLoop });
                for (_, column) in &t.columns {
                    self.input(action, column, before, &with_item);
                }
            }
            step => {
                for input in step.inputs() {
                    self.input(action, input, before, loops);
                }
            }
        }
        if let Step::Variable(v) = &action.step {
            if v.op != VariableOp::Initialize {
                for (i, name) in v.names.iter().enumerate() {
                    if !self.variables.contains_key(&name.to_lowercase()) {
                        let message =
                            format!("`{}` sets variable `{name}`, which no InitializeVariable declares", action.name);
                        let span = v.name_spans.get(i).copied().unwrap_or(action.span);
                        let help = self.variable_help(name);
                        self.error(codes::UNDEFINED_VARIABLE, span, message, help);
                    }
                }
            }
        }
        let mut inner = loops.to_vec();
        match &action.step {
            Step::Foreach(_) => inner.push(Loop { name: action.name.clone(), kind: RefKind::Foreach }),
            Step::Until(_) => inner.push(Loop { name: action.name.clone(), kind: RefKind::Until }),
            _ => {}
        }
        let mut before_children = before.clone();
        if matches!(action.step, Step::Until(_)) {
            // Later iterations read what earlier ones produced.
            before_children.insert(action.name.to_lowercase());
        }
        for child in action.step.blocks() {
            self.block(child, &before_children, &inner);
        }
    }

    fn input(&mut self, action: &Action, input: &Input, before: &BTreeSet<String>, loops: &[Loop]) {
        for r in refs(input) {
            let span = match input.anchor(&r.pointer) {
                Some(anchor) => self.playbook.source.locate(anchor, r.span),
                None => action.span,
            };
            self.reference(action, &r, span, before, loops);
        }
    }

    fn reference(&mut self, action: &Action, r: &Ref, span: Span, before: &BTreeSet<String>, loops: &[Loop]) {
        let lower = r.name.to_lowercase();
        match r.kind {
            RefKind::Action => match self.actions.get(&lower).cloned() {
                None => {
                    let help = did_you_mean(&r.name, self.actions.values().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"));
                    let message = format!("`{}` reads action `{}`, which does not exist", action.name, r.name);
                    self.error(codes::UNKNOWN_ACTION, span, message, help);
                }
                Some(name) if !before.contains(&lower) && lower != action.name.to_lowercase() => {
                    let message = format!("`{}` reads action `{name}`, which does not run before it", action.name);
                    let help = format!(
                        "add `{name}` (or an action after it) to the runAfter of `{}` or of a container around it",
                        action.name
                    );
                    self.error(codes::NOT_BEFORE, span, message, Some(help));
                }
                Some(_) => {}
            },
            RefKind::Foreach | RefKind::Until => {
                let inside = loops.iter().any(|l| l.kind == r.kind && l.name.to_lowercase() == lower);
                if !inside {
                    let (what, function) =
                        if r.kind == RefKind::Foreach { ("Foreach", "items") } else { ("Until", "iterationIndexes") };
                    let message = format!(
                        "{function}('{}') in `{}` is not inside a {what} loop named `{}`",
                        r.name, action.name, r.name
                    );
                    self.error(codes::NOT_IN_LOOP, span, message, None);
                }
            }
            RefKind::AnyLoop => {
                if !loops.iter().any(|l| matches!(l.kind, RefKind::Foreach | RefKind::AnyLoop)) {
                    let message = format!("item() in `{}` is not inside a Foreach loop or a Query/Select", action.name);
                    self.error(codes::NOT_IN_LOOP, span, message, None);
                }
            }
            RefKind::Variable => {
                if !self.variables.contains_key(&lower) {
                    let message =
                        format!("`{}` reads variable `{}`, which no InitializeVariable declares", action.name, r.name);
                    let help = self.variable_help(&r.name);
                    self.error(codes::UNDEFINED_VARIABLE, span, message, help);
                }
            }
        }
    }

    /// "did you mean `Count`?" over the declared variables.
    fn variable_help(&self, name: &str) -> Option<String> {
        did_you_mean(name, self.variables.values().map(String::as_str)).map(|n| format!("did you mean `{n}`?"))
    }

    fn cycles(&mut self, block: &Block) {
        // Kahn's algorithm over the block's own runAfter edges.
        let mut remaining: Vec<&Action> = block.actions.iter().collect();
        let mut done: BTreeSet<String> = BTreeSet::new();
        loop {
            let before = remaining.len();
            remaining.retain(|a| {
                let ready = a.run_after.iter().all(|d| block.get(&d.action).is_none_or(|p| done.contains(&p.name)));
                if ready {
                    done.insert(a.name.clone());
                }
                !ready
            });
            if remaining.is_empty() || remaining.len() == before {
                break;
            }
        }
        for action in remaining {
            let message = format!("`{}` is part of a runAfter cycle and can never run", action.name);
            self.error(codes::RUN_AFTER_CYCLE, action.span, message, None);
        }
    }
}

/// Every action of `block` on a runAfter path into `action` (transitively), without cycles.
pub fn predecessors<'b>(block: &'b Block, action: &Action) -> Vec<&'b Action> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = action.run_after.iter().map(|d| d.action.as_str()).collect();
    let mut out = Vec::new();
    while let Some(name) = stack.pop() {
        let Some(pred) = block.get(name) else { continue };
        if seen.insert(pred.name.as_str()) {
            out.push(pred);
            stack.extend(pred.run_after.iter().map(|d| d.action.as_str()));
        }
    }
    out
}
