//! `runs prune --before TIME`: removes the runs that started before a time and gives their
//! space back; says how many went and how many are kept.

use crate::model::time::stamp;

use super::PruneArgs;
use crate::cli::prelude::history;
use crate::cli::report::Exit;

pub fn run(args: PruneArgs) -> anyhow::Result<Exit> {
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
        None => (0, 0),
    };
    println!("removed {removed} run(s) that started before {before}; {kept} run(s) kept");
    Ok(Exit::Success)
}
