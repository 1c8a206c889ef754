//! [`AtomicFile`]: a destination file written atomically. Bytes go to a temporary file in the
//! target's directory, which is fsync'd and renamed over the target on [`AtomicFile::commit`]
//! (via the `atomic-write-file` crate); dropping it without a commit leaves the target as it
//! was, so a failed run never leaves a half-written output behind. On Linux the temporary file
//! is unnamed (`O_TMPFILE`, the crate's `unnamed-tmpfile` feature) until the commit links it, so
//! a process killed before the commit leaves no stray file either.

use std::io::{BufWriter, Write};
use std::path::Path;

use atomic_write_file::AtomicWriteFile;

const WRITE_BUFFER: usize = 64 * 1024;

/// A file written atomically; see the module documentation.
pub struct AtomicFile {
    inner: BufWriter<AtomicWriteFile>,
}

impl AtomicFile {
    /// Starts writing `path` (the target itself is not touched until [`AtomicFile::commit`]).
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let file = AtomicWriteFile::options().open(path)?;
        Ok(AtomicFile { inner: BufWriter::with_capacity(WRITE_BUFFER, file) })
    }

    /// Flushes, syncs and renames the temporary file over the target.
    pub fn commit(self) -> std::io::Result<()> {
        let file = self.inner.into_inner().map_err(|e| e.into_error())?;
        file.commit()
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
