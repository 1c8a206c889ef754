//! Playbooks: Logic Apps workflows run offline. This stage holds the Workflow Definition
//! Language ([`expr`]), the foundation the playbook runtime (steps, control flow, connectors,
//! run log) builds on. Nothing here reads files, prints, or reads the wall clock.

pub mod expr;
