//! Guidance sessions in a group room (R-GUIDANCE-4H, R-GUIDE-ONE): a guide opens one, the room
//! sees "guidance started", and when it ends the minutes are proposed for every participant who
//! wrote in the room or read it during the session. The guide corrects the list and saves it as
//! one ledger entry (kind `group_chat`, source `chat_session`) with the guide who opened it as its
//! one professional.
//!
//! "Present" is read from the database, not from one instance's sockets, so it holds with several
//! server instances: the room's `guidance_started` event reaches every open chat view, and a view
//! that is on screen moves its read marker past it. A participant who had the room open but
//! never looked at it is not proposed; the guide can add her.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait, TryInsertResult,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::extract::AuthUser;
use crate::chat::model::ChatUser;
use crate::chat::rooms::room_for_guide;
use crate::chat::store::append_event;
use crate::enrolment::service::enrolled_people;
use crate::entity::{
    chat_guidance_session as session, chat_message, chat_read, chat_room, course, guidance_entry,
    user,
};
use crate::error::{AppError, AppResult};
use crate::guidance::model::{GuidanceKind, NewEntry, Person, Source};
use crate::guidance::service::{Recording, create_entry};
use crate::state::AppState;

/// One participant on the session's list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub participant: Person,
    /// Wrote in the room during the session.
    pub wrote: bool,
    /// Read the room during the session (her read marker passed the start).
    pub present: bool,
    /// Pre-ticked on the guide's list: wrote or present.
    pub proposed: bool,
}

/// A running session, or one that ended and waits to be saved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    pub room: Uuid,
    pub course: Uuid,
    /// The one professional the entry will name: the guide who opened it.
    pub professional: Person,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// `running` or `ended`.
    pub state: &'static str,
    /// Whole minutes so far (rounded up, at least 1): what is proposed for the entry.
    pub minutes: i64,
    /// Every participant of the course, the proposed ones first.
    pub candidates: Vec<Candidate>,
}

/// The room's current session, if any.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentSession {
    pub session: Option<SessionView>,
}

/// Saving an ended (or still running) session as a guidance entry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveSession {
    /// The participants credited, after the guide's corrections: at least one.
    pub participant_ids: Vec<Uuid>,
    /// The minutes, when the guide corrects them (1–600); the session's length otherwise.
    #[serde(default)]
    pub minutes: Option<i64>,
    #[serde(default)]
    pub note: String,
}

/// The list as frozen at the end (internal ids; never sent).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Frozen {
    participant_id: i32,
    wrote: bool,
    present: bool,
}

/// Whole minutes from `start` to `end`, rounded up, at least 1.
pub fn session_minutes(start: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let seconds = (end - start).num_seconds().max(0);
    ((seconds + 59) / 60).max(1)
}

fn running_error() -> AppError {
    AppError::conflict(
        "session_running",
        "a guidance session is already running in this room",
    )
}

/// The group room of a course whose team `actor` is on; other rooms are refused.
async fn group_room<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    room: Uuid,
) -> AppResult<(chat_room::Model, course::Model)> {
    let room = room_for_guide(db, &ChatUser::from(actor), room).await?;
    if room.kind != "group" {
        return Err(AppError::bad_request(
            "not_a_group_room",
            "guidance sessions are run in the course's group discussion",
        ));
    }
    let course = course::Entity::find_by_id(room.course_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((room, course))
}

/// The room's session that is running or waiting to be saved.
async fn open_session<C: ConnectionTrait>(
    db: &C,
    room_id: i32,
) -> AppResult<Option<session::Model>> {
    Ok(session::Entity::find()
        .filter(session::Column::RoomId.eq(room_id))
        .filter(session::Column::EntryId.is_null())
        .filter(session::Column::CancelledAt.is_null())
        .order_by_desc(session::Column::Id)
        .one(db)
        .await?)
}

/// Who wrote and who read during the session, up to `end_seq` (exclusive) when it has ended.
async fn live_list<C: ConnectionTrait>(
    db: &C,
    s: &session::Model,
) -> AppResult<HashMap<i32, Frozen>> {
    let mut writers = chat_message::Entity::find()
        .select_only()
        .column(chat_message::Column::SenderId)
        .distinct()
        .filter(chat_message::Column::RoomId.eq(s.room_id))
        .filter(chat_message::Column::Kind.eq("message"))
        .filter(chat_message::Column::Seq.gt(s.start_seq));
    if let Some(end) = s.end_seq {
        writers = writers.filter(chat_message::Column::Seq.lt(end));
    }
    let writers: HashSet<i32> = writers
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let readers: HashSet<i32> = chat_read::Entity::find()
        .select_only()
        .column(chat_read::Column::UserId)
        .filter(chat_read::Column::RoomId.eq(s.room_id))
        .filter(chat_read::Column::LastReadSeq.gte(s.start_seq))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(writers
        .union(&readers)
        .map(|&id| {
            (
                id,
                Frozen {
                    participant_id: id,
                    wrote: writers.contains(&id),
                    present: readers.contains(&id),
                },
            )
        })
        .collect())
}

async fn view<C: ConnectionTrait>(
    db: &C,
    s: &session::Model,
    room: &chat_room::Model,
    course: &course::Model,
    now: DateTime<Utc>,
) -> AppResult<SessionView> {
    let list: HashMap<i32, Frozen> = match &s.proposal {
        Some(json) => serde_json::from_str::<Vec<Frozen>>(json)
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("session proposal")))?
            .into_iter()
            .map(|f| (f.participant_id, f))
            .collect(),
        None => live_list(db, s).await?,
    };
    let professional = user::Entity::find_by_id(s.professional_id).one(db).await?;
    let mut candidates: Vec<Candidate> = enrolled_people(db, course)
        .await?
        .iter()
        .map(|p| {
            let f = list.get(&p.id);
            let wrote = f.is_some_and(|f| f.wrote);
            let present = f.is_some_and(|f| f.present);
            Candidate {
                participant: Person::of(Some(p)),
                wrote,
                present,
                proposed: wrote || present,
            }
        })
        .collect();
    // Proposed first; the names stay in alphabetical order within each group.
    candidates.sort_by_key(|c| !c.proposed);
    Ok(SessionView {
        id: s.uuid,
        room: room.uuid,
        course: course.uuid,
        professional: Person::of(professional.as_ref()),
        started_at: s.started_at,
        ended_at: s.ended_at,
        state: if s.ended_at.is_some() {
            "ended"
        } else {
            "running"
        },
        minutes: session_minutes(s.started_at, s.ended_at.unwrap_or(now)),
        candidates,
    })
}

/// The room's current session for a guide of its course.
pub async fn current(state: &AppState, actor: &AuthUser, room: Uuid) -> AppResult<CurrentSession> {
    let (room, course) = group_room(&state.db, actor, room).await?;
    let session = match open_session(&state.db, room.id).await? {
        Some(s) => Some(view(&state.db, &s, &room, &course, state.now()).await?),
        None => None,
    };
    Ok(CurrentSession { session })
}

/// Opens a session: the room gets a `guidance_started` event.
pub async fn start(state: &AppState, actor: &AuthUser, room: Uuid) -> AppResult<SessionView> {
    let db = &state.db;
    let (room, course) = group_room(db, actor, room).await?;
    let now = state.now();
    let writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    if open_session(&txn, room.id).await?.is_some() {
        return Err(running_error());
    }
    let event = append_event(
        &txn,
        room.id,
        actor.id,
        "guidance_started",
        None,
        json!({}),
        now,
    )
    .await?;
    let inserted = session::Entity::insert(session::ActiveModel {
        uuid: Set(Uuid::new_v4()),
        course_id: Set(course.id),
        room_id: Set(room.id),
        running_room_id: Set(Some(room.id)),
        professional_id: Set(actor.id),
        started_at: Set(now),
        start_seq: Set(event.seq),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([session::Column::RunningRoomId])
    .exec_without_returning(&txn)
    .await?;
    if !matches!(inserted, TryInsertResult::Inserted(n) if n > 0) {
        return Err(running_error());
    }
    let s = open_session(&txn, room.id)
        .await?
        .ok_or(AppError::NotFound)?;
    txn.commit().await?;
    state.chat.publish(room.id, vec![event]);
    // The view only reads: other writers need not wait for it.
    drop(writer);
    view(db, &s, &room, &course, now).await
}

/// Ends the running session: the list is frozen and the room gets a `guidance_ended` event.
/// Ending an already ended session returns it as it is.
pub async fn end(state: &AppState, actor: &AuthUser, room: Uuid) -> AppResult<SessionView> {
    let db = &state.db;
    let (room, course) = group_room(db, actor, room).await?;
    let now = state.now();
    let s = end_in(state, actor, &room, now).await?;
    view(db, &s, &room, &course, now).await
}

async fn end_in(
    state: &AppState,
    actor: &AuthUser,
    room: &chat_room::Model,
    now: DateTime<Utc>,
) -> AppResult<session::Model> {
    let db = &state.db;
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let s = open_session(&txn, room.id)
        .await?
        .ok_or(AppError::NotFoundCode("no_session"))?;
    if s.ended_at.is_some() {
        return Ok(s);
    }
    let minutes = session_minutes(s.started_at, now);
    let event = append_event(
        &txn,
        room.id,
        actor.id,
        "guidance_ended",
        None,
        json!({"minutes": minutes}),
        now,
    )
    .await?;
    let ended = session::Model {
        end_seq: Some(event.seq),
        ..s.clone()
    };
    let list: Vec<Frozen> = live_list(&txn, &ended).await?.into_values().collect();
    let json = serde_json::to_string(&list)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("session proposal")))?;
    // Ended only if nobody ended it meanwhile (two guides at once on PostgreSQL): the loser's
    // event is rolled back and the session is returned as the winner left it.
    let done = session::Entity::update_many()
        .col_expr(session::Column::EndedAt, Expr::value(now))
        .col_expr(session::Column::EndSeq, Expr::value(event.seq))
        .col_expr(session::Column::EndedBy, Expr::value(actor.id))
        .col_expr(
            session::Column::RunningRoomId,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(session::Column::Proposal, Expr::value(json))
        .filter(session::Column::Id.eq(s.id))
        .filter(session::Column::EndedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        drop(txn);
        return session::Entity::find_by_id(s.id)
            .one(db)
            .await?
            .ok_or(AppError::NotFound);
    }
    txn.commit().await?;
    state.chat.publish(room.id, vec![event]);
    session::Entity::find_by_id(s.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Saves the session (ending it first if it still runs) as one guidance entry crediting the
/// guide's list. Returns the entry, the credited participants and the course.
pub async fn save(
    state: &AppState,
    actor: &AuthUser,
    room: Uuid,
    body: SaveSession,
) -> AppResult<(guidance_entry::Model, Vec<user::Model>, course::Model)> {
    let db = &state.db;
    let (room, course) = group_room(db, actor, room).await?;
    let now = state.now();
    let s = end_in(state, actor, &room, now).await?;
    let professional = user::Entity::find_by_id(s.professional_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = NewEntry {
        professional_ids: Some(vec![professional.uuid]),
        kind: GuidanceKind::GroupChat,
        started_at: s.started_at,
        minutes: body
            .minutes
            .unwrap_or_else(|| session_minutes(s.started_at, s.ended_at.unwrap_or(now))),
        participant_ids: body.participant_ids,
        note: body.note,
    }
    .parse(now)?;
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let (entry, people) = create_entry(
        &txn,
        &course,
        Recording {
            actor_id: actor.id,
            source: Source::ChatSession,
            contact_id: None,
        },
        input,
        now,
    )
    .await?;
    // Only the first save of a session makes an entry; a second one (two tabs) is refused.
    let claimed = session::Entity::update_many()
        .col_expr(session::Column::EntryId, Expr::value(entry.id))
        .filter(session::Column::Id.eq(s.id))
        .filter(session::Column::EntryId.is_null())
        .filter(session::Column::CancelledAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::conflict(
            "session_saved",
            "this guidance session was already saved or cancelled",
        ));
    }
    txn.commit().await?;
    Ok((entry, people, course))
}

/// Drops the session without an entry (opened by mistake); a running one ends in the room.
pub async fn cancel(state: &AppState, actor: &AuthUser, room: Uuid) -> AppResult<()> {
    let db = &state.db;
    let (room, _) = group_room(db, actor, room).await?;
    let now = state.now();
    let s = end_in(state, actor, &room, now).await?;
    session::Entity::update_many()
        .col_expr(session::Column::CancelledAt, Expr::value(now))
        .filter(session::Column::Id.eq(s.id))
        .filter(session::Column::EntryId.is_null())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_round_up_and_never_fall_below_one() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("instant");
        let start = at("2026-03-02T08:00:00Z");
        assert_eq!(session_minutes(start, start), 1);
        assert_eq!(session_minutes(start, at("2026-03-02T08:00:01Z")), 1);
        assert_eq!(session_minutes(start, at("2026-03-02T08:30:00Z")), 30);
        assert_eq!(session_minutes(start, at("2026-03-02T08:30:01Z")), 31);
        // A clock that went backwards gives the minimum, not a negative duration.
        assert_eq!(session_minutes(start, at("2026-03-02T07:00:00Z")), 1);
    }
}
