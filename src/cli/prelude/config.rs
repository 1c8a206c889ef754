//! `--config PATH` and `--no-config` (`validate`, `test`, `apply`, `impact`, and for the portal
//! `explain`, `rules list` and `playbook run`): which
//! `sentinel-soar.toml` applies, if any. Without either flag, the one found from the working
//! directory upwards ([`crate::config::find`]); a configuration that cannot be read or has a
//! mistake is a usage error (exit 2) at its line and column. `validate` notes a
//! sentinel-soar.toml that a path it is given holds or lies under but that is not the one in use.
//!
//! Stage: CLI.

use std::path::{Path, PathBuf};

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

    /// The `note:` of `validate` when a sentinel-soar.toml that applies to `paths` as their own
    /// directory's would is not the one in use (`used`): the configuration is found from the
    /// working directory upwards only ([`config::unused_for`]). None when `--config` or
    /// `--no-config` chose.
    pub fn unused_note(&self, paths: &[String], used: Option<&Config>) -> Option<String> {
        if self.no_config || self.config.is_some() {
            return None;
        }
        let cwd = std::env::current_dir().ok()?;
        let paths: Vec<PathBuf> = paths.iter().filter(|p| *p != "-").map(PathBuf::from).collect();
        let unused = config::unused_for(&paths, &cwd, used.map(|c| Path::new(&c.path)));
        let shown: Vec<String> = unused.iter().map(|p| crate::io::path::display(p)).collect();
        let reads = match used {
            Some(c) => format!(", which finds {}", c.path),
            None => " and none is there".to_owned(),
        };
        match shown.as_slice() {
            [] => None,
            [one] => {
                let dir = Path::new(one).parent().map(crate::io::path::display).unwrap_or_else(|| ".".to_owned());
                Some(format!(
                    "note: {one} is not used: the configuration is looked up from the working directory upwards{reads}; run from {dir}, or give --config {one}"
                ))
            }
            many => {
                let listed: Vec<&str> = many.iter().take(3).map(String::as_str).collect();
                let more = if many.len() > 3 { format!(" and {} more", many.len() - 3) } else { String::new() };
                Some(format!(
                    "note: {} sentinel-soar.toml files under the paths are not used ({}{more}): the configuration is looked up from the working directory upwards{reads}; give --config PATH to use one",
                    many.len(),
                    listed.join(", ")
                ))
            }
        }
    }
}
