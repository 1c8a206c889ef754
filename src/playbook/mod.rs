//! Playbooks: Logic Apps workflows run offline. [`expr`] is the Workflow Definition Language;
//! [`model`] loads Logic Apps JSON and the YAML surface into one compiled workflow model;
//! [`connectors`] answers connector calls (the built-in Sentinel operations on the incident in
//! hand, everything else from mocks in the static-results shape); [`run`] executes a compiled
//! workflow deterministically on a simulated clock and produces the run log; [`infer`] infers
//! mocks from how a playbook reads its calls' outputs; [`settings`] says who may run playbooks
//! and where; [`schema`] is the JSON Schema of the YAML surface; [`history`] is the run history
//! of a state directory. Nothing here prints or reads the wall clock, and only [`history`]
//! touches files.

pub mod connectors;
pub mod expr;
pub mod history;
pub mod host;
pub mod infer;
pub mod model;
pub mod run;
pub mod schema;
pub mod settings;
