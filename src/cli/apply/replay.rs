//! `apply --replay PATH...`: replays exports of the SecurityIncident table through the rules
//! ([`crate::engine::replay`]) and writes the final incidents (REST shape: a JSON array, or JSON
//! Lines when `--out` ends in `.jsonl`/`.ndjson`), the audit log of the whole history, or with
//! `--dry-run` the report of every rule that fired on every event.

use std::io::{Read, Write};

use anyhow::{bail, Context};
use serde_json::Value;

use crate::engine::replay::Replayed;
use crate::engine::replay::{replay, Step};
use crate::engine::Options as EngineOptions;
use crate::io::{self, Source};
use crate::rules::RuleSet;
use crate::sentinel::security_incident;

use super::audit;
use super::pipeline::RunCounts;
use super::{ApplyArgs, Exit, Processed};
use crate::cli::dry_run::{self, IncidentReport, Report};
use crate::cli::prelude::write_file;

/// The text of every input named by `args` (files, directories, globs, `-`).
pub fn read_inputs(args: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for input in io::expand_inputs(args).map_err(|e| anyhow::anyhow!("{e}"))? {
        let mut text = String::new();
        match &input.source {
            Source::Stdin => std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?,
            Source::File(p) => std::fs::File::open(p)
                .and_then(|mut f| f.read_to_string(&mut text))
                .with_context(|| format!("cannot read {}", input.display))?,
        };
        out.push((input.display, text));
    }
    Ok(out)
}

/// Writes bytes to a file (atomically) or, for `-` / no path, to standard output.
pub fn write_to(spec: Option<&str>, bytes: &[u8]) -> anyhow::Result<()> {
    match spec {
        Some(path) if path != "-" => write_file(std::path::Path::new(path), &String::from_utf8_lossy(bytes)),
        _ => std::io::stdout().write_all(bytes).context("cannot write to standard output"),
    }
}

fn encode_incidents(out: Option<&str>, incidents: &[Value]) -> anyhow::Result<Vec<u8>> {
    let lines = out.is_some_and(|o| o.ends_with(".jsonl") || o.ends_with(".ndjson"));
    let mut bytes = Vec::new();
    if lines {
        for i in incidents {
            serde_json::to_writer(&mut bytes, i).context("cannot encode an incident")?;
            bytes.push(b'\n');
        }
    } else {
        serde_json::to_writer_pretty(&mut bytes, incidents).context("cannot encode the incidents")?;
        bytes.push(b'\n');
    }
    Ok(bytes)
}

fn report(file: &str, replayed: &Replayed) -> IncidentReport {
    let incident = &replayed.incident;
    let events = &replayed.events;
    IncidentReport::new(
        file,
        Processed {
            incident: incident.clone(),
            changes: events.iter().flat_map(|e| e.changes.iter().cloned()).collect(),
            fired: events.iter().flat_map(|e| e.fired.iter().cloned()).collect(),
            before: None,
            runs: Vec::new(),
        },
    )
}

/// Runs `apply --replay`.
pub fn run(args: &ApplyArgs, rules: &RuleSet) -> anyhow::Result<Exit> {
    if args.audit.as_deref() == Some("-") && !args.dry_run && args.out.as_deref().is_none_or(|o| o == "-") {
        bail!("--audit - and the incidents cannot both go to standard output; give --out or --audit a file");
    }
    let mut rows = Vec::new();
    let mut bad = 0;
    let mut files = Vec::new();
    for (display, text) in read_inputs(&args.replay)? {
        let values = security_incident::rows_of(&text).map_err(|e| anyhow::anyhow!("{display}: {e}"))?;
        for (i, value) in values.iter().enumerate() {
            match security_incident::row(value) {
                Ok(r) => rows.push((r, files.len())),
                Err(e) => {
                    eprintln!("error: {display}: row {}: {e}", i + 1);
                    bad += 1;
                }
            }
        }
        files.push(display);
    }
    let row_count = rows.len();
    let file_of: Vec<(String, usize)> = rows.iter().map(|(r, f)| (r.name.to_lowercase(), *f)).collect();
    let histories = security_incident::histories(rows.into_iter().map(|(r, _)| r).collect());
    let (mut incidents, mut audit_bytes) = (Vec::new(), Vec::new());
    let mut the_report = Report { enabled: args.dry_run, incidents: Vec::new() };
    let (mut events, mut changes) = (0, 0);
    for history in histories {
        let Some(name) = history.first().map(|r| r.name.clone()) else { continue };
        let steps: Vec<Step> = history
            .into_iter()
            .map(|r| Step { source: security_incident::source(&r.modified_by), time: r.time, incident: r.incident })
            .collect();
        let replayed = match replay(rules, &steps, EngineOptions::default()) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(e) => {
                eprintln!("error: incident {name}: {e}");
                bad += 1;
                continue;
            }
        };
        for event in &replayed.events {
            events += 1;
            changes += event.changes.len();
            if args.audit.is_some() {
                audit_bytes.extend(
                    audit::encode(args.audit_format.unwrap_or_default(), Some(&event.before), &event.changes)
                        .map_err(anyhow::Error::msg)?,
                );
            }
        }
        let file = file_of.iter().find(|(n, _)| *n == name.to_lowercase()).and_then(|(_, f)| files.get(*f));
        the_report.push(|| report(file.map_or("", String::as_str), &replayed));
        incidents.push(replayed.incident.into_value());
    }
    if args.dry_run {
        dry_run::print(&the_report, args.report_format(), RunCounts::default())?;
    // replay runs no playbooks
    } else {
        write_to(args.out.as_deref(), &encode_incidents(args.out.as_deref(), &incidents)?)?;
        if let Some(spec) = args.audit.as_deref() {
            write_to(Some(spec), &audit_bytes)?;
        }
        eprintln!(
            "{} incident(s) replayed from {row_count} row(s): {events} event(s), {changes} change(s){}",
            incidents.len(),
            if bad > 0 { format!(", {bad} row(s) could not be read") } else { String::new() }
        );
    }
    Ok(if bad > 0 { Exit::Findings } else { Exit::Success })
}
