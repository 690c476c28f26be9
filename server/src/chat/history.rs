//! History, search and pins over HTTP (the socket carries only chat). Items have the same shape
//! as the socket's `message` and `event` frames, rendered for the reader's audience.

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::chat::model::{Audience, Membership};
use crate::chat::store::rows_json;
use crate::entity::{chat_message, chat_room};
use crate::error::{AppError, AppResult};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 100;
pub const SEARCH_LIMIT: u64 = 50;
/// The longest search text.
const MAX_QUERY_CHARS: usize = 200;

/// Moderation events that stand in history on their own; the others (edited, deleted, hidden …)
/// show as the current state of their message.
pub const INLINE_EVENTS: &[&str] = &[
    "muted",
    "unmuted",
    "pinned",
    "unpinned",
    "read_only",
    "slow_mode",
    "guidance_started",
    "guidance_ended",
];

#[derive(Debug, Serialize, ToSchema)]
pub struct Page {
    /// Newest first: `message` and inline `event` objects as on the socket.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
    /// Older items exist: ask again with `before_seq` = the last item's seq.
    pub more: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Items {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
}

/// A page of the room's history before `before_seq` (newest first).
pub async fn page<C: ConnectionTrait>(
    db: &C,
    room: &chat_room::Model,
    member: Membership,
    before_seq: Option<i64>,
    limit: Option<u64>,
) -> AppResult<Page> {
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::field("limit", "invalid", "limit must be 1–100"));
    }
    let mut q = chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .filter(
            Condition::any()
                .add(chat_message::Column::Kind.eq("message"))
                .add(chat_message::Column::Event.is_in(INLINE_EVENTS.iter().copied())),
        );
    if let Some(before) = before_seq {
        q = q.filter(chat_message::Column::Seq.lt(before));
    }
    let mut rows = q
        .order_by_desc(chat_message::Column::Seq)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let items = rows_json(db, room, &rows, member.audience()).await?;
    Ok(Page { items, more })
}

/// `%`, `_` and the escape character itself stand for themselves in a LIKE pattern.
pub fn like_pattern(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for c in q.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Messages containing `q` (case-insensitive), newest first, at most 50. Deleted messages are
/// never found, hidden ones only by staff.
pub async fn search<C: ConnectionTrait>(
    db: &C,
    room: &chat_room::Model,
    member: Membership,
    q: &str,
) -> AppResult<Items> {
    let q = q.trim();
    if q.is_empty() || q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::field(
            "q",
            "invalid",
            "search text must be 1–200 characters",
        ));
    }
    let mut find = chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .filter(chat_message::Column::Kind.eq("message"))
        .filter(chat_message::Column::DeletedAt.is_null())
        .filter(
            Expr::expr(Func::lower(Expr::col((
                chat_message::Entity,
                chat_message::Column::Body,
            ))))
            .like(LikeExpr::new(like_pattern(q)).escape('\\')),
        );
    if member.audience() == Audience::Participant {
        find = find.filter(chat_message::Column::HiddenAt.is_null());
    }
    let rows = find
        .order_by_desc(chat_message::Column::Seq)
        .limit(SEARCH_LIMIT)
        .all(db)
        .await?;
    Ok(Items {
        items: rows_json(db, room, &rows, member.audience()).await?,
    })
}

/// The room's pinned messages, newest pin first.
pub async fn pinned<C: ConnectionTrait>(
    db: &C,
    room: &chat_room::Model,
    member: Membership,
) -> AppResult<Items> {
    let mut find = chat_message::Entity::find()
        .filter(chat_message::Column::RoomId.eq(room.id))
        .filter(chat_message::Column::Kind.eq("message"))
        .filter(chat_message::Column::PinnedAt.is_not_null())
        .filter(chat_message::Column::DeletedAt.is_null());
    if member.audience() == Audience::Participant {
        find = find.filter(chat_message::Column::HiddenAt.is_null());
    }
    let rows = find
        .order_by_desc(chat_message::Column::PinnedAt)
        .limit(MAX_LIMIT)
        .all(db)
        .await?;
    Ok(Items {
        items: rows_json(db, room, &rows, member.audience()).await?,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_patterns_escape_wildcards_and_fold_case() {
        assert_eq!(super::like_pattern("Äiti"), "%äiti%");
        assert_eq!(super::like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
