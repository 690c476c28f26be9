//! tar and tar.gz: one pass over the stream, entry by entry.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;
use tar::EntryType;

use super::{Sink, Violation, one_line, ratio_exceeded};
use crate::error::ImportError;

pub(super) fn extract(
    path: &std::path::Path,
    gzipped: bool,
    sink: &mut Sink<'_>,
) -> Result<(), ImportError> {
    let file = File::open(path).map_err(ImportError::io("opening the archive"))?;
    let compressed = Rc::new(Cell::new(0u64));
    let counted = Counting {
        inner: BufReader::new(file),
        count: Rc::clone(&compressed),
    };
    let violation = Rc::new(RefCell::new(None));
    let stream: Box<dyn Read> = if gzipped {
        // Multi-member gzip is valid gzip (`cat a.gz b.gz`), and gzip(1) and tar read all members.
        Box::new(MultiGzDecoder::new(counted))
    } else {
        Box::new(counted)
    };
    let limits = sink.limits.clone();
    // The whole tar stream (headers and padding too) is capped: the per-file caps in the sink
    // cannot see bytes the tar reader skips on its own.
    let stream_cap = limits
        .max_total_bytes
        .saturating_add(limits.max_entries.saturating_mul(1536))
        .saturating_add(1 << 20);
    let guarded = Guarded {
        inner: stream,
        produced: 0,
        compressed,
        gzipped,
        stream_cap,
        limits: limits.clone(),
        violation: Rc::clone(&violation),
    };
    let mut archive = tar::Archive::new(guarded);
    let entries = archive.entries().map_err(|e| tar_error(e, &violation))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| tar_error(e, &violation))?;
        sink.count_entry()?;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        match kind {
            EntryType::Regular | EntryType::Continuous => {
                let declared = entry.header().size().unwrap_or(0);
                sink.file(&name, declared, None, &mut entry)
                    .map_err(|e| prefer_violation(e, &violation))?;
            }
            EntryType::Directory => sink.dir(&name)?,
            // Global pax headers carry metadata only.
            EntryType::XGlobalHeader => {}
            EntryType::Symlink => return Err(ImportError::unsafe_entry(&name, "a symbolic link")),
            EntryType::Link => return Err(ImportError::unsafe_entry(&name, "a hard link")),
            EntryType::Char | EntryType::Block | EntryType::Fifo => {
                return Err(ImportError::unsafe_entry(&name, "a device or pipe"));
            }
            other => {
                return Err(ImportError::unsafe_entry(
                    &name,
                    format!("unsupported tar entry type {:?}", other.as_byte() as char),
                ));
            }
        }
    }
    if let Some(v) = violation.borrow_mut().take() {
        return Err(ImportError::LimitExceeded(v));
    }
    Ok(())
}

fn tar_error(e: io::Error, violation: &RefCell<Option<String>>) -> ImportError {
    if let Some(v) = violation.borrow_mut().take() {
        return ImportError::LimitExceeded(v);
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            ImportError::CorruptArchive("the archive is truncated".into())
        }
        _ => ImportError::CorruptArchive(one_line(&e.to_string())),
    }
}

/// The tar reader wraps our errors in its own; the recorded violation says what really happened.
fn prefer_violation(e: ImportError, violation: &RefCell<Option<String>>) -> ImportError {
    match violation.borrow_mut().take() {
        Some(v) => ImportError::LimitExceeded(v),
        None => e,
    }
}

/// Counts the compressed bytes read from the file.
struct Counting<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Watches the decompressed stream and fails it as soon as it grows past the caps.
struct Guarded {
    inner: Box<dyn Read>,
    produced: u64,
    compressed: Rc<Cell<u64>>,
    gzipped: bool,
    stream_cap: u64,
    limits: super::Limits,
    violation: Rc<RefCell<Option<String>>>,
}

impl Read for Guarded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.produced += n as u64;
        let broken = if self.produced > self.stream_cap {
            Some(format!(
                "more than {} bytes uncompressed",
                self.limits.max_total_bytes
            ))
        } else if self.gzipped
            && self.produced > self.limits.ratio_applies_after
            && self.produced / self.compressed.get().max(1) > self.limits.max_ratio
        {
            match ratio_exceeded(&self.limits) {
                ImportError::LimitExceeded(m) => Some(m),
                _ => None,
            }
        } else {
            None
        };
        if let Some(message) = broken {
            *self.violation.borrow_mut() = Some(message.clone());
            return Err(io::Error::other(Violation(message)));
        }
        Ok(n)
    }
}
