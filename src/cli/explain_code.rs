//! `sentinel-soar validate --explain CODE` (like `rustc --explain`): prints a diagnostic code's
//! id, severity, summary and explanation from the code registry ([`crate::diagnostic::code`]).
//! Ids match ignoring case; an unknown one is a usage error (exit 2) naming the closest id, or
//! the ranges of ids there are.

use std::io::Write;

use anyhow::Context;

use crate::diagnostic::{code, did_you_mean, Code};

use super::report::Exit;

/// Prints the entry of the code `id`.
pub fn run(id: &str) -> anyhow::Result<Exit> {
    let Some(code) = Code::from_id(id) else {
        if let Some(near) = did_you_mean(id.trim(), Code::ALL.iter().map(|c| c.id())) {
            anyhow::bail!("unknown code `{id}`; did you mean `{near}`?");
        }
        let ranges: Vec<String> = code::Family::ALL
            .iter()
            .filter_map(|f| Some(format!("{}-{}", f.codes().next()?, f.codes().last()?)))
            .collect();
        anyhow::bail!("unknown code `{id}`: codes are {} (docs/codes.md lists them)", ranges.join(", "));
    };
    let mut out = std::io::stdout().lock();
    out.write_all(code::explain(code).as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")?;
    Ok(Exit::Success)
}
