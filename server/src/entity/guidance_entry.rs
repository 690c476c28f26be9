use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guidance_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub course_id: i32,
    pub professional_id: i32,
    pub kind: String,
    pub started_at: DateTimeUtc,
    pub minutes: i32,
    pub note: String,
    /// `manual`, `contact`, later `chat_session`.
    pub source: String,
    #[sea_orm(unique)]
    pub contact_id: Option<i32>,
    pub version: i32,
    pub voided_at: Option<DateTimeUtc>,
    pub voided_by: Option<i32>,
    pub void_reason: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
