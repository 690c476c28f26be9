//! Etäpolku's content model: a program of weekly modules made of items. Importers (Moodle
//! backups, standalone SCORM/H5P packages, our own folder format) produce it; the server stores
//! and delivers it. This crate knows nothing of databases or HTTP.
//!
//! One entry point, [`import_path`]: give it an upload (or a program folder), an empty staging
//! directory and the [`Limits`]; it returns the [`Program`], the blobs it refers to (already in
//! staging), a report and an identity key, or an [`ImportError`] with a one-line reason.

pub mod archive;
mod blobs;
mod error;
mod html;
pub mod model;
pub mod moodle;
pub mod native;
mod package;
mod xml;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use archive::Limits;
pub use blobs::Blob;
pub use error::ImportError;
use model::{Lang, Program};

/// The result of a successful import.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Imported {
    pub program: Program,
    /// Every blob the program refers to, each once.
    pub blobs: Vec<Blob>,
    pub report: Report,
    pub identity: Identity,
}

/// What was imported, for the admin (and `etapolku import --json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// `moodle`, `scorm`, `h5p` or `native`.
    pub format: String,
    pub modules: usize,
    /// Items by kind (`page`, `book`, `exercise`, …).
    pub items: BTreeMap<String, usize>,
    /// Questions a participant answers, over all items.
    pub exercises: usize,
    pub files: usize,
    pub bytes: u64,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    pub what: String,
    pub why: String,
}

/// How to recognise the same upload, or a newer backup of the same course, again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// sha256 of the uploaded file (for a folder: of its listing and contents).
    pub input_sha256: String,
    pub moodle: Option<MoodleIdentity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoodleIdentity {
    pub original_course_id: String,
    pub original_site_identifier_hash: String,
    pub backup_id: String,
    pub backup_date: i64,
    pub moodle_release: String,
    pub backup_type: String,
}

/// What a reader hands back; the rest of [`Imported`] is computed here.
pub(crate) struct Read {
    pub program: Program,
    pub format: &'static str,
    pub moodle: Option<MoodleIdentity>,
}

/// State shared by the readers of one import.
pub(crate) struct Ctx<'a> {
    pub limits: &'a Limits,
    pub staging: &'a Path,
    pub blobs: blobs::Blobs,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<String>,
}

impl Ctx<'_> {
    pub(crate) fn skip(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.skipped.push(Skipped {
            what: what.into(),
            why: why.into(),
        });
    }

    pub(crate) fn warn(&mut self, warning: impl Into<String>) {
        self.warnings.push(warning.into());
    }
}

/// Imports a Moodle backup (`.mbz`, gzip tar or zip), a SCORM or H5P package, a zip of one of
/// our program folders, or such a folder itself. `staging` must be an existing directory the
/// caller owns (a tempdir); everything written goes inside it, and the returned blobs live there.
pub fn import_path(path: &Path, staging: &Path, limits: &Limits) -> Result<Imported, ImportError> {
    let meta = fs::metadata(path).map_err(ImportError::io("reading the upload"))?;
    let mut ctx = Ctx {
        limits,
        staging,
        blobs: blobs::Blobs::default(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };
    let (read, input_sha256) = if meta.is_dir() {
        let sha = native::folder_digest(path)?;
        (native::read(path, &mut ctx)?, sha)
    } else {
        if meta.len() == 0 {
            return Err(ImportError::Empty);
        }
        let container = archive::sniff(path)?.ok_or_else(|| {
            ImportError::UnsupportedFormat(
                "not a Moodle backup, zip or tar.gz archive (unrecognised first bytes)".into(),
            )
        })?;
        let input = File::open(path).map_err(ImportError::io("reading the upload"))?;
        let (sha, _) =
            blobs::hash(input, std::io::sink()).map_err(ImportError::io("reading the upload"))?;
        let unpacked = staging.join("unpacked");
        let extracted = archive::extract(path, container, &unpacked, limits)?;
        (read_unpacked(path, &extracted.root, &mut ctx)?, sha)
    };
    Ok(finish(read, input_sha256, ctx))
}

/// Decides what an unpacked archive is by the files at its top.
fn read_unpacked(input: &Path, root: &Path, ctx: &mut Ctx<'_>) -> Result<Read, ImportError> {
    let root = content_root(root);
    if root.join("moodle_backup.xml").is_file() {
        moodle::read(&root, ctx)
    } else if root.join("imsmanifest.xml").is_file() {
        package::read_ims(input, &root, ctx)
    } else if root.join("h5p.json").is_file() {
        package::read_h5p(input, &root, ctx)
    } else if root.join("program.toml").is_file() {
        native::read(&root, ctx)
    } else {
        Err(ImportError::UnsupportedFormat(
            "the archive has no moodle_backup.xml, imsmanifest.xml, h5p.json or program.toml"
                .into(),
        ))
    }
}

/// An archive made by zipping a folder has that one folder at its top: look inside it.
fn content_root(root: &Path) -> PathBuf {
    const MARKERS: [&str; 4] = [
        "moodle_backup.xml",
        "imsmanifest.xml",
        "h5p.json",
        "program.toml",
    ];
    if MARKERS.iter().any(|m| root.join(m).is_file()) {
        return root.to_owned();
    }
    let entries: Vec<_> = match fs::read_dir(root) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(_) => return root.to_owned(),
    };
    match entries.as_slice() {
        [only] if only.path().is_dir() => only.path(),
        _ => root.to_owned(),
    }
}

fn finish(read: Read, input_sha256: String, ctx: Ctx<'_>) -> Imported {
    let mut program = read.program;
    settle_languages(&mut program);
    let mut items = BTreeMap::new();
    let mut exercises = 0;
    for item in program.items() {
        *items.entry(item.kind.name().to_owned()).or_insert(0) += 1;
        exercises += item.kind.question_count();
    }
    let blobs = ctx.blobs.into_vec();
    let report = Report {
        format: read.format.to_owned(),
        modules: program.modules.len(),
        items,
        exercises,
        files: blobs.len(),
        bytes: blobs.iter().map(|b| b.size).sum(),
        skipped: ctx.skipped,
        warnings: ctx.warnings,
    };
    Imported {
        program,
        blobs,
        report,
        identity: Identity {
            input_sha256,
            moodle: read.moodle,
        },
    }
}

/// Readers tag text whose language the source does not state as `und`. When the program's
/// language is known (from the source, or the multilang variants found), those texts get it,
/// and `languages` lists every language found, the original first.
fn settle_languages(program: &mut Program) {
    let mut found: Vec<Lang> = program
        .languages
        .iter()
        .filter(|l| *l != "und")
        .cloned()
        .collect();
    program.for_each_text_mut(&mut |t| {
        for (l, _) in &t.0 {
            if l != "und" && !found.contains(l) {
                found.push(l.clone());
            }
        }
    });
    let Some(primary) = found.first().cloned() else {
        program.languages = vec!["und".into()];
        return;
    };
    program.for_each_text_mut(&mut |t| {
        for (l, _) in &mut t.0 {
            if l == "und" {
                l.clone_from(&primary);
            }
        }
    });
    program.languages = found;
}
