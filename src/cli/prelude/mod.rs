//! The command-line vocabulary every command shares, in one place (cargo's command prelude):
//! the shared flags ([`args`]), the value parsers of times, `--param` and `--jobs` and the worker count ([`parse`]),
//! the colour choice ([`color`]), `--config`/`--no-config` ([`config`]), the usage errors the
//! parser cannot word ([`usage`]), and the readers of what several commands read: the clock,
//! `--previous`, one incident or alert, one file or standard input, playbooks, mocks and
//! settings, what a rule test file names, and the rules as `--portal` runs them; the progress
//! bar ([`progress`]) and the closing line's count of playbook runs ([`run_counts`]). Commands import
//! from here, never from one another.
//!
//! Stage: CLI.

pub mod args;
pub mod color;
pub mod config;
pub mod histories;
pub mod history;
pub mod incident_file;
pub mod inputs;
pub mod parse;
pub mod playbook_tests;
pub mod playbooks;
pub mod portal;
pub mod progress;
pub mod rule_tests;
pub mod run_counts;
pub mod usage;
pub mod watchlists;

pub use args::{
    EventArgs, PlaybookInputs, PortalArgs, ReportFormat, SentinelArgs, TemplateArgs, Ties, TiesArgs, TriggerArg,
    INFER_MOCKS_HELP,
};
pub use color::{Color, ColorChoice};
pub use config::ConfigArgs;
pub use incident_file::{read_one, read_one_alert};
pub use inputs::{clock, event_for, incident_inputs, load_previous, write_file};
pub use playbooks::{load_catalog, load_files, load_files_with, read_mocks, read_settings};
pub use portal::{adapt_quietly, adapt_rules};
pub use progress::Progress;
pub use run_counts::RunCounts;
pub use watchlists::read_watchlists;
