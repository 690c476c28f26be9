//! The room log. Every write is one transaction that assigns the next `seq` of the room by bumping
//! `chat_rooms.last_seq` (promise 3: a total order per room without gaps) and inserts the row.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::entity::{chat_message, chat_room};
use crate::error::{AppError, AppResult};

/// Hands out the room's next sequence number. The UPDATE comes first in the transaction so it
/// takes the room's write lock at once: concurrent writers to one room queue here (PostgreSQL:
/// row lock; SQLite: the database write lock) and the number is theirs until commit.
pub async fn next_seq<C: ConnectionTrait>(txn: &C, room_id: i32) -> AppResult<chat_room::Model> {
    let bumped = chat_room::Entity::update_many()
        .col_expr(
            chat_room::Column::LastSeq,
            Expr::col(chat_room::Column::LastSeq).add(1),
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
        uuid: Set(Uuid::new_v4()),
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
