//! Where a batch writes its records: standard output, one file, a directory with one file per
//! input, or each input in place; and the rejects file. Files are written atomically
//! (temporary file, fsync, rename), so a reader never sees half a file and an interrupted run
//! leaves every target whole. A file whose name ends in `.gz` or `.zst` is compressed, and an
//! input replaced in place is compressed as it was read.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::Error;
use crate::io::{
    self as sio, AtomicFile, Compression, Compressor, Document, Encoder, InputFile, Place, RecordWriter, Shape, Source,
    Style,
};

/// Where the records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutTarget {
    Stdout,
    File(PathBuf),
    Dir(PathBuf),
    InPlace,
}

impl OutTarget {
    /// `-` or nothing: stdout; an existing directory or a path ending in `/`: a directory;
    /// anything else: one file.
    pub fn resolve(out: Option<&str>, in_place: bool) -> OutTarget {
        if in_place {
            return OutTarget::InPlace;
        }
        match out {
            None | Some("-") => OutTarget::Stdout,
            Some(p) if p.ends_with('/') || Path::new(p).is_dir() => OutTarget::Dir(PathBuf::from(p)),
            Some(p) => OutTarget::File(PathBuf::from(p)),
        }
    }
}

/// A byte destination: standard output or an atomic file (compressed or not).
pub enum Dest {
    Stdout(BufWriter<io::Stdout>),
    File(Compressor<AtomicFile>, PathBuf),
}

impl Dest {
    /// An atomic file at `path` (its directory is created if missing), compressed when its name
    /// ends in `.gz` (gzip) or `.zst` (zstd).
    pub fn create(path: &Path) -> Result<Dest, Error> {
        Dest::create_as(path, Compression::of_name(path))
    }

    /// An atomic file at `path` compressed with `compression`, whatever its name.
    pub fn create_as(path: &Path, compression: Compression) -> Result<Dest, Error> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(Error::write(format!("cannot create directory {}", parent.display())))?;
        }
        let fail = || Error::write(format!("cannot write {}", path.display()));
        let file = AtomicFile::create(path).map_err(fail())?;
        Ok(Dest::File(Compressor::new(file, compression).map_err(fail())?, path.to_path_buf()))
    }

    /// `-`: standard output; anything else: an atomic file.
    pub fn target(spec: &str) -> Result<Dest, Error> {
        if spec == "-" {
            Ok(Dest::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())))
        } else {
            Dest::create(Path::new(spec))
        }
    }

    /// Flushes, and for a file renames the temporary file over the target.
    pub fn commit(self) -> Result<(), Error> {
        match self {
            Dest::Stdout(mut w) => w.flush().map_err(Error::write("cannot write to standard output")),
            Dest::File(file, path) => file
                .finish()
                .and_then(AtomicFile::commit)
                .map_err(Error::write(format!("cannot replace {}", path.display()))),
        }
    }
}

impl Write for Dest {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Dest::Stdout(w) => w.write(buf),
            Dest::File(w, _) => w.write(buf),
        }
    }

    /// Slices as large as the buffer go to standard output or the file with one `writev`
    /// (compressed, through the encoder).
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match self {
            Dest::Stdout(w) => w.write_vectored(bufs),
            Dest::File(w, _) => w.write_vectored(bufs),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Dest::Stdout(w) => w.flush(),
            Dest::File(w, _) => w.flush(),
        }
    }
}

enum Current {
    None,
    /// Records go to the shared writer.
    Merged,
    /// Records go to this input's own file.
    Own(Box<RecordWriter<Dest>>),
}

const INCIDENTS: &str = "cannot write the incidents";

/// All outputs of one batch.
pub(super) struct Outputs {
    /// `None`: no record is written.
    target: Option<OutTarget>,
    single_input: bool,
    merged: Option<RecordWriter<Dest>>,
    current: Current,
    rejects: Option<Dest>,
}

impl Outputs {
    pub fn open(target: Option<&OutTarget>, rejects: Option<&str>, single_input: bool) -> Result<Outputs, Error> {
        Ok(Outputs {
            target: target.cloned(),
            single_input,
            merged: None,
            current: Current::None,
            rejects: rejects.map(Dest::target).transpose()?,
        })
    }

    fn own_path(&self, input: &InputFile) -> Option<PathBuf> {
        match (&self.target, &input.source) {
            (Some(OutTarget::InPlace), Source::File(p)) => Some(p.clone()),
            (Some(OutTarget::Dir(dir)), _) => Some(dir.join(&input.rel)),
            _ => None,
        }
    }

    /// The input's own output file: in place compressed as the input was read, in a directory
    /// by its name.
    fn own_dest(&self, path: &Path, read_as: Compression) -> Result<Dest, Error> {
        if self.in_place() {
            Dest::create_as(path, read_as)
        } else {
            Dest::create(path)
        }
    }

    fn in_place(&self) -> bool {
        self.target == Some(OutTarget::InPlace)
    }

    fn merged_writer(&mut self, shape: Shape, style: Style) -> Result<&mut RecordWriter<Dest>, Error> {
        if self.merged.is_none() {
            let dest = match &self.target {
                Some(OutTarget::File(p)) => Dest::create(p)?,
                _ => Dest::target("-")?,
            };
            // Several inputs into one file or stream: JSON Lines, whatever each input was.
            let (shape, style) =
                if self.single_input { (shape, style) } else { (Shape::Lines, Style { pretty: false }) };
            self.merged = Some(RecordWriter::new(dest, shape, style));
        }
        match &mut self.merged {
            Some(writer) => Ok(writer),
            None => Err(Error::write("cannot write the incidents")(std::io::Error::other("no output writer"))),
        }
    }

    /// Starts writing the records of a stream input (read as `compression`).
    pub fn start_stream(
        &mut self,
        input: &InputFile,
        shape: Shape,
        style: Style,
        compression: Compression,
    ) -> Result<(), Error> {
        if self.target.is_none() {
            self.current = Current::None;
        } else if let Some(path) = self.own_path(input) {
            self.current = Current::Own(Box::new(RecordWriter::new(self.own_dest(&path, compression)?, shape, style)));
        } else {
            self.merged_writer(shape, style)?;
            self.current = Current::Merged;
        }
        Ok(())
    }

    fn writer(&mut self) -> Option<&mut RecordWriter<Dest>> {
        match &mut self.current {
            Current::None => None,
            Current::Merged => self.merged.as_mut(),
            Current::Own(w) => Some(w),
        }
    }

    /// The encoder of the current stream's records; `None` when nothing is written.
    pub fn encoder(&self) -> Option<Encoder> {
        match &self.current {
            Current::None => None,
            Current::Merged => self.merged.as_ref().map(RecordWriter::encoder),
            Current::Own(w) => Some(w.encoder()),
        }
    }

    /// Writes records encoded by [`Self::encoder`], in order ([`RecordWriter::write_encoded_all`]).
    pub fn write_encoded_all(&mut self, records: &[Vec<u8>]) -> Result<(), Error> {
        match self.writer() {
            Some(w) if !records.is_empty() => w.write_encoded_all(records).map_err(Error::write(INCIDENTS)),
            _ => Ok(()),
        }
    }

    /// A record that could not be processed: to the rejects file, and through unchanged where
    /// the output replaces its input (in place), so nothing is lost.
    pub fn reject(&mut self, raw: &[u8]) -> Result<(), Error> {
        if self.in_place() {
            if let Some(w) = self.writer() {
                w.write_raw(raw).map_err(Error::write(INCIDENTS))?;
            }
        }
        self.write_rejects(raw)
    }

    /// The raw bytes of a record that could not be processed, to the rejects file (if any), on
    /// one line of its own (a record's inner line breaks stay).
    pub fn write_rejects(&mut self, raw: &[u8]) -> Result<(), Error> {
        if let Some(dest) = &mut self.rejects {
            let fail = Error::write("cannot write the rejects file");
            dest.write_all(raw.trim_ascii()).and_then(|()| dest.write_all(b"\n")).map_err(fail)?;
        }
        Ok(())
    }

    /// Ends a stream input (commits its own file, if any).
    pub fn end_stream(&mut self) -> Result<(), Error> {
        if let Current::Own(w) = std::mem::replace(&mut self.current, Current::None) {
            w.finish().map_err(Error::write(INCIDENTS))?.commit()?;
        }
        Ok(())
    }

    /// Writes a document input after its records were processed in place. `written` are the
    /// pointers of the records processed (several inputs into one output: those, as lines);
    /// `rejected` those of the records that could not be, with their places in the text: left
    /// out of the output, or, in place, written back as they were. In place, a document none of
    /// whose records was processed is left as it is, byte for byte.
    pub fn write_document(
        &mut self,
        input: &InputFile,
        doc: &mut Document,
        written: &[&str],
        rejected: &[(&str, Option<Place>)],
    ) -> Result<(), Error> {
        if self.target.is_none() {
            return Ok(());
        }
        let own = self.own_path(input);
        if let (Some(path), true) = (&own, self.in_place()) {
            if written.is_empty() {
                return Ok(());
            }
            let raw: Vec<(String, &[u8])> = rejected
                .iter()
                .filter_map(|(at, place)| {
                    Some(((*at).to_owned(), doc.text.get(place.as_ref()?.start..place.as_ref()?.end)?))
                })
                .collect();
            let mut dest = Dest::create_as(path, doc.compression)?;
            sio::splice::write_spliced(&mut dest, &doc.root, doc.style, &raw).map_err(Error::write(INCIDENTS))?;
            return dest.commit();
        }
        if own.is_none() && !self.single_input {
            let w = self.merged_writer(Shape::Lines, Style { pretty: false })?;
            for record in written.iter().filter_map(|slot| doc.root.pointer(slot)) {
                w.write_value(record).map_err(Error::write(INCIDENTS))?;
            }
            return Ok(());
        }
        // Left out: from the last, so that the indexes of earlier list elements still hold.
        for (at, _) in rejected.iter().rev() {
            if at.is_empty() {
                return Ok(());
            }
            sio::splice::remove(&mut doc.root, at);
        }
        let mut dest = match (own, &self.target) {
            (Some(path), _) => Dest::create(&path)?,
            (None, Some(OutTarget::File(p))) => Dest::create(p)?,
            (None, _) => Dest::target("-")?,
        };
        sio::write_document(&mut dest, &doc.root, doc.style).map_err(Error::write(INCIDENTS))?;
        dest.commit()
    }

    /// Closes and commits everything.
    pub fn finish(self) -> Result<(), Error> {
        if let Some(w) = self.merged {
            w.finish().map_err(Error::write(INCIDENTS))?.commit()?;
        }
        if let Some(r) = self.rejects {
            r.commit()?;
        }
        Ok(())
    }
}
