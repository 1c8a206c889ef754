//! The generated references must equal what the code renders now: docs/cli.md and docs/man/
//! from the clap definitions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use sentinel_soar::cli::reference;

use crate::common::root;

/// Writes `generated` over `path` when they differ, so that running the test again passes and
/// `git diff` shows the change; returns whether they differed.
fn regenerate(path: &Path, generated: &[u8]) -> bool {
    let committed = std::fs::read(path).unwrap_or_default();
    if committed == generated {
        return false;
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, generated).unwrap();
    true
}

#[test]
fn docs_cli_md_is_the_clap_rendering() {
    if regenerate(&root().join("docs/cli.md"), reference::markdown().as_bytes()) {
        panic!(
            "docs/cli.md did not match the clap definitions (a command, flag or help text changed); \
             it has been regenerated: review it with `git diff docs/cli.md` and commit it \
             (`cargo test --test it docs::` regenerates docs/cli.md and docs/man/)"
        );
    }
}

#[test]
fn man_pages_are_the_clap_rendering() {
    let dir = root().join("docs/man");
    let pages = reference::man_pages().unwrap();
    let mut changed: Vec<String> = pages
        .iter()
        .filter(|page| regenerate(&dir.join(&page.file_name), &page.roff))
        .map(|page| page.file_name.clone())
        .collect();
    // A page whose command is gone goes too.
    let names: Vec<&str> = pages.iter().map(|p| p.file_name.as_str()).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !names.contains(&name.as_str()) {
            std::fs::remove_file(dir.join(&name)).unwrap();
            changed.push(format!("{name} (removed)"));
        }
    }
    assert!(
        changed.is_empty(),
        "docs/man/ did not match the clap definitions: {} regenerated; review them with \
         `git status docs/man` and commit them (`cargo test --test it docs::` regenerates \
         docs/cli.md and docs/man/)",
        changed.join(", ")
    );
}
