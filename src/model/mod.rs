//! The domain in Sentinel's words: a typed view over an incident's JSON that keeps unknown
//! fields and key order ([`Incident`]), its entities, and the closed enums of the incident
//! resource (severity, status, classification, reason) as the REST API spells them; the audit
//! record of a change ([`Change`]), how a playbook run ended ([`RunStatus`]), and the portal
//! whose documented behaviour applies ([`Portal`]).
//!
//! Stage: model. Nothing here knows about rules, files or terminals.

pub mod alert;
pub mod carry;
pub mod change;
pub mod enums;
pub mod incident;
pub mod owner;
pub mod portal;
pub mod raw;
pub mod run_status;
pub mod target;
pub mod time;
pub mod update;

pub use alert::Alert;
pub use change::{Change, ChangeSource};
pub use enums::{Classification, ClassificationReason, Severity, Status, UpdatedBySource};
pub use incident::{Incident, IncidentError};
pub use owner::Owner;
pub use portal::Portal;
pub use raw::RawIncident;
pub use run_status::RunStatus;
pub use target::{Entity, IncidentEdit, IncidentRead};
pub use update::Update;
