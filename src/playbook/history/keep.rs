//! Which runs of a batch are recorded (`apply --history all|failed|none`), so that a batch
//! never fills a disk unasked: by default every run up to [`FIRST_KEPT`], and past it only the
//! runs that need a look. The choice follows the runs in input order, so it does not depend on
//! the number of workers.

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
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// `None`: the default.
    keep: Option<Keep>,
    kept: Kept,
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
    /// The policy of `--history` (`None`: not given).
    pub fn new(keep: Option<Keep>) -> Policy {
        Policy { keep, kept: Kept::default() }
    }

    /// Whether a run may be recorded at all (the worker encodes only those): `needs_look` as
    /// in [`Keep::Failed`].
    pub fn may_keep(keep: Option<Keep>, needs_look: bool) -> bool {
        match keep {
            None | Some(Keep::All) => true,
            Some(Keep::Failed) => needs_look,
            Some(Keep::None) => false,
        }
    }

    /// Whether to record the next run, in input order.
    pub fn keeps(&mut self, needs_look: bool) -> bool {
        self.kept.runs += 1;
        let keep = match self.keep {
            None => self.kept.runs <= FIRST_KEPT || needs_look,
            Some(keep) => Policy::may_keep(Some(keep), needs_look),
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
        let mut policy = Policy::new(keep);
        for needs_look in runs {
            policy.keeps(needs_look);
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
