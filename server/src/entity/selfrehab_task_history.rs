use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "selfrehab_task_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    /// The version the task had before this change.
    pub version: i32,
    /// `changed`, `accepted` or `ended`.
    pub change: String,
    pub changed_by: i32,
    pub changed_at: DateTimeUtc,
    /// JSON of the task as it was before the change.
    pub previous: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
