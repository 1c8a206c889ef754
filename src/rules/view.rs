//! [`View`]: what conditions read from one incident, looked up once and shared by every rule
//! that runs until one of them changes the incident. Each part (a field, an array, the labels,
//! the entities) is read lazily on first use, so a rule set that only reads titles never walks
//! the entities.

use std::cell::{Cell, OnceCell};

use crate::model::incident::EntityRef;
use crate::model::Incident;

/// The string fields conditions read, in slot order.
const FIELDS: [&str; 5] = ["title", "description", "severity", "status", "providerName"];
/// The array fields conditions read (last key of the path), in slot order.
const ARRAYS: [&str; 3] = ["tactics", "alertProductNames", "relatedAnalyticRuleIds"];

/// A read-only, memoised view of an incident for condition evaluation.
pub struct View<'a> {
    pub incident: &'a Incident,
    fields: [OnceCell<Option<&'a str>>; 5],
    arrays: [OnceCell<Vec<&'a str>>; 3],
    labels: OnceCell<Vec<&'a str>>,
    entities: OnceCell<Vec<EntityRef<'a>>>,
    custom_details: OnceCell<Vec<(&'a str, Vec<&'a str>)>>,
    /// Results of shared leaves (see [`crate::rules::condition::Leaf::shared`]): 0 not yet
    /// known, 1 false, 2 true. Owned by the caller, who clears it when the incident changes.
    shared: &'a [Cell<u8>],
}

impl<'a> View<'a> {
    pub fn new(incident: &'a Incident) -> View<'a> {
        View::with_shared(incident, &[])
    }

    /// A view that remembers the results of shared leaves in `shared` (one cell per distinct
    /// leaf, all 0 while the incident is as the results were computed on).
    pub fn with_shared(incident: &'a Incident, shared: &'a [Cell<u8>]) -> View<'a> {
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
        match self.shared.get(index) {
            Some(cell) => match cell.get() {
                1 => false,
                2 => true,
                _ => {
                    let result = eval();
                    cell.set(if result { 2 } else { 1 });
                    result
                }
            },
            None => eval(),
        }
    }

    /// A string field of the properties.
    pub fn field(&self, key: &str) -> Option<&'a str> {
        match FIELDS.iter().position(|f| *f == key).and_then(|i| self.fields.get(i)) {
            Some(cell) => *cell.get_or_init(|| self.incident.field(key)),
            None => self.incident.field(key),
        }
    }

    /// The strings of an array field, by path under the properties.
    pub fn array(&self, path: &[&str]) -> Vec<&'a str> {
        let slot = path.last().and_then(|last| ARRAYS.iter().position(|a| a == last)).and_then(|i| self.arrays.get(i));
        match slot {
            Some(cell) => cell.get_or_init(|| self.incident.string_array(path).collect()).clone(),
            None => self.incident.string_array(path).collect(),
        }
    }

    /// Calls `f` on the strings of an array field until it returns true; the matching one.
    pub fn find_in_array(&self, path: &[&str], mut f: impl FnMut(&str) -> bool) -> Option<&'a str> {
        let slot = path.last().and_then(|last| ARRAYS.iter().position(|a| a == last)).and_then(|i| self.arrays.get(i));
        match slot {
            Some(cell) => {
                cell.get_or_init(|| self.incident.string_array(path).collect()).iter().copied().find(|v| f(v))
            }
            None => self.incident.string_array(path).find(|v| f(v)),
        }
    }

    /// Label names.
    pub fn labels(&self) -> &[&'a str] {
        self.labels.get_or_init(|| self.incident.labels().collect())
    }

    /// Every entity.
    pub fn entities(&self) -> &[EntityRef<'a>] {
        self.entities.get_or_init(|| self.incident.entities().collect())
    }

    /// Custom details: each key with its values.
    pub fn custom_details(&self) -> &[(&'a str, Vec<&'a str>)] {
        self.custom_details.get_or_init(|| self.incident.custom_details().collect())
    }
}
