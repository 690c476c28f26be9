use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub room_id: i32,
    /// 1, 2, 3 … per room, no gaps.
    pub seq: i64,
    /// `message` or `event`.
    pub kind: String,
    /// The writer of a message; the actor of an event.
    pub sender_id: i32,
    pub client_msg_id: Option<Uuid>,
    /// '' once deleted.
    pub body: String,
    /// `edited`, `deleted`, `hidden`, `unhidden`, `removed`, `pinned`, `unpinned`, `muted`,
    /// `unmuted`, `read_only`, `slow_mode`.
    pub event: Option<String>,
    pub target_seq: Option<i64>,
    /// JSON: reason, until, seconds, on, user …
    pub detail: Option<String>,
    pub created_at: DateTimeUtc,
    pub edited_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    pub hidden_at: Option<DateTimeUtc>,
    pub hidden_by: Option<i32>,
    pub hidden_reason: Option<String>,
    pub removed_by: Option<i32>,
    pub pinned_at: Option<DateTimeUtc>,
    pub pinned_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
