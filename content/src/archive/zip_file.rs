//! zip: the central directory is read from the end of the file (its entry count is checked
//! first), then each entry is decompressed straight to staging.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::{Sink, one_line};
use crate::error::ImportError;

/// Unix file-type bits in a zip entry's external attributes.
const S_IFMT: u32 = 0o170000;
const S_IFREG: u32 = 0o100000;
const S_IFDIR: u32 = 0o040000;
const S_IFLNK: u32 = 0o120000;

pub(super) fn extract(path: &Path, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut file = File::open(path).map_err(ImportError::io("opening the archive"))?;
    let file_len = file
        .metadata()
        .map_err(ImportError::io("reading the archive"))?
        .len();
    // Refuse a huge entry count before the zip reader allocates its directory.
    if let Some(count) = declared_entry_count(&mut file, file_len)
        && count > sink.limits.max_entries
    {
        return Err(ImportError::LimitExceeded(format!(
            "more than {} entries in the archive",
            sink.limits.max_entries
        )));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(ImportError::io("reading the archive"))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(zip_error)?;
    if zip.len() as u64 > sink.limits.max_entries {
        return Err(ImportError::LimitExceeded(format!(
            "more than {} entries in the archive",
            sink.limits.max_entries
        )));
    }
    for i in 0..zip.len() {
        sink.count_entry()?;
        let mut entry = zip.by_index(i).map_err(zip_error)?;
        let name = entry.name().map_err(zip_error)?.into_owned();
        if entry.encrypted() {
            return Err(ImportError::unsafe_entry(&name, "encrypted"));
        }
        let kind = entry.unix_mode().map(|m| m & S_IFMT).filter(|&t| t != 0);
        if entry.is_symlink() || kind == Some(S_IFLNK) {
            return Err(ImportError::unsafe_entry(&name, "a symbolic link"));
        }
        if entry.is_dir() {
            sink.dir(&name)?;
            continue;
        }
        if let Some(t) = kind
            && t != S_IFREG
            && t != S_IFDIR
        {
            return Err(ImportError::unsafe_entry(&name, "a device, pipe or socket"));
        }
        // The compressed size cannot really exceed the file; a lie there must not loosen the
        // ratio check.
        let compressed = entry.compressed_size().min(file_len);
        let declared = entry.size();
        sink.file(&name, declared, Some(compressed), &mut entry)?;
    }
    Ok(())
}

fn zip_error(e: zip::result::ZipError) -> ImportError {
    match e {
        zip::result::ZipError::Io(io) => super::read_error(io),
        other => ImportError::CorruptArchive(one_line(&other.to_string())),
    }
}

/// The entry count in the end-of-central-directory record, if it can be found cheaply.
/// `None` for zip64 (count 0xFFFF) or an unreadable tail; the zip reader checks those.
fn declared_entry_count(file: &mut File, len: u64) -> Option<u64> {
    // The end record is 22 bytes plus a comment of at most 65535.
    let tail_len = len.min(22 + 65_535);
    file.seek(SeekFrom::Start(len - tail_len)).ok()?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    file.take(tail_len).read_to_end(&mut tail).ok()?;
    let at = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let record = tail.get(at..at + 22)?;
    let total = u16::from_le_bytes([record[10], record[11]]);
    (total != 0xFFFF).then_some(u64::from(total))
}
