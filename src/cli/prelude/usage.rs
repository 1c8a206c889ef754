//! Usage errors the parser cannot word well: a file given the way another command takes it
//! (`validate --rules x`, `playbook list --playbooks x`, `apply x.yaml`), a positional argument
//! a path flag read as one of its values, standard input asked for twice. Each message says
//! what to type instead; all exit 2.
//!
//! When the command line does not parse, it is read again by a lenient parser ([`parser`]): the
//! other commands' spellings added, hidden, and the paths not required, so that they are read
//! rather than rejected with clap's generic tip, then refused by name ([`misplaced`]). Help,
//! completions and the command definitions do not know them.

use anyhow::bail;
use clap::{Arg, ArgAction, ArgMatches, Command};

/// Paths given bare to a command that takes rules with `--rules`.
const BARE_PATHS: &str = "bare_paths";

/// A command that takes its paths as arguments.
struct PathCommand {
    /// The subcommand names, `["rules", "list"]`.
    path: &'static [&'static str],
    /// The id of its paths argument.
    paths: &'static str,
    /// Its path flags that take several values, and so may read a path meant as an argument:
    /// (argument id, spelling).
    lists: &'static [(&'static str, &'static str)],
    /// The flags other commands take such paths with (`--rules`, `--playbooks`, `--dir`), read
    /// hidden and refused by name: (argument id, long name).
    foreign: &'static [(&'static str, &'static str)],
}

/// `--rules`, as `apply` and `explain` take rule files.
const RULES: (&str, &str) = ("misplaced_rules", "rules");
/// `--playbooks`, as `apply`, `validate` and `impact` take playbooks.
const PLAYBOOKS: (&str, &str) = ("misplaced_playbooks", "playbooks");
/// `--dir`, as `playbook run` and `show` look a playbook up.
const DIR: (&str, &str) = ("misplaced_dir", "dir");

const PATH_COMMANDS: [PathCommand; 8] = [
    PathCommand { path: &["validate"], paths: "paths", lists: &[("playbooks", "--playbooks")], foreign: &[RULES] },
    PathCommand { path: &["test"], paths: "paths", lists: &[], foreign: &[RULES] },
    PathCommand { path: &["rules", "list"], paths: "paths", lists: &[], foreign: &[RULES] },
    PathCommand { path: &["import", "sentinel"], paths: "paths", lists: &[], foreign: &[RULES] },
    PathCommand { path: &["export", "sentinel"], paths: "paths", lists: &[], foreign: &[RULES] },
    PathCommand { path: &["playbook", "list"], paths: "paths", lists: &[], foreign: &[PLAYBOOKS, DIR] },
    PathCommand { path: &["connections", "list"], paths: "paths", lists: &[], foreign: &[PLAYBOOKS, DIR] },
    PathCommand { path: &["mocks", "scaffold"], paths: "playbooks", lists: &[], foreign: &[PLAYBOOKS, DIR] },
];
/// The commands that take rules with `--rules`: name, the id of their incidents flag, its spelling.
const RULE_COMMANDS: [(&str, &str, &str); 2] =
    [("apply", "incidents", "--incidents"), ("explain", "incident", "--incident")];

/// The parser of `cli` with the spellings other commands take, hidden: `--rules`,
/// `--playbooks` or `--dir` for the commands that take paths, bare paths for the commands that
/// take `--rules`.
pub fn parser(cli: Command) -> Command {
    let mut cli = cli;
    for PathCommand { path, paths, foreign, .. } in PATH_COMMANDS {
        cli = at(cli, path, &|command| {
            let mut command = command;
            for (id, long) in foreign {
                command = command.arg(Arg::new(*id).long(*long).hide(true).num_args(1..).action(ArgAction::Append));
            }
            // Checked by `misplaced`, which can tell what became of them.
            command.mut_arg(paths, |a| a.required(false))
        });
    }
    for (name, incidents, _) in RULE_COMMANDS {
        cli = cli.mut_subcommand(name, |command| {
            command
                .arg(Arg::new(BARE_PATHS).hide(true).num_args(1..).action(ArgAction::Append))
                .mut_arg("rules", |a| a.required(false).required_unless_present(BARE_PATHS))
                .mut_arg(incidents, |a| a.required(false).required_unless_present(BARE_PATHS))
        });
    }
    cli
}

/// `f` applied to the subcommand at `path`.
fn at(command: Command, path: &[&str], f: &dyn Fn(Command) -> Command) -> Command {
    match path {
        [] => f(command),
        [first, rest @ ..] => command.mut_subcommand(first, |sub| at(sub, rest, f)),
    }
}

/// Refuses a spelling [`parser`] let through, with the command line that works.
pub fn misplaced(matches: &ArgMatches) -> anyhow::Result<()> {
    for PathCommand { path, paths, lists, foreign } in PATH_COMMANDS {
        if let Some(found) = find(matches, path) {
            let (command, paths) = (path.join(" "), strings(found, paths));
            for (id, _) in foreign {
                paths_not_flag(&command, &paths, &strings(found, id))?;
            }
            // `validate --explain CODE` takes no path.
            let explains = found.try_get_one::<String>("explain").ok().flatten().is_some();
            if paths.is_empty() && !explains {
                let values: Vec<(&str, Vec<String>)> =
                    lists.iter().map(|(id, flag)| (*flag, strings(found, id))).collect();
                let flags: Vec<(&str, &[String])> = values.iter().map(|(flag, v)| (*flag, v.as_slice())).collect();
                return Err(missing_positional(&command, "path", "PATH...", &flags));
            }
        }
    }
    for (name, incidents, spelling) in RULE_COMMANDS {
        if let Some(found) = find(matches, &[name]) {
            let given = (spelling, strings(found, incidents));
            rules_not_paths(name, &strings(found, BARE_PATHS), &strings(found, "rules"), (given.0, &given.1))?;
        }
    }
    Ok(())
}

/// The matches of the subcommand at `path`, when it is the one typed.
fn find<'m>(matches: &'m ArgMatches, path: &[&str]) -> Option<&'m ArgMatches> {
    match path {
        [] => Some(matches),
        [first, rest @ ..] => match matches.subcommand() {
            Some((name, sub)) if name == *first => find(sub, rest),
            _ => None,
        },
    }
}

/// The values of `id` as typed; none when it is absent.
fn strings(matches: &ArgMatches, id: &str) -> Vec<String> {
    matches.try_get_many::<String>(id).ok().flatten().map(|v| v.cloned().collect()).unwrap_or_default()
}

/// `validate --rules x`, `playbook list --playbooks x`: the commands that take their paths as
/// arguments refuse another command's path flag with the command line that works.
pub fn paths_not_flag(command: &str, paths: &[String], given: &[String]) -> anyhow::Result<()> {
    if given.is_empty() {
        return Ok(());
    }
    bail!("{command} takes the paths as arguments: sentinel-soar {command} {}", words(paths.iter().chain(given)))
}

/// `apply x.yaml`: the commands that take rules with `--rules` refuse bare paths. Without
/// `--rules` the paths are taken for rules; `incidents` is the incidents flag (`--incidents`)
/// and what it was given.
pub fn rules_not_paths(
    command: &str,
    stray: &[String],
    rules: &[String],
    incidents: (&str, &[String]),
) -> anyhow::Result<()> {
    if stray.is_empty() {
        return Ok(());
    }
    let (flag, given) = incidents;
    if rules.is_empty() {
        let given = if given.is_empty() { "PATH".to_owned() } else { words(given) };
        bail!("{command} takes rules with --rules: sentinel-soar {command} --rules {} {flag} {given}", words(stray));
    }
    bail!(
        "{command} takes every file after a flag, and {} follows none: rules go after --rules, incidents after {flag}",
        words(stray)
    )
}

/// A positional argument that is missing because a path flag read it as one more of its values
/// (`playbook run --mocks m.yaml NAME`): names the flag that took it and the order that works.
/// `flags` are the command's path flags with their values; `what` is what the positional is,
/// `placeholder` how the synopsis writes it.
pub fn missing_positional(command: &str, what: &str, placeholder: &str, flags: &[(&str, &[String])]) -> anyhow::Error {
    // Only a flag that holds more than its own value can have taken the positional.
    let swallowed = flags.iter().find_map(|(flag, values)| match values {
        [own @ .., last] if !own.is_empty() => Some((flag, own, last)),
        _ => None,
    });
    match swallowed {
        Some((flag, own, last)) => anyhow::anyhow!(
            "no {what} given: {flag} read {} as one of its paths (a path flag takes every value up to the next flag); put the {what} first: sentinel-soar {command} {} {flag} {}",
            words([last]),
            words([last]),
            words(own.iter())
        ),
        None => anyhow::anyhow!("{command} needs a {what}: sentinel-soar {command} {placeholder}"),
    }
}

/// Standard input is read once: refuses `-` given to two flags.
pub fn stdin_once(flags: &[(&str, &[String])]) -> anyhow::Result<()> {
    let asking: Vec<&str> =
        flags.iter().filter(|(_, values)| values.iter().any(|v| v == "-")).map(|(f, _)| *f).collect();
    if let [first, second, ..] = asking.as_slice() {
        bail!("standard input can be read once, and both {first} - and {second} - ask for it: give one of them a file");
    }
    Ok(())
}

/// Words for a command line, each quoted for a POSIX shell when it needs to be.
pub fn words<'a>(words: impl IntoIterator<Item = &'a String>) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c);
    let quoted: Vec<String> =
        words
            .into_iter()
            .map(|w| {
                if !w.is_empty() && w.chars().all(safe) {
                    w.clone()
                } else {
                    format!("'{}'", w.replace('\'', r"'\''"))
                }
            })
            .collect();
    quoted.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn words_are_quoted_only_when_a_shell_needs_it() {
        assert_eq!(words(&owned(&["rules/a.yaml", "my rules", "it's", ""])), r"rules/a.yaml 'my rules' 'it'\''s' ''");
    }

    #[test]
    fn bare_paths_are_taken_for_rules_unless_rules_were_given() {
        let (stray, incidents) = (owned(&["rules/"]), owned(&["a.json"]));
        let err = rules_not_paths("apply", &stray, &[], ("--incidents", &incidents)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "apply takes rules with --rules: sentinel-soar apply --rules rules/ --incidents a.json"
        );
        let err = rules_not_paths("explain", &stray, &[], ("--incident", &[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "explain takes rules with --rules: sentinel-soar explain --rules rules/ --incident PATH"
        );
        let err = rules_not_paths("apply", &stray, &incidents, ("--incidents", &[])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "apply takes every file after a flag, and rules/ follows none: rules go after --rules, incidents after --incidents"
        );
        assert!(rules_not_paths("apply", &[], &[], ("--incidents", &[])).is_ok());
    }

    #[test]
    fn the_flag_that_took_the_positional_is_named() {
        let mocks = owned(&["m.yaml", "enrich"]);
        let err = missing_positional("playbook run", "playbook", "NAME|PATH", &[("--mocks", &mocks)]);
        assert_eq!(
            err.to_string(),
            "no playbook given: --mocks read enrich as one of its paths (a path flag takes every value up to the next flag); put the playbook first: sentinel-soar playbook run enrich --mocks m.yaml"
        );
        let one = owned(&["m.yaml"]);
        let err = missing_positional("playbook run", "playbook", "NAME|PATH", &[("--mocks", &one)]);
        assert_eq!(err.to_string(), "playbook run needs a playbook: sentinel-soar playbook run NAME|PATH");
    }

    #[test]
    fn standard_input_is_asked_for_once() {
        let (a, b) = (owned(&["-"]), owned(&["x.json", "-"]));
        assert!(stdin_once(&[("--incidents", &a), ("--previous", &owned(&["p.json"]))]).is_ok());
        assert_eq!(
            stdin_once(&[("--incidents", &a), ("--previous", &b)]).unwrap_err().to_string(),
            "standard input can be read once, and both --incidents - and --previous - ask for it: give one of them a file"
        );
    }
}
