//! `--progress` (`apply`, its dry run): a progress bar on standard error (indicatif) counting the incidents and
//! the bytes read, and the playbook runs started and failed (once there are any), for a run and
//! a dry run alike, drawn only when standard error is a terminal,
//! so pipes and log files never get one. Lines printed while it is drawn go through
//! [`Progress::eprintln`] (and the dry run's report through [`Progress::suspend`]), which lift
//! the bar for the line so the two do not tear.

use std::cell::Cell;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::io::{InputFile, Source};

use super::RunCounts;

/// With a total (every input is a file): a bar; without (standard input): a counter.
const BAR: &str = "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} {bytes_per_sec} {msg}";
const COUNTER: &str = "{spinner} {elapsed_precise} {bytes} {bytes_per_sec} {msg}";

/// The progress bar of one run, or nothing.
pub struct Progress {
    bar: Option<ProgressBar>,
    records: Cell<u64>,
    /// Playbook runs started, and those that failed.
    runs: Cell<(usize, usize)>,
    /// Bytes of the inputs read to the end.
    done: Cell<u64>,
}

impl Progress {
    /// A bar on standard error when `asked` and standard error is a terminal; nothing otherwise.
    pub fn new(asked: bool, inputs: &[InputFile]) -> Progress {
        let target = (asked && std::io::stderr().is_terminal()).then(ProgressDrawTarget::stderr);
        Progress::to(target, inputs.iter().map(size).sum())
    }

    /// A bar drawn to `target` (none: nothing is drawn or counted), `total` bytes long if known.
    fn to(target: Option<ProgressDrawTarget>, total: Option<u64>) -> Progress {
        let bar = target.map(|target| {
            let bar = ProgressBar::with_draw_target(total, target);
            if let Ok(style) = ProgressStyle::with_template(if total.is_some() { BAR } else { COUNTER }) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.set_message("0 incidents");
            bar
        });
        Progress { bar, records: Cell::new(0), runs: Cell::new((0, 0)), done: Cell::new(0) }
    }

    /// Counts `records` records of about `bytes` bytes read.
    pub fn advance(&self, records: usize, bytes: u64) {
        if let Some(bar) = &self.bar {
            self.records.set(self.records.get() + records as u64);
            bar.inc(bytes);
            bar.set_message(self.message());
        }
    }

    /// Counts the playbook runs of an incident written.
    pub fn runs(&self, runs: RunCounts) {
        if let (Some(bar), true) = (&self.bar, runs.runs > 0) {
            let (started, failed) = self.runs.get();
            self.runs.set((started + runs.runs, failed + runs.failed));
            bar.set_message(self.message());
        }
    }

    /// `N incidents`, then `, N playbook runs, N failed` once a playbook ran.
    fn message(&self) -> String {
        let incidents = format!("{} incidents", self.records.get());
        match self.runs.get() {
            (0, _) => incidents,
            (started, failed) => format!("{incidents}, {started} playbook runs, {failed} failed"),
        }
    }

    /// An input was read to the end: the bar moves to its exact size (record bytes leave out
    /// the whitespace between records).
    pub fn input_done(&self, input: &InputFile) {
        if let (Some(bar), Some(bytes)) = (&self.bar, size(input)) {
            self.done.set(self.done.get() + bytes);
            bar.set_position(self.done.get());
        }
    }

    /// Prints a line on standard error, above the bar when there is one.
    pub fn eprintln(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Runs `print` with the bar lifted, when there is one.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// This bar when one is drawn and standard output is a terminal too (the one it is drawn
    /// on, then): output printed while the batch runs has to go above it.
    pub fn above_stdout(&self) -> Option<&Progress> {
        self.bar.as_ref().filter(|_| std::io::stdout().is_terminal()).map(|_| self)
    }

    /// Removes the bar, before the closing line is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The size of a file input; `None` for standard input (or a file that cannot be read, which
/// fails later with its own message).
fn size(input: &InputFile) -> Option<u64> {
    match &input.source {
        Source::Stdin => None,
        Source::File(path) => std::fs::metadata(path).ok().map(|m| m.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_incidents_and_bytes_and_snaps_to_each_file_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.jsonl");
        std::fs::write(&path, "{\"a\":1}\n{\"a\":2}\n").unwrap();
        let input = InputFile { source: Source::File(path), display: "a.jsonl".into(), rel: "a.jsonl".into() };
        let progress = Progress::to(Some(ProgressDrawTarget::hidden()), size(&input));
        progress.advance(2, 14);
        let bar = progress.bar.as_ref().unwrap();
        assert_eq!((bar.position(), bar.length(), bar.message()), (14, Some(16), "2 incidents".to_owned()));
        progress.input_done(&input);
        assert_eq!(bar.position(), 16);
        progress.finish();
        assert!(bar.is_finished());
    }

    #[test]
    fn nothing_is_counted_without_a_bar() {
        let progress = Progress::to(None, None);
        progress.advance(5, 100);
        assert!(progress.bar.is_none());
        assert_eq!(progress.records.get(), 0);
    }
}
