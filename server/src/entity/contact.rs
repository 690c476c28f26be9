use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub course_id: i32,
    pub participant_id: i32,
    /// `pre_contact`, `interim` or `follow_up`.
    pub kind: String,
    /// `video` or `phone`.
    pub method: String,
    pub professional_id: i32,
    pub planned_at: DateTimeUtc,
    pub planned_minutes: i32,
    /// `planned`, `confirmed`, `reschedule_requested`, `done`, `cancelled` or `no_show`.
    pub status: String,
    pub participant_message: Option<String>,
    pub done_minutes: Option<i32>,
    pub note: Option<String>,
    #[sea_orm(unique)]
    pub room: String,
    pub sequence: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
