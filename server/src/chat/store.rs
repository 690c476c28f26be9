//! The room log. Every write is one transaction that assigns the next `seq` of the room by bumping
//! `chat_rooms.last_seq` (promise 3: a total order per room without gaps) and inserts the row.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use crate::chat::model::{Audience, Body, ChatUser, EDIT_WINDOW_MINUTES, Membership, UserCard};
use crate::chat::protocol::{TargetState, row_json};
use crate::chat::rooms::{membership, statement};
use crate::entity::{chat_message, chat_mute, chat_read, chat_room, user};
use crate::error::{AppError, AppResult};

/// Hands out the room's next sequence number. The UPDATE comes first in the transaction so it
/// takes the room's write lock at once: concurrent writers to one room queue here (PostgreSQL:
/// row lock; SQLite: the database write lock) and the number is theirs until commit.
pub async fn next_seq<C: ConnectionTrait>(txn: &C, room_id: i32) -> AppResult<chat_room::Model> {
    let bumped = chat_room::Entity::update_many()
        .col_expr(
            chat_room::Column::LastSeq,
            sea_orm::sea_query::ExprTrait::add(Expr::col(chat_room::Column::LastSeq), 1),
        )
        .filter(chat_room::Column::Id.eq(room_id))
        .exec(txn)
        .await?;
    if bumped.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    chat_room::Entity::find_by_id(room_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Appends an `event` row (an edit, a deletion, a moderation action) with the room's next seq.
/// The caller owns the transaction and updates the target row in it; after commit it hands the
/// row to `ChatHub::publish`. `detail` is a JSON object whose fields go into the event frame
/// (`reason`, `until`, `seconds`, `on`, `user` …); `Value::Null` for none.
pub async fn append_event<C: ConnectionTrait>(
    txn: &C,
    room_id: i32,
    actor_id: i32,
    event: &str,
    target_seq: Option<i64>,
    detail: serde_json::Value,
    now: DateTime<Utc>,
) -> AppResult<chat_message::Model> {
    append_event_with_body(
        txn,
        room_id,
        actor_id,
        event,
        target_seq,
        detail,
        String::new(),
        now,
    )
    .await
}

/// As [`append_event`], with the text the event shows: `edited` the new text, `unhidden` the text
/// shown again, `hidden` the hidden text (staff frames only).
#[allow(clippy::too_many_arguments)]
pub async fn append_event_with_body<C: ConnectionTrait>(
    txn: &C,
    room_id: i32,
    actor_id: i32,
    event: &str,
    target_seq: Option<i64>,
    detail: serde_json::Value,
    body: String,
    now: DateTime<Utc>,
) -> AppResult<chat_message::Model> {
    let room = next_seq(txn, room_id).await?;
    let detail = match detail {
        serde_json::Value::Null => None,
        d => Some(d.to_string()),
    };
    Ok(chat_message::ActiveModel {
        uuid: Set(Uuid::now_v7()),
        room_id: Set(room_id),
        seq: Set(room.last_seq),
        kind: Set("event".to_owned()),
        sender_id: Set(actor_id),
        client_msg_id: Set(None),
        body: Set(body),
        event: Set(Some(event.to_owned())),
        target_seq: Set(target_seq),
        detail: Set(detail),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// Why a chat action was refused; `code()` is the protocol's `error.code`.
#[derive(Debug)]
pub enum ChatError {
    NotMember,
    Muted {
        retry_after: i64,
    },
    ReadOnly,
    SlowMode {
        retry_after: i64,
    },
    InvalidBody,
    EditWindowPassed,
    NotFound,
    NotAllowed,
    /// The database refused; nothing was stored.
    Unavailable(AppError),
}

impl ChatError {
    pub fn muted(until: DateTime<Utc>, now: DateTime<Utc>) -> ChatError {
        ChatError::Muted {
            retry_after: (until - now).num_seconds().max(1),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ChatError::NotMember => "not_member",
            ChatError::Muted { .. } => "muted",
            ChatError::ReadOnly => "read_only",
            ChatError::SlowMode { .. } => "slow_mode",
            ChatError::InvalidBody => "invalid_body",
            ChatError::EditWindowPassed => "edit_window_passed",
            ChatError::NotFound => "not_found",
            ChatError::NotAllowed => "not_allowed",
            ChatError::Unavailable(_) => "unavailable",
        }
    }

    pub fn retry_after(&self) -> Option<i64> {
        match self {
            ChatError::Muted { retry_after } | ChatError::SlowMode { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            ChatError::NotMember => "You are not in this conversation.",
            ChatError::Muted { .. } => "The guide has paused your messages for a while.",
            ChatError::ReadOnly => "Only the guides can write here now.",
            ChatError::SlowMode { .. } => "Please wait a moment before the next message.",
            ChatError::InvalidBody => {
                "A message must have 1 to 4000 characters and no control characters."
            }
            ChatError::EditWindowPassed => "Messages can be changed for 15 minutes only.",
            ChatError::NotFound => "The message was not found.",
            ChatError::NotAllowed => "You cannot change this message.",
            ChatError::Unavailable(_) => "The message was not saved. It will be sent again.",
        }
    }
}

impl From<AppError> for ChatError {
    fn from(e: AppError) -> ChatError {
        match e {
            AppError::NotFound => ChatError::NotFound,
            e => ChatError::Unavailable(e),
        }
    }
}

impl From<sea_orm::DbErr> for ChatError {
    fn from(e: sea_orm::DbErr) -> ChatError {
        ChatError::Unavailable(e.into())
    }
}

impl From<ChatError> for AppError {
    fn from(e: ChatError) -> AppError {
        match e {
            ChatError::NotMember | ChatError::NotFound => AppError::NotFound,
            ChatError::Muted { retry_after } | ChatError::SlowMode { retry_after } => {
                AppError::RateLimited {
                    retry_after_secs: retry_after.max(1) as u64,
                }
            }
            ChatError::InvalidBody => AppError::field("body", "invalid", e.message()),
            ChatError::Unavailable(inner) => inner,
            other => AppError::conflict(other.code(), other.message()),
        }
    }
}

/// The end of the participant's mute in the course, if muted now.
pub async fn muted_until<C: ConnectionTrait>(
    db: &C,
    course_id: i32,
    user_id: i32,
    now: DateTime<Utc>,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(chat_mute::Entity::find()
        .filter(chat_mute::Column::CourseId.eq(course_id))
        .filter(chat_mute::Column::ParticipantId.eq(user_id))
        .filter(chat_mute::Column::EndedAt.is_null())
        .filter(chat_mute::Column::Until.gt(now))
        .order_by_desc(chat_mute::Column::Until)
        .one(db)
        .await?
        .map(|m| m.until))
}

/// What a `send` stored: the new row, or the row an earlier send with the same client message id
/// stored (promise 2: acked again with `duplicate: true`, nothing stored or fanned out).
#[derive(Debug, Clone)]
pub enum Sent {
    New(chat_message::Model),
    Duplicate(chat_message::Model),
}

async fn find_by_client_id<C: ConnectionTrait>(
    db: &C,
    room_id: i32,
    sender_id: i32,
    client_msg_id: Uuid,
) -> AppResult<Option<chat_message::Model>> {
    Ok(chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room_id))
        .filter(chat_message::Column::SenderId.eq(sender_id))
        .filter(chat_message::Column::ClientMsgId.eq(client_msg_id))
        .one(db)
        .await?)
}

/// Stores a message in one transaction: membership (S13), then under the room's lock the
/// duplicate check, read-only, mute and slow mode, the next seq and the row. Staff may write in
/// read-only rooms and are never slowed or muted.
pub async fn send(
    db: &DatabaseConnection,
    user: &ChatUser,
    room_id: i32,
    client_msg_id: Uuid,
    raw_body: &str,
    now: DateTime<Utc>,
) -> Result<Sent, ChatError> {
    let body = Body::parse(raw_body).ok_or(ChatError::InvalidBody)?;
    let room = chat_room::Entity::find_by_id(room_id)
        .one(db)
        .await?
        .ok_or(ChatError::NotMember)?;
    let member = membership(db, user, &room)
        .await?
        .ok_or(ChatError::NotMember)?;
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let result = send_in(&txn, user, member, room_id, client_msg_id, body, now).await;
    match result {
        Ok(Sent::New(row)) => match txn.commit().await {
            Ok(()) => Ok(Sent::New(row)),
            Err(e) => Err(e.into()),
        },
        Ok(dup @ Sent::Duplicate(_)) => {
            txn.rollback().await?;
            Ok(dup)
        }
        Err(ChatError::Unavailable(e)) => {
            let _ = txn.rollback().await;
            // The unique (room, sender, client_msg_id) fired: a concurrent send of the same
            // message won. Answer with its row.
            match find_by_client_id(db, room_id, user.id, client_msg_id).await? {
                Some(original) => Ok(Sent::Duplicate(original)),
                None => Err(ChatError::Unavailable(e)),
            }
        }
        Err(e) => {
            let _ = txn.rollback().await;
            Err(e)
        }
    }
}

async fn send_in(
    txn: &DatabaseTransaction,
    user: &ChatUser,
    member: Membership,
    room_id: i32,
    client_msg_id: Uuid,
    body: Body,
    now: DateTime<Utc>,
) -> Result<Sent, ChatError> {
    let room = next_seq(txn, room_id).await?;
    if let Some(original) = find_by_client_id(txn, room_id, user.id, client_msg_id).await? {
        return Ok(Sent::Duplicate(original));
    }
    if !member.is_staff() {
        if room.read_only {
            return Err(ChatError::ReadOnly);
        }
        if let Some(until) = muted_until(txn, room.course_id, user.id, now).await? {
            return Err(ChatError::muted(until, now));
        }
        if room.slow_mode_seconds > 0 {
            let last = last_message_at(txn, room_id, user.id).await?;
            slow_mode_check(&room, last, now)?;
        }
    }
    let row = new_message(room_id, room.last_seq, user.id, client_msg_id, body, now)
        .insert(txn)
        .await?;
    Ok(Sent::New(row))
}

/// The row of a new message.
pub(crate) fn new_message(
    room_id: i32,
    seq: i64,
    sender_id: i32,
    client_msg_id: Uuid,
    body: Body,
    now: DateTime<Utc>,
) -> chat_message::ActiveModel {
    chat_message::ActiveModel {
        uuid: Set(Uuid::now_v7()),
        room_id: Set(room_id),
        seq: Set(seq),
        kind: Set("message".to_owned()),
        sender_id: Set(sender_id),
        client_msg_id: Set(Some(client_msg_id)),
        body: Set(body.into_string()),
        created_at: Set(now),
        ..Default::default()
    }
}

/// When the user last wrote a message in the room (slow mode counts from it).
pub(crate) async fn last_message_at<C: ConnectionTrait>(
    db: &C,
    room_id: i32,
    sender_id: i32,
) -> AppResult<Option<DateTime<Utc>>> {
    Ok(chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room_id))
        .filter(chat_message::Column::SenderId.eq(sender_id))
        .filter(chat_message::Column::Kind.eq("message"))
        .order_by_desc(chat_message::Column::Seq)
        .one(db)
        .await?
        .map(|m| m.created_at))
}

/// Slow mode: refused until the room's seconds have passed since the user's last message.
pub(crate) fn slow_mode_check(
    room: &chat_room::Model,
    last: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), ChatError> {
    if let Some(last) = last {
        let wait = i64::from(room.slow_mode_seconds) - (now - last).num_seconds();
        if wait > 0 {
            return Err(ChatError::SlowMode { retry_after: wait });
        }
    }
    Ok(())
}

/// Edits or deletes the user's own message within 15 minutes: the event row and the target's new
/// state in one transaction. Returns the event row, to publish after commit.
pub async fn change_own(
    db: &DatabaseConnection,
    user: &ChatUser,
    room_id: i32,
    seq: i64,
    new_body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<chat_message::Model, ChatError> {
    let body = match new_body {
        Some(raw) => Some(Body::parse(raw).ok_or(ChatError::InvalidBody)?),
        None => None,
    };
    let room = chat_room::Entity::find_by_id(room_id)
        .one(db)
        .await?
        .ok_or(ChatError::NotMember)?;
    let member = membership(db, user, &room)
        .await?
        .ok_or(ChatError::NotMember)?;
    let _writer = crate::db::write_gate(db).await;
    let txn = db.begin().await?;
    let result = change_in(&txn, user, member, &room, seq, body, now).await;
    match result {
        Ok(event) => {
            txn.commit().await?;
            Ok(event)
        }
        Err(e) => {
            let _ = txn.rollback().await;
            Err(e)
        }
    }
}

async fn change_in(
    txn: &DatabaseTransaction,
    user: &ChatUser,
    member: Membership,
    room: &chat_room::Model,
    seq: i64,
    body: Option<Body>,
    now: DateTime<Utc>,
) -> Result<chat_message::Model, ChatError> {
    let (event_name, text) = match &body {
        Some(b) => ("edited", b.as_str().to_owned()),
        None => ("deleted", String::new()),
    };
    // The event is appended first so the room's lock is taken before anything is read.
    let event = append_event_with_body(
        txn,
        room.id,
        user.id,
        event_name,
        Some(seq),
        serde_json::Value::Null,
        text,
        now,
    )
    .await?;
    let target = chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .filter(chat_message::Column::Seq.eq(seq))
        .filter(chat_message::Column::Kind.eq("message"))
        .one(txn)
        .await?
        .ok_or(ChatError::NotFound)?;
    if target.deleted_at.is_some() {
        return Err(ChatError::NotFound);
    }
    if target.sender_id != user.id || target.hidden_at.is_some() {
        return Err(ChatError::NotAllowed);
    }
    if now - target.created_at > chrono::Duration::minutes(EDIT_WINDOW_MINUTES) {
        return Err(ChatError::EditWindowPassed);
    }
    if !member.is_staff() && body.is_some() {
        if room.read_only {
            return Err(ChatError::ReadOnly);
        }
        if let Some(until) = muted_until(txn, room.course_id, user.id, now).await? {
            return Err(ChatError::muted(until, now));
        }
    }
    let mut update =
        chat_message::Entity::update_many().filter(chat_message::Column::Id.eq(target.id));
    update = match body {
        Some(b) => update
            .col_expr(chat_message::Column::Body, Expr::value(b.into_string()))
            .col_expr(chat_message::Column::EditedAt, Expr::value(now)),
        None => update
            .col_expr(chat_message::Column::Body, Expr::value(""))
            .col_expr(chat_message::Column::DeletedAt, Expr::value(now)),
    };
    update.exec(txn).await?;
    if event_name == "deleted" {
        // A deleted message's text goes from its earlier edits too.
        chat_message::Entity::update_many()
            .col_expr(chat_message::Column::Body, Expr::value(""))
            .filter(chat_message::Column::RoomId.eq(room.id))
            .filter(chat_message::Column::Kind.eq("event"))
            .filter(chat_message::Column::TargetSeq.eq(seq))
            .exec(txn)
            .await?;
    }
    Ok(event)
}

/// Moves the user's read marker forward (never back, never past the room's last seq). Returns the
/// marker when it moved.
pub async fn mark_read<C: ConnectionTrait>(
    db: &C,
    room: &chat_room::Model,
    user_id: i32,
    seq: i64,
    now: DateTime<Utc>,
) -> AppResult<Option<i64>> {
    let seq = seq.min(room.last_seq);
    if seq <= 0 {
        return Ok(None);
    }
    let sql = "INSERT INTO chat_reads (room_id, user_id, last_read_seq, updated_at) \
               VALUES (?, ?, ?, ?) \
               ON CONFLICT (room_id, user_id) DO UPDATE \
               SET last_read_seq = excluded.last_read_seq, updated_at = excluded.updated_at \
               WHERE chat_reads.last_read_seq < excluded.last_read_seq";
    let done = db
        .execute_raw(statement(
            db.get_database_backend(),
            sql,
            vec![room.id.into(), user_id.into(), seq.into(), now.into()],
        ))
        .await?;
    Ok((done.rows_affected() > 0).then_some(seq))
}

/// The user's read marker in a room (0 when none).
pub async fn read_seq<C: ConnectionTrait>(db: &C, room_id: i32, user_id: i32) -> AppResult<i64> {
    Ok(chat_read::Entity::find_by_id((room_id, user_id))
        .one(db)
        .await?
        .map(|r| r.last_read_seq)
        .unwrap_or(0))
}

/// Rows of a room with `after < seq <= upto`, in order, at most `limit`.
pub async fn rows_between<C: ConnectionTrait>(
    db: &C,
    room_id: i32,
    after: i64,
    upto: Option<i64>,
    limit: u64,
) -> AppResult<Vec<chat_message::Model>> {
    let mut q = chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room_id))
        .filter(chat_message::Column::Seq.gt(after));
    if let Some(upto) = upto {
        q = q.filter(chat_message::Column::Seq.lte(upto));
    }
    Ok(q.order_by_asc(chat_message::Column::Seq)
        .limit(limit)
        .all(db)
        .await?)
}

/// How people appear in chat, by user id, in one query.
pub async fn load_cards<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, Arc<UserCard>>> {
    let ids: HashSet<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .iter()
        .map(|u| (u.id, Arc::new(UserCard::from_user(u))))
        .collect())
}

/// The current state of the messages that events in `rows` point at (for rendering a replay).
pub async fn target_states<C: ConnectionTrait>(
    db: &C,
    room_id: i32,
    rows: &[chat_message::Model],
) -> AppResult<HashMap<i64, TargetState>> {
    let targets: HashSet<i64> = rows
        .iter()
        .filter(|r| r.kind == "event")
        .filter_map(|r| r.target_seq)
        .collect();
    if targets.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room_id))
        .filter(chat_message::Column::Seq.is_in(targets))
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.seq,
                TargetState {
                    hidden: m.hidden_at.is_some(),
                    deleted: m.deleted_at.is_some(),
                },
            )
        })
        .collect())
}

/// Renders rows for one audience as JSON objects (HTTP) with the people and targets they need.
pub async fn rows_json<C: ConnectionTrait>(
    db: &C,
    room: &chat_room::Model,
    rows: &[chat_message::Model],
    audience: Audience,
) -> AppResult<Vec<serde_json::Value>> {
    let cards = load_cards(db, rows.iter().map(|r| r.sender_id)).await?;
    let targets = target_states(db, room.id, rows).await?;
    let unknown = unknown_card();
    Ok(rows
        .iter()
        .map(|r| {
            let card = cards.get(&r.sender_id).unwrap_or(&unknown);
            let target = r.target_seq.and_then(|t| targets.get(&t).copied());
            row_json(r, room.uuid, card, audience, target)
        })
        .collect())
}

/// Stand-in for a sender whose account is gone.
pub fn unknown_card() -> Arc<UserCard> {
    Arc::new(UserCard {
        id: 0,
        uuid: Uuid::nil(),
        name: String::new(),
        role: crate::accounts::model::Role::Participant,
        profession: None,
    })
}
