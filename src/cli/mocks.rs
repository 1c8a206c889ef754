//! `sentinel-soar mocks scaffold PLAYBOOK... [--out FILE|DIR]`: a mocks file with one entry
//! per external call of the playbooks, its outputs inferred from how each playbook reads them
//! ([`crate::playbook::infer`]), commented for a person to fill in. Standard output without
//! `--out`; a FILE gets every playbook's entries; a DIR (an existing directory, or a path ending
//! in `/`) gets one `<playbook>.mocks.yaml` per playbook (`-2`, `-3` after a name taken). A file
//! that is not a playbook, or a playbook with errors, is reported and nothing is written; files
//! are written atomically. An existing file is not replaced without `--force` (a scaffold is
//! meant to be edited by hand), and then nothing is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::playbook::infer::{self, scaffold};
use crate::workspace::Expect;

use super::prelude::{load_files_with, write_file, Color, TemplateArgs};
use super::report::{print_diagnostics, Exit};

/// Arguments of `mocks`, as typed.
#[derive(Debug, Args)]
pub struct MocksArgs {
    #[command(subcommand)]
    pub command: MocksCommand,
}

#[derive(Debug, Subcommand)]
pub enum MocksCommand {
    /// Write a mocks file for playbooks: one entry per external call, outputs inferred from how the playbook reads them.
    #[command(
        override_usage = "sentinel-soar mocks scaffold <PLAYBOOK>... [--out <FILE|DIR>] [OPTIONS]",
        after_help = "Exit codes: 0 written, 1 a file is not a playbook or has errors (nothing is written), 2 usage, unreadable input, or a file that exists without --force (nothing is written)."
    )]
    Scaffold(ScaffoldArgs),
}

/// Arguments of `mocks scaffold`, as typed.
#[derive(Debug, Args)]
pub struct ScaffoldArgs {
    /// Playbook files (YAML or Logic Apps JSON), directories or glob patterns.
    #[arg(required = true, value_name = "PLAYBOOK")]
    pub playbooks: Vec<String>,
    /// Where to write: a file (every playbook's entries), or a directory (an existing one, or a
    /// path ending in /) with one <playbook>.mocks.yaml per playbook. Standard output when absent.
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<String>,
    /// Replace files that exist already (without it, a mocks file that exists is refused and
    /// nothing is written: it may hold answers filled in by hand).
    #[arg(long, requires = "out")]
    pub force: bool,
    #[command(flatten)]
    pub templates: TemplateArgs,
}

/// Runs `mocks`.
pub fn run(args: MocksArgs, color: Color) -> anyhow::Result<Exit> {
    match args.command {
        MocksCommand::Scaffold(args) => scaffold_files(args, color),
    }
}

fn scaffold_files(args: ScaffoldArgs, color: Color) -> anyhow::Result<Exit> {
    let mut loaded = load_files_with(&args.playbooks, &args.templates.options(Expect::Playbooks))?;
    print_diagnostics(&mut loaded.diagnostics, &loaded.sources, color);
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        eprintln!("nothing was written: fix the playbook files first");
        return Ok(Exit::Findings);
    }
    let inferences: Vec<infer::Inference> = loaded.playbooks.iter().map(infer::infer).collect();
    let Some(out) = &args.out else {
        let text = scaffold::render(&inferences);
        std::io::stdout().lock().write_all(text.as_bytes()).context("cannot write the mocks")?;
        return Ok(Exit::Success);
    };
    // Every text first, then the files: nothing is written half-way.
    let outputs: Vec<(PathBuf, String)> = if is_dir(out) {
        let mut taken: Vec<String> = Vec::new();
        inferences
            .iter()
            .map(|i| {
                let name = file_name(&i.playbook, &taken);
                taken.push(name.clone());
                (Path::new(out).join(name), scaffold::render(std::slice::from_ref(i)))
            })
            .collect()
    } else {
        vec![(PathBuf::from(out), scaffold::render(&inferences))]
    };
    let existing: Vec<String> =
        outputs.iter().filter(|(p, _)| p.exists()).map(|(p, _)| p.display().to_string()).collect();
    if !args.force && !existing.is_empty() {
        anyhow::bail!(
            "{} exist(s) already and may hold answers filled in by hand: nothing was written; give --force to replace, or another --out",
            existing.join(", ")
        );
    }
    for (path, text) in &outputs {
        write_file(path, text)?;
    }
    let calls: usize = inferences.iter().map(|i| i.calls.len()).sum();
    let written: Vec<String> = outputs.iter().map(|(p, _)| p.display().to_string()).collect();
    eprintln!("{calls} external call(s) of {} playbook(s) scaffolded in {}", inferences.len(), written.join(", "));
    Ok(Exit::Success)
}

/// `<playbook>.mocks.yaml`, characters a file name should not hold as `_`, and `-2`, `-3`, ...
/// after a name already `taken` (two workflows of one name).
fn file_name(playbook: &str, taken: &[String]) -> String {
    let stem: String =
        playbook.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let mut name = format!("{stem}.mocks.yaml");
    let mut n = 1;
    while taken.contains(&name) {
        n += 1;
        name = format!("{stem}-{n}.mocks.yaml");
    }
    name
}

/// True when `out` names a directory: an existing one, or a path ending in a separator.
fn is_dir(out: &str) -> bool {
    Path::new(out).is_dir() || out.ends_with('/') || out.ends_with(std::path::MAIN_SEPARATOR)
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_are_safe_and_distinct() {
        assert_eq!(file_name("Block-AADUser", &[]), "Block-AADUser.mocks.yaml");
        assert_eq!(file_name("a/b [x]", &[]), "a_b__x_.mocks.yaml");
        let taken = vec!["Same.mocks.yaml".to_owned(), "Same-2.mocks.yaml".to_owned()];
        assert_eq!(file_name("Same", &taken), "Same-3.mocks.yaml");
    }
}
