//! `runs show ID --as-test DIR [--force]`: a playbook test made from a recorded run, written
//! into DIR: `<playbook>-<id>.yaml` (the test), `<playbook>-<id>.mocks.yaml` (the answers the
//! run's calls got) and `<playbook>-<id>.incident.json` / `.alert.json` (what it started from);
//! the test names the playbook's file as the run recorded it, relative to DIR
//! ([`crate::ruletest::from_run`]).
//!
//! Nothing is written half-way: the playbook is loaded, every text is made and the test is run
//! on them in memory first; a test that would not pass (the playbook changed since the run) is
//! reported with its diff and nothing is written (exit 1). Files that exist are not overwritten
//! unless `--force` is given (exit 2, nothing written). Each file is written to a temporary file
//! and renamed into place, the test file last.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Context};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::io::AtomicFile;
use crate::model::{Alert, Incident};
use crate::playbook::connectors::mocks;
use crate::playbook::history::Record;
use crate::playbook::model::Playbook;
use crate::playbook::run::{Options, Start};
use crate::ruletest::from_run::{self, Input, Made, Names};
use crate::ruletest::{self, report};

use crate::cli::prelude::playbooks::read_playbooks;
use crate::cli::prelude::Color;
use crate::cli::report::{print_diagnostics, Exit};

/// Writes the test made from `record` into `dir`.
pub fn write(record: &Record, dir: &str, force: bool, color: Color) -> anyhow::Result<Exit> {
    let input = from_run::input(record).map_err(anyhow::Error::msg)?;
    let playbook = playbook(record, color)?;
    let stem = stem(&record.playbook, &record.run_id);
    let names = Names {
        playbook: relative_to(Path::new(dir), Path::new(&record.file)).display().to_string(),
        mocks: format!("{stem}.mocks.yaml"),
        incident: format!("{stem}.incident.json"),
        alert: format!("{stem}.alert.json"),
    };
    let made = from_run::make(record, &playbook, &input, &names);
    let test_name = format!("{stem}.yaml");
    let test_path = Path::new(dir).join(&test_name).display().to_string();
    if let Some(lines) = replay(&test_path, &made, &playbook, &input)? {
        let mut out = std::io::stderr().lock();
        for line in &lines {
            writeln!(out, "    {line}").context("cannot write the report")?;
        }
        writeln!(
            out,
            "error: the test made from run {} does not pass on playbook {} as it is now (changed since the run?): nothing was written",
            record.run_id, playbook.name
        )
        .context("cannot write the report")?;
        return Ok(Exit::Findings);
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for (value, name) in [(&input.incident, &names.incident), (&input.alert, &names.alert)] {
        if let Some(value) = value {
            let text = serde_json::to_string_pretty(value).context("cannot encode the run's input")?;
            files.push((name.clone(), text + "\n"));
        }
    }
    files.push((names.mocks.clone(), made.mocks.clone()));
    files.push((test_name, made.test.clone()));
    let targets: Vec<PathBuf> = files.iter().map(|(name, _)| Path::new(dir).join(name)).collect();
    let taken: Vec<String> = targets.iter().filter(|p| p.exists()).map(|p| p.display().to_string()).collect();
    if !taken.is_empty() && !force {
        bail!("{} already exist(s): nothing was written (--force overwrites them)", taken.join(", "));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the directory {dir}"))?;
    let mut staged = Vec::with_capacity(files.len());
    for ((_, text), target) in files.iter().zip(&targets) {
        let shown = target.display();
        let mut file = AtomicFile::create(target).with_context(|| format!("cannot create {shown}"))?;
        file.write_all(text.as_bytes()).with_context(|| format!("cannot write {shown}"))?;
        staged.push((file, target));
    }
    for (file, target) in staged {
        file.commit().with_context(|| format!("cannot write {}", target.display()))?;
    }
    for note in &made.notes {
        eprintln!("note: {note}");
    }
    let mut out = std::io::stdout().lock();
    let say = |out: &mut dyn Write, text: String| writeln!(out, "{text}").context("cannot write the report");
    for target in &targets {
        say(&mut out, format!("wrote {}", target.display()))?;
    }
    say(&mut out, format!("{} mock(s); run it: sentinel-soar test {test_path}", made.mock_count))?;
    Ok(Exit::Success)
}

/// The playbook the run ran, loaded from its file as the run recorded it.
fn playbook(record: &Record, color: Color) -> anyhow::Result<Playbook> {
    let file = &record.file;
    if !Path::new(file).is_file() {
        bail!(
            "the playbook file {file} of run {} does not exist here: make the test from the directory the run was recorded in",
            record.run_id
        );
    }
    let mut parts = read_playbooks(std::slice::from_ref(file), &[], None)?;
    let failed = parts.diagnostics.iter().any(Diagnostic::is_error);
    print_diagnostics(&mut parts.diagnostics, &parts.sources, color);
    if failed {
        bail!("{file} has errors (above): fix it first");
    }
    let found = parts.playbooks.into_iter().find(|p| p.name.eq_ignore_ascii_case(&record.playbook));
    found.ok_or_else(|| anyhow::anyhow!("{file} no longer holds playbook {} (run {})", record.playbook, record.run_id))
}

/// Runs the test made (decoded from its text, with its mocks) in memory: `None` when it
/// passes, else its diff lines.
fn replay(path: &str, made: &Made, playbook: &Playbook, input: &Input) -> anyhow::Result<Option<Vec<String>>> {
    let mut diags = Vec::new();
    let file = ruletest::decode(path, &made.test, &mut diags);
    let mocks = mocks::load(&format!("{path} (mocks)"), &made.mocks, &mut diags);
    let Some(case) = file.playbook_cases.first() else { bail!("the test made does not decode: {diags:?}") };
    diags.extend(ruletest::playbook::check_names(path, case.names(), playbook));
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        bail!("the test made does not load ({}: {}); please report this", d.code, d.message);
    }
    let value = |v: &Option<Value>| v.clone();
    let incident = value(&input.incident).map(Incident::from_value).transpose().map_err(|e| anyhow::anyhow!("{e}"))?;
    let alert = value(&input.alert).map(Alert::from_value).transpose().map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let start = match (alert, incident) {
        (Some(alert), Some(incident)) => Start::AlertIn { alert, incident },
        (Some(alert), None) => Start::Alert(alert),
        (None, Some(incident)) => Start::Incident(incident),
        (None, None) => bail!("the run started from neither an incident nor an alert"),
    };
    let secrets =
        playbook.secrets.env_names().into_iter().filter_map(|n| std::env::var(&n).ok().map(|v| (n, v))).collect();
    let options = Options { secrets, ..Options::new(case.now) };
    let (result, _) = ruletest::playbook::run_case(path, case, playbook, start, &mocks, &options);
    Ok((!result.passed()).then(|| report::diff_lines(&result)))
}

/// `<playbook>-<first 8 of the run id>`, characters unsafe in a file name as `_`.
fn stem(playbook: &str, run_id: &str) -> String {
    let safe: String =
        playbook.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let short: String = run_id.chars().take(8).collect();
    format!("{}-{short}", safe.trim_start_matches('.'))
}

/// `target` relative to the directory `dir` (both taken from the working directory).
fn relative_to(dir: &Path, target: &Path) -> PathBuf {
    let (dir, target) = (absolute(dir), absolute(target));
    let (d, t): (Vec<Component>, Vec<Component>) = (dir.components().collect(), target.components().collect());
    let common = d.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..d.len() {
        out.push("..");
    }
    for c in t.iter().skip(common) {
        out.push(c.as_os_str());
    }
    out
}

/// `path` from the root, `.` and `..` removed.
fn absolute(path: &Path) -> PathBuf {
    crate::io::path::normal(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_relative_paths() {
        assert_eq!(stem("Enrich IP/VT", "E747D08B0FAA40B6"), "Enrich_IP_VT-E747D08B");
        assert_eq!(relative_to(Path::new("a/b"), Path::new("c/p.yaml")), PathBuf::from("../../c/p.yaml"));
        assert_eq!(relative_to(Path::new("a/./b/.."), Path::new("a/p.yaml")), PathBuf::from("p.yaml"));
        assert_eq!(relative_to(Path::new("/x/y"), Path::new("/x/y/z/p.yaml")), PathBuf::from("z/p.yaml"));
    }
}
