//! Documentation that cannot go stale: every ```console block of README.md and docs/*.md runs
//! here (trycmd, as clap and typos do) and must print what the page shows; the generated
//! references (docs/cli.md and docs/man/ from the clap definitions) must equal what the code
//! renders now.
//!
//! A console block is a shell session: `$ sentinel-soar ARGS` (continued on lines starting with
//! `> `; a trailing `\` is dropped), then the output, standard error merged into standard
//! output, then an empty line before the closing fence. `? 1` after the command expects that exit
//! status (0 otherwise). `...` on a line of its own skips lines, `[..]` skips within a line. The
//! commands run from the crate root (so `examples/...` resolves) with the binary built by this
//! `cargo test`; they write nothing (`-` or `/dev/null`, `--no-history`), and pass `--now`
//! wherever the wall clock would show. A failure names the file and the line of its `$`:
//! `Testing docs/batch.md:42 ... failed`. `TRYCMD=overwrite cargo test --test it docs::`
//! rewrites the outputs in place (read the diff: it keeps `...` only where it still matches).
//! Blocks that are not meant to run use another fence language (`sh`, `yaml`, `text`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use sentinel_soar::cli::reference;

use crate::common::root;

/// The pages whose console blocks run: the README and every page of the guide.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![PathBuf::from("README.md")];
    let mut guide: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.strip_prefix(root()).unwrap().to_path_buf())
        .collect();
    guide.sort();
    pages.extend(guide);
    pages
}

/// The fenced blocks of a page: (line of the opening fence, info string, indented).
fn fences(text: &str) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    let mut open = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if !open {
                out.push((i + 1, info.trim().to_owned(), trimmed.len() < line.len()));
            }
            open = !open;
        }
    }
    out
}

#[test]
fn console_examples_print_what_the_docs_show() {
    // The crate root, where cargo runs integration tests: the pages' paths are relative to it.
    assert_eq!(std::env::current_dir().unwrap().canonicalize().unwrap(), root().canonicalize().unwrap());
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("sentinel-soar", Path::new(env!("CARGO_BIN_EXE_sentinel-soar")))
        // What a reader's shell has: no colour in a pipe anyway; help wrapped at 100 columns.
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1");
    for page in pages() {
        cases.case(page);
    }
    cases.run();
}

/// A fence without a language would be run as a console block by trycmd: every block says what
/// it is. trycmd does not see an indented fence (in a list item), so a console block starts at
/// the margin.
#[test]
fn every_block_in_the_docs_names_its_language() {
    for page in pages() {
        let text = std::fs::read_to_string(root().join(&page)).unwrap();
        for (line, info, indented) in fences(&text) {
            let page = page.display();
            assert!(!info.is_empty(), "{page}:{line}: a ``` block without a language (console, sh, yaml, json, text)");
            assert!(!(indented && info == "console"), "{page}:{line}: an indented console block would not run");
        }
    }
}

/// The README's two commands, which CI and reviewers look for, stay as they are.
#[test]
fn readme_keeps_the_two_commands() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for command in [
        "cargo run --release -- apply --rules examples/rules --incidents examples/incidents --now 2026-06-01T00:00:00Z --dry-run",
        "cargo test --locked",
    ] {
        assert!(readme.lines().any(|l| l.trim() == command), "README.md lost the line `{command}`");
    }
}

/// GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as dashes.
fn anchors(text: &str) -> Vec<String> {
    let mut in_block = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_block = !in_block;
        } else if let (false, Some(heading)) = (in_block, line.strip_prefix('#')) {
            let heading = heading.trim_start_matches('#').trim();
            out.push(
                heading
                    .chars()
                    .filter_map(|c| match c {
                        ' ' => Some('-'),
                        c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
                        _ => None,
                    })
                    .collect(),
            );
        }
    }
    out
}

/// Every relative link of the README and the guide points at a file that exists, and an
/// `#anchor` into a page at one of its headings.
#[test]
fn relative_links_in_the_docs_resolve() {
    let link = regex::Regex::new(r"\]\(([^)#\s]*)(?:#([^)\s]*))?\)").unwrap();
    for page in pages() {
        let text = std::fs::read_to_string(root().join(&page)).unwrap();
        let dir = root().join(&page).parent().unwrap().to_path_buf();
        for cap in link.captures_iter(&text) {
            let target = &cap[1];
            if target.contains("://") {
                continue;
            }
            let file = if target.is_empty() { root().join(&page) } else { dir.join(target) };
            assert!(file.exists(), "{}: link to `{target}`, which does not exist", page.display());
            if let Some(anchor) = cap.get(2) {
                let headings = anchors(&std::fs::read_to_string(&file).unwrap());
                assert!(
                    headings.iter().any(|h| h == anchor.as_str()),
                    "{}: link to `{target}#{}`, which has no such heading",
                    page.display(),
                    anchor.as_str()
                );
            }
        }
    }
}

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

/// The paths under `src/` (directories with a trailing `/`), sorted.
fn source_tree(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() {
            out.push(format!("{prefix}{name}/"));
            source_tree(&entry.path(), &format!("{prefix}{name}/"), out);
        } else if name.ends_with(".rs") {
            out.push(format!("{prefix}{name}"));
        }
    }
}

/// The paths the tree of docs/layout.md names: its first ```text block, two spaces of indent
/// per level under `src/`.
fn layout_tree(text: &str) -> Vec<String> {
    let block = text.split("```text\n").nth(1).unwrap().split("```").next().unwrap();
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in block.lines().skip(1) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let name = line.split_whitespace().next().unwrap();
        assert!(depth >= 1 && depth <= stack.len() + 1, "docs/layout.md: bad indentation at `{line}`");
        stack.truncate(depth - 1);
        let path = format!("{}{name}", stack.concat());
        if name.ends_with('/') {
            stack.push(name.to_owned());
        }
        out.push(path);
    }
    out
}

/// docs/layout.md has one line per module: every file and directory of `src/`, and nothing that
/// is gone.
#[test]
fn layout_md_lists_every_module() {
    let mut actual = Vec::new();
    source_tree(&root().join("src"), "", &mut actual);
    actual.sort();
    let text = std::fs::read_to_string(root().join("docs/layout.md")).unwrap();
    let mut listed = layout_tree(&text);
    listed.sort();
    let missing: Vec<&String> = actual.iter().filter(|p| !listed.contains(p)).collect();
    let gone: Vec<&String> = listed.iter().filter(|p| !actual.contains(p)).collect();
    assert!(
        missing.is_empty() && gone.is_empty(),
        "docs/layout.md and src/ differ: add a line (path and what it is) for {missing:?}; remove {gone:?}"
    );
}
