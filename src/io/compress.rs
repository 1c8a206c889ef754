//! Compressed inputs and outputs: gzip (flate2) and zstd (the zstd crate), read and written as
//! streams, so memory stays bounded as for plain files.
//!
//! An input is decompressed when its first bytes say so (gzip `1F 8B`, zstd `28 B5 2F FD`),
//! whatever its name: standard input and misnamed files work, and a file that is neither JSON
//! nor a supported format is named for what it is (bzip2, xz, zip...) instead of failing as
//! text that is not UTF-8 ([`decode`], [`describe_binary`]). The name (`.gz`, `.zst`) is what
//! directories are searched by and what an output is compressed by ([`Compression::of_name`],
//! [`Compressor`]). Positions in messages count lines of the decompressed text.

use std::io::{self, BufRead, BufReader, Cursor, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::InputError;

const READ_BUFFER: usize = 64 * 1024;

/// How a file is (or is to be) compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    #[default]
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// By the file name: `.gz` is gzip, `.zst` zstd (ignoring ASCII case); anything else none.
    pub fn of_name(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("gz") => Compression::Gzip,
            Some(e) if e.eq_ignore_ascii_case("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "plain text",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// The first bytes of compressed and archive formats, with their names; only gzip and zstd are
/// read.
const MAGIC: &[(&[u8], &str, Compression)] = &[
    (&[0x1F, 0x8B], "gzip", Compression::Gzip),
    (&[0x28, 0xB5, 0x2F, 0xFD], "zstd", Compression::Zstd),
    (b"BZh", "bzip2", Compression::None),
    (&[0xFD, b'7', b'z', b'X', b'Z', 0x00], "xz", Compression::None),
    (&[0x04, 0x22, 0x4D, 0x18], "lz4", Compression::None),
    (&[b'P', b'K', 0x03, 0x04], "zip", Compression::None),
    (&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C], "7z", Compression::None),
];

/// Longest magic above.
const HEAD: usize = 6;

/// The compressed or archive format `bytes` start with, if any: its name and whether it is read
/// (gzip, zstd). JSON never starts with one of these bytes, so a match is never a JSON text.
fn sniff(bytes: &[u8]) -> Option<(&'static str, Compression)> {
    MAGIC.iter().find(|(magic, _, _)| bytes.starts_with(magic)).map(|(_, name, c)| (*name, *c))
}

/// For a message about bytes that are not text: "gzip-compressed data" when `bytes` start
/// with a compressed or archive format's magic bytes.
pub fn describe_binary(bytes: &[u8]) -> Option<String> {
    sniff(bytes).map(|(name, _)| match name {
        "zip" | "7z" => format!("a {name} archive"),
        _ => format!("{name}-compressed data"),
    })
}

/// An input opened for reading, decompressed if it was compressed.
pub struct Decoded {
    /// The (decompressed) text.
    pub reader: Box<dyn BufRead + Send>,
    /// How the input was compressed, so that it can be written back the same way.
    pub compression: Compression,
    /// Compressed bytes read so far (compressed inputs only).
    pub counter: Option<Arc<AtomicU64>>,
}

/// Reads the first bytes of `raw` to know whether it is compressed, and returns a reader of its
/// text: gzip (several members, as `cat a.gz b.gz` gives, are read one after the other) and
/// zstd (several frames likewise) are decompressed as they are read. Err: a format that is not
/// read (named), or the input cannot be read.
pub fn decode(mut raw: Box<dyn Read + Send>, display: &str) -> Result<Decoded, InputError> {
    let mut head = Vec::with_capacity(HEAD);
    while head.len() < HEAD {
        let mut byte = [0u8; HEAD];
        let want = HEAD - head.len();
        match raw.read(byte.get_mut(..want).unwrap_or_default()) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(byte.get(..n).unwrap_or_default()),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(InputError::new(format!("{display}: cannot read: {e}"))),
        }
    }
    let found = sniff(&head);
    let described = describe_binary(&head).unwrap_or_default();
    let whole = Cursor::new(head).chain(raw);
    let (format, compression) = match found {
        None => {
            let reader = Box::new(BufReader::with_capacity(READ_BUFFER, whole));
            return Ok(Decoded { reader, compression: Compression::None, counter: None });
        }
        Some(found) => found,
    };
    let counter = Arc::new(AtomicU64::new(0));
    let counted = BufReader::with_capacity(READ_BUFFER, Counted { inner: whole, count: Arc::clone(&counter) });
    let inner: Box<dyn Read + Send> = match compression {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(counted)),
        Compression::Zstd => Box::new(
            zstd::stream::read::Decoder::with_buffer(counted)
                .map_err(|e| InputError::new(format!("{display}: cannot read zstd data: {e}")))?,
        ),
        Compression::None => {
            return Err(InputError::new(format!(
                "{display}: the file is {described}, not JSON; only gzip (.gz) and zstd (.zst) are decompressed: \
                 decompress it first"
            )))
        }
    };
    let mut reader = Box::new(BufReader::with_capacity(READ_BUFFER, Named { inner, format }));
    // The text inside may be compressed again (`gzip` run twice): say so, rather than fail on
    // every line as text that is not UTF-8.
    if let Some(inside) = reader.fill_buf().ok().and_then(describe_binary) {
        return Err(InputError::new(format!(
            "{display}: the {format} data holds {inside}, not JSON (compressed twice?): decompress it first"
        )));
    }
    Ok(Decoded { reader, compression, counter: Some(counter) })
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// A decoder whose errors say which format was being decompressed.
struct Named {
    inner: Box<dyn Read + Send>,
    format: &'static str,
}

impl Read for Named {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let kind = e.kind();
            let what = if kind == io::ErrorKind::UnexpectedEof { "truncated".to_owned() } else { e.to_string() };
            io::Error::new(kind, format!("invalid {} data: {what}", self.format))
        })
    }
}

/// A writer that compresses (or not) what is written to it.
pub enum Compressor<W: Write> {
    Plain(W),
    Gzip(Box<flate2::write::GzEncoder<W>>),
    Zstd(Box<zstd::stream::write::Encoder<'static, W>>),
}

impl<W: Write> Compressor<W> {
    /// Writes to `out`, compressed with `compression` at the format's default level.
    pub fn new(out: W, compression: Compression) -> io::Result<Compressor<W>> {
        Ok(match compression {
            Compression::None => Compressor::Plain(out),
            Compression::Gzip => {
                Compressor::Gzip(Box::new(flate2::write::GzEncoder::new(out, flate2::Compression::default())))
            }
            Compression::Zstd => Compressor::Zstd(Box::new(zstd::stream::write::Encoder::new(out, 0)?)),
        })
    }

    /// Ends the compressed stream and returns the writer underneath.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Compressor::Plain(w) => Ok(w),
            Compressor::Gzip(w) => w.finish(),
            Compressor::Zstd(w) => (*w).finish(),
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Compressor::Plain(w) => w,
            Compressor::Gzip(w) => w.as_mut(),
            Compressor::Zstd(w) => w.as_mut(),
        }
    }
}

impl<W: Write> Write for Compressor<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.writer().write_vectored(bufs)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer().write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_magic_bytes() {
        assert_eq!(Compression::of_name(Path::new("a/b.jsonl.GZ")), Compression::Gzip);
        assert_eq!(Compression::of_name(Path::new("b.json.zst")), Compression::Zstd);
        assert_eq!(Compression::of_name(Path::new("b.gz.json")), Compression::None);
        assert_eq!(describe_binary(&[0x1F, 0x8B, 8]).as_deref(), Some("gzip-compressed data"));
        assert_eq!(describe_binary(b"PK\x03\x04").as_deref(), Some("a zip archive"));
        assert_eq!(describe_binary(b"{\"a\": 1}"), None);
        assert_eq!(describe_binary(&[0x1F]), None);
    }

    #[test]
    fn compressed_text_reads_back_and_the_compressed_bytes_are_counted() {
        for compression in [Compression::None, Compression::Gzip, Compression::Zstd] {
            let mut out = Compressor::new(Vec::new(), compression).unwrap();
            out.write_all(b"{\"a\": 1}\n").unwrap();
            let bytes = out.finish().unwrap();
            let mut decoded = decode(Box::new(Cursor::new(bytes.clone())), "t").unwrap();
            let mut text = String::new();
            decoded.reader.read_to_string(&mut text).unwrap();
            assert_eq!((text.as_str(), decoded.compression), ("{\"a\": 1}\n", compression));
            let counted = decoded.counter.map(|c| c.load(Ordering::Relaxed));
            assert_eq!(counted, (compression != Compression::None).then_some(bytes.len() as u64));
        }
        let short = decode(Box::new(Cursor::new(b"[]".to_vec())), "t").unwrap();
        assert_eq!(short.compression, Compression::None);
    }
}
