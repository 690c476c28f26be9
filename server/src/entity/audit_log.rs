use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub actor_user_id: Option<Uuid>,
    pub actor_role: String,
    pub subject_user_id: Option<Uuid>,
    /// On a row about many participants read at once: their ids, sorted, separated by spaces.
    #[sea_orm(column_type = "Text", nullable)]
    pub subjects: Option<String>,
    pub provider_id: Option<i32>,
    pub category: String,
    pub action: String,
    pub purpose: String,
    pub request_id: String,
    pub outcome: String,
    pub prev_hash: String,
    #[sea_orm(unique)]
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
