use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub goal_uuid: Uuid,
    pub course_id: i32,
    pub participant_id: i32,
    pub actor_id: i32,
    /// `create`, `update`, `delete`, `baseline`, `attainment`.
    pub action: String,
    /// JSON of the goal before the change; none for `create`.
    pub previous: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
