//! The command-line vocabulary every command shares, in one place (cargo's command prelude):
//! the shared flags ([`args`]), the value parsers of times, `--param` and `--jobs` ([`parse`]),
//! the colour choice ([`color`]), the usage errors the parser cannot word ([`usage`]), and the
//! readers of what several commands read: the clock, `--previous`, one incident or alert, one
//! file or standard input, playbooks, mocks and settings. Commands import from here, never from
//! one another.
//!
//! Stage: CLI.

pub mod args;
pub mod color;
pub mod history;
pub mod incident_file;
pub mod inputs;
pub mod parse;
pub mod playbooks;
pub mod usage;

pub use args::{EventArgs, PlaybookInputs, ReportFormat, SentinelArgs, TriggerArg};
pub use color::{Color, ColorChoice};
pub use incident_file::{read_one, read_one_alert, OneIncidentError};
pub use inputs::{clock, load_previous, write_file};
pub use playbooks::{catalog, load_catalog, load_files, load_files_with, read_mocks, read_playbooks, read_settings};
