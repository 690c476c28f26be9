use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_guidance_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub course_id: i32,
    pub room_id: i32,
    /// `Some(room_id)` while running; unique, so a room has one running session.
    pub running_room_id: Option<i32>,
    pub professional_id: i32,
    pub started_at: DateTimeUtc,
    pub start_seq: i64,
    pub ended_at: Option<DateTimeUtc>,
    pub end_seq: Option<i64>,
    pub ended_by: Option<i32>,
    /// JSON `[{participant_id, wrote, present}]`, frozen at the end.
    #[sea_orm(column_type = "Text", nullable)]
    pub proposal: Option<String>,
    pub entry_id: Option<i32>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
