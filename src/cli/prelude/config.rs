//! `--config PATH` and `--no-config` (`validate`, `test`, `apply`, `impact`, and for the portal
//! `explain`, `rules list` and `playbook run`): which
//! `sentinel-soar.toml` applies, if any. Without either flag, the one found from the working
//! directory upwards ([`crate::config::find`]); a configuration that cannot be read or has a
//! mistake is a usage error (exit 2) at its line and column.
//!
//! Stage: CLI.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::config::{self, Config};

/// `--config` and `--no-config`.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// The configuration file to use instead of the sentinel-soar.toml found from the working
    /// directory upwards (up to the repository root).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Read no sentinel-soar.toml.
    #[arg(long)]
    pub no_config: bool,
}

impl ConfigArgs {
    /// The configuration that applies: `--config`, else the one found, else none.
    pub fn load(&self) -> anyhow::Result<Option<Config>> {
        if self.no_config {
            return Ok(None);
        }
        let path = match &self.config {
            Some(path) => path.clone(),
            None => {
                let cwd = std::env::current_dir().context("cannot read the working directory")?;
                match config::find(&cwd) {
                    Some(path) => path,
                    None => return Ok(None),
                }
            }
        };
        Ok(Some(config::load(&path)?))
    }
}
