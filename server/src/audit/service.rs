//! Appending to and reading the hash-chained usage log.
//!
//! Every read of a participant's data by staff is recorded: who, with which role, whose data,
//! which category, what was done, for what purpose, when, the request id and the outcome.
//! Health data itself never goes in here.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::AuthUser;
use crate::entity::audit_log;
use crate::error::AppResult;

/// The first row's parent.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Writers in this process take turns; other instances are kept in line by UNIQUE(prev_hash).
static APPEND: Mutex<()> = Mutex::const_new(());

/// One access to a participant's data.
pub struct Access<'a> {
    pub actor: &'a AuthUser,
    pub subject: Uuid,
    pub provider_id: Option<i32>,
    /// What kind of data: `profile`, `enrolment`, `course_participants`, …
    pub category: &'static str,
    /// `read`, `create`, `update`, `delete`, `send_link`.
    pub action: &'static str,
    /// Why the actor may: `guidance`, `course_administration`, …
    pub purpose: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_role: String,
    pub subject_id: Option<Uuid>,
    pub category: String,
    pub action: String,
    pub purpose: String,
    pub request_id: String,
    pub outcome: String,
}

impl AuditEntry {
    /// The row as an entry about `subject` (a listing row names many).
    fn about(m: audit_log::Model, subject: Uuid) -> AuditEntry {
        AuditEntry {
            at: m.at,
            actor_id: m.actor_user_id,
            actor_role: m.actor_role,
            subject_id: Some(m.subject_user_id.unwrap_or(subject)),
            category: m.category,
            action: m.action,
            purpose: m.purpose,
            request_id: m.request_id,
            outcome: m.outcome,
        }
    }
}

fn row_hash(prev: &str, r: &audit_log::Model) -> String {
    let mut fields = vec![
        prev.to_owned(),
        r.at.to_rfc3339(),
        r.actor_user_id.map(|u| u.to_string()).unwrap_or_default(),
        r.actor_role.clone(),
        r.subject_user_id.map(|u| u.to_string()).unwrap_or_default(),
        r.provider_id.map(|p| p.to_string()).unwrap_or_default(),
        r.category.clone(),
        r.action.clone(),
        r.purpose.clone(),
        r.request_id.clone(),
        r.outcome.clone(),
    ];
    // Only on listing rows, so the rows written before the column existed hash as they did.
    if let Some(list) = &r.subjects {
        fields.push(list.clone());
    }
    let mut h = Sha256::new();
    for f in fields {
        // Length-prefixed, so no two different rows hash the same text.
        h.update((f.len() as u64).to_be_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends one entry; the read it records is refused if the log cannot be written.
pub async fn record(db: &DatabaseConnection, now: DateTime<Utc>, a: Access<'_>) -> AppResult<()> {
    record_each(db, now, &a, &[a.subject]).await
}

/// Rows per INSERT: at 13 values a row, about the most a statement can bind on SQLite (32,766).
const ROWS_PER_INSERT: usize = 2500;

/// Appends one entry per subject for the same access (the participants of one course read at
/// once), in one transaction under one turn. `a.subject` is not used.
pub async fn record_each(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    a: &Access<'_>,
    subjects: &[Uuid],
) -> AppResult<()> {
    let rows = subjects
        .iter()
        .map(|s| unchained(now, a, Some(*s), None))
        .collect();
    append(db, rows).await
}

/// Appends one entry for a read of many participants at once (a provider's overview of
/// thousands), listing them: one row whatever the number, and [`for_subject`] finds it for each
/// of them. `a.subject` is not used.
pub async fn record_listing(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    a: &Access<'_>,
    subjects: &[Uuid],
) -> AppResult<()> {
    if subjects.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<String> = subjects.iter().map(Uuid::to_string).collect();
    ids.sort_unstable();
    ids.dedup();
    append(db, vec![unchained(now, a, None, Some(ids.join(" ")))]).await
}

/// A row for `a` before it is linked into the chain.
fn unchained(
    now: DateTime<Utc>,
    a: &Access<'_>,
    subject: Option<Uuid>,
    subjects: Option<String>,
) -> audit_log::Model {
    audit_log::Model {
        id: 0,
        // PostgreSQL keeps microseconds: a row is hashed with the instant as it will be read
        // back, or `verify_chain` would find every row written with a finer clock changed.
        at: now.trunc_subsecs(6),
        actor_user_id: Some(a.actor.uuid),
        actor_role: a.actor.role.as_str().to_owned(),
        subject_user_id: subject,
        subjects,
        provider_id: a.provider_id,
        category: a.category.to_owned(),
        action: a.action.to_owned(),
        purpose: a.purpose.to_owned(),
        request_id: a.actor.request_id.clone(),
        outcome: "success".to_owned(),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

/// Links the rows onto the chain's last hash, read once, and writes them in one transaction
/// under one turn.
async fn append(db: &DatabaseConnection, rows: Vec<audit_log::Model>) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let _turn = APPEND.lock().await;
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut prev = audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Id)
            .limit(1)
            .one(db)
            .await?
            .map(|r| r.hash)
            .unwrap_or_else(|| GENESIS.to_owned());
        let mut chained = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut row = row.clone();
            row.prev_hash = prev;
            row.hash = row_hash(&row.prev_hash, &row);
            prev = row.hash.clone();
            chained.push(audit_log::ActiveModel {
                at: Set(row.at),
                actor_user_id: Set(row.actor_user_id),
                actor_role: Set(row.actor_role),
                subject_user_id: Set(row.subject_user_id),
                subjects: Set(row.subjects),
                provider_id: Set(row.provider_id),
                category: Set(row.category),
                action: Set(row.action),
                purpose: Set(row.purpose),
                request_id: Set(row.request_id),
                outcome: Set(row.outcome),
                prev_hash: Set(row.prev_hash),
                hash: Set(row.hash),
                ..Default::default()
            });
        }
        match insert_all(db, chained).await {
            Ok(()) => return Ok(()),
            // Another instance appended first (UNIQUE(prev_hash)); chain onto its row.
            Err(_) if attempts < 5 => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Writes the rows in order, all or none.
async fn insert_all(
    db: &DatabaseConnection,
    rows: Vec<audit_log::ActiveModel>,
) -> Result<(), sea_orm::DbErr> {
    let txn = db.begin().await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(ROWS_PER_INSERT).collect();
        audit_log::Entity::insert_many(chunk)
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await
}

/// The most entries [`for_subject`] answers with.
const FOR_SUBJECT_MAX: u64 = 1000;

/// Entries about one participant, newest first: the rows about them and the listing rows that
/// name them (found through the partial index on listing rows; an id is 36 characters of a
/// fixed form, so a match inside the list is that id).
pub async fn for_subject(db: &DatabaseConnection, subject: Uuid) -> AppResult<Vec<AuditEntry>> {
    let own = audit_log::Entity::find()
        .filter(audit_log::Column::SubjectUserId.eq(subject))
        .order_by_desc(audit_log::Column::Id)
        .limit(FOR_SUBJECT_MAX)
        .all(db)
        .await?;
    let listed = audit_log::Entity::find()
        .filter(audit_log::Column::Subjects.is_not_null())
        .filter(audit_log::Column::Subjects.contains(subject.to_string()))
        .order_by_desc(audit_log::Column::Id)
        .limit(FOR_SUBJECT_MAX)
        .all(db)
        .await?;
    let mut rows: Vec<audit_log::Model> = own.into_iter().chain(listed).collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    rows.truncate(FOR_SUBJECT_MAX as usize);
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry::about(r, subject))
        .collect())
}

/// Walks the whole chain; `Err(id)` names the first row that was changed or removed.
pub async fn verify_chain(db: &DatabaseConnection) -> AppResult<Result<usize, i32>> {
    let rows = audit_log::Entity::find()
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?;
    let mut prev = GENESIS.to_owned();
    for r in &rows {
        if r.prev_hash != prev || row_hash(&prev, r) != r.hash {
            return Ok(Err(r.id));
        }
        prev = r.hash.clone();
    }
    Ok(Ok(rows.len()))
}
