//! ARM templates, as both Sentinel's rule formats ([`crate::sentinel`]) and Logic Apps
//! playbooks ([`crate::playbook`]) meet them: which resources a template deploys
//! ([`resources`]), its parameters and variables and the string values resolved against them
//! ([`template`]), and the template expression language: [`expr`] (string values, parsing
//! through the shared front end [`crate::expr`], evaluation), [`table`] (the function names
//! resolved against), [`functions`] (what they do) and [`hash`] (`uniqueString()`, `guid()`).
//!
//! Stage: file formats, below `sentinel` and `playbook` (it imports neither's internals); no
//! I/O, no printing. It reads the spanned tree of [`crate::syntax`] and reports with the
//! registry's SJ codes.

pub mod expr;
pub mod functions;
pub mod hash;
pub mod placeholder;
pub mod resources;
pub mod table;
pub mod template;

pub use expr::{EvalError, Evaluated, Scope, StringValue};
pub use resources::is_template;
pub use table::ArmFunction;
pub use template::{Resolved, Template};
