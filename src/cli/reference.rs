//! The command-line reference, generated from the clap definitions: `docs/cli.md` (every
//! command with its `--help` text) and the man pages of `docs/man/` (clap_mangen). Nothing here
//! runs a command: the committed files are this module's output, and a test (`tests/docs.rs`)
//! fails when they differ, so a changed flag cannot leave its documentation behind.
//!
//! Stage: CLI (the definitions of [`super::command`], rendered for readers).

use clap::Command;

/// The width the help texts are wrapped at, whatever the terminal that generates them.
const WIDTH: usize = 100;

/// One man page: its file name (`sentinel-soar-playbook-run.1`) and its roff text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManPage {
    pub file_name: String,
    pub roff: Vec<u8>,
}

/// `docs/cli.md`: a table of the commands, then each command's long help (what `--help`
/// prints, wrapped at 100 columns), in the order `sentinel-soar --help` lists them.
pub fn markdown() -> String {
    let root = built();
    let mut commands = Vec::new();
    collect(&root, &mut commands);
    let mut out = String::from(HEADER);
    out.push_str("| Command | What it does |\n|---|---|\n");
    for command in &commands {
        let name = display(command);
        let about = command.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push_str(&format!("| [`{name}`](#{}) | {} |\n", anchor(&name), about.replace('|', "\\|")));
    }
    for command in &commands {
        let mut command = command.clone();
        let help = command.render_long_help().to_string();
        let help: Vec<&str> = help.lines().map(str::trim_end).collect();
        out.push_str(&format!("\n## `{}`\n\n```text\n{}\n```\n", display(&command), help.join("\n").trim_end()));
    }
    out
}

/// The man pages: `sentinel-soar.1` and one per subcommand (`sentinel-soar-apply.1`,
/// `sentinel-soar-playbook-run.1`, ...), as `clap_mangen::generate_to` would write them.
pub fn man_pages() -> std::io::Result<Vec<ManPage>> {
    let root = built();
    let mut commands = Vec::new();
    collect(&root, &mut commands);
    commands
        .into_iter()
        .map(|command| {
            let source = format!("sentinel-soar {}", command.get_version().unwrap_or_default());
            let man = clap_mangen::Man::new(command.clone()).source(source);
            let mut roff = Vec::new();
            man.render(&mut roff)?;
            Ok(ManPage { file_name: man.get_filename(), roff })
        })
        .collect()
}

const HEADER: &str = "# Command-line reference

<!-- Generated from the clap definitions (src/cli/) by src/cli/reference.rs; `cargo test` checks it.
     After changing a command or a flag, run `cargo test --test it docs::`, which rewrites this
     file and docs/man/. -->

Every command of `sentinel-soar` with its `--help` text, generated from the same definitions the
parser uses. The same text is in the man pages of [man/](man/) (`man ./docs/man/sentinel-soar-apply.1`).
The guide ([README](README.md)) explains the commands by task.

";

/// The command as the binary's help shows it, wrapped at [`WIDTH`] and built (so every
/// subcommand knows its full name).
fn built() -> Command {
    let mut root = fixed_width(super::command());
    root.build();
    root
}

fn fixed_width(command: Command) -> Command {
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    names.iter().fold(command.term_width(WIDTH), |command, name| command.mut_subcommand(name, fixed_width))
}

/// `command` and every visible subcommand below it, depth first, in the order `--help` lists
/// them; the `help` subcommands clap adds are left out (their text is each command's own help).
fn collect(command: &Command, out: &mut Vec<Command>) {
    out.push(command.clone());
    let mut subs: Vec<&Command> =
        command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help").collect();
    subs.sort_by_key(|s| s.get_display_order());
    for sub in subs {
        collect(sub, out);
    }
}

/// `sentinel-soar playbook run`.
fn display(command: &Command) -> String {
    command.get_bin_name().unwrap_or_else(|| command.get_name()).to_owned()
}

/// GitHub's anchor of a heading: lower case, spaces as dashes, punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}
