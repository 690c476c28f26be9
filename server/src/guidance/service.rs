//! The guidance ledger in the database: recording, correcting and removing entries with their
//! history, and the remote-period totals per participant from one grouped query.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, JoinType,
    NotSet, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::accounts::service::users_by_id;
use crate::auth::extract::AuthUser;
use crate::courses::access::{course_for_staff, is_on_team};
use crate::courses::service::schedule_of;
use crate::entity::{
    contact, course, guidance_credit, guidance_entry, guidance_entry_revision, user,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::guidance::model::*;
use crate::guidance::pace::{REQUIRED_MINUTES, in_remote_period, pace, remote_window};

/// R-GUIDE-ONE and the ledger's write rule: only a member of the course's team writes guidance.
/// A course the actor cannot see is a 404; one they see but are not on the team of is a 403.
pub async fn ensure_guide_of_course<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    course_id: Uuid,
) -> AppResult<course::Model> {
    let course = course_for_staff(db, actor, course_id).await?;
    if is_on_team(db, course.id, actor.id).await? {
        Ok(course)
    } else {
        Err(AppError::Forbidden {
            code: "not_on_team",
        })
    }
}

fn credit_to_entry() -> RelationDef {
    guidance_credit::Entity::belongs_to(guidance_entry::Entity)
        .from(guidance_credit::Column::EntryId)
        .to(guidance_entry::Column::Id)
        .into()
}

fn person(u: &user::Model) -> Person {
    Person::of(Some(u))
}

/// The professional named in a request's `field` (or the actor), who must be on the course's
/// team.
pub(crate) async fn team_professional<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    actor_id: i32,
    named: Option<Uuid>,
    field: &str,
) -> AppResult<user::Model> {
    let not_on_team = || {
        AppError::field(
            field,
            "not_on_team",
            "the professional must be on the course's team",
        )
    };
    let found = match named {
        Some(id) => user::Entity::find()
            .filter(user::Column::Uuid.eq(id))
            .one(db)
            .await?
            .ok_or_else(not_on_team)?,
        None => user::Entity::find_by_id(actor_id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?,
    };
    let staff = matches!(
        Role::parse(&found.role),
        Some(Role::Guide | Role::ProviderAdmin)
    );
    if staff && is_on_team(db, course.id, found.id).await? {
        Ok(found)
    } else {
        Err(not_on_team())
    }
}

/// The named participants, each enrolled on the course, in the order given.
async fn enrolled<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    ids: &[Uuid],
) -> AppResult<Vec<user::Model>> {
    let enrolled_ids = crate::enrolment::service::enrolled_ids(db, course.id).await?;
    let found = user::Entity::find()
        .filter(user::Column::Uuid.is_in(ids.iter().copied()))
        .filter(user::Column::Id.is_in(enrolled_ids))
        .all(db)
        .await?;
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        match found.iter().find(|u| u.uuid == *id) {
            Some(u) => out.push(u.clone()),
            None => errors.push(FieldError::new(
                &format!("participant_ids[{i}]"),
                "not_enrolled",
                "this participant is not on the course",
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Who recorded what: the actor and, for a done contact, the contact.
pub struct Recording {
    pub actor_id: i32,
    pub source: Source,
    pub contact_id: Option<i32>,
}

async fn write_revision<C: ConnectionTrait>(
    db: &C,
    entry: &guidance_entry::Model,
    change: &str,
    reason: Option<String>,
    snapshot: &EntrySnapshot,
    actor_id: i32,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let json = serde_json::to_string(snapshot)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("entry snapshot")))?;
    guidance_entry_revision::ActiveModel {
        entry_id: Set(entry.id),
        version: Set(entry.version),
        change: Set(change.to_owned()),
        reason: Set(reason),
        changed_by: Set(actor_id),
        changed_at: Set(now),
        snapshot: Set(json),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

fn snapshot(
    entry: &guidance_entry::Model,
    professional: &user::Model,
    participants: &[user::Model],
) -> EntrySnapshot {
    EntrySnapshot {
        professional: person(professional),
        kind: GuidanceKind::parse(&entry.kind).unwrap_or(GuidanceKind::Other),
        started_at: entry.started_at,
        minutes: entry.minutes,
        participants: participants.iter().map(person).collect(),
        note: entry.note.clone(),
        voided: entry.voided_at.is_some(),
    }
}

/// Records an entry with its credits and its first revision, on `db` (a transaction when the
/// caller has more to do atomically, as marking a contact done has). Returns the entry and the
/// credited participants.
pub async fn create_entry<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    by: Recording,
    input: EntryInput,
    now: DateTime<Utc>,
) -> AppResult<(guidance_entry::Model, Vec<user::Model>)> {
    let professional = team_professional(
        db,
        course,
        by.actor_id,
        input.professional,
        "professional_ids",
    )
    .await?;
    let people = enrolled(db, course, &input.participants).await?;
    let entry = guidance_entry::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        course_id: Set(course.id),
        professional_id: Set(professional.id),
        kind: Set(input.kind.as_str().to_owned()),
        started_at: Set(input.started_at),
        minutes: Set(input.minutes.get()),
        note: Set(input.note),
        source: Set(by.source.as_str().to_owned()),
        contact_id: Set(by.contact_id),
        version: Set(1),
        voided_at: Set(None),
        voided_by: Set(None),
        void_reason: Set(None),
        created_by: Set(by.actor_id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    set_credits(db, entry.id, &people).await?;
    let snap = snapshot(&entry, &professional, &people);
    write_revision(db, &entry, "created", None, &snap, by.actor_id, now).await?;
    Ok((entry, people))
}

async fn set_credits<C: ConnectionTrait>(
    db: &C,
    entry_id: i32,
    people: &[user::Model],
) -> AppResult<()> {
    guidance_credit::Entity::delete_many()
        .filter(guidance_credit::Column::EntryId.eq(entry_id))
        .exec(db)
        .await?;
    if people.is_empty() {
        return Ok(());
    }
    guidance_credit::Entity::insert_many(people.iter().map(|p| guidance_credit::ActiveModel {
        entry_id: Set(entry_id),
        participant_id: Set(p.id),
        ..Default::default()
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

async fn credited<C: ConnectionTrait>(db: &C, entry_id: i32) -> AppResult<Vec<user::Model>> {
    let ids: Vec<i32> = guidance_credit::Entity::find()
        .select_only()
        .column(guidance_credit::Column::ParticipantId)
        .filter(guidance_credit::Column::EntryId.eq(entry_id))
        .order_by_asc(guidance_credit::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let users = users_by_id(db, ids.iter().copied()).await?;
    Ok(ids.iter().filter_map(|id| users.get(id).cloned()).collect())
}

/// An entry of this course by its id; anything else is a 404.
pub async fn find_entry<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    id: Uuid,
) -> AppResult<guidance_entry::Model> {
    guidance_entry::Entity::find()
        .filter(guidance_entry::Column::Uuid.eq(id))
        .filter(guidance_entry::Column::CourseId.eq(course.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn check_version(entry: &guidance_entry::Model, expected: Option<i32>) -> AppResult<()> {
    match expected {
        Some(v) if v != entry.version => Err(AppError::conflict(
            "entry_changed",
            format!(
                "the entry has changed since version {v}; it is now version {}",
                entry.version
            ),
        )),
        _ => Ok(()),
    }
}

/// Moves the entry from `from_version` to the next one; 409 when someone else got there first.
async fn bump<C: ConnectionTrait>(
    db: &C,
    updated: guidance_entry::Model,
    from_version: i32,
) -> AppResult<guidance_entry::Model> {
    // Every column is written (`reset_all`), the key excepted.
    let mut row = guidance_entry::ActiveModel::from(updated.clone()).reset_all();
    row.id = NotSet;
    row.version = Set(from_version + 1);
    let res = guidance_entry::Entity::update_many()
        .set(row)
        .filter(guidance_entry::Column::Id.eq(updated.id))
        .filter(guidance_entry::Column::Version.eq(from_version))
        .exec(db)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::conflict(
            "entry_changed",
            "the entry was changed by someone else; reload it and try again",
        ));
    }
    Ok(guidance_entry::Model {
        version: from_version + 1,
        ..updated
    })
}

/// Corrects an entry: the changed fields, a new version, and a revision with the reason.
/// Returns the entry and the participants credited before and after.
pub async fn correct_entry(
    db: &DatabaseConnection,
    course: &course::Model,
    entry: guidance_entry::Model,
    actor_id: i32,
    input: CorrectionInput,
    now: DateTime<Utc>,
) -> AppResult<(guidance_entry::Model, Vec<user::Model>)> {
    if entry.voided_at.is_some() {
        return Err(AppError::conflict(
            "entry_voided",
            "a removed entry cannot be corrected; record a new one",
        ));
    }
    check_version(&entry, input.version)?;
    let txn = db.begin().await?;
    let before = credited(&txn, entry.id).await?;
    let professional = match input.professional {
        Some(id) => team_professional(&txn, course, actor_id, Some(id), "professional_ids").await?,
        None => user::Entity::find_by_id(entry.professional_id)
            .one(&txn)
            .await?
            .ok_or(AppError::NotFound)?,
    };
    let people = match &input.participants {
        Some(ids) => enrolled(&txn, course, ids).await?,
        None => before.clone(),
    };
    let from_version = entry.version;
    let updated = guidance_entry::Model {
        professional_id: professional.id,
        kind: input
            .kind
            .map(|k| k.as_str().to_owned())
            .unwrap_or(entry.kind.clone()),
        started_at: input.started_at.unwrap_or(entry.started_at),
        minutes: input.minutes.map(|m| m.get()).unwrap_or(entry.minutes),
        note: input.note.unwrap_or(entry.note.clone()),
        updated_at: now,
        ..entry
    };
    let updated = bump(&txn, updated, from_version).await?;
    if input.participants.is_some() {
        set_credits(&txn, updated.id, &people).await?;
    }
    let snap = snapshot(&updated, &professional, &people);
    write_revision(
        &txn,
        &updated,
        "corrected",
        Some(input.reason),
        &snap,
        actor_id,
        now,
    )
    .await?;
    txn.commit().await?;
    let mut touched = before;
    for p in people {
        if !touched.iter().any(|t| t.id == p.id) {
            touched.push(p);
        }
    }
    Ok((updated, touched))
}

/// Removes an entry from the totals: it stays, marked void with who, when and why.
pub async fn void_entry(
    db: &DatabaseConnection,
    entry: guidance_entry::Model,
    actor_id: i32,
    reason: String,
    expected: Option<i32>,
    now: DateTime<Utc>,
) -> AppResult<(guidance_entry::Model, Vec<user::Model>)> {
    if entry.voided_at.is_some() {
        return Err(AppError::conflict(
            "entry_voided",
            "the entry has already been removed",
        ));
    }
    check_version(&entry, expected)?;
    let txn = db.begin().await?;
    let people = credited(&txn, entry.id).await?;
    let professional = user::Entity::find_by_id(entry.professional_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let from_version = entry.version;
    let updated = guidance_entry::Model {
        voided_at: Some(now),
        voided_by: Some(actor_id),
        void_reason: Some(reason.clone()),
        updated_at: now,
        ..entry
    };
    let updated = bump(&txn, updated, from_version).await?;
    let snap = snapshot(&updated, &professional, &people);
    write_revision(&txn, &updated, "voided", Some(reason), &snap, actor_id, now).await?;
    txn.commit().await?;
    Ok((updated, people))
}

/// Views of entries, with their credited participants and people's names, from three queries.
pub async fn entry_views<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    entries: Vec<guidance_entry::Model>,
) -> AppResult<Vec<EntryView>> {
    let schedule = schedule_of(course)?;
    let credits: Vec<(i32, i32)> = guidance_credit::Entity::find()
        .select_only()
        .column(guidance_credit::Column::EntryId)
        .column(guidance_credit::Column::ParticipantId)
        .filter(guidance_credit::Column::EntryId.is_in(entries.iter().map(|e| e.id)))
        .order_by_asc(guidance_credit::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let contact_ids: Vec<i32> = entries.iter().filter_map(|e| e.contact_id).collect();
    let contacts: HashMap<i32, Uuid> = if contact_ids.is_empty() {
        HashMap::new()
    } else {
        contact::Entity::find()
            .select_only()
            .column(contact::Column::Id)
            .column(contact::Column::Uuid)
            .filter(contact::Column::Id.is_in(contact_ids))
            .into_tuple::<(i32, Uuid)>()
            .all(db)
            .await?
            .into_iter()
            .collect()
    };
    let people = users_by_id(
        db,
        credits.iter().map(|(_, p)| *p).chain(
            entries
                .iter()
                .flat_map(|e| [Some(e.professional_id), e.voided_by])
                .flatten(),
        ),
    )
    .await?;
    let name = |id: i32| Person::of(people.get(&id));
    Ok(entries
        .into_iter()
        .map(|e| {
            let outside = !in_remote_period(&schedule, e.started_at);
            EntryView {
                id: e.uuid,
                kind: GuidanceKind::parse(&e.kind).unwrap_or(GuidanceKind::Other),
                professional: name(e.professional_id),
                started_at: e.started_at,
                minutes: e.minutes,
                participants: credits
                    .iter()
                    .filter(|(entry, _)| *entry == e.id)
                    .map(|(_, p)| name(*p))
                    .collect(),
                note: e.note.clone(),
                source: Source::parse(&e.source),
                contact_id: e.contact_id.and_then(|c| contacts.get(&c).copied()),
                outside_remote_period: outside,
                counted: !outside && e.voided_at.is_none(),
                version: e.version,
                voided: match (e.voided_at, e.voided_by) {
                    (Some(at), Some(by)) => Some(Voided {
                        at,
                        by: name(by),
                        reason: e.void_reason.clone().unwrap_or_default(),
                    }),
                    _ => None,
                },
                created_at: e.created_at,
                updated_at: e.updated_at,
            }
        })
        .collect())
}

pub async fn entry_view<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    entry: guidance_entry::Model,
) -> AppResult<EntryView> {
    entry_views(db, course, vec![entry])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("an entry without a view")))
}

/// The participants an entry credits now.
pub async fn credited_participants<C: ConnectionTrait>(
    db: &C,
    entry: &guidance_entry::Model,
) -> AppResult<Vec<user::Model>> {
    credited(db, entry.id).await
}

/// An entry's history, oldest first.
pub async fn history<C: ConnectionTrait>(
    db: &C,
    entry: &guidance_entry::Model,
) -> AppResult<Vec<RevisionView>> {
    let rows = guidance_entry_revision::Entity::find()
        .filter(guidance_entry_revision::Column::EntryId.eq(entry.id))
        .order_by_asc(guidance_entry_revision::Column::Version)
        .all(db)
        .await?;
    let people = users_by_id(db, rows.iter().map(|r| r.changed_by)).await?;
    rows.into_iter()
        .map(|r| {
            let snap: EntrySnapshot = serde_json::from_str(&r.snapshot).map_err(|e| {
                AppError::Internal(anyhow::Error::new(e).context("reading an entry revision"))
            })?;
            Ok(RevisionView {
                version: r.version,
                change: r.change,
                reason: r.reason,
                changed_by: Person::of(people.get(&r.changed_by)),
                changed_at: r.changed_at,
                entry: snap,
            })
        })
        .collect()
}

/// Remote-period minutes per participant of the course: one grouped query over the credits of
/// the course's entries that are not removed and started inside the remote period.
pub async fn remote_minutes<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    only: Option<i32>,
) -> AppResult<HashMap<i32, i64>> {
    let schedule = schedule_of(course)?;
    let (start, end) = remote_window(&schedule);
    let mut q = guidance_credit::Entity::find()
        .select_only()
        .column(guidance_credit::Column::ParticipantId)
        .column_as(
            Expr::col((guidance_entry::Entity, guidance_entry::Column::Minutes)).sum(),
            "minutes",
        )
        .join(JoinType::InnerJoin, credit_to_entry())
        .filter(guidance_entry::Column::CourseId.eq(course.id))
        .filter(guidance_entry::Column::VoidedAt.is_null())
        .filter(guidance_entry::Column::StartedAt.gte(start))
        .filter(guidance_entry::Column::StartedAt.lt(end))
        .group_by(guidance_credit::Column::ParticipantId);
    if let Some(pid) = only {
        q = q.filter(guidance_credit::Column::ParticipantId.eq(pid));
    }
    let rows: Vec<(i32, Option<i64>)> = q.into_tuple().all(db).await?;
    Ok(rows.into_iter().map(|(p, m)| (p, m.unwrap_or(0))).collect())
}

/// Interim and follow-up contacts per participant of the course, done and open: one grouped
/// query (R-INTERIM-3, R-FOLLOWUP).
pub async fn contact_counts<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    only: Option<i32>,
) -> AppResult<HashMap<i32, ContactCounts>> {
    let mut q = contact::Entity::find()
        .select_only()
        .column(contact::Column::ParticipantId)
        .column(contact::Column::Kind)
        .column(contact::Column::Status)
        .column_as(Expr::col(contact::Column::Id).count(), "n")
        .filter(contact::Column::CourseId.eq(course.id))
        .group_by(contact::Column::ParticipantId)
        .group_by(contact::Column::Kind)
        .group_by(contact::Column::Status);
    if let Some(pid) = only {
        q = q.filter(contact::Column::ParticipantId.eq(pid));
    }
    let rows: Vec<(i32, String, String, i64)> = q.into_tuple().all(db).await?;
    let mut out: HashMap<i32, ContactCounts> = HashMap::new();
    for (pid, kind, status, n) in rows {
        out.entry(pid)
            .or_insert_with(ContactCounts::none)
            .add(&kind, &status, n);
    }
    Ok(out)
}

fn summary_of(
    p: &user::Model,
    minutes: i64,
    contacts: Option<ContactCounts>,
    schedule: &crate::courses::schedule::Schedule,
    now: DateTime<Utc>,
) -> ParticipantGuidance {
    ParticipantGuidance {
        participant: person(p),
        remote_minutes: minutes,
        required_minutes: REQUIRED_MINUTES,
        pace: pace(schedule, now, minutes),
        contacts: contacts.unwrap_or_else(ContactCounts::none),
    }
}

/// Every enrolled participant's total, pace and contact counts, in three queries whatever their
/// number.
pub async fn course_summary<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    now: DateTime<Utc>,
) -> AppResult<CourseGuidance> {
    let schedule = schedule_of(course)?;
    let people = crate::enrolment::service::enrolled_people(db, course).await?;
    let minutes = remote_minutes(db, course, None).await?;
    let contacts = contact_counts(db, course, None).await?;
    Ok(CourseGuidance {
        remote_start: schedule.remote_start,
        remote_end: schedule.remote_end,
        remote_week: pace(&schedule, now, 0).remote_week,
        participants: people
            .iter()
            .map(|p| {
                summary_of(
                    p,
                    minutes.get(&p.id).copied().unwrap_or(0),
                    contacts.get(&p.id).copied(),
                    &schedule,
                    now,
                )
            })
            .collect(),
    })
}

/// The entries crediting one participant, newest first (removed ones included, marked).
async fn entries_crediting<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    participant_id: i32,
) -> AppResult<Vec<guidance_entry::Model>> {
    Ok(guidance_entry::Entity::find()
        .join_rev(
            JoinType::InnerJoin,
            guidance_credit::Entity::belongs_to(guidance_entry::Entity)
                .from(guidance_credit::Column::EntryId)
                .to(guidance_entry::Column::Id)
                .into(),
        )
        .filter(guidance_entry::Column::CourseId.eq(course.id))
        .filter(guidance_credit::Column::ParticipantId.eq(participant_id))
        .order_by_desc(guidance_entry::Column::StartedAt)
        .order_by_desc(guidance_entry::Column::Id)
        .all(db)
        .await?)
}

/// One participant's total, pace and entries (staff view).
pub async fn participant_ledger<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    participant: &user::Model,
    now: DateTime<Utc>,
) -> AppResult<ParticipantLedger> {
    let schedule = schedule_of(course)?;
    let minutes = remote_minutes(db, course, Some(participant.id))
        .await?
        .get(&participant.id)
        .copied()
        .unwrap_or(0);
    let contacts = contact_counts(db, course, Some(participant.id))
        .await?
        .get(&participant.id)
        .copied();
    let entries = entries_crediting(db, course, participant.id).await?;
    Ok(ParticipantLedger {
        summary: summary_of(participant, minutes, contacts, &schedule, now),
        entries: entry_views(db, course, entries).await?,
    })
}

/// The participant's own view: totals and the entries crediting them that count or are
/// outside the period; removed entries are left out, and notes are never shown.
pub async fn my_guidance<C: ConnectionTrait>(
    db: &C,
    course: &course::Model,
    participant: &user::Model,
    now: DateTime<Utc>,
) -> AppResult<MyGuidance> {
    let ledger = participant_ledger(db, course, participant, now).await?;
    Ok(MyGuidance {
        remote_minutes: ledger.summary.remote_minutes,
        required_minutes: ledger.summary.required_minutes,
        pace: ledger.summary.pace,
        entries: ledger
            .entries
            .into_iter()
            .filter(|e| e.voided.is_none())
            .map(|e| MyEntry {
                kind: e.kind,
                professional: e.professional,
                started_at: e.started_at,
                minutes: e.minutes,
                outside_remote_period: e.outside_remote_period,
            })
            .collect(),
    })
}
