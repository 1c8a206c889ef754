//! Which runs of a batch are recorded (`apply --history all|failed|none`), so that a batch
//! never fills a disk unasked: by default every run up to [`FIRST_KEPT`], and past it only the
//! runs that need a look. The choice follows the runs in input order, so it does not depend on
//! the number of workers.
//!
//! The workers encode the records the policy may keep, and only those: [`Counted`] tells them
//! how many runs the writer has counted, and once that is [`FIRST_KEPT`] or more, every run a
//! worker is still processing comes after them (the writer only counts windows the workers
//! are done with), so by default a run that does not need a look will not be kept.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Runs a batch records whatever their outcome when `--history` is not given; past them, only
/// the runs that need a look (as with `--history failed`).
pub const FIRST_KEPT: usize = 1000;

/// What `--history` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every run.
    All,
    /// The runs that need a look: failed or cancelled, with warnings (a secret that did not
    /// resolve, ...) or with calls that had no mock.
    Failed,
    /// None.
    None,
}

/// The choice for one batch, run after run.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `None`: the default.
    keep: Option<Keep>,
    kept: Kept,
    counted: Counted,
}

/// How many runs the writer has counted, for the workers ([`Counted::may_keep`]).
#[derive(Debug, Clone, Default)]
pub struct Counted(Arc<AtomicUsize>);

impl Counted {
    /// Whether a run a worker is processing may be recorded (the worker encodes only those);
    /// `needs_look` as in [`Keep::Failed`]. A count read late only makes this say yes more
    /// often: the writer's [`Policy::keeps`] decides.
    pub fn may_keep(&self, keep: Option<Keep>, needs_look: bool) -> bool {
        match keep {
            None => needs_look || self.0.load(Ordering::Relaxed) < FIRST_KEPT,
            Some(Keep::All) => true,
            Some(Keep::Failed) => needs_look,
            Some(Keep::None) => false,
        }
    }
}

/// What a batch recorded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Kept {
    /// Runs seen.
    pub runs: usize,
    /// Runs recorded.
    pub recorded: usize,
}

impl Policy {
    /// The policy of `--history` (`None`: not given), counting for the workers in `counted`.
    pub fn new(keep: Option<Keep>, counted: Counted) -> Policy {
        Policy { keep, kept: Kept::default(), counted }
    }

    /// Whether to record the next run, in input order.
    pub fn keeps(&mut self, needs_look: bool) -> bool {
        self.kept.runs += 1;
        self.counted.0.store(self.kept.runs, Ordering::Relaxed);
        let keep = match self.keep {
            None => self.kept.runs <= FIRST_KEPT || needs_look,
            Some(Keep::All) => true,
            Some(Keep::Failed) => needs_look,
            Some(Keep::None) => false,
        };
        self.kept.recorded += usize::from(keep);
        keep
    }

    /// What `--history` asked for (`None`: the default).
    pub fn keep(&self) -> Option<Keep> {
        self.keep
    }

    pub fn kept(&self) -> Kept {
        self.kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(keep: Option<Keep>, runs: impl Iterator<Item = bool>) -> Kept {
        let counted = Counted::default();
        let mut policy = Policy::new(keep, counted.clone());
        for needs_look in runs {
            let may = counted.may_keep(keep, needs_look);
            let kept = policy.keeps(needs_look);
            assert!(may || !kept, "a run the workers skipped is kept");
        }
        policy.kept()
    }

    #[test]
    fn by_default_the_first_runs_are_kept_then_those_that_need_a_look() {
        // Every third run failed.
        let runs = || (0..FIRST_KEPT + 300).map(|i| i % 3 == 0);
        assert_eq!(recorded(None, runs()), Kept { runs: FIRST_KEPT + 300, recorded: FIRST_KEPT + 100 });
        assert_eq!(recorded(Some(Keep::All), runs()).recorded, FIRST_KEPT + 300);
        assert_eq!(recorded(Some(Keep::Failed), runs()).recorded, (FIRST_KEPT + 300).div_ceil(3));
        assert_eq!(recorded(Some(Keep::None), runs()).recorded, 0);
        assert_eq!(recorded(None, (0..FIRST_KEPT).map(|_| false)).recorded, FIRST_KEPT);
    }
}
