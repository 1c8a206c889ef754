//! Why a batch stopped: an input that cannot be opened, an output that cannot be written, or
//! worker threads that cannot be started. (A record that cannot be processed does not stop a
//! batch: it is a [`super::Problem`] for the sink.)

use std::fmt;

use crate::io::InputError;

/// Why a batch stopped.
#[derive(Debug)]
pub enum Error {
    /// An input cannot be opened or read from the start.
    Input(InputError),
    /// An output cannot be written: what was being written, and the I/O error.
    Write { what: String, source: std::io::Error },
    /// The worker threads cannot be started.
    Threads(rayon::ThreadPoolBuildError),
}

impl Error {
    /// A write error: `what` says which output (`cannot write the incidents`).
    pub fn write(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Error {
        let what = what.into();
        move |source| Error::Write { what, source }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(e) => write!(f, "{e}"),
            Error::Write { what, .. } => f.write_str(what),
            Error::Threads(_) => f.write_str("cannot start worker threads"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Input(_) => None,
            Error::Write { source, .. } => Some(source),
            Error::Threads(e) => Some(e),
        }
    }
}
