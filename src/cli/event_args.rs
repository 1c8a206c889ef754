//! Arguments shared by the commands that run rules on incidents (`apply`, `explain`): the
//! simulated clock and the trigger event.

use clap::{Args, ValueEnum};

/// Which trigger event the incidents represent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TriggerArg {
    /// Incidents were just created: created rules run, then updated rules on their changes.
    Created,
    /// Incidents were updated (compare with --previous to know what changed).
    Updated,
}

/// `--now`, `--trigger` and `--previous`.
#[derive(Debug, Args)]
pub struct EventArgs {
    /// The simulated clock (RFC 3339); it decides which rules have expired. Without it, the
    /// wall clock is read once at start.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The event the incidents represent.
    #[arg(long, value_enum, default_value_t = TriggerArg::Created)]
    pub trigger: TriggerArg,
    /// Earlier versions of the incidents (any incident format), matched by name, for
    /// --trigger updated: what changed between them feeds `changed` and `added` conditions.
    #[arg(long, value_name = "PATH")]
    pub previous: Vec<String>,
}
