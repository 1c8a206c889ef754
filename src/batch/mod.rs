//! The one streaming pipeline that every command walking many incidents goes through: plain
//! `apply`, its dry run, `explain`, `apply --alerts` ([`run`], over input files), and
//! `apply --replay` ([`each`], over incident histories already in memory).
//!
//! Stage: batch, between the commands and the domain. It reads inputs with [`crate::io`] and
//! knows nothing of rules or the engine: what to do with one record is the caller's [`Step`],
//! what to write for it, in input order, the caller's [`Sink`]. Imports point down (io, model,
//! engine may be used; never `cli`), and nothing here prints.
//!
//! A stream input (JSON Lines, a top-level array) goes through three overlapping stages
//! ([`window`]): a reader thread scans the next window of records, the workers (a rayon pool of
//! `jobs` threads) run the step on this one with the next queued behind it, and the calling
//! thread hands the previous one to the sink. A window holds [`WINDOW_PER_JOB`] records per
//! worker (or what the caller asks) and at most four windows are in memory, so memory is
//! bounded by the window, not by the input. A document input (one
//! incident, a REST list or example file) is read whole; its incidents go through the workers
//! in windows the same way and the document is written back ([`document`]).
//!
//! What the pipeline does itself, the same whatever the step: it parses each record, writes the
//! record the step returns in the input's shape and style ([`outputs`]: standard output, one
//! file, a directory, or in place; files atomically), writes the raw bytes of a record that
//! could not be processed to the rejects file (and back as it was when the output replaces its
//! input), tells the sink where it was and why ([`Problem`]), and counts ([`Counts`]). Outputs
//! are the same whatever the number of workers.

mod document;
mod error;
pub mod outputs;
mod stream;
mod window;

use std::fmt;

use serde_json::Value;

use crate::io::tape::Val;
use crate::io::{self, Document, InputError, InputFile, Opened};

pub use error::Error;
pub use outputs::{Dest, OutTarget};
pub use window::each;

/// Records per worker in one window, unless the step's items are big (see [`Config`]).
pub const WINDOW_PER_JOB: usize = 128;

/// What a batch reads and where the records go.
#[derive(Debug, Clone)]
pub struct Config<'a> {
    /// The inputs, in the order they are processed and written.
    pub inputs: &'a [InputFile],
    /// Worker threads (0 counts as 1). Outputs do not depend on it.
    pub jobs: usize,
    /// Records per worker in one window (0 counts as 1): [`WINDOW_PER_JOB`], or fewer when
    /// one record's item is large (an explanation of every rule runs to tens of kilobytes), as
    /// memory holds about four windows.
    pub window_per_job: usize,
    /// Where the records the step returns are written; `None`: nowhere (dry run, explain).
    pub out: Option<OutTarget>,
    /// Where the raw bytes of records that could not be processed go (a path, or `-`).
    pub rejects: Option<&'a str>,
}

/// What to do with one parsed record, on a worker thread.
pub trait Step: Sync {
    /// What the sink gets for the record.
    type Item: Send;

    /// Processes one record of `input`. `Err`: why it could not be processed (the record is
    /// then left out of the output and goes to the rejects file).
    fn run(&self, value: Value, input: &InputFile) -> Result<Done<Self::Item>, String>;

    /// Whether [`Step::run_in_place`] can take this run's records at all: when it cannot, the
    /// pipeline does not build their tapes only to drop them.
    fn splices(&self) -> bool {
        false
    }

    /// Processes one record of a stream input in place, from its tape (`record` is its root),
    /// without a tree: appends the record to write to `out` (its own bytes with whatever changed
    /// spliced in) and returns the sink's item. `None` when the step cannot do this for this
    /// record (or at all): the record is then parsed and given to [`Step::run`], which must give
    /// the same results. The pipeline asks only when the record is written and is laid out as
    /// the output is (compact on one line, or pretty over several).
    fn run_in_place(
        &self,
        _record: Val<'_>,
        _input: &InputFile,
        _out: &mut Vec<u8>,
    ) -> Option<Result<Self::Item, String>> {
        None
    }

    /// The records of a document input, as JSON pointers into it: the incidents [`crate::io`]
    /// found, unless the step reads something else (alerts take the whole document).
    fn slots(&self, doc: &Document) -> Vec<String> {
        doc.slots.clone()
    }
}

/// What a step made of one record.
#[derive(Debug)]
pub struct Done<T> {
    /// The record to write in the input record's place; `None` writes nothing.
    pub record: Option<Value>,
    /// What the sink gets.
    pub item: T,
}

/// What to write for each record, called on the calling thread in input order.
pub trait Sink<T> {
    /// The sink's error; the pipeline's own errors convert into it.
    type Error: From<Error>;

    /// The item of a record the step processed.
    fn write(&mut self, item: T) -> Result<(), Self::Error>;

    /// A record that could not be processed, an input that broke off, a document without
    /// incidents: for the sink to report (the pipeline has counted it).
    fn problem(&mut self, problem: &Problem<'_>);

    /// `records` more records (of about `bytes` bytes, 0 when unknown) were read.
    fn read(&mut self, _records: usize, _bytes: u64) {}

    /// Every record of a window was handed over (a window is [`Config::window_per_job`]
    /// records per worker, fewer at the end of an input): a sink that writes in batches
    /// commits here.
    fn window_done(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Every record of `input` was handed over.
    fn input_done(&mut self, _input: &InputFile) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Where a record was in its input: the line and column it starts at (in the decompressed
/// text), and which record of the input it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
    pub record: Within,
}

/// Which record of its input a record is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Within {
    /// A line of JSON Lines (its line says which).
    Line,
    /// The 0-based index of an element of a top-level array.
    Index(usize),
    /// An incident of a document, by JSON pointer (`""` for the document itself).
    Pointer(String),
}

/// Something the sink is told about.
#[derive(Debug)]
pub enum Problem<'a> {
    /// A record that could not be processed: left out of the output, written to the rejects
    /// file, and written back as it was where the output replaces the input.
    Record { input: &'a InputFile, at: Location, message: String },
    /// The input's structure broke off: the records before were processed, the rest cannot be
    /// read.
    Broken(InputError),
    /// A document in which no record was found (it is written back unchanged).
    Empty(&'a InputFile),
}

impl fmt::Display for Problem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Record { input, at, message } => {
                // Where the JSON breaks, when the message says, else where the record starts.
                let (line, column, message) = match crate::io::input::split_position(message) {
                    Some((line, column, bare)) => (line, column, std::borrow::Cow::Owned(bare)),
                    None => (at.line, at.column, std::borrow::Cow::Borrowed(message.as_str())),
                };
                write!(f, "{}:{line}:{column}: ", input.display)?;
                match &at.record {
                    Within::Index(i) => write!(f, "array index {i}: ")?,
                    Within::Pointer(slot) if !slot.is_empty() => write!(f, "incident at {slot}: ")?,
                    Within::Line | Within::Pointer(_) => {}
                }
                f.write_str(&message)
            }
            Problem::Broken(error) => write!(f, "{error}"),
            Problem::Empty(input) => write!(f, "{}: no incidents found", input.display),
        }
    }
}

/// What a batch counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Records processed.
    pub ok: usize,
    /// Records that could not be processed.
    pub bad: usize,
    /// Inputs whose structure broke off (the records after the break could not be read).
    pub broken: usize,
}

impl Counts {
    /// Every record was read and processed.
    pub fn clean(&self) -> bool {
        self.bad == 0 && self.broken == 0
    }
}

/// One input being processed: what the stream and document stages share.
struct Run<'r, S: Step, K> {
    pool: &'r rayon::ThreadPool,
    window: usize,
    input: &'r InputFile,
    step: &'r S,
    sink: &'r mut K,
    outputs: &'r mut outputs::Outputs,
    counts: &'r mut Counts,
}

/// Runs `step` on every record of every input of `config` and hands the items to `sink` in
/// input order; the records the step returns go to `config.out`. Stops at the first input that
/// cannot be opened, or the first error of an output or of the sink.
pub fn run<S: Step, K: Sink<S::Item>>(config: &Config<'_>, step: &S, sink: &mut K) -> Result<Counts, K::Error> {
    let jobs = config.jobs.max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().map_err(Error::Threads)?;
    let mut outputs = outputs::Outputs::open(config.out.as_ref(), config.rejects, config.inputs.len() == 1)?;
    let mut counts = Counts::default();
    for input in config.inputs {
        let opened = io::open(input).map_err(Error::Input)?;
        let run = Run {
            pool: &pool,
            window: config.window_per_job.max(1) * jobs,
            input,
            step,
            sink: &mut *sink,
            outputs: &mut outputs,
            counts: &mut counts,
        };
        match opened {
            Opened::Stream(records) => stream::process(run, records)?,
            Opened::Document(doc) => document::process(run, doc)?,
        }
        sink.input_done(input)?;
    }
    outputs.finish()?;
    Ok(counts)
}
