use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_days")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub participant_id: i32,
    pub course_id: i32,
    /// A Helsinki calendar day.
    pub day: Date,
    pub visible_seconds: i64,
    pub last_seen_at: DateTimeUtc,
    /// The wall-clock minute (Unix seconds / 60) `minute_seconds` belongs to.
    pub minute_at: i64,
    pub minute_seconds: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
