//! The compiled workflow's skeleton: [`Action`]s in [`Block`]s (the actions of a workflow, of
//! a container or of a branch), their `runAfter` [`Dependency`]s and the [`Status`] values
//! Logic Apps gives action results. What each action does is its [`Step`].

use std::fmt;

use serde::Serialize;

use crate::syntax::Span;

use super::step::Step;

/// The status of an action result, as Logic Apps names it (and as `runAfter` lists it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub enum Status {
    #[default]
    Succeeded,
    Failed,
    Skipped,
    TimedOut,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Succeeded, Status::Failed, Status::Skipped, Status::TimedOut];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
            Status::Skipped => "Skipped",
            Status::TimedOut => "TimedOut",
        }
    }

    /// Parses a status case-insensitively (templates write `Succeeded`, some `succeeded`).
    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Failed and TimedOut: results that fail a scope unless something handles them.
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Failed | Status::TimedOut)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A set of statuses (a `runAfter` entry's allowed list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct StatusSet(u8);

impl StatusSet {
    /// `[Succeeded]`, what a step without a `runAfter` status list waits for.
    pub const SUCCEEDED: StatusSet = StatusSet(1);

    pub fn insert(&mut self, status: Status) {
        self.0 |= status.bit();
    }

    pub fn contains(self, status: Status) -> bool {
        self.0 & status.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = Status> {
        Status::ALL.into_iter().filter(move |s| self.contains(*s))
    }
}

impl FromIterator<Status> for StatusSet {
    fn from_iter<I: IntoIterator<Item = Status>>(iter: I) -> StatusSet {
        let mut set = StatusSet::default();
        iter.into_iter().for_each(|s| set.insert(s));
        set
    }
}

impl fmt::Display for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Status::as_str).collect();
        write!(f, "{}", names.join(", "))
    }
}

/// One `runAfter` entry: run after the sibling `action` has finished with one of `statuses`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub action: String,
    pub statuses: StatusSet,
    pub span: Span,
}

/// An action: its name (unique in the workflow), type as written, behaviour and schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub name: String,
    /// The `type` as written (`ApiConnection`, `wait`, ...), for the run log.
    pub type_name: String,
    pub step: Step,
    pub run_after: Vec<Dependency>,
    /// Where the action is declared (its key, or its YAML list item).
    pub span: Span,
    /// `runtimeConfiguration.staticResult`: the static result's name and whether it is
    /// enabled.
    pub static_result: Option<(String, bool)>,
    /// `runtimeConfiguration.secureData.properties`: redact inputs / outputs in the run log.
    pub secure_inputs: bool,
    pub secure_outputs: bool,
}

/// The actions of one scope, in definition order (the order ready actions run in).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    pub actions: Vec<Action>,
}

impl Block {
    /// The action named `name` in this block (not nested ones), exact name first, then
    /// ignoring case.
    pub fn get(&self, name: &str) -> Option<&Action> {
        self.actions
            .iter()
            .find(|a| a.name == name)
            .or_else(|| self.actions.iter().find(|a| a.name.eq_ignore_ascii_case(name)))
    }

    /// The actions in the order a run takes them: repeatedly the first one, in definition
    /// order, whose `runAfter` actions of this block have all come (as
    /// [`crate::playbook::run`] runs a block, whatever their statuses); actions left in a cycle
    /// last, in definition order.
    pub fn in_run_order(&self) -> Vec<&Action> {
        let mut pending: Vec<&Action> = self.actions.iter().collect();
        let mut out: Vec<&Action> = Vec::with_capacity(pending.len());
        loop {
            let ready = pending.iter().position(|a| {
                a.run_after.iter().all(|d| match self.get(&d.action) {
                    Some(before) => out.iter().any(|o| std::ptr::eq(*o, before)),
                    None => true,
                })
            });
            match ready {
                Some(i) => out.push(pending.remove(i)),
                None => break,
            }
        }
        out.extend(pending);
        out
    }

    /// Every action of this block and of the blocks nested in it, depth first.
    pub fn walk(&self) -> Vec<&Action> {
        let mut out = Vec::new();
        for action in &self.actions {
            out.push(action);
            for child in action.step.blocks() {
                out.extend(child.walk());
            }
        }
        out
    }
}
