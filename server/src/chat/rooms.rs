//! Which rooms a course has and who is in them. Membership is not stored: it follows enrolment and
//! team assignment and is checked again on every join and every send (S13). Provider admins are
//! in no room (data minimisation); a guide is in a course's rooms only while on its team.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, Set, Statement, Value,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::chat::model::{ChatUser, Membership, RoomKind, room_key};
use crate::courses::access::is_on_team;
use crate::entity::{chat_room, enrolment, team_member};
use crate::error::{AppError, AppResult};

/// A raw statement written with `?` placeholders, numbered `$1, $2 …` for PostgreSQL.
pub(crate) fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Postgres => {
            let mut out = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Is `user` a guide on `course_id`'s team: the check every moderation endpoint starts with.
pub async fn is_course_guide<C: ConnectionTrait>(
    db: &C,
    user: &ChatUser,
    course_id: i32,
) -> AppResult<bool> {
    Ok(user.role == Role::Guide && is_on_team(db, course_id, user.id).await?)
}

/// How `user` belongs to `room`, if at all (the facts read one by one; a batch of sends reads
/// them in bulk and decides with [`membership_from`]).
pub async fn membership<C: ConnectionTrait>(
    db: &C,
    user: &ChatUser,
    room: &chat_room::Model,
) -> AppResult<Option<Membership>> {
    let on_team = user.role == Role::Guide && is_on_team(db, room.course_id, user.id).await?;
    // The one enrolment that can matter: the guide's private thread's participant, or the
    // participant herself.
    let person = match user.role {
        Role::Guide if on_team => room.participant_id,
        Role::Participant => Some(user.id),
        _ => None,
    };
    let enrolled = match person {
        Some(p) => is_enrolled(db, room.course_id, p).await?,
        None => false,
    };
    Ok(membership_from(user, room, on_team, |p| {
        enrolled && Some(p) == person
    }))
}

/// How `user` belongs to `room`, given whether she is on the course's team and who is enrolled
/// on the course (`enrolled(participant_id)`).
pub fn membership_from(
    user: &ChatUser,
    room: &chat_room::Model,
    on_team: bool,
    enrolled: impl Fn(i32) -> bool,
) -> Option<Membership> {
    let kind = RoomKind::parse(&room.kind);
    match user.role {
        Role::Guide => {
            if !on_team {
                return None;
            }
            // A private thread of someone no longer on the course is closed to staff too.
            if let (Some(RoomKind::Private), Some(p)) = (kind, room.participant_id)
                && !enrolled(p)
            {
                return None;
            }
            Some(Membership::Staff)
        }
        Role::Participant => {
            let allowed = match kind {
                Some(RoomKind::Group) => true,
                Some(RoomKind::Private) => room.participant_id == Some(user.id),
                _ => false,
            };
            (allowed && enrolled(user.id)).then_some(Membership::Participant)
        }
        Role::ProviderAdmin | Role::PlatformAdmin => None,
    }
}

async fn is_enrolled<C: ConnectionTrait>(db: &C, course_id: i32, user_id: i32) -> AppResult<bool> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::CourseId.eq(course_id))
        .filter(enrolment::Column::ParticipantId.eq(user_id))
        .one(db)
        .await?
        .is_some())
}

/// The room with this uuid and how `user` belongs to it; 404 for anyone not a member, and for an
/// unknown room alike (S10).
pub async fn room_for_member<C: ConnectionTrait>(
    db: &C,
    user: &ChatUser,
    room_uuid: Uuid,
) -> AppResult<(chat_room::Model, Membership)> {
    let room = chat_room::Entity::find()
        .filter(chat_room::Column::Uuid.eq(room_uuid))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    match membership(db, user, &room).await? {
        Some(m) => Ok((room, m)),
        None => Err(AppError::NotFound),
    }
}

/// The room with this uuid if `user` is a guide of its course (moderation); 404 otherwise.
pub async fn room_for_guide<C: ConnectionTrait>(
    db: &C,
    user: &ChatUser,
    room_uuid: Uuid,
) -> AppResult<chat_room::Model> {
    let (room, m) = room_for_member(db, user, room_uuid).await?;
    if m.is_staff() {
        Ok(room)
    } else {
        Err(AppError::NotFound)
    }
}

/// Makes the rooms `user` should see and that do not exist yet. The unique `(course_id, key)`
/// makes concurrent calls safe: the second insert of a key does nothing.
pub async fn ensure_rooms<C: ConnectionTrait>(
    db: &C,
    user: &ChatUser,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut wanted: Vec<(i32, RoomKind, Option<i32>)> = Vec::new();
    match user.role {
        Role::Participant => {
            for e in enrolment::Entity::find()
                .filter(enrolment::Column::ParticipantId.eq(user.id))
                .all(db)
                .await?
            {
                wanted.push((e.course_id, RoomKind::Group, None));
                wanted.push((e.course_id, RoomKind::Private, Some(user.id)));
            }
        }
        Role::Guide => {
            let courses: Vec<i32> = team_member::Entity::find()
                .filter(team_member::Column::UserId.eq(user.id))
                .all(db)
                .await?
                .into_iter()
                .map(|t| t.course_id)
                .collect();
            if courses.is_empty() {
                return Ok(());
            }
            for &c in &courses {
                wanted.push((c, RoomKind::Group, None));
                wanted.push((c, RoomKind::Team, None));
            }
            for e in enrolment::Entity::find()
                .filter(enrolment::Column::CourseId.is_in(courses))
                .all(db)
                .await?
            {
                wanted.push((e.course_id, RoomKind::Private, Some(e.participant_id)));
            }
        }
        Role::ProviderAdmin | Role::PlatformAdmin => return Ok(()),
    }
    if wanted.is_empty() {
        return Ok(());
    }
    let courses: Vec<i32> = wanted.iter().map(|w| w.0).collect();
    let existing: std::collections::HashSet<(i32, String)> = chat_room::Entity::find()
        .filter(chat_room::Column::CourseId.is_in(courses))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.course_id, r.key))
        .collect();
    let missing: Vec<chat_room::ActiveModel> = wanted
        .into_iter()
        .filter(|(c, kind, p)| !existing.contains(&(*c, room_key(*kind, *p))))
        .map(|(c, kind, p)| chat_room::ActiveModel {
            uuid: Set(Uuid::new_v4()),
            course_id: Set(c),
            kind: Set(kind.as_str().to_owned()),
            key: Set(room_key(kind, p)),
            participant_id: Set(p),
            read_only: Set(false),
            slow_mode_seconds: Set(0),
            last_seq: Set(0),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    chat_room::Entity::insert_many(missing)
        .on_conflict(
            OnConflict::columns([chat_room::Column::CourseId, chat_room::Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// One of my rooms, as `GET /api/v1/chat/rooms` lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoomView {
    pub id: Uuid,
    /// `group`, `team` or `private`.
    pub kind: String,
    pub course_id: Uuid,
    pub course_name: String,
    /// What to call the room: the course name for group and team, the participant's name for a
    /// private thread shown to staff, the course name for the participant's own thread.
    pub title: String,
    /// The participant of a private thread (staff only).
    pub participant: Option<RoomParticipant>,
    pub last_seq: i64,
    pub read_seq: i64,
    pub unread: i64,
    pub read_only: bool,
    pub slow_mode_seconds: i32,
    /// Set while I am muted in the course's rooms.
    pub muted_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoomParticipant {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnreadRoom {
    pub id: Uuid,
    pub unread: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unread {
    pub total: i64,
    pub rooms: Vec<UnreadRoom>,
}

/// The rooms `user` is a member of, as a SQL condition on `r` with its parameters.
fn member_rooms_condition(user: &ChatUser) -> Option<(&'static str, Vec<Value>)> {
    match user.role {
        Role::Participant => Some((
            "r.course_id IN (SELECT e.course_id FROM enrolments e WHERE e.participant_id = ?) \
             AND (r.kind = 'group' OR (r.kind = 'private' AND r.participant_id = ?))",
            vec![user.id.into(), user.id.into()],
        )),
        Role::Guide => Some((
            "r.course_id IN (SELECT t.course_id FROM team_members t WHERE t.user_id = ?) \
             AND (r.kind <> 'private' OR r.participant_id IN \
                  (SELECT e.participant_id FROM enrolments e WHERE e.course_id = r.course_id))",
            vec![user.id.into()],
        )),
        Role::ProviderAdmin | Role::PlatformAdmin => None,
    }
}

/// Every room of mine with its unread count, in one statement: messages (not events) that are not
/// deleted or hidden, sent by someone else, after my read marker.
pub async fn my_rooms<C: ConnectionTrait>(
    db: &C,
    user: &ChatUser,
    now: DateTime<Utc>,
) -> AppResult<Vec<RoomView>> {
    let Some((cond, cond_values)) = member_rooms_condition(user) else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT r.uuid AS room_uuid, r.kind, r.read_only, r.slow_mode_seconds, r.last_seq, \
                c.uuid AS course_uuid, c.title AS course_title, \
                p.uuid AS participant_uuid, p.display_name AS participant_name, \
                COALESCE(rd.last_read_seq, 0) AS read_seq, \
                (SELECT COUNT(*) FROM chat_messages m WHERE m.room_id = r.id \
                   AND m.kind = 'message' AND m.deleted_at IS NULL AND m.hidden_at IS NULL \
                   AND m.sender_id <> ? AND m.seq > COALESCE(rd.last_read_seq, 0)) AS unread, \
                (SELECT MAX(mu.until) FROM chat_mutes mu WHERE mu.course_id = r.course_id \
                   AND mu.participant_id = ? AND mu.ended_at IS NULL AND mu.until > ?) AS muted_until \
         FROM chat_rooms r \
         JOIN courses c ON c.id = r.course_id \
         LEFT JOIN users p ON p.id = r.participant_id \
         LEFT JOIN chat_reads rd ON rd.room_id = r.id AND rd.user_id = ? \
         WHERE {cond} \
         ORDER BY c.onsite1_start DESC, c.id, r.kind, p.display_name"
    );
    let mut values: Vec<Value> = vec![user.id.into(), user.id.into(), now.into(), user.id.into()];
    values.extend(cond_values);
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let staff = user.role == Role::Guide;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        let course_name: String = row.try_get("", "course_title")?;
        let participant_uuid: Option<Uuid> = row.try_get("", "participant_uuid")?;
        let participant_name: Option<String> = row.try_get("", "participant_name")?;
        let participant = match (staff, participant_uuid, participant_name) {
            (true, Some(id), Some(name)) => Some(RoomParticipant { id, name }),
            _ => None,
        };
        let title = participant
            .as_ref()
            .map(|p| p.name.clone())
            .unwrap_or_else(|| course_name.clone());
        out.push(RoomView {
            id: row.try_get("", "room_uuid")?,
            kind,
            course_id: row.try_get("", "course_uuid")?,
            course_name,
            title,
            participant,
            last_seq: row.try_get("", "last_seq")?,
            read_seq: row.try_get("", "read_seq")?,
            unread: row.try_get("", "unread")?,
            read_only: row.try_get("", "read_only")?,
            slow_mode_seconds: row.try_get("", "slow_mode_seconds")?,
            muted_until: row.try_get("", "muted_until")?,
        });
    }
    Ok(out)
}

/// The messages of room `r` unread by user `?` (bound twice): messages (not events) not deleted
/// or hidden, sent by someone else, after that user's read marker; counted as `COUNT(m.id)`.
const UNREAD_JOINS: &str = "LEFT JOIN chat_reads rd ON rd.room_id = r.id AND rd.user_id = ? \
     LEFT JOIN chat_messages m ON m.room_id = r.id AND m.kind = 'message' \
          AND m.deleted_at IS NULL AND m.hidden_at IS NULL AND m.sender_id <> ? \
          AND m.seq > COALESCE(rd.last_read_seq, 0)";

/// Messages unread by `viewer` in each private thread of a course, by the thread's participant
/// (one statement): the monitoring view's "unread private messages".
pub async fn private_unread<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    viewer_id: i32,
) -> AppResult<HashMap<i32, i64>> {
    let sql = format!(
        "SELECT r.participant_id AS pid, COUNT(m.id) AS unread \
         FROM chat_rooms r {UNREAD_JOINS} \
         WHERE r.course_id = ? AND r.kind = 'private' AND r.participant_id IS NOT NULL \
         GROUP BY r.participant_id"
    );
    let values: Vec<Value> = vec![viewer_id.into(), viewer_id.into(), course_id.into()];
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in rows {
        out.insert(row.try_get("", "pid")?, row.try_get("", "unread")?);
    }
    Ok(out)
}

/// Unread counts of all my rooms, in one statement (no query per room).
pub async fn unread<C: ConnectionTrait>(db: &C, user: &ChatUser) -> AppResult<Unread> {
    let Some((cond, cond_values)) = member_rooms_condition(user) else {
        return Ok(Unread {
            total: 0,
            rooms: Vec::new(),
        });
    };
    let sql = format!(
        "SELECT r.uuid AS room_uuid, COUNT(m.id) AS unread \
         FROM chat_rooms r {UNREAD_JOINS} \
         WHERE {cond} \
         GROUP BY r.id, r.uuid \
         ORDER BY r.id"
    );
    let mut values: Vec<Value> = vec![user.id.into(), user.id.into()];
    values.extend(cond_values);
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), &sql, values))
        .await?;
    let mut rooms = Vec::with_capacity(rows.len());
    for row in rows {
        rooms.push(UnreadRoom {
            id: row.try_get("", "room_uuid")?,
            unread: row.try_get("", "unread")?,
        });
    }
    Ok(Unread {
        total: rooms.iter().map(|r| r.unread).sum(),
        rooms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres_only() {
        let pg = statement(
            DbBackend::Postgres,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(pg.sql, "a = $1 AND b = $2");
        let lite = statement(
            DbBackend::Sqlite,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(lite.sql, "a = ? AND b = ?");
    }
}
