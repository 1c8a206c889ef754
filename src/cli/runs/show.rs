//! `runs show ID`: one run's log as `playbook run` printed it (a tree, or `--format json`), by
//! run id or a unique prefix of one; with `--as-test DIR`, a test that replays it ([`super::as_test`]).

use std::io::Write;

use anyhow::{bail, Context};

use crate::playbook::history::{Damaged, Found, Listed};

use super::{as_test, ShowArgs};
use crate::cli::playbook::tree;
use crate::cli::prelude::{history, Color, ReportFormat};
use crate::cli::report::Exit;

/// Matching ids listed when an id is ambiguous; the rest are counted.
const LISTED: usize = 10;

pub fn run(args: ShowArgs, color: Color) -> anyhow::Result<Exit> {
    let (store, damaged) = history::open_existing(&args.state_dir)?;
    // Damaged files that may be the run asked for are named in the answer, not warned about.
    let (suspects, others): (Vec<Damaged>, Vec<Damaged>) =
        damaged.into_iter().partition(|d| d.run_id().is_some_and(|id| id.to_ascii_uppercase().starts_with(&args.id)));
    for d in others {
        eprintln!("warning: {d}");
    }
    let found = match &store {
        Some(store) => store.find(&args.id, LISTED)?,
        None => Found { first: Vec::new(), total: 0 },
    };
    let record = match (found.total, found.first.as_slice(), suspects.as_slice(), &store) {
        (0, _, [], _) => bail!("no run {} in {}", args.id, args.state_dir),
        (0, _, [d], _) => bail!("run {} is damaged: {}", d.run_id().unwrap_or(&args.id), d.located()),
        (1, [run], [], Some(store)) => store.record(&run.key)?,
        (n, first, _, _) => bail!("{}", ambiguous(&args.id, first, &suspects, n + suspects.len())),
    };
    let Some(record) = record else { bail!("no run {} in {}", args.id, args.state_dir) };
    if let Some(dir) = &args.as_test {
        return as_test::write(&record, dir, args.force, color);
    }
    let mut out = std::io::stdout().lock();
    if args.format == ReportFormat::Json {
        let doc = serde_json::json!({"run": record.run, "changes": record.changes});
        serde_json::to_writer_pretty(&mut out, &doc).context("cannot write the run")?;
        writeln!(out).context("cannot write the run")?;
        return Ok(Exit::Success);
    }
    out.write_all(tree::render(&record.run, &record.changes).as_bytes()).context("cannot write the run")?;
    Ok(Exit::Success)
}

/// `ID matches N runs; give more of the id:` and the first [`LISTED`] of them, one a line (id,
/// playbook and start, or the damaged file), then `and N more`.
fn ambiguous(id: &str, found: &[Listed], damaged: &[Damaged], total: usize) -> String {
    let good = found.iter().map(|r| format!("{}  {}  {}", r.run_id, r.playbook, r.start_time));
    let bad = damaged.iter().map(|d| format!("{}  damaged: {}", d.run_id().unwrap_or_default(), d.path.display()));
    let mut text = format!("{id} matches {total} runs; give more of the id:");
    for line in good.chain(bad).take(LISTED) {
        text.push_str(&format!("\n  {line}"));
    }
    if total > LISTED {
        text.push_str(&format!("\n  and {} more", total - LISTED));
    }
    text
}
