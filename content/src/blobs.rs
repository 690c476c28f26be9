//! The media files an import refers to, by the sha256 of their content.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ImportError;

/// One stored file: the server copies it to `DATA_DIR/blobs/` under its sha256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blob {
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
    /// The name it had in the source (the first one, when several share the content).
    pub filename: String,
    /// Where it is now, inside the staging directory.
    pub path: PathBuf,
}

#[derive(Default)]
pub(crate) struct Blobs {
    by_sha: BTreeMap<String, Blob>,
    order: Vec<String>,
    by_path: HashMap<PathBuf, String>,
    copies: u64,
}

impl Blobs {
    /// Registers a file already in staging and returns its sha256.
    pub(crate) fn add(
        &mut self,
        path: &Path,
        filename: &str,
        media_type: Option<&str>,
    ) -> Result<String, ImportError> {
        if let Some(sha) = self.by_path.get(path) {
            return Ok(sha.clone());
        }
        let file = File::open(path).map_err(ImportError::io(format!("opening {filename:?}")))?;
        let (sha, size) =
            hash(file, io::sink()).map_err(ImportError::io(format!("reading {filename:?}")))?;
        self.insert(sha.clone(), size, path.to_owned(), filename, media_type);
        self.by_path.insert(path.to_owned(), sha.clone());
        Ok(sha)
    }

    /// Copies a file from outside staging (our own program folder) into `staging/media/`.
    pub(crate) fn copy_in(
        &mut self,
        source: &Path,
        staging: &Path,
        filename: &str,
    ) -> Result<String, ImportError> {
        if let Some(sha) = self.by_path.get(source) {
            return Ok(sha.clone());
        }
        let media = staging.join("media");
        fs::create_dir_all(&media).map_err(ImportError::io("creating the media folder"))?;
        self.copies += 1;
        let tmp = media.join(format!("incoming-{}", self.copies));
        let input = File::open(source).map_err(ImportError::io(format!("opening {filename:?}")))?;
        let out = File::create(&tmp).map_err(ImportError::io("writing to staging"))?;
        let (sha, size) =
            hash(input, out).map_err(ImportError::io(format!("copying {filename:?}")))?;
        let dest = media.join(&sha);
        fs::rename(&tmp, &dest).map_err(ImportError::io("writing to staging"))?;
        self.insert(sha.clone(), size, dest, filename, None);
        self.by_path.insert(source.to_owned(), sha.clone());
        Ok(sha)
    }

    fn insert(
        &mut self,
        sha: String,
        size: u64,
        path: PathBuf,
        filename: &str,
        media_type: Option<&str>,
    ) {
        if self.by_sha.contains_key(&sha) {
            return;
        }
        let media_type = media_type
            .filter(|m| !m.is_empty() && *m != "document/unknown")
            .map(str::to_owned)
            .unwrap_or_else(|| guess_media_type(filename).to_owned());
        self.order.push(sha.clone());
        self.by_sha.insert(
            sha.clone(),
            Blob {
                sha256: sha,
                size,
                media_type,
                filename: filename.to_owned(),
                path,
            },
        );
    }

    pub(crate) fn get(&self, sha: &str) -> Option<&Blob> {
        self.by_sha.get(sha)
    }

    /// The blobs in the order they were first used.
    pub(crate) fn into_vec(mut self) -> Vec<Blob> {
        self.order
            .iter()
            .filter_map(|sha| self.by_sha.remove(sha))
            .collect()
    }
}

/// sha256 of everything read, copied to `out` on the way; returns (hex, size).
pub(crate) fn hash(mut input: impl Read, mut out: impl Write) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        size += n as u64;
    }
    out.flush()?;
    Ok((hex::encode(hasher.finalize()), size))
}

/// A media type from the file name, for sources that do not say.
pub(crate) fn guess_media_type(filename: &str) -> &'static str {
    let ext = filename
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" => "video/ogg",
        "vtt" => "text/vtt",
        "txt" => "text/plain",
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "h5p" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}
