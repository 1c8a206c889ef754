//! Opening the run history of a state directory for a command (`playbook run`, `playbook
//! list`, `runs`, `apply --playbooks`), and what is said about it on standard error: once, that
//! the old one-file-per-run layout was moved into the store; files of the old layout that are
//! not records, each time they are seen.

use std::path::Path;

use crate::playbook::history::{Damaged, Migration, Store};

/// The lines a migration has to say (none when there was nothing to move): a note of the runs
/// moved, a warning per moved file that could not be removed. Files that are not records are
/// the caller's to report ([`Migration::damaged`]).
pub fn migration_lines(migration: &Migration) -> Vec<String> {
    let mut lines = Vec::new();
    if migration.moved > 0 {
        lines.push(format!(
            "note: moved {} run(s) from the one-file-per-run history {} into {}; the old files are removed",
            migration.moved,
            migration.from.display(),
            migration.to.display()
        ));
    }
    for (path, error) in &migration.not_removed {
        lines.push(format!("warning: {}: moved into the run history, but cannot be removed: {error}", path.display()));
    }
    lines
}

/// Opens (creating) the history of `state_dir` to record runs; says what a migration did and
/// warns about damaged files of the old layout.
pub fn open(state_dir: &str) -> anyhow::Result<Store> {
    let (store, migration) = Store::open(Path::new(state_dir))?;
    for line in migration_lines(&migration) {
        eprintln!("{line}");
    }
    for damaged in &migration.damaged {
        eprintln!("warning: {damaged}");
    }
    Ok(store)
}

/// Opens the history of `state_dir` to read it, if there is one; says what a migration did.
/// The files of the old layout that are not records come back for the caller to report.
pub fn open_existing(state_dir: &str) -> anyhow::Result<(Option<Store>, Vec<Damaged>)> {
    let Some((store, migration)) = Store::open_existing(Path::new(state_dir))? else {
        return Ok((None, Vec::new()));
    };
    for line in migration_lines(&migration) {
        eprintln!("{line}");
    }
    Ok((Some(store), migration.damaged))
}

/// The note of a command that reads the history of `state_dir` when there is none: the
/// directory does not exist, or nothing was recorded in it.
pub fn no_history_note(state_dir: &str) -> String {
    if Path::new(state_dir).is_dir() {
        format!("note: no run history in {state_dir}: no run was recorded there (`playbook run` and `apply --playbooks` record runs)")
    } else {
        format!("note: no run history in {state_dir}: the directory does not exist (--state-dir)")
    }
}
