//! Where `apply` writes: the incidents (standard output, one file, a directory with one file
//! per input, or each input in place), the audit log and the rejects file. Files are written
//! atomically (temporary file, fsync, rename), so a reader never sees half a file and an
//! interrupted run leaves every target whole.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value;

use crate::io::{self as sio, AtomicFile, Encoder, InputFile, RecordWriter, Shape, Source, Style};

use super::ApplyConfig;

/// Where the incidents go.
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

/// A byte destination: standard output or an atomic file.
pub enum Dest {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile, PathBuf),
}

impl Dest {
    fn create(path: &Path) -> anyhow::Result<Dest> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create directory {}", parent.display()))?;
        }
        let file = AtomicFile::create(path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Dest::File(file, path.to_path_buf()))
    }

    fn target(spec: &str) -> anyhow::Result<Dest> {
        if spec == "-" {
            Ok(Dest::Stdout(BufWriter::with_capacity(1 << 16, io::stdout())))
        } else {
            Dest::create(Path::new(spec))
        }
    }

    /// Flushes, and for a file renames the temporary file over the target.
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            Dest::Stdout(mut w) => w.flush().context("cannot write to standard output"),
            Dest::File(file, path) => file.commit().with_context(|| format!("cannot replace {}", path.display())),
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

/// All outputs of one run.
pub struct Outputs {
    target: OutTarget,
    dry_run: bool,
    single_input: bool,
    merged: Option<RecordWriter<Dest>>,
    current: Current,
    audit: Option<Dest>,
    rejects: Option<Dest>,
}

impl Outputs {
    pub fn open(config: &ApplyConfig) -> anyhow::Result<Outputs> {
        let dry_run = config.dry_run.is_some();
        let open = |spec: &Option<String>| -> anyhow::Result<Option<Dest>> {
            match spec {
                Some(s) if !dry_run => Dest::target(s).map(Some),
                _ => Ok(None),
            }
        };
        Ok(Outputs {
            target: config.out.clone(),
            dry_run,
            single_input: config.inputs.len() == 1,
            merged: None,
            current: Current::None,
            audit: open(&config.audit)?,
            rejects: open(&config.rejects)?,
        })
    }

    fn own_path(&self, input: &InputFile) -> Option<PathBuf> {
        match (&self.target, &input.source) {
            (OutTarget::InPlace, Source::File(p)) => Some(p.clone()),
            (OutTarget::Dir(dir), _) => Some(dir.join(&input.rel)),
            _ => None,
        }
    }

    fn merged_writer(&mut self, shape: Shape, style: Style) -> anyhow::Result<&mut RecordWriter<Dest>> {
        if self.merged.is_none() {
            let dest = match &self.target {
                OutTarget::File(p) => Dest::create(p)?,
                _ => Dest::target("-")?,
            };
            // Several inputs into one file or stream: JSON Lines, whatever each input was.
            let (shape, style) =
                if self.single_input { (shape, style) } else { (Shape::Lines, Style { pretty: false }) };
            self.merged = Some(RecordWriter::new(dest, shape, style));
        }
        self.merged.as_mut().context("internal: no output writer")
    }

    /// Starts writing the records of a stream input.
    pub fn start_stream(&mut self, input: &InputFile, shape: Shape, style: Style) -> anyhow::Result<()> {
        if self.dry_run {
            self.current = Current::None;
        } else if let Some(path) = self.own_path(input) {
            self.current = Current::Own(Box::new(RecordWriter::new(Dest::create(&path)?, shape, style)));
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

    /// Writes one record encoded by [`Self::encoder`].
    pub fn write_encoded(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        if let Some(w) = self.writer() {
            w.write_encoded(bytes).context("cannot write the incidents")?;
        }
        Ok(())
    }

    pub fn has_audit(&self) -> bool {
        self.audit.is_some()
    }

    /// Appends encoded audit lines.
    pub fn write_audit(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        if let Some(dest) = &mut self.audit {
            dest.write_all(bytes).context("cannot write the audit log")?;
        }
        Ok(())
    }

    /// Passes a record that could not be processed through unchanged where the output replaces
    /// its input (in place), so nothing is lost; elsewhere it goes to the rejects file only.
    pub fn pass_through(&mut self, raw: &[u8]) -> anyhow::Result<()> {
        if self.target == OutTarget::InPlace {
            if let Some(w) = self.writer() {
                w.write_raw(raw).context("cannot write the incidents")?;
            }
        }
        Ok(())
    }

    /// Ends a stream input (commits its own file, if any).
    pub fn end_stream(&mut self) -> anyhow::Result<()> {
        if let Current::Own(w) = std::mem::replace(&mut self.current, Current::None) {
            w.finish().context("cannot write the incidents")?.commit()?;
        }
        Ok(())
    }

    /// Writes a whole-document input after its incidents were processed in place.
    pub fn write_document(
        &mut self,
        input: &InputFile,
        root: &Value,
        style: Style,
        incidents: &[Value],
    ) -> anyhow::Result<()> {
        if self.dry_run {
            return Ok(());
        }
        if let Some(path) = self.own_path(input) {
            let mut dest = Dest::create(&path)?;
            sio::write_document(&mut dest, root, style).context("cannot write the incidents")?;
            return dest.commit();
        }
        if self.single_input {
            let dest = match &self.target {
                OutTarget::File(p) => Dest::create(p)?,
                _ => Dest::target("-")?,
            };
            let mut dest = dest;
            sio::write_document(&mut dest, root, style).context("cannot write the incidents")?;
            return dest.commit();
        }
        let w = self.merged_writer(Shape::Lines, Style { pretty: false })?;
        for incident in incidents {
            w.write_value(incident).context("cannot write the incidents")?;
        }
        Ok(())
    }

    pub fn reject(&mut self, raw: &[u8]) -> anyhow::Result<()> {
        if let Some(dest) = &mut self.rejects {
            dest.write_all(raw.trim_ascii()).context("cannot write the rejects file")?;
            dest.write_all(b"\n").context("cannot write the rejects file")?;
        }
        Ok(())
    }

    /// Closes and commits everything.
    pub fn finish(self) -> anyhow::Result<()> {
        if let Some(w) = self.merged {
            w.finish().context("cannot write the incidents")?.commit()?;
        }
        if let Some(a) = self.audit {
            a.commit()?;
        }
        if let Some(r) = self.rejects {
            r.commit()?;
        }
        Ok(())
    }
}
