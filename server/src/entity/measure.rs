use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "measures")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub course_id: i32,
    pub participant_id: i32,
    /// `whoqol_bref` or `bdi21`.
    pub instrument: String,
    /// `start` or `end`.
    pub occasion: String,
    pub measured_on: Date,
    pub physical: Option<i32>,
    pub psychological: Option<i32>,
    pub social: Option<i32>,
    pub environment: Option<i32>,
    pub total: Option<i32>,
    pub recorded_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
