//! Why an import was refused, in one line a provider admin can act on.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("unsupported format: {0}")]
    UnsupportedFormat(String),
    #[error("corrupt archive: {0}")]
    CorruptArchive(String),
    #[error("unsafe archive entry {path:?}: {why}")]
    UnsafeEntry { path: String, why: String },
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
    #[error("{file}: XML with a DTD or entity declaration is refused")]
    XmlWithDtd { file: String },
    #[error("{file}: invalid XML: {why}")]
    InvalidXml { file: String, why: String },
    #[error("invalid Moodle backup: {0}")]
    InvalidBackup(String),
    #[error("invalid program folder: {0}")]
    InvalidProgram(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl ImportError {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ImportError {
        let what = what.into();
        move |source| ImportError::Io { what, source }
    }

    pub(crate) fn unsafe_entry(path: &str, why: impl Into<String>) -> ImportError {
        ImportError::UnsafeEntry {
            // Names come from the archive: keep the message one short line.
            path: path.chars().take(200).collect(),
            why: why.into(),
        }
    }
}
