//! The three overlapping stages of a batch: a reader thread reads the next window of items,
//! the workers process this one, and the calling thread writes the previous one, in order. At
//! most three windows are in memory at once, whatever the input's size.

use rayon::prelude::*;

use super::{Error, WINDOW_PER_JOB};
use crate::io::InputError;

/// Reads windows of up to `window` items with `read` (an empty window is the end) on a reader
/// thread, runs `work` on each item of a window on `pool`, and hands each window with its
/// results to `write` in order while the next one is processed. Returns the error that ended
/// the reading early, if one did, after every window read before it was written.
pub(super) fn run<I, D, E>(
    pool: &rayon::ThreadPool,
    window: usize,
    mut read: impl FnMut(usize) -> Result<Vec<I>, InputError> + Send,
    work: impl Fn(&I) -> D + Sync,
    mut write: impl FnMut(Vec<I>, Vec<D>) -> Result<(), E>,
) -> Result<Option<InputError>, E>
where
    I: Send + Sync,
    D: Send,
{
    std::thread::scope(|threads| {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        threads.spawn(move || loop {
            let items = read(window);
            let last = items.as_ref().map_or(true, Vec::is_empty);
            if tx.send(items).is_err() || last {
                break;
            }
        });
        let mut pending: Option<(Vec<I>, Vec<D>)> = None;
        let mut broke = None;
        for items in rx {
            let items = match items {
                Ok(items) if items.is_empty() => break,
                Ok(items) => items,
                Err(e) => {
                    broke = Some(e);
                    break;
                }
            };
            let mut results = Vec::new();
            let mut written = Ok(());
            pool.in_place_scope(|scope| {
                scope.spawn(|_| results = items.par_iter().map(&work).collect());
                if let Some((done, res)) = pending.take() {
                    written = write(done, res);
                }
            });
            written?;
            pending = Some((items, results));
        }
        if let Some((done, res)) = pending.take() {
            write(done, res)?;
        }
        Ok(broke)
    })
}

/// Items already in memory (a replay's incident histories) through the same stages: `work`
/// runs on `jobs` worker threads (0 counts as 1), `write` gets each item with its result in
/// order.
pub fn each<I, D, E>(
    jobs: usize,
    items: Vec<I>,
    work: impl Fn(&I) -> D + Sync,
    mut write: impl FnMut(I, D) -> Result<(), E>,
) -> Result<(), E>
where
    I: Send + Sync,
    D: Send,
    E: From<Error>,
{
    let jobs = jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().map_err(Error::Threads)?;
    let mut items = items.into_iter();
    let read = move |max: usize| Ok(items.by_ref().take(max).collect());
    run(&pool, WINDOW_PER_JOB * jobs, read, work, |done, results| {
        done.into_iter().zip(results).try_for_each(|(item, result)| write(item, result))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_whatever_the_workers() {
        for jobs in [1, 3] {
            let mut seen = Vec::new();
            let result: Result<(), Error> = each(
                jobs,
                (0..1000).collect(),
                |i: &u32| i * 2,
                |i, d| {
                    seen.push((i, d));
                    Ok(())
                },
            );
            assert!(result.is_ok());
            assert_eq!(seen, (0..1000).map(|i| (i, i * 2)).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_read_error_comes_after_the_windows_before_it() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let mut calls = 0;
        let read = move |_max: usize| {
            calls += 1;
            match calls {
                1 | 2 => Ok(vec![calls]),
                _ => Err(InputError::new("broken")),
            }
        };
        let mut written = Vec::new();
        let broke = run(
            &pool,
            1,
            read,
            |i: &i32| *i,
            |done, _| {
                written.extend(done);
                Ok::<(), Error>(())
            },
        );
        assert_eq!((written, broke.unwrap().map(|e| e.message)), (vec![1, 2], Some("broken".to_owned())));
    }

    #[test]
    fn a_write_error_stops_the_run() {
        let result = each(
            2,
            (0..2000).collect(),
            |i: &u32| *i,
            |i, _| {
                if i == 300 {
                    Err(Error::write("cannot write")(std::io::Error::other("full")))
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result.map_err(|e| e.to_string()), Err("cannot write".to_owned()));
    }
}
