use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub uuid: Uuid,
    pub course_id: i32,
    pub participant_id: i32,
    /// 1..=3, unique per participant and course.
    pub position: i32,
    pub title: String,
    pub level_minus2: String,
    pub level_minus1: String,
    pub level0: String,
    pub level_plus1: String,
    pub level_plus2: String,
    pub weight: i32,
    pub baseline: Option<i32>,
    pub baseline_at: Option<DateTimeUtc>,
    pub attainment: Option<i32>,
    pub attained_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
