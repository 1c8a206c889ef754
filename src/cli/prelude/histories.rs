//! `--replay PATH...` (`apply`, `impact`): exports of the SecurityIncident table (JSON or JSON
//! Lines, one row per modification) read into each incident's history, ready to replay. An
//! incident's rows are spread over the export, so every row is read first.
//!
//! Stage: CLI (reading inputs).

use std::collections::HashMap;

use crate::engine::replay::Step;
use crate::io;
use crate::sentinel::security_incident;

/// The text of every input named by `args` (files, directories, globs, `-`).
pub fn read_texts(args: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for input in io::expand_inputs(args).map_err(|e| anyhow::anyhow!("{e}"))? {
        let text = io::read_text(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
        out.push((input.display, text));
    }
    Ok(out)
}

/// One incident's history, ready to replay.
pub struct History {
    pub name: String,
    /// The file of its first row.
    pub file: String,
    pub steps: Vec<Step>,
}

/// Every incident's history in the exports, in order of first appearance; rows that cannot be
/// read are reported and counted in `bad`. Also the number of rows read.
pub fn read_histories(paths: &[String], bad: &mut usize) -> anyhow::Result<(Vec<History>, usize)> {
    let mut rows = Vec::new();
    let mut files = Vec::new();
    for (display, text) in read_texts(paths)? {
        let values = security_incident::rows_of(&text).map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        for (i, value) in values.iter().enumerate() {
            match security_incident::row(value) {
                Ok(r) => rows.push((r, files.len())),
                Err(e) => {
                    eprintln!("error: {display}: row {}: {e}", i + 1);
                    *bad += 1;
                }
            }
        }
        files.push(display);
    }
    let count = rows.len();
    let mut file_of: HashMap<String, usize> = HashMap::new();
    for (row, file) in &rows {
        file_of.entry(row.name.to_lowercase()).or_insert(*file);
    }
    let histories = security_incident::histories(rows.into_iter().map(|(r, _)| r).collect());
    let histories = histories
        .into_iter()
        .filter_map(|history| {
            let name = history.first()?.name.clone();
            let file = file_of.get(&name.to_lowercase()).and_then(|f| files.get(*f)).cloned().unwrap_or_default();
            let steps = history
                .into_iter()
                .map(|r| Step { source: security_incident::source(&r.modified_by), time: r.time, incident: r.incident })
                .collect();
            Some(History { name, file, steps })
        })
        .collect();
    Ok((histories, count))
}
