//! [`View`]: what conditions read from one incident, looked up once and shared by every rule
//! that runs until one of them changes the incident. Each part (a field, an array, the labels,
//! the entities) is read lazily on first use, so a rule set that only reads titles never walks
//! the entities. The view reads through [`IncidentRead`], so the conditions evaluate the same
//! way on a parsed incident and on a record read in place.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell};

use crate::model::{Entity, IncidentRead};

/// The string fields conditions read, in slot order.
const FIELDS: [&str; 5] = ["title", "description", "severity", "status", "providerName"];
/// The array fields conditions read (last key of the path), in slot order.
const ARRAYS: [&str; 3] = ["tactics", "alertProductNames", "relatedAnalyticRuleIds"];

/// A custom detail: its key and its values.
pub type Detail<'a> = (Cow<'a, str>, Vec<Cow<'a, str>>);

/// A read-only, memoised view of an incident for condition evaluation.
pub struct View<'a> {
    incident: &'a dyn IncidentRead,
    fields: [OnceCell<Option<Cow<'a, str>>>; 5],
    arrays: [OnceCell<Cow<'a, [Cow<'a, str>]>>; 3],
    labels: OnceCell<Vec<Cow<'a, str>>>,
    entities: OnceCell<Cow<'a, [Entity<'a>]>>,
    custom_details: OnceCell<Vec<Detail<'a>>>,
    /// Results of shared leaves (see [`crate::rules::condition::Leaf::shared`]): 0 not yet
    /// known, 1 false, 2 true. Owned by the caller, who clears it when the incident changes.
    shared: &'a [Cell<u8>],
}

/// A result kept in `cell` (0 not yet known, 1 false, 2 true), computed by `eval` the first
/// time: a shared leaf's, or a condition class's (the engine keeps those beside the leaves').
pub fn remembered(cell: Option<&Cell<u8>>, eval: impl FnOnce() -> bool) -> bool {
    match cell.map(Cell::get) {
        Some(1) => false,
        Some(2) => true,
        _ => {
            let result = eval();
            if let Some(cell) = cell {
                cell.set(if result { 2 } else { 1 });
            }
            result
        }
    }
}

/// Borrows a memoised string for as long as the view.
fn borrowed<'a>(text: &'a Cow<'a, str>) -> Cow<'a, str> {
    Cow::Borrowed(text.as_ref())
}

impl<'a> View<'a> {
    pub fn new(incident: &'a dyn IncidentRead) -> View<'a> {
        View::with_shared(incident, &[])
    }

    /// A view that remembers the results of shared leaves in `shared` (one cell per distinct
    /// leaf, all 0 while the incident is as the results were computed on).
    pub fn with_shared(incident: &'a dyn IncidentRead, shared: &'a [Cell<u8>]) -> View<'a> {
        View {
            incident,
            fields: Default::default(),
            arrays: Default::default(),
            labels: OnceCell::new(),
            entities: OnceCell::new(),
            custom_details: OnceCell::new(),
            shared,
        }
    }

    /// The result of shared leaf `index`, computed by `eval` the first time.
    pub fn shared_result(&self, index: usize, eval: impl FnOnce() -> bool) -> bool {
        remembered(self.shared.get(index), eval)
    }

    /// A string field of the properties.
    pub fn field(&'a self, key: &str) -> Option<Cow<'a, str>> {
        match FIELDS.iter().position(|f| *f == key).and_then(|i| self.fields.get(i)) {
            Some(cell) => cell.get_or_init(|| self.incident.field(key)).as_ref().map(borrowed),
            None => self.incident.field(key),
        }
    }

    /// Calls `f` on the strings of an array field until it returns true; the matching one.
    pub fn find_in_array(&'a self, path: &[&str], mut f: impl FnMut(&str) -> bool) -> Option<Cow<'a, str>> {
        let slot = path.last().and_then(|last| ARRAYS.iter().position(|a| a == last)).and_then(|i| self.arrays.get(i));
        match slot {
            Some(cell) => cell.get_or_init(|| self.incident.string_array(path)).iter().find(|v| f(v)).map(borrowed),
            None => self.incident.string_array(path).iter().find(|v| f(v)).map(|v| Cow::Owned(v.to_string())),
        }
    }

    /// Label names.
    pub fn labels(&'a self) -> &'a [Cow<'a, str>] {
        self.labels.get_or_init(|| self.incident.labels())
    }

    /// Every entity.
    pub fn entities(&'a self) -> &'a [Entity<'a>] {
        self.entities.get_or_init(|| self.incident.entities())
    }

    /// Custom details: each key with its values.
    pub fn custom_details(&'a self) -> &'a [Detail<'a>] {
        self.custom_details.get_or_init(|| self.incident.custom_details())
    }
}
