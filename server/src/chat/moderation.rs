//! Moderation by the course's guides (issue 5, item 4): hiding, unhiding, removing and pinning a
//! message, a room's read-only and slow mode, and muting a participant in the course's rooms.
//!
//! Each action is one transaction that changes the target (message, room or `chat_mutes`) with a
//! conditional update, so two guides acting at once cannot both succeed, and appends an `event`
//! row naming the actor; after commit the rows go to the hub so the room sees them at once. An
//! action on a participant's message or on a participant is also written to the usage log with
//! the purpose `group_moderation` (S21) before it is done: a log that cannot be written refuses
//! the action.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::accounts::model::Role;
use crate::audit::service::{self as audit, Access};
use crate::auth::extract::AuthUser;
use crate::chat::model::{Audience, ChatUser, RoomKind, UserCard, room_key};
use crate::chat::protocol::user_json;
use crate::chat::rooms::{is_course_guide, room_for_guide};
use crate::chat::store::{append_event, append_event_with_body};
use crate::courses::access::{enrolled_participant, find_course};
use crate::entity::{chat_message, chat_mute, chat_room, course, user};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The longest reason or note a guide or a reporter writes, in characters.
pub const MAX_REASON_CHARS: usize = 1000;
/// Slow mode: at most one message per this many seconds per participant; 0 is off.
pub const MAX_SLOW_MODE_SECONDS: i32 = 3600;
/// A mute lasts 1 minute to 7 days.
pub const MAX_MUTE_MINUTES: i64 = 7 * 24 * 60;

/// Why the usage log has an entry for a moderation action (S21).
pub const PURPOSE: &str = "group_moderation";

/// A reason or note: trimmed, 1–1,000 characters, no control characters but line breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Reason, &'static str> {
        let t = raw.trim();
        if t.is_empty() {
            return Err("write a reason");
        }
        if t.chars().count() > MAX_REASON_CHARS {
            return Err("the reason can have at most 1000 characters");
        }
        if crate::text::has_control_chars(t) {
            return Err("the reason contains control characters");
        }
        Ok(Reason(t.to_owned()))
    }

    /// Parses the request field `field`; a wrong value is a `validation_failed` naming it.
    pub fn field(field: &str, raw: &str) -> AppResult<Reason> {
        Reason::parse(raw).map_err(|m| {
            let code = if raw.trim().is_empty() {
                "required"
            } else if raw.trim().chars().count() > MAX_REASON_CHARS {
                "too_long"
            } else {
                "invalid"
            };
            AppError::field(field, code, m)
        })
    }

    /// An optional field: absent or blank is `None`.
    pub fn optional(field: &str, raw: Option<&str>) -> AppResult<Option<Reason>> {
        match raw {
            Some(r) if !r.trim().is_empty() => Reason::field(field, r).map(Some),
            _ => Ok(None),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a guide does to one message.
#[derive(Debug, Clone)]
pub enum MessageAction {
    Hide(Reason),
    Unhide,
    /// A guide deletes someone's message: the text is blanked for good.
    Remove(Option<Reason>),
    Pin,
    Unpin,
}

impl MessageAction {
    /// The event the room sees.
    pub fn event(&self) -> &'static str {
        match self {
            MessageAction::Hide(_) => "hidden",
            MessageAction::Unhide => "unhidden",
            MessageAction::Remove(_) => "removed",
            MessageAction::Pin => "pinned",
            MessageAction::Unpin => "unpinned",
        }
    }
}

/// The event an action appended, as the HTTP answer shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub room: Uuid,
    /// The event's own place in the room's log.
    pub seq: i64,
    pub event: String,
    pub target_seq: Option<i64>,
    pub at: DateTime<Utc>,
}

impl EventView {
    pub fn of(room: &chat_room::Model, row: &chat_message::Model) -> EventView {
        EventView {
            room: room.uuid,
            seq: row.seq,
            event: row.event.clone().unwrap_or_default(),
            target_seq: row.target_seq,
            at: row.created_at,
        }
    }
}

/// Writes the usage-log entry for an action on `subject`'s data, when `subject` is a participant.
pub(crate) async fn audit_participant(
    state: &AppState,
    actor: &AuthUser,
    subject: &user::Model,
    category: &'static str,
    action: &'static str,
) -> AppResult<()> {
    if subject.role != Role::Participant.as_str() {
        return Ok(());
    }
    audit::record(
        &state.db,
        state.now(),
        Access {
            actor,
            subject: subject.uuid,
            provider_id: subject.provider_id,
            category,
            action,
            purpose: PURPOSE,
        },
    )
    .await
}

/// The message `seq` of `room`; an unknown seq is `message_not_found`, an event `not_a_message`.
pub(crate) async fn message_at<C: ConnectionTrait>(
    db: &C,
    room: &chat_room::Model,
    seq: i64,
) -> AppResult<chat_message::Model> {
    let row = chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .filter(chat_message::Column::Seq.eq(seq))
        .one(db)
        .await?
        .ok_or(AppError::NotFoundCode("message_not_found"))?;
    if row.kind != "message" {
        return Err(AppError::bad_request(
            "not_a_message",
            format!("{seq} is an event in the room, not a message"),
        ));
    }
    Ok(row)
}

/// Why `action` cannot be done to `m` now, if it cannot.
fn refusal(m: &chat_message::Model, action: &MessageAction) -> Option<AppError> {
    let deleted = || AppError::conflict("message_deleted", "the message has been deleted");
    match action {
        MessageAction::Hide(_) if m.deleted_at.is_some() => Some(deleted()),
        MessageAction::Hide(_) if m.hidden_at.is_some() => Some(AppError::conflict(
            "already_hidden",
            "the message is already hidden",
        )),
        MessageAction::Unhide if m.hidden_at.is_none() => Some(AppError::conflict(
            "not_hidden",
            "the message is not hidden",
        )),
        MessageAction::Remove(_) if m.deleted_at.is_some() => Some(AppError::conflict(
            "already_deleted",
            "the message has already been deleted",
        )),
        MessageAction::Pin if m.deleted_at.is_some() => Some(deleted()),
        MessageAction::Pin if m.hidden_at.is_some() => Some(AppError::conflict(
            "message_hidden",
            "a hidden message cannot be pinned",
        )),
        MessageAction::Pin if m.pinned_at.is_some() => Some(AppError::conflict(
            "already_pinned",
            "the message is already pinned",
        )),
        MessageAction::Unpin if m.pinned_at.is_none() => Some(AppError::conflict(
            "not_pinned",
            "the message is not pinned",
        )),
        _ => None,
    }
}

/// Does `action` to message `seq` of the room, as a guide of its course.
pub async fn moderate_message(
    state: &AppState,
    actor: &AuthUser,
    room_uuid: Uuid,
    seq: i64,
    action: MessageAction,
) -> AppResult<EventView> {
    let db = &state.db;
    let room = room_for_guide(db, &ChatUser::from(actor), room_uuid).await?;
    let target = message_at(db, &room, seq).await?;
    if let Some(e) = refusal(&target, &action) {
        return Err(e);
    }
    if let Some(author) = user::Entity::find_by_id(target.sender_id).one(db).await? {
        let what = match action {
            MessageAction::Remove(_) => "delete",
            _ => "update",
        };
        audit_participant(state, actor, &author, "chat_message", what).await?;
    }
    let now = state.now();
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let event = apply(&txn, &room, &target, actor.id, &action, now).await?;
    txn.commit().await?;
    tracing::info!(room = %room.uuid, seq, event = action.event(), actor = %actor.uuid, "chat moderation");
    state.chat.publish(room.id, vec![event.clone()]);
    Ok(EventView::of(&room, &event))
}

/// The action's change to the target and its event row, inside the caller's transaction. The
/// update repeats the state check in its WHERE, so a guide who acted a moment earlier wins and
/// this one gets the same conflict a later request would.
pub(crate) async fn apply<C: ConnectionTrait>(
    txn: &C,
    room: &chat_room::Model,
    target: &chat_message::Model,
    actor_id: i32,
    action: &MessageAction,
    now: DateTime<Utc>,
) -> AppResult<chat_message::Model> {
    use chat_message::Column as M;
    let mut update = chat_message::Entity::update_many()
        .filter(M::Id.eq(target.id))
        .filter(M::Kind.eq("message"));
    update = match action {
        MessageAction::Hide(reason) => update
            .col_expr(M::HiddenAt, Expr::value(Some(now)))
            .col_expr(M::HiddenBy, Expr::value(Some(actor_id)))
            .col_expr(
                M::HiddenReason,
                Expr::value(Some(reason.as_str().to_owned())),
            )
            .filter(M::HiddenAt.is_null())
            .filter(M::DeletedAt.is_null()),
        MessageAction::Unhide => update
            .col_expr(M::HiddenAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(M::HiddenBy, Expr::value(Option::<i32>::None))
            .col_expr(M::HiddenReason, Expr::value(Option::<String>::None))
            .filter(M::HiddenAt.is_not_null()),
        MessageAction::Remove(_) => update
            .col_expr(M::Body, Expr::value(String::new()))
            .col_expr(M::DeletedAt, Expr::value(Some(now)))
            .col_expr(M::RemovedBy, Expr::value(Some(actor_id)))
            .col_expr(M::PinnedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(M::PinnedBy, Expr::value(Option::<i32>::None))
            .filter(M::DeletedAt.is_null()),
        MessageAction::Pin => update
            .col_expr(M::PinnedAt, Expr::value(Some(now)))
            .col_expr(M::PinnedBy, Expr::value(Some(actor_id)))
            .filter(M::PinnedAt.is_null())
            .filter(M::HiddenAt.is_null())
            .filter(M::DeletedAt.is_null()),
        MessageAction::Unpin => update
            .col_expr(M::PinnedAt, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(M::PinnedBy, Expr::value(Option::<i32>::None))
            .filter(M::PinnedAt.is_not_null()),
    };
    if update.exec(txn).await?.rows_affected != 1 {
        // Someone else changed the message between the check and now: answer as if we were later.
        let now_row = chat_message::Entity::find_by_id(target.id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFoundCode("message_not_found"))?;
        return Err(refusal(&now_row, action).unwrap_or_else(|| {
            AppError::conflict("message_changed", "the message changed; try again")
        }));
    }
    let seq = Some(target.seq);
    match action {
        MessageAction::Hide(reason) => {
            // The hidden text rides in the event for staff frames only (the hub renders per audience).
            append_event_with_body(
                txn,
                room.id,
                actor_id,
                "hidden",
                seq,
                json!({"reason": reason.as_str()}),
                target.body.clone(),
                now,
            )
            .await
        }
        MessageAction::Unhide => {
            append_event_with_body(
                txn,
                room.id,
                actor_id,
                "unhidden",
                seq,
                serde_json::Value::Null,
                target.body.clone(),
                now,
            )
            .await
        }
        MessageAction::Remove(reason) => {
            // The text must not live on in earlier events about the message (edits, hides).
            chat_message::Entity::update_many()
                .col_expr(M::Body, Expr::value(String::new()))
                .filter(M::RoomId.eq(room.id))
                .filter(M::Kind.eq("event"))
                .filter(M::TargetSeq.eq(target.seq))
                .exec(txn)
                .await?;
            let detail = match reason {
                Some(r) => json!({"reason": r.as_str()}),
                None => serde_json::Value::Null,
            };
            append_event(txn, room.id, actor_id, "removed", seq, detail, now).await
        }
        MessageAction::Pin => {
            append_event(
                txn,
                room.id,
                actor_id,
                "pinned",
                seq,
                serde_json::Value::Null,
                now,
            )
            .await
        }
        MessageAction::Unpin => {
            append_event(
                txn,
                room.id,
                actor_id,
                "unpinned",
                seq,
                serde_json::Value::Null,
                now,
            )
            .await
        }
    }
}

/// A room's settings as `PUT /rooms/{id}/settings` takes and answers them.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomSettings {
    pub room: Uuid,
    pub read_only: bool,
    pub slow_mode_seconds: i32,
    /// The events the change appended (none when nothing changed).
    pub events: Vec<EventView>,
}

/// Parses a slow mode; out of range is a `validation_failed` naming `slow_mode_seconds`.
pub fn slow_mode_field(seconds: i64) -> AppResult<i32> {
    i32::try_from(seconds)
        .ok()
        .filter(|s| (0..=MAX_SLOW_MODE_SECONDS).contains(s))
        .ok_or_else(|| {
            AppError::field(
                "slow_mode_seconds",
                "out_of_range",
                "slow mode is 0 (off) to 3600 seconds",
            )
        })
}

/// Sets read-only and slow mode; each change is an event in the room.
pub async fn set_room_settings(
    state: &AppState,
    actor: &AuthUser,
    room_uuid: Uuid,
    read_only: bool,
    slow_mode_seconds: i32,
) -> AppResult<RoomSettings> {
    let db = &state.db;
    let room = room_for_guide(db, &ChatUser::from(actor), room_uuid).await?;
    let now = state.now();
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    // Read again inside the transaction so two guides' changes each make their own events.
    let current = chat_room::Entity::find_by_id(room.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut events = Vec::new();
    if current.read_only != read_only || current.slow_mode_seconds != slow_mode_seconds {
        chat_room::Entity::update_many()
            .col_expr(chat_room::Column::ReadOnly, Expr::value(read_only))
            .col_expr(
                chat_room::Column::SlowModeSeconds,
                Expr::value(slow_mode_seconds),
            )
            .filter(chat_room::Column::Id.eq(room.id))
            .exec(&txn)
            .await?;
    }
    if current.read_only != read_only {
        events.push(
            append_event(
                &txn,
                room.id,
                actor.id,
                "read_only",
                None,
                json!({"on": read_only}),
                now,
            )
            .await?,
        );
    }
    if current.slow_mode_seconds != slow_mode_seconds {
        events.push(
            append_event(
                &txn,
                room.id,
                actor.id,
                "slow_mode",
                None,
                json!({"seconds": slow_mode_seconds}),
                now,
            )
            .await?,
        );
    }
    txn.commit().await?;
    let views = events.iter().map(|e| EventView::of(&room, e)).collect();
    if !events.is_empty() {
        tracing::info!(room = %room.uuid, read_only, slow_mode_seconds, actor = %actor.uuid, "chat room settings");
        state.chat.publish(room.id, events);
    }
    Ok(RoomSettings {
        room: room.uuid,
        read_only,
        slow_mode_seconds,
        events: views,
    })
}

/// The course, when `actor` is a guide on its team; 404 for anyone else (S10).
pub async fn course_for_guide<C: ConnectionTrait>(
    db: &C,
    actor: &AuthUser,
    course_uuid: Uuid,
) -> AppResult<course::Model> {
    let c = find_course(db, course_uuid).await?;
    if actor.provider_id == Some(c.provider_id)
        && is_course_guide(db, &ChatUser::from(actor), c.id).await?
    {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// A mute as guides see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MuteView {
    pub participant: Uuid,
    pub participant_name: String,
    pub until: DateTime<Utc>,
    pub reason: String,
    pub muted_at: DateTime<Utc>,
    /// Set when a guide ended the mute early.
    pub ended_at: Option<DateTime<Utc>>,
    /// The events the change appended in the participant's rooms.
    pub events: Vec<EventView>,
}

/// Parses a mute length; out of range is a `validation_failed` naming `minutes`.
pub fn minutes_field(minutes: i64) -> AppResult<Duration> {
    if (1..=MAX_MUTE_MINUTES).contains(&minutes) {
        Ok(Duration::minutes(minutes))
    } else {
        Err(AppError::field(
            "minutes",
            "out_of_range",
            "a mute lasts 1 to 10080 minutes (7 days)",
        ))
    }
}

/// The existing rooms of the course the participant writes in: the group room and their own
/// private thread (a mute applies to all of them; the event shows where it applies).
async fn rooms_of_participant<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    participant_id: i32,
) -> AppResult<Vec<chat_room::Model>> {
    Ok(chat_room::Entity::find()
        .filter(chat_room::Column::CourseId.eq(course_id))
        .filter(chat_room::Column::Key.is_in([
            room_key(RoomKind::Group, None),
            room_key(RoomKind::Private, Some(participant_id)),
        ]))
        .order_by_asc(chat_room::Column::Id)
        .all(db)
        .await?)
}

/// Ends any mute still running (`ended_at = now`); returns how many were running.
async fn end_running_mutes<C: ConnectionTrait>(
    txn: &C,
    course_id: i32,
    participant_id: i32,
    now: DateTime<Utc>,
) -> AppResult<u64> {
    Ok(chat_mute::Entity::update_many()
        .col_expr(chat_mute::Column::EndedAt, Expr::value(Some(now)))
        .filter(chat_mute::Column::CourseId.eq(course_id))
        .filter(chat_mute::Column::ParticipantId.eq(participant_id))
        .filter(chat_mute::Column::EndedAt.is_null())
        .filter(chat_mute::Column::Until.gt(now))
        .exec(txn)
        .await?
        .rows_affected)
}

/// Mutes a participant of the course for `length`; a running mute is replaced by this one.
pub async fn mute(
    state: &AppState,
    actor: &AuthUser,
    course_uuid: Uuid,
    participant: Uuid,
    length: Duration,
    reason: Reason,
) -> AppResult<MuteView> {
    let db = &state.db;
    let c = course_for_guide(db, actor, course_uuid).await?;
    let person = enrolled_participant(db, &c, participant).await?;
    audit_participant(state, actor, &person, "chat", "update").await?;
    let now = state.now();
    let until = now + length;
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    end_running_mutes(&txn, c.id, person.id, now).await?;
    chat_mute::ActiveModel {
        course_id: Set(c.id),
        participant_id: Set(person.id),
        until: Set(until),
        reason: Set(reason.as_str().to_owned()),
        muted_by: Set(actor.id),
        created_at: Set(now),
        ended_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut published = Vec::new();
    for room in rooms_of_participant(&txn, c.id, person.id).await? {
        // The reason stays with the mute (staff read it there); the room sees who and until when.
        let ev = append_event(
            &txn,
            room.id,
            actor.id,
            "muted",
            None,
            json!({"user": user_json(&UserCard::from_user(&person), Audience::Staff), "until": until}),
            now,
        )
        .await?;
        published.push((room, ev));
    }
    txn.commit().await?;
    tracing::info!(course = %c.uuid, participant = %person.uuid, %until, actor = %actor.uuid, "chat mute");
    let events = publish_each(state, published);
    Ok(MuteView {
        participant: person.uuid,
        participant_name: person.display_name,
        until,
        reason: reason.as_str().to_owned(),
        muted_at: now,
        ended_at: None,
        events,
    })
}

/// Ends the participant's running mute early; `not_muted` when there is none.
pub async fn unmute(
    state: &AppState,
    actor: &AuthUser,
    course_uuid: Uuid,
    participant: Uuid,
) -> AppResult<Vec<EventView>> {
    let db = &state.db;
    let c = course_for_guide(db, actor, course_uuid).await?;
    let person = enrolled_participant(db, &c, participant).await?;
    let now = state.now();
    let running = chat_mute::Entity::find()
        .filter(chat_mute::Column::CourseId.eq(c.id))
        .filter(chat_mute::Column::ParticipantId.eq(person.id))
        .filter(chat_mute::Column::EndedAt.is_null())
        .filter(chat_mute::Column::Until.gt(now))
        .one(db)
        .await?;
    if running.is_none() {
        return Err(AppError::NotFoundCode("not_muted"));
    }
    audit_participant(state, actor, &person, "chat", "update").await?;
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    if end_running_mutes(&txn, c.id, person.id, now).await? == 0 {
        return Err(AppError::NotFoundCode("not_muted"));
    }
    let mut published = Vec::new();
    for room in rooms_of_participant(&txn, c.id, person.id).await? {
        let ev = append_event(
            &txn,
            room.id,
            actor.id,
            "unmuted",
            None,
            json!({"user": user_json(&UserCard::from_user(&person), Audience::Staff), "until": now}),
            now,
        )
        .await?;
        published.push((room, ev));
    }
    txn.commit().await?;
    tracing::info!(course = %c.uuid, participant = %person.uuid, actor = %actor.uuid, "chat mute ended");
    Ok(publish_each(state, published))
}

/// The mutes running now on the course, for the guide's view.
pub async fn running_mutes(
    state: &AppState,
    actor: &AuthUser,
    course_uuid: Uuid,
) -> AppResult<Vec<MuteView>> {
    let db = &state.db;
    let c = course_for_guide(db, actor, course_uuid).await?;
    let now = state.now();
    let rows = chat_mute::Entity::find()
        .filter(chat_mute::Column::CourseId.eq(c.id))
        .filter(chat_mute::Column::EndedAt.is_null())
        .filter(chat_mute::Column::Until.gt(now))
        .order_by_asc(chat_mute::Column::Until)
        .all(db)
        .await?;
    let people = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|m| m.participant_id)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|m| {
            let u = people.iter().find(|u| u.id == m.participant_id)?;
            Some(MuteView {
                participant: u.uuid,
                participant_name: u.display_name.clone(),
                until: m.until,
                reason: m.reason,
                muted_at: m.created_at,
                ended_at: m.ended_at,
                events: Vec::new(),
            })
        })
        .collect())
}

fn publish_each(
    state: &AppState,
    published: Vec<(chat_room::Model, chat_message::Model)>,
) -> Vec<EventView> {
    let views = published
        .iter()
        .map(|(room, ev)| EventView::of(room, ev))
        .collect();
    for (room, ev) in published {
        state.chat.publish(room.id, vec![ev]);
    }
    views
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_trimmed_and_has_one_to_a_thousand_characters() {
        assert_eq!(
            Reason::parse("  kiusaamista ").map(|r| r.0),
            Ok("kiusaamista".into())
        );
        assert!(Reason::parse("   ").is_err());
        assert!(Reason::parse(&"ä".repeat(1000)).is_ok());
        assert!(Reason::parse(&"ä".repeat(1001)).is_err());
        assert!(Reason::parse("a\u{0}b").is_err());
        assert!(Reason::parse("rivi\nrivi").is_ok());
    }

    #[test]
    fn a_too_long_reason_names_its_field_and_says_too_long() {
        let Err(AppError::Validation(errors)) = Reason::field("reason", &"x".repeat(1001)) else {
            panic!("expected a validation error");
        };
        assert_eq!(errors[0].field, "reason");
        assert_eq!(errors[0].code, "too_long");
    }

    #[test]
    fn mutes_last_one_minute_to_seven_days() {
        assert!(minutes_field(0).is_err());
        assert!(minutes_field(-5).is_err());
        assert_eq!(minutes_field(1).ok(), Some(Duration::minutes(1)));
        assert!(minutes_field(10080).is_ok());
        assert!(minutes_field(10081).is_err());
    }

    #[test]
    fn slow_mode_is_off_or_up_to_an_hour() {
        assert_eq!(slow_mode_field(0).ok(), Some(0));
        assert_eq!(slow_mode_field(3600).ok(), Some(3600));
        assert!(slow_mode_field(-1).is_err());
        assert!(slow_mode_field(3601).is_err());
        assert!(slow_mode_field(i64::MAX).is_err());
    }
}
