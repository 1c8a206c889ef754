//! Control-flow steps: [`If`], [`Switch`], [`Foreach`] and [`Until`]. Each holds its nested
//! [`Block`]s; a condition is a [`Predicate`] (the object form, or a single expression string
//! as [`Predicate::Value`]).

use chrono::Duration;

use super::action::Block;
use super::input::Input;
use super::step::Predicate;

/// `If`: `expression`, `actions` (then) and `else.actions`.
#[derive(Debug, Clone, PartialEq)]
pub struct If {
    pub condition: Predicate,
    pub then: Block,
    pub otherwise: Block,
}

/// One `cases` entry of a Switch.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    /// The `case` value (a string or a number, compared strictly with the expression).
    pub value: serde_json::Value,
    pub actions: Block,
}

/// `Switch`: the `expression` value picks the first case equal to it, else `default`.
#[derive(Debug, Clone, PartialEq)]
pub struct Switch {
    pub on: Input,
    pub cases: Vec<Case>,
    pub default: Block,
}

/// `Foreach`: runs `actions` for each item of `foreach`. Iterations run one after another in
/// input order; `concurrency` (from `runtimeConfiguration.concurrency.repetitions`, 1 with
/// `operationOptions: Sequential`, Logic Apps' default of 20 otherwise) only shapes the
/// simulated clock: up to that many iterations overlap in time.
#[derive(Debug, Clone, PartialEq)]
pub struct Foreach {
    pub over: Input,
    pub concurrency: u32,
    pub actions: Block,
}

/// Logic Apps' default degree of parallelism for Foreach.
pub const DEFAULT_CONCURRENCY: u32 = 20;

/// Logic Apps' highest degree of parallelism for Foreach.
pub const MAX_CONCURRENCY: u32 = 50;

/// `Until`: runs `actions`, then stops when the condition holds, after `count` iterations, or
/// once `timeout` of simulated time has passed since the loop began.
#[derive(Debug, Clone, PartialEq)]
pub struct Until {
    pub condition: Predicate,
    pub count: u32,
    pub timeout: Option<Duration>,
    pub actions: Block,
}

/// Logic Apps' highest `limit.count` of an Until loop.
pub const MAX_UNTIL_COUNT: u32 = 5000;
