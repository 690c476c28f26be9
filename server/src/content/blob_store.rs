//! Media stored by the sha256 of their content under `DATA_DIR/blobs/ab/cdef…`. Behind a small
//! trait, so an object store can take the folder's place when one machine is not enough.

use std::io;
use std::path::{Path, PathBuf};

pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Stores the file at `src` as `sha256`; `Ok(true)` when it was not there before.
    fn put(&self, sha256: &str, src: &Path) -> io::Result<bool>;
    /// Where a local reader finds the blob, if it is stored.
    fn local_path(&self, sha256: &str) -> Option<PathBuf>;
    fn remove(&self, sha256: &str) -> io::Result<()>;
}

#[derive(Debug, Clone)]
pub struct FsBlobStore {
    root: PathBuf,
}

/// A sha256 in lower-case hex, and nothing else can name a file here.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl FsBlobStore {
    pub fn new(root: PathBuf) -> io::Result<FsBlobStore> {
        std::fs::create_dir_all(&root)?;
        Ok(FsBlobStore { root })
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        is_sha256(sha256).then(|| self.root.join(&sha256[..2]).join(&sha256[2..]))
    }
}

impl BlobStore for FsBlobStore {
    fn put(&self, sha256: &str, src: &Path) -> io::Result<bool> {
        let dest = self
            .path_of(sha256)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a sha256"))?;
        if dest.exists() {
            return Ok(false);
        }
        let dir = dest
            .parent()
            .ok_or_else(|| io::Error::other("blob path has no parent"))?;
        std::fs::create_dir_all(dir)?;
        // Written under a temporary name and renamed, so a reader never sees half a file.
        let tmp = dir.join(format!(
            ".{}.{}",
            &sha256[2..],
            uuid::Uuid::new_v4().simple()
        ));
        if std::fs::rename(src, &tmp).is_err() {
            std::fs::copy(src, &tmp)?;
        }
        std::fs::File::open(&tmp)?.sync_all()?;
        std::fs::rename(&tmp, &dest)?;
        Ok(true)
    }

    fn local_path(&self, sha256: &str) -> Option<PathBuf> {
        self.path_of(sha256).filter(|p| p.is_file())
    }

    fn remove(&self, sha256: &str) -> io::Result<()> {
        match self.path_of(sha256) {
            Some(p) if p.exists() => std::fs::remove_file(p),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_stored_once_under_its_hash_and_names_are_checked() {
        let dir = tempfile::tempdir().expect("tmp");
        let store = FsBlobStore::new(dir.path().join("blobs")).expect("store");
        let sha = "ab".repeat(32);
        let src = dir.path().join("a");
        std::fs::write(&src, b"x").expect("write");
        assert!(store.put(&sha, &src).expect("put"));
        std::fs::write(&src, b"x").expect("write");
        assert!(!store.put(&sha, &src).expect("put again"));
        assert!(store.local_path(&sha).is_some());
        assert!(store.local_path("../../etc/passwd").is_none());
        assert!(store.put("../x", &src).is_err());
        store.remove(&sha).expect("remove");
        assert!(store.local_path(&sha).is_none());
    }
}
