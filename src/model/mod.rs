//! The domain in Sentinel's words: a typed view over an incident's JSON that keeps unknown
//! fields and key order ([`Incident`]), its entities, and the closed enums of the incident
//! resource (severity, status, classification, reason) as the REST API spells them.
//!
//! Stage: model. Nothing here knows about rules, files or terminals.

pub mod alert;
pub mod carry;
pub mod enums;
pub mod incident;
pub mod owner;
pub mod time;
pub mod update;

pub use alert::Alert;
pub use enums::{Classification, ClassificationReason, Severity, Status, UpdatedBySource};
pub use incident::{Incident, IncidentError};
pub use owner::Owner;
pub use update::Update;
