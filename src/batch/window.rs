//! The three overlapping stages of a batch: a reader thread reads the next window of items,
//! the workers process this one (with the next queued behind it), and the calling thread writes
//! the previous one, in order. A handful of windows are in memory at once, whatever the input's
//! size.

use std::collections::VecDeque;
use std::sync::mpsc::Receiver;

use rayon::prelude::*;

use super::{Error, WINDOW_PER_JOB};
use crate::io::InputError;

/// Reads windows of up to `window` items with `read` (an empty window is the end) on a reader
/// thread, runs `work` on each item of a window on `pool`, and hands each window with its
/// results to `write` in order. Returns the error that ended the reading early, if one did,
/// after every window read before it was written.
///
/// The workers never wait between windows: the next window is queued on the pool before the
/// calling thread waits for the one before it, so a worker done with its share of one window
/// goes straight on to the next instead of sleeping until the writer has caught up (each wait
/// is a wake-up through the kernel: with one worker, a tenth of a batch's time). In memory: the
/// window being written, the one being worked on, the one queued behind it and the one the
/// reader has read (it hands it over when the calling thread takes it); four windows, as before
/// the workers stopped waiting, so memory stays bounded by the window.
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
        // A rendezvous: the reader holds the window it read until the calling thread takes it,
        // so one window waits for the workers, queued on the pool, not two.
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        threads.spawn(move || loop {
            let items = read(window);
            let last = items.as_ref().map_or(true, Vec::is_empty);
            if tx.send(items).is_err() || last {
                break;
            }
        });
        let work = &work;
        pool.in_place_scope(|scope| {
            // The windows queued on the pool, oldest first: each sends itself back with its
            // results when its last item is done.
            let mut queued = VecDeque::with_capacity(2);
            let mut broke = None;
            for items in &rx {
                let items = match items {
                    Ok(items) if items.is_empty() => break,
                    Ok(items) => items,
                    Err(e) => {
                        broke = Some(e);
                        break;
                    }
                };
                let (done, worked) = std::sync::mpsc::sync_channel(1);
                scope.spawn(move |_| {
                    let results = items.par_iter().map(work).collect();
                    // The receiver is gone only when a write failed; the run is ending then.
                    let _ = done.send((items, results));
                });
                queued.push_back(worked);
                while queued.len() > 1 {
                    write_next(&mut queued, &mut write)?;
                }
            }
            // The reader stops at its next send.
            drop(rx);
            while !queued.is_empty() {
                write_next(&mut queued, &mut write)?;
            }
            Ok(broke)
        })
    })
}

/// Waits for the oldest queued window and writes it.
fn write_next<I, D, E>(
    queued: &mut VecDeque<Receiver<(Vec<I>, Vec<D>)>>,
    write: &mut impl FnMut(Vec<I>, Vec<D>) -> Result<(), E>,
) -> Result<(), E> {
    // A window's job always sends (a panic in `work` ends the scope, and the run, first).
    match queued.pop_front().map(|worked| worked.recv()) {
        Some(Ok((items, results))) => write(items, results),
        Some(Err(_)) | None => Ok(()),
    }
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
    fn the_workers_go_on_to_the_next_window_while_the_writer_writes() {
        // The write of the first window waits until an item of the second one was worked on:
        // it would wait in vain if the workers waited for the writer between windows.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let (seen, second) = std::sync::mpsc::channel();
        let seen = std::sync::Mutex::new(seen);
        let mut windows = vec![vec![3, 4], vec![1, 2]];
        let mut written = Vec::new();
        let broke = run(
            &pool,
            2,
            move |_| Ok(windows.pop().unwrap_or_default()),
            |i: &i32| {
                let _ = seen.lock().unwrap().send(*i);
                *i
            },
            |done, _| {
                if written.is_empty() {
                    let wait = std::time::Duration::from_secs(10);
                    let worked: Vec<_> = (0..3).map(|_| second.recv_timeout(wait).ok()).collect();
                    assert_eq!(worked, [Some(1), Some(2), Some(3)], "the second window was not worked on");
                }
                written.extend(done);
                Ok::<(), Error>(())
            },
        );
        assert!(matches!(broke, Ok(None)));
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
