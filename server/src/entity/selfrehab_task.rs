use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "selfrehab_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub participant_id: i32,
    pub course_id: i32,
    pub title: String,
    pub details: String,
    /// Comma-separated `mon`…`sun`; `None` when `times_per_week` is used.
    pub days: Option<String>,
    pub times_per_week: Option<i32>,
    pub minutes: Option<i32>,
    pub start_date: Date,
    pub weeks: i32,
    pub source_item_id: Option<String>,
    /// The participant's goal (same course) this task serves.
    pub goal_id: Option<i32>,
    /// `active` or `ended`.
    pub status: String,
    pub ended_on: Option<Date>,
    pub participant_accepted_at: Option<DateTimeUtc>,
    pub guide_accepted_at: Option<DateTimeUtc>,
    pub guide_accepted_by: Option<i32>,
    /// `participant` or `guide`.
    pub created_by: String,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
