//! Importing an upload into a program version (SECURITY.md promise 8, F11–F15): the content
//! library reads and checks it in a staging folder; blobs move into the blob store; the database
//! part is one transaction; the same file twice is the same version; a failed import leaves no
//! blobs behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use etapolku_content::{Imported, Limits, Report};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::content::blob_store::BlobStore;
use crate::entity::{blob, program, program_version, program_version_blob};

/// What `etapolku import --json` prints and the upload endpoint answers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportOutcome {
    pub program_id: Uuid,
    pub version_id: Uuid,
    pub version: i32,
    /// The same file was imported before; nothing new was stored.
    pub duplicate: bool,
    pub modules: usize,
    pub items: BTreeMap<String, usize>,
    pub exercises: usize,
    pub files: usize,
    pub bytes: u64,
    #[schema(value_type = Vec<Object>)]
    pub skipped: Vec<etapolku_content::Skipped>,
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The input itself is refused: a one-line reason for the person who uploaded it.
    #[error("{0}")]
    Rejected(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for ImportFailure {
    fn from(e: sea_orm::DbErr) -> ImportFailure {
        ImportFailure::Internal(anyhow::Error::new(e).context("database"))
    }
}

pub struct ImportRequest<'a> {
    pub provider_id: i32,
    pub actor_id: Option<i32>,
    pub source: &'a Path,
    pub source_name: &'a str,
    /// Where staging folders are made; on the blob store's disk, so blobs move by rename.
    pub staging_root: &'a Path,
    pub now: DateTime<Utc>,
}

fn outcome(
    version: &program_version::Model,
    program_uuid: Uuid,
    duplicate: bool,
) -> Result<ImportOutcome, ImportFailure> {
    let report: Report = serde_json::from_str(&version.report)
        .map_err(|e| ImportFailure::Internal(anyhow::anyhow!("stored report unreadable: {e}")))?;
    Ok(ImportOutcome {
        program_id: program_uuid,
        version_id: version.uuid,
        version: version.version,
        duplicate,
        modules: report.modules,
        items: report.items,
        exercises: report.exercises,
        files: report.files,
        bytes: report.bytes,
        skipped: report.skipped,
        warnings: report.warnings,
    })
}

/// The version already made from this exact file, if any.
async fn existing(
    db: &DatabaseConnection,
    provider_id: i32,
    sha: &str,
) -> Result<Option<ImportOutcome>, ImportFailure> {
    let Some(v) = program_version::Entity::find()
        .filter(program_version::Column::ProviderId.eq(provider_id))
        .filter(program_version::Column::SourceSha256.eq(sha))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let p = program::Entity::find_by_id(v.program_id).one(db).await?;
    let uuid = p.map(|p| p.uuid).unwrap_or_default();
    outcome(&v, uuid, true).map(Some)
}

/// A newer backup of the same Moodle course becomes a new version of the same program.
fn identity_key(imported: &Imported) -> String {
    match &imported.identity.moodle {
        Some(m) => format!(
            "moodle:{}:{}",
            m.original_site_identifier_hash, m.original_course_id
        ),
        None => {
            let title = imported
                .program
                .title
                .0
                .first()
                .map(|(_, t)| t.as_str())
                .unwrap_or("");
            if imported.report.format == "native" {
                format!("native:{title}")
            } else {
                format!("file:{}", imported.identity.input_sha256)
            }
        }
    }
}

pub async fn import(
    db: &DatabaseConnection,
    store: Arc<dyn BlobStore>,
    req: ImportRequest<'_>,
) -> Result<ImportOutcome, ImportFailure> {
    std::fs::create_dir_all(req.staging_root)
        .map_err(|e| anyhow::anyhow!("creating the staging folder: {e}"))?;
    let staging =
        tempfile::TempDir::new_in(req.staging_root).map_err(|e| anyhow::anyhow!("staging: {e}"))?;
    let source: PathBuf = req.source.to_path_buf();
    let staging_path = staging.path().to_path_buf();
    // Reading and unpacking is blocking, CPU- and disk-heavy work: off the async workers.
    let imported = tokio::task::spawn_blocking(move || {
        etapolku_content::import_path(&source, &staging_path, &Limits::default())
    })
    .await
    .map_err(|e| anyhow::anyhow!("import task failed: {e}"))?
    .map_err(|e| ImportFailure::Rejected(e.to_string()))?;

    if let Some(found) = existing(db, req.provider_id, &imported.identity.input_sha256).await? {
        return Ok(found);
    }

    // Move the blobs into the store, remembering which are new so a failure can sweep them.
    let blobs = imported.blobs.clone();
    let store_for_put = store.clone();
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<Vec<String>> {
        let mut written = Vec::new();
        for b in &blobs {
            if store_for_put.put(&b.sha256, &b.path)? {
                written.push(b.sha256.clone());
            }
        }
        Ok(written)
    })
    .await
    .map_err(|e| anyhow::anyhow!("blob task failed: {e}"))?
    .map_err(|e| anyhow::anyhow!("storing blobs: {e}"))?;

    match store_version(db, &req, &imported).await {
        Ok(done) => Ok(done),
        Err(e) => {
            for sha in &written {
                let still_used = blob::Entity::find_by_id(sha.clone())
                    .one(db)
                    .await
                    .ok()
                    .flatten()
                    .is_some();
                if !still_used && let Err(err) = store.remove(sha) {
                    tracing::warn!(error = %err, "could not sweep a blob of a failed import");
                }
            }
            // A concurrent import of the same file won the race: answer with its version.
            if let Some(found) =
                existing(db, req.provider_id, &imported.identity.input_sha256).await?
            {
                return Ok(found);
            }
            Err(e)
        }
    }
}

async fn store_version(
    db: &DatabaseConnection,
    req: &ImportRequest<'_>,
    imported: &Imported,
) -> Result<ImportOutcome, ImportFailure> {
    let key = identity_key(imported);
    let title: String = imported
        .program
        .title
        .0
        .first()
        .map(|(_, t)| t.chars().take(250).collect())
        .unwrap_or_default();
    let document = serde_json::to_string(&imported.program).map_err(|e| anyhow::anyhow!("{e}"))?;
    let report = serde_json::to_string(&imported.report).map_err(|e| anyhow::anyhow!("{e}"))?;
    let txn = db.begin().await?;
    let program = match program::Entity::find()
        .filter(program::Column::ProviderId.eq(req.provider_id))
        .filter(program::Column::IdentityKey.eq(key.as_str()))
        .one(&txn)
        .await?
    {
        Some(p) => p,
        None => {
            program::ActiveModel {
                uuid: Set(Uuid::new_v4()),
                provider_id: Set(req.provider_id),
                identity_key: Set(key),
                title: Set(title),
                created_at: Set(req.now),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    let last = program_version::Entity::find()
        .filter(program_version::Column::ProgramId.eq(program.id))
        .order_by_desc(program_version::Column::Version)
        .limit(1)
        .one(&txn)
        .await?
        .map(|v| v.version)
        .unwrap_or(0);
    let version = program_version::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        program_id: Set(program.id),
        provider_id: Set(req.provider_id),
        version: Set(last + 1),
        source_sha256: Set(imported.identity.input_sha256.clone()),
        source_name: Set(req.source_name.chars().take(250).collect()),
        format: Set(imported.report.format.clone()),
        document: Set(document),
        report: Set(report),
        imported_by: Set(req.actor_id),
        imported_at: Set(req.now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for b in &imported.blobs {
        blob::Entity::insert(blob::ActiveModel {
            sha256: Set(b.sha256.clone()),
            size: Set(i64::try_from(b.size).unwrap_or(i64::MAX)),
            media_type: Set(b.media_type.chars().take(128).collect()),
            created_at: Set(req.now),
        })
        .on_conflict_do_nothing_on([blob::Column::Sha256])
        .exec(&txn)
        .await?;
        program_version_blob::ActiveModel {
            version_id: Set(version.id),
            sha256: Set(b.sha256.clone()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    tracing::info!(program = %program.uuid, version = version.version, format = %version.format, "program imported");
    outcome(&version, program.uuid, false)
}
