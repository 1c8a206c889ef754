//! Reading what several commands read, and writing what several write: the clock, the incident
//! inputs in the order every run takes them, earlier versions of incidents (`--previous`) and
//! the event each incident stands for, one file's text where `-` is standard input, and an
//! output file written atomically.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, SubsecRound, Utc};

use crate::engine::Event;
use crate::io::{self, AtomicFile, InputFile, Source};
use crate::model::{Incident, Update, UpdatedBySource};

use super::TriggerArg;

/// Every record of an input, in memory (small inputs such as `--previous`).
pub use crate::io::read_all;

/// The clock of a run: `--now`, or the wall clock read once and cut to whole seconds, as every
/// time this tool writes.
pub fn clock(now: Option<DateTime<Utc>>) -> DateTime<Utc> {
    now.unwrap_or_else(|| Utc::now().trunc_subsecs(0))
}

/// The incident inputs named by `args` (files, directories, globs, `-`), standard input first,
/// then by name: one order whatever order the paths were given in, so outputs are
/// byte-identical.
pub fn incident_inputs(args: &[String]) -> anyhow::Result<Vec<InputFile>> {
    let mut inputs = io::expand_inputs(args).map_err(|e| anyhow::anyhow!("{e}"))?;
    inputs.sort_by(|a, b| {
        (!matches!(a.source, Source::Stdin), &a.display).cmp(&(!matches!(b.source, Source::Stdin), &b.display))
    });
    Ok(inputs)
}

/// The event an incident stands for: its creation, or (`--trigger updated`) its update from the
/// earlier version of the same name in `previous` (itself when there is none: nothing changed).
pub fn event_for(incident: &Incident, trigger: TriggerArg, previous: &HashMap<String, Incident>) -> Event {
    match trigger {
        TriggerArg::Created => Event::Created,
        TriggerArg::Updated => {
            let before = incident.name().and_then(|n| previous.get(&n.to_lowercase())).unwrap_or(incident);
            Event::Updated(Box::new(Update::between(before, incident, UpdatedBySource::Other)))
        }
    }
}

/// Earlier versions of incidents for `--trigger updated`, by lower-cased name.
pub fn load_previous(args: &[String]) -> anyhow::Result<HashMap<String, Incident>> {
    let mut map = HashMap::new();
    if args.is_empty() {
        return Ok(map);
    }
    for input in io::expand_inputs(args).map_err(|e| anyhow::anyhow!("--previous {e}"))? {
        for value in read_all(&input)? {
            let incident = Incident::from_value(value).map_err(|e| anyhow::anyhow!("{}: {e}", input.display))?;
            if let Some(name) = incident.name() {
                map.insert(name.to_lowercase(), incident.clone());
            }
        }
    }
    Ok(map)
}

/// The label of standard input in messages, as the input layer names it.
pub const STDIN: &str = "<stdin>";

/// How messages name a path given on the command line: `-` is standard input.
pub fn label(path: &str) -> &str {
    if path == "-" {
        STDIN
    } else {
        path
    }
}

/// The bytes of one file, or of standard input for `-`; with the name messages give it.
pub fn read_bytes(path: &str) -> std::io::Result<(String, Vec<u8>)> {
    let mut bytes = Vec::new();
    if path == "-" {
        std::io::stdin().lock().read_to_end(&mut bytes)?;
        return Ok((STDIN.to_owned(), bytes));
    }
    std::fs::File::open(path)?.read_to_end(&mut bytes)?;
    Ok((path.to_owned(), bytes))
}

/// The text of one file, or of standard input for `-`; `what` names it in errors ("settings
/// file"). Returns the name messages give it and the text.
pub fn read_text(path: &str, what: &str) -> anyhow::Result<(String, String)> {
    let (label, bytes) = read_bytes(path).with_context(|| format!("cannot read {what} {path}"))?;
    let binary = crate::io::compress::describe_binary(&bytes);
    let text = String::from_utf8(bytes).with_context(|| match binary {
        Some(binary) => format!("cannot read {what} {label}: it is {binary}, not text"),
        None => format!("cannot read {what} {label}"),
    })?;
    Ok((label, text))
}

/// Writes `text` to `path` atomically, creating its directory.
pub fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create directory {}", parent.display()))?;
    }
    let mut file = AtomicFile::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    file.commit().with_context(|| format!("cannot replace {}", path.display()))
}
