//! A streaming, defensive archive reader (SECURITY.md S17, S18; fault tests F11, F12, F14).
//!
//! The container is recognised by its first bytes, never by the file name. Entries are read one
//! at a time from the file and written into a fresh folder inside the caller's staging
//! directory; the archive is never held in memory. Every size cap is checked while the bytes
//! flow, so a gzip or zip bomb is stopped after at most a few megabytes of output.

mod path;
mod tar_gz;
mod zip_file;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::ImportError;

pub use path::safe_relative_path;

const MIB: u64 = 1024 * 1024;
const GIB: u64 = 1024 * MIB;

/// Caps on what one import may unpack. The defaults fit a large real course backup (a year of
/// weekly modules with video) and refuse anything an order of magnitude beyond.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Entries of any kind, directories included.
    pub max_entries: u64,
    /// Uncompressed bytes of all files together.
    pub max_total_bytes: u64,
    /// Uncompressed bytes of one file.
    pub max_entry_bytes: u64,
    /// Largest allowed uncompressed/compressed ratio (a zip entry, or a whole gzip stream)...
    pub max_ratio: u64,
    /// ...checked once this many bytes are out: small XML files and tar padding compress far
    /// better than 100:1 and are harmless.
    pub ratio_applies_after: u64,
    /// Largest XML document parsed into memory.
    pub max_xml_bytes: u64,
    /// Largest number of XML nodes in one document.
    pub max_xml_nodes: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entries: 50_000,
            max_total_bytes: 4 * GIB,
            max_entry_bytes: 2 * GIB,
            max_ratio: 100,
            ratio_applies_after: 8 * MIB,
            max_xml_bytes: 128 * MIB,
            max_xml_nodes: 5_000_000,
        }
    }
}

/// The kinds of container the importer opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    TarGz,
    Tar,
    Zip,
}

/// Recognises the container by its magic bytes. `Ok(None)`: not an archive we read.
pub fn sniff(path: &Path) -> Result<Option<Container>, ImportError> {
    let mut head = Vec::with_capacity(512);
    File::open(path)
        .map_err(ImportError::io("opening the upload"))?
        .take(512)
        .read_to_end(&mut head)
        .map_err(ImportError::io("reading the upload"))?;
    Ok(sniff_bytes(&head))
}

/// As [`sniff`], for the first (up to 512) bytes of a file. An empty slice is no container.
pub fn sniff_bytes(head: &[u8]) -> Option<Container> {
    if head.starts_with(&[0x1f, 0x8b]) {
        Some(Container::TarGz)
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        // A local file header, or the end record of an empty zip.
        Some(Container::Zip)
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Some(Container::Tar)
    } else {
        None
    }
}

/// What [`extract`] unpacked.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The folder the entries were written into (inside the staging directory).
    pub root: PathBuf,
    pub entries: u64,
    pub files: u64,
    pub bytes: u64,
}

/// Unpacks `archive` into the new folder `dest` (which must not exist yet), refusing unsafe
/// entries and stopping as soon as a cap in `limits` is passed. On error, `dest` is removed.
pub fn extract(
    archive: &Path,
    container: Container,
    dest: &Path,
    limits: &Limits,
) -> Result<Extracted, ImportError> {
    fs::create_dir(dest).map_err(ImportError::io("creating the staging folder"))?;
    let mut sink = Sink::new(dest, limits);
    let result = match container {
        Container::TarGz => tar_gz::extract(archive, true, &mut sink),
        Container::Tar => tar_gz::extract(archive, false, &mut sink),
        Container::Zip => zip_file::extract(archive, &mut sink),
    };
    match result {
        Ok(()) => Ok(Extracted {
            root: dest.to_owned(),
            entries: sink.entries,
            files: sink.files,
            bytes: sink.total,
        }),
        Err(e) => {
            // Best effort: a refused archive must not leave gigabytes behind in staging.
            let _ = fs::remove_dir_all(dest);
            Err(e)
        }
    }
}

/// Writes validated entries under `root` and keeps the running totals the caps are checked on.
pub(crate) struct Sink<'a> {
    root: &'a Path,
    pub(crate) limits: &'a Limits,
    entries: u64,
    files: u64,
    total: u64,
}

impl<'a> Sink<'a> {
    fn new(root: &'a Path, limits: &'a Limits) -> Sink<'a> {
        Sink {
            root,
            limits,
            entries: 0,
            files: 0,
            total: 0,
        }
    }

    /// Counts one more entry against the cap.
    pub(crate) fn count_entry(&mut self) -> Result<(), ImportError> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(ImportError::LimitExceeded(format!(
                "more than {} entries in the archive",
                self.limits.max_entries
            )));
        }
        Ok(())
    }

    pub(crate) fn dir(&mut self, name: &str) -> Result<(), ImportError> {
        if let Some(rel) = safe_relative_path(name)? {
            fs::create_dir_all(self.root.join(rel)).map_err(ImportError::io(format!(
                "creating folder {name:?} in staging"
            )))?;
        }
        Ok(())
    }

    /// Copies one file entry. `declared` is the size the archive claims (checked first, so an
    /// honest oversized entry is refused before any byte is written); `compressed` is its
    /// compressed size when the container knows it per entry (zip), for the ratio check.
    pub(crate) fn file(
        &mut self,
        name: &str,
        declared: u64,
        compressed: Option<u64>,
        data: &mut dyn Read,
    ) -> Result<(), ImportError> {
        let Some(rel) = safe_relative_path(name)? else {
            return Err(ImportError::unsafe_entry(name, "a file without a name"));
        };
        self.check_entry_size(name, declared)?;
        let target = self.root.join(&rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(ImportError::io(format!(
                "creating the folder of {name:?} in staging"
            )))?;
        }
        // create_new: a second entry of the same name must not overwrite the first (or follow
        // anything already there).
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(|e| {
                if e.kind() == io::ErrorKind::AlreadyExists {
                    ImportError::unsafe_entry(name, "appears twice in the archive")
                } else {
                    ImportError::io(format!("writing {name:?} to staging"))(e)
                }
            })?;
        self.files += 1;
        let mut buf = vec![0u8; 64 * 1024];
        let mut written: u64 = 0;
        loop {
            let n = match data.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            };
            written += n as u64;
            self.total += n as u64;
            self.check_entry_size(name, written)?;
            if self.total > self.limits.max_total_bytes {
                return Err(ImportError::LimitExceeded(format!(
                    "more than {} bytes uncompressed",
                    self.limits.max_total_bytes
                )));
            }
            if let Some(c) = compressed
                && written > self.limits.ratio_applies_after
                && written / c.max(1) > self.limits.max_ratio
            {
                return Err(ratio_exceeded(self.limits));
            }
            out.write_all(&buf[..n])
                .map_err(ImportError::io(format!("writing {name:?} to staging")))?;
        }
        Ok(())
    }

    fn check_entry_size(&self, name: &str, size: u64) -> Result<(), ImportError> {
        if size > self.limits.max_entry_bytes {
            return Err(ImportError::LimitExceeded(format!(
                "entry {:?} is larger than {} bytes",
                name.chars().take(200).collect::<String>(),
                self.limits.max_entry_bytes
            )));
        }
        Ok(())
    }
}

pub(crate) fn ratio_exceeded(limits: &Limits) -> ImportError {
    ImportError::LimitExceeded(format!(
        "compression ratio above {}:1 (a compression bomb?)",
        limits.max_ratio
    ))
}

/// A read error while unpacking: the data is truncated or damaged.
pub(crate) fn read_error(e: io::Error) -> ImportError {
    if let Some(v) = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<Violation>())
    {
        return ImportError::LimitExceeded(v.0.clone());
    }
    match e.kind() {
        io::ErrorKind::UnexpectedEof => {
            ImportError::CorruptArchive("the archive is truncated".into())
        }
        _ => ImportError::CorruptArchive(one_line(&e.to_string())),
    }
}

/// A cap passed inside a reader; carried through `io::Error` and turned back into
/// [`ImportError::LimitExceeded`].
#[derive(Debug)]
pub(crate) struct Violation(pub(crate) String);

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Violation {}

pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(300)
        .collect()
}
