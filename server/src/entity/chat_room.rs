use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_rooms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub course_id: i32,
    /// `group`, `team` or `private`.
    pub kind: String,
    /// `group`, `team` or `private:<participant user id>`; unique per course.
    pub key: String,
    /// The participant of a private thread.
    pub participant_id: Option<i32>,
    pub read_only: bool,
    pub slow_mode_seconds: i32,
    /// The last sequence number handed out; bumped inside the insert transaction.
    pub last_seq: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
