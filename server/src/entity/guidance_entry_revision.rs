use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guidance_entry_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    pub version: i32,
    /// `created`, `corrected` or `voided`.
    pub change: String,
    pub reason: Option<String>,
    pub changed_by: i32,
    pub changed_at: DateTimeUtc,
    /// JSON of the entry after this change.
    pub snapshot: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
