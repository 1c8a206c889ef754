//! [`AtomicFile`]: a destination file written atomically. Bytes go to a temporary file in the
//! target's directory, which is fsync'd and renamed over the target on [`AtomicFile::commit`]
//! (via the `atomic-write-file` crate); dropping it without a commit leaves the target as it
//! was, so a failed run never leaves a half-written output behind. A target that exists and is
//! not a regular file (`/dev/null`, a FIFO, `/dev/stdout`) is written directly: renaming over
//! it would replace the device with a file. A symbolic link to a regular file is followed, so
//! the link stays and its target is replaced.
//!
//! On Linux the temporary file
//! is unnamed (`O_TMPFILE`, the crate's `unnamed-tmpfile` feature) until the commit links it, so
//! a process killed before the commit leaves no stray file either.

use std::io::{BufWriter, Write};
use std::path::Path;

use atomic_write_file::AtomicWriteFile;

const WRITE_BUFFER: usize = 64 * 1024;

/// A file written atomically; see the module documentation.
pub struct AtomicFile {
    inner: Inner,
}

enum Inner {
    Atomic(BufWriter<AtomicWriteFile>),
    /// A device, FIFO or socket: written in place.
    Direct(BufWriter<std::fs::File>),
}

impl AtomicFile {
    /// Starts writing `path` (a regular target is not touched until [`AtomicFile::commit`]).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let inner = match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() && !meta.is_dir() => Inner::Direct(BufWriter::with_capacity(
                WRITE_BUFFER,
                std::fs::OpenOptions::new().write(true).open(path)?,
            )),
            Ok(meta) if meta.is_file() => {
                let target = std::fs::canonicalize(path)?;
                Inner::Atomic(BufWriter::with_capacity(WRITE_BUFFER, AtomicWriteFile::options().open(target)?))
            }
            _ => Inner::Atomic(BufWriter::with_capacity(WRITE_BUFFER, AtomicWriteFile::options().open(path)?)),
        };
        Ok(AtomicFile { inner })
    }

    /// Flushes, syncs and renames the temporary file over the target (a device or FIFO is
    /// only flushed).
    pub fn commit(self) -> std::io::Result<()> {
        match self.inner {
            Inner::Atomic(w) => w.into_inner().map_err(|e| e.into_error())?.commit(),
            Inner::Direct(mut w) => w.flush(),
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match &mut self.inner {
            Inner::Atomic(w) => w,
            Inner::Direct(w) => w,
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }

    /// Slices that fill the buffer go to the file with one `writev`, after what it holds.
    fn write_vectored(&mut self, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
        fn through<W: Write>(w: &mut BufWriter<W>, bufs: &[std::io::IoSlice<'_>]) -> std::io::Result<usize> {
            if bufs.iter().map(|b| b.len()).sum::<usize>() < w.capacity() {
                return w.write_vectored(bufs);
            }
            if !w.buffer().is_empty() {
                w.flush()?;
            }
            w.get_mut().write_vectored(bufs)
        }
        match &mut self.inner {
            Inner::Atomic(w) => through(w, bufs),
            Inner::Direct(w) => through(w, bufs),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectored_writes_keep_the_order_of_what_was_buffered_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.jsonl");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"head\n").unwrap();
        let big = vec![b'x'; 100_000];
        let mut slices = [std::io::IoSlice::new(b"a"), std::io::IoSlice::new(&big), std::io::IoSlice::new(b"\n")];
        crate::io::output::write_all_vectored(&mut file, &mut slices).unwrap();
        let mut small = [std::io::IoSlice::new(b"b"), std::io::IoSlice::new(b"\n")];
        crate::io::output::write_all_vectored(&mut file, &mut small).unwrap();
        file.commit().unwrap();
        let want = [&b"head\na"[..], &big, b"\nb\n"].concat();
        assert_eq!(std::fs::read(&path).unwrap(), want);
    }

    #[test]
    fn commit_replaces_and_drop_keeps_the_old_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old\n").unwrap();
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"half").unwrap();
        file.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        drop(file);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new\n").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("out.json")]);
    }

    #[test]
    fn creates_a_missing_target() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.jsonl");
        let mut file = AtomicFile::create(&path).unwrap();
        writeln!(file, "{{}}").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}\n");
    }

    #[test]
    fn devices_are_written_in_place_and_never_replaced() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return;
        }
        let mut file = AtomicFile::create(null).unwrap();
        file.write_all(b"discarded").unwrap();
        file.commit().unwrap();
        let meta = std::fs::metadata(null).unwrap();
        assert!(!meta.is_file(), "/dev/null must stay a device");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_file_keeps_the_link_and_replaces_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.json");
        let link = dir.path().join("link.json");
        std::fs::write(&target, "old\n").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut file = AtomicFile::create(&link).unwrap();
        file.write_all(b"new\n").unwrap();
        file.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
    }
}
