#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! `apply --progress` (issue 6): a progress bar on standard error when it is a terminal, and
//! never anything in a pipe: piped, the output and standard error are exactly those of a run
//! without the flag.

use crate::common;

use common::{root, run, soar, NOW};

fn args(progress: bool) -> Vec<String> {
    let mut args: Vec<String> = [
        "apply",
        "--rules",
        root().join("examples/rules").to_str().unwrap(),
        "--incidents",
        root().join("examples/batch/incidents.jsonl").to_str().unwrap(),
        "--now",
        NOW,
    ]
    .map(str::to_owned)
    .to_vec();
    if progress {
        args.push("--progress".into());
    }
    args
}

#[test]
fn nothing_is_drawn_in_a_pipe() {
    let (code, stdout, stderr) = run(soar().args(args(true)));
    assert_eq!((code, stderr.as_str()), (0, "40 incident(s) processed, 36 changed, 109 change(s)\n"));
    let (_, plain, _) = run(soar().args(args(false)));
    assert_eq!(stdout, plain);
}

/// On a terminal (a pseudo-terminal from util-linux `script`) the bar is drawn, then cleared
/// before the closing line.
#[test]
#[cfg(target_os = "linux")]
fn a_bar_is_drawn_on_a_terminal() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script to give the binary a terminal");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut command = vec![env!("CARGO_BIN_EXE_sentinel-soar").to_owned()];
    command.extend(args(true));
    command.extend(["--out".to_owned(), tmp.path().join("out.jsonl").display().to_string()]);
    let quoted: Vec<String> = command.iter().map(|a| format!("'{a}'")).collect();
    let out = std::process::Command::new("/usr/bin/script")
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("incidents\r\u{1b}[2K"), "no bar drawn and cleared: {text:?}");
    assert!(text.contains("KiB/"), "no byte count: {text:?}");
    assert!(text.ends_with("40 incident(s) processed, 36 changed, 109 change(s)\r\n"), "{text:?}");
}

/// The dry run has the bar too; past 200 incidents its blocks are printed as they come, above
/// the bar, which is cleared before the closing line.
#[test]
#[cfg(target_os = "linux")]
fn a_dry_run_prints_its_blocks_above_the_bar() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script to give the binary a terminal");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("batch.jsonl");
    std::fs::write(&input, common::read(root().join("examples/batch/incidents.jsonl")).repeat(6)).unwrap();
    let mut command = vec![env!("CARGO_BIN_EXE_sentinel-soar").to_owned()];
    command.extend(args(true));
    command[5] = input.display().to_string();
    command.extend(["--dry-run".to_owned(), "--jobs".to_owned(), "1".to_owned()]);
    let quoted: Vec<String> = command.iter().map(|a| format!("'{a}'")).collect();
    let out = std::process::Command::new("/usr/bin/script")
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("incidents\r\u{1b}[2K"), "no bar drawn and cleared: {text:?}");
    assert_eq!(text.matches("Incident ").count(), 222, "{text:?}");
    // Each block starts a line: after a line end, or where the lifted bar was cleared.
    let at_line_start = text.matches("\nIncident ").count() + text.matches("\u{1b}[2KIncident ").count();
    assert_eq!(at_line_start, 222, "{text:?}");
    assert!(
        text.ends_with("\u{1b}[2K240 incident(s), 222 would change, 654 change(s); dry run: nothing was written\r\n"),
        "{text:?}"
    );
}

/// With `--playbooks`, the bar counts the playbook runs started and failed.
#[test]
#[cfg(target_os = "linux")]
fn the_bar_counts_playbook_runs() {
    if !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: no /usr/bin/script to give the binary a terminal");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("batch.jsonl");
    std::fs::write(&input, common::read(root().join("examples/batch/incidents.jsonl")).repeat(20)).unwrap();
    let mut command = vec![env!("CARGO_BIN_EXE_sentinel-soar").to_owned()];
    command.extend(args(true));
    command[5] = input.display().to_string();
    for extra in ["--playbooks", "examples/playbooks", "--mocks", "examples/mocks", "--no-history", "--jobs", "1"] {
        command.push(extra.to_owned());
    }
    command.extend(["--out".to_owned(), tmp.path().join("out.jsonl").display().to_string()]);
    let quoted: Vec<String> = command.iter().map(|a| format!("'{a}'")).collect();
    let out = std::process::Command::new("/usr/bin/script")
        .current_dir(root())
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let drawn = regex::Regex::new(r"\d+ incidents, \d+ playbook runs, 0 failed").unwrap();
    assert!(drawn.is_match(&text), "no run count drawn: {text:?}");
    assert!(
        text.ends_with(
            "800 incident(s) processed, 740 changed, 3080 change(s); 400 playbook run(s): 400 succeeded, 0 failed, \
             20 run(s) with warnings\r\n"
        ),
        "{text:?}"
    );
}
