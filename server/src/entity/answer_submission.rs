use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "answer_submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub answer_id: i32,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub submitted_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
