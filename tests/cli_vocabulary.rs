//! One command-line vocabulary (SPEC 4): a file given the way another command takes it gets the
//! spelling that works; `--incident` and `--incidents` are one flag; `-` is standard input
//! wherever one file is read; path flags take several values both ways; a time is RFC 3339 or
//! a plain date; no flag is silently ignored; `--color` decides colour once. Each case pins the
//! exit code and the exact message.

use crate::common::{root, run, soar, NOW};

const RULES: &str = "examples/rules";
const INCIDENTS: &str = "examples/incidents";
const INCIDENT: &str = "examples/incidents/4102-c2-beacon-from-redteam-range.json";
const PLAYBOOK: &str = "examples/playbooks/enrich-ip-virustotal.yaml";
const MOCKS: &str = "examples/mocks/enrich-ip-virustotal.yaml";

/// Runs the binary in the crate root.
fn soar_in_root(args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(root()).args(args))
}

/// Runs the binary in the crate root with `stdin_file` as standard input.
fn with_stdin(args: &[&str], stdin_file: &str) -> (i32, String, String) {
    let input = std::fs::read(root().join(stdin_file)).unwrap();
    run(soar().current_dir(root()).args(args).write_stdin(input))
}

/// Asserts a usage error: exit 2, nothing on standard output, exactly `message` on standard error.
fn usage(args: &[&str], message: &str) {
    let (code, stdout, stderr) = soar_in_root(args);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", message), "{args:?}");
}

// ---------------------------------------------------------------------------------------------
// --rules versus paths as arguments

#[test]
fn commands_that_take_paths_refuse_rules_with_the_command_that_works() {
    usage(
        &["validate", "--rules", RULES],
        "error: validate takes the paths as arguments: sentinel-soar validate examples/rules\n",
    );
    usage(
        &["test", "--rules", "examples/tests", "my tests"],
        "error: test takes the paths as arguments: sentinel-soar test examples/tests 'my tests'\n",
    );
    usage(
        &["rules", "list", "--rules", RULES],
        "error: rules list takes the paths as arguments: sentinel-soar rules list examples/rules\n",
    );
    usage(
        &["export", "sentinel", "--rules", RULES],
        "error: export sentinel takes the paths as arguments: sentinel-soar export sentinel examples/rules\n",
    );
    usage(
        &["import", "sentinel", "a.json", "--rules", "b.json"],
        "error: import sentinel takes the paths as arguments: sentinel-soar import sentinel a.json b.json\n",
    );
}

#[test]
fn commands_that_take_playbooks_as_arguments_refuse_the_other_commands_flags() {
    // `apply`, `validate` and `impact` take `--playbooks`; `playbook run` and `show` take `--dir`.
    let pb = "examples/playbooks";
    usage(
        &["playbook", "list", "--playbooks", pb],
        "error: playbook list takes the paths as arguments: sentinel-soar playbook list examples/playbooks\n",
    );
    usage(
        &["playbook", "list", "--dir", pb],
        "error: playbook list takes the paths as arguments: sentinel-soar playbook list examples/playbooks\n",
    );
    usage(
        &["connections", "list", "--playbooks", pb],
        "error: connections list takes the paths as arguments: sentinel-soar connections list examples/playbooks\n",
    );
    usage(
        &["mocks", "scaffold", "--playbooks", "examples/playbooks/enrich-ip-virustotal.yaml"],
        "error: mocks scaffold takes the paths as arguments: sentinel-soar mocks scaffold examples/playbooks/enrich-ip-virustotal.yaml\n",
    );
    // Help and the synopsis do not know the hidden spellings.
    let (_, help, _) = soar_in_root(&["playbook", "list", "--help"]);
    assert!(!help.contains("--playbooks") && !help.contains("--dir"), "{help}");
}

#[test]
fn commands_that_take_rules_with_a_flag_refuse_bare_paths_with_the_command_that_works() {
    usage(
        &["apply", "x.yaml"],
        "error: apply takes rules with --rules: sentinel-soar apply --rules x.yaml --incidents PATH\n",
    );
    usage(
        &["apply", RULES, "--incidents", INCIDENTS, "--now", NOW],
        "error: apply takes rules with --rules: sentinel-soar apply --rules examples/rules --incidents examples/incidents\n",
    );
    usage(
        &["explain", RULES, "--incident", INCIDENT],
        "error: explain takes rules with --rules: sentinel-soar explain --rules examples/rules --incident examples/incidents/4102-c2-beacon-from-redteam-range.json\n",
    );
    usage(
        &["apply", "--rules", RULES, "--dry-run", "stray.json", "--incidents", INCIDENTS],
        "error: apply takes every file after a flag, and stray.json follows none: rules go after --rules, incidents after --incidents\n",
    );
}

// ---------------------------------------------------------------------------------------------
// --incident and --incidents, and - for standard input

#[test]
fn incident_and_incidents_are_one_flag_everywhere() {
    let apply = |flag: &str| soar_in_root(&["apply", "--rules", RULES, flag, INCIDENT, "--now", NOW, "--dry-run"]);
    let (code, plural, stderr) = apply("--incidents");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(apply("--incident"), (0, plural, String::new()));

    let explain = |flag: &str| soar_in_root(&["explain", "--rules", RULES, flag, INCIDENT, "--now", NOW]);
    let (code, singular, stderr) = explain("--incident");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(explain("--incidents"), (0, singular, String::new()));

    let suppress = |flag: &str| soar_in_root(&["suppress", flag, INCIDENT, "--until", "2026-12-31"]);
    let (code, rule, stderr) = suppress("--incident");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(suppress("--incidents"), (0, rule, String::new()));

    let playbook = |flag: &str| {
        soar_in_root(&["playbook", "run", PLAYBOOK, flag, INCIDENT, "--mocks", MOCKS, "--now", NOW, "--no-history"])
    };
    let (code, log, stderr) = playbook("--incident");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(playbook("--incidents"), (0, log, String::new()));
}

#[test]
fn a_dash_reads_the_one_incident_from_standard_input() {
    let from_file = soar_in_root(&[
        "playbook",
        "run",
        PLAYBOOK,
        "--incident",
        INCIDENT,
        "--mocks",
        MOCKS,
        "--now",
        NOW,
        "--no-history",
    ]);
    assert_eq!(from_file.0, 0, "{}", from_file.2);
    let piped = with_stdin(
        &["playbook", "run", PLAYBOOK, "--incident", "-", "--mocks", MOCKS, "--now", NOW, "--no-history"],
        INCIDENT,
    );
    assert_eq!(piped, from_file);

    let from_file =
        soar_in_root(&["explain", "--rules", RULES, "--incident", INCIDENT, "--now", NOW, "--format", "json"]);
    let piped =
        with_stdin(&["explain", "--rules", RULES, "--incident", "-", "--now", NOW, "--format", "json"], INCIDENT);
    assert_eq!(piped.0, 0, "{}", piped.2);
    // The same explanation, with standard input named as the input layer names it.
    assert_eq!(piped.1, from_file.1.replace(INCIDENT, "<stdin>"));

    let from_file = soar_in_root(&["suppress", "--incident", INCIDENT, "--until", "2026-12-31"]);
    let piped = with_stdin(&["suppress", "--incident", "-", "--until", "2026-12-31"], INCIDENT);
    assert_eq!((piped.0, piped.2.as_str()), (0, ""));
    assert_eq!(piped.1, from_file.1);
}

#[test]
fn standard_input_is_read_once() {
    usage(
        &["apply", "--rules", RULES, "--incidents", "-", "--previous", "-", "--trigger", "updated"],
        "error: standard input can be read once, and both --incidents - and --previous - ask for it: give one of them a file\n",
    );
    usage(
        &["playbook", "run", PLAYBOOK, "--incident", "-", "--settings", "-"],
        "error: standard input can be read once, and both --incident - and --settings - ask for it: give one of them a file\n",
    );
}

// ---------------------------------------------------------------------------------------------
// Path flags take several values both ways

#[test]
fn path_flags_take_several_values_after_one_flag_or_one_per_flag() {
    let dry_run = |paths: &[&str]| {
        let (code, stdout, stderr) =
            run(soar().current_dir(root()).args(["apply", "--now", NOW, "--dry-run", "--format", "json"]).args(paths));
        assert_eq!((code, stderr.as_str()), (0, ""), "{paths:?}");
        stdout
    };
    let a = "examples/incidents/4101-pentest-pt-07.json";
    let one_flag = dry_run(&["--rules", RULES, "tests/fixtures/rules/tag-seen.yaml", "--incidents", a, INCIDENT]);
    let flags = dry_run(&[
        "--rules",
        RULES,
        "--rules",
        "tests/fixtures/rules/tag-seen.yaml",
        "--incidents",
        a,
        "--incidents",
        INCIDENT,
    ]);
    assert_eq!(one_flag, flags);

    let playbooks = |mocks: &[&str]| {
        let mut args = vec!["--rules", RULES, "--incidents", INCIDENT, "--playbooks", "examples/playbooks"];
        args.extend_from_slice(mocks);
        dry_run(&args)
    };
    let several = playbooks(&["--mocks", MOCKS, "examples/mocks/contain-compromised.yaml"]);
    assert_eq!(several, playbooks(&["--mocks", MOCKS, "--mocks", "examples/mocks/contain-compromised.yaml"]));
    assert!(several.contains("playbookRuns"), "{several}");
}

#[test]
fn a_path_read_by_a_path_flag_is_named_in_the_error() {
    usage(
        &["validate", "--playbooks", "examples/playbooks", RULES],
        "error: no path given: --playbooks read examples/rules as one of its paths (a path flag takes every value up to the next flag); put the path first: sentinel-soar validate examples/rules --playbooks examples/playbooks\n",
    );
    usage(&["validate", "--strict"], "error: validate needs a path: sentinel-soar validate PATH...\n");
    usage(&["rules", "list"], "error: rules list needs a path: sentinel-soar rules list PATH...\n");
    let (code, _, stderr) = soar_in_root(&["validate", RULES, "--playbooks", "examples/playbooks", "--now", NOW]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

#[test]
fn a_playbook_name_read_by_dir_is_named_in_the_error() {
    usage(
        &["playbook", "show", "--dir", "examples/playbooks", "enrich-ip-virustotal"],
        "error: no playbook given: --dir read enrich-ip-virustotal as one of its paths (a path flag takes every value up to the next flag); put the playbook first: sentinel-soar playbook show enrich-ip-virustotal --dir examples/playbooks\n",
    );
    usage(
        &["playbook", "enable"],
        "error: playbook enable needs a playbook: sentinel-soar playbook enable NAME|PATH\n",
    );
    let (code, _, stderr) =
        soar_in_root(&["playbook", "show", "enrich-ip-virustotal", "--dir", "examples/playbooks", "examples/mocks"]);
    assert_eq!((code, stderr.as_str()), (0, ""));
}

// ---------------------------------------------------------------------------------------------
// No flag is silently ignored

#[test]
fn a_flag_the_run_would_ignore_is_a_usage_error() {
    let apply = ["apply", "--rules", RULES, "--incidents", INCIDENTS, "--now", NOW];
    let with = |extra: &[&'static str]| -> Vec<&'static str> { [&apply[..], extra].concat() };
    usage(
        &with(&["--format", "json"]),
        "error: --format is the format of the --dry-run report: add --dry-run, or leave --format out\n",
    );
    usage(
        &with(&["--previous", INCIDENT]),
        "error: --previous is read only for --trigger updated: add --trigger updated, or leave --previous out\n",
    );
    usage(
        &with(&["--audit-format", "security-incident"]),
        "error: --audit-format is the shape of the --audit log: add --audit PATH, or leave --audit-format out\n",
    );
    usage(
        &with(&["--jobs", "0"]),
        "error: invalid value '0' for '--jobs <N>': give 1 or more worker threads (without --jobs, one per core)\n\nFor more information, try '--help'.\n",
    );
    usage(
        &["apply", "--rules", RULES, "--replay", "x.json", "--progress"],
        "error: --progress applies to --incidents runs; --replay does not use it: leave --progress out\n",
    );
    // --replay and --alerts run on the workers (the batch pipeline): --jobs is theirs too, and
    // the output does not depend on it.
    let replay = |jobs: &'static str| {
        soar_in_root(&[
            "apply",
            "--rules",
            "tests/fixtures/sentinel/replay-rules.yaml",
            "--replay",
            "tests/fixtures/sentinel/security-incident-history.jsonl",
            "--dry-run",
            "--jobs",
            jobs,
        ])
    };
    let one = replay("1");
    assert_eq!((one.0, one.2.as_str()), (0, ""));
    assert!(one.1.contains("would change"), "{}", one.1);
    assert_eq!(replay("3"), one);
    usage(
        &["apply", "--rules", RULES, "--alerts", "examples/alerts", "--trigger", "updated"],
        "error: --trigger applies to --incidents runs; --alerts does not use it: leave --trigger out\n",
    );
    let (code, _, stderr) =
        soar_in_root(&["explain", "--rules", RULES, "--incident", INCIDENT, "--previous", INCIDENT]);
    assert_eq!(
        (code, stderr.as_str()),
        (2, "error: --previous is read only for --trigger updated: add --trigger updated, or leave --previous out\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Times: RFC 3339 or a plain date (midnight UTC), one parser everywhere

#[test]
fn a_plain_date_is_midnight_utc_wherever_a_time_is_read() {
    let list = |now: &str| soar_in_root(&["rules", "list", RULES, "--now", now, "--format", "json"]);
    let (code, by_date, stderr) = list("2026-06-01");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(list(NOW).1, by_date);
    assert!(by_date.contains("\"now\": \"2026-06-01T00:00:00Z\""), "{by_date}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.yaml"), "name: r\norder: 1\nexpires: 2026-12-31\nactions: [ add_tags: [x] ]\n")
        .unwrap();
    let (code, stdout, stderr) = run(soar().current_dir(dir.path()).args(["rules", "list", "r.yaml", "--now", NOW]));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("enabled until 2026-12-31T00:00:00Z"), "{stdout}");

    let incident = root().join(INCIDENT).display().to_string();
    std::fs::write(
        dir.path().join("t.yaml"),
        format!("rules: r.yaml\nnow: 2026-12-31\ntests:\n  - name: expired at midnight\n    incident: {incident}\n    expect: {{ fired: [] }}\n"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(soar().current_dir(dir.path()).args(["test", "t.yaml"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with("1 passed, 0 failed\n"), "{stdout}");
}

// ---------------------------------------------------------------------------------------------
// --color

#[test]
fn color_is_chosen_once_by_the_flag_over_no_color_and_the_terminal() {
    let broken = "tests/fixtures/broken-rules/SR028-invalid-timestamp.yaml";
    // The harness sets NO_COLOR and pipes the output: auto means no colour.
    let (_, plain, _) = soar_in_root(&["validate", broken, "--now", NOW]);
    assert!(!plain.contains('\x1b'), "{plain}");
    let (code, always, _) = soar_in_root(&["validate", broken, "--now", NOW, "--color", "always"]);
    assert_eq!(code, 1);
    assert!(always.contains("\x1b["), "{always}");
    // A global flag: before the command too.
    assert_eq!(soar_in_root(&["--color", "always", "validate", broken, "--now", NOW]).1, always);
    let (_, never, _) = run(soar()
        .env_remove("NO_COLOR")
        .current_dir(root())
        .args(["validate", broken, "--now", NOW, "--color", "never"]));
    assert_eq!(never, plain);
    // Diagnostics on standard error follow the same choice.
    let (code, _, stderr) =
        soar_in_root(&["apply", "--rules", broken, "--incidents", INCIDENT, "--now", NOW, "--color", "always"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("\x1b["), "{stderr}");
    // And test results.
    let (_, stdout, _) = soar_in_root(&["test", "examples/tests/tag-by-tactic.yaml", "--color", "always"]);
    assert!(stdout.contains("\x1b["), "{stdout}");
}

#[test]
fn help_names_the_program_sentinel_soar_and_required_paths_alike_in_usage_and_arguments() {
    // A binary installed under another name: every usage line still says `sentinel-soar`,
    // whether the command writes its own usage line (validate) or clap builds it (runs list).
    // A link, not a copy: a binary written while other tests start processes can be busy
    // (ETXTBSY) when it is run.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("sentinel-soar-other");
    #[cfg(unix)]
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("sentinel-soar"), &other).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(assert_cmd::cargo::cargo_bin("sentinel-soar"), &other).unwrap();
    let help = |args: &[&str]| {
        let (code, stdout, _) = run(assert_cmd::Command::new(&other).env("COLUMNS", "100").args(args));
        assert_eq!(code, 0, "{args:?}");
        stdout
    };
    for (args, usage) in [
        (&["runs", "list", "--help"][..], "Usage: sentinel-soar runs list [OPTIONS]\n"),
        (&["playbook", "list", "--help"], "Usage: sentinel-soar playbook list [OPTIONS] <PATH>...\n"),
        (&["validate", "--help"], "Usage: sentinel-soar validate [OPTIONS] <PATH>...\n"),
        (&["completions", "--help"], "Usage: sentinel-soar completions [OPTIONS] <SHELL>\n"),
    ] {
        let text = help(args);
        assert!(text.contains(usage), "{args:?}:\n{text}");
    }
    // The paths are required: the arguments section says so as the usage line does.
    for args in [&["validate", "--help"][..], &["test", "--help"], &["rules", "list", "--help"]] {
        let text = help(args);
        assert!(text.contains("Arguments:\n  <PATH>..."), "{args:?}:\n{text}");
    }
}

#[test]
fn every_format_flag_and_value_is_described_in_help() {
    let help = |args: &[&str]| {
        let (code, stdout, _) = soar_in_root(&[args, &["--help"]].concat());
        assert_eq!(code, 0, "{args:?}");
        stdout
    };
    for args in [&["runs", "list"][..], &["runs", "show"], &["playbook", "run"], &["playbook", "list"]] {
        let text = help(args);
        assert!(text.contains("--format <FORMAT>\n          Output format\n"), "{args:?}:\n{text}");
        assert!(text.contains("- json:  One JSON document, for tools\n"), "{args:?}:\n{text}");
    }
    let test = help(&["test"]);
    assert!(test.contains("- json:  One JSON document: each test with its outcome"), "{test}");
    assert!(test.contains("needs --coverage"), "{test}");
    // The summary of validate names each of its seven formats, in its help and the command list.
    for text in [help(&["validate"]), help(&[])] {
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("(human, JSON, SARIF, JUnit, GitHub, Azure DevOps or GitLab output)"), "{text}");
    }
    // Every --settings reads `-` and says so alike.
    for args in [&["apply"][..], &["impact"], &["explain"], &["validate"], &["playbook", "run"], &["test"]] {
        let text = help(args);
        if text.contains("--settings") {
            assert!(text.contains("--settings <PATH|->"), "{args:?}:\n{text}");
        }
    }
}
