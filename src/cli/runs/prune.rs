//! `runs prune --before TIME`: removes the runs that started before a time and gives their
//! space back; says how many went and how many are kept.

use crate::model::time::stamp;

use super::PruneArgs;
use crate::cli::prelude::history;
use crate::cli::report::Exit;

pub fn run(args: PruneArgs) -> anyhow::Result<Exit> {
    if !std::path::Path::new(&args.state_dir).exists() {
        anyhow::bail!("no run history in {}: the directory does not exist (--state-dir)", args.state_dir);
    }
    let (store, damaged) = history::open_existing(&args.state_dir)?;
    for d in damaged {
        eprintln!("warning: {d}");
    }
    let before = stamp(args.before);
    let (removed, kept) = match store {
        Some(mut store) => {
            let removed = store.prune(args.before)?;
            (removed, store.total()?)
        }
        None => {
            eprintln!("{}", history::no_history_note(&args.state_dir));
            (0, 0)
        }
    };
    println!("removed {removed} run(s) that started before {before}; {kept} run(s) kept");
    Ok(Exit::Success)
}
