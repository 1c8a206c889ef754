//! `--watchlist ALIAS=FILE` (repeatable; `playbook run`, `apply --playbooks`, `test`): the CSV
//! files the Sentinel watchlist operations answer from. Every file is read and checked before
//! anything runs: an unreadable file, a broken row (located `FILE:LINE`) or an alias given
//! twice is an error (exit 2) and nothing runs.
//!
//! Stage: CLI.

use anyhow::{bail, Context};

use crate::playbook::connectors::watchlists::{Watchlist, Watchlists};

/// Reads the watchlists of `--watchlist` pairs.
pub fn read_watchlists(pairs: &[(String, String)]) -> anyhow::Result<Watchlists> {
    let mut out = Watchlists::default();
    for (alias, path) in pairs {
        if let Some(earlier) = out.get(alias) {
            bail!("--watchlist {alias} is given twice ({} and {path}): give each alias once", earlier.source);
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read watchlist file {path}"))?;
        let watchlist = Watchlist::from_csv(alias, path, &text)
            .map_err(|e| anyhow::anyhow!("{path}:{}: {} (watchlist {alias}); nothing was run", e.line, e.message))?;
        out.insert(watchlist);
    }
    Ok(out)
}
