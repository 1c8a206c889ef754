//! sentinel-soar: Microsoft Sentinel's SOAR layer (automation rules and playbooks) as an offline,
//! deterministic library. The binary in `main.rs` is a thin shell over [`cli::run`].
//!
//! Stages, in dependency order (imports point down this list):
//! - [`cli`]: clap definitions and one file per command; the only place that prints.
//! - [`workspace`]: the input files of a run: what each is (decided once), read once, decoded by
//!   its kind; content repositories, parameter files and cross-references.
//! - [`batch`]: the one streaming pipeline every command walking many incidents goes through
//!   (reader, windows on the workers, ordered writer, rejects); the per-record step and sink are
//!   its parameters.
//! - [`impact`]: the impact of a rule change: two rule sets on the same incident, what differs
//!   between the outcomes, and the totals by field and by rule in words.
//! - [`ruletest`]: rule test files (SPEC 1.4): decode, run against the engine, report.
//! - [`engine`]: pure: a compiled rule set + an event + a clock -> the new incident and changes.
//! - [`sentinel`]: Sentinel's own formats (automation rule JSON and ARM templates decoded into the
//!   rule file model, YAML import, ARM export, SecurityIncident rows).
//! - [`rules`]: rule files (spanned YAML -> file model -> compiled form) and condition evaluation.
//! - [`arm`]: ARM templates (parameters, variables, expressions, resource discovery), used by
//!   Sentinel's rule formats and by Logic Apps playbooks alike.
//! - [`model`]: the domain in Sentinel's words (incident view, entities, enums).
//! - [`config`]: `sentinel-soar.toml` (found from the working directory upwards, its JSON
//!   Schema) and the suppressions it and inline comments make.
//! - [`expr`]: the one expression front end (lexer, parser, spans, name resolution) of ARM
//!   template expressions and the Workflow Definition Language.
//! - [`io`] and [`diagnostic`]: leaves used from above (formats, streaming, atomic writes;
//!   diagnostics rendered for humans and tools).
//! - [`syntax`]: the bottom layer: `Span`, the spanned tree YAML and JSON parse into, and the
//!   one decoder every file kind is read through.
#![forbid(unsafe_code)]

pub mod arm;
pub mod batch;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod expr;
pub mod impact;
pub mod io;
pub mod model;
pub mod playbook;
pub mod rules;
pub mod ruletest;
pub mod sentinel;
pub mod syntax;
pub mod workspace;
