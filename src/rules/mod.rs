//! Automation rules: YAML source -> spanned tree ([`crate::syntax`]) -> file model ([`file`]) ->
//! compiled [`RuleSet`] ([`compile`]) whose conditions ([`condition`]) and actions
//! ([`actions`]) the engine evaluates. Nothing here reads files or prints.

pub mod actions;
pub mod codes;
pub mod compile;
pub mod condition;
pub mod contradiction;
pub mod file;
pub mod operator;
pub mod playbook_refs;
pub mod portal;
pub mod property;
pub mod rule;
pub mod schema;
pub mod suppress;
pub mod view;

pub use compile::{compile, Options};
pub use rule::{Rule, RuleSet, ScopeId, TriggerOn, TriggerWhen};
