//! `sentinel-soar completions SHELL`: a completion script for each shell clap_complete knows,
//! naming the commands; an unknown shell is a usage error (exit 2) from clap.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use crate::common;

use common::run_args;

#[test]
fn bash_completion_names_the_commands() {
    let (code, stdout, stderr) = run_args(&["completions", "bash"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("complete -F _sentinel__soar"), "{stdout}");
    for command in ["apply", "validate", "playbook", "schema", "completions"] {
        assert!(stdout.contains(&format!("sentinel__soar,{command})")), "no `{command}` in the bash script");
    }
    // Subcommands and options of nested commands are known too.
    assert!(stdout.contains("sentinel__soar__subcmd__playbook,run)"), "{stdout}");
    assert!(stdout.contains("--strict-mocks"), "{stdout}");
}

#[test]
fn every_shell_gets_a_script() {
    for (shell, marker) in [
        ("bash", "_sentinel__soar()"),
        ("zsh", "#compdef sentinel-soar"),
        ("fish", "complete -c sentinel-soar"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[sentinel-soar]"),
    ] {
        let (code, stdout, stderr) = run_args(&["completions", shell]);
        assert_eq!((code, stderr.as_str()), (0, ""), "{shell}");
        assert!(stdout.contains(marker), "{shell}: no `{marker}`");
        assert!(stdout.contains("playbook"), "{shell}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let (code, stdout, stderr) = run_args(&["completions", "tcsh"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.starts_with("error: invalid value 'tcsh' for '<SHELL>'\n"), "{stderr}");
    assert!(stderr.contains("[possible values: bash, elvish, fish, powershell, zsh]"), "{stderr}");
    assert!(stderr.contains("For more information, try '--help'."), "{stderr}");
}

#[test]
fn a_missing_shell_is_a_usage_error() {
    let (code, stdout, stderr) = run_args(&["completions"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("the following required arguments were not provided:\n  <SHELL>"), "{stderr}");
    assert!(stderr.contains("Usage: sentinel-soar completions <SHELL>"), "{stderr}");
}
